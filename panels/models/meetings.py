"""Meetings of a panel: attendance, minutes per agenda item, a confidential part, decisions."""

import re
from itertools import chain, count

from django import forms
from django.db import models
from django.shortcuts import render
from django.utils import timezone
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.models import BaseViewRestriction, Orderable, Page

from hub import document_text
from hub.admin_access import GuardedPageMixin
from hub.audiences import Audience
from hub.diff import rich_text_lines
from hub.editor_panels import PrivacyCheckPanel, PublishReachPanel
from hub.kept_files import attached
from hub.lazy import imported_later
from hub.models import KeptFile
from hub.privacy import Passage
from panels.forms import DecisionsPanel, MeetingPageForm

# Selectors and views read these models.
selectors = imported_later("panels.selectors")
views = imported_later("panels.views")


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class Capacity(models.TextChoices):
    MEMBER = "member", "Member"
    GUEST = "guest", "Guest"
    OFFICER = "officer", "Officer in attendance"


class Attendance(models.TextChoices):
    PRESENT = "present", "Present"
    APOLOGIES = "apologies", "Apologies"
    ABSENT = "absent", "Absent"


class DecisionOutcome(models.TextChoices):
    AGREED = "agreed", "Agreed"
    AGREED_WITH_CHANGES = "agreed_with_changes", "Agreed with changes"
    DEFERRED = "deferred", "Deferred"
    REFUSED = "refused", "Refused"


def plain_text(rich_text) -> str:
    return " ".join(rich_text_lines(rich_text.source)) if rich_text else ""


def date_slug(*, parent: Page, starts_at, meeting: Page | None = None) -> str:
    """``YYYY-MM-DD``, with ``-2``, ``-3``… for a second or third meeting that day."""
    base = f"{timezone.localtime(starts_at):%Y-%m-%d}"
    taken = set(
        Page.objects.child_of(parent)
        .filter(slug__startswith=base)
        .exclude(pk=getattr(meeting, "pk", None))
        .values_list("slug", flat=True)
    )
    current = getattr(meeting, "slug", "")
    if current not in taken and re.fullmatch(rf"{base}(-\d+)?", current):
        return current
    candidates = chain([base], (f"{base}-{n}" for n in count(2)))
    return next(slug for slug in candidates if slug not in taken)


class AgendaItemBlock(blocks.StructBlock):
    title = blocks.CharBlock(max_length=255)
    presenter = blocks.CharBlock(required=False, max_length=200)
    minutes = blocks.RichTextBlock(required=False, features=["bold", "italic", "link", "ol", "ul"])

    class Meta:
        icon = "list-ol"
        label = "Agenda item"


class PaperBlock(blocks.StructBlock):
    document = DocumentChooserBlock()
    title = blocks.CharBlock(required=False, help_text="Leave blank to use the document's title")

    class Meta:
        icon = "doc-full"
        label = "Paper"


class MeetingPage(GuardedPageMixin, RoutablePageMixin, Page):
    """One meeting of a panel: who came, what was discussed, what was decided."""

    starts_at = models.DateTimeField("date and time")
    ends_at = models.DateTimeField("finishes at", null=True, blank=True)
    place = models.CharField(max_length=255, blank=True)
    status = models.CharField(
        max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    declarations_of_interest = models.TextField(
        blank=True, help_text="Leave empty when none were declared."
    )
    agenda = StreamField([("item", AgendaItemBlock())], blank=True)
    papers = StreamField(
        [("paper", PaperBlock())],
        blank=True,
        help_text="Reports and papers for the meeting, read by whoever may read its minutes. "
        "Each is kept as the minutes published it.",
    )
    confidential_minutes = RichTextField(
        blank=True,
        features=["bold", "italic", "link", "ol", "ul"],
        help_text="Shown only to the panel's own members, whoever else may read the minutes.",
    )
    children_discussed = models.TextField(
        blank=True,
        help_text="The names of the children discussed, one a line. Only the panel's own "
        "members see them; the privacy check looks for them in the rest of the minutes.",
    )
    approves_minutes_of = models.ForeignKey(
        "panels.MeetingPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="minutes_approved_at",
        verbose_name="minutes approved at this meeting",
        help_text="The earlier meeting whose minutes this meeting agreed as a true record. "
        "They show it once these minutes are published.",
    )

    base_form_class = MeetingPageForm

    content_panels = [
        PrivacyCheckPanel(),
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
                FieldRowPanel([FieldPanel("place"), FieldPanel("status")]),
            ],
            heading="When and where",
        ),
        InlinePanel("attendees", heading="Attendance and apologies", label="person"),
        FieldPanel("declarations_of_interest"),
        FieldPanel("agenda"),
        FieldPanel("papers"),
        MultiFieldPanel(
            [FieldPanel("confidential_minutes"), FieldPanel("children_discussed")],
            heading="Confidential part",
        ),
        DecisionsPanel("decisions", heading="Decisions", label="decision"),
        FieldPanel("approves_minutes_of"),
        PublishReachPanel(heading="Who publishing will email"),
    ]

    parent_page_types = ["panels.PanelPage"]
    subpage_types = []

    class Meta:
        verbose_name = "meeting page"
        ordering = ["-starts_at"]
        # Calendars and a panel's year of meetings are windows of time.
        indexes = [models.Index(fields=["starts_at"])]

    @property
    def local_start(self):
        return timezone.localtime(self.starts_at)

    def full_clean(self, *args, **kwargs):
        # However a meeting is made (the editor, a copy, the demo), its address is its date.
        parent = self.get_parent() if self.path else None
        if self.starts_at and parent is not None:
            self.slug = date_slug(parent=parent, starts_at=self.starts_at, meeting=self)
        super().full_clean(*args, **kwargs)

    def get_default_privacy_setting(self, request):
        # A meeting is never public: it takes its panel's audience as soon as it exists
        # (``panels.services.restrict_meeting``). Saying so spares Wagtail asking whether the
        # panel is public, a condition per view restriction on the site, too deep for SQLite.
        return {"type": BaseViewRestriction.LOGIN}

    def shared_passages(self) -> list[Passage]:
        """What readers beyond the panel will see, for the privacy check; nothing when only
        the panel reads its minutes."""
        panel = self.get_parent().specific if self.path else None
        if panel is not None and panel.minutes_audience == Audience.PANEL:
            return []
        return self.minutes_passages()

    def minutes_passages(self) -> list[Passage]:
        """Everything of the minutes but the confidential part."""
        passages = [Passage("declarations of interest", self.declarations_of_interest)]
        for number, item in enumerate(self.agenda, start=1):
            where = f"agenda item {number}, “{item.value['title']}”"
            passages.append(Passage(where, item.value["title"]))
            passages.append(Passage(f"{where}: minutes", plain_text(item.value["minutes"])))
        for decision in self.decisions.all():
            where = f"decision {decision.reference or decision.title}"
            text = "\n".join([decision.title, decision.decision, decision.reasons])
            passages.append(Passage(where, text))
        passages += document_text.passages_of(self.attached_documents(), called="the paper")
        return passages

    def attached_documents(self) -> list:
        """(title, document) of each paper, whose text is read for search and the privacy check."""
        return attached(self.papers, "paper")

    def unchecked_files(self) -> list:
        return document_text.unchecked_of(self.attached_documents(), called="the paper")

    def children_named(self) -> list[str]:
        return [name.strip() for name in self.children_discussed.splitlines() if name.strip()]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.meeting_context(meeting=self, request=request))
        return context

    @path("papers/<int:paper_id>/", name="paper")
    def paper(self, request, paper_id):
        return views.paper(request, self, paper_id)

    @path("print/", name="print")
    def print_view(self, request):
        """The minutes laid out as the official record, with every action."""
        context = {"page": self, "self": self, "request": request}
        context.update(
            selectors.meeting_context(meeting=self, request=request, paginate_actions=False)
        )
        return render(request, "panels/meeting_print.html", context)


class MeetingPaper(KeptFile):
    """A paper as a publish of the minutes kept it, for the minutes in force to name."""

    meeting = models.ForeignKey(MeetingPage, on_delete=models.CASCADE, related_name="kept_papers")
    revision = models.ForeignKey("wagtailcore.Revision", on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to="meeting-papers/")

    class Meta:
        ordering = ["pk"]


class MeetingAttendee(Orderable):
    """Someone expected at a meeting: a member or a named guest, present or sending apologies."""

    meeting = ParentalKey(MeetingPage, on_delete=models.CASCADE, related_name="attendees")
    name = models.CharField(max_length=200)
    agency = models.CharField(max_length=200, blank=True)
    capacity = models.CharField(max_length=20, choices=Capacity.choices, default=Capacity.MEMBER)
    attendance = models.CharField(
        max_length=20, choices=Attendance.choices, default=Attendance.PRESENT
    )

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("agency")]),
        FieldRowPanel([FieldPanel("capacity"), FieldPanel("attendance")]),
    ]

    def __str__(self):
        return self.name


class Decision(ClusterableModel, Orderable):
    """A decision minuted at a meeting; versioned with the minutes as part of the page."""

    meeting = ParentalKey(MeetingPage, on_delete=models.CASCADE, related_name="decisions")
    reference = models.CharField(
        max_length=40,
        blank=True,
        help_text="Leave empty to have the next reference made, e.g. MASP/2015/01/D2.",
    )
    title = models.CharField(max_length=255)
    decision = models.TextField(help_text="What was decided, as it should be quoted.")
    reasons = models.TextField(blank=True)
    decision_maker = models.CharField(
        max_length=200, help_text="Who made the decision: the panel, the chair, a named manager."
    )
    outcome = models.CharField(
        max_length=30, choices=DecisionOutcome.choices, default=DecisionOutcome.AGREED
    )
    policy_versions = ParentalManyToManyField(
        "policies.PolicyVersion",
        blank=True,
        related_name="approving_decisions",
        help_text="The policy versions this decision approved.",
    )
    milestones = ParentalManyToManyField(
        "improvement.Milestone",
        blank=True,
        related_name="decisions",
        help_text="The improvement plan milestones this decision serves.",
    )

    panels = [
        FieldRowPanel([FieldPanel("reference"), FieldPanel("outcome")]),
        FieldPanel("title"),
        FieldPanel("decision"),
        FieldPanel("reasons"),
        FieldPanel("decision_maker"),
        FieldPanel("policy_versions"),
        FieldPanel("milestones", widget=forms.CheckboxSelectMultiple),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "decision"
        # Conditional, so a form with several new (not yet numbered) decisions is not
        # refused as duplicates; the numbering service refuses real clashes clearly.
        constraints = [
            models.UniqueConstraint(
                fields=["reference"],
                condition=~models.Q(reference=""),
                name="decision_reference_unique",
                violation_error_message=(
                    "This decision reference is already used by another meeting. Leave the "
                    "reference empty to have the next one made."
                ),
            )
        ]

    def __str__(self):
        return f"{self.reference} {self.title}".strip()
