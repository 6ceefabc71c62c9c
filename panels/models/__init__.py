"""Panels, their meetings, decisions and the actions that follow from them."""

from panels.models.actions import Action, ActionPriority, ActionQuerySet, ActionReview, ActionStatus
from panels.models.meetings import (
    Attendance,
    Capacity,
    Decision,
    DecisionOutcome,
    MeetingAttendee,
    MeetingPage,
    MeetingPaper,
    MeetingStatus,
)
from panels.models.panels import (
    MeetingFrequency,
    MembershipRole,
    PanelIndexPage,
    PanelMembership,
    PanelPage,
)

__all__ = [
    "Action",
    "ActionPriority",
    "ActionQuerySet",
    "ActionReview",
    "ActionStatus",
    "Attendance",
    "Capacity",
    "Decision",
    "DecisionOutcome",
    "MeetingAttendee",
    "MeetingFrequency",
    "MeetingPage",
    "MeetingPaper",
    "MeetingStatus",
    "MembershipRole",
    "PanelIndexPage",
    "PanelMembership",
    "PanelPage",
]
