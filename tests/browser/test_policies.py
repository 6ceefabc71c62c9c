"""The policy library in a real browser: publish a version, compare it, all accessible."""

import re

import pytest
from playwright.sync_api import expect

from policies import demo as policies_demo
from policies.models import PolicyPage
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def library_site(demo_site):
    policies_demo.load()
    return demo_site


def test_an_approver_publishes_a_new_version_and_a_reader_compares_it(page, library_site):
    policy = PolicyPage.objects.get(slug="quality-assurance-framework")
    sign_in(page, library_site.url, "approver")

    page.goto(f"{library_site.url}/admin/pages/{policy.pk}/edit/")
    page.locator("#id_summary").fill("How managers audit casework and act on what audits find.")
    page.get_by_role("tab", name="Governance").click()
    page.locator("#id_amendment_note").fill("Findings of audits now feed the improvement plan.")
    page.get_by_role("button", name="More actions").click()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("has been published")).to_be_visible()

    page.context.clear_cookies()
    sign_in(page, library_site.url, "staff")
    page.goto(f"{library_site.url}{policy.url}")
    expect(page.get_by_text("2 (current)")).to_be_visible()
    expect(page.get_by_text("Findings of audits now feed the improvement plan.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="All versions of this policy").click()
    assert_accessible(page)
    page.get_by_role("button", name="Compare", exact=True).click()
    expect(page).to_have_url(re.compile(r"versions/compare/1\.\.\.2/$"))
    expect(
        page.get_by_role("cell", name="How managers audit casework and act on what audits find.")
    ).to_be_visible()
    assert_accessible(page)


def test_policy_library_and_old_versions_are_accessible(page, library_site):
    sign_in(page, library_site.url, "partner")

    page.goto(f"{library_site.url}/policies/")
    expect(page.get_by_role("link", name="LSCB Threshold Document")).to_be_visible()
    expect(page.get_by_role("link", name="Transfer Protocol")).to_have_count(0)
    assert_accessible(page)

    page.goto(f"{library_site.url}/policies/threshold-document/versions/1/")
    expect(page.get_by_text("superseded on")).to_be_visible()
    assert_accessible(page)

    page.goto(f"{library_site.url}/policies/threshold-document/?on=2014-06-01")
    expect(page.get_by_text("You asked what was in force on")).to_be_visible()

    page.goto(f"{library_site.url}/policies/threshold-document/versions/")
    page.get_by_label("Compare the version in force on").fill("2014-06-01")
    page.get_by_label("with the version in force on").fill("2015-03-01")
    page.get_by_role("button", name="Compare these dates").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("from version 1 to version 2")
    assert_accessible(page)

    page.goto(f"{library_site.url}/glossary/")
    assert_accessible(page)
