"""The improvement plan: focus areas, milestones and risks, each change kept in history."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from simple_history.models import HistoricalRecords
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

from hub.admin_access import GuardedPageMixin
from hub.lazy import imported_later
from hub.models import AudienceMixin, RecordedAt
from improvement.progress import DEFAULT_AMBER_WINDOW_DAYS, Rag

# The views behind the routes, which import these models.
views = imported_later("improvement.views")


class ImprovementPlanPage(GuardedPageMixin, RoutablePageMixin, Page):
    """The improvement plan: where it stands, its timeline, risks and evidence packs."""

    intro = RichTextField(blank=True, features=["bold", "italic", "link", "ul"])
    starts_on = models.DateField()
    ends_on = models.DateField()
    amber_window_days = models.PositiveSmallIntegerField(
        default=DEFAULT_AMBER_WINDOW_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(180)],
        help_text="A milestone with open actions turns amber this many days before it is due.",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
        FieldPanel("amber_window_days"),
    ]

    parent_page_types = ["hub.HomePage"]
    subpage_types: list[str] = []
    max_count = 1

    class Meta:
        verbose_name = "improvement plan"

    def clean(self):
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The plan must end after it starts."})

    @path("")
    def overview(self, request):
        return views.plan(request, self)

    @path("milestones/<int:milestone_id>/")
    def milestone(self, request, milestone_id):
        return views.milestone(request, self, milestone_id)

    @path("milestones/<int:milestone_id>/override/")
    def override(self, request, milestone_id):
        return views.override(request, self, milestone_id)

    @path("risks/")
    def risks(self, request):
        return views.risks(request, self)

    @path("risks/<int:risk_id>/")
    def risk(self, request, risk_id):
        return views.risk(request, self, risk_id)

    @path("inspections/<int:inspection_id>/")
    def inspection(self, request, inspection_id):
        return views.inspection(request, self, inspection_id)

    @path("evidence/")
    def evidence(self, request):
        return views.evidence(request, self)

    @path("evidence/csv/")
    def evidence_csv(self, request):
        return views.evidence(request, self, export=True)


class Judgement(models.TextChoices):
    OUTSTANDING = "outstanding", "Outstanding"
    GOOD = "good", "Good"
    ADEQUATE = "adequate", "Adequate"
    REQUIRES_IMPROVEMENT = "requires_improvement", "Requires improvement"
    INADEQUATE = "inadequate", "Inadequate"


class Inspection(ClusterableModel):
    """An inspection the plan answers: who inspected, when, what they found and judged."""

    plan = models.ForeignKey(
        ImprovementPlanPage, on_delete=models.CASCADE, related_name="inspections"
    )
    title = models.CharField(max_length=255)
    inspectorate = models.CharField(max_length=100, default="Ofsted")
    started_on = models.DateField()
    ended_on = models.DateField()
    published_on = models.DateField(
        null=True,
        blank=True,
        help_text="When the inspectorate published its report. Leave empty until then: "
        "readers see the inspection only once its report is published.",
    )
    summary = models.TextField(help_text="What the inspectors found, in a few sentences.")
    report_url = models.URLField(blank=True, help_text="Where the published report can be read.")

    panels = [
        FieldPanel("plan"),
        FieldPanel("title"),
        FieldPanel("inspectorate"),
        FieldRowPanel(
            [FieldPanel("started_on"), FieldPanel("ended_on"), FieldPanel("published_on")]
        ),
        FieldPanel("summary"),
        FieldPanel("report_url"),
        InlinePanel("judgements", heading="Judgements", label="judgement"),
    ]

    class Meta:
        ordering = ["-started_on"]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        errors = {}
        if self.started_on and self.ended_on and self.ended_on < self.started_on:
            errors["ended_on"] = "An inspection cannot end before it starts."
        if self.ended_on and self.published_on and self.published_on < self.ended_on:
            errors["published_on"] = "The report cannot be published before the inspection ends."
        elif self.published_on and self.published_on > datetime.date.today():
            errors["published_on"] = (
                "Enter the publication date once the report is published; until then "
                "leave it empty."
            )
        if errors:
            raise ValidationError(errors)


class InspectionJudgement(Orderable):
    """One heading the inspectors judged, and their judgement."""

    inspection = ParentalKey(Inspection, on_delete=models.CASCADE, related_name="judgements")
    heading = models.CharField(max_length=255)
    judgement = models.CharField(max_length=20, choices=Judgement.choices)

    panels = [FieldRowPanel([FieldPanel("heading"), FieldPanel("judgement")])]

    def __str__(self):
        return f"{self.heading}: {self.get_judgement_display()}"


class FocusArea(models.Model):
    """One of the plan's areas of particular focus."""

    plan = models.ForeignKey(
        ImprovementPlanPage, on_delete=models.CASCADE, related_name="focus_areas"
    )
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    panels = [
        FieldPanel("plan"),
        FieldPanel("title"),
        FieldPanel("description"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        ordering = ["sort_order", "title"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "title"], name="unique_focus_area_per_plan")
        ]

    def __str__(self):
        return self.title


class RagOverride(models.TextChoices):
    COMPLETE = Rag.COMPLETE, Rag.COMPLETE.label
    RED = Rag.RED, Rag.RED.label
    AMBER = Rag.AMBER, Rag.AMBER.label
    GREEN = Rag.GREEN, Rag.GREEN.label


class Milestone(AudienceMixin, models.Model):
    """A step of the plan with a due date; its status is derived unless a manager overrides it."""

    plan = models.ForeignKey(
        ImprovementPlanPage, on_delete=models.CASCADE, related_name="milestones"
    )
    focus_area = models.ForeignKey(FocusArea, on_delete=models.PROTECT, related_name="milestones")
    title = models.CharField(max_length=255)
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_milestones"
    )
    due_on = models.DateField()
    period = models.CharField(
        max_length=60, blank=True, help_text="As the plan words it, e.g. January–February 2015."
    )
    done_on = models.DateField(null=True, blank=True, help_text="When it was marked done.")
    status_override = models.CharField(
        max_length=10, choices=RagOverride.choices, blank=True, editable=False
    )
    override_reason = models.TextField(blank=True, editable=False)
    # An override's reason is kept whole in the entry's change reason, however long.
    history = HistoricalRecords(
        excluded_fields=["plan"], history_change_reason_field=models.TextField(null=True)
    )

    panels = [
        FieldPanel("plan"),
        FieldPanel("focus_area"),
        FieldPanel("title"),
        FieldPanel("description"),
        FieldPanel("owner"),
        FieldRowPanel([FieldPanel("due_on"), FieldPanel("period")]),
        FieldPanel("done_on"),
        MultiFieldPanel(
            [FieldPanel("audience"), FieldPanel("audience_group")], heading="Who may see it"
        ),
    ]

    class Meta:
        ordering = ["due_on", "title"]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        errors = {}
        if self.plan_id and self.due_on and self.due_on < self.plan.starts_on:
            errors["due_on"] = (
                f"The plan starts on {self.plan.starts_on:%-d %B %Y}; "
                "a milestone cannot be due before it."
            )
        if self.focus_area_id and self.plan_id and self.focus_area.plan_id != self.plan_id:
            errors["focus_area"] = "Choose a focus area of this milestone's plan."
        if self.done_on and self.done_on > datetime.date.today():
            errors["done_on"] = "A milestone cannot be marked done in the future."
        if errors:
            raise ValidationError(errors)


class RiskLevel(models.IntegerChoices):
    LOW = 1, "Low"
    MEDIUM = 2, "Medium"
    HIGH = 3, "High"


class Risk(AudienceMixin, models.Model):
    """A risk to the plan, how likely and how serious it is, and what is done about it."""

    plan = models.ForeignKey(
        ImprovementPlanPage, on_delete=models.CASCADE, related_name="risks_register"
    )
    title = models.CharField(max_length=200)
    description = models.TextField()
    impact = models.PositiveSmallIntegerField(choices=RiskLevel.choices)
    likelihood = models.PositiveSmallIntegerField(choices=RiskLevel.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_risks"
    )
    mitigation = models.TextField()
    review_on = models.DateField()
    closed = models.BooleanField(default=False)
    # A change of rating is dated by the day it took effect; ``recorded_at`` keeps when it
    # was typed. Its reason, kept whole however long, is the entry's change reason.
    history = HistoricalRecords(
        excluded_fields=["plan"],
        bases=[RecordedAt],
        history_change_reason_field=models.TextField(null=True),
    )

    panels = [
        FieldPanel("plan"),
        FieldPanel("title"),
        FieldPanel("description"),
        FieldRowPanel([FieldPanel("impact"), FieldPanel("likelihood")]),
        FieldPanel("owner"),
        FieldPanel("mitigation"),
        FieldRowPanel([FieldPanel("review_on"), FieldPanel("closed")]),
        MultiFieldPanel(
            [FieldPanel("audience"), FieldPanel("audience_group")], heading="Who may see it"
        ),
    ]

    class Meta:
        ordering = ["-impact", "-likelihood", "title"]

    def __str__(self):
        return self.title

    @property
    def score(self) -> int:
        return self.impact * self.likelihood
