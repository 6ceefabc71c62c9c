"""Every benchmark, each in a process of its own (each builds its own database)."""

import subprocess
import sys

BENCHMARKS = (
    "tests.bench.bench_policies",
    "tests.bench.bench_panels",
    "tests.bench.bench_secretary",
    "tests.bench.bench_lists",
    "tests.bench.bench_search",
    "tests.bench.bench_load",
)

if __name__ == "__main__":
    failed = [name for name in BENCHMARKS if subprocess.call([sys.executable, "-m", name]) != 0]
    sys.exit(1 if failed else 0)
