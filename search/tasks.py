"""Background work: refreshing search records off the editor's request when a worker runs."""

from django_tasks import task

from search import indexing


@task()
def refresh_search_records(owners: list[str]) -> int:
    """Rewrite the search records of ``owners``; returns how many records they now have."""
    return indexing.refresh(owners)
