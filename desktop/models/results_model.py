"""Search hits as a flat list model: ``set_results`` takes plain hits, ``data()`` reads memory.

Rows are the reference hits, best first, then the "did you mean" suggestions (rows of kind
:data:`SUGGESTION` whose id is the query to search for); the bookmarks hook may list your own
matching bookmarks above them (:meth:`ResultsModel.prepend_hits`).
"""

from __future__ import annotations

from typing import Any, Sequence

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from desktop.data.records import SearchHit
from desktop.data.vocabulary import CROSSCHECK_NOTE, CROSSCHECK_SPOKEN, KIND_WORDS
from desktop.data.vocabulary import SHORT_KIND_LABELS as SHORT_KINDS
from desktop.models.plain_tooltip import plain_tooltip
from desktop.models.roles import Role

Index = QModelIndex | QPersistentModelIndex

KIND_LABELS = KIND_WORDS  # how a row names its kind to a screen reader ("trial or study")
SUGGESTION = "suggestion"  # a row offering another query ("Did you mean …?"); its id is the query
SHORT_KIND_LABELS = {**SHORT_KINDS, SUGGESTION: "Search"}  # the small label at the start of a row


def suggestion_text(query: str) -> str:
    return f"Did you mean “{query}”?"


class ResultsModel(QAbstractListModel):
    """One row per hit, best first."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._hits: list[SearchHit] = []
        self._marks = ("", "")
        self._crosschecked: frozenset[str] = frozenset()

    def set_results(self, hits: Sequence[SearchHit], marks: tuple[str, str] = ("", ""),
                    suggestions: Sequence[str] = (), crosschecked: frozenset[str] = frozenset()) -> None:
        """Show ``hits``, then a row per suggested query.

        :param marks: the snippet's match markers (start, end), dropped from the tooltip.
        :param crosschecked: ids of studies with cross-check notes, marked in their rows.
        """
        self.beginResetModel()
        self._hits = [*hits, *(SearchHit(q, SUGGESTION, suggestion_text(q), "", 0.0)
                               for q in suggestions)]
        self._marks = marks
        self._crosschecked = frozenset(crosschecked)
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

    def suggestion(self, row: int) -> str | None:
        """The query a "did you mean" row offers, None for other rows."""
        hit = self.hit(row)
        return hit.id if hit is not None and hit.kind == SUGGESTION else None

    def record_count(self) -> int:
        """Rows that open a record (hits and bookmarks), not suggestions."""
        return sum(1 for hit in self._hits if hit.kind != SUGGESTION)

    def is_crosschecked(self, row: int) -> bool:
        hit = self.hit(row)
        return hit is not None and hit.kind != SUGGESTION and hit.id in self._crosschecked

    @property
    def marks(self) -> tuple[str, str]:
        return self._marks

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._hits)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._hits):
            return None
        hit = self._hits[index.row()]
        if hit.kind == SUGGESTION:
            if role == Qt.ItemDataRole.DisplayRole:
                return hit.title
            if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.StatusTipRole):
                return plain_tooltip(f"Search for “{hit.id}” instead")
        crosschecked = hit.id in self._crosschecked
        if role == Qt.ItemDataRole.DisplayRole:
            spoken = CROSSCHECK_SPOKEN if crosschecked else ""
            return f"{hit.title} — {KIND_LABELS.get(hit.kind, hit.kind)}{spoken}"
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.StatusTipRole):
            snippet = self.plain_snippet(hit)
            if role == Qt.ItemDataRole.ToolTipRole:  # the whole title: the row may cut it
                text = f"{hit.title}\n{snippet}" if snippet else hit.title
            else:
                text = snippet or hit.title
            if crosschecked and role == Qt.ItemDataRole.ToolTipRole:
                text = f"{text}\n{CROSSCHECK_NOTE}"
            return plain_tooltip(text) if role == Qt.ItemDataRole.ToolTipRole else text
        if role == Role.Title:
            return hit.title
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
