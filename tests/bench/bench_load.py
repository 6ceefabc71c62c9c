"""Pages under load: gunicorn on loopback, wrk at each address in turn, against a static file.

The demo is loaded into a database of its own; gunicorn serves it with the
production shape (2 workers of 4 threads) and, with Redis, the page cache;
wrk keeps 8 connections busy at one address for a fixed time, then the next.
Each line gives requests per second, latency percentiles and its throughput as
a share of the static file's. The goal: anonymous pages at least half as fast
as a static file.

Run with ``make bench`` or ``python -m tests.bench.bench_load``. Set
``BENCH_LOAD_SECONDS`` (default 10) for each address's run, ``BENCH_REDIS_URL``
for the Redis database it may empty (default ``redis://127.0.0.1:6379/6``; empty
to run without Redis, and so without the page cache), and ``DATABASE_URL`` for a
PostgreSQL database it may fill.
"""

import io
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from tests.bench.harness import ROOT, setup_django

GOAL = 0.5
CONNECTIONS = 8
WORKERS = 2
THREADS = 4
SECONDS = int(os.environ.get("BENCH_LOAD_SECONDS", "10"))
WARMUP_SECONDS = 2
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/6")

# wrk's own summary lacks the 95th percentile; this prints what the table needs.
REPORT = """
done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  io.write(string.format(
    '{"requests": %d, "rate": %.2f, "p50": %.3f, "p95": %.3f, "p99": %.3f, '
    .. '"errors": %d, "bad_status": %d}\\n',
    summary.requests, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write
      + summary.errors.timeout,
    summary.errors.status))
end
"""


@dataclass(frozen=True)
class Address:
    label: str
    path: str
    anonymous_page: bool = False
    signed_in: bool = False


@dataclass(frozen=True)
class Load:
    address: Address
    rate: float
    p50: float
    p95: float
    p99: float
    failures: int


def build() -> tuple[list[Address], str]:
    """The demo, and a signed-in secretary's session cookie."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from hub.audiences import Audience
    from policies.models import PolicyPage
    from tests.factories import enrol

    call_command("load_demo", stdout=io.StringIO())
    call_command("collectstatic", interactive=False, verbosity=0)
    policy = PolicyPage.objects.live().filter(audience=Audience.PUBLIC).order_by("path").first()
    secretary = get_user_model().objects.get(username="secretary")
    # Anyone who uses the admin sets up a second factor before any page opens to them.
    enrol(secretary)
    client = Client()
    client.force_login(secretary)
    session = client.cookies["sessionid"].value
    addresses = [
        Address("static file (baseline)", "/static/css/hub.css"),
        Address("anonymous home", "/", anonymous_page=True),
        Address(f"anonymous policy {policy.url}", policy.url, anonymous_page=True),
        Address("anonymous search ?q=threshold", "/search/?q=threshold", anonymous_page=True),
        Address("anonymous decision register", "/decisions/", anonymous_page=True),
        Address("secretary home", "/", signed_in=True),
        Address("secretary /actions/", "/actions/", signed_in=True),
    ]
    return addresses, session


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(port: int, env: dict) -> subprocess.Popen:
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "tests.bench.load_wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={WORKERS}",
            f"--threads={THREADS}",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            if server.poll() is not None:
                raise RuntimeError("gunicorn did not start") from None
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("gunicorn did not answer within a minute")


def check(base: str, address: Address, cookie: str) -> None:
    """The address answers 200, and signed in or not as the benchmark means it to be."""
    request = urllib.request.Request(base + address.path, headers=headers(address, cookie))
    with urllib.request.urlopen(request, timeout=30) as response:
        body = response.read().decode(errors="replace")
        assert response.status == 200, (address.path, response.status)
    if address.path.startswith("/static/"):
        return
    assert ("Signed in as" in body) == address.signed_in, address


def headers(address: Address, cookie: str) -> dict:
    return {"Cookie": f"sessionid={cookie}"} if address.signed_in else {}


def run_wrk(url: str, header: dict, seconds: int, script: str) -> dict:
    # A slow answer counts in the percentiles rather than as a failure.
    command = [
        "wrk",
        f"-t{min(CONNECTIONS, 2)}",
        f"-c{CONNECTIONS}",
        f"-d{seconds}s",
        "--timeout=30s",
        "-s",
        script,
    ]
    for name, value in header.items():
        command += ["-H", f"{name}: {value}"]
    result = subprocess.run(
        [*command, url], capture_output=True, text=True, check=True, timeout=seconds + 60
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def measure(base: str, address: Address, cookie: str, script: str) -> Load:
    header = headers(address, cookie)
    run_wrk(base + address.path, header, WARMUP_SECONDS, script)
    found = run_wrk(base + address.path, header, SECONDS, script)
    return Load(
        address=address,
        rate=found["rate"],
        p50=found["p50"],
        p95=found["p95"],
        p99=found["p99"],
        failures=found["errors"] + found["bad_status"],
    )


def print_table(loads: list[Load]) -> None:
    baseline = loads[0].rate
    print(
        f"\nUnder load: gunicorn {WORKERS} workers x {THREADS} threads, wrk {CONNECTIONS} "
        f"connections, {SECONDS} s per address, cache {REDIS_URL or 'in-process (no pages kept)'}"
    )
    header = (
        f"{'address':<46} {'req/s':>9} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} "
        f"{'vs static':>10} {'failed':>7}"
    )
    print(header)
    print("-" * len(header))
    for load in loads:
        print(
            f"{load.address.label:<46} {load.rate:>9.0f} {load.p50:>8.1f} {load.p95:>8.1f} "
            f"{load.p99:>8.1f} {load.rate / baseline:>9.2f}x {load.failures:>7}"
        )
    anonymous = [load for load in loads if load.address.anonymous_page]
    slowest = min(anonymous, key=lambda load: load.rate)
    ratio = slowest.rate / baseline
    print(
        f"goal: anonymous pages at least {GOAL}x a static file's req/s: slowest is "
        f"{slowest.address.label} at {ratio:.2f}x ({'meets' if ratio >= GOAL else 'MISSES'} it)"
    )


def main() -> int:
    if shutil.which("wrk") is None:
        print("bench_load: wrk is not installed (Debian: apt-get install wrk)")
        return 1
    if REDIS_URL:
        import redis

        redis.Redis.from_url(REDIS_URL).flushdb()
        os.environ["REDIS_URL"] = REDIS_URL
    else:
        os.environ.pop("REDIS_URL", None)
    setup_django()
    addresses, cookie = build()
    from django.db import connections

    connections.close_all()
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "tests.bench.load_settings",
    }
    server = start_gunicorn(port, env)
    base = f"http://127.0.0.1:{port}"
    try:
        with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
            script.write(REPORT)
            script.flush()
            for address in addresses:
                check(base, address, cookie)
            loads = [measure(base, address, cookie, script.name) for address in addresses]
    finally:
        server.terminate()
        server.wait(timeout=30)
    print_table(loads)
    return 1 if any(load.failures for load in loads) else 0


if __name__ == "__main__":
    sys.exit(main())
