"""Opening a long group costs what is on screen: the column is fitted to the rows shown, not to
every row loaded (the tree benchmark's "expand the largest mechanism" doubled when every loaded
row was measured). How fast it opens is measured in tests/benchmarks/tree_benchmark.py."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop.data.records import TreeNode
from desktop.models.tree_model import TreeModel
from desktop.ui.tree_panel import TreePanel

LONG = "A very long trial title " * 12


class ManyTrials:
    """One mechanism with 1,000 trials; the first one has a long title."""

    def tree_children(self, grouping, parent, offset=0, limit=-1):
        if parent is None:
            return [TreeNode("mechanism:big", "mechanism", "Big", "big", 1000, True)][offset:][:limit]
        end = 1000 if limit < 0 else min(1000, offset + limit)
        return [TreeNode(f"mechanism:big/study:s{i}", "study", LONG if i == 0 else f"Trial {i}",
                         f"s{i}", 0, False) for i in range(offset, end)]


def open_big(qtbot, monkeypatch):
    asked: set[int] = set()
    data = TreeModel.data

    def counting(self, index, role=Qt.ItemDataRole.DisplayRole):
        if index.isValid() and index.parent().isValid():
            asked.add(index.row())
        return data(self, index, role)

    monkeypatch.setattr(TreeModel, "data", counting)
    panel = TreePanel(ManyTrials(), [("mechanism", "By mechanism")])
    qtbot.addWidget(panel)
    panel.resize(400, 300)
    panel.show()
    qtbot.waitExposed(panel)
    big = panel.model.index(0, 0)
    panel.view.expand(big)
    qtbot.waitUntil(lambda: panel.model.rowCount(big) >= 200)
    qtbot.waitUntil(lambda: bool(asked))
    return panel, asked


def test_expanding_a_long_group_reads_only_the_rows_on_screen(qtbot, monkeypatch):
    panel, asked = open_big(qtbot, monkeypatch)
    shown = panel.view.viewport().height() // max(1, panel.view.sizeHintForRow(0)) + 2
    assert panel.model.rowCount(panel.model.index(0, 0)) >= 200
    assert max(asked) <= shown, f"rows asked up to {max(asked)}, {shown} on screen"


def test_a_long_title_on_screen_still_widens_the_column(qtbot, monkeypatch):
    panel, _ = open_big(qtbot, monkeypatch)
    first = panel.model.index(0, 0, panel.model.index(0, 0))
    qtbot.waitUntil(lambda: panel.view.header().sectionSize(0) >= panel.view.visualRect(first).right())
    assert panel.view.header().sectionSize(0) > panel.view.viewport().width()
    assert panel.view.fontMetrics().horizontalAdvance(LONG) <= panel.view.header().sectionSize(0)
