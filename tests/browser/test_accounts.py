"""Two-factor sign-in in a real browser: a secretary sets up an authenticator and signs in."""

import pytest

from hub import demo, roles
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import UserFactory, totp_code

pytestmark = pytest.mark.browser


def enter_password(page, address: str, username: str) -> None:
    page.goto(address)
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password").fill(demo.demo_password())
    page.get_by_role("button", name="Sign in").click()


def test_a_new_secretary_sets_up_an_authenticator_then_signs_in_with_a_code(page, demo_site):
    UserFactory(
        username="newsecretary",
        first_name="Nia",
        last_name="Lewis",
        groups=[roles.PANEL_SECRETARIES],
        password=demo.demo_password(),
        two_factor=False,
    )
    enter_password(page, f"{demo_site.url}/accounts/login/?next=/admin/", "newsecretary")
    # Turning two-factor sign-in on asks for the password again, as changing it would.
    page.get_by_role("heading", name="Confirm Access").wait_for()
    assert_accessible(page)
    page.get_by_label("Password").fill(demo.demo_password())
    page.get_by_role("button", name="Confirm").click()

    page.get_by_role("heading", name="Set up your authenticator app").wait_for()
    assert_accessible(page)
    secret = page.locator("#authenticator_secret").inner_text().strip()
    page.get_by_label("Code from the app").fill(
        "123456" if totp_code(secret) != "123456" else "654321"
    )
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    assert page.get_by_role("alert").is_visible()
    page.get_by_label("Code from the app").fill(totp_code(secret))
    page.get_by_role("button", name="Turn on two-factor sign-in").click()
    page.get_by_text("recovery codes", exact=False).first.wait_for()

    page.get_by_role("button", name="Sign out").click()
    enter_password(page, f"{demo_site.url}/accounts/login/?next=/admin/", "newsecretary")
    page.get_by_role("heading", name="Enter your code").wait_for()
    assert_accessible(page)
    page.get_by_label("Authenticator code").fill(totp_code(secret, steps_ahead=1))
    page.get_by_role("button", name="Sign in").click()

    page.wait_for_url(f"{demo_site.url}/admin/")
    assert page.get_by_text("Nia Lewis", exact=False).first.is_visible()


def test_a_reader_finds_two_factor_sign_in_and_its_page_is_accessible(page, demo_site):
    sign_in(page, demo_site.url, "staff")

    page.get_by_role("link", name="Sign-in security").click()

    page.get_by_role("heading", level=1).wait_for()
    assert "Authenticator" in page.content()
    assert_accessible(page)
