"""Reads across the plan: progress, timeline, focus areas and evidence, within audiences."""

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from hub.audiences import may_see, visible_to
from hub.moments import end_of_day
from improvement.models import FocusArea, ImprovementPlanPage, Milestone, Risk
from improvement.progress import ActionState, Progress, Rag, derive_status
from panels import selectors as panel_selectors
from policies import selectors as policy_selectors

STATUS_ORDER = [Rag.RED, Rag.AMBER, Rag.GREEN, Rag.COMPLETE]


@dataclass(frozen=True)
class MilestoneRow:
    """A milestone with its status and due date on a day, and the reason for the status."""

    milestone: Milestone
    progress: Progress
    due_on: datetime.date

    @property
    def is_overdue(self) -> bool:
        return self.progress.status == Rag.RED


@dataclass(frozen=True)
class MilestoneState:
    """What a milestone's history records of it on a day."""

    due_on: datetime.date
    done_on: datetime.date | None
    status_override: str
    override_reason: str

    @classmethod
    def of(cls, milestone: Milestone) -> "MilestoneState":
        return cls(
            milestone.due_on,
            milestone.done_on,
            milestone.status_override,
            milestone.override_reason,
        )


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


def states_on(milestone_ids: list[int], *, on: datetime.date) -> dict[int, MilestoneState]:
    """Each milestone as recorded by the end of ``on``.

    A milestone first recorded after ``on`` (entered late) is taken as first
    recorded, without any override, which is always dated by when it was set.
    """
    records = Milestone.history.filter(id__in=milestone_ids).order_by("id", "history_date")
    fields = ("id", "history_date", "due_on", "done_on", "status_override", "override_reason")
    end = end_of_day(on)
    states: dict[int, MilestoneState] = {}
    for pk, recorded, due_on, done_on, override, reason in records.values_list(*fields):
        if recorded <= end:
            states[pk] = MilestoneState(due_on, done_on, override, reason)
        elif pk not in states:
            states[pk] = MilestoneState(due_on, done_on, "", "")
    return states


def statuses_on(milestones, *, plan: ImprovementPlanPage, on: datetime.date) -> dict[int, Progress]:
    """The status of each of ``milestones`` on ``on``, from its history and its actions'."""
    return {row.milestone.pk: row.progress for row in milestone_rows(milestones, plan=plan, on=on)}


def milestone_rows(
    milestones, *, plan: ImprovementPlanPage, on: datetime.date
) -> list[MilestoneRow]:
    """Each milestone with its status on ``on``: overridden where a manager had said so."""
    milestones = list(milestones)
    ids = [milestone.pk for milestone in milestones]
    recorded = states_on(ids, on=on)
    actions = panel_selectors.action_states_by_milestone(ids, on=on)
    rows = []
    for milestone in milestones:
        # Records written without history (bulk loads) are read as they stand.
        state = recorded.get(milestone.pk) or MilestoneState.of(milestone)
        progress = _progress(state, actions.get(milestone.pk, []), plan, on)
        rows.append(MilestoneRow(milestone, progress, state.due_on))
    return rows


def _progress(state: MilestoneState, actions, plan: ImprovementPlanPage, on) -> Progress:
    if state.status_override:
        return Progress(Rag(state.status_override), state.override_reason, overridden=True)
    return derive_status(
        due_on=state.due_on,
        marked_done=state.done_on is not None and state.done_on <= on,
        actions=[ActionState(is_open=is_open, due_on=due_on) for is_open, due_on in actions],
        today=on,
        amber_window_days=plan.amber_window_days,
    )


def overdue_first(rows: list[MilestoneRow]) -> list[MilestoneRow]:
    return sorted(rows, key=lambda row: (STATUS_ORDER.index(row.progress.status), row.due_on))


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
        by_month[row.due_on.replace(day=1)].append(row)
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


def inspections(*, plan: ImprovementPlanPage) -> QuerySet:
    """The inspections the plan answers whose reports are published, open to its readers.

    Findings are embargoed until the inspectorate publishes them, so an inspection
    without a publication date is for the admin only.
    """
    return plan.inspections.exclude(published_on=None).prefetch_related("judgements")


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
    focus_areas: str


def evidence_pack(*, plan: ImprovementPlanPage, user, on: datetime.date, focus_area=None):
    """The milestones of ``focus_area`` (or all) and the evidence in place on ``on``."""
    milestones = visible_milestones(plan=plan, user=user)
    if focus_area is not None:
        milestones = milestones.filter(focus_area=focus_area)
    rows = milestone_rows(milestones, plan=plan, on=on)
    chosen = [row.milestone for row in rows]
    evidence = [
        *_policy_evidence(chosen, user=user, on=on),
        *_decision_evidence(chosen, user=user, on=on),
        *_action_evidence(chosen, user=user, on=on),
    ]
    return rows, evidence


def _serves(item, chosen: dict[int, Milestone]) -> dict[str, str]:
    """The chosen milestones ``item`` serves, and their focus areas, for its row."""
    served = [chosen[m.pk] for m in item.milestones.all() if m.pk in chosen]
    areas = dict.fromkeys(milestone.focus_area.title for milestone in served)
    return {
        "milestone": "; ".join(milestone.title for milestone in served),
        "focus_areas": "; ".join(areas),
    }


def _policy_evidence(milestones, *, user, on) -> list[EvidenceRow]:
    chosen = {milestone.pk: milestone for milestone in milestones}
    versions = policy_selectors.versions_in_force(linked_policies(milestones, user=user), on=on)
    return [
        EvidenceRow(
            kind="Policy version",
            title=version.title,
            reference=f"Version {version.number}",
            status=f"In force from {version.effective_from:%-d %B %Y}",
            date=version.effective_from,
            url=f"{version.page.url}versions/{version.number}/",
            **_serves(version.page, chosen),
        )
        for version in versions
    ]


def _decision_evidence(milestones, *, user, on) -> list[EvidenceRow]:
    chosen = {milestone.pk: milestone for milestone in milestones}
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
            **_serves(decision, chosen),
        )
        for decision in decisions
    ]


def _action_evidence(milestones, *, user, on) -> list[EvidenceRow]:
    chosen = {milestone.pk: milestone for milestone in milestones}
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
            **_serves(action, chosen),
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


# Risks --------------------------------------------------------------------------------------

# What a risk's history keeps, in the order a change lists them.
RISK_HISTORY_FIELDS = (
    "title",
    "description",
    "impact",
    "likelihood",
    "closed",
    "owner",
    "mitigation",
    "review_on",
    "audience",
    "audience_group",
)
RISK_LABELS = {
    "closed": "Status",
    "review_on": "Review date",
    "audience": "Who may see it",
    "audience_group": "Panel group",
}


def visible_risk(*, plan: ImprovementPlanPage, user, risk_id: int) -> Risk | None:
    """The risk ``risk_id`` of ``plan`` if ``user`` may see it, else None."""
    return visible_risks(plan=plan, user=user).filter(pk=risk_id).first()


def person_name(user) -> str:
    """A person as readers know them: by name, never by their sign-in."""
    if user is None:
        return "the system"
    return user.get_full_name() or "someone with no name on record"


def risk_values(record) -> dict:
    """The tracked values of a risk, or of an entry in its history, by field name.

    Related records are given by id, so reading them asks the database nothing.
    """
    return {
        name: getattr(record, Risk._meta.get_field(name).attname) for name in RISK_HISTORY_FIELDS
    }


def risk_names(values: Iterable[dict]) -> dict[tuple[str, int], str]:
    """The owners and panel groups named in ``values``, looked up once each."""
    values = list(values)
    owner_ids = {value["owner"] for value in values} - {None}
    group_ids = {value["audience_group"] for value in values} - {None}
    names = {
        ("owner", user.pk): person_name(user)
        for user in get_user_model().objects.filter(pk__in=owner_ids)
    }
    if group_ids:
        groups = Group.objects.filter(pk__in=group_ids)
        names.update({("audience_group", group.pk): group.name for group in groups})
    return names


def risk_changes(before: dict, after: dict, *, names: dict) -> list[panel_selectors.Change]:
    """What differs between two sets of ``risk_values``, each field in words, old → new."""
    return [
        panel_selectors.Change(
            field=_risk_label(name),
            old=_risk_value(name, before[name], names),
            new=_risk_value(name, after[name], names),
        )
        for name in RISK_HISTORY_FIELDS
        if before[name] != after[name]
    ]


def _risk_label(name: str) -> str:
    return RISK_LABELS.get(name) or str(Risk._meta.get_field(name).verbose_name).capitalize()


def _risk_value(name: str, value, names: dict) -> str:
    if name == "closed":
        return "Closed" if value else "Open"
    if value in (None, ""):
        return "(none)"
    model_field = Risk._meta.get_field(name)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.is_relation:
        return names.get((name, value), "someone no longer on record")
    if isinstance(value, datetime.date):
        return f"{value:%-d %B %Y}"
    return str(value)


def milestone_history(milestone: Milestone, *, user, limit: int = 50) -> list:
    """The milestone's latest entries, newest first, each marked ``withheld`` when it was
    made while the milestone was kept from ``user`` (its audience since widened)."""
    records = list(
        milestone.history.select_related("history_user").order_by("-history_date")[:limit]
    )
    for record in records:
        record.withheld = not may_see(user, record)
    return records


def risk_history(*, risk: Risk, user) -> list[panel_selectors.TimelineEntry]:
    """Every entry in the risk's history, oldest first: who, when, why and what changed.

    Three reads however long the history: the entries with who made them, and the
    owners and panel groups they name.
    """
    records = list(
        risk.history.select_related("history_user").order_by("history_date", "history_id")
    )
    values = [risk_values(record) for record in records]
    names = risk_names(values)
    entries = [
        panel_selectors.TimelineEntry(
            when=record.history_date,
            who=person_name(record.history_user),
            reason=record.history_change_reason or "",
            created=record.history_type == "+",
            changes=risk_changes(before, after, names=names) if before is not None else [],
        )
        for record, before, after in zip(records, [None, *values], values, strict=False)
    ]
    return panel_selectors.withhold_narrower(entries, records, user=user)
