"""Keyboard (issue 12 #10): Escape leaves the details, F1 is in the shortcuts sheet, and
moving through the tree with the arrow keys does not fill Back with every row passed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from desktop.ui.history import History
from desktop.ui.shortcuts_sheet import sheet_groups

RITUXME = "rituxme-phase3-rct"


def test_escape_in_the_details_goes_back_to_the_list(make_window, qtbot):
    window = make_window(open_id=RITUXME)
    window.detail.setFocus()
    qtbot.waitUntil(window.detail.hasFocus)
    qtbot.keyClick(window.detail, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.tree.view)
    assert window.detail.record.id == RITUXME  # the page stays


def test_the_shortcuts_sheet_lists_f1_for_the_search_tips(make_window):
    window = make_window()
    rows = [row for _, group in sheet_groups(window.menuBar()) for row in group]
    assert any(keys == "F1" and "search" in command.lower() for keys, command in rows), rows
    assert any(keys == "Escape" and "details" in command for keys, command in rows)


def test_arrow_keys_through_the_tree_leave_one_back_stop(make_window, qtbot):
    window = make_window(open_id=RITUXME)
    view = window.tree.view
    view.setFocus()
    passed = []
    for _ in range(6):
        qtbot.keyClick(view, Qt.Key.Key_Down)
        passed.append(window.detail.record.id if window.detail.record else None)
    assert len(set(passed)) > 2
    window.back_action.trigger()
    assert window.detail.record.id == RITUXME
    assert not window.back_action.isEnabled()
    window.forward_action.trigger()
    assert window.detail.record.id == passed[-1]


def test_a_row_the_user_stayed_on_is_a_back_stop(make_window, qtbot):
    window = make_window(open_id=RITUXME)
    window.settle_timer.setInterval(20)
    view = window.tree.view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_Down)
    stayed = window.detail.record.id
    qtbot.waitUntil(lambda: not window.settle_timer.isActive())
    qtbot.keyClick(view, Qt.Key.Key_Down)
    qtbot.keyClick(view, Qt.Key.Key_Down)
    window.back_action.trigger()
    assert window.detail.record.id == stayed
    window.back_action.trigger()
    assert window.detail.record.id == RITUXME


def test_history_replaces_passing_visits_and_keeps_settled_ones():
    history = History()
    history.visit("a")
    for record_id in "bcd":
        history.visit(record_id, passing=True)
    assert history.back() == "a" and history.forward() == "d"
    history.visit("e", passing=True)
    history.settle()
    history.visit("f", passing=True)
    assert [history.back(), history.back(), history.back()] == ["e", "d", "a"]
