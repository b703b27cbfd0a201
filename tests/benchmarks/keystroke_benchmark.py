"""Keystroke to results: how long after the debounce fires the results model is filled, and how
long the UI thread is busy meanwhile, on the synthetic database (default 100,000 studies).

    python tests/benchmarks/keystroke_benchmark.py [--trials N] [--rounds R] [--dir DIR]

Opens the real MainWindow (offscreen) over the database built by
tests/benchmarks/synthetic_seeds.build (once, then reused), and for a fixed list of prefixes —
what the field holds as someone types "rituximab", "patients", "long covid" … — fires the
debounce by hand and times, R rounds each, in two modes:

- ui thread: ``SearchRunner.threaded = False``, find() runs in the slot, as before the worker;
- worker: the default; find() runs in the worker thread with its own Library, the UI thread
  only lists the answer.

"filled" is debounce fire → the results model reset with the answer; "UI busy" is the time the
UI thread spent in our code for that keystroke (the slot, plus listing the answer): while it
runs, typing stalls. Target: filled ≤ 16 ms; with the worker, UI busy stays far below a frame
even when the search itself is slow. Not part of the pass/fail run (pytest skips benchmarks).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
sys.path.insert(0, str(HERE))

import synthetic_seeds  # noqa: E402

PREFIXES = [  # what the field holds after each keystroke (from the third letter, as typed)
    "rit", "ritu", "ritux", "rituxi", "rituxim", "rituximab",
    "dar", "daratu", "daratumumab",
    "pa", "pat", "pati", "patients",
    "lon", "long", "long c", "long covid",
    "fatig", "fatigue",
    "mitoch", "mitochondrial lac",
    "rituxmab",  # a slip: find() corrects it
    "zzzz",  # nothing at all
    "phase:2 ritux", "person:flu",
]
FRAME_MS = 16


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--dir", type=Path, default=None,
                        help="where to keep the synthetic database (default: a temp folder, reused)")
    args = parser.parse_args(argv)
    folder = args.dir or synthetic_seeds.default_dir(args.trials)
    database = synthetic_seeds.build(folder, args.trials)

    from PySide6.QtCore import QEventLoop, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from desktop.data.library import Library
    from desktop.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    settings_dir = tempfile.mkdtemp(prefix="trialtree-keystroke-")
    store = QSettings(str(Path(settings_dir) / "bench.ini"), QSettings.Format.IniFormat)
    window = MainWindow(Library(database), store)
    window.resize(1180, 760)
    window.start()
    window.show()
    app.processEvents()

    stamp = {"reset": 0.0, "busy": 0.0}
    window.results_model.modelReset.connect(lambda: stamp.__setitem__("reset", time.perf_counter()))
    show = window._show_results

    def timed_show(outcome):
        started = time.perf_counter()
        show(outcome)
        stamp["busy"] += time.perf_counter() - started

    window.search_runner.ready.disconnect(window._show_results)
    window.search_runner.ready.connect(timed_show)

    def keystroke(text: str) -> tuple[float, float]:
        window.search.setText(text)  # no textEdited: the debounce is fired by hand below
        app.processEvents()  # paint the last answer first: not part of this keystroke
        stamp["busy"] = 0.0
        started = time.perf_counter()
        window.search._emit_query()  # what the debounce timer's timeout does
        busy = time.perf_counter() - started
        if window._shown_query != text:  # wait in Qt's event loop, as the app does
            loop = QEventLoop()
            window.search_shown.connect(loop.quit)
            QTimer.singleShot(30_000, loop.quit)
            loop.exec()
            window.search_shown.disconnect(loop.quit)
        filled = stamp["reset"] - started
        if window.search_runner.threaded:
            busy += stamp["busy"]
        return filled * 1000, busy * 1000

    results: dict[str, dict[str, list[tuple[float, float]]]] = {}
    for mode, threaded in (("ui thread", False), ("worker", True)):
        window.search_runner.threaded = threaded
        for text in PREFIXES:  # warm: vocabulary, caches, the worker's own connection
            keystroke(text)
        results[mode] = {text: [] for text in PREFIXES}
        for _ in range(args.rounds):
            for text in PREFIXES:
                results[mode][text].append(keystroke(text))
    window.close()

    print(f"\n{args.trials:,} studies, {args.rounds} rounds; ms, p50 per prefix "
          "(filled = debounce fire → model filled; busy = UI thread busy)")
    print(f"{'typed':22} {'ui: filled':>11} {'worker: filled':>15} {'worker: busy':>13}")
    for text in PREFIXES:
        ui = statistics.median(f for f, _ in results["ui thread"][text])
        wf = statistics.median(f for f, _ in results["worker"][text])
        wb = statistics.median(b for _, b in results["worker"][text])
        print(f"{text!r:22} {ui:11.1f} {wf:15.1f} {wb:13.2f}")
    print()
    for mode in ("ui thread", "worker"):
        filled = [f for runs in results[mode].values() for f, _ in runs]
        busy = [b for runs in results[mode].values() for _, b in runs]
        within = sum(f <= FRAME_MS for f in filled) / len(filled)
        print(f"{mode:10} filled p50 {pct(filled, .5):6.1f}  p95 {pct(filled, .95):6.1f}  "
              f"max {max(filled):6.1f}  ≤{FRAME_MS} ms: {within:4.0%}   "
              f"UI busy p50 {pct(busy, .5):6.2f}  p95 {pct(busy, .95):6.2f}  max {max(busy):6.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
