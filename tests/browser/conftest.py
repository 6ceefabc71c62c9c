"""Real Chromium through Playwright, against the site served by a live test server."""

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from playwright.sync_api import sync_playwright

from hub import demo
from tests.factories import enrol, totp_code

# As root Chromium needs --no-sandbox; on a closed network the others stop it
# stalling on connections it cannot make.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
WCAG_22_AA = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}


def chromium_executable() -> str | None:
    """The system Chromium if there is one; otherwise Playwright's own."""
    if os.environ.get("CHROMIUM_PATH"):
        return os.environ["CHROMIUM_PATH"]
    system = Path("/usr/bin/chromium")
    return str(system) if system.exists() else None


@pytest.fixture(scope="session")
def browser():
    # Playwright's synchronous API runs an event loop in this thread; the tests'
    # own database calls are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_executable(), args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="en-GB")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def demo_site(live_server):
    demo.load()
    # Every demo account has set up an authenticator app, as it would before using the admin.
    for person in get_user_model().objects.all():
        enrol(person)
    return live_server


# An authenticator's code is accepted once: later sign-ins in the same 30 seconds use the
# next step's code, which the site accepts for clocks that run a little fast. The site
# forgets used codes with its cache, which each test starts empty.
_codes_used: dict[str, set[str]] = {}


@pytest.fixture(autouse=True)
def codes_start_unused():
    _codes_used.clear()


def sign_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password").fill(demo.demo_password())
    page.get_by_role("button", name="Sign in").click()
    used = _codes_used.setdefault(username, set())
    code = next(
        code for code in (totp_code(steps_ahead=step) for step in (-1, 0, 1)) if code not in used
    )
    used.add(code)
    page.get_by_label("Authenticator code").fill(code)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base_url}/")


def assert_accessible(page) -> None:
    results = Axe().run(page, options=WCAG_22_AA)
    assert results.violations_count == 0, results.generate_report()
