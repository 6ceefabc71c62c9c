"""Panels in a real browser: a secretary minutes, the chair approves, members and partners read."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from icalendar import Calendar
from playwright.sync_api import expect

from panels import demo as panels_demo
from panels import services
from panels.models import Action, DecisionOutcome, MeetingPage, PanelPage
from tests.browser.conftest import assert_accessible, sign_in
from tests.cases import failures

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def panels_site(demo_site):
    panels_demo.load()
    return demo_site


def person(username):
    return get_user_model().objects.get(username=username)


def march_meeting():
    return MeetingPage.objects.get(slug="2015-03-11")


def test_secretary_changes_an_action_with_a_reason_and_the_chair_approves(page, panels_site):
    url = panels_site.url
    meeting = march_meeting()
    services.record_decision(
        meeting=meeting,
        by=person("secretary"),
        title="Briefings restart in April",
        decision="Restart threshold briefings once the duty team is recruited.",
        decision_maker="The panel",
        outcome=DecisionOutcome.AGREED,
    )

    sign_in(page, url, "secretary")
    older = Action.objects.get(reference="MASP/2015/01/A1")
    page.goto(f"{url}/admin/snippets/panels/action/edit/{older.pk}/")
    page.locator("#id_status").select_option(label="Done")
    page.get_by_role("button", name="Save").first.click()
    expect(page.get_by_text("Say why the status changed.").first).to_be_visible()
    page.locator("#id_reason").fill("All duty staff briefed in March.")
    page.get_by_role("button", name="Save").first.click()
    page.wait_for_url(f"{url}/admin/snippets/panels/action/")
    older.refresh_from_db()
    assert older.status == "done"

    page.goto(f"{url}/actions/{older.pk}/")
    expect(page.get_by_text("All duty staff briefed in March.")).to_be_visible()
    assert_accessible(page)

    meeting.refresh_from_db()
    draft = meeting.get_latest_revision_as_object()
    workflow = draft.get_workflow()
    assert workflow.name == "Minutes approval"
    state = workflow.start(draft, person("secretary"))
    state.current_task_state.task.specific.on_action(
        state.current_task_state, person("approver"), "approve"
    )
    meeting.refresh_from_db()
    assert [d.reference for d in meeting.decisions.all()] == ["MASP/2015/03/D1"]


def test_a_member_reads_the_minutes_and_a_partner_never_sees_the_confidential_part(
    page, panels_site
):
    url = panels_site.url
    meeting_url = f"{url}/panels/multi-agency-safeguarding-panel/2014-11-12/"

    sign_in(page, url, "member")
    page.goto(meeting_url)
    assert page.get_by_role("heading", name="Confidential minutes").is_visible()
    assert page.get_by_text("MASP/2014/11/D1").first.is_visible()
    assert page.get_by_text("approved as a true record").is_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, url, "partner")
    page.goto(meeting_url)
    assert page.get_by_role("heading", name="Decisions").is_visible()
    assert page.get_by_text("Confidential minutes").count() == 0
    assert page.get_by_text("Case A").count() == 0


PANEL_PAGES = [
    "/panels/",
    "/panels/multi-agency-safeguarding-panel/",
    "/panels/multi-agency-safeguarding-panel/2015-01-14/",
    "/panels/multi-agency-safeguarding-panel/2015-01-14/print/",
    "/panels/multi-agency-safeguarding-panel/terms/",
    "/panels/multi-agency-safeguarding-panel/terms/1/",
    "/panels/multi-agency-safeguarding-panel/terms/compare/1...2/",
    "/panels/local-safeguarding-children-board/",
    "/actions/",
    "/decisions/",
    "/meetings/upcoming/",
]


def test_panel_pages_are_accessible(page, panels_site):
    """One sign-in, then axe-core on every panel page; every page with a violation is listed."""
    sign_in(page, panels_site.url, "secretary")

    def accessible(path):
        page.goto(panels_site.url + path)
        assert page.get_by_role("heading", level=1).is_visible()
        assert_accessible(page)

    assert failures(PANEL_PAGES, accessible) == []


def test_action_page_is_accessible(page, panels_site):
    action = Action.objects.get(reference="MASP/2014/11/A1")
    sign_in(page, panels_site.url, "member")
    page.goto(f"{panels_site.url}/actions/{action.pk}/")
    assert page.get_by_role("heading", name="History").is_visible()
    assert datetime.date(2014, 12, 10).strftime("%-d %B %Y") in page.content()
    assert_accessible(page)


def test_a_draft_making_minutes_public_changes_nothing_until_the_chair_approves_it(
    page, panels_site
):
    url = panels_site.url
    masp = PanelPage.objects.get(short_code="MASP")
    meeting_url = f"{url}/panels/multi-agency-safeguarding-panel/2015-01-14/"
    title = "MASP meeting, 14 January 2015"

    def what_a_signed_out_visitor_sees():
        page.context.clear_cookies()
        page.goto(meeting_url)
        signed_in_to_read = "/accounts/login/" in page.url
        page.goto(f"{url}/search/?q=launched+neglect+conference")
        found = page.get_by_role("link", name=title).count() > 0
        calendar = Calendar.from_ical(
            page.request.get(f"{url}/meetings/calendar.ics?since=2014-01-01").body()
        )
        events = [str(event["SUMMARY"]) for event in calendar.walk("VEVENT")]
        return signed_in_to_read, found, any(title in event for event in events)

    sign_in(page, url, "secretary")
    page.goto(f"{url}/admin/pages/{masp.pk}/edit/")
    page.locator("#id_minutes_audience").select_option(label="Public")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("has been updated")).to_be_visible()

    assert what_a_signed_out_visitor_sees() == (True, False, False)

    sign_in(page, url, "secretary")
    page.goto(f"{url}/admin/pages/{masp.pk}/edit/")
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Submit to Minutes approval").click()
    expect(page.get_by_text("has been submitted for moderation")).to_be_visible()

    page.context.clear_cookies()
    sign_in(page, url, "approver")
    page.goto(f"{url}/admin/pages/{masp.pk}/edit/")
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Approve and Publish", exact=True).click()
    expect(page.get_by_text("has been updated")).to_be_visible()

    assert what_a_signed_out_visitor_sees() == (False, True, True)


def test_in_large_print_the_meeting_and_action_log_fit_and_statuses_stay_on_one_line(
    browser, panels_site
):
    """At 320 pixels in large print: the meeting's details wrap within the page, tables
    scroll in their own regions, and no status tag ("Open (overdue)") breaks over lines."""
    context = browser.new_context(locale="en-GB", viewport={"width": 320, "height": 800})
    context.add_cookies([{"name": "hub_large_print", "value": "1", "url": panels_site.url}])
    page = context.new_page()
    try:
        sign_in(page, panels_site.url, "secretary")
        page.goto(f"{panels_site.url}/panels/multi-agency-safeguarding-panel/2014-11-12/")
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        details = page.locator("main dl.govuk-summary-list").first
        assert details.evaluate("dl => dl.scrollWidth <= dl.clientWidth")

        page.goto(f"{panels_site.url}/actions/")
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        tags = page.locator("main .govuk-tag")
        expect(tags.filter(has_text="(overdue)").first).to_be_attached()
        lines = tags.evaluate_all(
            """tags => tags.map(tag => {
                const lineHeight = parseFloat(getComputedStyle(tag).lineHeight);
                const height = tag.getBoundingClientRect().height;
                return [tag.textContent, Math.round(height / lineHeight)];
            })"""
        )
        assert [text for text, count in lines if count > 1] == []
    finally:
        context.close()


def test_the_action_logs_filters_line_up(page, panels_site):
    """On a wide screen the three select boxes and the checkbox share one line, the
    checkbox on the line's foot with the boxes, not above or below them."""
    page.set_viewport_size({"width": 1100, "height": 900})
    sign_in(page, panels_site.url, "secretary")
    page.goto(f"{panels_site.url}/actions/")

    def box(label):
        found = page.get_by_label(label, exact=True).bounding_box()
        return found["y"], found["y"] + found["height"]

    selects = [box(name) for name in ("Panel", "Owner", "Status")]
    overdue = box("Overdue only")
    assert len(set(selects)) == 1, selects
    (top, bottom), (box_top, box_bottom) = selects[0], overdue
    assert box_top < bottom and top < box_bottom, (selects[0], overdue)
    assert abs(bottom - box_bottom) <= 8, (selects[0], overdue)
    assert_accessible(page)
