"""The Elasticsearch mapping, analyzers and query bodies, checked without a server."""

import datetime

from django.utils.safestring import mark_safe

from hub.search_types import SearchDocument
from search import indexing
from search.engines.base import NEWEST, Hit, SearchFilters, SearchRequest
from search.engines.elasticsearch import (
    ANALYZER,
    SEARCH_ANALYZER,
    build_search,
    index_definition,
    still_shown,
    synonym_rules,
)
from search.query import Glossary, parse

GLOSSARY = Glossary.from_entries(
    [("CIN", "Child in Need", "section 17"), ("LAC", "Looked After Children", "")]
)


def body(text="neglect", keys=frozenset({"public", "partners"}), **options):
    filters = options.pop("filters", SearchFilters())
    request = SearchRequest(
        query=parse(text, GLOSSARY), audience_keys=keys, filters=filters, **options
    )
    return build_search(request).to_dict()


def test_the_glossary_becomes_synonym_lines():
    assert synonym_rules(GLOSSARY) == [
        "cin, child in need, section 17",
        "lac, looked after children",
    ]


def test_the_index_stems_english_and_searches_with_glossary_synonyms():
    definition = index_definition("hub-search-1", GLOSSARY).to_dict()
    analysis = definition["settings"]["analysis"]
    assert analysis["filter"]["hub_glossary"]["type"] == "synonym_graph"
    assert "cin, child in need, section 17" in analysis["filter"]["hub_glossary"]["synonyms"]
    assert "hub_stemmer" in analysis["analyzer"][ANALYZER]["filter"]
    assert "hub_glossary" not in analysis["analyzer"][ANALYZER]["filter"]
    assert "hub_glossary" in analysis["analyzer"][SEARCH_ANALYZER]["filter"]
    properties = definition["mappings"]["properties"]
    assert properties["title"] == {
        "type": "text",
        "analyzer": ANALYZER,
        "search_analyzer": SEARCH_ANALYZER,
    }
    assert properties["audiences"] == {"type": "keyword"}
    assert properties["url"] == {"type": "keyword", "index": False}
    assert properties["date"] == {"type": "date"}


def test_the_audience_is_a_filter_of_the_query_itself():
    filters = body()["query"]["bool"]["filter"]
    assert {"terms": {"audiences": ["partners", "public"]}} in filters
    assert {"term": {"current": True}} in filters


def test_someone_who_may_see_everything_has_no_audience_filter():
    filters = body(keys=None)["query"]["bool"]["filter"]
    assert not any("terms" in clause and "audiences" in clause["terms"] for clause in filters)


def test_terms_phrases_exclusions_and_expansions_become_bool_clauses():
    query = body('CIN "early help" -draft')["query"]["bool"]
    first, second = query["must"]
    alternatives = [clause["multi_match"] for clause in first["bool"]["should"]]
    assert [(m["query"], m["type"]) for m in alternatives] == [
        ("cin", "best_fields"),
        ("child in need", "phrase"),
        ("section 17", "phrase"),
    ]
    assert second["bool"]["should"][0]["multi_match"]["query"] == "early help"
    assert query["must_not"][0]["multi_match"]["query"] == "draft"


def test_dates_and_past_versions_filter_the_query_and_facets_the_hits_after_counting():
    filters = SearchFilters.of(
        kind="Decision",
        milestone="M3",
        year=2015,
        date_from=datetime.date(2015, 1, 1),
        date_to=datetime.date(2015, 3, 31),
        include_past=True,
    )
    search = body(filters=filters)
    clauses = search["query"]["bool"]["filter"]
    assert {"range": {"date": {"gte": "2015-01-01", "lte": "2015-03-31"}}} in clauses
    assert {"term": {"current": True}} not in clauses
    assert not any("term" in clause and "kind" in clause["term"] for clause in clauses)
    chosen = search["post_filter"]["bool"]["filter"]
    assert {"term": {"kind": "Decision"}} in chosen
    assert {"term": {"milestone": "M3"}} in chosen
    assert {"term": {"year": 2015}} in chosen


def test_each_facet_is_counted_with_the_other_facets_chosen_values():
    search = body(filters=SearchFilters.of(kind="Decision", panel="MASP"))
    kind = search["aggs"]["kind"]
    assert kind["filter"]["bool"]["filter"] == [{"term": {"panel": "MASP"}}]
    assert kind["aggs"]["by_value"]["terms"]["field"] == "kind"
    status = search["aggs"]["status"]["filter"]["bool"]["filter"]
    assert {"term": {"kind": "Decision"}} in status and {"term": {"panel": "MASP"}} in status


def test_every_facet_is_aggregated_and_matches_are_highlighted():
    search = body()
    assert set(search["aggs"]) == {"kind", "policy_kind", "panel", "year", "status", "milestone"}
    assert search["aggs"]["milestone"]["aggs"]["by_value"]["terms"]["field"] == "milestone"
    assert "post_filter" not in search
    assert set(search["highlight"]["fields"]) == {"title", "text"}
    assert search["track_total_hits"] is True


def test_order_and_page():
    assert body(page=3, per_page=20)["from"] == 40
    assert body()["sort"][0] == "_score"
    assert body(sort=NEWEST)["sort"][0] == {"date": {"order": "desc", "missing": "_last"}}
    assert body("")["query"]["bool"]["must"] == [{"match_all": {}}]


def test_hits_the_records_table_no_longer_shows_the_reader_are_left_off(db):
    """The index may lag the records table by a worker's round; the page never does."""
    indexing.write(
        SearchDocument(
            key=key,
            owner=key,
            kind="Policy",
            title=key,
            text="neglect",
            url=f"/{key}/",
            audience_keys=frozenset(audience),
        )
        for key, audience in [("open", {"public"}), ("restricted since", {"staff"})]
    )
    hits = [
        Hit(key, "Policy", mark_safe(key), f"/{key}/", None, mark_safe(""))
        for key in ("open", "restricted since", "removed since")
    ]

    assert [hit.key for hit in still_shown(hits, frozenset({"public"}))] == ["open"]
    assert [hit.key for hit in still_shown(hits, None)] == ["open", "restricted since"]
