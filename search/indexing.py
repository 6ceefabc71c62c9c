"""Keeping the search-record projection in step with the content it describes.

``refresh`` replaces the records of a few owners (a page just published, an
action just changed) and says which records changed, for ``tell_engine``;
``rebuild`` replaces them all and rebuilds the engine's index. The records
table is always written first, so an engine that fails (a server down) never
loses the projection: a later rebuild catches up.
"""

import hashlib
import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

from django.db import DEFAULT_DB_ALIAS, connections, transaction

from hub.search_types import FACETS, SearchDocument
from search import sources
from search.engines import get_engine
from search.engines.base import EngineUnavailable, without_markers
from search.models import SearchFacetSet, SearchRecord, joined_names

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


@dataclass(frozen=True)
class Refreshed:
    """The keys of the records a refresh removed and wrote."""

    removed: list[str]
    written: list[str]


def refresh(owners: Iterable[str]) -> Refreshed:
    """Replace the records of ``owners`` with what their sources say now."""
    owners = sorted(set(owners))
    if not owners:
        return Refreshed(removed=[], written=[])
    documents = list(sources.documents(owners))
    with transaction.atomic():
        stale = SearchRecord.objects.filter(owner__in=owners)
        old_keys = set(stale.values_list("key", flat=True))
        stale.delete()
        write(documents)
    new_keys = {document.key for document in documents}
    return Refreshed(removed=sorted(old_keys - new_keys), written=sorted(new_keys))


def rebuild(progress: Callable[[int], None] | None = None) -> RebuildSummary:
    """Replace every record from every source, then rebuild the engine's index."""
    started = time.perf_counter()
    with transaction.atomic():
        clear()
        written = write(sources.documents(), progress=progress)
    get_engine().rebuild()
    return RebuildSummary(records=written, seconds=time.perf_counter() - started)


def clear(using: str = DEFAULT_DB_ALIAS) -> None:
    """Remove every record and facet set, each in one statement."""
    with connections[using].cursor() as cursor:
        cursor.execute(f"DELETE FROM {SearchRecord._meta.db_table}")
        cursor.execute(f"DELETE FROM {SearchFacetSet._meta.db_table}")


def write(
    documents: Iterable[SearchDocument],
    progress: Callable[[int], None] | None = None,
    using: str = DEFAULT_DB_ALIAS,
) -> int:
    """Insert ``documents`` in batches, each naming its facet set."""
    written = 0
    for batch in _batches(documents):
        facet_sets = [facet_set(document) for document in batch]
        ids = _facet_set_ids(facet_sets, using)
        SearchRecord.objects.using(using).bulk_create(
            _record(document, ids[found.signature])
            for document, found in zip(batch, facet_sets, strict=True)
        )
        written += len(batch)
        if progress:
            progress(written)
    return written


def facet_set(document: SearchDocument) -> SearchFacetSet:
    """The (unsaved) facet set a document belongs to."""
    found = SearchFacetSet(
        current=document.current,
        audiences=delimited(document.audience_keys),
        **{facet.name: _stored(facet, facet.value_of(document)) for facet in FACETS},
    )
    found.signature = signature(found)
    return found


def _stored(facet, value):
    return joined_names(value) if facet.many else value


def signature(found: SearchFacetSet) -> str:
    values = (found.current, found.audiences, *(getattr(found, facet.name) for facet in FACETS))
    return hashlib.sha256(repr(values).encode()).hexdigest()


def _facet_set_ids(facet_sets: list[SearchFacetSet], using: str) -> dict[str, int]:
    """Ids of these facet sets by signature, storing those new to the table.

    Another writer may store the same set at the same moment: conflicts are
    ignored and every id is read back.
    """
    unique = {found.signature: found for found in facet_sets}
    stored = SearchFacetSet.objects.using(using)
    ids = dict(stored.filter(signature__in=unique).values_list("signature", "id"))
    missing = [found for key, found in unique.items() if key not in ids]
    if missing:
        stored.bulk_create(missing, ignore_conflicts=True)
        ids.update(
            stored.filter(signature__in=[found.signature for found in missing]).values_list(
                "signature", "id"
            )
        )
    return ids


def _batches(documents: Iterable[SearchDocument]) -> Iterator[list[SearchDocument]]:
    iterator = iter(documents)
    while batch := list(islice(iterator, BATCH)):
        yield batch


def _record(document: SearchDocument, facet_set_id: int) -> SearchRecord:
    return SearchRecord(
        key=document.key,
        owner=document.owner,
        title=without_markers(document.title),
        text=without_markers(document.text),
        url=document.url,
        date=document.date,
        facet_set_id=facet_set_id,
    )


def delimited(keys) -> str:
    """Audience keys as stored: sorted, space-delimited, a space at each end."""
    return f" {' '.join(sorted(keys))} "


def tell_engine(removed: list[str], written: list[str]) -> None:
    """Tell the engine which records left the records table and which were written."""
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
