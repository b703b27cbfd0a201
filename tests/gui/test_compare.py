"""The compare table (issue 18): its model, checked with qtmodeltester, and the window's view."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QMenu

from desktop.data.compare import FACTS, compare
from desktop.models.compare_model import (
    DIFFERS_MARK,
    DIFFERS_ROLE,
    SAME_MARK,
    CompareModel,
)
from desktop.ui.compare_view import ADD_SHORTCUT, CompareView, DiffersDelegate, tint
from desktop.ui.shortcuts_sheet import sheet_groups

RITUX, RESET, PILOT = "rituxme-phase3-rct", "resetme-daratumumab-phase2-rct", "daratumumab-pilot"


@pytest.fixture
def model(qapp, library):
    model = CompareModel()
    model.set_comparison(compare([library.record(i) for i in (RITUX, RESET, PILOT)]))
    return model


def test_the_model_passes_qtmodeltester(qtmodeltester, model, library):
    qtmodeltester.check(model)
    model.set_comparison(None)
    qtmodeltester.check(model)
    model.set_comparison(compare([library.record(RITUX), library.record(RESET)]))
    qtmodeltester.check(model)


def test_studies_are_columns_headed_by_their_short_titles(model, library):
    assert model.columnCount() == 3
    headers = [model.headerData(c, Qt.Orientation.Horizontal).replace("\n", " ")
               for c in range(3)]
    assert headers == [library.record(i).get("short_title") for i in (RITUX, RESET, PILOT)]
    assert model.study_id(1) == RESET


def test_facts_are_rows_whose_headers_say_whether_the_studies_differ(model):
    assert model.rowCount() == len(FACTS)
    for row, (_, label) in enumerate(FACTS):
        header = model.headerData(row, Qt.Orientation.Vertical)
        differs = model.headerData(row, Qt.Orientation.Vertical, DIFFERS_ROLE)
        assert header.replace("\n", " ").startswith(label)
        assert max(len(line) for line in header.splitlines()) <= 24  # narrow at 200%
        assert header.endswith(DIFFERS_MARK if differs else SAME_MARK)
        assert model.index(row, 0).data(DIFFERS_ROLE) is differs
    tested = model.index(0, 0)
    assert tested.data() == "Rituximab" and tested.data(DIFFERS_ROLE) is True


def test_every_cell_names_its_study_and_fact_for_a_screen_reader(model, library):
    cell = model.index(0, 1).data(Qt.ItemDataRole.AccessibleTextRole)
    assert cell.startswith(library.record(RESET).get("short_title"))
    assert "What is tested" in cell and "Daratumumab" in cell


@pytest.fixture
def view(qtbot, library):
    view = CompareView()
    qtbot.addWidget(view)
    return view


def test_the_view_asks_for_more_until_two_studies_are_chosen(view, library):
    assert view.model.columnCount() == 0 and ADD_SHORTCUT in view.intro.text()
    view.add(library.record(RITUX))
    assert view.model.columnCount() == 0 and "1 study chosen" in view.intro.text()
    assert view.table.isHidden()
    view.add(library.record(RESET))
    assert view.model.columnCount() == 2 and DIFFERS_MARK in view.intro.text()
    assert not view.table.isHidden()


def test_the_view_refuses_non_studies_duplicates_and_a_fifth_study(view, library):
    assert "Only studies" in view.add(library.record("rituximab"))
    for record_id in (RITUX, RESET, PILOT, "cyclome-cyclophosphamide-phase2"):
        view.add(library.record(record_id))
    assert "already" in view.add(library.record(RITUX))
    assert "4 studies at most" in view.add(library.record("qvid-coq10-long-covid"))
    assert view.model.columnCount() == 4


def test_remove_takes_out_the_chosen_column(view, library):
    for record_id in (RITUX, RESET, PILOT):
        view.add(library.record(record_id))
    view.table.setCurrentIndex(view.model.index(2, 1))
    view.remove_button.click()
    assert view.ids() == [RITUX, PILOT]


def test_arrow_keys_move_and_ctrl_c_copies_the_cell(view, library, qtbot):
    view.add(library.record(RITUX))
    view.add(library.record(RESET))
    view.show()
    qtbot.waitExposed(view)
    view.table.setFocus()
    view.table.setCurrentIndex(view.model.index(0, 0))
    qtbot.keyClick(view.table, Qt.Key.Key_Right)
    assert view.table.currentIndex() == view.model.index(0, 1)
    qtbot.keyClick(view.table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.clipboard().text() == "Daratumumab"


def test_escape_closes_the_view(view, library, qtbot):
    view.add(library.record(RITUX))
    view.add(library.record(RESET))
    view.show()
    qtbot.waitExposed(view)
    qtbot.keyClick(view.table, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not view.isVisible())


def test_differing_rows_are_tinted_from_the_theme_and_rows_grow_with_their_text(view, library):
    view.add(library.record(RITUX))
    view.add(library.record(RESET))
    view.resize(700, 500)
    view.show()
    delegate = view.table.itemDelegate()
    assert isinstance(delegate, DiffersDelegate)
    from PySide6.QtWidgets import QStyleOptionViewItem
    option = QStyleOptionViewItem()
    option.palette = view.palette()
    delegate.initStyleOption(option, view.model.index(0, 0))
    assert option.backgroundBrush.color() == tint(view.palette())
    assert tint(view.palette()) != view.palette().color(QPalette.ColorRole.Base)
    result_row = [key for key, _ in FACTS].index("result")
    assert view.table.rowHeight(result_row) > 3 * view.table.fontMetrics().height()


# ---- in the window --------------------------------------------------------------------------

def test_add_to_comparison_collects_the_open_studies_and_opens_the_view(make_window, qtbot):
    window = make_window(RITUX)
    assert window.compare.view is None  # built on first use, never at start-up
    window.compare.add_action.trigger()
    window.open_record(RESET)
    window.detail.setFocus()
    window.compare.add_action.trigger()
    view = window.compare.view
    qtbot.waitUntil(view.isVisible)
    assert view.ids() == [RITUX, RESET] and view.model.columnCount() == 2


def test_the_shortcut_is_listed_on_the_shortcuts_sheet(make_window):
    window = make_window(RITUX)
    rows = [row for _, group in sheet_groups(window.menuBar()) for row in group]
    assert ("Ctrl+Shift+C", "Add to comparison") in rows
    clashes = [a.text() for a in window.findChildren(type(window.compare.add_action))
               if a.shortcut().toString() == ADD_SHORTCUT and a is not window.compare.add_action]
    assert clashes == []


def test_the_tree_menu_offers_add_to_comparison(make_window):
    window = make_window(RITUX)  # no bookmark store here: the menu is ours alone
    view = window.tree.view
    pos = view.visualRect(view.currentIndex()).center()
    menu = window.bookmarking.tree_menu(pos)
    texts = [a.text().replace("&", "") for a in menu.actions()]
    assert "Add to comparison" in texts
    next(a for a in menu.actions() if a.text().replace("&", "") == "Add to comparison").trigger()
    assert window.compare.view.ids() == [RITUX]


def test_context_menu_entries_are_only_for_studies(make_window):
    window = make_window(RITUX)
    menu = QMenu()
    window.compare.menu_entries(menu, "rituximab")
    assert menu.actions() == []
    window.compare.menu_entries(menu, RESET)
    assert [a.text().replace("&", "") for a in menu.actions()] == ["Add to comparison"]


@pytest.fixture
def bm_window(qtbot, library, store, tmp_path):
    """A window with a bookmark store holding two studies."""
    from desktop.data.bookmarks import BookmarkStore
    from desktop.ui.main_window import MainWindow

    bookmarks = BookmarkStore(tmp_path / "user.db")
    for record_id in (RITUX, RESET):
        bookmarks.add(record_id, "study", library.record(record_id).title)
    window = MainWindow(library, store, bookmarks=bookmarks)
    qtbot.addWidget(window)
    window.start(RITUX)
    window.show()
    qtbot.waitUntil(window.isVisible)
    yield window
    window.close()
    bookmarks.close()


def test_the_tree_menu_keeps_open_and_bookmark_and_adds_compare(bm_window):
    view = bm_window.tree.view
    menu = bm_window.bookmarking.tree_menu(view.visualRect(view.currentIndex()).center())
    texts = [a.text().replace("&", "") for a in menu.actions() if not a.isSeparator()]
    assert texts[0] == "Open" and "Add to comparison" in texts and len(texts) == 3


def test_the_shortcut_in_the_bookmarks_panel_adds_the_chosen_bookmark(bm_window, qtbot):
    bm_window.bookmarking.panel_action.trigger()
    pane = bm_window.bookmarking.pane
    qtbot.waitUntil(pane.isVisible)
    rows = {pane.view.model().index(r, 0).data(): r for r in range(pane.view.model().rowCount())}
    assert len(rows) == 2
    for row in range(2):
        pane.view.setFocus()
        qtbot.waitUntil(pane.view.hasFocus)
        pane.view.setCurrentIndex(pane.view.model().index(row, 0))
        bm_window.compare.add_current()
    assert sorted(bm_window.compare.view.ids()) == sorted([RITUX, RESET])


def test_rows_grow_when_the_text_gets_larger(view, library, qtbot):
    view.add(library.record(RITUX))
    view.add(library.record(RESET))
    view.resize(900, 600)
    view.show()
    qtbot.waitExposed(view)
    before = view.table.rowHeight(0)
    from desktop.ui.zoom import apply_zoom

    try:
        apply_zoom(200)  # what View → Larger text does, application-wide
        qtbot.waitUntil(lambda: view.table.rowHeight(0) > 1.5 * before)
    finally:
        apply_zoom(100)

def test_a_header_tooltip_shows_a_title_as_typed_not_as_markup(qapp):
    from desktop.data.compare import Comparison

    model = CompareModel()
    model.set_comparison(Comparison(("a", "b"), ("<b>Bold</b> trial", "B"), ()))
    tip = model.headerData(0, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert "<b>" not in tip and "&lt;b&gt;Bold" in tip
