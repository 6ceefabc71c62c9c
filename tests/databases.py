"""The test databases: whether a run needs one, and the site every test starts with."""

from django.contrib.auth.models import Group

from hub import roles
from hub.collections import ensure_audience_collections
from hub.demo import ensure_home_page

DATABASE_FIXTURES = {"db", "transactional_db", "live_server"}


def uses_database(item) -> bool:
    """Whether pytest-django makes a test database for ``item``."""
    return bool(item.get_closest_marker("django_db") or DATABASE_FIXTURES & set(item.fixturenames))


def build_site() -> dict[str, Group]:
    """What every deployed site has: its home page, roles and audience collections."""
    ensure_home_page()
    groups = roles.ensure_roles()
    ensure_audience_collections()
    return groups
