"""Keeping the search-record projection in step with the content it describes.

``refresh`` replaces the records of a few owners (a page just published, an
action just changed); ``rebuild`` replaces them all. Both write the records
table first, then tell the engine which records changed, so an engine that
fails (a server down) never loses the projection: a later rebuild catches up.
"""

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from django.db import DEFAULT_DB_ALIAS, connections, transaction

from hub.search_types import SearchDocument
from search import sources
from search.engines import get_engine
from search.engines.base import EngineUnavailable, without_markers
from search.models import SearchMilestone, SearchRecord

logger = logging.getLogger(__name__)
BATCH = 1000


@dataclass(frozen=True)
class RebuildSummary:
    """How many records a rebuild wrote, and how fast."""

    records: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.records / self.seconds if self.seconds else float(self.records)


def refresh(owners: Iterable[str]) -> int:
    """Replace the records of ``owners`` with what their sources say now."""
    owners = sorted(set(owners))
    if not owners:
        return 0
    documents = list(sources.documents(owners))
    with transaction.atomic():
        stale = SearchRecord.objects.filter(owner__in=owners)
        old_keys = set(stale.values_list("key", flat=True))
        stale.delete()
        written = write(documents)
    new_keys = {document.key for document in documents}
    _tell_engine(sorted(old_keys - new_keys), sorted(new_keys))
    return written


def rebuild(progress: Callable[[int], None] | None = None) -> RebuildSummary:
    """Replace every record from every source, then rebuild the engine's index."""
    started = time.perf_counter()
    with transaction.atomic():
        clear()
        written = write(sources.documents(), progress=progress)
    get_engine().rebuild()
    return RebuildSummary(records=written, seconds=time.perf_counter() - started)


def clear(using: str = DEFAULT_DB_ALIAS) -> None:
    """Remove every record; the milestones first, so each delete is one statement."""
    SearchMilestone.objects.using(using).all().delete()
    with connections[using].cursor() as cursor:
        cursor.execute(f"DELETE FROM {SearchRecord._meta.db_table}")


def write(
    documents: Iterable[SearchDocument],
    progress: Callable[[int], None] | None = None,
    using: str = DEFAULT_DB_ALIAS,
) -> int:
    """Insert ``documents`` in batches, with their milestones."""
    written = 0
    for batch in _batches(documents):
        records = SearchRecord.objects.using(using).bulk_create(
            [_record(document) for document in batch]
        )
        SearchMilestone.objects.using(using).bulk_create(
            SearchMilestone(record_id=record.pk, ref=ref)
            for record, document in zip(records, batch, strict=True)
            for ref in dict.fromkeys(document.milestones)
        )
        written += len(records)
        if progress:
            progress(written)
    return written


def _batches(documents: Iterable[SearchDocument]) -> Iterator[list[SearchDocument]]:
    iterator = iter(documents)
    while batch := list(islice(iterator, BATCH)):
        yield batch


def _record(document: SearchDocument) -> SearchRecord:
    return SearchRecord(
        key=document.key,
        owner=document.owner,
        kind=document.kind,
        title=without_markers(document.title),
        text=without_markers(document.text),
        url=document.url,
        date=document.date,
        year=document.date.year if document.date else None,
        policy_kind=document.policy_kind,
        panel=document.panel,
        status=document.status,
        current=document.current,
        audiences=delimited(document.audience_keys),
    )


def delimited(keys) -> str:
    """Audience keys as stored: sorted, space-delimited, a space at each end."""
    return f" {' '.join(sorted(keys))} "


def _tell_engine(removed: list[str], written: list[str]) -> None:
    engine = get_engine()
    try:
        if removed:
            engine.records_removed(removed)
        if written:
            engine.records_written(written)
    except EngineUnavailable:
        # The records table is already right; the engine catches up at the next rebuild.
        logger.warning(
            "Search engine %s could not be updated; rebuild it when it is back.",
            engine.name,
            exc_info=True,
        )
