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
    expect(page.locator(".govuk-body-l").get_by_text("Amber (set by a manager)")).to_be_visible()

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


# The smallest size a chart label may be drawn at, in CSS pixels, and what sticks out.
LABEL_SIZES = """() => [...document.querySelectorAll('svg.hub-chart text')].map(text => {
    const svg = text.ownerSVGElement;
    const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
    return Math.min(
        parseFloat(getComputedStyle(text).fontSize) * scale, text.getBoundingClientRect().height
    );
})"""
OVERFLOWING = """() => [...document.querySelectorAll('body *')]
    .filter(el => !el.closest('.hub-table-container'))
    .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
    .map(el => el.tagName.toLowerCase() + '#' + el.id)"""


def test_at_320_pixels_the_charts_labels_stay_readable_and_nothing_overflows(page, plan_site):
    sign_in(page, plan_site.url, "staff")
    page.set_viewport_size({"width": 320, "height": 800})

    page.goto(f"{plan_site.url}/improvement-plan/")
    sizes = page.evaluate(LABEL_SIZES)
    assert sizes and min(sizes) >= 12, sizes
    chart = page.get_by_role("region", name="Milestones by month")
    expect(chart.get_by_role("img")).to_be_visible()
    assert page.evaluate(OVERFLOWING) == []

    page.goto(f"{plan_site.url}/improvement-plan/evidence/?on=2015-03-31")
    select = page.get_by_label("Focus area")
    assert select.bounding_box()["width"] <= 320 - 2 * 15
    assert page.evaluate(OVERFLOWING) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 320

    # In large print the labels grow with the chart, and still nothing sticks out.
    page.context.add_cookies([{"name": "hub_large_print", "value": "1", "url": plan_site.url}])
    for address in ("", "evidence/?on=2015-03-31", "evidence/?on=nonsense", "risks/"):
        page.goto(f"{plan_site.url}/improvement-plan/{address}")
        assert page.evaluate("document.documentElement.classList.contains('large-print')")
        assert page.evaluate(OVERFLOWING) == [], address
    page.goto(f"{plan_site.url}/improvement-plan/")
    assert min(page.evaluate(LABEL_SIZES)) >= 14


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
