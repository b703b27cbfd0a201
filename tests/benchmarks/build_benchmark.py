"""Build time at scale: the app's seeds → database build against a raw executemany floor.

    python tests/benchmarks/build_benchmark.py [--trials N]

Writes N synthetic studies (default 100,000) in the real seed format (synthetic_seeds.py), then
in one run times:
- app: ``load_seeds`` (TOML parsing + validation) and ``build_reference_db`` (sqlite-utils tables,
  link tables, indexes, FTS5 index, optimize), exactly what a first launch does;
- floor: ``tomllib`` parsing of the same files, then raw ``executemany`` of the same study rows
  and search documents into two plain tables and an FTS5 ``rebuild`` (no validation, no links).
Prints both and the ratio (target ≤ 2×).
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import tempfile
import time
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
sys.path.insert(0, str(HERE))

import synthetic_seeds  # noqa: E402

from desktop.data import schema  # noqa: E402
from desktop.data.build import build_reference_db  # noqa: E402
from desktop.data.seeds import load_seeds  # noqa: E402


def raw_floor(seeds_dir: Path, target: Path) -> float:
    started = time.perf_counter()
    studies = [s for path in sorted((seeds_dir / "studies").glob("*.toml"))
               for s in tomllib.loads(path.read_text(encoding="utf-8"))["study"]]
    conn = sqlite3.connect(target)
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    columns = sorted({key for s in studies for key in s})
    conn.execute(f"CREATE TABLE studies ({', '.join(f'[{c}]' for c in columns)})")
    conn.executemany(f"INSERT INTO studies VALUES ({', '.join('?' for _ in columns)})",
                     ([json.dumps(s[c]) if isinstance(s.get(c), (list, dict)) else s.get(c)
                       for c in columns] for s in studies))
    conn.execute("CREATE TABLE search (id TEXT PRIMARY KEY, title TEXT, summary TEXT, body TEXT)")
    conn.executemany("INSERT INTO search VALUES (?, ?, ?, ?)",
                     ((s["id"], s["title"], s["summary_plain"], s.get("result", "")) for s in studies))
    conn.execute(f"CREATE VIRTUAL TABLE search_fts USING fts5(title, summary, body, content=search, "
                 f"tokenize='{schema.SEARCH_TOKENIZE}')")
    conn.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")
    conn.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
    conn.commit()
    conn.close()
    return time.perf_counter() - started


def app_build(seeds_dir: Path, target: Path) -> tuple[float, float]:
    started = time.perf_counter()
    seeds = load_seeds(seeds_dir)
    loaded = time.perf_counter()
    build_reference_db(seeds, target)
    return loaded - started, time.perf_counter() - loaded


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=100_000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="trialtree-build-") as tmp:
        work = Path(tmp)
        seeds_dir = synthetic_seeds.write_seeds(work, args.trials)
        floor = raw_floor(seeds_dir, work / "raw.db")
        load, build = app_build(seeds_dir, work / "reference.db")
        size = (work / "reference.db").stat().st_size / 1e6
    total = load + build
    print(f"build of {args.trials:,} synthetic studies ({size:.0f} MB database)")
    print(f"{'':44}{'seconds':>9}{'ratio':>8}")
    print(f"{'floor: tomllib + executemany + FTS5 rebuild':44}{floor:9.2f}{1:7.2f}×")
    print(f"{'app: load + validate seeds':44}{load:9.2f}")
    print(f"{'app: build_reference_db':44}{build:9.2f}")
    print(f"{'app: total (first launch)':44}{total:9.2f}{total / floor:7.2f}×  target ≤ 2×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
