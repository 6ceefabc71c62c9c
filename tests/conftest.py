"""Fixtures every test folder shares: the site, the roles and one person per role."""

import shutil

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser, Group
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from pytest_django.plugin import blocking_manager_key

from hub import roles
from hub.site_setup import ensure_home_page
from tests.databases import build_site, flushes_database, uses_database
from tests.factories import UserFactory
from tests.mail import SmtpServer, free_port
from tests.matrix import ROLE_GROUPS


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with nothing cached, as a freshly started site does."""
    cache.clear()


@pytest.fixture(scope="session")
def django_db_setup(request, django_db_setup, django_db_blocker):
    """Each worker's test database starts as a deployed site does (``build_site``).

    Built once here, each test's transaction rolls back to it, instead of every
    test building it again. A run whose tests use no database has none.
    """
    if any(uses_database(item) for item in request.session.items):
        with django_db_blocker.unblock():
            build_site()


@pytest.fixture
def empty_database(transactional_db):
    """A database holding only what the migrations made, as tests of older migrations need."""
    call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def home(db):
    return ensure_home_page()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a test that flushes the database, the site is built again for the next one.

    After the last test there is none, and the test database is already gone.
    """
    finished = yield
    if flushes_database(item) and nextitem is not None:
        with item.config.stash[blocking_manager_key].unblock():
            build_site()
    return finished


@pytest.fixture
def role_groups(home):
    return {group.name: group for group in Group.objects.filter(name__in=roles.ROLE_NAMES)}


@pytest.fixture
def panel_group(db):
    return Group.objects.get_or_create(name="Panel: MASP")[0]


@pytest.fixture
def people(role_groups, panel_group):
    """One person per role in the matrix; ``anonymous`` is the signed-out visitor."""
    return {
        role: AnonymousUser() if groups is None else UserFactory(username=role, groups=groups)
        for role, groups in ROLE_GROUPS.items()
    }


@pytest.fixture(scope="module")
def module_transaction(django_db_setup, django_db_blocker):
    """One transaction around a module's tests, for content they share and build once.

    It is rolled back when the module is done; each test still runs in a savepoint
    of its own (the ``db`` fixture), so none sees what another changed, as with
    Django's ``TestCase.setUpTestData``. Tests that need a database without that
    content come before the first test that asks for it.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture
def planner_as_on_a_new_site(db):
    """SQLite's planner with no statistics, whatever an earlier test left behind.

    A test that loads the demo and commits (backups, the browsers' demo site) leaves its
    statistics behind, and a query plan asserted later on the same worker would depend on
    the order the tests ran in. They are removed inside the test's transaction and
    return with its rollback.
    """
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name LIKE 'sqlite_stat%'")
        for (table,) in cursor.fetchall():
            cursor.execute(f"DELETE FROM {table}")
        # The planner reads its statistics when the schema is loaded: load it again.
        cursor.execute("ANALYZE sqlite_schema")


@pytest.fixture(scope="session", autouse=True)
def uploaded_files_are_removed():
    """Uploaded files live in a folder made for this run; nothing is left behind."""
    yield
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


@pytest.fixture(scope="session")
def smtp_server():
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def mailbox(smtp_server, settings):
    """Email goes through a real SMTP server; the mailbox holds what this test sent."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_server.port
    smtp_server.mailbox.messages.clear()
    return smtp_server.mailbox


@pytest.fixture
def smtp_down(settings):
    """Email goes to a port nothing listens on, as when the mail server is down."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()
