"""The rule that turns a milestone's dates and actions into red, amber, green or complete.

It is the only place the rule lives: pages, evidence packs, charts and the
admin all call ``derive_status``.
"""

import datetime
from dataclasses import dataclass
from enum import StrEnum

DEFAULT_AMBER_WINDOW_DAYS = 28


class Rag(StrEnum):
    COMPLETE = "complete"
    RED = "red"
    AMBER = "amber"
    GREEN = "green"

    @property
    def label(self) -> str:
        return {"complete": "Complete", "red": "Red", "amber": "Amber", "green": "Green"}[self]


@dataclass(frozen=True)
class ActionState:
    """What the rule needs to know of an action linked to a milestone."""

    is_open: bool
    due_on: datetime.date | None


@dataclass(frozen=True)
class Progress:
    """A milestone's status and the reason for it, in words."""

    status: Rag
    reason: str
    overridden: bool = False


def derive_status(
    *,
    due_on: datetime.date | None,
    marked_done: bool,
    actions: list[ActionState],
    today: datetime.date,
    amber_window_days: int = DEFAULT_AMBER_WINDOW_DAYS,
) -> Progress:
    """The milestone's status from its due date, whether it is marked done, and its actions."""
    open_actions = [action for action in actions if action.is_open]
    overdue = [a for a in open_actions if a.due_on is not None and a.due_on < today]
    if marked_done and not open_actions:
        return Progress(Rag.COMPLETE, "Marked done, with every linked action finished.")
    if overdue:
        return Progress(Rag.RED, f"{_count(overdue, 'linked action')} overdue.")
    if due_on is not None and due_on < today:
        if marked_done:
            return Progress(
                Rag.RED, f"Past its due date with {_count(open_actions, 'action')} open."
            )
        return Progress(Rag.RED, f"Past its due date of {due_on:%-d %B %Y} and not done.")
    if marked_done:
        return Progress(Rag.AMBER, f"Marked done, but {_count(open_actions, 'action')} still open.")
    if due_on is not None and open_actions and (due_on - today).days <= amber_window_days:
        return Progress(
            Rag.AMBER,
            f"Due within {amber_window_days} days with {_count(open_actions, 'action')} open.",
        )
    return Progress(Rag.GREEN, "On track.")


def _count(items: list, noun: str) -> str:
    return f"{len(items)} {noun}{'' if len(items) == 1 else 's'}"
