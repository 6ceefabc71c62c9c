"""Reminders of actions due and overdue, and each secretary's weekly list of overdue actions.

``manage.py send_notifications`` runs them (``hub.notices.REMINDERS_HOOK``) once a
day or more. Each reminder's key names the action, its due date and the stage it
marks, so a second run the same day sends nothing, a run missed is made up the
next day, and a new due date starts the reminders afresh.
"""

import datetime
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from django.conf import settings
from django.db.models import Q
from django.urls import reverse

from hub import notices
from hub.models import Notice
from panels import selectors
from panels.models import Action, PanelPage

BATCH = 500


def reminder_days() -> int:
    """How many days before its due date an action's owner is first reminded."""
    return settings.HUB_ACTION_REMINDER_DAYS


def reminders(*, today: datetime.date) -> list[Notice]:
    """Every panels reminder due ``today``: owners' actions, then secretaries' lists."""
    return action_reminders(today=today) + overdue_action_lists(today=today)


@dataclass(frozen=True)
class Stage:
    """Where an action stands on a day its owner is reminded of it."""

    key: str
    # Completes "Action MASP/2015/01/A1 …".
    phrase: str
    name: str


def stage_on(action: Action, *, today: datetime.date, soon: int) -> Stage | None:
    """The reminder ``action`` has due ``today``: ``soon`` days or fewer before its due date,
    on the day, and the day after it and each week from then; None on other days.

    A day that has a reminder whose key was sent already sends nothing."""
    days = (action.due_on - today).days
    due = action.due_on.isoformat()
    if days == 0:
        return Stage(f"action:{action.pk}:today:{due}", "is due today", "today")
    if 0 < days <= soon:
        return Stage(
            f"action:{action.pk}:soon:{due}", f"is due on {action.due_on:%-d %B %Y}", "soon"
        )
    if days < 0:
        late = -days
        # The day after the due date, then each seventh day: the key counts the weeks.
        return Stage(
            f"action:{action.pk}:overdue:{due}:{(late - 1) // 7}",
            f"is overdue by {late} day{'s' if late != 1 else ''}",
            "overdue",
        )
    return None


def action_url(action: Action) -> str:
    return notices.absolute(reverse("panels:action_detail", args=[action.pk]))


def action_reminders(*, today: datetime.date) -> list[Notice]:
    """Remind each open action's owner, if they may read it, as its due date nears and passes."""
    soon = reminder_days()
    nearing = Q(due_on__range=(today, today + datetime.timedelta(days=soon)))
    candidates = (
        Action.objects.open()
        .filter(nearing | Q(due_on__lt=today), owner__isnull=False)
        .select_related("owner", "panel")
        .order_by("due_on", "reference")
    )
    sent = []
    for batch in _batches(candidates, BATCH):
        stages = [(action, stage_on(action, today=today, soon=soon)) for action in batch]
        staged = [(action, stage) for action, stage in stages if stage is not None]
        told = set(
            Notice.objects.filter(
                recipient_id__in={action.owner_id for action, _ in staged},
                key__in=[stage.key for _, stage in staged],
            ).values_list("recipient_id", "key")
        )
        for action, stage in staged:
            if (action.owner_id, stage.key) not in told:
                sent.extend(notices.announce(_reminder(action, stage), people=[action.owner]))
    return sent


def _reminder(action: Action, stage: Stage) -> notices.Event:
    return notices.Event(
        kind="action-due",
        key=stage.key,
        about=action,
        subject=f"Action {action.reference} {stage.phrase}",
        url=action_url(action),
        context={
            "reference": action.reference,
            "description": action.description,
            "panel_title": action.panel.title,
            "due_on": f"{action.due_on:%-d %B %Y}",
            "phrase": stage.phrase,
            "stage": stage.name,
            "status": action.get_status_display(),
            "progress": action.progress,
        },
    )


def _batches(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


@dataclass(frozen=True)
class PanelOverdue:
    """One panel's overdue actions as a secretary may read them, for their weekly list."""

    panel: PanelPage
    title: str
    url: str
    actions: list[dict]


def overdue_action_lists(*, today: datetime.date) -> list[Notice]:
    """Once an ISO week, each secretary of panels with overdue actions gets one list of them.

    Only the actions of their own panels that they may read; nothing when there are none.
    """
    year, week, _ = today.isocalendar()
    key = f"overdue-actions:{year}-W{week:02d}"
    overdue = Action.objects.overdue(today)
    panels = (
        PanelPage.objects.live()
        .filter(secretaries_group__isnull=False, pk__in=overdue.values("panel_id"))
        .select_related("secretaries_group")
        .order_by("title")
    )
    secretaries: dict[int, tuple] = {}
    for panel in panels:
        for person in panel.secretaries_group.user_set.filter(is_active=True).exclude(email=""):
            secretaries.setdefault(person.pk, (person, []))[1].append(panel)
    told = set(
        Notice.objects.filter(recipient_id__in=list(secretaries), key=key).values_list(
            "recipient_id", flat=True
        )
    )
    sent = []
    for person, their_panels in secretaries.values():
        if person.pk in told:
            continue
        listed = _overdue_by_panel(person, their_panels, today=today)
        if listed:
            sent.extend(notices.announce(_overdue_list(listed, key=key), people=[person]))
    return sent


def _overdue_by_panel(person, panels: list[PanelPage], *, today) -> list[PanelOverdue]:
    actions = selectors.overdue_actions_of(
        user=person, panels=[panel.pk for panel in panels], today=today
    )
    by_panel: dict[int, list[dict]] = {}
    for action in actions:
        days = (today - action.due_on).days
        by_panel.setdefault(action.panel_id, []).append(
            {
                "reference": action.reference,
                "description": action.description,
                "owner": action.owner_name,
                "due_on": f"{action.due_on:%-d %B %Y}",
                "overdue": f"{days} day{'s' if days != 1 else ''} overdue",
                "url": action_url(action),
            }
        )
    log = reverse("panels:action_log")
    return [
        PanelOverdue(
            panel=panel,
            title=panel.title,
            url=notices.absolute(f"{log}?overdue=1&panel={panel.pk}"),
            actions=by_panel[panel.pk],
        )
        for panel in panels
        if panel.pk in by_panel
    ]


def _overdue_list(listed: list[PanelOverdue], *, key: str) -> notices.Event:
    count = sum(len(group.actions) for group in listed)
    return notices.Event(
        kind="overdue-actions",
        key=key,
        # A list of panels the secretary sits on: told only if they may read the first.
        about=listed[0].panel,
        subject=f"{count} overdue action{'s' if count != 1 else ''} on your panels",
        url=notices.absolute(f"{reverse('panels:action_log')}?overdue=1"),
        context={"panels": listed, "count": count},
    )
