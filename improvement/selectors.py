"""Reads across the plan: progress, timeline, focus areas and evidence, within audiences."""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from hub.audiences import visible_to
from improvement.models import FocusArea, ImprovementPlanPage, Milestone
from improvement.progress import ActionState, Progress, Rag, derive_status
from panels import selectors as panel_selectors
from policies import selectors as policy_selectors

STATUS_ORDER = [Rag.RED, Rag.AMBER, Rag.GREEN, Rag.COMPLETE]


@dataclass(frozen=True)
class MilestoneRow:
    """A milestone with its status and the reason for it."""

    milestone: Milestone
    progress: Progress

    @property
    def is_overdue(self) -> bool:
        return self.progress.status == Rag.RED


@dataclass
class FocusAreaProgress:
    """How one focus area's milestones stand."""

    focus_area: FocusArea
    counts: Counter = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def complete(self) -> int:
        return self.counts[Rag.COMPLETE]

    def count(self, status: str) -> int:
        return self.counts[status]


def visible_milestones(*, plan: ImprovementPlanPage, user) -> QuerySet:
    return visible_to(user, plan.milestones.select_related("focus_area", "owner"))


def action_states(milestone_ids: list[int]) -> dict[int, list[ActionState]]:
    """The linked actions' states for each milestone."""
    return {
        milestone_id: [ActionState(is_open=is_open, due_on=due_on) for is_open, due_on in states]
        for milestone_id, states in panel_selectors.action_states_by_milestone(
            milestone_ids
        ).items()
    }


def milestone_rows(milestones, *, plan: ImprovementPlanPage, today=None) -> list[MilestoneRow]:
    """Each milestone with its progress: overridden where a manager said so, else derived."""
    today = today or timezone.localdate()
    milestones = list(milestones)
    states = action_states([milestone.pk for milestone in milestones])
    return [
        MilestoneRow(milestone, progress_of(milestone, states.get(milestone.pk, []), plan, today))
        for milestone in milestones
    ]


def progress_of(milestone: Milestone, actions, plan: ImprovementPlanPage, today) -> Progress:
    if milestone.status_override:
        return Progress(Rag(milestone.status_override), milestone.override_reason, overridden=True)
    return derive_status(
        due_on=milestone.due_on,
        marked_done=milestone.done_on is not None,
        actions=actions,
        today=today,
        amber_window_days=plan.amber_window_days,
    )


def overdue_first(rows: list[MilestoneRow]) -> list[MilestoneRow]:
    return sorted(
        rows, key=lambda row: (STATUS_ORDER.index(row.progress.status), row.milestone.due_on)
    )


def focus_area_progress(
    plan: ImprovementPlanPage, rows: list[MilestoneRow]
) -> list[FocusAreaProgress]:
    areas = {area.pk: FocusAreaProgress(area) for area in plan.focus_areas.all()}
    for row in rows:
        areas[row.milestone.focus_area_id].counts[row.progress.status] += 1
    return list(areas.values())


def months_between(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def timeline(
    plan: ImprovementPlanPage, rows: list[MilestoneRow]
) -> list[tuple[datetime.date, list]]:
    """The plan's months, each with the milestones due in it."""
    by_month = defaultdict(list)
    for row in rows:
        by_month[row.milestone.due_on.replace(day=1)].append(row)
    last = max([plan.ends_on, *by_month]) if by_month else plan.ends_on
    first = min([plan.starts_on, *by_month]) if by_month else plan.starts_on
    return [(month, by_month.get(month, [])) for month in months_between(first, last)]


def linked_policies(milestones, *, user) -> QuerySet:
    """Live policies ``user`` may read that serve any of ``milestones``."""
    return (
        policy_selectors.visible_policies(user=user)
        .filter(milestones__in=milestones)
        .distinct()
        .order_by("title")
    )


def visible_risks(*, plan: ImprovementPlanPage, user) -> QuerySet:
    return visible_to(user, plan.risks_register.select_related("owner"))


@dataclass(frozen=True)
class EvidenceRow:
    """One line of an evidence pack: what it is, its title, status and where to read it."""

    kind: str
    title: str
    reference: str
    status: str
    date: datetime.date | None
    url: str
    milestone: str


def evidence_pack(*, plan: ImprovementPlanPage, user, on: datetime.date, focus_area=None):
    """The milestones of ``focus_area`` (or all) and the evidence in place on ``on``."""
    milestones = visible_milestones(plan=plan, user=user)
    if focus_area is not None:
        milestones = milestones.filter(focus_area=focus_area)
    rows = milestone_rows(milestones, plan=plan, today=on)
    chosen = [row.milestone for row in rows]
    evidence = [
        *_policy_evidence(chosen, user=user, on=on),
        *_decision_evidence(chosen, user=user, on=on),
        *_action_evidence(chosen, user=user, on=on),
    ]
    return rows, evidence


def _serves(item, chosen_ids) -> str:
    return "; ".join(str(m) for m in item.milestones.all() if m.pk in chosen_ids)


def _policy_evidence(milestones, *, user, on) -> list[EvidenceRow]:
    chosen = {milestone.pk for milestone in milestones}
    versions = policy_selectors.versions_in_force(linked_policies(milestones, user=user), on=on)
    return [
        EvidenceRow(
            kind="Policy version",
            title=version.title,
            reference=f"Version {version.number}",
            status=f"In force from {version.effective_from:%-d %B %Y}",
            date=version.effective_from,
            url=f"{version.page.url}versions/{version.number}/",
            milestone=_serves(version.page, chosen),
        )
        for version in versions
    ]


def _decision_evidence(milestones, *, user, on) -> list[EvidenceRow]:
    chosen = {milestone.pk for milestone in milestones}
    decisions = (
        panel_selectors.decisions_serving(milestones, user=user)
        .filter(meeting__starts_at__date__lte=on)
        .prefetch_related("milestones")
    )
    return [
        EvidenceRow(
            kind="Decision",
            title=decision.title,
            reference=decision.reference,
            status=f"{decision.get_outcome_display()}, minuted at {decision.meeting.title}",
            date=timezone.localtime(decision.meeting.starts_at).date(),
            url=decision.meeting.url,
            milestone=_serves(decision, chosen),
        )
        for decision in decisions
    ]


def _action_evidence(milestones, *, user, on) -> list[EvidenceRow]:
    chosen = {milestone.pk for milestone in milestones}
    actions = list(
        panel_selectors.actions_serving(milestones, user=user)
        .filter(raised_on__lte=on)
        .prefetch_related("milestones")
        .order_by("raised_on", "reference")
    )
    states = panel_selectors.action_states_on(actions, on=on)
    return [
        EvidenceRow(
            kind="Action",
            title=action.description,
            reference=action.reference,
            status=f"{states.get(action.pk, action.get_status_display())} on {on:%-d %B %Y}",
            date=action.raised_on,
            url=reverse("panels:action_detail", args=[action.pk]),
            milestone=_serves(action, chosen),
        )
        for action in actions
    ]


def milestone_evidence(milestone: Milestone, *, user) -> dict:
    """Everything that evidences ``milestone`` that ``user`` may see."""
    return {
        "policies": linked_policies([milestone], user=user),
        "decisions": panel_selectors.decisions_serving([milestone], user=user),
        "actions": panel_selectors.actions_serving([milestone], user=user).order_by("due_on"),
    }


def action_activity(plan: ImprovementPlanPage, *, user) -> dict[str, dict[str, int]]:
    """Actions opened and closed in each month of the plan."""
    counts = panel_selectors.action_counts_by_month(
        user=user, start=plan.starts_on, end=plan.ends_on
    )
    return {
        f"{month:%b %y}": counts.get(month, {})
        for month in months_between(plan.starts_on, plan.ends_on)
    }
