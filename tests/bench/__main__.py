"""Every benchmark, one after another: ``python -m tests.bench``."""

from tests.bench import bench_policies, bench_search

if __name__ == "__main__":
    bench_policies.main()
    bench_search.main()
