"""The size limits of issue 13, timed at their edges: imports and searches stay quick.

    python tests/benchmarks/limits_benchmark.py [--rounds R]

- import: files of 1,000 entries up to MAX_IMPORT_ENTRIES, (a) distinct ids up to MAX_BOOKMARKS
  (then repeated), (b) one id repeated with different notes (refused once the note would pass
  MAX_NOTE_CHARS: the time to say so), (c) a full store's backup imported back into a fresh
  store; each figure is the median of R runs, with how long the write lock was held;
- bookmarks list: ``store.list()`` and ``store.search()`` over a store holding MAX_BOOKMARKS;
- search: the real seeds with the summaries of 20 studies grown to seeds.MAX_TEXT_CHARS each
  (the most a seed field may hold), timed against the unchanged seeds.

Import time should grow linearly with the entries (the "per entry" column stays flat).
Not part of the pass/fail test run (pytest skips tests/benchmarks).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from desktop.data import bookmark_values as bm  # noqa: E402
from desktop.data.bookmark_io import (MAX_IMPORT_ENTRIES, ImportFileError,  # noqa: E402
                                      import_file, to_json)
from desktop.data.bookmarks import BookmarkStore  # noqa: E402

WORDS = ("fatigue rituximab cytokine trial placebo immune muscle energy sleep brain vessel "
         "antibody dose outcome cohort marker receptor").split()


def _document(entries: list[dict]) -> str:
    return json.dumps({"format": "trialtree-bookmarks", "version": 1, "bookmarks": entries})


def _median_ms(job, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        job()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def bench_imports(folder: Path, rounds: int) -> None:
    print(f"import (median of {rounds}); limits: {MAX_IMPORT_ENTRIES:,} entries a file, "
          f"{bm.MAX_BOOKMARKS:,} bookmarks, {bm.MAX_NOTE_CHARS:,} characters a note")
    print(f"{'case':<34}{'entries':>9}{'ms':>10}{'µs/entry':>10}  result")
    for n in (1_000, 2_500, MAX_IMPORT_ENTRIES):
        for case, entries in (
                ("distinct ids (then repeated)",
                 [{"id": f"study-{i % bm.MAX_BOOKMARKS}", "kind": "study", "title": f"Study {i}",
                   "note": f"note {i}", "tags": [f"t{i % 7}"]} for i in range(n)]),
                ("one id, a different note each",
                 [{"id": "one-study", "kind": "study", "title": "T", "note": f"note number {i}"}
                  for i in range(n)])):
            path = folder / f"import-{n}.json"
            path.write_text(_document(entries))
            outcome = []

            def run():
                db = folder / "import.db"
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{db}{suffix}").unlink(missing_ok=True)
                with BookmarkStore(db) as store:
                    try:
                        result = import_file(store, path)
                        outcome[:] = [f"added {len(result.added)}, updated {len(result.updated)}"]
                    except ImportFileError as error:
                        outcome[:] = [f"refused: {str(error)[:48]}…"]

            ms = _median_ms(run, rounds)
            print(f"{case:<34}{n:>9,}{ms:>10.1f}{ms * 1000 / n:>10.1f}  {outcome[0]}")


def bench_full_store(folder: Path, rounds: int) -> None:
    rng = random.Random(13)
    db = folder / "full.db"
    with BookmarkStore(db) as store:
        store.merge(bm.Bookmark(f"study-{i}", "study", f"Study {i}",
                                " ".join(rng.choices(WORDS, k=300)), (f"t{i % 9}",),
                                "2026-05-01T09:30:00Z", "2026-05-01T09:30:00Z")
                    for i in range(bm.MAX_BOOKMARKS))
        listing = _median_ms(lambda: store.list("newest"), rounds)
        searching = _median_ms(lambda: store.search("rituximab dose"), rounds)
        backup = folder / "backup.json"
        backup.write_text(to_json(store.list("oldest")))
    fresh = folder / "fresh.db"
    with BookmarkStore(fresh) as store:
        started = time.perf_counter()
        import_file(store, backup)
        back = (time.perf_counter() - started) * 1000
    print(f"\na full store ({bm.MAX_BOOKMARKS:,} bookmarks, ~2,000-character notes): list "
          f"{listing:.1f} ms, search {searching:.1f} ms; its backup "
          f"({backup.stat().st_size / 2**20:.1f} MB) imports back in {back:.0f} ms")


def bench_search(folder: Path, rounds: int) -> None:
    from desktop import paths
    from desktop.data.build import build_reference_db
    from desktop.data.library import Library
    from desktop.data.seeds import MAX_TEXT_CHARS, load_seeds

    rng = random.Random(7)
    queries = ("rituximab", "fatigue trial", "immune antibody dose", "sleep*", "cytokine marker")
    print(f"\nsearch (median of {rounds} per query); seed text fields hold at most "
          f"{MAX_TEXT_CHARS:,} characters")
    for label, grow in (("the real seeds", False), (f"20 summaries at {MAX_TEXT_CHARS:,}", True)):
        seeds = load_seeds(paths.seeds_dir())
        if grow:
            for study in seeds.records["study"][:20]:
                text = study.get("summary_plain", "")
                while len(text) < MAX_TEXT_CHARS - 20:
                    text += " " + rng.choice(WORDS)
                study["summary_plain"] = text[:MAX_TEXT_CHARS]
        path = folder / f"reference-{grow}.db"
        build_reference_db(seeds, path)
        library = Library(path)
        figures = [_median_ms(lambda q=q: library.find(q), rounds) for q in queries]
        library.close()
        print(f"{label:<34} " + "  ".join(f"{q!r} {ms:.1f} ms" for q, ms in zip(queries, figures)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="trialtree-limits-") as folder:
        bench_imports(Path(folder), args.rounds)
        bench_full_store(Path(folder), args.rounds)
        bench_search(Path(folder), args.rounds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
