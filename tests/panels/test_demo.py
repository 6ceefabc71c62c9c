"""The panels demo: the report's panels and meetings, every action status, loaded once."""

import io

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import TestCase
from wagtail.models import Page, Revision

from hub import privacy
from hub import selectors as hub_selectors
from improvement.models import Inspection, Milestone
from panels import selectors
from panels.models import Action, ActionReview, Decision, MeetingPage, PanelPage
from search.models import SearchRecord

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
    """The demo, loaded once for this module's tests; what waits for the load to commit (the
    text of its papers) runs, as it would."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        load()


def test_the_demo_has_the_reports_panels_meetings_and_every_action_status(demo):
    assert PanelPage.objects.count() == 9
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


def test_the_transfer_panels_decision_names_the_protocol_version_it_approved(demo, client):
    decision = Decision.objects.get(reference="TMPM/2015/01/D1")
    [version] = decision.policy_versions.select_related("page")
    client.force_login(get_user_model().objects.get(username="staff"))

    html = client.get(decision.meeting.url).content.decode()

    assert str(version) == "Transfer Protocol, version 2"
    assert (
        f'Approved: <a href="{version.page.url}versions/2/">Transfer Protocol, version 2</a>'
    ) in html


def test_a_demo_panel_has_an_earlier_and_a_revised_terms_of_reference(demo, client):
    masp = PanelPage.objects.get(short_code="MASP")

    history = selectors.terms_history(masp)
    html = client.get(f"{masp.url}terms/").content.decode()

    assert [version.number for version in history] == [1, 2]
    assert history[0].approved_on < history[1].approved_on
    assert history[1].terms == masp.terms_of_reference
    assert f'<a href="{masp.url}terms/2/">Version 2</a>' in html
    assert client.get(f"{masp.url}terms/compare/1...2/").status_code == 200


def test_the_lscb_is_a_board_over_its_sub_groups_and_approved_the_threshold_document(demo):
    board = PanelPage.objects.get(short_code="LSCB")
    decision = Decision.objects.get(reference="LSCB/2014/12/D1")

    assert {panel.short_code for panel in board.oversees.all()} == {"MASP", "QASG"}
    assert [str(version) for version in decision.policy_versions.all()] == [
        "LSCB Threshold Document, version 2"
    ]


def test_the_demo_tells_the_inspection_and_december_2014(demo, client):
    inspection = Inspection.objects.get()
    december = Milestone.objects.filter(period="December 2014")

    assert (inspection.started_on.isoformat(), inspection.published_on.isoformat()) == (
        "2013-01-07",
        "2013-02-15",
    )
    assert {j.get_judgement_display() for j in inspection.judgements.all()} == {"Adequate"}
    assert december.count() == 5
    html = client.get("/search/", {"q": "Ofsted"}).content.decode()
    assert inspection.title in html


def test_the_demo_plan_reads_as_it_stood_when_it_ended(demo, client):
    done_on_time = Milestone.objects.get(title="Decision and Action records compulsory")
    first = done_on_time.history.earliest()
    client.force_login(get_user_model().objects.get(username="staff"))

    html = client.get(f"{done_on_time.plan.url}milestones/{done_on_time.pk}/").content.decode()

    assert first.history_date.date().isoformat() == "2014-11-01"
    assert "when the plan ended" in html
    assert '<strong class="govuk-tag">Complete' in html


def test_the_home_page_lists_what_was_published_by_its_own_dates(demo):
    staff = get_user_model().objects.get(username="staff")
    recent = hub_selectors.recent_changes(user=staff)

    assert recent and all(item.published.year <= 2015 for item in recent)
    assert "Panel" not in {item.kind for item in recent}


def test_what_the_demo_shows_beyond_a_panel_has_no_identifying_detail(demo):
    # The search records are the text each audience reads; the confidential parts stay
    # with their panels, so only they may hold a child's details.
    wider = SearchRecord.objects.exclude(key__startswith="confidential:")
    assert wider.count() > 50

    findings = {
        record.key: [(f.kind, f.found) for f in privacy.check(f"{record.title}\n{record.text}")]
        for record in wider
    }

    assert {key: found for key, found in findings.items() if found} == {}


def test_a_demo_meeting_has_a_paper_its_readers_find_by_its_words(demo, client):
    client.force_login(get_user_model().objects.get(username="partner"))

    response = client.get("/search/", {"q": "held at the right level of need"})
    [result] = BeautifulSoup(response.content, "html.parser").select(".hub-result")

    assert result.select_one("h3").get_text() == (
        "Audit of MASP cases close to the CIN threshold of MASP meeting, 11 February 2015"
    )
    assert "Found on page 1" in result.get_text()
    assert client.get(result.select_one("h3 a")["href"]).status_code == 200


def test_every_meeting_of_the_demo_passes_the_privacy_check(demo):
    """What the editor would find: the minutes, decisions and papers each meeting publishes."""
    found = {
        meeting.title: [item.summary for item in privacy.findings_for(meeting)]
        for meeting in MeetingPage.objects.all()
    }

    assert {title: summary for title, summary in found.items() if summary} == {}
    assert privacy.findings_for(MeetingPage.objects.get(slug="2015-02-11").specific) == []
