"""The search field and the results list that stands in for the tree while a search is open.

Kept apart from the window so the search issue can grow it: the field debounces typing into
``query_changed``; the list shows a :class:`~desktop.models.results_model.ResultsModel` and asks
for a record with ``record_chosen``. Neither touches the database.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QListView, QWidget


DEBOUNCE_MS = 200


class SearchBar(QLineEdit):
    """Typing → ``query_changed`` (debounced); Enter → ``accepted``; Escape → ``cancelled``;
    Down → ``move_down`` (to the results)."""

    query_changed = Signal(str)
    accepted = Signal()
    cancelled = Signal()
    move_down = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setPlaceholderText("Search trials, treatments, mechanisms…  (Ctrl+F)")
        self.setAccessibleName("Search")
        self.setClearButtonEnabled(True)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._emit_query)
        self.textEdited.connect(self._on_edited)
        self.textChanged.connect(self._on_changed)

    @Slot(str)
    def _on_edited(self, text: str) -> None:
        self._timer.start()

    @Slot(str)
    def _on_changed(self, text: str) -> None:
        if not text:  # the clear button, or clear(): no need to wait
            self._timer.stop()
            self.query_changed.emit("")

    @Slot()
    def _emit_query(self) -> None:
        self.query_changed.emit(self.text().strip())

    def flush(self) -> None:
        """Send a pending query now (Enter should not wait for the debounce)."""
        if self._timer.isActive():
            self._timer.stop()
            self._emit_query()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.flush()
            self.accepted.emit()
        elif key == Qt.Key.Key_Escape:
            self._timer.stop()
            self.cancelled.emit()
        elif key == Qt.Key.Key_Down:
            self.flush()
            self.move_down.emit()
        else:
            super().keyPressEvent(event)


class ResultsList(QListView):
    """The hits; Enter or a click asks for the record, Escape goes back to the tree."""

    record_chosen = Signal(str)
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName("Search results")
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setUniformItemSizes(True)
        self.setWordWrap(False)
        self.activated.connect(self._choose)
        self.clicked.connect(self._choose)

    @Slot(QModelIndex)
    def _choose(self, index: QModelIndex) -> None:
        hit = self.model().hit(index.row()) if index.isValid() and self.model() is not None else None
        if hit is not None:
            self.record_chosen.emit(hit.id)

    def choose_current(self) -> bool:
        """Open the selected hit, or the first one; False when there is none."""
        index = self.currentIndex()
        if not index.isValid():
            index = self.model().index(0, 0) if self.model() is not None else QModelIndex()
        if not index.isValid():
            return False
        self._choose(index)
        return True

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.cancelled.emit()
        elif event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.choose_current()
        else:
            super().keyPressEvent(event)
