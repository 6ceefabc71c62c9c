"""The panels demo: the report's panels and meetings, every action status, loaded once."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.models import Page, Revision

from panels import selectors
from panels.models import Action, ActionReview, Decision, MeetingPage, PanelPage

pytestmark = pytest.mark.django_db


def load():
    call_command("load_demo", stdout=io.StringIO())


def counts():
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "actions": Action.objects.count(),
        "history": Action.history.count(),
        "reviews": ActionReview.objects.count(),
        "decisions": Decision.objects.count(),
        "group members": sum(g.user_set.count() for g in Group.objects.all()),
    }


@pytest.fixture(scope="module")
def demo(module_transaction):
    """The demo, loaded once for this module's tests."""
    load()


def test_the_demo_has_the_reports_panels_meetings_and_every_action_status(demo):
    assert PanelPage.objects.count() == 7
    titles = set(MeetingPage.objects.values_list("title", flat=True))
    assert "Team managers' performance meeting, 15 January 2015" in titles
    assert "Corporate Parenting Board relaunch, 20 January 2015" in titles
    assert "Children Review Panel, 21 January 2015" in titles
    assert "People (Children) Scrutiny Panel, 22 January 2015" in titles
    assert set(Action.objects.values_list("status", flat=True)) == {
        "open",
        "in_progress",
        "done",
        "cancelled",
    }
    assert Decision.objects.get(reference="TMPM/2015/01/D1").title == "Transfer protocol approved"
    masp = PanelPage.objects.get(short_code="MASP")
    assert masp.secretaries_group.user_set.get().username == "secretary"
    assert masp.members_group.user_set.filter(username="member").exists()
    notify = Action.objects.get(reference="MASP/2014/11/A1")
    assert [h.status for h in notify.history.order_by("history_date")] == [
        "open",
        "in_progress",
        "done",
    ]


def test_loading_the_demo_twice_changes_nothing(demo):
    before = counts()

    load()

    assert counts() == before


def test_the_demos_actions_are_dated_by_their_meetings_and_minutes_approved_at_the_next(demo):
    done = Action.objects.filter(status="done").prefetch_related("reviews__meeting")
    for action in done:
        reported = max(review.meeting.local_start.date() for review in action.reviews.all())
        assert action.completed_on == reported, action.reference
    masp = PanelPage.objects.get(short_code="MASP")
    first, second, *_ = MeetingPage.objects.child_of(masp).order_by("starts_at")
    member = get_user_model().objects.get(username="member")
    assert selectors.minutes_approved_at(meeting=first, user=member) == second
    assert first.slug == f"{first.local_start:%Y-%m-%d}"
