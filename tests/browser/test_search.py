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
    page.get_by_role("navigation", name=re.compile("primary|main", re.I)).get_by_role(
        "link", name="Search"
    ).click()
    assert_accessible(page)

    page.get_by_label("Search policies, minutes, decisions and actions").fill("threshold")
    page.get_by_label("Include past versions of policies").check()
    page.get_by_role("button", name="Search").click()
    expect(
        page.get_by_role("heading", name=re.compile(r"\d+ results? for “threshold”"))
    ).to_be_visible()
    expect(page.locator(".search-result mark").first).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name=re.compile(r"^Past policy version \(")).click()
    expect(
        page.get_by_role("link", name=re.compile("Remove filter.*Past policy version"))
    ).to_be_visible()
    results = page.locator(".search-result")
    expect(results.first.locator(".caption")).to_have_text("Past policy version")
    assert_accessible(page)

    results.first.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/versions/\d+/$"))
    expect(page.get_by_text("superseded")).to_be_visible()


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
