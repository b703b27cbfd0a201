"""The window over a big database: open it, expand the largest mechanism, and peak memory.

    python tests/benchmarks/tree_benchmark.py [--trials N]

Uses the synthetic database of search_benchmark/synthetic_seeds (built once, then reused). In
fresh offscreen processes it measures:
- the time to build the MainWindow over the N-trial database and show it;
- the time to expand the mechanism with the most trials (its first page of children fetched and
  laid out), the median of several expansions;
- peak RSS of that process against the bare-QMainWindow floor (targets: RSS ≤ 1.3× floor,
  expand ≤ 50 ms).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))
sys.path.insert(0, str(HERE))

import synthetic_seeds  # noqa: E402
from startup_benchmark import FLOOR, REPORT_PEAK, run_once  # noqa: E402

CHILD = r"""
import json, statistics, sys, time
from pathlib import Path
from desktop.app import create_application
from desktop.data.library import Library
from desktop import settings
app = create_application([])
from desktop.ui.main_window import MainWindow
started = time.perf_counter()
library = Library(Path(sys.argv[1]))
window = MainWindow(library, settings.open_settings(), problem=None)
window.start(None)
window.show()
app.processEvents()
opened = time.perf_counter() - started

# The largest mechanism: walk down the sub-mechanisms with the most trials to the innermost one,
# whose children are its treatments and trials (the longest list a click can open).
node, keys = None, []
while True:
    mechanisms = [c for c in library.tree_children("mechanism", node) if c.kind == "mechanism"]
    if not mechanisms:
        break
    node = max(mechanisms, key=lambda c: c.count)
    keys.append(node.key)

view = window.tree.view
model = view.model()
times = []
for _ in range(7):
    model.set_grouping("mechanism")  # drop everything loaded: each expansion asks the database
    index = model.index_for_path(keys)
    parent = index.parent()
    while parent.isValid():
        view.expand(parent)
        parent = parent.parent()
    app.processEvents()
    started = time.perf_counter()
    view.expand(index)
    if model.canFetchMore(index):
        model.fetchMore(index)
    app.processEvents()
    times.append(time.perf_counter() - started)
print(json.dumps({"open": opened, "expand": statistics.median(times), "first_expand": times[0],
                  "rows": model.rowCount(index), "count": node.count, "title": node.title}))
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=100_000)
    parser.add_argument("--dir", type=Path, default=None,
                        help="where to keep the synthetic database (default: the one the search "
                             "benchmark made, in the temp folder)")
    args = parser.parse_args(argv)
    folder = args.dir or synthetic_seeds.default_dir(args.trials)
    database = synthetic_seeds.build(folder, args.trials)
    work = Path(tempfile.mkdtemp(prefix="trialtree-tree-"))
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(work),
               TRIALTREE_DATA_DIR=str(work / "data"), TRIALTREE_QUIT_AFTER_PAINT="1")
    _, floor_rss, _ = run_once([sys.executable, "-c", REPORT_PEAK + FLOOR], env)
    _, rss, out = run_once([sys.executable, "-c", REPORT_PEAK + CHILD, str(database)], env)
    figures = json.loads(out)
    print(f"window over {args.trials:,} synthetic trials")
    print(f"  open window over the database   {figures['open'] * 1000:8.1f} ms")
    print(f"  expand the largest mechanism    {figures['expand'] * 1000:8.1f} ms (median; first "
          f"{figures['first_expand'] * 1000:.1f} ms; '{figures['title']}': {figures['rows']} rows "
          f"loaded of {figures['count']:,} trials)  target ≤ 50 ms")
    print(f"  peak RSS                        {rss:8.1f} MiB vs floor {floor_rss:.1f} MiB = "
          f"{rss / floor_rss:.2f}×  target ≤ 1.3×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
