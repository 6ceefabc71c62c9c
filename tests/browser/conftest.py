"""Real Chromium through Playwright, against the site served by a live test server."""

import io
import os
import threading
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.test import Client
from django.test.utils import setup_databases, teardown_databases
from playwright.sync_api import sync_playwright
from pytest_django.live_server_helper import LiveServer

from hub import demo
from tests.databases import build_site, uses_database
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
ROLES = ["anonymous", *(account.username for account in demo.DEMO_ACCOUNTS)]
WCAG_22_AA = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}


def pytest_collection_modifyitems(config, items):
    """Browser tests run once, on SQLite, the database a new machine starts with.

    They test what a person sees and does; the views under them are the ones the rest
    of the suite runs on both databases.
    """
    if connections[DEFAULT_DB_ALIAS].vendor == "sqlite":
        return
    once = pytest.mark.skip(reason="browser tests run once, on SQLite")
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(once)


def chromium_executable() -> str | None:
    """The system Chromium if there is one; otherwise Playwright's own."""
    if os.environ.get("CHROMIUM_PATH"):
        return os.environ["CHROMIUM_PATH"]
    system = Path("/usr/bin/chromium")
    return str(system) if system.exists() else None


@pytest.fixture(scope="session")
def browser():
    # Playwright's synchronous API runs an event loop in this thread; the tests'
    # own database calls are still synchronous and safe. While the loop runs, Django
    # keeps this thread's connections apart from those opened before it, so each side's
    # are closed as it ends, or one left open keeps the test database from being dropped.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    connections.close_all()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_executable(), args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
        connections.close_all()
    del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="en-GB")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def test_database(request, django_db_setup, django_db_blocker):
    """The test database, made here when no test run alongside asked pytest-django for one.

    pytest-django makes it only for tests using its database fixtures, and browser
    tests share one committed site per module instead (``demo_site``).
    """
    if any(uses_database(item) for item in request.session.items):
        yield
        return
    with django_db_blocker.unblock():
        made = setup_databases(verbosity=0, interactive=False, aliases={DEFAULT_DB_ALIAS})
        build_site()
    yield
    with django_db_blocker.unblock():
        teardown_databases(made, verbosity=0)


@pytest.fixture(scope="module")
def demo_site(test_database, django_db_blocker):
    """The demo site served by a live server, loaded once for a module's tests.

    The module's tests share it as people share one site: each leaves what it
    did for the next (a module orders its tests so that readers come before the
    writers that would change what they read). When the module is done the
    database is emptied and holds only the site again, as every test starts.
    """
    with django_db_blocker.unblock():
        demo.load()
        # Every demo account has set up an authenticator app, as it would before using the admin.
        for person in get_user_model().objects.all():
            enrol(person)
        server = LiveServer("localhost")
        server._live_server_modified_settings.enable()
        try:
            yield server
        finally:
            finish_answering_requests()
            server._live_server_modified_settings.disable()
            server.stop()
            call_command("flush", interactive=False, verbosity=0)
            build_site()


@pytest.fixture(scope="module")
def whole_demo_site(demo_site, django_db_blocker):
    """The demo site with all its content, as ``make run`` shows it."""
    with django_db_blocker.unblock():
        call_command("load_demo", stdout=io.StringIO())
    return demo_site


def signed_in_client(role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(get_user_model().objects.get(username=role))
    return client


@pytest.fixture(scope="module")
def sessions(whole_demo_site, django_db_blocker):
    """The session cookie each role's sign-in would give, by role."""
    with django_db_blocker.unblock():
        return {
            role: signed_in_client(role).cookies[settings.SESSION_COOKIE_NAME].value
            for role in ROLES
            if role != "anonymous"
        }


def browse_as(browser, site, session: str | None, **options):
    """A browser context on ``site`` with the given sign-in ``session``."""
    context = browser.new_context(locale="en-GB", **options)
    context.set_default_timeout(15_000)
    if session:
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": site.url}]
        )
    return context


def finish_answering_requests() -> None:
    """Wait for the live server's threads still answering a request the browser made.

    Each closes the test database's connection as it ends, which the server shares
    with it only until it stops.
    """
    for thread in threading.enumerate():
        if thread.name.endswith("(process_request_thread)"):
            thread.join(timeout=10)


# An authenticator's code is accepted once, and the site accepts the codes of one step
# either side of its clock's. A sign-in uses the current step's code, which stays valid
# if the step turns before the site checks it; later sign-ins in the same 30 seconds use
# the next step's, then the last step's. The site forgets used codes with its cache,
# which each test starts empty.
_codes_used: dict[str, set[str]] = {}


@pytest.fixture(autouse=True)
def codes_start_unused():
    _codes_used.clear()


def give_demo_passwords(people) -> None:
    """Everyone of the role matrix signs in with the password the browser tests type."""
    for person in people.values():
        if person.is_authenticated:
            person.set_password(demo.demo_password())
            person.save()


def sign_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username or email").fill(username)
    page.get_by_label("Password").fill(demo.demo_password())
    page.get_by_role("button", name="Sign in").click()
    used = _codes_used.setdefault(username, set())
    code = next(
        code for code in (totp_code(steps_ahead=step) for step in (0, 1, -1)) if code not in used
    )
    used.add(code)
    page.get_by_label("Authenticator code").fill(code)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base_url}/")


def assert_accessible(page) -> None:
    results = Axe().run(page, options=WCAG_22_AA)
    assert results.violations_count == 0, results.generate_report()
