"""The browser window: tree ↔ pane, links, history, search, keyboard, and state across restarts."""

from __future__ import annotations

import os
import subprocess
import sys

from PySide6.QtCore import QEvent, QPointF, QSettings, Qt
from PySide6.QtGui import QMouseEvent, QTextCursor
from PySide6.QtWidgets import QApplication


RITUXME = "rituxme-phase3-rct"


def current_node(window):
    return window.tree.model.node(window.tree.view.currentIndex())


def test_selecting_a_tree_node_fills_the_pane_with_its_record(make_window, qtbot, library):
    window = make_window()
    top = window.tree.model.index(0, 0)
    window.tree.view.setCurrentIndex(top)
    record = library.record(window.tree.model.node(top).record_id)
    assert window.detail.record.id == record.id
    text = window.detail.toPlainText()
    assert record.title in text and " ".join(record.summary.split()) in " ".join(text.split())


def test_arrow_keys_move_in_the_tree_and_update_the_pane(make_window, qtbot):
    window = make_window()
    view = window.tree.view
    view.setFocus()
    view.setCurrentIndex(window.tree.model.index(0, 0))
    first = window.detail.record.id
    qtbot.keyClick(view, Qt.Key.Key_Down)
    assert window.detail.record.id != first
    assert window.detail.record.id == current_node(window).record_id


def test_opening_a_record_selects_it_in_the_tree_and_expands_its_parents(make_window, library):
    window = make_window(open_id=RITUXME)
    node = current_node(window)
    assert node.record_id == RITUXME
    parent = window.tree.view.currentIndex().parent()
    while parent.isValid():
        assert window.tree.view.isExpanded(parent)
        parent = parent.parent()
    assert window.detail.record.id == RITUXME


def test_clicking_a_link_opens_the_linked_record(make_window, qtbot, library):
    window = make_window(open_id=RITUXME)
    target = library.record(RITUXME).links["treatments"][0]
    document = window.detail.document()
    found = document.find(target.title)
    while not found.charFormat().isAnchor():  # the name may also appear in plain text
        found = document.find(target.title, found)
    cursor = QTextCursor(document)
    cursor.setPosition(found.selectionStart() + 1)
    window.detail.setTextCursor(cursor)
    window.detail.ensureCursorVisible()
    point = window.detail.cursorRect(cursor).center()
    assert window.detail.anchorAt(point) == f"trialtree:{target.id}"
    qtbot.mouseClick(window.detail.viewport(), Qt.MouseButton.LeftButton, pos=point)
    qtbot.waitUntil(lambda: window.detail.record.id == target.id)
    assert current_node(window).record_id == target.id


def test_links_can_be_followed_with_the_keyboard(make_window, qtbot):
    window = make_window(open_id=RITUXME)
    window.detail.setFocus()
    qtbot.keyClick(window.detail, Qt.Key.Key_Tab)  # to the first link
    qtbot.keyClick(window.detail, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.detail.record.id != RITUXME)


def test_back_and_forward_walk_the_history(make_window, qtbot, library):
    window = make_window(open_id=RITUXME)
    linked = [ref.id for refs in library.record(RITUXME).links.values() for ref in refs][:2]
    for record_id in linked:
        window.detail.record_requested.emit(record_id)
    assert window.detail.record.id == linked[-1]
    assert window.back_action.isEnabled() and not window.forward_action.isEnabled()
    window.back_action.trigger()
    assert window.detail.record.id == linked[0]
    window.back_action.trigger()
    assert window.detail.record.id == RITUXME
    assert not window.back_action.isEnabled()
    window.forward_action.trigger()
    assert window.detail.record.id == linked[0]
    qtbot.keyClick(window.tree.view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)  # Forward
    assert window.detail.record.id == linked[1]
    qtbot.keyClick(window.tree.view, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)  # Back
    assert window.detail.record.id == linked[0]
    window.detail.record_requested.emit(RITUXME)  # a new visit drops what was ahead
    assert not window.forward_action.isEnabled()


def test_the_mouse_back_button_goes_back(make_window, library):
    window = make_window(open_id=RITUXME)
    other = library.record(RITUXME).links["treatments"][0].id
    window.detail.record_requested.emit(other)
    viewport = window.detail.viewport()
    press = QMouseEvent(QEvent.Type.MouseButtonPress, QPointF(5, 5), QPointF(5, 5),
                        Qt.MouseButton.BackButton, Qt.MouseButton.BackButton,
                        Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(viewport, press)
    assert window.detail.record.id == RITUXME


def test_an_unknown_id_gets_a_calm_message_not_a_crash(make_window):
    window = make_window(open_id="no-such-record")
    assert "no-such-record" in window.statusBar().currentMessage()
    assert "no-such-record" in window.detail.toPlainText()
    window.detail.record_requested.emit(RITUXME)
    assert window.open_record("still-not-here") is False
    assert window.detail.record.id == RITUXME  # the page stays; the status bar says why


def test_every_grouping_follows_the_open_record(make_window, library):
    window = make_window(open_id=RITUXME)
    for action in window.grouping_actions.actions():
        action.trigger()
        assert window.tree.grouping == action.data()
        assert current_node(window).record_id == RITUXME, action.data()


def test_search_shows_hits_in_place_of_the_tree_and_escape_comes_back(make_window, qtbot, library):
    window = make_window()
    window.search_action.trigger()
    assert window.search.hasFocus()
    qtbot.keyClicks(window.search, "rituximab")
    qtbot.waitUntil(lambda: window.left.currentWidget() is window.results)
    expected = [hit.id for hit in library.search("rituximab", 50)]
    assert [window.results_model.hit(r).id for r in range(window.results_model.rowCount())] == expected
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    assert window.detail.record.id == expected[0]
    qtbot.keyClick(window.search, Qt.Key.Key_Escape)
    assert window.left.currentWidget() is window.tree
    assert window.tree.view.hasFocus()
    assert window.search.text() == ""


def test_search_results_open_with_down_and_enter(make_window, qtbot, library):
    window = make_window()
    window.focus_search()
    qtbot.keyClicks(window.search, "daratumumab")
    qtbot.keyClick(window.search, Qt.Key.Key_Down)
    assert window.results.hasFocus()
    second = window.results_model.hit(1)
    qtbot.keyClick(window.results, Qt.Key.Key_Down)
    qtbot.keyClick(window.results, Qt.Key.Key_Return)
    assert window.detail.record.id == second.id
    qtbot.keyClick(window.results, Qt.Key.Key_Escape)
    assert window.left.currentWidget() is window.tree


def test_ctrl_f_and_ctrl_k_focus_search_and_tab_goes_tree_detail_search(make_window, qtbot):
    window = make_window(open_id=RITUXME)
    window.activateWindow()
    for shortcut in ("Ctrl+F", "Ctrl+K"):
        window.tree.view.setFocus()
        assert any(s.toString() == shortcut for s in window.search_action.shortcuts())
        window.search_action.trigger()
        assert window.search.hasFocus()
    assert window.tree.view.nextInFocusChain() is not None
    order = []
    widget = window.tree.view
    for _ in range(3):
        order.append(widget)
        widget = widget.nextInFocusChain()
        while not widget.focusPolicy() & Qt.FocusPolicy.TabFocus or not widget.isVisible():
            widget = widget.nextInFocusChain()
    assert order == [window.tree.view, window.detail, window.search]


def test_window_state_survives_a_restart(make_window, qtbot, tmp_path, library):
    store = QSettings(str(tmp_path / "restart.ini"), QSettings.Format.IniFormat)
    first = make_window(open_id=RITUXME, settings_store=store)
    first.resize(700, 500)  # the offscreen screen is 800×600
    first.splitter.setSizes([250, 450])
    first.tree.set_grouping("status")
    sizes = first.splitter.sizes()
    first.close()

    second = make_window(settings_store=store)
    assert (second.width(), second.height()) == (700, 500)
    assert second.splitter.sizes() == sizes
    assert second.tree.grouping == "status"
    assert second.detail.record.id == RITUXME
    assert current_node(second).record_id == RITUXME


def test_a_group_node_shows_its_trials_as_links(make_window, qtbot):
    window = make_window()
    window.tree.set_grouping("status")
    group = window.tree.model.index(0, 0)
    window.tree.view.setCurrentIndex(group)
    node = window.tree.model.node(group)
    assert node.title in window.detail.toPlainText()
    assert window.detail.record is None
    assert window.detail.toHtml().count('href="trialtree:') >= min(node.count, 1)


def test_without_reference_data_the_window_still_opens_and_says_why(qtbot, store):
    from desktop.ui.main_window import MainWindow

    window = MainWindow(None, store, problem="Cannot build the reference data: seeds/x.toml: broken")
    qtbot.addWidget(window)
    window.start("anything")
    window.show()
    assert "seeds/x.toml: broken" in window.detail.toPlainText()
    assert window.tree.model.rowCount() == 0
    assert not window.search.isEnabled()


def test_seed_text_that_looks_like_markup_shows_as_text_in_the_window(qtbot, tiny_library, store,
                                                                      hostile_text):
    from desktop.ui.main_window import MainWindow

    window = MainWindow(tiny_library, store)
    qtbot.addWidget(window)
    window.start("hostile-trial")
    text = window.detail.toPlainText()
    for value in hostile_text.values():
        assert value in text
    assert "Dr <script>Who</script>" in text
    assert "lead <b>investigator</b>" in text
    tree_titles = [window.tree.model.data(window.tree.model.index(r, 0)) for r in
                   range(window.tree.model.rowCount())]
    assert "Mechanism <u>A</u> (1)" in tree_titles


def test_the_app_starts_and_quits_after_its_first_paint(tmp_path, seeds_copy, data_dir):
    """`trialtree open ID` in a fresh process, as the start-up benchmark runs it."""
    env = dict(os.environ, TRIALTREE_QUIT_AFTER_PAINT="1", QT_QPA_PLATFORM="offscreen",
               XDG_CONFIG_HOME=str(tmp_path / "config"), HOME=str(tmp_path))
    script = ("import sys; from desktop.app import run_app; status = run_app(open_id=%r); "
              "print('sqlite_utils' in sys.modules); sys.exit(status)")
    first = subprocess.run([sys.executable, "-c", script % RITUXME], env=env, capture_output=True,
                           text=True, timeout=60)
    assert first.returncode == 0, first.stderr
    warm = subprocess.run([sys.executable, "-c", script % RITUXME], env=env, capture_output=True,
                          text=True, timeout=60)
    assert warm.returncode == 0, warm.stderr
    assert warm.stdout.strip() == "False"  # the warm path never imports sqlite-utils


def test_a_long_status_message_is_cut_before_the_record_label(make_window, qtbot):
    window = make_window(RITUXME)
    window.resize(900, 600)
    qtbot.waitUntil(lambda: window.record_label.x() > 0)
    long = "Bookmarked “" + "a very long trial title " * 20 + "”. Ctrl+3 shows all your bookmarks."
    window.show_message(long)
    shown = window.statusBar().currentMessage()
    assert shown.endswith("…") and len(shown) < len(long)
    metrics = window.statusBar().fontMetrics()
    label = window.record_label
    assert label.isVisible() and label.text().startswith("Trial or study")
    assert 6 + metrics.horizontalAdvance(shown) < label.x()  # ends before the label starts
    assert window.statusBar().toolTip() == long  # the whole message is still there to read
    window.show_message("Short.")
    assert window.statusBar().currentMessage() == "Short."


def test_a_status_tip_too_long_for_the_room_gets_the_whole_bar(make_window, qtbot):
    window = make_window(RITUXME)
    window.resize(700, 500)
    window.statusBar().showMessage("word " * 200)  # e.g. a menu's status tip, not cut by us
    assert not window.record_label.isVisible()
    window.statusBar().clearMessage()
    assert window.record_label.isVisible()


def test_a_tree_row_with_a_short_title_shows_the_full_title_on_hover(make_window, library):
    window = make_window(RITUXME)
    index = window.tree.view.currentIndex()
    record = library.record(RITUXME)
    assert record.get("short_title") and window.tree.model.node(index).title == record.get("short_title")
    tip = window.tree.tooltip_at(index)
    assert tip.startswith(record.title)
    assert "Other sources differ" in tip
