"""The tree (issue 12 #9): the ≠ mark said in words, the same study recognisable wherever it is
listed, empty groups dimmed, stars no taller than rows, expand and collapse all by keyboard."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from desktop.models.roles import Role
from desktop.ui.shortcuts_sheet import sheet_groups

DECODEME = "decodeme-gwas"


def rows(model, parent=None):
    from PySide6.QtCore import QModelIndex

    parent = parent or QModelIndex()
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        yield index
        yield from rows(model, index)


def test_the_not_equal_mark_is_explained_in_words_under_the_tree(make_window):
    window = make_window()
    legend = window.tree.legend
    assert legend.isVisible() and "≠" in legend.text() and "differ" in legend.text()
    view_bottom = window.tree.view.mapTo(window.tree, window.tree.view.rect().bottomLeft()).y()
    assert legend.geometry().top() >= view_bottom
    assert "≠" not in window.tree.view.accessibleDescription()
    assert "not-equal" in window.tree.view.accessibleDescription()


def test_a_study_listed_in_many_places_is_recognisably_the_same(make_window, qtbot):
    window = make_window(open_id=DECODEME)
    window.tree.expand_all()
    model = window.tree.model
    same = [i for i in rows(model) if model.data(i, Role.RecordId) == DECODEME]
    assert len(same) > 1
    for index in same:
        font = model.data(index, Qt.ItemDataRole.FontRole)
        assert font is not None and font.bold()
        assert f"Listed in {len(same)} places" in window.tree.tooltip_at(index)
    other = next(i for i in rows(model) if model.data(i, Role.Kind) == "study"
                 and model.data(i, Role.RecordId) != DECODEME)
    font = model.data(other, Qt.ItemDataRole.FontRole)
    assert font is None or not font.bold()


def test_an_empty_group_reads_as_dimmed_and_says_so(make_window):
    window = make_window()
    model = window.tree.model
    empty = [i for i in rows(model) if model.data(i, Role.Kind) != "study"
             and model.data(i, Role.Count) == 0]
    assert empty, "the seeds have an empty group (Endocrine (hormone) system)"
    dim = QApplication.palette().color(QPalette.ColorRole.PlaceholderText)
    for index in empty:
        assert model.data(index, Qt.ItemDataRole.ForegroundRole) == dim
        assert "empty" in model.data(index, Qt.ItemDataRole.AccessibleTextRole)
    full = next(i for i in rows(model) if model.data(i, Role.Count))
    assert model.data(full, Qt.ItemDataRole.ForegroundRole) is None


def test_stars_are_no_taller_than_the_rows_at_any_text_size(make_window):
    window = make_window()
    view = window.tree.view
    for percent in (100, 200, 80):
        window.zoom.set_percent(percent)
        QApplication.processEvents()
        assert view.iconSize().height() <= view.fontMetrics().height()
        assert view.iconSize().height() <= view.sizeHintForRow(0)


def test_expand_all_and_collapse_all_from_the_keyboard(make_window, qtbot):
    window = make_window()
    view = window.tree.view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    groups = [i for i in rows(window.tree.model) if window.tree.model.hasChildren(i)]
    assert groups and all(view.isExpanded(i) for i in groups)
    qtbot.keyClick(view, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier
                   | Qt.KeyboardModifier.ShiftModifier)
    assert not any(view.isExpanded(i) for i in groups)
    listed = [command for _, group in sheet_groups(window.menuBar()) for _, command in group]
    assert "Expand all groups" in listed and "Collapse all groups" in listed
