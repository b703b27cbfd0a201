"""A comparison (desktop.data.compare) as a table model: studies are columns, key facts rows.

The column headers are the studies' short titles; the row headers are the facts, and a row where
the studies differ says so in its header in words and with a symbol (never by colour alone).
"""

from __future__ import annotations

import textwrap
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from desktop.data.compare import Comparison
from desktop.models.plain_tooltip import plain_tooltip

Index = QModelIndex | QPersistentModelIndex
# bool: the studies differ on this row (for every cell and the row header). Kept here, not in
# roles.py, because only the compare model and view use it.
DIFFERS_ROLE = Qt.ItemDataRole.UserRole + 40
DIFFERS_MARK = "≠ differs"
SAME_MARK = "= same"
# Header text does not wrap by itself: titles and labels are broken into short lines, so a
# header stays narrow (and whole, never cut off) at 200% text.
TITLE_WIDTH, LABEL_WIDTH = 22, 24


def wrapped(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width)) or text


class CompareModel(QAbstractTableModel):
    """Read-only; :meth:`set_comparison` swaps in another comparison (or none)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.comparison: Comparison | None = None

    def set_comparison(self, comparison: Comparison | None) -> None:
        self.beginResetModel()
        self.comparison = comparison
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        if parent.isValid() or self.comparison is None:
            return 0
        return len(self.comparison.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        if parent.isValid() or self.comparison is None:
            return 0
        return len(self.comparison.ids)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self.comparison is None:
            return None
        row = self.comparison.rows[index.row()]
        value = row.values[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            return value
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{self.comparison.titles[index.column()]}, {row.label}: {value}"
        if role == Qt.ItemDataRole.AccessibleDescriptionRole:
            return "the studies differ here" if row.differs else "the same for every study"
        if role == DIFFERS_ROLE:
            return row.differs
        if role == Qt.ItemDataRole.TextAlignmentRole:  # side by side, read from the top
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if self.comparison is None:
            return None
        if orientation == Qt.Orientation.Horizontal:
            if not 0 <= section < len(self.comparison.ids):
                return None
            if role == Qt.ItemDataRole.DisplayRole:
                return wrapped(self.comparison.titles[section], TITLE_WIDTH)
            if role == Qt.ItemDataRole.AccessibleTextRole:
                return self.comparison.titles[section]
            if role == Qt.ItemDataRole.ToolTipRole:
                return plain_tooltip(f"{self.comparison.titles[section]} "
                                     f"({self.comparison.ids[section]})")
            return None
        if not 0 <= section < len(self.comparison.rows):
            return None
        row = self.comparison.rows[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{wrapped(row.label, LABEL_WIDTH)}\n{DIFFERS_MARK if row.differs else SAME_MARK}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{row.label}, {'differs' if row.differs else 'the same'}"
        if role == DIFFERS_ROLE:
            return row.differs
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def study_id(self, column: int) -> str:
        return self.comparison.ids[column] if self.comparison else ""
