"""Search latency at scale: the app's search layer against raw FTS5, on one synthetic database.

    python tests/benchmarks/search_benchmark.py [--trials N] [--rounds R] [--dir DIR]

Builds (once, then reuses) a database of N synthetic studies (default 100,000) with the real
schema (tests/benchmarks/synthetic_seeds.py → desktop.data.build), then times a fixed mix of
queries R times each, interleaved:

- app: ``desktop.data.search.search(conn, text, 50)`` (parsing, synonyms, filters, snippets,
  re-ranking), as the window and the CLI call it;
- raw, same MATCH: plain FTS5 (``MATCH … ORDER BY rank LIMIT 50`` with one snippet) on the
  very expression the layer sends, synonyms included: the layer's own overhead;
- raw, typed words: the same plain FTS5 query on the words as typed, no synonyms (what a
  hand-written app without this layer would run).

Prints p50/p95 per query and for the whole mix, and the ratios (app ÷ raw same MATCH). Targets:
app p95 ≤ 10 ms and ≤ 1.5× raw. Filter-only queries have no FTS5 equivalent: they are timed on their own, as are
suggestions ("did you mean") and a few stress queries (very common words and short prefixes).
Not part of the pass/fail test run (pytest skips tests/benchmarks).
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
sys.path.insert(0, str(HERE))

import synthetic_seeds  # noqa: E402

from desktop.data import schema  # noqa: E402
from desktop.data.search import find, match_expression, search, suggest  # noqa: E402
from desktop.data.search_context import SearchContext  # noqa: E402

LIMIT = 50

# (what a user types, the raw FTS5 expression a plain implementation would use)
MIX = [
    ("daratu", "daratu*"),
    ("daratumumab ", "daratumumab"),
    ("ldn ", "ldn"),
    ("charite ", "charite"),
    ("Øystein Fluge ", "oystein fluge"),
    ("rituximab placebo ", "rituximab placebo"),
    ('"natural killer" ', '"natural killer"'),
    ("ivabradine -placebo ", "ivabradine NOT placebo"),
    ("long covid ", "long covid"),
    ("anti-CD20 ", '"anti cd20"'),
    ("NCT10012345 ", "NCT10012345"),
    ("2014-004029-41 ", '"2014 004029 41"'),
    ("mitochondrial lactate ", "mitochondrial lactate"),
    ("rituximab OR ublituximab ", "rituximab OR ublituximab"),
    ("cyclophosph", "cyclophosph*"),
    ("rituxmab ", "rituxmab"),
    # words and filters: raw FTS5 can only do the words
    ("rituximab phase:2 ", "rituximab"),
    ("ivabradine status:planned ", "ivabradine"),
    ("daratumumab person:fluge ", "daratumumab"),
    ("efgartigimod country:japan ", "efgartigimod"),
    ("fatigue drug:ldn n>100 ", "fatigue"),
    ('tilt-table condition:"long covid" ', '"tilt table"'),
]
FILTER_ONLY = ["phase:2 status:planned", "drug:rituximab", "person:fluge", "country:japan",
               "mechanism:autoimmunity", 'condition:"long covid" n>100', "has:crosscheck",
               "kind:term", "-status:completed kind:pilot"]
SUGGEST = ["rituxmab", "daratumumba", "flgue", "drug:rituxmab", "cyclophosphamid"]
STRESS = [("patients ", "patients"), ("pa", "pa*"), ("the ", "the"), ("fatigue ", "fatigue")]


def raw_search(conn: sqlite3.Connection, match: str, limit: int = LIMIT) -> list:
    body = schema.SEARCH_INDEXED.index("body")
    return conn.execute(
        "SELECT s.id, s.kind, s.title, "
        f"snippet(search_fts, {body}, '\x02', '\x03', '…', 14), search_fts.rank "
        "FROM search_fts JOIN search s ON s.rowid = search_fts.rowid "
        "WHERE search_fts MATCH ? ORDER BY search_fts.rank LIMIT ?", (match, limit)).fetchall()


def timed(function, *args) -> float:
    started = time.perf_counter()
    function(*args)
    return (time.perf_counter() - started) * 1000


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    index = min(len(values) - 1, max(0, round(p / 100 * (len(values) - 1))))
    return values[index]


def figures(values: list[float]) -> tuple[float, float]:
    return statistics.median(values), percentile(values, 95)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--dir", type=Path, default=None,
                        help="where to keep the synthetic database (default: a temp folder, reused)")
    args = parser.parse_args(argv)
    folder = args.dir or synthetic_seeds.default_dir(args.trials)
    path = synthetic_seeds.build(folder, args.trials)

    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    conn.row_factory = sqlite3.Row  # as desktop.data.library opens it
    print(f"SQLite {sqlite3.sqlite_version}, {conn.execute('SELECT count(*) FROM studies').fetchone()[0]:,}"
          f" studies, {conn.execute('SELECT count(*) FROM search').fetchone()[0]:,} records\n")

    first = timed(lambda: search(SearchContext(conn), "warm up "))
    ctx = SearchContext(conn)  # what Library keeps for its connection
    first_suggest = timed(suggest, ctx, "rituxmab")
    print(f"first search on a new connection (reads names, aliases, synonyms): {first:.0f} ms")
    print(f"first suggestion on a new connection (builds the vocabulary index): {first_suggest:.0f} ms\n")
    for text, match in MIX + STRESS:  # warm the page cache for both sides
        search(ctx, text, LIMIT)
        raw_search(conn, match)

    same_match = {text: match_expression(ctx, text) for text, _ in MIX + STRESS}
    app: dict[str, list[float]] = {text: [] for text, _ in MIX + STRESS}
    same: dict[str, list[float]] = {text: [] for text, _ in MIX + STRESS}
    raw: dict[str, list[float]] = {text: [] for text, _ in MIX + STRESS}
    only: dict[str, list[float]] = {text: [] for text in FILTER_ONLY}
    sugg: dict[str, list[float]] = {text: [] for text in SUGGEST}
    for round_ in range(args.rounds):
        for text, match in MIX + STRESS:
            runs = [(app[text], search, (ctx, text, LIMIT)), (same[text], raw_search, (conn, same_match[text])),
                    (raw[text], raw_search, (conn, match))]
            for times, function, arguments in (runs if round_ % 2 else runs[::-1]):
                times.append(timed(function, *arguments))
        for text in FILTER_ONLY:
            only[text].append(timed(search, ctx, text, LIMIT))
        for text in SUGGEST:
            sugg[text].append(timed(suggest, ctx, text))

    print(f"{'':34} {'':5} {'app':>17} {'raw, same MATCH':>17} {'':>6} {'raw, typed words':>17}")
    print(f"{'query':34} {'hits':>5} {'p50':>8} {'p95':>8} {'p50':>8} {'p95':>8} {'ratio':>6} "
          f"{'p50':>8} {'p95':>8}")

    def row(text: str, app_times: list[float], same_times=None, raw_times=None) -> None:
        hits = len(search(ctx, text, LIMIT))
        a50, a95 = figures(app_times)
        line = f"{text.strip()[:34]:34} {hits:5d} {a50:8.2f} {a95:8.2f}"
        if same_times:
            s50, s95 = figures(same_times)
            r50, r95 = figures(raw_times)
            line += f" {s50:8.2f} {s95:8.2f} {a50 / s50 if s50 else 0:6.2f} {r50:8.2f} {r95:8.2f}"
        print(line)

    for text, _ in MIX:
        row(text, app[text], same[text], raw[text])
    all_app = [t for text, _ in MIX for t in app[text]]
    all_same = [t for text, _ in MIX for t in same[text]]
    all_raw = [t for text, _ in MIX for t in raw[text]]
    a50, a95 = figures(all_app)
    s50, s95 = figures(all_same)
    r50, r95 = figures(all_raw)
    print(f"\nMIX ({len(MIX)} queries × {args.rounds}): app p50 {a50:.2f} ms, p95 {a95:.2f} ms; "
          f"raw same MATCH p50 {s50:.2f}, p95 {s95:.2f} (ratio p50 {a50 / s50:.2f}×, "
          f"p95 {a95 / s95:.2f}×); raw typed words p50 {r50:.2f}, p95 {r95:.2f} "
          f"(ratio p50 {a50 / r50:.2f}×, p95 {a95 / r95:.2f}×)")
    print(f"targets: p95 ≤ 10 ms → {'met' if a95 <= 10 else 'NOT met'}; "
          f"p95 ≤ 1.5× raw same MATCH → {'met' if a95 <= 1.5 * s95 else 'NOT met'}")

    print("\nfilters only (no FTS5 equivalent):")
    for text in FILTER_ONLY:
        row(text, only[text], None)
    all_only = [t for v in only.values() for t in v]
    print(f"filters only: p50 {figures(all_only)[0]:.2f} ms, p95 {figures(all_only)[1]:.2f} ms")

    print("\nsuggest() (did you mean), after the first:")
    for text in SUGGEST:
        s50, s95 = figures(sugg[text])
        print(f"{text:34} → {', '.join(suggest(ctx, text)[:2]) or '-':24} p50 {s50:.2f} p95 {s95:.2f}")
    result = find(ctx, "rituxmab")
    print(f"find('rituxmab') → showing {len(result.hits)} hits for {result.corrected!r}")

    print("\nstress (very common words, short prefixes; not in the mix):")
    for text, _ in STRESS:
        row(text, app[text], same[text], raw[text])
    conn.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
