"""Selectors: the action log, a readable history and home lists."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from hub.audiences import Audience
from hub.database import refresh_statistics
from panels import selectors, services
from panels.models import Action, ActionStatus, Decision, MeetingPage
from tests.cases import failures
from tests.improvement import conftest as improvement_fixtures
from tests.panels.conftest import make_meeting, publish

pytestmark = pytest.mark.django_db

# Decisions and actions serve the improvement plan's milestones.
plan = improvement_fixtures.plan
area = improvement_fixtures.area
make_milestone = improvement_fixtures.make_milestone


def test_action_log_filters_combine(meeting, raise_one, people, masp):
    mine = raise_one(meeting, owner=people["panel_member"])
    raise_one(meeting, description="Someone else's.")
    services.change_action(action=mine, by=people["secretary"], reason="r", status="in_progress")
    filters = selectors.ActionFilters(panel=masp.pk, owner=people["panel_member"].pk)

    assert list(selectors.action_log(user=people["staff"], filters=filters)) == [mine]
    filters = selectors.ActionFilters(status=ActionStatus.DONE)
    assert not selectors.action_log(user=people["staff"], filters=filters).exists()


def test_filters_from_a_query_ignore_nonsense():
    filters = selectors.ActionFilters.from_query({"panel": "x", "status": "lost", "overdue": "1"})

    assert filters == selectors.ActionFilters(overdue=True)


def test_history_reads_old_to_new_per_field_with_who_and_why(meeting, raise_one, people):
    action = raise_one(meeting, owner=people["staff"])
    services.change_action(
        action=action,
        by=people["approver"],
        reason="Moved to the police.",
        owner=people["panel_member"],
        status=ActionStatus.IN_PROGRESS,
    )

    created, changed = selectors.action_history(action=action, user=people["staff"])

    assert created.created and created.reason == "Raised at the meeting of 14 January 2015."
    assert changed.who == people["approver"].get_full_name()
    assert changed.reason == "Moved to the police."
    assert {(c.field, c.old, c.new) for c in changed.changes} == {
        ("Owner", people["staff"].get_full_name(), people["panel_member"].get_full_name()),
        ("Status", "Open", "In progress"),
    }


def test_overdue_on_my_panels_covers_members_and_not_outsiders(meeting, raise_one, people):
    late = raise_one(meeting, due="2015-02-01", owner=people["staff"])

    assert list(selectors.overdue_actions_on_my_panels(user=people["panel_member"])) == [late]
    assert not selectors.overdue_actions_on_my_panels(user=people["staff"]).exists()
    assert list(selectors.my_open_actions(user=people["staff"])) == [late]


def test_the_confidential_part_is_for_the_panels_own_groups(masp, people):
    allowed = {
        role
        for role, user in people.items()
        if selectors.may_see_confidential(user=user, panel=masp)
    }

    assert allowed == {"panel_member", "secretary", "approver"}


def test_upcoming_meetings_leave_out_cancelled_ones(masp, people):
    from tests.panels.conftest import make_meeting

    soon = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    later = (datetime.date.today() + datetime.timedelta(days=10)).isoformat()
    make_meeting(masp, day=soon, status="cancelled")
    kept = make_meeting(masp, day=later)

    assert list(selectors.upcoming_meetings(user=people["staff"])) == [kept]


def years_of_actions(action, *, count: int) -> None:
    """Copies of ``action`` from the years before it, nine in ten done, for the planner to see."""
    owners = get_user_model().objects.all()
    Action.objects.bulk_create(
        Action(
            reference=f"{action.reference}/{number}",
            description=action.description,
            owner=owners[number % len(owners)],
            owner_agency=action.owner_agency,
            raised_on=action.raised_on - datetime.timedelta(days=number),
            due_on=action.due_on - datetime.timedelta(days=number),
            status=ActionStatus.OPEN if number % 10 == 0 else ActionStatus.DONE,
            panel_id=action.panel_id,
            meeting_id=action.meeting_id,
            audience=action.audience,
            audience_group_id=action.audience_group_id,
        )
        for number in range(1, count + 1)
    )


@pytest.mark.skipif(connection.vendor != "sqlite", reason="reads SQLite's query plan")
@pytest.mark.usefixtures("planner_as_on_a_new_site")
def test_action_lists_read_a_page_in_date_order_or_only_open_actions(meeting, raise_one, people):
    """However many actions are closed, a list reads one page of them or the open ones only."""
    raise_one(meeting, owner=people["panel_member"])
    member, secretary = people["panel_member"], people["secretary"]
    lists = {
        "action log": (selectors.action_log(user=secretary), "USING INDEX panels_acti_due_on"),
        "my open actions": (selectors.my_open_actions(user=member), "(owner_id=? AND status=?)"),
        "overdue on my panels": (
            selectors.overdue_actions_on_my_panels(user=member),
            "(panel_id=? AND status=? AND due_on<?)",
        ),
        "owners": (selectors.action_owners(user=secretary), "(owner_id=?)"),
    }

    def reads_through_an_index(name):
        actions, lookup = lists[name]
        plan = actions[:50].explain()
        assert lookup in plan, plan
        reads = [line for line in plan.splitlines() if "panels_act" in line]
        assert reads and all("INDEX" in line for line in reads), plan
        if name == "action log":
            assert "TEMP B-TREE" not in plan, plan

    assert failures(lists, reads_through_an_index) == []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="reads SQLite's query plan")
@pytest.mark.usefixtures("planner_as_on_a_new_site")
def test_with_years_of_actions_the_action_log_still_reads_one_page_in_date_order(
    meeting, raise_one, people
):
    """The planner, knowing how many actions there are, still stops after a page of them."""
    years_of_actions(raise_one(meeting), count=2_000)
    refresh_statistics()

    plan = selectors.action_log(user=people["secretary"])[:50].explain()

    assert "SCAN panels_action USING INDEX panels_acti_due_on" in plan, plan
    assert "TEMP B-TREE" not in plan, plan


@pytest.mark.skipif(connection.vendor != "sqlite", reason="reads SQLite's query plan")
@pytest.mark.usefixtures("planner_as_on_a_new_site")
def test_a_calendar_reads_the_meetings_of_its_window_not_every_meeting(masp, people):
    """Years of meetings before a calendar's window cost it nothing."""
    for year in range(2010, 2015):
        make_meeting(masp, day=f"{year}-03-11")
    recent = make_meeting(masp, day=datetime.date.today().isoformat())
    refresh_statistics()

    meetings = selectors.calendar_meetings(user=people["panel_member"])

    assert "USING INDEX panels_meet_starts" in meetings.explain()
    assert list(meetings) == [recent]


# What decisions and actions link to --------------------------------------------------------


def test_a_previewed_draft_names_the_versions_and_milestones_it_chose(
    meeting, make_policy, make_milestone, people
):
    threshold = make_policy(title="Threshold Document", audience=Audience.PARTNERS)
    transfer = make_policy(title="Transfer Protocol", audience=Audience.STAFF)
    pathway = make_milestone(title="Referral pathway agreed", audience=Audience.PARTNERS)
    draft = MeetingPage.objects.get(pk=meeting.pk)
    decision = Decision(title="Draft decision", decision="Draft.", decision_maker="Chair")
    decision.policy_versions = [threshold.versions.get(), transfer.versions.get()]
    decision.milestones = [pathway]
    draft.decisions.add(decision)
    previewed = draft.save_revision().as_object()

    decisions = selectors.decision_links(list(previewed.decisions.all()), user=people["partner"])

    [shown] = decisions
    assert [link.text for link in shown.approves] == ["Threshold Document, version 1"]
    assert [link.text for link in shown.serves] == ["Referral pathway agreed"]
    assert shown.approves[0].url == f"{threshold.url}versions/1/"
    assert selectors.decision_links(list(meeting.decisions.all()), user=people["staff"]) == []


def test_links_leave_out_what_the_reader_may_not_see(meeting, make_policy, people, raise_one):
    transfer = make_policy(title="Transfer Protocol", audience=Audience.STAFF)
    decision = Decision(title="Adopt", decision="Adopted.", decision_maker="Chair")
    decision.policy_versions = [transfer.versions.get()]
    meeting.decisions.add(decision)
    meeting = publish(meeting)

    [for_partner] = selectors.decision_links(list(meeting.decisions.all()), user=people["partner"])
    [for_staff] = selectors.decision_links(list(meeting.decisions.all()), user=people["staff"])

    assert for_partner.approves == []
    assert [link.text for link in for_staff.approves] == ["Transfer Protocol, version 1"]
