"""The Bookmarks panel (issue 12 #8): each row shows the whole title wrapped, the tags and the
first line of the note; the note box shows a focus ring."""

from __future__ import annotations

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QStyleOptionViewItem

from desktop.data.bookmark_values import Bookmark
from desktop.models.bookmarks_model import BookmarksModel
from desktop.ui.bookmarks_pane import BookmarksPane

LONG_TITLE = ("B-lymphocyte depletion using rituximab in chronic fatigue syndrome, a randomized "
              "phase III study with a very long official title")


def pane_with(qtbot, note="Ask my GP about this.\nSecond line, not shown.", tags=("ask my GP", "later")):
    model = BookmarksModel()
    model.set_bookmarks([Bookmark("s1", "study", LONG_TITLE, note, tuple(tags),
                                  "2026-05-01T09:00:00Z", "2026-05-01T09:00:00Z")])
    pane = BookmarksPane(model)
    qtbot.addWidget(pane)
    pane.resize(320, 500)
    pane.show()
    qtbot.waitUntil(pane.view.isVisible)
    return pane


def row_lines(pane):
    index = pane.model.index(0, 0)
    option = QStyleOptionViewItem()
    option.initFrom(pane.view)
    delegate = pane.view.itemDelegate()
    return delegate.lines(index, pane.view.font(), delegate._width(option)), \
        delegate.sizeHint(option, index), option


def test_a_row_shows_the_whole_title_wrapped_the_tags_and_the_first_note_line(qtbot):
    pane = pane_with(qtbot)
    lines, size, _ = row_lines(pane)
    titles = [text for kind, text in lines if kind == "title"]
    assert len(titles) > 1 and " ".join(titles) == LONG_TITLE  # wrapped, nothing cut
    assert any(kind == "detail" and "ask my GP, later" in text for kind, text in lines)
    assert ("note", "Ask my GP about this.") in lines
    assert size.height() >= len(lines) * pane.view.fontMetrics().lineSpacing()
    assert pane.view.visualRect(pane.model.index(0, 0)).height() >= size.height()


def test_a_row_without_a_note_has_no_empty_note_line(qtbot):
    lines, _, _ = row_lines(pane_with(qtbot, note="", tags=()))
    assert [kind for kind, _ in lines if kind != "title"] == ["detail"]


def test_the_note_box_shows_a_focus_ring_in_the_accent_colour(qtbot, library, store, tmp_path):
    from desktop.data.bookmark_values import USER_DB_NAME
    from desktop.data.bookmarks import BookmarkStore
    from desktop.ui.main_window import MainWindow

    bookmarks = BookmarkStore(tmp_path / "user" / USER_DB_NAME)
    window = MainWindow(library, store, bookmarks=bookmarks)
    qtbot.addWidget(window)
    window.start("rituxme-phase3-rct")
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.bookmarking.toggle()
    bar = window.bookmarking.bar
    qtbot.waitUntil(bar.note.isVisible)
    bar.note.setFocus()
    qtbot.waitUntil(bar.note.hasFocus)
    QApplication.processEvents()
    image = bar.note.grab().toImage()
    accent = bar.note.palette().color(QPalette.ColorRole.Accent)
    edge = image.pixelColor(0, image.height() // 2)
    assert abs(edge.red() - accent.red()) + abs(edge.green() - accent.green()) \
        + abs(edge.blue() - accent.blue()) < 60, (edge.name(), accent.name())
    window.close()
    bookmarks.close()
