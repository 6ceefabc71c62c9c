"""Fixtures every test folder shares: the site, the roles and one person per role."""

import shutil

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser, Group
from django.core.cache import cache
from django.db import transaction

from hub import roles
from hub.collections import ensure_audience_collections
from hub.demo import ensure_home_page
from tests.factories import UserFactory
from tests.matrix import ROLE_GROUPS


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with nothing cached, as a freshly started site does."""
    cache.clear()


@pytest.fixture
def home(db):
    return ensure_home_page()


@pytest.fixture
def role_groups(home):
    groups = roles.ensure_roles()
    ensure_audience_collections()
    return groups


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


@pytest.fixture(scope="session", autouse=True)
def uploaded_files_are_removed():
    """Uploaded files live in a folder made for this run; nothing is left behind."""
    yield
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
