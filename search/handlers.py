"""Search's end of the change pipeline (``hub.changes``): rewriting the records announced."""

from search import indexing
from search.engines import get_engine
from search.tasks import update_engine


def records_changed(sender, owners, **kwargs):
    """Bring the records of ``owners`` in step; an engine with its own index, by a task.

    The embedded engines search the records table itself, so it changes as the
    transaction that announced the owners commits. Elasticsearch is told by a
    task, so a slow server never holds up the save.
    """
    changed = indexing.refresh(owners)
    if get_engine().keeps_own_index and (changed.removed or changed.written):
        update_engine.enqueue(changed.removed, changed.written)


def all_records_changed(sender, **kwargs):
    """After a bulk load: every record rewritten, and the engine's index rebuilt."""
    indexing.rebuild()
