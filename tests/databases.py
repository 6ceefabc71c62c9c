"""The test databases: whether a run needs one, and the site every test starts with."""

from django.db import connection

from hub import roles
from hub.collections import ensure_audience_collections
from hub.site_setup import ensure_home_page

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
    """What every deployed site has: its home page, roles and audience collections.

    And no planner statistics, as just after migrating: a test that loaded the demo
    leaves SQLite's behind, and plans would otherwise depend on which tests ran first.
    """
    ensure_home_page()
    roles.ensure_roles()
    ensure_audience_collections()
    forget_statistics()


def analysed_tables() -> set[str]:
    """The tables SQLite's planner holds statistics for (none on other databases)."""
    if connection.vendor != "sqlite":
        return set()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchone() is None:
            return set()
        cursor.execute("SELECT DISTINCT tbl FROM sqlite_stat1")
        return {table for (table,) in cursor.fetchall()}


def forget_statistics() -> None:
    """SQLite's planner statistics gone, from their table and from the planner's memory."""
    if not analysed_tables():
        return
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM sqlite_stat1")
        cursor.execute("PRAGMA writable_schema = RESET")
