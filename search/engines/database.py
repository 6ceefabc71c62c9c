"""The embedded engine: the project's own database answers, SQLite FTS5 or PostgreSQL.

Two statements answer a search whatever it matches: one pass over the matches
gives the page of ranked ids and every facet's counts (whose kind counts add
up to the total), and a second gives marked titles and snippets for that page
only. The reader's audience keys are a
condition of every one of them, so ranking, counts and pages only ever see
records the reader may see.
"""

import datetime

from django.db import connection as default_connection
from django.utils.html import escape
from django.utils.text import Truncator

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
from search.query import ParsedQuery

RECORDS = "search_searchrecord"
# Every column a search filters, sorts or counts on, so matching rows are read
# from this index rather than from the wide rows holding the text (SQLite only).
FACET_INDEX = "search_record_facets"
MILESTONES = "search_searchmilestone"
SNIPPET_WORDS = 30
RESULT_COLUMNS = "r.id, r.key, r.kind, r.url, r.date, r.policy_kind, r.panel, r.status"


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
        return "phraseto_tsquery('english', %s)"

    terms = ["(" + " || ".join(phrase_sql(p) for p in term.phrases) + ")" for term in query.terms]
    excluded = [f"!!{phrase_sql(phrase)}" for phrase in query.excluded]
    return "(" + " && ".join(terms + excluded) + ")", params


class DatabaseEngine:
    """Full-text search on the records table with the database's own index."""

    def __init__(self, connection=None):
        self.connection = connection or default_connection
        self.name = self.connection.vendor
        self.dialect = (
            PostgresDialect() if self.connection.vendor == "postgresql" else SqliteDialect()
        )

    def search(self, request: SearchRequest) -> SearchResults:
        with self.connection.cursor() as cursor:
            ids, counts = self._page_and_counts(cursor, request)
            details = self.dialect.details(cursor, request.query, ids)
        return SearchResults(
            hits=[_hit(details[record_id]) for record_id in ids],
            total=sum(counts.get("kind", {}).values()),
            facets=facet_list(counts),
        )

    def _page_and_counts(self, cursor, request) -> tuple[list[int], dict[str, dict[str, int]]]:
        """The page's ids in order and every facet's counts, from one pass over the matches.

        Only ids, scores and facet columns are read for the matches; the text is
        read for the page's records alone.
        """
        source, condition, match_params, score = self.dialect.matching(request.query)
        where, params = filter_sql(request)
        if score and request.sort != NEWEST:
            order = f"score {self.dialect.BEST_FIRST}, id"
        else:
            score, order = "0", "date DESC NULLS LAST, id DESC"
        columns = [name for name in FACET_NAMES if name != "milestone"]
        parts = [
            "SELECT 'page', CAST(id AS TEXT), position FROM ("
            f"SELECT id, row_number() OVER (ORDER BY {order}) AS position FROM ("
            f"SELECT id, score, date FROM hits ORDER BY {order} LIMIT %s OFFSET %s) page) numbered",
            *(
                f"SELECT '{name}', CAST({name} AS TEXT), COUNT(*) FROM hits GROUP BY {name}"
                for name in columns
            ),
            f"SELECT 'milestone', m.ref, COUNT(*) FROM hits "
            f"{self.dialect.JOIN_IN_ORDER} {MILESTONES} m ON m.record_id = hits.id GROUP BY m.ref",
        ]
        sql = (
            f"WITH hits AS MATERIALIZED (SELECT r.id, {score} AS score, r.date, "
            f"{', '.join('r.' + c for c in columns)} FROM {source} WHERE {condition} AND {where}) "
            + " UNION ALL ".join(parts)
        )
        cursor.execute(sql, [*match_params, *params, request.per_page, request.offset])
        page, counts = [], {}
        for name, value, number in cursor.fetchall():
            if name == "page":
                page.append((number, int(value)))
            else:
                counts.setdefault(name, {})[value] = number
        return [record_id for _, record_id in sorted(page)], counts

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


def filter_sql(request: SearchRequest) -> tuple[str, list]:
    """Conditions for the facets, dates, past versions and, above all, the audience."""
    filters = request.filters
    clauses, params = [], []
    if not filters.include_past:
        clauses.append("r.current = %s")
        params.append(True)
    for name in ("kind", "policy_kind", "panel", "status", "year"):
        value = getattr(filters, name)
        if value not in ("", None):
            clauses.append(f"r.{name} = %s")
            params.append(value)
    if filters.milestone:
        clauses.append(
            f"EXISTS (SELECT 1 FROM {MILESTONES} m WHERE m.record_id = r.id AND m.ref = %s)"
        )
        params.append(filters.milestone)
    if filters.date_from:
        clauses.append("r.date >= %s")
        params.append(filters.date_from.isoformat())
    if filters.date_to:
        clauses.append("r.date <= %s")
        params.append(filters.date_to.isoformat())
    if request.audience_keys is not None:
        keys = sorted(request.audience_keys)
        clauses.append("(" + " OR ".join(["r.audiences LIKE %s"] * len(keys) or ["1 = 0"]) + ")")
        params.extend(f"% {key} %" for key in keys)
    return " AND ".join(clauses) or "1 = 1", params


def _hit(row) -> Hit:
    _, key, kind, url, date, policy_kind, panel, status, title, text, *marks = row
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
        policy_kind=policy_kind,
        panel=panel,
        status=status,
        snippet=snippet,
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
        f"SELECT {RESULT_COLUMNS}, r.title, r.text FROM {RECORDS} r "
        f"WHERE r.id IN ({_in_list(ids)})",
        ids,
    )
    return {row[0]: row for row in cursor.fetchall()}


class SqliteDialect:
    """FTS5: an external-content table over the records, ranked by bm25."""

    # SQLite keeps the left table of a CROSS JOIN as the outer loop.
    JOIN_IN_ORDER = "CROSS JOIN"
    # bm25 scores are lower for better matches.
    BEST_FIRST = "ASC"

    def matching(self, query: ParsedQuery) -> tuple[str, str, list, str]:
        """(FROM clause, match condition, its parameters, the relevance score)."""
        if query.is_empty:
            return f"{RECORDS} r", "1 = 1", [], ""
        return (
            # CROSS JOIN keeps the full-text match as the outer loop in SQLite's plan.
            f"search_fts CROSS JOIN {RECORDS} r INDEXED BY {FACET_INDEX} "
            "ON r.id = search_fts.rowid",
            "search_fts MATCH %s",
            [fts5_query(query)],
            # bm25() called directly is cheaper than the configured ``rank`` column;
            # the weights are the ones the migration gives ``rank`` (title x10).
            "bm25(search_fts, 10.0, 1.0)",
        )

    def details(self, cursor, query: ParsedQuery, ids: list[int]) -> dict[int, tuple]:
        """The page's records with marked titles and snippets."""
        if query.is_empty or not ids:
            return plain_details(cursor, ids)
        cursor.execute(
            f"SELECT {RESULT_COLUMNS}, r.title, r.text, highlight(search_fts, 0, %s, %s), "
            "snippet(search_fts, 1, %s, %s, '…', %s) "
            f"FROM search_fts CROSS JOIN {RECORDS} r ON r.id = search_fts.rowid "
            f"WHERE search_fts MATCH %s AND search_fts.rowid IN ({_in_list(ids)})",
            [MARK_START, MARK_END, MARK_START, MARK_END, SNIPPET_WORDS, fts5_query(query), *ids],
        )
        return {row[0]: row for row in cursor.fetchall()}

    def optimise(self, cursor) -> None:
        cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")


class PostgresDialect:
    """PostgreSQL full-text search: a weighted tsvector column, ts_rank and ts_headline."""

    HEADLINE = f'StartSel="{MARK_START}", StopSel="{MARK_END}"'
    JOIN_IN_ORDER = "JOIN"
    BEST_FIRST = "DESC"

    def matching(self, query: ParsedQuery) -> tuple[str, str, list, str]:
        if query.is_empty:
            return f"{RECORDS} r", "1 = 1", [], ""
        tsquery, params = tsquery_sql(query)
        return (
            f"{RECORDS} r CROSS JOIN (SELECT {tsquery} AS q) query",
            "r.search_vector @@ query.q",
            params,
            "ts_rank(r.search_vector, query.q)",
        )

    def details(self, cursor, query: ParsedQuery, ids: list[int]) -> dict[int, tuple]:
        if query.is_empty or not ids:
            return plain_details(cursor, ids)
        tsquery, params = tsquery_sql(query)
        cursor.execute(
            f"SELECT {RESULT_COLUMNS}, r.title, r.text, "
            "ts_headline('english', r.title, query.q, %s), "
            "ts_headline('english', r.text, query.q, %s) "
            f"FROM {RECORDS} r CROSS JOIN (SELECT {tsquery} AS q) query "
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
        # Fresh statistics, or the planner guesses at the audience table's size.
        cursor.execute(f"ANALYZE {RECORDS}, {MILESTONES}")
