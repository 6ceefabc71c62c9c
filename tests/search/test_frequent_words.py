"""Words in more records than the engine ranks and counts exactly: newest first, estimated counts.

The limit is lowered to a few records here, so the behaviour a word in most of
100,000 records gets is tested on sixty. A table this small is sampled whole,
so the estimates equal the true counts.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hub.search_types import SearchDocument
from search import indexing
from search.engines import get_engine
from search.engines.base import SearchFilters, SearchRequest
from search.engines.database import DatabaseEngine, about
from search.query import parse
from search.selectors import audience_keys
from tests.search.conftest import use_engine

COUNT = 60
EXACT_UP_TO = 20
START = datetime.date(2015, 1, 1)
# Every record has "common"; the first five have "rare"; every third is for staff only,
# and has "hidden", as do two records for everyone.
PUBLIC = [number for number in range(COUNT) if number % 3]
NEWEST_PUBLIC = [f"rec:{number}" for number in reversed(PUBLIC)]


def document(number: int) -> SearchDocument:
    return SearchDocument(
        key=f"rec:{number}",
        owner=f"rec:{number}",
        kind="Decision" if number % 2 else "Action",
        title=f"Record {number}",
        text="A common word"
        + (" and a rare one" if number < 5 else "")
        + (" hidden" if number % 3 == 0 or number in (1, 2) else ""),
        url=f"/records/{number}/",
        audience_keys=frozenset({"staff" if number % 3 == 0 else "public"}),
        date=START + datetime.timedelta(days=number),
    )


@pytest.fixture
def records(db, settings):
    use_engine(settings, "database")
    settings.SEARCH_ENGINES = {
        **settings.SEARCH_ENGINES,
        "database": {
            **settings.SEARCH_ENGINES["database"],
            "OPTIONS": {"exact_up_to": EXACT_UP_TO},
        },
    }
    indexing.write(document(number) for number in range(COUNT))
    # Fresh statistics: PostgreSQL estimates how many records the words match from them.
    DatabaseEngine().rebuild()


def search(user, text: str, *, page: int = 1, **filters):
    request = SearchRequest(
        query=parse(text),
        audience_keys=audience_keys(user),
        filters=SearchFilters.of(**filters),
        page=page,
        per_page=5,
    )
    return get_engine().search(request)


def keys(results) -> list[str]:
    return [hit.key for hit in results.hits]


def test_a_word_in_most_records_lists_the_newest_the_reader_may_see(records, people):
    results = search(people["anonymous"], "common")
    assert results.estimated
    assert keys(results) == NEWEST_PUBLIC[:5]
    assert results.total == len(PUBLIC)
    assert "<mark>common</mark>" in results.hits[0].snippet


def test_later_pages_carry_on_newest_first(records, people):
    assert keys(search(people["anonymous"], "common", page=3)) == NEWEST_PUBLIC[10:15]


def test_the_readers_audience_is_a_condition_of_the_page_and_the_estimate(records, people):
    staff = search(people["staff"], "common")
    assert keys(staff) == [f"rec:{number}" for number in range(COUNT - 1, COUNT - 6, -1)]
    assert staff.total == COUNT


def test_facets_narrow_the_newest_and_their_counts_are_estimated_alike(records, people):
    results = search(people["anonymous"], "common", kind="Decision")
    decisions = [key for key in NEWEST_PUBLIC if int(key.split(":")[1]) % 2]
    assert keys(results) == decisions[:5]
    assert results.total == len(decisions)
    counts = {value.value: value.count for value in results.facets["kind"]}
    assert counts == {"Decision": len(decisions), "Action": len(PUBLIC) - len(decisions)}


def test_few_matches_with_the_chosen_values_are_ranked_and_counted_exactly(records, people):
    results = search(people["anonymous"], "common", date_from=START + datetime.timedelta(55))
    assert not results.estimated
    assert sorted(keys(results)) == ["rec:55", "rec:56", "rec:58", "rec:59"]
    assert results.total == 4


def test_a_word_in_many_records_the_reader_may_not_see_is_counted_exactly(records, people):
    # Twenty-two records have it, more than are listed newest first; the public
    # may see two, too few to estimate from or to find by reading newest first.
    public = search(people["anonymous"], "hidden")
    assert not public.estimated
    assert sorted(keys(public)) == ["rec:1", "rec:2"]
    assert public.total == 2
    staff = search(people["staff"], "hidden")
    assert staff.estimated
    assert keys(staff) == ["rec:57", "rec:54", "rec:51", "rec:48", "rec:45"]
    assert staff.total == 22


def test_words_in_fewer_records_are_ranked_and_counted_exactly(records, people):
    results = search(people["anonymous"], "rare")
    assert not results.estimated
    assert sorted(keys(results)) == ["rec:1", "rec:2", "rec:4"]
    assert results.total == 3
    # The rarer word narrows "common" below the limit too.
    assert search(people["anonymous"], "common rare").total == 3


def test_statements_are_a_count_then_a_fixed_few_whatever_the_words_match(records, people):
    with CaptureQueriesContext(connection) as exact:
        search(people["anonymous"], "rare")
    with CaptureQueriesContext(connection) as estimated:
        search(people["anonymous"], "common")
    # The count, facet counts with the page, the page's marked text.
    assert len(exact) == 3
    # The count, the page, the sample's facet counts (on PostgreSQL after the
    # table's size and the sample's), the page's marked text.
    assert len(estimated) == (5 if connection.vendor == "postgresql" else 4)


def test_the_newest_matches_are_read_in_index_order_not_sorted(records, people):
    with CaptureQueriesContext(connection) as captured:
        search(people["anonymous"], "common")
    [newest] = [query["sql"] for query in captured if "ORDER BY date DESC" in query["sql"]]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {newest}")
            plan = " ".join(row[-1] for row in cursor.fetchall())
            assert "USING INDEX search_record_date" in plan
            assert "TEMP B-TREE" not in plan
        else:
            # A table this small is cheaper to sort; with sorting ruled out the
            # index must give the order by itself.
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute(f"EXPLAIN {newest}")
            plan = " ".join(row[0] for row in cursor.fetchall())
            assert "search_fts_newest" in plan
            assert "Sort" not in plan


@pytest.mark.parametrize(
    ("number", "shown"), [(7, 7), (99, 99), (75_188, 75_000), (1_234_567, 1_200_000)]
)
def test_estimates_are_shown_to_two_significant_figures(number, shown):
    assert about(number) == shown


def test_the_search_page_says_the_total_is_about_and_why_the_newest_come_first(records, client):
    html = client.get("/search/", {"q": "common"}).content.decode()
    assert f"About {len(PUBLIC)} results for “common”" in html
    assert "the newest are listed first and the numbers are estimates" in html
    assert "(about " in html
    exact = client.get("/search/", {"q": "rare"}).content.decode()
    assert "3 results for “rare”" in exact
    assert "About" not in exact
    assert "numbers are estimates" not in exact
