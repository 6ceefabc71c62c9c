"""The improvement plan in a real browser: a manager overrides a status; all pages accessible."""

import datetime

import pytest
from playwright.sync_api import expect

from improvement import demo as improvement_demo
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def plan_site(demo_site):
    improvement_demo.load()
    return demo_site


def test_a_manager_overrides_a_milestone_with_a_reason(page, plan_site):
    sign_in(page, plan_site.url, "approver")
    page.goto(f"{plan_site.url}/improvement-plan/")
    assert_accessible(page)

    page.get_by_role("link", name="Quality assurance framework reviewed and updated").first.click()
    assert_accessible(page)
    page.get_by_label("Status", exact=True).select_option("amber")
    page.get_by_label("Reason").fill("Review under way; findings due at the March board.")
    page.get_by_role("button", name="Save the status").click()
    expect(page.get_by_text("The status has been updated")).to_be_visible()
    expect(page.locator(".lead").get_by_text("Amber (set by a manager)")).to_be_visible()

    # The plan has ended, so it opens as it stood at its end, before the override.
    page.goto(f"{plan_site.url}/improvement-plan/")
    expect(page.get_by_text("Status as at 30 April 2015, when the plan ended.")).to_be_visible()
    row = page.locator("li", has_text="Quality assurance framework reviewed and updated").first
    expect(row.get_by_text("(set by a manager)")).to_have_count(0)
    page.get_by_label("Status as at").fill(datetime.date.today().isoformat())
    page.get_by_role("button", name="Show", exact=True).click()
    row = page.locator("li", has_text="Quality assurance framework reviewed and updated").first
    expect(row.get_by_text("Amber (set by a manager)")).to_be_visible()


def test_the_chart_has_a_text_alternative_and_the_evidence_pack_is_accessible(page, plan_site):
    sign_in(page, plan_site.url, "staff")
    page.goto(f"{plan_site.url}/improvement-plan/")

    chart = page.get_by_role("img", name="Milestones due each month, by status on 30 April 2015")
    expect(chart).to_be_visible()
    page.get_by_text("Show the chart's figures as a table").click()
    expect(
        page.get_by_role("table", name="Milestones due each month, by status on 30 April 2015")
    ).to_be_visible()

    page.goto(f"{plan_site.url}/improvement-plan/evidence/?on=2015-03-31")
    expect(page.get_by_role("heading", name="Milestones")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{plan_site.url}/improvement-plan/risks/")
    assert_accessible(page)


def test_a_risk_shows_its_changes_of_rating_as_an_accessible_timeline(page, plan_site):
    sign_in(page, plan_site.url, "staff")
    page.goto(f"{plan_site.url}/improvement-plan/risks/")
    assert_accessible(page)

    page.get_by_role("link", name="Viability").click()

    expect(page.get_by_role("heading", level=1, name="Viability")).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="History")).to_be_visible()
    timeline = page.get_by_role("list").filter(has_text="Likelihood:").first
    expect(timeline.get_by_role("listitem").filter(has_text="acting up")).to_have_count(1)
    assert_accessible(page)


def test_the_inspection_and_the_plan_on_an_earlier_date_are_accessible(page, plan_site):
    sign_in(page, plan_site.url, "staff")
    page.goto(f"{plan_site.url}/improvement-plan/?on=2014-12-15")
    expect(page.get_by_text("Status as at 15 December 2014.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Inspection of local authority arrangements").click()
    expect(page.get_by_role("table", name="Ofsted judgements, January 2013")).to_be_visible()
    assert_accessible(page)

    page.goto(f"{plan_site.url}/improvement-plan/?on=31-03-2015")
    expect(page.get_by_role("alert")).to_contain_text("is not a date")
    assert_accessible(page)
