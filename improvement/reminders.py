"""Telling the plan's managers by email when a milestone turns red.

A milestone turns red in two ways, and each is told once:

- Time passes (its due date or a linked action's goes by) or a change to what its
  status is worked out from makes it red. The daily notification run finds it
  (``announce_turned_red``, registered as ``hub.notices.REMINDERS_HOOK``) by comparing
  each milestone's status on each day, as the plan's "as at" views work it out.
- A manager overrides its status to red. The override announces it at once, from a
  task run once it is committed (``announce_override``, through ``improvement.tasks``).

The plan's managers are the active people who may change milestones (see
``services.may_manage``); ``hub.notices.announce`` narrows them to those who may read
the milestone, so a members-only milestone is told to its own panel's managers only.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from hub.audiences import readers
from hub.notices import Event, absolute, announce
from improvement import selectors
from improvement.models import ImprovementPlanPage, Milestone
from improvement.progress import Progress, Rag
from panels import selectors as panel_selectors

KIND = "milestone-red"
# How many days, today included, a transition to red is looked for: runs missed for up
# to six days in a row are caught up by the next one.
CATCH_UP_DAYS = 7


@dataclass(frozen=True)
class TurnedRed:
    """A milestone red on a day, and the day its being red began."""

    milestone: Milestone
    since: datetime.date
    # Its status on the day asked about, with the reason.
    progress: Progress
    # Whether a manager's override made it red on ``since`` (the override told it then).
    by_override: bool


def managers() -> list:
    """The active people who may change the plan's milestones: by a group, directly, or
    as superusers, as ``services.may_manage`` asks."""
    permission = Permission.objects.filter(
        content_type__app_label="improvement", codename="change_milestone"
    )
    holds = (
        Q(is_superuser=True)
        | Q(groups__permissions__in=permission)
        | Q(user_permissions__in=permission)
    )
    people = get_user_model().objects.filter(is_active=True).filter(holds).distinct()
    return list(people.order_by("pk"))


def turned_red(
    milestones, *, plan: ImprovementPlanPage, today: datetime.date, days: int = CATCH_UP_DAYS
) -> list[TurnedRed]:
    """The ``milestones`` red on ``today`` that were not red on one of the ``days - 1`` days
    before, each with the first day of its being red.

    One status reading (``selectors.statuses_on``, a few queries whatever the number of
    milestones) for today and one for each earlier day while any red milestone is left
    to place. A milestone red on all of those days turned red before them and is left out.
    """
    milestones = list(milestones)
    now = selectors.statuses_on(milestones, plan=plan, on=today)
    red = {m.pk: m for m in milestones if now[m.pk].status == Rag.RED}
    since = dict.fromkeys(red, today)
    first = {pk: now[pk] for pk in red}
    found = []
    day = today
    for _ in range(days - 1):
        if not red:
            break
        day -= datetime.timedelta(days=1)
        earlier = selectors.statuses_on(list(red.values()), plan=plan, on=day)
        for pk in list(red):
            if earlier[pk].status == Rag.RED:
                since[pk], first[pk] = day, earlier[pk]
            else:
                found.append(TurnedRed(red.pop(pk), since[pk], now[pk], first[pk].overridden))
    return sorted(found, key=lambda turn: (turn.milestone.due_on, turn.milestone.pk))


def announce_turned_red(*, today: datetime.date) -> list:
    """Tell the plan's managers of each milestone that turned red, by the passing of time
    or a change to its dates or actions; the notification run calls it each day.

    Each milestone red on ``today`` is compared with its status on the days before:
    the day its being red began names the announcement (``milestone-red:<pk>:<day>``),
    which on a day the run is made is ``today``. Running again the same day, or the day
    after, finds the same day and sends nothing new. A missed run is caught up by the
    next one if the milestone turned red within ``CATCH_UP_DAYS`` (today included) and
    is still red: its email says since when. One that turned red and back again
    between two runs is not told; nor is one entered already red, whose history has no
    day it was not. A milestone a manager's override made red was told by the override
    (``announce_override``) and is left out here, unless it had turned red by itself first.
    """
    people = managers()
    if not people:
        return []
    sent = []
    for plan in ImprovementPlanPage.objects.live().order_by("pk"):
        milestones = plan.milestones.select_related("focus_area")
        for turn in turned_red(milestones, plan=plan, today=today):
            if turn.by_override:
                continue
            event = _event(
                turn.milestone,
                plan=plan,
                key=f"{KIND}:{turn.milestone.pk}:{turn.since.isoformat()}",
                reason=turn.progress.reason,
                since=turn.since,
                today=today,
                people=people,
            )
            sent.extend(announce(event, people=people))
    return sent


def announce_override(*, milestone_id: int, history_id: int) -> list:
    """Tell the plan's managers that a manager set this milestone's status to red, who and
    why: the entry ``history_id`` of its history recorded the override.

    Nothing is sent if the milestone is gone or no longer overridden to red when this
    runs. The key names the entry (``milestone-red:<pk>:override:<history id>``).
    """
    milestone = (
        Milestone.objects.select_related("focus_area", "plan").filter(pk=milestone_id).first()
    )
    record = (
        Milestone.history.filter(id=milestone_id, history_id=history_id)
        .select_related("history_user")
        .first()
    )
    if milestone is None or record is None or milestone.status_override != Rag.RED:
        return []
    people = managers()
    if not people:
        return []
    event = _event(
        milestone,
        plan=milestone.plan,
        key=f"{KIND}:{milestone.pk}:override:{history_id}",
        reason=record.override_reason,
        since=timezone.localtime(record.history_date).date(),
        today=timezone.localdate(),
        people=people,
        set_by=selectors.person_name(record.history_user),
    )
    return announce(event, people=people)


def milestone_url(milestone: Milestone, *, plan: ImprovementPlanPage, on: datetime.date) -> str:
    """The milestone's page in the plan, on the site's address; as at ``on`` once the plan
    has ended, since its pages then stand on its last day."""
    url = f"{plan.url}milestones/{milestone.pk}/"
    if plan.ends_on < on:
        url += f"?on={on.isoformat()}"
    return absolute(url)


def _event(
    milestone: Milestone,
    *,
    plan: ImprovementPlanPage,
    key: str,
    reason: str,
    since: datetime.date,
    today: datetime.date,
    people: list,
    set_by: str = "",
) -> Event:
    told = _told(milestone, people)
    return Event(
        kind=KIND,
        key=key,
        about=milestone,
        subject=f"Milestone now red: {milestone.title}",
        url=milestone_url(milestone, plan=plan, on=today),
        context={
            "milestone": milestone,
            "plan": plan,
            "focus_area": milestone.focus_area.title,
            "due_on": milestone.due_on,
            "reason": reason,
            "since": since,
            "today": today,
            "set_by": set_by,
            "actions": _overdue_actions(milestone, told=told, today=today),
        },
    )


def _told(milestone: Milestone, people: list) -> list:
    """Those of ``people`` who may read ``milestone``: all the announcement can reach."""
    allowed = set(
        readers(milestone).filter(pk__in=[p.pk for p in people]).values_list("pk", flat=True)
    )
    return [person for person in people if person.pk in allowed]


def _overdue_actions(milestone: Milestone, *, told: list, today: datetime.date) -> list[dict]:
    """The open linked actions past their due date that every one of ``told`` may see.

    One email text goes to all of them, so an action of a members-only panel is named
    only if each of them sits on it; the reason still counts every overdue action.
    """
    shared: dict | None = None
    for person in told:
        visible = panel_selectors.actions_serving([milestone], user=person).overdue(today)
        found = {action.pk: action for action in visible}
        shared = found if shared is None else {pk: shared[pk] for pk in shared if pk in found}
    actions = sorted((shared or {}).values(), key=lambda action: (action.due_on, action.reference))
    return [
        {
            "reference": action.reference,
            "description": action.description,
            "due_on": action.due_on,
            "url": absolute(reverse("panels:action_detail", args=[action.pk])),
        }
        for action in actions
    ]
