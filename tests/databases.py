"""The test databases: whether a run needs one, and the site every test starts with."""

from hub import roles
from hub.collections import ensure_audience_collections
from hub.demo import ensure_home_page

DATABASE_FIXTURES = {"db", "transactional_db", "live_server"}


def uses_database(item) -> bool:
    """Whether pytest-django makes a test database for ``item``."""
    return bool(item.get_closest_marker("django_db") or DATABASE_FIXTURES & set(item.fixturenames))


def flushes_database(item) -> bool:
    """Whether ``item`` is a transactional test, whose data is flushed rather than rolled back."""
    marker = item.get_closest_marker("django_db")
    return "transactional_db" in item.fixturenames or bool(
        marker and marker.kwargs.get("transaction")
    )


def build_site() -> None:
    """What every deployed site has: its home page, roles and audience collections."""
    ensure_home_page()
    roles.ensure_roles()
    ensure_audience_collections()
