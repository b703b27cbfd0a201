"""The Bookmarks panel: a dock listing your bookmarks, newest first, by mechanism or by title.

Enter, a double-click or a click asks for the record with ``bookmark_chosen``; a bookmark whose
record left the data is listed as "no longer in the data" with its saved title and note (the
window shows it on a page of its own). The list is a
:class:`~desktop.models.bookmarks_model.BookmarksModel`; nothing here touches the database.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QRect, QSize, Qt, Signal, Slot
from PySide6.QtGui import QFont, QFontMetrics, QKeyEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDockWidget, QHBoxLayout, QLabel,
                               QApplication, QListView, QSizePolicy, QStackedWidget, QStyle,
                               QStyledItemDelegate, QStyleOptionDockWidget, QStylePainter,
                               QStyleOptionViewItem, QVBoxLayout, QWidget)


from desktop.models.bookmarks_model import ORDER_LABELS, BookmarksModel
from desktop.models.roles import Role

EMPTY_TEXT = ("No bookmarks yet.\n\nTo keep a trial or any other entry here, open it and press "
              "Ctrl+D, or the Bookmark button above it. You can add your own note to each one.")


class BookmarkDelegate(QStyledItemDelegate):
    """Draws a bookmark as its whole title, wrapped, then a line with what it is and its tags,
    then the first line of its note; those two lines are cut to the width with an ellipsis
    (the tooltip has everything)."""

    PADDING = 6  # pixels around the text

    @staticmethod
    def font_for(kind: str, base: QFont) -> QFont:
        """The font a line of ``kind`` is drawn in: the title bold, the note italic."""
        font = QFont(base)
        font.setBold(kind == "title")
        font.setItalic(kind == "note")
        return font

    def lines(self, index: QModelIndex, base: QFont, width: int) -> list[tuple[str, str]]:
        """(kind, text) for each line drawn: "title" lines wrapped to ``width``, then "detail"
        and "note" cut to it, each measured in the font it is drawn in (a bold title is wider
        than the same words in the plain font)."""
        def metrics(kind: str) -> QFontMetrics:
            return QFontMetrics(self.font_for(kind, base))

        title = index.data(Role.Title) or ""
        result = [("title", line) for line in wrap(title, metrics("title"), width)]
        tags = index.data(Role.Tags) or ""
        detail = (index.data(Role.Where) or "") + (f" · tags: {tags}" if tags else "")
        elide = Qt.TextElideMode.ElideRight
        result.append(("detail", metrics("detail").elidedText(detail, elide, width)))
        note = index.data(Role.NoteLine) or ""
        if note:
            result.append(("note", metrics("note").elidedText(note, elide, width)))
        return result

    def _width(self, option: QStyleOptionViewItem) -> int:
        view = self.parent()
        width = view.viewport().width() if isinstance(view, QListView) else option.rect.width()
        return max(40, width - 2 * self.PADDING - 2 * view.spacing() if isinstance(view, QListView)
                   else width - 2 * self.PADDING)

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        lines = self.lines(index, option.font, self._width(option))
        height = sum(QFontMetrics(self.font_for(kind, option.font)).lineSpacing()
                     for kind, _ in lines)
        return QSize(1, height + 2 * self.PADDING)  # never wider

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        text_role = (QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        muted = text_role if selected else QPalette.ColorRole.PlaceholderText
        x = option.rect.left() + self.PADDING
        y = option.rect.top() + self.PADDING
        width = option.rect.width() - 2 * self.PADDING
        painter.save()
        for kind, text in self.lines(index, option.font, self._width(option)):
            font = self.font_for(kind, option.font)
            height = QFontMetrics(font).lineSpacing()
            painter.setFont(font)
            painter.setPen(option.palette.color(text_role if kind == "title" else muted))
            painter.drawText(QRect(x, y, width, height),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), text)
            y += height
        painter.restore()


def wrap(text: str, metrics: QFontMetrics, width: int) -> list[str]:
    """``text`` broken into lines no wider than ``width`` (at spaces; a word too long for a line
    is cut with an ellipsis). A line fits when Qt would not elide it: the whole-pixel
    ``horizontalAdvance`` can round a line down to fit that the drawing then cuts."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        fits = metrics.elidedText(candidate, Qt.TextElideMode.ElideRight, width) == candidate
        if fits or not current:
            current = candidate
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return [metrics.elidedText(line, Qt.TextElideMode.ElideRight, width) for line in lines] or [""]


class BookmarksList(QListView):
    """Enter opens the current bookmark (a click or double-click does too, via the pane)."""

    chosen = Signal(QModelIndex)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentIndex().isValid():
            self.chosen.emit(self.currentIndex())
        else:
            super().keyPressEvent(event)


class BookmarksPane(QDockWidget):
    """The dock: an order selector over the list (or a few words when there is nothing yet)."""

    bookmark_chosen = Signal(str)  # a record id
    order_changed = Signal(str)

    def __init__(self, model: BookmarksModel, parent: QWidget | None = None):
        super().__init__("Bookmarks", parent)
        self.setObjectName("bookmarksDock")  # saveState remembers the dock by this name
        self.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetClosable
                         | QDockWidget.DockWidgetFeature.DockWidgetMovable)
        self.model = model

        self.order = QComboBox(self)
        self.order.setAccessibleName("Order of the bookmarks")
        for key, label in ORDER_LABELS.items():
            self.order.addItem(label, key)
        self.order.setCurrentIndex(max(0, self.order.findData(model.order)))
        order_label = QLabel("&Show:", self)
        order_label.setBuddy(self.order)

        self.view = BookmarksList(self)
        self.view.setModel(model)
        self.view.setAccessibleName("Your bookmarks")
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setUniformItemSizes(False)  # a long title takes more lines
        self.view.setResizeMode(QListView.ResizeMode.Adjust)  # rewrap when the panel is resized
        self.view.setItemDelegate(BookmarkDelegate(self.view))
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setSpacing(2)

        self.empty = QLabel(EMPTY_TEXT, self)
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.empty.setMargin(8)
        self.empty.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        # A wrapped label asks for a wide dock; let the dock's own width decide instead.
        self.empty.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.empty)

        top = QHBoxLayout()
        top.addWidget(order_label)
        top.addWidget(self.order, 1)
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.stack, 1)
        self.setWidget(body)
        self.setFocusProxy(self.view)

        self.order.currentIndexChanged.connect(self._on_order)
        self.view.chosen.connect(self._choose)
        self.view.activated.connect(self._choose)
        self.view.clicked.connect(self._choose)
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved):
            signal.connect(self._show_empty)
        self._show_empty()

    def paintEvent(self, event: QPaintEvent) -> None:
        """The title in the dock's current font. QDockWidget draws it in the font the dock had
        when it was made, so after Ctrl+plus or Ctrl+minus it would stay at the old size."""
        if self.isFloating() or self.titleBarWidget() is not None:
            super().paintEvent(event)
            return
        painter = QStylePainter(self)
        option = QStyleOptionDockWidget()
        self.initStyleOption(option)
        painter.drawControl(QStyle.ControlElement.CE_DockWidgetTitle, option)

    @Slot()
    def _show_empty(self, *args) -> None:
        self.stack.setCurrentWidget(self.view if self.model.rowCount() else self.empty)

    @Slot(int)
    def _on_order(self, row: int) -> None:
        self.order_changed.emit(self.order.itemData(row))

    @Slot(QModelIndex)
    def _choose(self, index: QModelIndex) -> None:
        bookmark = self.model.bookmark(index.row()) if index.isValid() else None
        if bookmark is not None:
            self.bookmark_chosen.emit(bookmark.record_id)

    def select(self, record_id: str | None) -> None:
        """Make ``record_id``'s row current (quietly: nothing is opened), or none."""
        row = self.model.row_of(record_id) if record_id else -1
        self.view.blockSignals(True)
        try:
            if row >= 0:
                self.view.setCurrentIndex(self.model.index(row, 0))
            else:
                self.view.clearSelection()
        finally:
            self.view.blockSignals(False)

    def focus_list(self) -> None:
        self.show()
        self.raise_()
        self.view.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if not self.view.currentIndex().isValid() and self.model.rowCount():
            self.view.setCurrentIndex(self.model.index(0, 0))
