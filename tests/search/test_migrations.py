"""The full-text index the migrations build: older records stay findable; it follows the records."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from hub.search_types import FACETS_BY_NAME, SearchDocument
from search import indexing
from search.engines.base import SearchFilters, SearchRequest
from search.engines.database import DatabaseEngine
from search.models import SearchFacetSet, SearchRecord
from search.query import parse

BEFORE = [("search", "0002_full_text_index")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.usefixtures("empty_database")
def test_existing_records_are_grouped_into_facet_sets_and_stay_findable():
    old = migrate(BEFORE)
    record = old.get_model("search", "SearchRecord")
    milestone = old.get_model("search", "SearchMilestone")
    shared = {
        "kind": "Decision",
        "policy_kind": "",
        "panel": "MASP",
        "date": datetime.date(2015, 1, 15),
        "year": 2015,
        "status": "Agreed",
        "current": True,
        "audiences": " partners ",
    }
    first = record.objects.create(
        key="d1", owner="page:1", title="Adopt", text="neglect", url="/1/", **shared
    )
    second = record.objects.create(
        key="d2", owner="page:1", title="Refer", text="neglect", url="/2/", **shared
    )
    record.objects.create(
        key="d3",
        owner="page:2",
        title="Secret",
        text="neglect",
        url="/3/",
        **(shared | {"audiences": " staff "}),
    )
    for each in (first, second):
        milestone.objects.create(record=each, ref="Threshold  refresh")
    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    assert SearchFacetSet.objects.count() == 2
    grouped = SearchRecord.objects.get(key="d1").facet_set
    assert grouped == SearchRecord.objects.get(key="d2").facet_set
    assert (grouped.kind, grouped.panel, grouped.year, grouped.audiences) == (
        "Decision",
        "MASP",
        2015,
        " partners ",
    )
    assert grouped.values_of(FACETS_BY_NAME["milestone"]) == ["Threshold refresh"]
    results = DatabaseEngine().search(
        SearchRequest(
            query=parse("neglect"),
            audience_keys=frozenset({"public", "partners"}),
            filters=SearchFilters.of(milestone="Threshold refresh"),
        )
    )
    assert results.total == 2
    assert {hit.key for hit in results.hits} == {"d1", "d2"}

    # A record written now with the same values joins the set the migrations made.
    indexing.write(
        [
            SearchDocument(
                key="d4",
                owner="page:1",
                kind="Decision",
                title="Review",
                text="neglect",
                url="/4/",
                audience_keys=frozenset({"partners"}),
                date=datetime.date(2015, 2, 1),
                facets={"panel": "MASP", "status": "Agreed", "milestone": ["Threshold refresh"]},
            )
        ]
    )
    assert SearchRecord.objects.get(key="d4").facet_set == grouped
    assert SearchFacetSet.objects.count() == 2


def found(text: str) -> tuple[int, set[str]]:
    """The total and keys the embedded engine finds for ``text``, everything visible."""
    results = DatabaseEngine().search(
        SearchRequest(query=parse(text), audience_keys=None, filters=SearchFilters())
    )
    return results.total, {hit.key for hit in results.hits}


def write(key: str, title: str, text: str) -> None:
    indexing.write(
        [
            SearchDocument(
                key=key,
                owner=key,
                kind="Policy",
                title=title,
                text=text,
                url=f"/{key}/",
                audience_keys=frozenset({"public"}),
            )
        ]
    )


def test_a_record_changed_in_place_is_found_by_its_new_words(db):
    write("r1", "Lantern protocol", "What happens to neglect referrals")
    SearchRecord.objects.filter(key="r1").update(title="Beacon protocol")

    assert found("beacon") == (1, {"r1"})
    assert found("lantern") == (0, set())
    assert found("neglect") == (1, {"r1"})


def test_emptying_the_records_table_at_once_empties_its_full_text_index(db):
    if connection.vendor != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL's; SQLite empties a table row by row")
    write("r1", "Lantern protocol", "What happens to neglect referrals")
    with connection.cursor() as cursor:
        # The write's deferred checks must run before the table may be truncated.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {SearchRecord._meta.db_table}")
    write("r2", "Beacon protocol", "Transfers between teams")

    assert found("lantern") == (0, set())
    assert found("beacon") == (1, {"r2"})
