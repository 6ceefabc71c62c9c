"""Search and the decision register in a real browser: find, narrow, open; all accessible."""

import re

import pytest
from playwright.sync_api import expect

from panels import demo as panels_demo
from policies import demo as policies_demo
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser


def indexed(site, demo):
    """The site with ``demo`` content loaded; the load ends by rebuilding search."""
    demo.load()
    return site


@pytest.fixture(scope="module")
def search_site(demo_site):
    return indexed(demo_site, policies_demo)


def test_a_reader_searches_narrows_by_a_facet_and_opens_a_result(page, search_site):
    sign_in(page, search_site.url, "staff")
    page.get_by_role("navigation", name=re.compile("primary|main|menu", re.I)).get_by_role(
        "link", name="Search"
    ).click()
    assert_accessible(page)

    page.get_by_label("Search policies, minutes, decisions and actions").fill("threshold")
    page.get_by_label("Include past versions of policies").check()
    page.get_by_role("button", name="Search").click()
    expect(
        page.get_by_role("heading", name=re.compile(r"\d+ results? for “threshold”"))
    ).to_be_visible()
    expect(page.locator(".hub-result mark").first).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name=re.compile(r"^Past policy version \(")).click()
    expect(
        page.get_by_role("link", name=re.compile("Remove filter.*Past policy version"))
    ).to_be_visible()
    results = page.locator(".hub-result")
    expect(results.first.locator(".govuk-caption-m")).to_have_text("Past policy version")
    assert_accessible(page)

    results.first.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/versions/\d+/$"))
    expect(page.get_by_text("superseded")).to_be_visible()


def test_from_the_search_box_tab_passes_only_the_searchs_own_controls_to_the_first_result(
    page, search_site
):
    """The filters come after the results. Chromium stops on each part of a date box
    (day, month, year, calendar), so the options take more presses than their count;
    the skip link reaches the results in one."""
    sign_in(page, search_site.url, "staff")
    page.goto(f"{search_site.url}/search/?q=threshold&include_past=on")
    first_result = page.locator("#results a").first
    form = page.get_by_role("search", name="Site search")

    page.get_by_label("Search policies, minutes, decisions and actions").focus()
    passed = []
    for _ in range(12):
        page.keyboard.press("Tab")
        if first_result.evaluate("link => link === document.activeElement"):
            break
        passed.append(form.evaluate("form => form.contains(document.activeElement)"))
    expect(first_result).to_be_focused()
    assert passed and all(passed), "a Tab from the search box stops outside the search form"

    page.goto(f"{search_site.url}/search/?q=threshold")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to results")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("#results")).to_be_focused()
    page.keyboard.press("Tab")
    expect(first_result).to_be_focused()


def test_an_invalid_date_stays_as_typed_beside_its_error(page, search_site):
    page.goto(f"{search_site.url}/search/?q=threshold&date_from=2015-02-30")
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.get_by_label("From")).to_have_value("2015-02-30")
    page.get_by_role("link", name="From: Enter a valid date.").click()
    expect(page.get_by_label("From")).to_be_focused()
    assert_accessible(page)


def test_a_signed_out_reader_is_told_what_search_covers(page, search_site):
    page.goto(f"{search_site.url}/search/?q=transfer+protocol")
    expect(page.get_by_role("heading", name=re.compile(r"results? for"))).to_be_visible()
    expect(page.get_by_role("link", name="Transfer Protocol")).to_have_count(0)
    assert_accessible(page)


@pytest.fixture(scope="module")
def register_site(demo_site):
    return indexed(demo_site, panels_demo)


def test_a_reader_searches_the_decision_register_narrows_and_opens_the_minutes(page, register_site):
    sign_in(page, register_site.url, "staff")
    page.goto(f"{register_site.url}/panels/")
    page.get_by_role("link", name="Decision register").click()
    expect(page.get_by_role("heading", level=1, name="Decision register")).to_be_visible()
    expect(page.get_by_role("table").locator("tbody tr").first).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Search decisions").fill("threshold")
    page.get_by_role("button", name="Show decisions").click()
    expect(
        page.get_by_role("heading", name=re.compile(r"\d+ decisions? for “threshold”"))
    ).to_be_visible()
    expect(page.locator("table mark").first).to_be_visible()
    expect(page.get_by_label("Sort by")).to_have_value("relevance")
    assert_accessible(page)

    page.get_by_text("Narrow the decisions").click()
    page.get_by_role("link", name=re.compile(r"^Multi-Agency Safeguarding Panel \(")).click()
    expect(
        page.get_by_role("link", name=re.compile("Remove filter.*Panel: Multi-Agency"))
    ).to_be_visible()
    assert_accessible(page)

    page.get_by_role("table").get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(r"#decisions$"))
    expect(page.get_by_role("heading", name="Decisions")).to_be_visible()


def test_the_decision_register_explains_a_date_range_that_ends_before_it_starts(
    page, register_site
):
    page.goto(f"{register_site.url}/decisions/?date_from=2015-04-01&date_to=2015-01-01")
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(
        page.get_by_text("The end of the date range must be on or after its start.")
    ).to_have_count(2)
    assert_accessible(page)
