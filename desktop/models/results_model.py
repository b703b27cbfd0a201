"""Search hits as a flat list model: ``set_results`` takes plain hits, ``data()`` reads memory."""

from __future__ import annotations

from typing import Any, Sequence

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from desktop.data.records import SearchHit
from desktop.models.roles import Role

Index = QModelIndex | QPersistentModelIndex

KIND_LABELS = {
    "study": "trial or study",
    "mechanism": "mechanism",
    "treatment": "treatment",
    "person": "person",
    "institution": "institution",
    "term": "glossary term",
    "source": "source",
    "bookmark": "your bookmark",  # a bookmark whose title, note or tags match (see prepend_hits)
}


class ResultsModel(QAbstractListModel):
    """One row per hit, best first."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._hits: list[SearchHit] = []
        self._marks = ("", "")

    def set_results(self, hits: Sequence[SearchHit], marks: tuple[str, str] = ("", "")) -> None:
        """Show ``hits``; ``marks`` are the snippet's match markers, dropped from the tooltip."""
        self.beginResetModel()
        self._hits = list(hits)
        self._marks = marks
        self.endResetModel()

    # ---- bookmarks issue: extra rows above the hits (your matching bookmarks) --------------

    def prepend_hits(self, hits: Sequence[SearchHit]) -> None:
        """List ``hits`` above the current ones until the next ``set_results`` (the window adds
        your matching bookmarks this way, as hits of kind "bookmark")."""
        if hits:
            self.beginInsertRows(QModelIndex(), 0, len(hits) - 1)
            self._hits[0:0] = hits
            self.endInsertRows()

    # ------------------------------------------------------------------------------------------

    def hit(self, row: int) -> SearchHit | None:
        return self._hits[row] if 0 <= row < len(self._hits) else None

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._hits)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._hits):
            return None
        hit = self._hits[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{hit.title} — {KIND_LABELS.get(hit.kind, hit.kind)}"
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.StatusTipRole):
            return self.plain_snippet(hit) or hit.title
        if role == Role.RecordId:
            return hit.id
        if role == Role.Kind:
            return hit.kind
        if role == Role.Snippet:
            return hit.snippet
        if role == Role.Score:
            return hit.score
        return None

    def plain_snippet(self, hit: SearchHit) -> str:
        text = hit.snippet
        for mark in self._marks:
            if mark:
                text = text.replace(mark, "")
        return " ".join(text.split())
