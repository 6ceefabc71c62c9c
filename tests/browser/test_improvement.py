"""The improvement plan in a real browser: a manager overrides a status; all pages accessible."""

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
    page.get_by_label("Status").select_option("amber")
    page.get_by_label("Reason").fill("Review under way; findings due at the March board.")
    page.get_by_role("button", name="Save the status").click()
    expect(page.get_by_text("The status has been updated")).to_be_visible()

    page.goto(f"{plan_site.url}/improvement-plan/")
    row = page.locator("li", has_text="Quality assurance framework reviewed and updated").first
    expect(row.get_by_text("Amber (set by a manager)")).to_be_visible()


def test_the_chart_has_a_text_alternative_and_the_evidence_pack_is_accessible(page, plan_site):
    sign_in(page, plan_site.url, "staff")
    page.goto(f"{plan_site.url}/improvement-plan/")

    chart = page.get_by_role("img", name="Milestones due each month, by current status")
    expect(chart).to_be_visible()
    page.get_by_text("Show the chart's figures as a table").click()
    expect(
        page.get_by_role("table", name="Milestones due each month, by current status")
    ).to_be_visible()

    page.goto(f"{plan_site.url}/improvement-plan/evidence/?on=2015-03-31")
    expect(page.get_by_role("heading", name="Milestones")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{plan_site.url}/improvement-plan/risks/")
    assert_accessible(page)
