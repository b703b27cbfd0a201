"""Your bookmarks as a flat list model, for the Bookmarks panel.

``set_bookmarks`` takes plain :class:`~desktop.data.bookmarks.Bookmark` values (with which ones
are no longer in the data, and, for the "by mechanism" order, each one's mechanism);
``apply_changes`` brings in what another window or another copy of the app changed with exact
notifications (rows removed, rows changed, rows inserted, then a layout change if the order
moved). ``data()`` only reads memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Sequence

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from desktop.data.bookmark_order import sort_key
from desktop.data.bookmark_values import ORPHAN_LABEL, Bookmark
from desktop.models.results_model import KIND_LABELS
from desktop.models.plain_tooltip import plain_tooltip
from desktop.models.roles import Role

Index = QModelIndex | QPersistentModelIndex

ORDER_LABELS = {  # the panel's orders, in the order they are offered
    "newest": "Newest first",
    "mechanism": "By mechanism",
    "title": "By title",
}
NOTE_PREVIEW = 80  # characters of the note shown under the title
NO_GROUP = "Not filed under a mechanism"


@dataclass(frozen=True)
class _Row:
    bookmark: Bookmark
    orphaned: bool
    group: str


def note_preview(note: str, width: int = NOTE_PREVIEW) -> str:
    """The first line of a note with text, cut to ``width`` characters with an ellipsis."""
    for line in note.splitlines():
        line = " ".join(line.split())
        if line:
            return line if len(line) <= width else line[:width - 1].rstrip() + "…"
    return ""


class BookmarksModel(QAbstractListModel):
    """One row per bookmark: the title, then a second line with its kind (or "no longer in the
    data"), its tags and the start of its note."""

    def __init__(self, order: str = "newest", parent=None):
        super().__init__(parent)
        self._rows: list[_Row] = []
        self._order = order if order in ORDER_LABELS else "newest"
        self._changed: dict[str, tuple[str, str]] = {}  # id → (short words, full sentences)
        self._flags: dict[str, str] = {}  # record id → "Changed since you last looked: …" (issue 17)

    # ---- setting and changing -------------------------------------------------------------

    @property
    def order(self) -> str:
        return self._order

    def set_bookmarks(self, bookmarks: Iterable[Bookmark], orphaned: Iterable[str] = (),
                      groups: Mapping[str, str] | None = None) -> None:
        """Show ``bookmarks``; ids in ``orphaned`` are no longer in the data; ``groups`` maps an id
        to its mechanism (for the "mechanism" order)."""
        orphaned, groups = set(orphaned), groups or {}
        self.beginResetModel()
        self._rows = sorted((_Row(b, b.record_id in orphaned, groups.get(b.record_id, ""))
                             for b in bookmarks), key=self._key)
        self.endResetModel()

    def set_changed(self, changed: Mapping[str, tuple[str, str]]) -> None:
        """What changed since the user last looked (issue 18), by id: (short words for the
        second line, full sentences for the tooltip); shown until seen."""
        if dict(changed) != self._changed:
            self._changed = dict(changed)
            if self._rows:
                self.dataChanged.emit(self.index(0), self.index(len(self._rows) - 1))
    def set_change_flags(self, flags: Mapping[str, str]) -> None:
        """Words shown on bookmarked studies whose registry changes the user has not seen yet."""
        self._flags = {k: v for k, v in flags.items() if v}
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, 0))

    def change_flag(self, record_id: str) -> str:
        return self._flags.get(record_id, "")

    def set_order(self, order: str, groups: Mapping[str, str] | None = None) -> None:
        """Sort by another of :data:`ORDER_LABELS` (``groups`` as in :meth:`set_bookmarks`)."""
        if order not in ORDER_LABELS:
            raise ValueError(f"unknown order {order!r}; choose one of {', '.join(ORDER_LABELS)}")
        self._order = order
        if groups is not None:
            self._rows = [_Row(r.bookmark, r.orphaned, groups.get(r.bookmark.record_id, r.group))
                          for r in self._rows]
        self._resort()

    def apply_changes(self, updated: Sequence[Bookmark], removed: Iterable[str],
                      orphaned: Iterable[str] = (), groups: Mapping[str, str] | None = None) -> None:
        """Bring in bookmarks added or edited elsewhere and ids removed elsewhere; ``orphaned``
        and ``groups`` describe the ``updated`` ones."""
        orphaned, groups = set(orphaned), groups or {}
        gone = set(removed) - {b.record_id for b in updated}
        for row in reversed(range(len(self._rows))):
            if self._rows[row].bookmark.record_id in gone:
                self.beginRemoveRows(QModelIndex(), row, row)
                del self._rows[row]
                self.endRemoveRows()
        positions = {r.bookmark.record_id: i for i, r in enumerate(self._rows)}
        new = []
        for bookmark in updated:
            row = _Row(bookmark, bookmark.record_id in orphaned,
                       groups.get(bookmark.record_id, ""))
            at = positions.get(bookmark.record_id)
            if at is None:
                new.append(row)
            elif self._rows[at] != row:
                self._rows[at] = row
                index = self.index(at, 0)
                self.dataChanged.emit(index, index)
        if new:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
            self._rows.extend(new)
            self.endInsertRows()
        self._resort()

    def _key(self, row: _Row) -> tuple:
        return sort_key(row.bookmark, self._order, row.group, row.orphaned)

    def _resort(self) -> None:
        """Put the rows in order, moving persistent indexes with them (a layout change)."""
        wanted = sorted(self._rows, key=self._key)
        if wanted == self._rows:
            return
        self.layoutAboutToBeChanged.emit()
        old = [r.bookmark.record_id for r in self._rows]
        self._rows = wanted
        new = {r.bookmark.record_id: i for i, r in enumerate(self._rows)}
        persistent = self.persistentIndexList()
        moved = [self.index(new[old[index.row()]], 0) if 0 <= index.row() < len(old)
                 else QModelIndex() for index in persistent]
        self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()

    # ---- reading ---------------------------------------------------------------------------

    def bookmark(self, row: int) -> Bookmark | None:
        return self._rows[row].bookmark if 0 <= row < len(self._rows) else None

    def is_orphaned(self, row: int) -> bool:
        """True when the row's record is no longer in the data (its saved title is shown)."""
        return 0 <= row < len(self._rows) and self._rows[row].orphaned

    def row_of(self, record_id: str) -> int:
        """The row of a bookmarked record, or -1."""
        return next((i for i, r in enumerate(self._rows) if r.bookmark.record_id == record_id), -1)

    def ids(self) -> list[str]:
        return [r.bookmark.record_id for r in self._rows]

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        b = row.bookmark
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{b.title}\n{self.detail(row)}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip("\n\n".join(part for part in (b.title, self.detail(row, full=True))
                                              if part))
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{b.title}, {self.detail(row, full=True, separator=', ')}"
        if role == Role.RecordId:
            return b.record_id
        if role == Role.Kind:
            return b.kind
        if role == Role.Title:
            return b.title
        if role == Role.Detail:
            return self.detail(row)
        if role == Role.Tags:
            return ", ".join(b.tags)
        if role == Role.NoteLine:
            return note_preview(b.note, width=10_000)  # the panel cuts it to its width
        if role == Role.Where:
            return self.where(row)
        return None

    def where(self, row: _Row, separator: str = " · ") -> str:
        """What a bookmark is (or that it is gone), and its group when listed by mechanism."""
        b = row.bookmark
        # One "changed" line: what changed since the user looked (seed updates and re-imports,
        # issue 18) when known, else the re-import flag alone (issue 17).
        changed = self._changed.get(b.record_id)
        flag = changed[0] if changed else self._flags.get(b.record_id, "")
        parts = ([flag] if flag else []) + [ORPHAN_LABEL if row.orphaned
                                            else KIND_LABELS.get(b.kind, b.kind).capitalize()]
        if self._order == "mechanism" and not row.orphaned:
            parts.append(row.group or NO_GROUP)
        return separator.join(parts)

    def detail(self, row: _Row, full: bool = False, separator: str = " · ") -> str:
        """The line under the title: where it is (or that it is gone), tags, the note."""
        b = row.bookmark
        parts = [self.where(row, separator)]
        if b.tags:
            parts.append("tags: " + ", ".join(b.tags))
        note = " ".join(b.note.split()) if full else note_preview(b.note)
        if note:
            parts.append(("note: " if full else "") + note)
        if full and b.record_id in self._changed:
            parts.append(self._changed[b.record_id][1])
        return separator.join(parts)
