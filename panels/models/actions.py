"""Actions: records of their own that outlive the meeting that raised them, with history."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from hub.models import AudienceMixin, RecordedAt


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "Cancelled"


class ActionPriority(models.TextChoices):
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


OPEN_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


class ActionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today: datetime.date | None = None):
        """Open actions past their due date; overdue is derived, never stored."""
        return self.open().filter(due_on__lt=today or timezone.localdate())

    def for_panel(self, panel):
        return self.filter(panel=panel)

    def owned_by(self, user):
        return self.filter(owner=user)


class Action(AudienceMixin, models.Model):
    """Something a panel asked someone to do, followed from meeting to meeting until done."""

    reference = models.CharField(max_length=40, unique=True)
    description = models.TextField()
    owner_name = models.CharField("owner", max_length=200)
    owner_agency = models.CharField("agency", max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="panel_actions",
        db_index=False,  # the owner, status and due date index leads with it
        verbose_name="owner's sign-in",
        help_text="Empty for a member without a sign-in, who is reminded by the secretary.",
    )
    raised_on = models.DateField()
    due_on = models.DateField("due date")
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    priority = models.CharField(
        max_length=10, choices=ActionPriority.choices, default=ActionPriority.MEDIUM
    )
    progress = models.TextField(blank=True, help_text="The latest progress reported.")
    completed_on = models.DateField(null=True, blank=True)
    panel = models.ForeignKey("panels.PanelPage", on_delete=models.PROTECT, related_name="actions")
    meeting = models.ForeignKey(
        "panels.MeetingPage", on_delete=models.PROTECT, related_name="actions_raised"
    )
    decision_reference = models.CharField(
        max_length=40, blank=True, help_text="The reference of the decision this action serves."
    )
    agenda_item = models.CharField(
        max_length=255, blank=True, help_text="The agenda item the action was raised under."
    )
    milestones = models.ManyToManyField(
        "improvement.Milestone",
        blank=True,
        related_name="actions",
        help_text="The improvement plan milestones this action serves.",
    )

    # The milestones an action serves are part of what its history keeps. A change
    # recorded at a meeting is dated by the meeting; ``recorded_at`` keeps when it was typed.
    history = HistoricalRecords(
        m2m_fields=[milestones],
        bases=[RecordedAt],
        history_change_reason_field=models.TextField(null=True),
    )
    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "reference"]
        # The log reads every action in date order a page at a time; a person's and a
        # panel's lists read only their open actions, however many are closed.
        indexes = [
            models.Index(fields=["status", "due_on"]),
            models.Index(fields=["due_on", "reference"]),
            models.Index(fields=["owner", "status", "due_on"]),
            models.Index(fields=["panel", "status", "due_on"]),
        ]

    def __str__(self):
        return f"{self.reference}: {self.description[:60]}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_on < timezone.localdate()

    @property
    def state_label(self) -> str:
        """The status in words, with "overdue" added when it is."""
        label = self.get_status_display()
        return f"{label} (overdue)" if self.is_overdue else label


class ActionReview(models.Model):
    """An open action brought to a later meeting as a matter arising, and what was reported."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="reviews")
    meeting = models.ForeignKey(
        "panels.MeetingPage", on_delete=models.CASCADE, related_name="action_reviews"
    )
    progress = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["action__due_on", "action__reference"]
        constraints = [
            models.UniqueConstraint(fields=["action", "meeting"], name="one_review_per_meeting")
        ]

    def __str__(self):
        return f"{self.action.reference} at {self.meeting}"
