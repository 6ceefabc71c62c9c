"""Fixtures every test folder shares: the site, the roles and one person per role."""

import shutil

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser, Group
from django.core.cache import cache

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


@pytest.fixture(scope="session", autouse=True)
def uploaded_files_are_removed():
    """Uploaded files live in a folder made for this run; nothing is left behind."""
    yield
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
