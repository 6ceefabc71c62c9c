"""Elasticsearch 8 for search at scale, through ``elasticsearch.dsl``.

Records are indexed from the search-record table into a dated index reached
through an alias; a rebuild fills a new index and swaps the alias in one
step, so searches never see a half-built index. The glossary is a synonym
filter in the search analyzer. The audience filter, facets and date range are
filters of the query itself, so totals and aggregations only count what the
reader may see.
"""

import datetime
import logging

from django.conf import settings
from django.utils.html import escape
from django.utils.text import Truncator
from elastic_transport import TransportError
from elasticsearch import ApiError, Elasticsearch, helpers
from elasticsearch.dsl import (
    Boolean,
    Date,
    Document,
    Index,
    Integer,
    Keyword,
    Q,
    Search,
    Text,
)

from hub.search_types import FACETS, Facet
from search.engines.base import (
    FACET_NAMES,
    MARK_END,
    MARK_START,
    NEWEST,
    EngineUnavailable,
    Hit,
    SearchRequest,
    SearchResults,
    facet_list,
    marked_html,
)
from search.models import SearchRecord
from search.query import Glossary, Phrase, load_glossary

logger = logging.getLogger(__name__)

ANALYZER, SEARCH_ANALYZER = "hub_english", "hub_english_search"
TEXT_FIELDS = ["title^3", "text"]
# The terms aggregation inside each facet's filter aggregation.
VALUES = "by_value"
FACET_SIZE = 50
SNIPPET_WORDS = 30
BULK_CHUNK = 500
BULK_RETRIES = 3


def index_alias() -> str:
    return getattr(settings, "SEARCH_ELASTICSEARCH_ALIAS", "hub-search")


def facet_field(facet: Facet):
    """The field a facet is filtered and counted on, named as the facet is."""
    return Integer() if facet.number else Keyword(multi=facet.many)


# A search record as Elasticsearch holds it: its own fields, then one per facet.
RecordDocument = type(
    "RecordDocument",
    (Document,),
    {
        "__module__": __name__,
        "key": Keyword(),
        "owner": Keyword(),
        "title": Text(analyzer=ANALYZER, search_analyzer=SEARCH_ANALYZER),
        "text": Text(analyzer=ANALYZER, search_analyzer=SEARCH_ANALYZER),
        "url": Keyword(index=False),
        "date": Date(),
        "audiences": Keyword(multi=True),
        "current": Boolean(),
        **{facet.name: facet_field(facet) for facet in FACETS},
    },
)


def synonym_rules(glossary: Glossary) -> list[str]:
    """The glossary as Solr-style synonym lines, one group of equivalent phrases each."""
    groups = dict.fromkeys(glossary.groups.values())
    return [", ".join(" ".join(name.lower().split()) for name in group) for group in groups]


def analysis(glossary: Glossary) -> dict:
    """English stemming for indexing; the same plus the glossary's synonyms for searching."""
    english = ["hub_possessive", "lowercase", "hub_stemmer"]
    return {
        "filter": {
            "hub_possessive": {"type": "stemmer", "language": "possessive_english"},
            "hub_stemmer": {"type": "stemmer", "language": "english"},
            "hub_glossary": {
                "type": "synonym_graph",
                "synonyms": synonym_rules(glossary),
                "lenient": True,
            },
        },
        "analyzer": {
            ANALYZER: {"type": "custom", "tokenizer": "standard", "filter": english},
            SEARCH_ANALYZER: {
                "type": "custom",
                "tokenizer": "standard",
                "filter": ["hub_possessive", "lowercase", "hub_glossary", "hub_stemmer"],
            },
        },
    }


def index_definition(name: str, glossary: Glossary) -> Index:
    index = Index(name)
    index.settings(number_of_shards=1, number_of_replicas=0, analysis=analysis(glossary))
    index.document(RecordDocument)
    return index


def phrase_query(phrase: Phrase) -> Q:
    kind = "phrase" if len(phrase) > 1 else "best_fields"
    return Q("multi_match", query=" ".join(phrase), fields=TEXT_FIELDS, type=kind)


def filter_queries(request: SearchRequest) -> list[Q]:
    """The audience first, then dates and past versions: what facet counts are taken over."""
    filters = request.filters
    chosen = []
    if request.audience_keys is not None:
        chosen.append(Q("terms", audiences=sorted(request.audience_keys)))
    if not filters.include_past:
        chosen.append(Q("term", current=True))
    dates = {}
    if filters.date_from:
        dates["gte"] = filters.date_from.isoformat()
    if filters.date_to:
        dates["lte"] = filters.date_to.isoformat()
    if dates:
        chosen.append(Q("range", date=dates))
    return chosen


def facet_queries(request: SearchRequest) -> dict[str, Q]:
    """A filter for each chosen facet value, by facet name."""
    return {
        name: Q("term", **{name: value}) for name, value in request.filters.facet_values().items()
    }


def build_search(request: SearchRequest, client=None) -> Search:
    """The whole search as one request: query, filters, order, page, facets and highlights."""
    query = request.query
    must = [
        Q("bool", should=[phrase_query(phrase) for phrase in term.phrases], minimum_should_match=1)
        for term in query.terms
    ]
    search = Search(using=client, index=index_alias()).query(
        Q(
            "bool",
            must=must or [Q("match_all")],
            must_not=[phrase_query(phrase) for phrase in query.excluded],
            filter=filter_queries(request),
        )
    )
    # Chosen facet values narrow the hits after the counts are taken, and each
    # facet is counted with the other facets' values, so a chosen facet still
    # shows its other values.
    chosen = facet_queries(request)
    if chosen:
        search = search.post_filter(Q("bool", filter=list(chosen.values())))
    if query.is_empty or request.sort == NEWEST:
        search = search.sort({"date": {"order": "desc", "missing": "_last"}}, {"key": "asc"})
    else:
        search = search.sort("_score", {"key": "asc"})
    for name in FACET_NAMES:
        others = [facet for other, facet in chosen.items() if other != name]
        search.aggs.bucket(name, "filter", Q("bool", filter=others)).bucket(
            VALUES, "terms", field=name, size=FACET_SIZE
        )
    search = search.highlight_options(
        pre_tags=[MARK_START], post_tags=[MARK_END], require_field_match=False
    )
    search = search.highlight("title", number_of_fragments=0).highlight(
        "text", fragment_size=180, number_of_fragments=2
    )
    search = search.extra(track_total_hits=True)
    return search[request.offset : request.offset + request.per_page]


def record_source(record: SearchRecord) -> dict:
    """The document for one record, its facet set read with it."""
    facets = record.facet_set
    return {
        "key": record.key,
        "owner": record.owner,
        "title": record.title,
        "text": record.text,
        "url": record.url,
        "date": record.date.isoformat() if record.date else None,
        "audiences": facets.audiences.split(),
        "current": facets.current,
        **{facet.name: facets.values_of(facet) for facet in FACETS},
    }


class ElasticsearchEngine:
    """Search, index and rebuild against one Elasticsearch server."""

    name = "elasticsearch"
    keeps_own_index = True

    def __init__(self, url: str):
        self.client = Elasticsearch(url, request_timeout=10, max_retries=2, retry_on_timeout=True)

    def health(self) -> str:
        """What is wrong with the server, or "" when it answers."""
        return "" if self.client.ping() else "Elasticsearch did not answer."

    def search(self, request: SearchRequest) -> SearchResults:
        try:
            response = build_search(request, self.client).execute()
        except (TransportError, ApiError) as error:
            raise EngineUnavailable(str(error)) from error
        counts = {
            name: {
                str(bucket.key): bucket.doc_count
                for bucket in response.aggregations[name][VALUES].buckets
            }
            for name in FACET_NAMES
        }
        return SearchResults(
            hits=still_shown([_hit(result) for result in response], request.audience_keys),
            total=response.hits.total.value,
            facets=facet_list(counts),
        )

    def records_written(self, keys: list[str]) -> None:
        records = SearchRecord.objects.filter(key__in=keys).select_related("facet_set")
        self._bulk(
            {
                "_op_type": "index",
                "_index": index_alias(),
                "_id": record.key,
                **record_source(record),
            }
            for record in records
        )

    def records_removed(self, keys: list[str]) -> None:
        self._bulk(
            ({"_op_type": "delete", "_index": index_alias(), "_id": key} for key in keys),
            missing_is_fine=True,
        )

    def rebuild(self, progress=None) -> int:
        """Fill a new index from the records table, then point the alias at it."""
        alias = index_alias()
        name = f"{alias}-{datetime.datetime.now(datetime.UTC):%Y%m%d%H%M%S%f}"
        try:
            body = index_definition(name, load_glossary()).to_dict()
            self.client.indices.create(index=name, **body)
            records = SearchRecord.objects.select_related("facet_set")
            written = self._bulk(
                (
                    {
                        "_op_type": "index",
                        "_index": name,
                        "_id": record.key,
                        **record_source(record),
                    }
                    for record in records.iterator(chunk_size=BULK_CHUNK)
                ),
                progress=progress,
            )
            self.client.indices.refresh(index=name)
            self._swap_alias(alias, name)
        except (TransportError, ApiError) as error:
            raise EngineUnavailable(str(error)) from error
        return written

    def _swap_alias(self, alias: str, name: str) -> None:
        old = list(self.client.indices.get_alias(name=alias, ignore_unavailable=True) or {})
        old = [index for index in old if index != name]
        actions = [{"remove": {"index": index, "alias": alias}} for index in old]
        self.client.indices.update_aliases(
            actions=[*actions, {"add": {"index": name, "alias": alias}}]
        )
        for index in old:
            self.client.indices.delete(index=index)

    def _bulk(self, actions, *, missing_is_fine: bool = False, progress=None) -> int:
        """Send actions in chunks, retrying those the server was too busy to take."""
        done = 0
        try:
            for ok, item in helpers.streaming_bulk(
                self.client,
                actions,
                chunk_size=BULK_CHUNK,
                max_retries=BULK_RETRIES,
                initial_backoff=1,
                raise_on_error=False,
                refresh="wait_for",
            ):
                outcome = next(iter(item.values()))
                if not ok and not (missing_is_fine and outcome.get("status") == 404):
                    logger.error(
                        "Search record %s was not indexed: %s", outcome.get("_id"), outcome
                    )
                done += 1
                if progress and done % BULK_CHUNK == 0:
                    progress(done)
        except (TransportError, ApiError) as error:
            raise EngineUnavailable(str(error)) from error
        return done


def still_shown(hits: list[Hit], audience_keys: frozenset[str] | None) -> list[Hit]:
    """The hits whose records are still in the records table, for the reader to see.

    The index hears of a change from the worker, a moment after the records
    table; a record removed or restricted meanwhile is left off the page.
    """
    if not hits:
        return hits
    records = SearchRecord.objects.filter(key__in=[hit.key for hit in hits])
    shown = {
        key
        for key, audiences in records.values_list("key", "facet_set__audiences")
        if audience_keys is None or not audience_keys.isdisjoint(audiences.split())
    }
    return [hit for hit in hits if hit.key in shown]


def _hit(result) -> Hit:
    highlight = getattr(result.meta, "highlight", None)
    titles = list(getattr(highlight, "title", []) or [])
    texts = list(getattr(highlight, "text", []) or [])
    date = result.date if isinstance(result.date, datetime.date) else None
    if isinstance(result.date, datetime.datetime):
        date = result.date.date()
    elif isinstance(result.date, str):
        date = datetime.date.fromisoformat(result.date[:10])
    return Hit(
        key=result.key,
        kind=result.kind,
        title=marked_html(titles[0]) if titles else escape(result.title),
        url=result.url,
        date=date,
        snippet=(
            marked_html(" … ".join(texts))
            if texts
            else escape(Truncator(result.text or "").words(SNIPPET_WORDS))
        ),
        facets={
            facet.name: getattr(result, facet.name, None) or "" for facet in FACETS if facet.on_hits
        },
    )
