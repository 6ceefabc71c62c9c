"""A panel secretary's whole meeting, clicked through in the admin, then read by a member.

The secretary minutes the April meeting, hears the matters arising from January,
raises actions on a decision and sends the minutes to the chair, who approves them
from the dashboard. A member then reads the published minutes, and the improvement
plan counts the action completed at the meeting in the meeting's month.
"""

import pytest
from playwright.sync_api import expect

from panels.models import MeetingPage
from tests.browser.conftest import (
    assert_accessible,
    finish_answering_requests,
    give_demo_passwords,
    sign_in,
)
from tests.improvement import conftest as plan_fixtures
from tests.panels import conftest as panel_fixtures

pytestmark = pytest.mark.browser

# The panel and the plan, made as the panels' and the plan's own tests make them.
index = panel_fixtures.index
masp = panel_fixtures.masp
raise_one = panel_fixtures.raise_one
plan = plan_fixtures.plan
area = plan_fixtures.area
make_milestone = plan_fixtures.make_milestone

JANUARY = "MASP meeting, 14 January 2015"
APRIL = "MASP meeting, 8 April 2015"
DECISION = "MASP/2015/04/D1: Briefings restart in May"


@pytest.fixture
def site(live_server, transactional_db, people):
    """The live server, over data committed where its threads can read it.

    Asking for ``transactional_db`` by name tells the suite the database is emptied
    afterwards, so the site is built again for the next test. Everyone signs in with
    the password the browser tests type.
    """
    give_demo_passwords(people)
    yield live_server
    # The database is emptied after the test: not under a request still being answered.
    finish_answering_requests()


@pytest.fixture
def january(masp, raise_one, make_milestone):
    """The panel's last meeting, published with no decisions and three actions still open.

    The first action serves a milestone of the improvement plan.
    """
    meeting = panel_fixtures.make_meeting(masp, day="2015-01-14", title=JANUARY)
    milestone = make_milestone()
    for description, due, milestones in (
        ("Brief the duty team.", "2015-02-01", [milestone]),
        ("Audit ten referrals.", "2015-02-08", []),
        ("Write to the schools.", "2015-02-09", []),
    ):
        raise_one(meeting, description=description, due=due, milestones=milestones)
    return meeting


def test_a_secretary_minutes_a_meeting_and_the_chair_approves_it(site, january, people, page):
    url = site.url
    owner = f"{people['panel_member'].get_full_name()}, Children's Services"
    chair = f"{people['approver'].get_full_name()}, Children's Services"

    sign_in(page, url, "secretary")
    minute_the_april_meeting(page, url)
    april = MeetingPage.objects.get(title=APRIL)
    assert april.url_path.endswith("/2015-04-08/")

    action_menu(page).get_by_role("link", name="Matters arising").click()
    hear_the_matters_arising(page)
    page.get_by_role("link", name="Raise an action").click()
    raise_actions_on_the_decision(page, owners=[owner, chair])
    # Back in the editor, a decision added now would be the second of the month.
    assert reference_offered_to_a_new_decision(page) == "MASP/2015/04/D2"
    action_menu(page).get_by_role("button", name="Send minutes for approval").click()
    expect(page.get_by_text(f"Page '{APRIL}' has been submitted for moderation")).to_be_visible()

    switch_to(page, url, "approver")
    approve_from_the_dashboard(page, url)

    switch_to(page, url, "panel_member")
    read_the_april_minutes(page, url)
    page.goto(f"{url}/panels/masp/2015-01-14/")
    approved = page.get_by_text("approved as a true record at the meeting of 8 April 2015")
    expect(approved).to_be_visible()
    assert_accessible(page)
    page.goto(f"{url}/improvement-plan/")
    # Completed as reported at the meeting, so counted in April 2015, not on the day typed.
    figures = actions_by_month(page)
    assert (figures["Jan 15"], figures["Apr 15"]) == (["3", "0"], ["2", "1"])
    assert_accessible(page)


def minute_the_april_meeting(page, url):
    page.goto(f"{url}/admin/pages/")
    expect(page.get_by_role("heading", name="Exploring: MASP panel")).to_be_visible()
    page.get_by_role("link", name="Add child page").click()

    # The agenda item and the decision each have a "Title*" of their own, as the page does.
    page.get_by_role("region", name="Title*", exact=True).get_by_role("textbox").fill(APRIL)
    page.get_by_label("Date and time*").fill("2015-04-08 10:00")
    page.get_by_label("Status*").select_option(label="Held")
    agenda = page.get_by_role("region", name="Agenda", exact=True)
    agenda.get_by_role("button", name="Insert a block").click()
    item = page.get_by_role("region", name="Agenda item")
    item.get_by_role("textbox", name="Title*").fill("Threshold briefings")
    page.get_by_role("button", name="Add decision").click()
    decision = page.get_by_role("region", name="Decision 1")
    decision.get_by_role("textbox", name="Title*").fill("Briefings restart in May")
    decision.get_by_label("Decision*", exact=True).fill("Restart threshold briefings in May.")
    decision.get_by_label("Decision maker*").fill("The panel")
    page.get_by_role("button", name="Choose a page (Meeting page)").click()
    page.get_by_role("dialog").get_by_role("link", name=JANUARY).click()
    expect(page.get_by_role("region", name="Minutes approved at this meeting")).to_contain_text(
        JANUARY
    )
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text(f"Page '{APRIL}' created.")).to_be_visible()

    # The reference left empty is made on saving, the next for the panel and month.
    expect(decision.get_by_label("Reference")).to_have_value("MASP/2015/04/D1")
    page.get_by_role("tab", name="Promote").click()
    slug = page.get_by_label("Slug")
    expect(slug).to_be_disabled()
    expect(slug).to_have_value("2015-04-08")
    page.get_by_role("tab", name="Content").click()


def reference_offered_to_a_new_decision(page):
    """The placeholder in a new decision's empty reference box; the decision is then removed."""
    page.get_by_role("button", name="Add decision").click()
    added = page.get_by_role("region", name="Decision 2")
    reference = added.get_by_label("Reference").get_attribute("placeholder")
    added.get_by_role("button", name="Delete").click()
    expect(added).to_be_hidden()
    return reference


def action_menu(page):
    """The dropdown beside "Save draft" in the meeting's editor."""
    page.get_by_role("button", name="More actions").click()
    return page.get_by_role("navigation", name="Actions (footer)")


def hear_the_matters_arising(page):
    expect(page.get_by_role("heading", name=f"Matters arising: {APRIL}")).to_be_visible()
    expect(page.get_by_label("Changes took effect on*")).to_have_value("2015-04-08")

    done = page.get_by_role("group", name="MASP/2015/01/A1: Brief the duty team.")
    done.get_by_label("Progress reported").fill("Every duty social worker was briefed.")
    done.get_by_label("New status").select_option(label="Done")
    done.get_by_label("Reason for the change").fill("All the briefings were held.")
    carried = page.get_by_role("group", name="MASP/2015/01/A2: Audit ten referrals.")
    carried.get_by_label("Carried forward").check()
    carried.get_by_label("New due date").fill("2015-05-13")
    carried.get_by_label("Reason for the change").fill("The auditor was ill in March.")
    page.get_by_role("button", name="Record what was reported").click()

    expect(page.get_by_text("Recorded what was reported on 2 actions.")).to_be_visible()
    # Left empty, the third waits for the next meeting; the others are no longer asked about.
    expect(page.get_by_role("main").get_by_role("group")).to_have_count(1)
    expect(page.get_by_role("group", name="MASP/2015/01/A3: Write to the schools.")).to_be_visible()
    reviewed = page.get_by_role("main").get_by_role("listitem").filter(has_text="MASP/2015/01/A")
    expect(reviewed).to_have_text(
        [
            "MASP/2015/01/A1: Every duty social worker was briefed. (Done)",
            "MASP/2015/01/A2: Carried forward to the next meeting. (Open (overdue))",
        ]
    )


def raise_actions_on_the_decision(page, *, owners):
    expect(page.get_by_role("heading", name=f"Raise an action: {APRIL}")).to_be_visible()
    fill_an_action(page, "Book the May briefings.", owner=owners[0], due="2015-04-30")
    page.get_by_role("button", name="Raise and add another").click()
    expect(page.get_by_text("Action MASP/2015/04/A1 raised.")).to_be_visible()
    expect(page.get_by_text("MASP/2015/04/A1: Book the May briefings.")).to_be_visible()

    fill_an_action(page, "Tell the schools the dates.", owner=owners[1], due="2015-05-06")
    page.get_by_role("button", name="Raise and go back to the meeting").click()
    expect(page.get_by_text("Action MASP/2015/04/A2 raised.")).to_be_visible()
    expect(page.get_by_role("heading", name=f"Editing Meeting page: {APRIL}")).to_be_visible()


def fill_an_action(page, description, *, owner, due):
    page.get_by_label("Description*").fill(description)
    page.get_by_label("Owner*").select_option(label=owner)
    page.get_by_label("Due date*").fill(due)
    page.get_by_label("Serves decision").select_option(label=DECISION)


def switch_to(page, url, username):
    page.context.clear_cookies()
    sign_in(page, url, username)


def approve_from_the_dashboard(page, url):
    page.goto(f"{url}/admin/")
    waiting = page.get_by_role("region", name="Awaiting your review")
    waiting.get_by_role("row", name=APRIL).get_by_role("button", name="Actions").click()
    waiting.get_by_role("button", name="Approve", exact=True).click()
    # The dashboard reloads with nothing left for the chair to review.
    expect(waiting).to_have_count(0)


def read_the_april_minutes(page, url):
    page.goto(f"{url}/panels/masp/2015-04-08/")
    expect(page.get_by_role("heading", name=APRIL, level=1)).to_be_visible()
    # Each table scrolls in a region named by the heading above it, which no caption repeats.
    decisions = page.get_by_role("region", name="Decisions").get_by_role("table")
    expect(decisions.get_by_role("rowheader")).to_have_text(["MASP/2015/04/D1"])
    raised = page.get_by_role("region", name="Actions raised").get_by_role("table")
    expect(raised.get_by_role("rowheader")).to_have_text(["MASP/2015/04/A1", "MASP/2015/04/A2"])
    expect(raised).to_contain_text("Book the May briefings.")
    expect(raised).to_contain_text("Tell the schools the dates.")
    reviewed = page.get_by_role("region", name="Matters arising: actions reviewed").get_by_role(
        "table"
    )
    expect(reviewed.get_by_role("rowheader")).to_have_text(["MASP/2015/01/A1", "MASP/2015/01/A2"])
    expect(reviewed.get_by_role("row", name="MASP/2015/01/A1")).to_contain_text(
        "Every duty social worker was briefed."
    )
    expect(reviewed.get_by_role("row", name="MASP/2015/01/A2")).to_contain_text(
        "Carried forward to the next meeting."
    )
    assert_accessible(page)


def actions_by_month(page) -> dict[str, list[str]]:
    """The figures of the plan's "Actions opened and closed" chart: opened, closed."""
    page.get_by_text("Show the actions chart's figures as a table").click()
    table = page.get_by_role("table", name="Actions opened and closed each month")
    expect(table).to_be_visible()
    return {
        row.get_by_role("rowheader").inner_text(): row.get_by_role("cell").all_inner_texts()
        for row in table.get_by_role("row").filter(has=page.get_by_role("rowheader")).all()
    }
