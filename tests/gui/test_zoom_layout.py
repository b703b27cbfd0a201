"""Text size and layout (issue 12 #2, #3): back at 100% the list is as wide as before, and that
is what is saved; at 200% on 1280×800 the pane still shows what matters."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

RITUXME = "rituxme-phase3-rct"


def test_stepping_to_200_percent_and_back_restores_the_list_width(make_window, qtbot, store):
    from desktop import settings

    window = make_window(RITUXME)
    window.resize(1280, 800)
    qtbot.waitUntil(lambda: window.width() == 1280)
    window.splitter.setSizes([430, 850])
    QApplication.processEvents()
    left = window.splitter.sizes()[0]
    for _ in range(5):  # 110, 125, 150, 175, 200, each step by the keys
        window.zoom.zoom_in()
    assert window.zoom.percent == 200
    for _ in range(5):
        window.zoom.zoom_out()
    assert window.zoom.percent == 100
    assert abs(window.splitter.sizes()[0] - left) <= 3
    window.zoom.set_percent(250)
    window.zoom.reset()  # Ctrl+0 from the largest size
    assert abs(window.splitter.sizes()[0] - left) <= 3
    window.save_layout()
    window.splitter.restoreState(settings.read(store, settings.SPLITTER_STATE))
    assert abs(window.splitter.sizes()[0] - left) <= 3


def test_a_width_the_user_chose_is_kept_through_zooming(make_window, qtbot):
    window = make_window(RITUXME)
    window.resize(1280, 800)
    qtbot.waitUntil(lambda: window.width() == 1280)
    window.zoom.set_percent(200)
    window.splitter.moveSplitter(500, 1)  # the user drags the handle at 200%
    QApplication.processEvents()
    dragged = window.splitter.sizes()[0]
    window.zoom.set_percent(100)
    assert abs(window.splitter.sizes()[0] - dragged / 2) <= 3 or window.splitter.sizes()[0] >= 240
    window.zoom.set_percent(200)
    assert abs(window.splitter.sizes()[0] - dragged) <= 3


def bookmarked_window(qtbot, library, store, tmp_path, percent=200):
    from desktop.data.bookmark_values import USER_DB_NAME
    from desktop.data.bookmarks import BookmarkStore
    from desktop.ui.main_window import MainWindow

    bookmarks = BookmarkStore(tmp_path / "user" / USER_DB_NAME)
    window = MainWindow(library, store, bookmarks=bookmarks)
    qtbot.addWidget(window)
    window.start(RITUXME)
    window.resize(1280, 800)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.bookmarking.toggle()
    window.zoom.set_percent(percent)
    qtbot.waitUntil(lambda: window.width() == 1280)
    QApplication.processEvents()
    return window, bookmarks


def test_at_200_percent_the_note_box_is_one_line_until_it_is_used(qtbot, library, store, tmp_path):
    window, bookmarks = bookmarked_window(qtbot, library, store, tmp_path)
    bar = window.bookmarking.bar
    line = bar.note.fontMetrics().lineSpacing()
    qtbot.waitUntil(lambda: bar.note.height() < 2 * line)
    assert bar._note_box.height() < 3 * line  # the label sits beside the one line
    bar.note.setFocus()
    qtbot.waitUntil(lambda: bar.note.height() >= 2 * line)
    assert bar.note.height() <= 0.25 * bar.height()
    window.tree.view.setFocus()
    bar.note.setPlainText("one line")  # with text, it stays open, but small
    qtbot.waitUntil(lambda: 2 * line <= bar.note.height() <= 3 * line + 20)
    window.close()
    bookmarks.close()


def test_at_200_percent_the_tags_field_shows_its_words_and_the_pane_keeps_room(
        qtbot, library, store, tmp_path):
    window, bookmarks = bookmarked_window(qtbot, library, store, tmp_path)
    tags = window.bookmarking.bar.tags
    needed = tags.fontMetrics().horizontalAdvance(tags.placeholderText())
    qtbot.waitUntil(lambda: tags.width() > needed)
    left, pane = window.splitter.sizes()
    assert pane >= 0.55 * (left + pane)
    assert window.detail.viewport().height() >= 0.6 * window.height()
    window.close()
    bookmarks.close()


def test_the_search_field_icons_grow_with_the_text(make_window):
    from PySide6.QtWidgets import QStyle

    window = make_window(RITUXME)
    metric = QStyle.PixelMetric.PM_LineEditIconSize

    def icon():
        return window.search.style().pixelMetric(metric, None, window.search)

    small = icon()
    window.zoom.set_percent(200)
    assert icon() >= 1.6 * small


def test_at_200_percent_long_tree_titles_can_be_scrolled_to(make_window, qtbot):
    window = make_window(RITUXME)
    window.resize(1280, 800)
    window.zoom.set_percent(200)
    qtbot.waitUntil(lambda: window.width() == 1280)
    view = window.tree.view
    QApplication.processEvents()
    widest = max(view.visualRect(view.indexAt(view.viewport().rect().topLeft().__class__(5, y)))
                 .width() for y in range(0, view.viewport().height(), 10))
    assert view.header().sectionSize(0) >= widest
    assert view.horizontalScrollBar().maximum() > 0  # the longest titles are wider than the list


def key_facts_bottom(detail) -> int:
    """Where the "At a glance" table ends, in the pane's viewport (scrolled to the top)."""
    from PySide6.QtGui import QTextTable

    document = detail.document()
    heading = document.find("At a glance")
    assert not heading.isNull()
    tables = [f for f in document.rootFrame().childFrames()
              if isinstance(f, QTextTable) and f.firstPosition() > heading.position()]
    assert tables
    detail.verticalScrollBar().setValue(0)
    return detail.cursorRect(tables[0].lastCursorPosition()).bottom()


def test_at_200_percent_the_title_summary_and_key_facts_show_without_scrolling(
        qtbot, library, store, tmp_path):
    window, bookmarks = bookmarked_window(qtbot, library, store, tmp_path)
    qtbot.waitUntil(lambda: window.bookmarking.bar.note.height()
                    < 2 * window.bookmarking.bar.note.fontMetrics().lineSpacing())
    assert key_facts_bottom(window.detail) <= window.detail.viewport().height()
    window.close()
    bookmarks.close()


def evidence_bottom(detail) -> int:
    """Where the "Evidence at a glance" table ends, in the pane's viewport (scrolled to the top)."""
    from PySide6.QtGui import QTextTable

    from desktop.render.evidence import EVIDENCE_HEADING

    document = detail.document()
    heading = document.find(EVIDENCE_HEADING)
    assert not heading.isNull()
    tables = [f for f in document.rootFrame().childFrames()
              if isinstance(f, QTextTable) and f.firstPosition() > heading.position()]
    detail.verticalScrollBar().setValue(0)
    return detail.cursorRect(tables[0].lastCursorPosition()).bottom()


@pytest.mark.parametrize("mechanism_id", ["autoimmunity", "immune-dysregulation"])
def test_at_200_percent_a_mechanisms_summary_and_evidence_show_without_scrolling(
        qtbot, library, store, tmp_path, mechanism_id):
    window, _ = bookmarked_window(qtbot, library, store, tmp_path)
    window.open_record(mechanism_id)
    qtbot.waitUntil(lambda: window.detail.record is not None and window.detail.record.id == mechanism_id)
    text = window.detail.toPlainText()
    assert "At a glance\n" not in text  # one block: the counts are said once
    assert evidence_bottom(window.detail) <= window.detail.viewport().height()
    window.close()
