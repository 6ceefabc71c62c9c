"""The site itself: the home page, site-wide settings and the audience fields records share."""

from django import forms
from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.text import slugify
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import (
    BaseLogEntry,
    Collection,
    LockableMixin,
    Page,
    Task,
    TaskState,
)
from wagtail.models.audit_log import ModelLogEntryManager

from hub import privacy, selectors
from hub.admin_access import GuardedPageMixin, may_open, open_pages
from hub.audiences import Audience, visible_to


class AudienceMixin(models.Model):
    """Who may see a record that is not a page: an audience and, for panels, its group."""

    audience = models.CharField(
        max_length=20,
        choices=Audience.choices,
        default=Audience.STAFF,
        help_text="Who may see this. Members of a panel also needs the panel's group.",
    )
    audience_group = models.ForeignKey(
        Group,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="panel group",
    )

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.audience == Audience.PANEL and self.audience_group_id is None:
            raise ValidationError(
                {"audience_group": "Choose the panel whose members may see this."}
            )
        if self.audience != Audience.PANEL and self.audience_group_id is not None:
            raise ValidationError(
                {"audience_group": "Only a 'Members of a panel' audience names a panel group."}
            )


class RecordedAt(models.Model):
    """When a history entry was written, whatever date the change it records took effect."""

    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        abstract = True


class DocumentText(models.Model):
    """The text of one file's content, page by page, or why it could not be read.

    Kept by the content's hash (``hub.document_text``): the same file kept by many
    versions is read once, and another file never changes what this one says.
    """

    file_hash = models.CharField(max_length=64, unique=True)
    pages = models.JSONField(default=list)
    problem = models.TextField(blank=True)
    read_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = "text of a document"
        verbose_name_plural = "texts of documents"

    def __str__(self):
        return f"{self.file_hash[:12]}: " + (self.problem or f"{len(self.pages)} pages")

    @property
    def available(self) -> bool:
        return not self.problem


class KeptFile(models.Model):
    """A copy of a library document as a publish kept it (``hub.kept_files``), so a later
    upload cannot change it. Each kind names where its ``file`` is stored."""

    document = models.ForeignKey(
        "wagtaildocs.Document", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    title = models.CharField(max_length=255)
    file_hash = models.CharField(max_length=64)
    file_size = models.PositiveBigIntegerField()

    class Meta:
        abstract = True

    def __str__(self):
        return self.title

    @property
    def filename(self) -> str:
        return self.file.name.rsplit("/", 1)[-1]

    @property
    def kind(self) -> str:
        """What sort of file it is, as its readers know it: PDF, DOCX, ODT."""
        return self.filename.rpartition(".")[2].upper()


class HomePage(GuardedPageMixin, Page):
    """The front page: what changed recently and what needs the reader's attention."""

    intro = RichTextField(
        blank=True,
        features=["bold", "italic", "link", "ol", "ul"],
        help_text="A short welcome shown above the lists.",
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = "home page"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["recent_changes"] = selectors.recent_changes(user=request.user)
        context["attention_panels"] = selectors.attention_panels(request=request)
        return context


class AudienceCollection(AudienceMixin):
    """The audience of a collection of documents and images (see ``hub.collections``)."""

    collection = models.OneToOneField(Collection, on_delete=models.CASCADE, related_name="audience")

    def __str__(self):
        return f"{self.collection}: {self.get_audience_display()}"


@register_setting(icon="site")
class HubSettings(BaseSiteSetting):
    """Who runs the site and how readers reach them; shown in every page's footer."""

    organisation_name = models.CharField(max_length=200, default="Children's Services")
    contact_phone = models.CharField(max_length=50, blank=True)
    contact_email = models.EmailField(blank=True)
    contact_address = models.TextField(blank=True)
    alternative_formats_notice = models.TextField(
        blank=True,
        default=(
            "If you need this information in large print, audio, Braille or another "
            "language, please contact us and we will provide it."
        ),
    )

    panels = [
        FieldPanel("organisation_name"),
        MultiFieldPanel(
            [
                FieldPanel("contact_phone"),
                FieldPanel("contact_email"),
                FieldPanel("contact_address"),
            ],
            heading="Contact details",
        ),
        FieldPanel("alternative_formats_notice"),
    ]

    class Meta:
        verbose_name = "site settings"


class GlossaryTerm(models.Model):
    """A term or acronym readers meet in policies and minutes, and what it means."""

    term = models.CharField(max_length=40, unique=True, help_text="As written, e.g. CIN")
    expansion = models.CharField(max_length=200, help_text="In full, e.g. Child in Need")
    definition = models.TextField(blank=True)
    synonyms = models.CharField(
        max_length=400,
        blank=True,
        help_text="Other words people search for, separated by commas.",
    )

    panels = [
        FieldPanel("term"),
        FieldPanel("expansion"),
        FieldPanel("definition"),
        FieldPanel("synonyms"),
    ]

    class Meta:
        ordering = ["term"]
        verbose_name = "glossary term"

    def __str__(self):
        return f"{self.term} ({self.expansion})"

    @property
    def anchor(self) -> str:
        return f"term-{slugify(self.term)}"


class SubscriptionToken(models.Model):
    """A private key in a person's feed and calendar addresses; a new key revokes the old."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscription_token"
    )
    key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Subscription key for {self.user}"


class ReviewTask(Task):
    """A workflow step approved by members of chosen groups, each only for what they may open.

    Like Wagtail's group approval, except that a reviewer outside an item's
    audience (a panel's minutes, a policy for one panel) is not shown it, not
    told of it and cannot act on it; superusers review everything.
    """

    groups = models.ManyToManyField(
        Group,
        related_name="+",
        help_text="Members of these groups approve, each only what they may read.",
    )

    admin_form_fields = [*Task.admin_form_fields, "groups"]
    admin_form_widgets = {"groups": forms.CheckboxSelectMultiple}

    class Meta:
        verbose_name = "review by a group"

    def reviews(self, obj, user) -> bool:
        """Whether ``user`` reviews ``obj`` at this step."""
        if not user.is_active:
            return False
        if user.is_superuser:
            return True
        return self._in_groups(user) and may_open(user, obj)

    def _in_groups(self, user) -> bool:
        return self.groups.filter(pk__in=user.groups.values("pk")).exists()

    def start(self, workflow_state, user=None):
        item = workflow_state.content_object
        # A lock held by someone who does not review this step would stop the reviewers.
        if (
            isinstance(item, LockableMixin)
            and item.locked_by
            and not self.reviews(item, item.locked_by)
        ):
            item.locked, item.locked_by, item.locked_at = False, None, None
            item.save(update_fields=["locked", "locked_by", "locked_at"])
        return super().start(workflow_state, user=user)

    def user_can_access_editor(self, obj, user):
        return self.reviews(obj, user)

    def locked_for_user(self, obj, user):
        return not self.reviews(obj, user)

    def user_can_lock(self, obj, user):
        return self.reviews(obj, user)

    def user_can_unlock(self, obj, user):
        return False

    def get_actions(self, obj, user):
        if not self.reviews(obj, user):
            return []
        # An approver reads what the privacy check found before approving.
        checked = bool(privacy.findings_for(obj.get_latest_revision_as_object()))
        return [
            ("reject", "Request changes", True),
            ("approve", "Approve", checked),
            ("approve", "Approve with comment", True),
        ]

    def get_template_for_action(self, action):
        return "hub/admin/review_action_modal.html" if action == "approve" else ""

    def on_action(self, task_state, user, action_name, **kwargs):
        # The address names an item and a task state separately; act only on the
        # state's own item, and only for one of its reviewers.
        if not self.reviews(task_state.workflow_state.content_object, user):
            raise PermissionDenied
        return super().on_action(task_state, user, action_name, **kwargs)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
        if not user.is_active:
            return states.none()
        if user.is_superuser:
            return states
        if not self._in_groups(user):
            return states.none()
        page_type = ContentType.objects.get_for_model(Page)
        open_ids = open_pages(user, Page.objects.all()).annotate(key=Cast("pk", models.CharField()))
        return states.filter(
            ~models.Q(workflow_state__base_content_type=page_type)
            | models.Q(workflow_state__object_id__in=open_ids.values("key"))
        )

    @classmethod
    def get_description(cls):
        return "Members of the chosen groups approve, each only what they may read"


class RecordLogEntryManager(ModelLogEntryManager):
    def viewable_by_user(self, user):
        """Entries of models ``user`` has a permission on, of records whose audience admits them.

        Wagtail's own rule caches the models on the person, shared with its other
        logs; this works them out afresh.
        """
        if user.is_superuser:
            return self.all()
        shown = models.Q(pk__in=[])
        kinds = self.order_by().values_list("content_type", flat=True).distinct()
        for kind in map(ContentType.objects.get_for_id, kinds):
            model = kind.model_class()
            if model is None or not _has_a_permission_on(user, kind):
                continue
            seen = visible_to(user, model._default_manager.all()).annotate(
                key=Cast("pk", models.CharField())
            )
            shown |= models.Q(content_type=kind, object_id__in=seen.values("key"))
        return self.filter(shown)


def _has_a_permission_on(user, kind: ContentType) -> bool:
    codenames = Permission.objects.filter(content_type=kind).values_list("codename", flat=True)
    return any(user.has_perm(f"{kind.app_label}.{codename}") for codename in codenames)


class RecordLogEntry(BaseLogEntry):
    """The admin's log of changes to records with an audience, shown only to that audience.

    Wagtail's own log of other models shows every entry to anyone with a
    permission on the model, which would name records (an action of a
    members-only panel) in the site history.
    """

    object_id = models.CharField(max_length=255, db_index=True)

    objects = RecordLogEntryManager()

    class Meta(BaseLogEntry.Meta):
        ordering = ["-timestamp", "-id"]
        verbose_name = "record log entry"


class Withdrawal(models.Model):
    """A published page taken down with the reason readers who may see it are told."""

    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="withdrawals")
    # As published: a draft saved since may have changed the page's own title.
    title = models.CharField(max_length=255)
    reason = models.TextField()
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-withdrawn_at", "-pk"]
        get_latest_by = "withdrawn_at"

    def __str__(self):
        return f"{self.title} withdrawn on {self.withdrawn_at:%-d %B %Y}"


class Agency(models.Model):
    """An organisation of the partnership that people work for: the council, police, health."""

    name = models.CharField(max_length=200, unique=True)

    panels = [FieldPanel("name")]

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self):
        return self.name


class Profile(models.Model):
    """What the Hub knows of a person beyond their sign-in: the agency they work for."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.SET_NULL, null=True, blank=True, related_name="profiles"
    )

    def __str__(self):
        return f"{self.user}: {self.agency or 'no agency recorded'}"


class Frequency(models.TextChoices):
    IMMEDIATELY = "immediately", "Straight away"
    DAILY = "daily", "In a daily digest"
    WEEKLY = "weekly", "In a weekly digest"


class Subscription(models.Model):
    """A reader's wish to hear of what is published in a page: a policy, a panel or the library."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions"
    )
    page = models.ForeignKey(Page, on_delete=models.CASCADE, related_name="+")
    frequency = models.CharField(
        max_length=12, choices=Frequency.choices, default=Frequency.IMMEDIATELY
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["page__title", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "page"], name="unique_subscription"),
        ]

    def __str__(self):
        return f"{self.user} follows {self.page}"


class NoticeStatus(models.TextChoices):
    HELD = "held", "Held for a digest"
    QUEUED = "queued", "Waiting to be sent"
    RETRYING = "retrying", "Waiting to be tried again"
    SENT = "sent", "Sent"
    IN_DIGEST = "in_digest", "Sent in a digest"
    FAILED = "failed", "Could not be sent"
    WITHHELD = "withheld", "Not sent: no longer in its audience"


class NoticeQuerySet(models.QuerySet):
    def readable_by(self, user):
        """Notices about what ``user`` may read; a digest only if they may read all it holds."""
        if user.is_superuser:
            return self
        about_readable = models.Q(pk__in=[])
        kinds = Notice.objects.exclude(about_type=None).order_by().values_list("about_type")
        for (type_id,) in kinds.distinct():
            model = ContentType.objects.get_for_id(type_id).model_class()
            readable = visible_to(user, model._default_manager.all()).values("pk")
            about_readable |= models.Q(about_type_id=type_id, about_id__in=readable)
        hidden_items = Notice.objects.filter(digest=models.OuterRef("pk")).exclude(about_readable)
        return self.filter(
            about_readable | (models.Q(about_type=None) & ~models.Exists(hidden_items))
        )

    def due(self, now=None):
        """Notices to send now: waiting, or waiting to be tried again and their time has come."""
        now = now or timezone.now()
        return self.filter(
            models.Q(status=NoticeStatus.QUEUED)
            | models.Q(status=NoticeStatus.RETRYING, next_attempt_at__lte=now)
        )


class Notice(models.Model):
    """One email to one person about one thing, kept as the record of what was sent."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices"
    )
    address = models.EmailField()
    kind = models.CharField(max_length=40)
    # What the notice is about and when; a person is sent each key once.
    key = models.CharField(max_length=200)
    # What the unsubscribe link stops: "subscription:<id>" or "kind:<kind>".
    topic = models.CharField(max_length=100)
    subject = models.CharField(max_length=300)
    url = models.URLField("link", max_length=500, blank=True)
    text = models.TextField()
    html = models.TextField()
    calendar = models.TextField(blank=True, help_text="An iCalendar invitation sent with it.")
    about_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    about_id = models.PositiveIntegerField(null=True, blank=True)
    frequency = models.CharField(
        max_length=12, choices=Frequency.choices, default=Frequency.IMMEDIATELY
    )
    status = models.CharField(max_length=10, choices=NoticeStatus.choices)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    digest = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="items"
    )
    resent_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="resends"
    )
    resent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = NoticeQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "key"], name="unique_notice"),
        ]
        permissions = [("resend_notice", "Can send an email again")]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["status", "frequency", "recipient"]),
            models.Index(fields=["about_type", "about_id"]),
        ]

    def __str__(self):
        return f"{self.subject} to {self.address}"


class MutedKind(models.Model):
    """A kind of reminder someone has asked not to be sent."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="muted_kinds"
    )
    kind = models.CharField(max_length=40)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="unique_muted_kind")]

    def __str__(self):
        return f"{self.user} does not want {self.kind}"
