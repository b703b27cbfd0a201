"""Choose a mechanism to file an imported study under: type to narrow the list, Enter to choose."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QSortFilterProxyModel, QStringListModel, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QLabel, QLineEdit, QListView,
                               QVBoxLayout, QWidget)


class FileUnderDialog(QDialog):
    """Mechanisms listed by name; typing filters them; Up/Down move in the list from the box."""

    def __init__(self, study_title: str, mechanisms: Sequence[tuple[str, str]],
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("File under a mechanism")
        self._ids = {name: mid for mid, name in mechanisms}
        label = QLabel(f"File “{study_title}” under which mechanism? Type to narrow the list.", self)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Type part of a mechanism's name")
        self.filter.setAccessibleName("Filter mechanisms")
        self.names = QStringListModel(sorted(self._ids, key=str.casefold), self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.names)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.list = QListView(self)
        self.list.setModel(self.proxy)
        self.list.setAccessibleName("Mechanisms")
        self.list.setEditTriggers(QListView.EditTrigger.NoEditTriggers)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("File here")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        layout = QVBoxLayout(self)
        for widget in (label, self.filter, self.list, buttons):
            layout.addWidget(widget)
        self.filter.textChanged.connect(self._on_filter)
        self.list.doubleClicked.connect(self.accept)
        self.filter.installEventFilter(self)
        self._on_filter("")
        self.filter.setFocus()

    def _on_filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        if self.proxy.rowCount():
            self.list.setCurrentIndex(self.proxy.index(0, 0))
        self.ok_button.setEnabled(self.proxy.rowCount() > 0)

    def eventFilter(self, watched, event) -> bool:
        """Up and Down in the filter box move through the list, so the hands stay on the keys."""
        if watched is self.filter and isinstance(event, QKeyEvent) and event.type() == event.Type.KeyPress \
                and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            row = self.list.currentIndex().row() + (1 if event.key() == Qt.Key.Key_Down else -1)
            if 0 <= row < self.proxy.rowCount():
                self.list.setCurrentIndex(self.proxy.index(row, 0))
            return True
        return super().eventFilter(watched, event)

    def chosen(self) -> str | None:
        """The id of the mechanism chosen, or None."""
        index = self.list.currentIndex()
        return self._ids.get(index.data()) if index.isValid() else None
