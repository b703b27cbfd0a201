"""Every benchmark in one run, one after another, printing each table (issue 7).

    python tests/benchmarks/run_all.py [--trials N]

Start-up against a bare QMainWindow; build of N synthetic trials against raw executemany + FTS5;
search through the app's layer against raw FTS5; keystroke to results model; the window over N
trials (open, expand the largest mechanism, peak RSS). The synthetic database is built once and
shared (in the temp folder). About 4 minutes on a 2-core machine at the default N = 100,000.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=100_000)
    args = parser.parse_args(argv)
    n = str(args.trials)
    runs = [("startup_benchmark.py", []), ("build_benchmark.py", ["--trials", n]),
            ("search_benchmark.py", ["--trials", n, "--rounds", "10"]),
            ("keystroke_benchmark.py", ["--trials", n, "--rounds", "3"]),
            ("tree_benchmark.py", ["--trials", n])]
    started = time.perf_counter()
    failed = 0
    for script, extra in runs:
        print(f"\n===== {script} {' '.join(extra)}", flush=True)
        failed += subprocess.run([sys.executable, str(HERE / script), *extra]).returncode != 0
    print(f"\nall benchmarks: {time.perf_counter() - started:.0f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
