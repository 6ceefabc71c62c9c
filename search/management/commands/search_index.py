"""``manage.py search_index rebuild``: rewrite every search record and the engine's index."""

import sys
import time

from django.core.management.base import BaseCommand

from search import indexing
from search.engines import get_engine
from search.engines.base import EngineUnavailable
from search.models import SearchRecord

BAR_WIDTH = 30


class Progress:
    """A one-line progress bar, measured against the number of records before the rebuild."""

    def __init__(self, stream, expected: int):
        self.stream = stream
        self.expected = expected
        self.started = time.perf_counter()

    def __call__(self, written: int) -> None:
        expected = max(self.expected, written, 1)
        filled = round(BAR_WIDTH * written / expected)
        rate = written / max(time.perf_counter() - self.started, 1e-6)
        self.stream.write(
            f"\r[{'#' * filled}{'-' * (BAR_WIDTH - filled)}] "
            f"{written:,} of about {expected:,} records, {rate:,.0f}/s",
            ending="",
        )
        self.stream.flush()


class Command(BaseCommand):
    help = "Rebuild the search records from every source, then the search engine's index."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rebuild"], help="What to do with the index.")

    def handle(self, *args, action, **options):
        engine = get_engine()
        verbosity = options["verbosity"]
        if verbosity:
            self.stdout.write(f"Rebuilding the search index ({engine.name})")
        show = (verbosity > 0 and sys.stdout.isatty()) or verbosity > 1
        progress = Progress(self.stdout, SearchRecord.objects.count()) if show else None
        try:
            summary = indexing.rebuild(progress=progress)
        except EngineUnavailable as error:
            self.stderr.write(
                f"\nThe search records were rewritten, but the engine could not be: {error}"
            )
            raise SystemExit(1) from error
        if progress:
            self.stdout.write("")
        if not verbosity:
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Indexed {summary.records:,} records in {summary.seconds:.2f} s "
                f"({summary.per_second:,.0f} records/s)."
            )
        )
