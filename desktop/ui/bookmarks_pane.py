"""The Bookmarks panel: a dock listing your bookmarks, newest first, by mechanism or by title.

Enter, a double-click or a click asks for the record with ``bookmark_chosen``; a bookmark whose
record left the data is listed as "no longer in the data" with its saved title and note (the
window shows it on a page of its own). The list is a
:class:`~desktop.models.bookmarks_model.BookmarksModel`; nothing here touches the database.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QSize, Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent, QPalette
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDockWidget, QHBoxLayout, QLabel,
                               QListView, QSizePolicy, QStackedWidget, QStyledItemDelegate,
                               QStyleOptionViewItem, QVBoxLayout, QWidget)

from desktop.data.bookmark_order import OTHER_GROUPS, mechanism_group  # noqa: F401 (used by the controller)
from desktop.models.bookmarks_model import ORDER_LABELS, BookmarksModel

EMPTY_TEXT = ("No bookmarks yet.\n\nTo keep a trial or any other entry here, open it and press "
              "Ctrl+D, or the Bookmark button above it. You can add your own note to each one.")


LINE_SEPARATOR = "\u2028"  # what Qt's delegate turns a newline into


class _TwoLineDelegate(QStyledItemDelegate):
    """Draws a row's two lines (title, then details) each cut to the width with an ellipsis;
    the full text is in the tooltip."""

    TEXT_MARGIN = 8  # the style's padding either side of the text, roughly

    def initStyleOption(self, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        super().initStyleOption(option, index)
        width = option.rect.width() - self.TEXT_MARGIN
        if width > 0:
            metrics = option.fontMetrics
            lines = option.text.replace("\n", LINE_SEPARATOR).split(LINE_SEPARATOR)
            option.text = LINE_SEPARATOR.join(
                metrics.elidedText(line, Qt.TextElideMode.ElideRight, width) for line in lines)

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(1, size.height())  # as wide as the list, never wider: no sideways scrolling


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
        self.view.setUniformItemSizes(True)  # every row is two lines
        self.view.setItemDelegate(_TwoLineDelegate(self.view))
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
