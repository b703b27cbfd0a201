"""The Bookmarks dock at any text size: its title follows Ctrl+plus and Ctrl+minus (issue 12),
and a row's bold title is wrapped to the width it is drawn in, never cut at the right edge."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontMetrics, QImage
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QApplication, QMainWindow, QStyleOptionDockWidget,
                               QStyleOptionViewItem, QWidget)

from desktop.data.bookmark_values import Bookmark
from desktop.models.bookmarks_model import BookmarksModel
from desktop.ui.bookmarks_pane import BookmarkDelegate, BookmarksPane
from desktop.ui.zoom import apply_zoom

AXA_TITLE = "AXA1125 for long COVID fatigue (UK)"


def make_pane(qtbot, title=AXA_TITLE, width=250):
    model = BookmarksModel()
    model.set_bookmarks([Bookmark("axa1125-long-covid-fatigue", "study", title,
                                  "Ask about this at the next appointment.", (),
                                  "2026-05-01T09:00:00Z", "2026-05-01T09:00:00Z")])
    window = QMainWindow()  # docked, as in the app: Qt draws the title bar itself
    qtbot.addWidget(window)
    window.setCentralWidget(QWidget())
    pane = BookmarksPane(model, window)
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, pane)
    window.resize(width + 300, 500)
    window.show()
    window.resizeDocks([pane], [width], Qt.Orientation.Horizontal)
    qtbot.waitUntil(pane.view.isVisible)
    return window, pane


def title_ink_height(pane) -> int:
    """How many pixel rows of the dock's title bar (left of its close button) hold text."""
    option = QStyleOptionDockWidget()
    pane.initStyleOption(option)
    image = pane.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    area = option.rect
    background = image.pixelColor(area.left() + 1, area.top() + 1)
    rows = 0
    for y in range(area.top(), area.bottom() + 1):
        for x in range(area.left(), area.left() + area.width() // 2):
            colour = image.pixelColor(x, y)
            if abs(colour.lightness() - background.lightness()) > 60:
                rows += 1
                break
    return rows


def test_the_dock_title_grows_and_shrinks_with_the_text_size(qtbot):
    apply_zoom(100)
    window, pane = make_pane(qtbot)
    try:
        qtbot.waitUntil(lambda: title_ink_height(pane) > 0)
        normal = title_ink_height(pane)
        apply_zoom(200)
        qtbot.waitUntil(lambda: title_ink_height(pane) >= 1.6 * normal, timeout=2000)
        apply_zoom(100)
        qtbot.waitUntil(lambda: title_ink_height(pane) <= 1.2 * normal, timeout=2000)
    finally:
        apply_zoom(100)


def cut_title_lines(pane) -> list[str]:
    """The title lines that do not fit the row when drawn in bold, as the delegate draws them
    (or the whole title when the lines do not add up to it)."""
    index = pane.model.index(0, 0)
    rect = pane.view.visualRect(index)
    bold = QFont(pane.view.font())
    bold.setBold(True)
    wide = QFontMetrics(bold)
    delegate = pane.view.itemDelegate()
    option = QStyleOptionViewItem()
    option.initFrom(pane.view)
    option.rect = rect
    lines = delegate.lines(index, pane.view.font(), delegate._width(option))
    titles = [text for kind, text in lines if kind == "title"]
    if " ".join(titles) != AXA_TITLE:
        return [AXA_TITLE]
    room = rect.width() - 2 * BookmarkDelegate.PADDING
    return [line for line in titles if wide.horizontalAdvance(line) > room]


def test_a_bold_title_is_wrapped_not_cut_at_every_panel_width(qtbot):
    apply_zoom(100)
    window, pane = make_pane(qtbot)
    cut = []
    for width in range(180, 420, 7):
        window.resizeDocks([pane], [width], Qt.Orientation.Horizontal)
        qtbot.waitUntil(lambda w=width: abs(pane.width() - w) <= 1)
        QApplication.processEvents()
        if cut_title_lines(pane):
            cut.append((width, cut_title_lines(pane)))
    assert not cut, f"the title is cut at panel widths {cut}"


def test_the_dock_close_button_grows_with_the_text_and_still_closes_the_panel(qtbot):
    from PySide6.QtWidgets import QAbstractButton

    from desktop.ui.themes import apply_theme, current_theme

    before = current_theme()
    apply_theme("light")  # the app's style (Fusion, calmed)
    apply_zoom(200)
    window, pane = make_pane(qtbot)
    try:
        close = pane.findChild(QAbstractButton, "qt_dockwidget_closebutton")
        line = pane.fontMetrics().height()
        qtbot.waitUntil(lambda: close.height() >= 0.8 * line and close.width() >= 0.8 * line)
        qtbot.mouseClick(close, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not pane.isVisible())
    finally:
        apply_zoom(100)
        if before:
            apply_theme(before)
