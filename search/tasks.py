"""Background work: telling a search engine with an index of its own what changed."""

from django_tasks import task

from search import indexing


@task()
def update_engine(removed: list[str], written: list[str]) -> None:
    """Remove and re-read these records in the engine's own index (Elasticsearch)."""
    indexing.tell_engine(removed, written)
