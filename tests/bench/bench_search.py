"""Search at 10,000 and 100,000 records, beside stock Wagtail search and the raw engine query.

Run with ``make bench`` or ``python -m tests.bench.bench_search``. The corpus is
generated text with a Zipf word-frequency distribution (the demo glossary's
terms and expansions included). The embedded engine on the default database
(SQLite unless DATABASE_URL says otherwise) is always measured; set
SEARCH_BENCH_POSTGRES_URL to a PostgreSQL database of its own to measure
PostgreSQL side by side in the same run. Stock Wagtail search runs on the
default database at 10,000 pages, over the same text (titles and bodies); it takes
minutes for the most frequent words, so SEARCH_BENCH_SKIP_STOCK=1 leaves it out of a
repeat run.
"""

import datetime
import os
import random
import statistics
import time
from collections import Counter
from dataclasses import dataclass

from tests.bench.harness import setup_django

SIZES = (10_000, 100_000)
STOCK_SIZE = 10_000
# Seconds: a stock Wagtail query slower than this once is not repeated.
STOCK_BUDGET = 2.0
REPEAT = 25
WARMUP = 3
ZIPF_EXPONENT = 1.07
VOCABULARY = 30_000
WORDS_PER_RECORD = (40, 120)
SEED = 2015
POSTGRES_ALIAS = "bench_postgres"

# The words a safeguarding partnership's papers use most, most frequent first;
# generated words follow them down the long tail.
DOMAIN_TEXT = """
the of and to a in for is on that with be by as plan child children case family
social worker assessment review panel meeting action decision policy protection
support team manager service school police health agreed risk safeguarding
report practice outcome referral placement visit timescale partner agency
threshold early help quality audit neglect escalation supervision chronology
strategy discussion conference transfer
"""
DOMAIN_WORDS = DOMAIN_TEXT.split()
KINDS = ("Policy", "Decision", "Action", "Meeting minutes", "Panel", "Milestone")
PANELS = (
    "Multi-Agency Safeguarding Panel",
    "Corporate Parenting Board",
    "Children Review Panel",
    "Key Decision Panel",
    "Scrutiny Panel",
)
STATUSES = ("Open", "In progress", "Done", "Agreed", "In force")
POLICY_KINDS = ("Threshold document", "Protocol", "Framework", "Procedure", "Guidance")


@dataclass(frozen=True)
class Query:
    """One query of the fixed set: its words, filters and who asks."""

    label: str
    text: str
    filters: dict
    reader: str = "staff"


@dataclass(frozen=True)
class Measure:
    label: str
    p50: float
    p95: float
    # The total the engine gave, "about" when it estimated it.
    found: str = ""


def pseudo_words(rng: random.Random, count: int) -> list[str]:
    """Distinct made-up words of two to four syllables (38,000+ are possible)."""
    syllables = [
        "ka",
        "lo",
        "mi",
        "ren",
        "sa",
        "tor",
        "vel",
        "qu",
        "bri",
        "dan",
        "ex",
        "ul",
        "pe",
        "no",
    ]
    words: set[str] = set()
    while len(words) < count:
        words.add("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))))
    return sorted(words)


class Corpus:
    """Generated records: Zipf-distributed words, facets, dates and audiences."""

    def __init__(self, glossary, panel_key: str):
        self.rng = random.Random(SEED)
        self.vocabulary = DOMAIN_WORDS + [
            word for word in pseudo_words(self.rng, VOCABULARY) if word not in DOMAIN_WORDS
        ]
        weights = [1 / (rank**ZIPF_EXPONENT) for rank in range(1, len(self.vocabulary) + 1)]
        self.cumulative = list(_accumulate(weights))
        self.glossary = glossary
        self.audiences = [("public",), ("partners",), ("staff",), (panel_key,)]

    def documents(self, count: int):
        from hub.search_types import SearchDocument

        rng = self.rng
        start = datetime.date(2012, 1, 1)
        for number in range(count):
            words = rng.choices(
                self.vocabulary, cum_weights=self.cumulative, k=rng.randint(*WORDS_PER_RECORD)
            )
            if number % 25 == 0:
                words.insert(rng.randrange(len(words)), rng.choice(self.glossary)[0])
            if number % 40 == 0:
                words.insert(rng.randrange(len(words)), rng.choice(self.glossary)[1])
            if number % 50 == 0:
                words.insert(rng.randrange(len(words)), "child protection plan")
            kind = KINDS[number % len(KINDS)]
            yield SearchDocument(
                key=f"bench:{number}",
                owner=f"bench:{number}",
                kind=kind,
                title=" ".join(words[:6]).capitalize(),
                text=" ".join(words[6:]),
                url=f"/records/{number}/",
                audience_keys=frozenset(self.audiences[rng.randrange(4)]),
                date=start + datetime.timedelta(days=rng.randrange(4 * 365)),
                facets={
                    "policy_kind": POLICY_KINDS[number % 5] if kind == "Policy" else "",
                    "panel": PANELS[number % len(PANELS)] if kind != "Policy" else "",
                    "status": STATUSES[number % len(STATUSES)],
                    "milestone": (f"M{number % 20}",) if number % 3 == 0 else (),
                },
            )


def _accumulate(weights):
    total = 0.0
    for weight in weights:
        total += weight
        yield total


def most_frequent_words(corpus: Corpus, size: int, count: int = 5) -> list[tuple[str, float]]:
    """The words in the most of ``size`` records, with the share of records each is in."""
    from search.query import words_of

    in_records = Counter()
    for document in corpus.documents(size):
        in_records.update(set(words_of(f"{document.title} {document.text}")))
    return [(word, records / size) for word, records in in_records.most_common(count)]


def query_set(corpus: Corpus, frequent: list[tuple[str, float]]) -> list[Query]:
    """The fixed queries, then the corpus's most frequent words not already among them."""
    rare = corpus.vocabulary[5_000]
    fixed = [
        *(Query(f"stop word '{word}'", word, {}) for word in ("the", "of", "and", "to", "a")),
        Query("frequent 'plan'", "plan", {}),
        Query("frequent 'child'", "child", {}),
        Query("words, 3 frequent", "child protection conference", {}),
        Query("words, 3 common", "social worker visit", {}),
        Query("words, 2 stop words", "missing from home", {}),
        Query("common word", "assessment", {}),
        Query("rare word", rare, {}),
        Query("phrase", '"child protection plan"', {}),
        Query("acronym (glossary)", "CIN", {}),
        Query("facet-filtered", "review", {"kind": "Decision", "panel": PANELS[0]}),
        Query(
            "date-ranged",
            "placement",
            {"date_from": datetime.date(2014, 1, 1), "date_to": datetime.date(2014, 3, 31)},
        ),
        Query("as a panel member", "strategy", {}, reader="panel_member"),
        # The decision register's first page: no words, newest first.
        Query("register, no words", "", {"kind": "Decision"}),
    ]
    asked = {query.text for query in fixed}
    return fixed + [
        Query(f"most frequent '{word}'", word, {}) for word, _share in frequent if word not in asked
    ]


def timed(function, repeat: int = REPEAT, budget: float | None = None) -> tuple[float, float]:
    """Median and p95 in ms after a warm-up.

    With a ``budget`` in seconds, a query that takes longer than it once is
    timed that once: stock Wagtail takes tens of seconds for frequent words.
    """
    samples = []
    for _ in range(WARMUP):
        start = time.perf_counter()
        function()
        if budget is not None and time.perf_counter() - start > budget:
            samples.append((time.perf_counter() - start) * 1000)
            return samples[0], samples[0]
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[max(0, round(len(samples) * 0.95) - 1)]


def load(corpus: Corpus, size: int, using: str) -> float:
    """Replace the records on ``using`` with ``size`` generated ones; returns records/s."""
    from django.db import connections, transaction

    from search import indexing
    from search.engines.database import DatabaseEngine

    started = time.perf_counter()
    with transaction.atomic(using=using):
        indexing.clear(using=using)
        written = indexing.write(corpus.documents(size), using=using)
    DatabaseEngine(connections[using]).rebuild()
    return written / (time.perf_counter() - started)


def engine_measures(queries, readers, using: str) -> dict[str, Measure]:
    from django.db import connections

    from search.engines.base import SearchFilters, SearchRequest
    from search.engines.database import DatabaseEngine
    from search.query import load_glossary, parse

    engine = DatabaseEngine(connections[using])
    glossary = load_glossary()
    measures = {}
    for query in queries:
        request = SearchRequest(
            query=parse(query.text, glossary),
            audience_keys=readers[query.reader],
            filters=SearchFilters.of(**query.filters),
        )
        results = engine.search(request)
        found = f"{'about ' if results.estimated else ''}{results.total:,}"
        measures[query.label] = Measure(
            query.label, *timed(lambda r=request: engine.search(r)), found=found
        )
    return measures


def raw_measures(queries, using: str) -> dict[str, Measure]:
    """The bare engine query for the same words: top 20 by rank, nothing else.

    A listing without words has no engine query to compare with.
    """
    from django.db import connections

    from search.engines.database import fts5_query, tsquery_sql
    from search.query import load_glossary, parse

    connection = connections[using]
    glossary = load_glossary()
    measures = {}
    for query in queries:
        parsed = parse(query.text, glossary)
        if parsed.is_empty:
            continue
        if connection.vendor == "sqlite":
            sql = "SELECT rowid FROM search_fts WHERE search_fts MATCH %s ORDER BY rank LIMIT 20"
            params = [fts5_query(parsed)]
        else:
            tsquery, params = tsquery_sql(parsed)
            sql = (
                f"SELECT id FROM search_fts, (SELECT {tsquery} AS q) query "
                "WHERE vector @@ q ORDER BY ts_rank(vector, q) DESC LIMIT 20"
            )

        def run(sql=sql, params=params):
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                cursor.fetchall()

        measures[query.label] = Measure(query.label, *timed(run))
    return measures


def build_stock_pages(corpus: Corpus, size: int):
    """``size`` live PlainPages under the home page, indexed by Wagtail's own indexer."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from wagtail.models import Locale, Page
    from wagtail.search.backends import get_search_backend

    from hub.site_setup import ensure_home_page
    from tests.testapp.models import PlainPage

    home = ensure_home_page()
    # New children follow any the home page already has (other benchmarks add some).
    last = home.get_last_child()
    first = int(last.path[-Page.steplen :], 36) + 1 if last else 1
    content_type = ContentType.objects.get_for_model(PlainPage)
    locale = Locale.get_default()
    documents = list(corpus.documents(size))
    with transaction.atomic():
        pages = Page.objects.bulk_create(
            [
                Page(
                    title=document.title,
                    draft_title=document.title,
                    slug=f"stock-{number}",
                    path=home.path + _step(first + number),
                    depth=home.depth + 1,
                    numchild=0,
                    url_path=f"{home.url_path}stock-{number}/",
                    content_type=content_type,
                    locale=locale,
                    live=True,
                )
                for number, document in enumerate(documents)
            ],
            batch_size=500,
        )
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {PlainPage._meta.db_table} (page_ptr_id, body) VALUES (%s, %s)",
                [
                    (page.pk, f"<p>{document.text}</p>")
                    for page, document in zip(pages, documents, strict=True)
                ],
            )
        Page.objects.filter(pk=home.pk).update(numchild=home.numchild + size)
    backend = get_search_backend()
    specific = PlainPage.objects.filter(pk__in=[page.pk for page in pages])
    started = time.perf_counter()
    backend.add_bulk(PlainPage, list(specific))
    return size / (time.perf_counter() - started)


def _step(number: int) -> str:
    """A treebeard path step (base 36, four characters) for the ``number``th child."""
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    step = ""
    for _ in range(4):
        number, remainder = divmod(number, 36)
        step = digits[remainder] + step
    return step


def stock_measures(queries) -> dict[str, Measure]:
    """Stock Wagtail search as its starter search page does it, for the queries it can express.

    ``Page.objects.live().search()`` paginated (the count and the page), each
    result's specific page for its address; no audience filter, facets or
    highlighting, which stock search does not offer.
    """
    from django.core.paginator import Paginator
    from wagtail.models import Page

    def search_page(text: str) -> None:
        page = Paginator(Page.objects.live().search(text), 20).page(1)
        [result.specific.url for result in page]

    measures = {}
    for query in queries:
        if query.filters or query.reader != "staff":
            continue
        text = query.text.strip('"')
        measures[query.label] = Measure(
            query.label, *timed(lambda t=text: search_page(t), repeat=10, budget=STOCK_BUDGET)
        )
    return measures


def readers_keys() -> dict[str, frozenset[str] | None]:
    from django.contrib.auth import get_user_model

    from hub import roles
    from hub.site_setup import ensure_home_page
    from search.selectors import audience_keys

    ensure_home_page()
    groups = roles.ensure_roles()
    from django.contrib.auth.models import Group

    panel = Group.objects.get_or_create(name="Panel: MASP")[0]
    staff = get_user_model().objects.create_user("bench-staff")
    staff.groups.add(groups[roles.STAFF])
    member = get_user_model().objects.create_user("bench-member")
    member.groups.add(groups[roles.PANEL_MEMBERS], panel)
    return {
        "staff": audience_keys(staff),
        "panel_member": audience_keys(member),
        "panel_key": f"group:{panel.pk}",
    }


def add_postgres() -> str | None:
    """Register the PostgreSQL database to compare, when one is given, and migrate it."""
    url = os.environ.get("SEARCH_BENCH_POSTGRES_URL")
    if not url:
        return None
    import dj_database_url
    from django.core.management import call_command
    from django.db import connections

    # The default database's options are SQLite's when it is SQLite; none carry over.
    connections.settings[POSTGRES_ALIAS] = {
        **connections.settings["default"],
        "OPTIONS": {},
        **dj_database_url.parse(url),
    }
    connections.settings[POSTGRES_ALIAS].setdefault("TIME_ZONE", None)
    # Only the search tables: the comparison needs nothing else there.
    call_command("migrate", "search", database=POSTGRES_ALIAS, verbosity=0, interactive=False)
    return POSTGRES_ALIAS


def print_results(size: int, columns: dict[str, dict[str, Measure]], labels: list[str]) -> None:
    print(f"\nSearch at {size:,} records: p50 / p95 in ms")
    header = f"{'query':<28}" + "".join(f"{name:>28}" for name in columns)
    print(header)
    print("-" * len(header))
    for label in labels:
        cells = []
        for measures in columns.values():
            measure = measures.get(label)
            cells.append(f"{measure.p50:>11.1f} / {measure.p95:>8.1f}" if measure else f"{'–':>22}")
        print(f"{label:<28}" + "".join(f"{cell:>28}" for cell in cells))


def print_found(size: int, engines: dict[str, dict[str, Measure]], labels: list[str]) -> None:
    """What each engine found for each query: the same words should find the same records."""
    print(f"\nRecords found at {size:,} (the reader's total)")
    header = f"{'query':<28}" + "".join(f"{name:>24}" for name in engines)
    print(header)
    print("-" * len(header))
    for label in labels:
        print(f"{label:<28}" + "".join(f"{m[label].found:>24}" for m in engines.values()))


def verdicts(size, engines, raws, stock) -> None:
    for name, measures in engines.items():
        worst = max(measures.values(), key=lambda measure: measure.p95)
        if size == max(SIZES):
            verdict = "meets" if worst.p95 <= 100 else "MISSES"
            print(
                f"goal: {name} p95 <= 100 ms for every query at {size:,}: worst p95 "
                f"{worst.p95:.1f} ms, {worst.label} ({verdict})"
            )
        raw = raws[name]
        ratios = [measures[label].p50 / raw[label].p50 for label in raw]
        verdict = "meets" if max(ratios) <= 2 else "MISSES"
        print(
            f"goal: {name} within 2x of the raw engine query: "
            f"{min(ratios):.1f}x to {max(ratios):.1f}x ({verdict})"
        )
        if stock and name == "default":
            speedups = [stock[label].p50 / measures[label].p50 for label in stock]
            verdict = "meets" if min(speedups) >= 20 else "MISSES"
            print(
                f"goal: {name} at least 20x faster than stock Wagtail search: "
                f"{min(speedups):.0f}x to {max(speedups):.0f}x ({verdict})"
            )
            # No search can beat the bare query that finds and ranks its matches.
            ceilings = [stock[label].p50 / raw[label].p50 for label in stock]
            print(
                f"  the raw engine query itself is {min(ceilings):.0f}x to "
                f"{max(ceilings):.0f}x faster than stock Wagtail search on these queries"
            )


def main() -> None:
    setup_django()
    from django.db import connection

    from hub.demo import GLOSSARY
    from hub.models import GlossaryTerm

    for term, expansion, _definition, synonyms in GLOSSARY:
        GlossaryTerm.objects.get_or_create(
            term=term, defaults={"expansion": expansion, "synonyms": synonyms}
        )
    readers = readers_keys()
    corpus = Corpus([(term, expansion) for term, expansion, *_ in GLOSSARY], readers["panel_key"])
    frequent = most_frequent_words(Corpus(corpus.glossary, readers["panel_key"]), max(SIZES))
    queries = query_set(corpus, frequent)
    labels = [query.label for query in queries]
    aliases = {"default": "default"}
    if add_postgres():
        aliases["postgresql"] = POSTGRES_ALIAS
    names = {name: f"{name} ({_vendor(alias)})" for name, alias in aliases.items()}
    print(f"Search benchmark; default database: {connection.vendor}")
    shares = ", ".join(f"{word} {share:.1%}" for word, share in frequent)
    print(f"The corpus's most frequent words at {max(SIZES):,} records: {shares}")

    stock = {}
    if not os.environ.get("SEARCH_BENCH_SKIP_STOCK"):
        print(f"\nStock Wagtail: building {STOCK_SIZE:,} pages...", flush=True)
        stock_rate = build_stock_pages(Corpus(corpus.glossary, readers["panel_key"]), STOCK_SIZE)
        stock = stock_measures(queries)
        print(f"Wagtail's own indexer: {stock_rate:,.0f} pages/s")

    for size in SIZES:
        engines, raws, columns = {}, {}, {}
        for name, alias in aliases.items():
            rate = load(Corpus(corpus.glossary, readers["panel_key"]), size, alias)
            print(f"{names[name]}: rebuilt {size:,} records at {rate:,.0f} records/s", flush=True)
            engines[name] = engine_measures(queries, readers, alias)
            raws[name] = raw_measures(queries, alias)
            columns[f"hub {names[name]}"] = engines[name]
            columns[f"raw {_vendor(alias)}"] = raws[name]
        if stock and size == STOCK_SIZE:
            columns[f"stock Wagtail ({connection.vendor})"] = stock
        print_results(size, columns, labels)
        print_found(size, engines, labels)
        verdicts(size, engines, raws, stock if size == STOCK_SIZE else None)


def _vendor(alias: str) -> str:
    from django.db import connections

    return connections[alias].vendor


if __name__ == "__main__":
    main()
