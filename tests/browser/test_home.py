"""The home page in a real browser: every role signs in and axe-core finds nothing."""

import pytest

from hub.demo import DEMO_ACCOUNTS
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser


def test_anonymous_home_and_sign_in_pages_are_accessible(page, demo_site):
    page.goto(demo_site.url + "/")
    assert page.get_by_role("heading", level=1).inner_text() == "Safeguarding Hub"
    assert_accessible(page)

    page.get_by_role("link", name="Sign in").first.click()
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("alert").is_visible()
    assert_accessible(page)


@pytest.mark.parametrize("account", DEMO_ACCOUNTS, ids=lambda account: account.username)
def test_each_demo_role_signs_in_to_an_accessible_home_page(page, demo_site, account):
    sign_in(page, demo_site.url, account.username)

    assert page.get_by_text(f"Signed in as {account.first_name} {account.last_name}").is_visible()
    assert page.get_by_role("heading", name="Needs your attention").is_visible()
    assert_accessible(page)


def test_keyboard_reaches_main_content_through_the_skip_link(page, demo_site):
    page.goto(demo_site.url + "/")

    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    assert skip.evaluate("element => element === document.activeElement")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"


def test_large_print_switch_is_remembered_across_pages(page, demo_site):
    page.goto(demo_site.url + "/")
    base_size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")

    page.get_by_role("button", name="Switch to large print").click()
    page.goto(demo_site.url + "/accounts/login/")

    large_size = page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert large_size > base_size * 1.3
    assert page.get_by_role("button", name="Switch to standard print").is_visible()
    assert_accessible(page)


def test_not_found_page_is_accessible(page, demo_site):
    response = page.goto(demo_site.url + "/no-such-page/")

    assert response.status == 404
    assert_accessible(page)


def test_the_accessibility_check_catches_a_real_violation(page):
    page.set_content('<html lang="en"><body><main><img src="x.png"></main></body></html>')

    with pytest.raises(AssertionError, match="image-alt"):
        assert_accessible(page)
