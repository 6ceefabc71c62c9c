"""The embedded engine: the project's own database answers, SQLite FTS5 or PostgreSQL.

A first statement counts (SQLite) or estimates (PostgreSQL's statistics) how
many records the words match. Up to ``EXACT_UP_TO`` matches, two statements
answer the search: facet counts with the page of ranked ids, from one pass over
the matches, then marked titles and snippets for that page only. Beyond it
(words in most records, such as "the"), ranking and counting every match would
cost time in proportion to the matches, so the page lists the newest matches,
found by reading records newest first until the page is full, and the total and
facet counts are estimated from a sample of about ``SAMPLE_SIZE`` matches.

Records sharing facet values and audiences share a facet set, so counting and
paging read only each match's facet set number, date and score, and test a few
hundred facet sets (never each match) against the filters and the reader's
audience keys. The audience is a condition of every statement, so ranking,
counts, samples and pages only ever see records the reader may see.
"""

import datetime
import json
from dataclasses import dataclass, replace

from django.db import connection as default_connection
from django.utils.html import escape
from django.utils.text import Truncator

from hub.search_types import FACETS, FACETS_BY_NAME
from search.engines.base import (
    FACET_NAMES,
    MARK_END,
    MARK_START,
    NEWEST,
    Hit,
    SearchRequest,
    SearchResults,
    facet_list,
    marked_html,
)
from search.models import joined_names, split_names
from search.query import ParsedQuery

RECORDS = "search_searchrecord"
FACET_SETS = "search_searchfacetset"
# The columns matches are filtered, counted and sorted on, so matching rows are
# read from this index rather than from the wide rows holding the text (SQLite).
MATCHING_INDEX = "search_record_matching"
SNIPPET_WORDS = 30
ON_HITS = tuple(facet.name for facet in FACETS if facet.on_hits)
RESULT_COLUMNS = ", ".join(
    ["r.id", "r.key", "f.kind", "r.url", "r.date", *(f"f.{name}" for name in ON_HITS)]
)
WITH_FACETS = f"JOIN {FACET_SETS} f ON f.id = r.facet_set_id"
NEWEST_FIRST = "date DESC NULLS LAST, id DESC"
# PostgreSQL's text search configuration: English stems with every word kept, stop
# words included, as FTS5 keeps them (made in migration 0007).
TEXT_SEARCH_CONFIG = "hub_english"
# Words matching more records than this (before the reader's audience) are listed
# newest first with estimated counts. Ranking and counting every match takes about
# 40 ms for 10,000 matches and over 100 ms for 100,000 on a small server.
EXACT_UP_TO = 10_000
SAMPLE_SIZE = 2_000
# Fewer sampled matches with the reader's audience and chosen values than this, and
# the matches are ranked and counted exactly after all: too few to estimate from, and
# too few for reading records newest first to fill a page quickly.
MIN_SAMPLED = 10
# SQLite samples the matches whose id times MIXER, modulo the prime, falls below a
# cut: a spread over every range of ids, not the first or last records written.
MIXER, SAMPLING_PRIME = 2_654_435_761, 1_000_003


def fts5_query(query: ParsedQuery) -> str:
    """An FTS5 MATCH expression: every term required, any of its phrases, exclusions last.

    Phrases hold only letters and digits (see ``search.query``), so quoting them
    makes each a plain FTS5 string whatever the reader typed.
    """
    terms = [
        "(" + " OR ".join(f'"{" ".join(phrase)}"' for phrase in term.phrases) + ")"
        for term in query.terms
    ]
    expression = "(" + " AND ".join(terms) + ")"
    return expression + "".join(f' NOT "{" ".join(phrase)}"' for phrase in query.excluded)


def tsquery_sql(query: ParsedQuery) -> tuple[str, list[str]]:
    """A PostgreSQL tsquery expression built from bound phrases, never from typed syntax."""
    params: list[str] = []

    def phrase_sql(phrase) -> str:
        params.append(" ".join(phrase))
        return f"phraseto_tsquery('{TEXT_SEARCH_CONFIG}', %s)"

    terms = ["(" + " || ".join(phrase_sql(p) for p in term.phrases) + ")" for term in query.terms]
    excluded = [f"!!{phrase_sql(phrase)}" for phrase in query.excluded]
    return "(" + " && ".join(terms + excluded) + ")", params


class DatabaseEngine:
    """Full-text search on the records table with the database's own index."""

    keeps_own_index = False

    def __init__(self, connection=None, exact_up_to: int = EXACT_UP_TO):
        self.connection = connection or default_connection
        self.name = self.connection.vendor
        self.dialect = (
            PostgresDialect() if self.connection.vendor == "postgresql" else SqliteDialect()
        )
        self.exact_up_to = exact_up_to

    def health(self) -> str:
        """What is wrong with the engine, or "" when its records can be read."""
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT 1 FROM {RECORDS} LIMIT 1")
            cursor.fetchall()
        return ""

    def search(self, request: SearchRequest) -> SearchResults:
        query = request.query
        with self.connection.cursor() as cursor:
            matched = 0 if query.is_empty else self.dialect.matched(cursor, query)
            sample = None
            if matched > self.exact_up_to:
                sample = sampled_counts(cursor, self.dialect, request, matched)
            # Words in many records the reader may not see, or with few of the chosen
            # values: read newest first, the page would test record after record.
            estimated = sample is not None and sample[0] >= MIN_SAMPLED
            if estimated:
                total, counts, ids = newest_and_estimates(cursor, self.dialect, request, sample)
            else:
                source, condition, params, score = self.dialect.matching(query)
                matches = _matches(request, self.dialect, source, condition, params)
                if request.sort != NEWEST:
                    matches = replace(matches, score=score)
                total, counts, ids = counts_and_page(cursor, matches, request)
            details = self.dialect.details(cursor, query, ids)
        return SearchResults(
            hits=[_hit(details[record_id]) for record_id in ids],
            total=total,
            facets=facet_list(counts),
            estimated=estimated,
        )

    def records_written(self, keys: list[str]) -> None:
        """Nothing to do: the database's own index follows the records table."""

    def records_removed(self, keys: list[str]) -> None:
        """Nothing to do: the database's own index follows the records table."""

    def rebuild(self, progress=None) -> int:
        """The index already holds every record; compact it for faster queries."""
        with self.connection.cursor() as cursor:
            self.dialect.optimise(cursor)
            cursor.execute(f"SELECT COUNT(*) FROM {RECORDS}")
            return cursor.fetchone()[0]


@dataclass(frozen=True)
class Matches:
    """What a search matches, as pieces of SQL the dialects put together.

    Facet counts are taken over the matches with any facet values, so a chosen
    facet still shows its other values; the page is taken over the matches
    with the chosen values.
    """

    source: str
    # The words and dates, with their parameters.
    condition: str
    params: list
    # Facet sets the reader may see (SQL and parameters), with any facet values
    # or only the chosen ones.
    any_facets: tuple[str, list]
    chosen_facets: tuple[str, list]
    # Whether words are matched, or every record the filters allow is listed.
    by_words: bool
    # Empty when the page is ordered by date; lower scores are better matches.
    score: str = ""

    def within(self, facet_sets: tuple[str, list]) -> tuple[str, list]:
        """FROM and WHERE for the matches in ``facet_sets``, and their parameters.

        The unary plus keeps SQLite from looking each facet set up in the index
        instead of testing membership.
        """
        sets, params = facet_sets
        return (
            f"FROM {self.source} WHERE {self.condition} AND +r.facet_set_id IN ({sets})",
            [*self.params, *params],
        )


def _matches(request: SearchRequest, dialect, source: str, condition: str, params) -> Matches:
    """The matches of ``condition`` in ``source`` within the dates and facet sets asked for."""
    dates, date_params = dates_sql(request.filters)
    return Matches(
        source=source,
        condition=condition + dates,
        params=[*params, *date_params],
        any_facets=facet_sets_sql(request, dialect.CONTAINS, with_facets=False),
        chosen_facets=facet_sets_sql(request, dialect.CONTAINS, with_facets=True),
        by_words=not request.query.is_empty,
    )


def counts_and_page(cursor, matches: Matches, request) -> tuple[int, dict, list[int]]:
    """The total, facet counts and the page from one pass over the matches.

    Only matches with the chosen facet values are scored. The statement yields
    facet sets with their counts, then the page's ids with their places.
    """
    counted, params = matches.within(matches.any_facets)
    chosen, chosen_params = matches.chosen_facets
    hits = (
        f"SELECT r.id, r.facet_set_id, r.date, CASE WHEN +r.facet_set_id IN ({chosen}) "
        f"THEN {matches.score or '0'} END AS score {counted}"
    )
    order = "score, id" if matches.score else NEWEST_FIRST
    columns = ", ".join(f"f.{name}" for name in FACET_NAMES)
    blanks = ", ".join(["NULL"] * (len(FACET_NAMES) + 1))
    # Matches of words are found once; a listing without words reads two indexes
    # instead, counting from one and walking the other newest first.
    kept = "MATERIALIZED" if matches.by_words else "NOT MATERIALIZED"
    cursor.execute(
        f"WITH hits AS {kept} ({hits}) "
        f"SELECT {columns}, c.n, NULL, NULL FROM ("
        "SELECT facet_set_id AS id, COUNT(*) AS n FROM hits GROUP BY facet_set_id"
        f") c JOIN {FACET_SETS} f ON f.id = c.id "
        f"UNION ALL SELECT {blanks}, id, ROW_NUMBER() OVER (ORDER BY {order}) FROM ("
        f"SELECT id, date, score FROM hits WHERE score IS NOT NULL ORDER BY {order} "
        "LIMIT %s OFFSET %s) page",
        [*chosen_params, *params, request.per_page, request.offset],
    )
    facet_sets, page = [], []
    for *row, page_id, place in cursor.fetchall():
        if page_id is None:
            facet_sets.append(row)
        else:
            page.append((place, page_id))
    total, counts = facet_counts(facet_sets, request.filters.facet_values())
    return total, counts, [page_id for _, page_id in sorted(page)]


def sampled_counts(
    cursor, dialect, request: SearchRequest, matched: int
) -> tuple[int, dict, float]:
    """A sample of the matches the reader may see: the total and facet counts in it, and
    how many matches each sampled one stands for.

    ``matched`` is how many records the words match, whoever asks.
    """
    source, condition, params, scale = dialect.sample(cursor, request.query, matched)
    sample = _matches(request, dialect, source, condition, params)
    counted, params = sample.within(sample.any_facets)
    columns = ", ".join(f"f.{name}" for name in FACET_NAMES)
    cursor.execute(
        f"SELECT {columns}, c.n FROM (SELECT r.facet_set_id AS id, COUNT(*) AS n {counted} "
        f"GROUP BY r.facet_set_id) c JOIN {FACET_SETS} f ON f.id = c.id",
        params,
    )
    sampled, counts = facet_counts(cursor.fetchall(), request.filters.facet_values())
    return sampled, counts, scale


def newest_and_estimates(
    cursor, dialect, request: SearchRequest, sample: tuple[int, dict, float]
) -> tuple[int, dict, list[int]]:
    """The page of newest matches, and the total and facet counts ``sample`` estimates.

    The page is exact: the reader's audience and the filters are conditions of
    the statement that reads it.
    """
    newest = _matches(request, dialect, *dialect.newest(request.query))
    shown, params = newest.within(newest.chosen_facets)
    cursor.execute(
        f"SELECT r.id {shown} ORDER BY {NEWEST_FIRST} LIMIT %s OFFSET %s",
        [*params, request.per_page, request.offset],
    )
    ids = [row[0] for row in cursor.fetchall()]
    sampled, sampled_counts, scale = sample
    counts = {
        name: {value: about(number * scale) for value, number in values.items()}
        for name, values in sampled_counts.items()
    }
    if ids and len(ids) < request.per_page:
        # The page ends the matches, so they are counted.
        return request.offset + len(ids), counts, ids
    return max(about(sampled * scale), request.offset + len(ids)), counts, ids


def about(number: float) -> int:
    """``number`` to two significant figures, as an estimate is shown."""
    if number < 100:
        return round(number)
    return int(round(number, 2 - len(str(int(number)))))


def facet_counts(rows, chosen: dict[str, object]) -> tuple[int, dict[str, dict[str, int]]]:
    """The total with every chosen facet value, and each facet's counts with the others'.

    ``rows`` are facet sets with their match counts, any facet values.
    """
    wanted = [(name, str(value)) for name, value in chosen.items()]
    total, counts = 0, {name: {} for name in FACET_NAMES}
    for *values, number in rows:
        held = [
            (facet.name, held_value)
            for facet, value in zip(FACETS, values, strict=True)
            for held_value in (split_names(value) if facet.many else [_text(value)])
        ]
        unmet = {name for name, value in wanted if (name, value) not in held}
        if not unmet:
            total += number
        elif len(unmet) > 1:
            # Two facets unmet: no facet's count includes this set.
            continue
        for name, value in held:
            if not unmet or name in unmet:
                counts[name][value] = counts[name].get(value, 0) + number
    return total, counts


def facet_sets_sql(request: SearchRequest, contains: str, *, with_facets: bool):
    """The facet sets of past versions or not, the reader's audience and the chosen values.

    ``contains`` is the dialect's substring test.
    """
    filters = request.filters
    clauses, params = [], []
    if not filters.include_past:
        clauses.append("f.current = %s")
        params.append(True)
    chosen = filters.facet_values() if with_facets else {}
    for name, value in chosen.items():
        if FACETS_BY_NAME[name].many:
            clauses.append(contains.format(f"f.{name}"))
            params.append(joined_names([value]))
        else:
            clauses.append(f"f.{name} = %s")
            params.append(value)
    if request.audience_keys is not None:
        keys = sorted(request.audience_keys)
        tests = [contains.format("f.audiences")] * len(keys)
        clauses.append("(" + " OR ".join(tests or ["1 = 0"]) + ")")
        params.extend(f" {key} " for key in keys)
    return f"SELECT f.id FROM {FACET_SETS} f WHERE {' AND '.join(clauses) or '1 = 1'}", params


def dates_sql(filters) -> tuple[str, list]:
    clauses, params = "", []
    if filters.date_from:
        clauses += " AND r.date >= %s"
        params.append(filters.date_from.isoformat())
    if filters.date_to:
        clauses += " AND r.date <= %s"
        params.append(filters.date_to.isoformat())
    return clauses, params


def _text(value) -> str:
    return "" if value is None else str(value)


def _hit(row) -> Hit:
    _, key, kind, url, date, *rest = row
    shown, (title, text, *marks) = rest[: len(ON_HITS)], rest[len(ON_HITS) :]
    if marks and marks[0] is not None:
        marked_title, snippet = marked_html(marks[0]), marked_html(marks[1])
    else:
        marked_title, snippet = escape(title), escape(Truncator(text).words(SNIPPET_WORDS))
    return Hit(
        key=key,
        kind=kind,
        title=marked_title,
        url=url,
        date=_as_date(date),
        snippet=snippet,
        facets=dict(zip(ON_HITS, shown, strict=True)),
    )


def _as_date(value) -> datetime.date | None:
    """SQLite hands back dates from raw queries as text."""
    if isinstance(value, str):
        return datetime.date.fromisoformat(value)
    return value


def _in_list(ids: list[int]) -> str:
    return ", ".join(["%s"] * len(ids))


def plain_details(cursor, ids: list[int]) -> dict[int, tuple]:
    """The page's records without marks, for a listing with no words to match."""
    if not ids:
        return {}
    cursor.execute(
        f"SELECT {RESULT_COLUMNS}, r.title, r.text FROM {RECORDS} r {WITH_FACETS} "
        f"WHERE r.id IN ({_in_list(ids)})",
        ids,
    )
    return {row[0]: row for row in cursor.fetchall()}


class SqliteDialect:
    """FTS5: an external-content table over the records, ranked by bm25."""

    CONTAINS = "instr({}, %s) > 0"

    def matching(self, query: ParsedQuery) -> tuple[str, str, list, str]:
        """(FROM clause, match condition, its parameters, the relevance score)."""
        if query.is_empty:
            return f"{RECORDS} r", "1 = 1", [], ""
        return (
            # CROSS JOIN keeps the full-text match as the outer loop in SQLite's plan.
            f"search_fts CROSS JOIN {RECORDS} r INDEXED BY {MATCHING_INDEX} "
            "ON r.id = search_fts.rowid",
            "search_fts MATCH %s",
            [fts5_query(query)],
            # bm25() called directly is cheaper than the configured ``rank`` column;
            # the weights are the ones the migration gives ``rank`` (title x10).
            # Its scores are lower for better matches.
            "bm25(search_fts, 10.0, 1.0)",
        )

    def matched(self, cursor, query: ParsedQuery) -> int:
        """How many records the words match, whoever asks: the index's own count, a few ms."""
        cursor.execute(
            "SELECT COUNT(*) FROM search_fts WHERE search_fts MATCH %s", [fts5_query(query)]
        )
        return cursor.fetchone()[0]

    def newest(self, query: ParsedQuery) -> tuple[str, str, list]:
        """Records read newest first (the date index), each tested against the words.

        Used only for words in many records, so few are read before a page is full.
        """
        return (
            f"{RECORDS} r",
            "EXISTS (SELECT 1 FROM search_fts WHERE search_fts MATCH %s "
            "AND search_fts.rowid = r.id)",
            [fts5_query(query)],
        )

    def sample(self, cursor, query: ParsedQuery, matched: int) -> tuple[str, str, list, float]:
        """About ``SAMPLE_SIZE`` of the matches, and how many matches each stands for."""
        source, condition, params, _score = self.matching(query)
        cut = max(1, min(SAMPLING_PRIME, round(SAMPLING_PRIME * SAMPLE_SIZE / matched)))
        return (
            source,
            f"{condition} AND (search_fts.rowid * {MIXER}) %% {SAMPLING_PRIME} < %s",
            [*params, cut],
            SAMPLING_PRIME / cut,
        )

    def details(self, cursor, query: ParsedQuery, ids: list[int]) -> dict[int, tuple]:
        """The page's records with marked titles and snippets."""
        if query.is_empty or not ids:
            return plain_details(cursor, ids)
        cursor.execute(
            f"SELECT {RESULT_COLUMNS}, r.title, r.text, highlight(search_fts, 0, %s, %s), "
            "snippet(search_fts, 1, %s, %s, '…', %s) "
            f"FROM search_fts CROSS JOIN {RECORDS} r ON r.id = search_fts.rowid {WITH_FACETS} "
            f"WHERE search_fts MATCH %s AND search_fts.rowid IN ({_in_list(ids)})",
            [MARK_START, MARK_END, MARK_START, MARK_END, SNIPPET_WORDS, fts5_query(query), *ids],
        )
        return {row[0]: row for row in cursor.fetchall()}

    def optimise(self, cursor) -> None:
        cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")


class PostgresDialect:
    """PostgreSQL full-text search: weighted tsvectors in a table of their own, ts_rank."""

    HEADLINE = f'StartSel="{MARK_START}", StopSel="{MARK_END}"'
    CONTAINS = "strpos({}, %s) > 0"

    def matching(self, query: ParsedQuery) -> tuple[str, str, list, str]:
        if query.is_empty:
            return f"{RECORDS} r", "1 = 1", [], ""
        tsquery, params = tsquery_sql(query)
        return (
            # The narrow matching table stands in for the records: it holds each
            # record's id, facet set and date beside its tsvector.
            f"search_fts r CROSS JOIN (SELECT {tsquery} AS q) query",
            "r.vector @@ query.q",
            params,
            # Negated so that, as in SQLite, lower scores are better matches.
            "-ts_rank(r.vector, query.q)",
        )

    def matched(self, cursor, query: ParsedQuery) -> int:
        """How many records the words match, whoever asks, as the planner's statistics say.

        Counting would read every match; the estimate comes from the lexeme
        frequencies ANALYZE keeps (autovacuum, or ``search_index rebuild``).
        """
        source, condition, params, _score = self.matching(query)
        cursor.execute(f"EXPLAIN (FORMAT JSON) SELECT 1 FROM {source} WHERE {condition}", params)
        plan = cursor.fetchone()[0]
        if isinstance(plan, str):
            plan = json.loads(plan)
        return round(plan[0]["Plan"]["Plan Rows"])

    def newest(self, query: ParsedQuery) -> tuple[str, str, list]:
        """The matching table read newest first (``search_fts_newest``), each tested."""
        source, condition, params, _score = self.matching(query)
        return source, condition, params

    def sample(self, cursor, query: ParsedQuery, matched: int) -> tuple[str, str, list, float]:
        """The matches among a sample of the table's pages, sized for about ``SAMPLE_SIZE``.

        A fixed seed, so the same words give the same estimate while the records
        stay. The number of pages drawn varies, so each match found stands for
        the table's rows (as ANALYZE last counted them) over the rows sampled.
        """
        tsquery, params = tsquery_sql(query)
        percent = min(100.0, 100.0 * SAMPLE_SIZE / max(matched, 1))
        sampled = f"search_fts r TABLESAMPLE SYSTEM ({percent!r}) REPEATABLE (0)"
        cursor.execute(
            "SELECT (SELECT reltuples FROM pg_class WHERE oid = 'search_fts'::regclass), "
            f"COUNT(*) FROM {sampled}"
        )
        rows, drawn = cursor.fetchone()
        scale = rows / drawn if rows > 0 and drawn else 100.0 / percent
        return (
            f"{sampled} CROSS JOIN (SELECT {tsquery} AS q) query",
            "r.vector @@ query.q",
            params,
            scale,
        )

    def details(self, cursor, query: ParsedQuery, ids: list[int]) -> dict[int, tuple]:
        if query.is_empty or not ids:
            return plain_details(cursor, ids)
        tsquery, params = tsquery_sql(query)
        cursor.execute(
            f"SELECT {RESULT_COLUMNS}, r.title, r.text, "
            f"ts_headline('{TEXT_SEARCH_CONFIG}', r.title, query.q, %s), "
            f"ts_headline('{TEXT_SEARCH_CONFIG}', r.text, query.q, %s) "
            f"FROM {RECORDS} r CROSS JOIN (SELECT {tsquery} AS q) query {WITH_FACETS} "
            f"WHERE r.id IN ({_in_list(ids)})",
            [
                f"HighlightAll=true, {self.HEADLINE}",
                f"MaxWords={SNIPPET_WORDS}, MinWords=12, MaxFragments=2, "
                f'FragmentDelimiter=" … ", {self.HEADLINE}',
                *params,
                *ids,
            ],
        )
        return {row[0]: row for row in cursor.fetchall()}

    def optimise(self, cursor) -> None:
        # Fresh statistics, or the planner guesses at the facet sets' size. Vacuuming
        # (impossible inside a transaction) also reclaims the rows a rebuild replaced
        # and lets counts without words read the facet set index alone.
        command = "ANALYZE" if cursor.db.in_atomic_block else "VACUUM ANALYZE"
        cursor.execute(f"{command} search_fts, {RECORDS}, {FACET_SETS}")
