"""The policy library: policies as pages, their published versions and who has read them."""

import datetime

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from hub import document_text
from hub.admin_access import GuardedPageMixin
from hub.audiences import Audience
from hub.editor_panels import PrivacyCheckPanel, PublishReachPanel
from hub.kept_files import attached
from hub.lazy import imported_later
from hub.models import AudienceMixin, KeptFile
from hub.privacy import Passage
from policies.blocks import PolicyBodyBlock
from policies.diff import body_lines
from policies.forms import PolicyPageForm

# The views behind the routes, which import these models.
views = imported_later("policies.views")


class PolicyKind(models.TextChoices):
    THRESHOLD = "threshold", "Threshold document"
    PROTOCOL = "protocol", "Protocol"
    FRAMEWORK = "framework", "Framework"
    PROCEDURE = "procedure", "Procedure"
    GUIDANCE = "guidance", "Guidance"
    TERMS = "terms", "Terms of reference"


class PolicyPageQuerySet(PageQuerySet):
    def due_for_review(self, *, within_days: int = 30, today: datetime.date | None = None):
        today = today or timezone.localdate()
        return self.filter(next_review_date__lte=today + datetime.timedelta(days=within_days))

    def overdue(self, *, today: datetime.date | None = None):
        return self.filter(next_review_date__lt=today or timezone.localdate())


class PolicyIndexPage(GuardedPageMixin, RoutablePageMixin, Page):
    """The policy library: every policy, filterable, with a feed of new versions."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link"])

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["hub.HomePage"]
    subpage_types = ["policies.PolicyPage"]
    # Readers may follow it by email (``hub.notices``).
    accepts_subscriptions = True
    max_count = 1

    class Meta:
        verbose_name = "policy library"

    @path("")
    def index(self, request):
        return views.policy_index(request, self)

    @path("feed/")
    def feed(self, request):
        return views.public_feed(request, self)

    @path("feed/reset/")
    def feed_reset(self, request):
        return views.reset_feed(request, self)

    @path("feed/<str:key>/")
    def private_feed(self, request, key):
        return views.private_feed(request, self, key)


class PolicyPage(GuardedPageMixin, AudienceMixin, RoutablePageMixin, Page):
    """A policy, procedure or protocol; each publish records a numbered version."""

    kind = models.CharField(max_length=20, choices=PolicyKind.choices)
    summary = models.TextField(help_text="One or two sentences: what this policy is for.")
    body = StreamField(PolicyBodyBlock(), blank=True)
    policy_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_policies",
        help_text="The person accountable for this policy and its reviews.",
    )
    approver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="approved_policies",
        help_text="The person who signs off new versions.",
    )
    requires_acknowledgement = models.BooleanField(
        default=False,
        help_text="Readers in the audience must confirm they have read each new version.",
    )
    review_interval_months = models.PositiveSmallIntegerField(
        default=12, validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    review_by = models.DateField(
        null=True,
        blank=True,
        help_text="Only to review sooner than the usual interval after this version takes effect.",
    )
    next_review_date = models.DateField(
        null=True, blank=True, editable=False, help_text="Set when a version is published."
    )
    effective_from = models.DateField(
        null=True,
        blank=True,
        help_text="When this version takes effect. Leave blank for the day it is published.",
    )
    amendment_note = models.TextField(
        blank=True,
        help_text="What changed in this version and why. Required to publish.",
    )
    milestones = ParentalManyToManyField(
        "improvement.Milestone",
        blank=True,
        related_name="policies",
        help_text="The improvement plan milestones this policy serves.",
    )

    objects = PageManager.from_queryset(PolicyPageQuerySet)()

    content_panels = [
        PrivacyCheckPanel(),
        *Page.content_panels,
        FieldRowPanel([FieldPanel("kind"), FieldPanel("requires_acknowledgement")]),
        FieldPanel("summary"),
        FieldPanel("body"),
        InlinePanel("related_policies", label="Related policies"),
        FieldPanel("milestones", widget=forms.CheckboxSelectMultiple),
    ]
    governance_panels = [
        MultiFieldPanel(
            [FieldPanel("policy_owner"), FieldPanel("approver")], heading="Accountability"
        ),
        MultiFieldPanel(
            [FieldPanel("audience"), FieldPanel("audience_group")], heading="Who may read it"
        ),
        MultiFieldPanel(
            [FieldPanel("review_interval_months"), FieldPanel("review_by")], heading="Review"
        ),
        MultiFieldPanel(
            [
                FieldPanel("effective_from"),
                FieldPanel("amendment_note"),
                PublishReachPanel(heading="Who publishing will email"),
            ],
            heading="This version",
        ),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading="Content"),
            ObjectList(governance_panels, heading="Governance"),
            ObjectList(Page.promote_panels, heading="Promote"),
            ObjectList(Page.settings_panels, heading="Settings"),
        ]
    )
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("kind"),
    ]

    parent_page_types = ["policies.PolicyIndexPage"]
    subpage_types: list[str] = []
    # Readers may follow it by email (``hub.notices``).
    accepts_subscriptions = True
    base_form_class = PolicyPageForm

    class Meta:
        verbose_name = "policy"

    def shared_passages(self) -> list[Passage]:
        """What its readers will see, for the privacy check; nothing when one panel reads it."""
        if self.audience == Audience.PANEL:
            return []
        passages = [
            Passage("the summary", self.summary),
            Passage("the body", "\n".join(body_lines(self))),
            Passage("what changed in this version", self.amendment_note),
        ]
        return passages + document_text.passages_of(
            self.attached_documents(), called="the attached file"
        )

    def attached_documents(self) -> list:
        """(title, document) of each file the body attaches, whose text is read for search
        and the privacy check."""
        return attached(self.body, "document")

    def unchecked_files(self) -> list:
        return document_text.unchecked_of(self.attached_documents(), called="the attached file")

    @path("")
    def current(self, request):
        return views.current(request, self)

    @path("versions/")
    def version_list(self, request):
        return views.version_list(request, self)

    @path("versions/compare/")
    def compare_choice(self, request):
        return views.compare_choice(request, self)

    # Before the comparison of two numbers, whose address would otherwise take "dates".
    @path("versions/compare/dates/")
    def compare_dates(self, request):
        return views.compare_dates(request, self)

    @path("versions/compare/<str:spec>/")
    def compare(self, request, spec):
        return views.compare(request, self, spec)

    @path("versions/<int:number>/")
    def version(self, request, number):
        return views.version_detail(request, self, number)

    @path("versions/<int:number>/attachments/<int:attachment_id>/")
    def attachment(self, request, number, attachment_id):
        return views.attachment(request, self, number, attachment_id)

    @path("acknowledge/")
    def acknowledge(self, request):
        return views.acknowledge(request, self)

    @path("acknowledgements/")
    def acknowledgements(self, request):
        return views.acknowledgements(request, self)

    @path("acknowledgements/csv/")
    def acknowledgements_csv(self, request):
        return views.acknowledgements(request, self, export=True)


class PolicyRelation(Orderable):
    """A link from one policy to another that readers should know about."""

    page = ParentalKey(PolicyPage, on_delete=models.CASCADE, related_name="related_policies")
    related = models.ForeignKey(PolicyPage, on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("related")]


class PolicyVersion(models.Model):
    """One published version of a policy: its number, revision, note and dates."""

    page = models.ForeignKey(PolicyPage, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    revision = models.ForeignKey(
        "wagtailcore.Revision", on_delete=models.PROTECT, related_name="policy_versions"
    )
    title = models.CharField(max_length=255)
    amendment_note = models.TextField()
    effective_from = models.DateField()
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    review_due = models.DateField()

    class Meta:
        ordering = ["page", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["page", "number"], name="unique_policy_version_number")
        ]
        indexes = [models.Index(fields=["page", "effective_from"])]

    def __str__(self):
        return f"{self.title}, version {self.number}"


class VersionAttachment(KeptFile):
    """A document as a version published it."""

    version = models.ForeignKey(PolicyVersion, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to="policy-versions/")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["version", "document"], name="unique_attachment_per_version"
            )
        ]


class Acknowledgement(models.Model):
    """A reader's confirmation that they have read one version of a policy."""

    version = models.ForeignKey(
        PolicyVersion, on_delete=models.CASCADE, related_name="acknowledgements"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="policy_acknowledgements"
    )
    acknowledged_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["version", "user"], name="unique_acknowledgement")
        ]

    def __str__(self):
        return f"{self.user} read {self.version}"
