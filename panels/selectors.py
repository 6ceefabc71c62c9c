"""Reads across panels, meetings, decisions and actions, narrowed to what a person may see."""

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import ExtractYear, TruncMonth
from django.utils import timezone

from hub.audiences import viewer, visible_to
from hub.params import choice, int_or_none
from panels.models import (
    Action,
    ActionReview,
    ActionStatus,
    Decision,
    MeetingPage,
    MeetingStatus,
    PanelIndexPage,
    PanelPage,
)
from panels.models.actions import OPEN_STATUSES

ACTIONS_PER_PAGE = 50
# A meeting page carries the whole minutes, so its action tables page sooner.
MEETING_ACTIONS_PER_PAGE = 25
MEETINGS_PER_PAGE = 50
CALENDAR_PAST = datetime.timedelta(days=365)


def paginate(items, *, number, per_page: int) -> PaginatorPage:
    return Paginator(items, per_page).get_page(number)


# Panels and meetings ----------------------------------------------------------------------


def panels_for(*, user, index: PanelIndexPage | None = None) -> QuerySet:
    panels = PanelPage.objects.live().order_by("title")
    if index is not None:
        panels = panels.child_of(index)
    return visible_to(user, panels)


def visible_meetings(*, user, panel: PanelPage | None = None) -> QuerySet:
    meetings = MeetingPage.objects.live()
    if panel is not None:
        meetings = meetings.child_of(panel)
    return visible_to(user, meetings)


@dataclass(frozen=True)
class MeetingYear:
    """One year of a panel's meetings, and every year there are meetings to choose from."""

    year: int | None
    meetings: QuerySet
    years: list[tuple[int, int]]  # (year, how many meetings), newest first


def meeting_year(*, user, panel: PanelPage, year: int | None = None) -> MeetingYear:
    """The meetings of ``panel`` that ``user`` may see in ``year``, newest first.

    Without a year: this year's if it has any, otherwise the latest year before
    it, otherwise the first year ahead; so a panel page lists a year at most,
    however long the panel has met.
    """
    visible = visible_meetings(user=user, panel=panel)
    years = list(
        visible.order_by()
        .annotate(year=ExtractYear("starts_at"))
        .values("year")
        .annotate(count=Count("pk"))
        .order_by("-year")
        .values_list("year", "count")
    )
    if year is None:
        year = _default_year([number for number, _ in years], timezone.localdate().year)
    held = year in dict(years)
    meetings = visible.filter(starts_at__year=year) if held else visible.none()
    return MeetingYear(year=year, meetings=meetings.order_by("-starts_at"), years=years)


def _default_year(years: list[int], this_year: int) -> int | None:
    """This year if it is among ``years`` (newest first), else the latest before, else the next."""
    return next((year for year in years if year <= this_year), years[-1] if years else None)


def calendar_meetings(
    *, user, panel: PanelPage | None = None, since: datetime.date | None = None
) -> QuerySet:
    """Meetings for a calendar feed: from ``since`` (a year ago unless given) onwards.

    Calendar apps fetch a feed every few hours, so it holds the recent past and
    everything ahead, not every meeting ever held.
    """
    since = since or timezone.localdate() - CALENDAR_PAST
    start = timezone.make_aware(datetime.datetime.combine(since, datetime.time.min))
    return visible_meetings(user=user, panel=panel).filter(starts_at__gte=start)


def upcoming_meetings(*, user, now: datetime.datetime | None = None) -> QuerySet:
    return (
        visible_meetings(user=user)
        .filter(starts_at__gte=now or timezone.now())
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("starts_at")
    )


def panel_paths(meetings) -> dict[str, PanelPage]:
    """The panels of these meetings, by path, in one query."""
    parent_paths = {meeting.path[: -PanelPage.steplen] for meeting in meetings}
    return {panel.path: panel for panel in PanelPage.objects.filter(path__in=parent_paths)}


def panel_of(meeting: MeetingPage, panels: dict[str, PanelPage]) -> PanelPage | None:
    return panels.get(meeting.path[: -PanelPage.steplen])


def with_panels(items, *, meeting_of):
    """Give each item (a page of meetings or decisions) its panel as ``panel_page``."""
    panels = panel_paths(meeting_of(item) for item in items)
    for item in items:
        item.panel_page = panel_of(meeting_of(item), panels)
    return items


def panel_groups() -> QuerySet:
    """Every panel's members and secretaries groups."""
    return Group.objects.filter(
        Q(panel_of_members__isnull=False) | Q(panel_of_secretaries__isnull=False)
    )


def may_see_confidential(*, user, panel: PanelPage) -> bool:
    """Only the panel's members, its secretaries and superusers read the confidential part."""
    who = viewer(user)
    if who.is_superuser:
        return True
    own_groups = {panel.members_group_id, panel.secretaries_group_id} - {None}
    return bool(own_groups & who.group_ids)


def meeting_context(*, meeting: MeetingPage, request, paginate_actions: bool = True) -> dict:
    """Everything a meeting's page and print layout show, in a fixed number of queries."""
    user = request.user
    panel = meeting.get_parent().specific
    raised = visible_to(user, meeting.actions_raised.all()).order_by("reference")
    reviews = reviews_at(meeting=meeting, user=user)
    if paginate_actions:
        raised = paginate(
            raised, number=request.GET.get("actions"), per_page=MEETING_ACTIONS_PER_PAGE
        )
        reviews = paginate(
            reviews, number=request.GET.get("reviews"), per_page=MEETING_ACTIONS_PER_PAGE
        )
    return {
        "panel": panel,
        "show_confidential": may_see_confidential(user=user, panel=panel),
        "attendees": list(meeting.attendees.all()),
        "decisions": list(meeting.decisions.all()),
        "actions_raised": raised,
        "action_reviews": reviews,
        "approved_at": minutes_approved_at(meeting=meeting, user=user),
    }


def minutes_approved_at(*, meeting: MeetingPage, user) -> MeetingPage | None:
    """The later meeting, as ``user`` may see it, whose published minutes agreed ``meeting``'s."""
    later = visible_meetings(user=user).filter(approves_minutes_of=meeting)
    return later.order_by("starts_at").first()


def matters_arising(*, meeting: MeetingPage, panel_ids: list[int], user) -> QuerySet:
    """Open actions of ``panel_ids`` raised before ``meeting`` and not yet reviewed at it.

    Each row carries what a secretary reads out: owner, due date, last progress.
    """
    reported = ActionReview.objects.filter(meeting=meeting).exclude(progress="")
    earlier = (
        Action.objects.open()
        .filter(panel_id__in=panel_ids, meeting__starts_at__lt=meeting.starts_at)
        .exclude(pk__in=reported.values("action_id"))
    )
    return visible_to(user, earlier).order_by("due_on", "reference")


def reviews_at(*, meeting: MeetingPage, user) -> QuerySet:
    """The reports already recorded at ``meeting`` on actions ``user`` may see."""
    return (
        ActionReview.objects.filter(meeting=meeting, action__in=visible_to(user, Action.objects))
        .exclude(progress="")
        .select_related("action")
        .order_by("action__reference")
    )


# Actions ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionFilters:
    """What the action log is narrowed to; empty means everything the reader may see."""

    panel: int | None = None
    owner: int | None = None
    status: str = ""
    overdue: bool = False

    @classmethod
    def from_query(cls, query) -> "ActionFilters":
        return cls(
            panel=int_or_none(query.get("panel")),
            owner=int_or_none(query.get("owner")),
            status=choice(query, "status", ActionStatus.values),
            overdue=query.get("overdue") == "1",
        )


def visible_actions(*, user) -> QuerySet:
    return visible_to(user, Action.objects.select_related("panel", "meeting"))


def action_log(*, user, filters: ActionFilters = ActionFilters()) -> QuerySet:
    # A row names its panel, read for the rows shown only: joined, it turns the planner
    # from reading actions in due-date order, and counting, to reading them all.
    panel_title = PanelPage.objects.filter(pk=OuterRef("panel_id")).order_by().values("title")
    actions = visible_to(user, Action.objects.all()).annotate(panel_title=Subquery(panel_title))
    if filters.panel:
        actions = actions.filter(panel_id=filters.panel)
    if filters.owner:
        actions = actions.filter(owner_id=filters.owner)
    if filters.status:
        actions = actions.filter(status=filters.status)
    if filters.overdue:
        actions = actions.overdue()
    return actions.order_by("due_on", "reference")


def action_owners(*, user) -> QuerySet:
    """The people who own actions the reader may see, for the owner filter."""
    # One lookup per person in the owner index, however many actions each holds.
    owns_one = Exists(visible_to(user, Action.objects.filter(owner=OuterRef("pk"))))
    return get_user_model().objects.filter(owns_one).order_by("first_name", "last_name")


def my_open_actions(*, user) -> QuerySet:
    return visible_actions(user=user).open().owned_by(user).order_by("due_on")


def overdue_actions_on_my_panels(*, user) -> QuerySet:
    mine = Q(members_group__user=user) | Q(secretaries_group__user=user)
    my_panels = PanelPage.objects.filter(mine).values("pk")
    return visible_actions(user=user).overdue().filter(panel__in=my_panels).order_by("due_on")


NOT_SHOWN = "a milestone not shown to you"
# The owner's name tells readers who owns an action; their sign-in is bookkeeping.
HIDDEN_IN_HISTORY = ["id", "owner"]


@dataclass(frozen=True)
class Change:
    """One field's change in an action's history, in words."""

    field: str
    old: str
    new: str


@dataclass(frozen=True)
class TimelineEntry:
    """One saved version of an action: who, when, why, and what changed."""

    when: datetime.datetime
    who: str
    reason: str
    created: bool
    changes: list[Change] = field(default_factory=list)


def action_history(*, action: Action, user) -> list[TimelineEntry]:
    """The action's history, oldest first, each field shown old → new, as ``user`` may read it.

    Milestones kept from ``user`` are not named.
    """
    records = list(action.history.select_related("history_user").order_by("history_date", "pk"))
    deltas = [
        record.diff_against(previous, excluded_fields=HIDDEN_IN_HISTORY).changes if previous else []
        for previous, record in zip([None, *records], records, strict=False)
    ]
    names = _history_names(records, deltas, user=user)
    return [
        TimelineEntry(
            when=record.history_date,
            who=_person(record.history_user),
            reason=record.history_change_reason or "",
            created=record.history_type == "+",
            changes=[_change(Action, change, names) for change in delta],
        )
        for record, delta in zip(records, deltas, strict=True)
    ]


def _history_names(records, deltas, *, user) -> dict[tuple[str, int], str]:
    """Groups and milestones named in the history, looked up once."""
    group_ids = {record.audience_group_id for record in records} - {None}
    milestone_ids = {
        link["milestone"]
        for delta in deltas
        for change in delta
        if change.field == "milestones"
        for link in [*change.old, *change.new]
    }
    names = {
        ("audience_group", group.pk): group.name for group in Group.objects.filter(pk__in=group_ids)
    }
    milestones = visible_to(
        user, Action.milestones.field.related_model.objects.filter(pk__in=milestone_ids)
    )
    names.update({("milestones", milestone.pk): str(milestone) for milestone in milestones})
    return names


def _person(user) -> str:
    if user is None:
        return "the system"
    return user.get_full_name() or user.get_username()


def _change(model, change, names) -> Change:
    model_field = model._meta.get_field(change.field)
    return Change(
        field=str(model_field.verbose_name).capitalize(),
        old=_display(model_field, change.old, names),
        new=_display(model_field, change.new, names),
    )


def _display(model_field, value, names) -> str:
    if model_field.many_to_many:
        # The link rows kept at that moment, each naming the linked record.
        ids = [row[model_field.m2m_reverse_field_name()] for row in value]
        titles = sorted(names.get((model_field.name, pk), NOT_SHOWN) for pk in ids)
        return ", ".join(titles) or "(none)"
    if value in (None, ""):
        return "(none)"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if model_field.is_relation:
        return names.get((model_field.name, value), f"#{value}")
    if isinstance(value, datetime.date):
        return f"{value:%-d %B %Y}"
    return str(value)


# Milestones and progress ------------------------------------------------------------------


def action_states_by_milestone(milestone_ids) -> dict[int, list[tuple[bool, datetime.date]]]:
    """For each milestone, whether each linked action is open and when it is due."""
    states: dict[int, list] = {}
    links = Action.milestones.through.objects.filter(milestone_id__in=milestone_ids).values_list(
        "milestone_id", "action__status", "action__due_on"
    )
    for milestone_id, status, due_on in links:
        states.setdefault(milestone_id, []).append((status in OPEN_STATUSES, due_on))
    return states


def actions_serving(milestones, *, user) -> QuerySet:
    """Actions ``user`` may see that serve any of ``milestones``."""
    return (
        visible_actions(user=user)
        .filter(milestones__in=milestones)
        .select_related("meeting")
        .distinct()
    )


def decisions_serving(milestones, *, user) -> QuerySet:
    """Decisions of meetings ``user`` may see that serve any of ``milestones``."""
    return (
        Decision.objects.filter(
            meeting__in=visible_meetings(user=user).values("pk"), milestones__in=milestones
        )
        .select_related("meeting")
        .distinct()
        .order_by("meeting__starts_at", "sort_order")
    )


def action_counts_by_month(*, user, start: datetime.date, end: datetime.date) -> dict:
    """Actions ``user`` may see opened and closed in each month from ``start`` to ``end``."""
    actions = visible_to(user, Action.objects.all())
    opened = (
        actions.filter(raised_on__range=(start, end))
        .annotate(month=TruncMonth("raised_on"))
        .values_list("month")
        .annotate(count=Count("pk"))
    )
    closed = (
        actions.filter(completed_on__range=(start, end))
        .annotate(month=TruncMonth("completed_on"))
        .values_list("month")
        .annotate(count=Count("pk"))
    )
    counts: dict = {}
    for key, rows in (("opened", opened), ("closed", closed)):
        for month, count in rows:
            counts.setdefault(_as_date(month), {})[key] = count
    return counts


def _as_date(value) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def action_states_on(actions, *, on: datetime.date) -> dict[int, str]:
    """Each action's status as its history records it at the end of ``on``."""
    end_of_day = timezone.make_aware(datetime.datetime.combine(on, datetime.time.max))
    records = (
        Action.history.filter(
            id__in=[action.pk for action in actions], history_date__lte=end_of_day
        )
        .order_by("id", "-history_date")
        .values_list("id", "status")
    )
    states: dict[int, str] = {}
    for action_id, status in records:
        states.setdefault(action_id, ActionStatus(status).label)
    return states
