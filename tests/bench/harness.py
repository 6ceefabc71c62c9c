"""Timing pages served by Django's test client, and printing the results as a table."""

import os
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def setup_django() -> None:
    """A fresh database of its own (SQLite under var/ unless DATABASE_URL says otherwise)."""
    bench_db = ROOT / "var" / "bench.sqlite3"
    if "DATABASE_URL" not in os.environ:
        bench_db.parent.mkdir(exist_ok=True)
        bench_db.unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{bench_db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings.test")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


@dataclass(frozen=True)
class Timing:
    """Server time for one address over repeated requests, in milliseconds.

    ``cpu_least`` counts only this process's own processor time (SQLite runs in it), the
    least of the repeats: other work on a shared machine only ever adds to a request's
    time, so the least is the steadiest measure of the request's own cost.
    """

    label: str
    median: float
    p95: float
    queries: int
    cpu_least: float = 0.0


def time_get(client, url: str, label: str, *, repeat: int = 60, warmup: int = 5) -> Timing:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        assert client.get(url).status_code == 200, url
    samples, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        client.get(url)
        samples.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    samples.sort()
    return Timing(
        label=label,
        median=statistics.median(samples),
        p95=samples[int(len(samples) * 0.95) - 1],
        queries=len(queries),
        cpu_least=min(cpu),
    )


def print_table(title: str, timings: list[Timing], baseline: Timing, goal: float) -> None:
    """The goal applies to the first timing; the rest are shown for comparison."""
    print(f"\n{title}")
    header = f"{'page':<44} {'median ms':>10} {'p95 ms':>9} {'queries':>8} {'vs baseline':>12}"
    print(header)
    print("-" * len(header))
    for timing in [baseline, *timings]:
        ratio = timing.median / baseline.median
        print(
            f"{timing.label:<44} {timing.median:>10.1f} {timing.p95:>9.1f} "
            f"{timing.queries:>8} {ratio:>11.2f}x"
        )
    judged = timings[0]
    ratio = judged.median / baseline.median
    verdict = "meets" if ratio <= goal else "MISSES"
    print(f"goal: {judged.label} within {goal}x of the baseline: {ratio:.2f}x ({verdict} it)")
