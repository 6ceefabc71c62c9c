"""The RAG rule, case by case."""

import datetime

import pytest

from improvement.progress import ActionState, Rag, derive_status

TODAY = datetime.date(2015, 3, 1)
OPEN_LATER = ActionState(is_open=True, due_on=datetime.date(2015, 3, 20))
OPEN_OVERDUE = ActionState(is_open=True, due_on=datetime.date(2015, 2, 20))
DONE = ActionState(is_open=False, due_on=datetime.date(2015, 2, 1))


@pytest.mark.parametrize(
    ("due_on", "marked_done", "actions", "expected", "reason"),
    [
        (datetime.date(2015, 2, 1), True, [DONE], Rag.COMPLETE, "every linked action finished"),
        (datetime.date(2015, 4, 1), True, [], Rag.COMPLETE, "Marked done"),
        (datetime.date(2015, 4, 1), True, [OPEN_LATER], Rag.AMBER, "still open"),
        (datetime.date(2015, 2, 1), True, [OPEN_LATER], Rag.RED, "Past its due date with 1 action"),
        (datetime.date(2015, 2, 28), False, [], Rag.RED, "Past its due date of 28 February"),
        (datetime.date(2015, 6, 1), False, [OPEN_OVERDUE], Rag.RED, "1 linked action overdue"),
        (datetime.date(2015, 3, 20), False, [OPEN_LATER], Rag.AMBER, "Due within 28 days"),
        (datetime.date(2015, 3, 29), False, [OPEN_LATER], Rag.AMBER, "Due within 28 days"),
        (datetime.date(2015, 3, 30), False, [OPEN_LATER], Rag.GREEN, "On track"),
        (datetime.date(2015, 3, 20), False, [], Rag.GREEN, "On track"),
        (datetime.date(2015, 3, 1), False, [DONE], Rag.GREEN, "On track"),
        (None, False, [OPEN_LATER], Rag.GREEN, "On track"),
    ],
)
def test_the_rule(due_on, marked_done, actions, expected, reason):
    progress = derive_status(
        due_on=due_on, marked_done=marked_done, actions=actions, today=TODAY, amber_window_days=28
    )

    assert progress.status == expected
    assert reason in progress.reason


def test_the_amber_window_is_the_plans():
    progress = derive_status(
        due_on=datetime.date(2015, 3, 20),
        marked_done=False,
        actions=[OPEN_LATER],
        today=TODAY,
        amber_window_days=7,
    )

    assert progress.status == Rag.GREEN
