"""Reads across panels, meetings, decisions and actions, narrowed to what a person may see."""

import dataclasses
import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import ExtractYear, TruncMonth
from django.utils import timezone
from wagtail.models import Page, PageLogEntry

from hub.audiences import may_see, viewer, visible_to
from hub.moments import end_of_day
from hub.params import choice, int_or_none
from panels.models import (
    Action,
    ActionReview,
    ActionStatus,
    Decision,
    MeetingPage,
    MeetingPaper,
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


def section(*, user) -> PanelIndexPage | None:
    """The panels' section of the site, which the action log and meeting lists belong to."""
    return visible_to(user, PanelIndexPage.objects.live()).order_by("path").first()


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


def recently_minuted(*, user, limit: int) -> QuerySet:
    """Published minutes of meetings held, that ``user`` may read, most recently published first."""
    return (
        visible_meetings(user=user)
        .filter(status=MeetingStatus.HELD, last_published_at__isnull=False)
        .order_by("-last_published_at")[:limit]
    )


def recent_decisions(*, user, limit: int) -> QuerySet:
    """Decisions in minutes ``user`` may read, those of the latest meetings first."""
    held = visible_meetings(user=user).filter(status=MeetingStatus.HELD)
    return (
        Decision.objects.filter(meeting__in=held.values("pk"))
        .select_related("meeting")
        .order_by("-meeting__starts_at", "sort_order")[:limit]
    )


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
        "papers": list(papers_of(meeting)),
        "decisions": decision_links(meeting.decisions.all(), user=user, request=request),
        "actions_raised": raised,
        "action_reviews": reviews,
        "approved_at": minutes_approved_at(meeting=meeting, user=user),
    }


def papers_of(meeting: MeetingPage) -> QuerySet:
    """The papers as the minutes in force published them."""
    return MeetingPaper.objects.filter(meeting=meeting, revision_id=meeting.live_revision_id)


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


# Terms of reference -----------------------------------------------------------------------

# Wagtail's log entries for a revision going live: published now, or when it was scheduled.
PUBLISH_LOG_ACTIONS = ("wagtail.publish", "wagtail.publish.scheduled")


@dataclass(frozen=True)
class TermsVersion:
    """One approved version of a panel's terms of reference, as it was published."""

    number: int
    terms: str
    approved_on: datetime.date | None
    published_at: datetime.datetime | None


def terms_history(panel: PanelPage) -> list[TermsVersion]:
    """Each approved version of the live ``panel``'s terms of reference, oldest first.

    Read from the revisions that were published, in the order they went live: a
    run of them with the same terms and approval date is one version. Drafts and
    revisions never published are never read. One query, which reads those two
    fields of each revision and nothing else of it.
    """
    published = list(
        PageLogEntry.objects.filter(
            page_id=panel.pk, action__in=PUBLISH_LOG_ACTIONS, revision__isnull=False
        )
        .order_by("timestamp", "pk")
        .values_list(
            "revision_id",
            "timestamp",
            KeyTextTransform("terms_of_reference", "revision__content"),
            KeyTextTransform("terms_approved_on", "revision__content"),
        )
    )
    rows = [(published_at, terms, approved) for _, published_at, terms, approved in published]
    if panel.live_revision_id and panel.live_revision_id not in {row[0] for row in published}:
        # Published without a log entry (a script may skip it): what is live still counts.
        rows.append((panel.last_published_at, panel.terms_of_reference, panel.terms_approved_on))
    versions: list[TermsVersion] = []
    for published_at, terms, approved in rows:
        terms, approved_on = (terms or "").strip(), _date(approved)
        if not terms:
            continue
        if versions and (versions[-1].terms, versions[-1].approved_on) == (terms, approved_on):
            continue
        versions.append(TermsVersion(len(versions) + 1, terms, approved_on, published_at))
    return versions


def _date(value) -> datetime.date | None:
    """A date as a revision keeps it (``YYYY-MM-DD``), or None."""
    if isinstance(value, datetime.date) or value is None:
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None


# What decisions and actions name ----------------------------------------------------------


@dataclass(frozen=True)
class Link:
    """A record that a decision or action names, as its reader may follow it."""

    text: str
    url: str


@dataclass(frozen=True)
class _Named:
    """One kind of record decisions or actions name, read on a page of its own."""

    field: str  # the links' field on decisions and actions
    page: str  # the linked record's page, whose address its own begins with
    own_audience: bool  # whether the record carries an audience besides its page's
    order: tuple[str, ...]
    text: Callable[[Any], str]
    path: Callable[[Any], str]

    def readable(self, records: QuerySet, *, user) -> QuerySet:
        """``records`` that ``user`` may see, on live pages ``user`` may open."""
        if self.own_audience:
            records = visible_to(user, records)
        pages = visible_to(user, Page.objects.live().filter(pk__in=records.values(self.page)))
        return records.filter(**{f"{self.page}__in": pages.values("pk")})

    def link(self, record, request) -> Link:
        page_url = getattr(record, self.page).get_url(request) or ""
        return Link(self.text(record), f"{page_url}{self.path(record)}")


# A policy version is read at its policy's address; a milestone in its plan.
APPROVED_VERSIONS = _Named(
    "policy_versions",
    page="page",
    own_audience=False,
    order=("title", "number"),
    text=lambda version: f"{version.title}, version {version.number}",
    path=lambda version: f"versions/{version.number}/",
)
SERVED_MILESTONES = _Named(
    "milestones",
    page="plan",
    own_audience=True,
    order=("due_on", "title", "pk"),
    text=str,
    path=lambda milestone: f"milestones/{milestone.pk}/",
)


def decision_links(decisions, *, user, request=None) -> list[Decision]:
    """``decisions``, each given ``approves`` (the policy versions it approved) and ``serves``
    (the milestones it serves), only those ``user`` may read, as lists of ``Link``.

    The same queries however many decisions and links. Published decisions name
    what was published; a draft being previewed names what the draft chose.
    """
    decisions = list(decisions)
    approves = _links(decisions, APPROVED_VERSIONS, user=user, request=request)
    serves = _links(decisions, SERVED_MILESTONES, user=user, request=request)
    for decision in decisions:
        decision.approves = approves.get(_place(decision), [])
        decision.serves = serves.get(_place(decision), [])
    return decisions


def action_milestones(action: Action, *, user, request=None) -> list[Link]:
    """The milestones ``action`` serves that ``user`` may see, as links."""
    return _links([action], SERVED_MILESTONES, user=user, request=request).get(action.pk, [])


def approved_versions(decisions: QuerySet, *, user, request=None) -> list[tuple[Decision, Link]]:
    """Each of ``decisions`` (published) with each policy version it approved that ``user``
    may read: one query however many decisions and versions, and one for who may read what."""
    return [
        (decision, APPROVED_VERSIONS.link(version, request))
        for decision, version in _linked(decisions, APPROVED_VERSIONS, user=user)
    ]


def _place(record) -> object:
    """How ``record`` is told apart: its id, or for a draft's new record, the object itself."""
    return record.pk if record.pk is not None else id(record)


def _chosen_in_draft(record, field: str) -> bool:
    """Whether ``record``'s links are the unsaved choices of a draft (or of a new record)."""
    return record.pk is None or field in getattr(record, "_cluster_related_objects", {})


def _links(records: list, named: _Named, *, user, request) -> dict[object, list[Link]]:
    """For each of ``records`` (by ``_place``), its links of ``named`` that ``user`` may see."""
    if not records:
        return {}
    model = type(records[0])
    found: dict[object, list[Link]] = {}
    saved = [record.pk for record in records if not _chosen_in_draft(record, named.field)]
    if saved:
        for record, target in _linked(model.objects.filter(pk__in=saved), named, user=user):
            found.setdefault(record.pk, []).append(named.link(target, request))
    drafts = [record for record in records if _chosen_in_draft(record, named.field)]
    if drafts:
        chosen = {
            _place(record): {target.pk for target in getattr(record, named.field).all()}
            for record in drafts
        }
        targets = model._meta.get_field(named.field).related_model.objects.filter(
            pk__in=set().union(*chosen.values())
        )
        readable = list(
            named.readable(targets, user=user).select_related(named.page).order_by(*named.order)
        )
        for place, pks in chosen.items():
            found[place] = [named.link(target, request) for target in readable if target.pk in pks]
    return found


def _linked(sources: QuerySet, named: _Named, *, user) -> list[tuple[Any, Any]]:
    """Each of ``sources`` (decisions or actions, as saved) with each record of ``named``
    it links to that ``user`` may see, read with that record's page: one query."""
    m2m = sources.model._meta.get_field(named.field)
    through = m2m.remote_field.through
    source, target = m2m.m2m_field_name(), m2m.m2m_reverse_field_name()
    links = through.objects.filter(**{f"{source}__in": sources})
    linked = m2m.related_model.objects.filter(pk__in=links.values(f"{target}_id"))
    rows = (
        links.filter(**{f"{target}__in": named.readable(linked, user=user)})
        .select_related(source, f"{target}__{named.page}")
        .order_by(*(f"{target}__{name}" for name in named.order))
    )
    return [(getattr(row, source), getattr(row, target)) for row in rows]


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


def overdue_actions_of(*, user, panels, today: datetime.date) -> QuerySet:
    """Actions of ``panels`` overdue on ``today`` that ``user`` may see, longest overdue first."""
    overdue = Action.objects.overdue(today).filter(panel__in=panels)
    return visible_to(user, overdue).order_by("due_on", "reference")


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
    # Made while the record was kept from this reader: only its date is shown.
    withheld: bool = False


def withhold_narrower(entries: list[TimelineEntry], records, *, user) -> list[TimelineEntry]:
    """``entries`` as ``user`` may read them, each ``records``' entry judged by its audience then.

    A record whose audience was later widened must not show its new readers what it
    said before: an entry made while it was kept from them gives only its date, and the
    entry after one does not say what the fields were before it.
    """
    readable = [may_see(user, record) for record in records]
    shown = []
    for entry, readable_then, readable_before in zip(
        entries, readable, [True, *readable], strict=False
    ):
        if not readable_then:
            entry = TimelineEntry(
                when=entry.when, who="", reason="", created=entry.created, withheld=True
            )
        elif not readable_before:
            changes = [Change(change.field, "not shown", change.new) for change in entry.changes]
            entry = dataclasses.replace(entry, changes=changes)
        shown.append(entry)
    return shown


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
    entries = [
        TimelineEntry(
            when=record.history_date,
            who=_person(record.history_user),
            reason=record.history_change_reason or "",
            created=record.history_type == "+",
            changes=[_change(Action, change, names) for change in delta],
        )
        for record, delta in zip(records, deltas, strict=True)
    ]
    return withhold_narrower(entries, records, user=user)


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


def action_states_by_milestone(
    milestone_ids, *, on: datetime.date
) -> dict[int, list[tuple[bool, datetime.date]]]:
    """For each milestone, whether each action linked to it at the end of ``on`` was open
    then, and when it was then due: read from the actions' histories, links included."""
    kept_links = Action.history.model.milestones.model
    ever_linked = kept_links.objects.filter(milestone_id__in=milestone_ids).values("action_id")
    records = (
        Action.history.filter(id__in=ever_linked, history_date__lte=end_of_day(on))
        .order_by("id", "-history_date", "-history_id")
        .values_list("id", "history_id", "status", "due_on")
    )
    latest: dict[int, tuple] = {}
    for action_id, history_id, status, due_on in records:
        latest.setdefault(action_id, (history_id, status, due_on))
    states_at = {history_id: (status, due_on) for history_id, status, due_on in latest.values()}
    links = kept_links.objects.filter(
        history_id__in=list(states_at), milestone_id__in=milestone_ids
    ).values_list("milestone_id", "history_id")
    states: dict[int, list] = {}
    for milestone_id, history_id in links:
        status, due_on = states_at[history_id]
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
    records = (
        Action.history.filter(
            id__in=[action.pk for action in actions], history_date__lte=end_of_day(on)
        )
        .order_by("id", "-history_date")
        .values_list("id", "status")
    )
    states: dict[int, str] = {}
    for action_id, status in records:
        states.setdefault(action_id, ActionStatus(status).label)
    return states
