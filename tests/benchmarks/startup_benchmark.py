"""Start-up against the floor: a bare PySide6 QMainWindow shown, then quit after its first paint.

Runs each command several times in fresh processes (offscreen) and prints median wall time and
peak RSS, with the ratio to the floor. Cold = first launch (the database is built from the seeds);
warm = the database is already there.

    python tests/benchmarks/startup_benchmark.py [--runs 9] [--imports 25]

``--imports N`` also lists the N modules a warm launch imports beyond the floor's, by their own
import time (``-X importtime``, median of the runs): where the start-up time goes.
"""

from __future__ import annotations

import argparse
import compileall
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FLOOR = r"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

class Window(QMainWindow):
    painted = False
    def paintEvent(self, event):
        super().paintEvent(event)
        if not self.painted:
            self.painted = True
            import time
            print(f"first paint {time.time():.6f}", file=sys.stderr, flush=True)
            QTimer.singleShot(0, QApplication.instance().quit)

app = QApplication(sys.argv)
window = Window()
window.resize(1100, 700)
window.show()
sys.exit(app.exec())
"""


# Peak RSS is read by the child itself from /proc (VmHWM): ru_maxrss would carry over the
# parent's size at fork time, which a benchmark that has built a big database makes meaningless.
REPORT_PEAK = ("import atexit, sys; atexit.register(lambda: sys.stderr.write('VmHWM ' + next("
               "line.split()[1] for line in open('/proc/self/status') if line.startswith('VmHWM')) + "
               "'\\n'))\n")
APP = REPORT_PEAK + "import runpy; runpy.run_module('desktop', run_name='__main__', alter_sys=True)\n"


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Seconds from launch to the first paint (to exit, if the child does not say), peak RSS
    (MiB) and standard output of one child process."""
    launched = time.time()
    process = subprocess.run(argv, env=env, capture_output=True, text=True)
    ended = time.time()
    if process.returncode != 0:
        raise SystemExit(f"{argv[:2]} failed: {process.stderr[-2000:]}")
    lines = process.stderr.splitlines()
    peak = [line.split()[1] for line in lines if line.startswith("VmHWM ")]
    painted = [float(line.split()[2]) for line in lines if line.startswith("first paint ")]
    return (painted[0] if painted else ended) - launched, int(peak[-1]) / 1024, process.stdout


def import_times(argv: list[str], env: dict[str, str]) -> dict[str, int]:
    """Each module's own import time (microseconds) in one run with ``-X importtime``."""
    process = subprocess.run([argv[0], "-X", "importtime", *argv[1:]], env=env,
                             capture_output=True, text=True)
    found = (re.match(r"import time:\s+(\d+) \|\s+\d+ \|\s*(\S+)", line)
             for line in process.stderr.splitlines())
    return {m.group(2): int(m.group(1)) for m in found if m}


def print_imports(app, floor, env, runs: int, top: int) -> None:
    floor_modules = import_times(floor, env)
    samples = [import_times(app, env) for _ in range(runs)]
    extra = {name: statistics.median(s.get(name, 0) for s in samples)
             for name in samples[0] if name not in floor_modules}
    print(f"\nwarm launch: {len(extra)} modules beyond the floor's, "
          f"{sum(extra.values()) / 1000:.0f} ms of their own import time (median of {runs})")
    for name, micros in sorted(extra.items(), key=lambda item: -item[1])[:top]:
        print(f"{micros / 1000:8.1f} ms  {name}")


def measure(argv, env, runs, before=None):
    times, peaks = [], []
    for _ in range(runs):
        if before:
            before()
        elapsed, peak, _ = run_once(argv, env)
        times.append(elapsed)
        peaks.append(peak)
    return statistics.median(times), max(peaks)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--imports", type=int, default=0, metavar="N",
                        help="also list the N slowest modules imported beyond the floor's")
    args = parser.parse_args()

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", TRIALTREE_QUIT_AFTER_PAINT="1")
    work = Path(tempfile.mkdtemp(prefix="trialtree-bench-"))
    env["TRIALTREE_DATA_DIR"] = str(work / "data")
    env["XDG_CONFIG_HOME"] = str(work / "config")  # fresh settings: no restored record
    app = [sys.executable, "-c", APP]

    def fresh():
        shutil.rmtree(work / "data", ignore_errors=True)

    # An installed wheel has its bytecode compiled by pip; a checkout may not (and this machine
    # sets PYTHONDONTWRITEBYTECODE), so compile it once, as an install would.
    compileall.compile_dir(str(Path(__file__).resolve().parents[2] / "desktop"), quiet=1)
    run_once(app, env)  # warm the OS file cache once
    floor_t, floor_rss = measure([sys.executable, "-c", REPORT_PEAK + FLOOR], env, args.runs)
    cold_t, cold_rss = measure(app, env, args.runs, before=fresh)
    run_once(app, env)
    warm_t, warm_rss = measure(app, env, args.runs)
    floor = [sys.executable, "-c", REPORT_PEAK + FLOOR]

    print(f"start-up: launch to first paint, median of {args.runs} runs (offscreen)")
    print(f"{'':28}{'wall ms':>9}{'ratio':>8}{'peak RSS MiB':>14}{'ratio':>8}")
    for label, t, rss, target in (("floor: bare QMainWindow", floor_t, floor_rss, ""),
                                  ("first launch (cold build)", cold_t, cold_rss, "target ≤ 1.5×"),
                                  ("warm launch", warm_t, warm_rss, "target ≤ 1.25×")):
        print(f"{label:28}{t * 1000:9.0f}{t / floor_t:7.2f}×{rss:14.1f}{rss / floor_rss:7.2f}×  {target}")
    if args.imports:
        print_imports(app, floor, env, args.runs, args.imports)
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
