"""Upkeep the database needs from the site, where the database does not do it itself."""

from django.db import connections

# Rows read per index: enough for the planner to tell one type's few pages from the site's
# many, and a few milliseconds even with years of records.
ANALYSIS_LIMIT = 1_000


def refresh_statistics(using: str = "default") -> bool:
    """Give SQLite's query planner the tables' sizes, as PostgreSQL's autovacuum does unasked.

    Without them SQLite guesses, and reads every page of the site to find the few of one
    type, or every meeting rather than the dates asked for. Whether there was anything to do.
    """
    connection = connections[using]
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}")
        cursor.execute("ANALYZE")
    return True


def refresh_after_bulk_load(sender, **kwargs) -> None:
    """A bulk load (``hub.changes.deferred``) changes the tables' sizes all at once."""
    refresh_statistics()
