"""The left pane: a grouping selector above the lazy tree, and following the open record.

Selecting a node (by click or arrow keys) asks for its record; opening a record elsewhere (a
link, back/forward, search) selects it here too, expanding its parents, without asking again.
The list shows a study's short title; pointing at it shows the full title (asked for then, and
remembered), so a title cut to fit the column can always be read whole.
"""

from __future__ import annotations

from typing import Callable, Sequence

from PySide6.QtCore import (QEvent, QItemSelection, QItemSelectionModel, QModelIndex, QObject,
                            QSize, Qt, Signal, Slot)
from PySide6.QtGui import QHelpEvent, QPalette
from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QHeaderView, QLabel, QToolTip, QTreeView,
                               QVBoxLayout, QWidget)

from desktop.data.groupings import REGISTRY
from desktop.data.records import Record, Ref
from desktop.models.plain_tooltip import plain_tooltip
from desktop.models.tree_model import CROSSCHECK_LEGEND, TreeModel, TreeSource, tooltip
from desktop.models.tree_paths import tree_paths

HEADERS = {name: grouping.header for name, grouping in REGISTRY.items()}
LEGEND = ("(3): the trials and studies under an entry. "
          f"{CROSSCHECK_LEGEND} Bold: the study that is open, wherever it is listed.")


class TreePanel(QWidget):
    """Grouping selector + tree. Emits ``record_selected(id)`` or ``group_selected(index)``."""

    record_selected = Signal(str)
    group_selected = Signal(QModelIndex)
    grouping_changed = Signal(str)

    def __init__(self, source: TreeSource | None, groupings: Sequence[tuple[str, str]],
                 grouping: str = "mechanism", parent: QWidget | None = None,
                 title_of: Callable[[str], str | None] | None = None):
        """:param title_of: a record's full title by id, for the tooltips (the rows show a
        study's short title)."""
        super().__init__(parent)
        self._following = False
        self._title_of = title_of
        self.places_of: Callable[[str], int] | None = None  # rows listing a study, for tooltips
        self._full_titles: dict[str, str] = {}
        self.selector = QComboBox(self)
        self.selector.setAccessibleName("Group the trials")
        self.selector.setAccessibleDescription("How the list below is arranged: by mechanism, "
                                               "condition, treatment, status, phase, person or institution")
        for key, label in groupings:
            self.selector.addItem(label, key)
        known = [key for key, _ in groupings]
        grouping = grouping if grouping in known else known[0]
        self.selector.setCurrentIndex(known.index(grouping))

        self.model = TreeModel(source, grouping, HEADERS.get(grouping, ""), parent=self)
        self.view = QTreeView(self)
        self.view.setModel(self.model)
        self.view.setAccessibleName("Trials by group")
        self.view.setAccessibleDescription("Up and Down move and show the entry; Right and Left "
                                           "open and close it. A not-equal mark before a study "
                                           "means other sources differ from the report.")
        self.view.setUniformRowHeights(True)  # keeps long lists cheap to lay out
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAnimated(False)  # calm: no motion
        # Long titles: the column is as wide as its widest row shown, and the list scrolls
        # sideways to it (the tooltip has the whole title too).
        self.view.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # Fitted to the rows on screen only: measuring every loaded row (Qt's default, up to
        # 1,000) made opening a long group cost twice its budget (tree_benchmark.py).
        self.view.header().setResizeContentsPrecision(0)
        self.view.header().setStretchLastSection(False)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.view.setExpandsOnDoubleClick(True)

        note = QLabel(LEGEND, self)  # what the numbers, the ≠ mark and bold rows mean
        note.setObjectName("treeLegend")
        note.setWordWrap(True)
        note.setForegroundRole(QPalette.ColorRole.PlaceholderText)  # muted, from the palette
        note.setAccessibleName("What the marks in the list mean")
        self.legend = note

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.selector)
        layout.addWidget(self.view, 1)
        layout.addWidget(note)

        self.view.viewport().installEventFilter(self)  # tooltips with the full title
        self.view.installEventFilter(self)  # icons sized to the text (see _fit_icons)
        self._fit_icons()
        self.model.modelReset.connect(self._full_titles.clear)
        self.selector.currentIndexChanged.connect(self._on_selector)
        # Selection, not the current index: a view that gains focus makes its first row current
        # without selecting it, and that must not replace the page the user is reading.
        self.view.selectionModel().selectionChanged.connect(self._on_selection)

    def set_source(self, source: TreeSource | None,
                   title_of: Callable[[str], str | None] | None = None) -> None:
        """List the records of another data layer (the tree starts again from the top)."""
        self._title_of = title_of
        self.model.set_source(source)  # its reset clears the remembered full titles

    def full_title(self, record_id: str) -> str:
        """The full title of a record in the list ("" when unknown)."""
        if self._title_of is None or not record_id:
            return ""
        if record_id not in self._full_titles:
            try:
                self._full_titles[record_id] = self._title_of(record_id) or ""
            except KeyError:  # gone from the data since the list was loaded
                self._full_titles[record_id] = ""
        return self._full_titles[record_id]

    def tooltip_at(self, index: QModelIndex) -> str:
        """The tooltip for a row: the full title when the row shows a shorter one."""
        node = self.model.node(index)
        if node is None:
            return ""
        places = 1
        if node.kind == "study" and node.record_id and self.places_of is not None:
            try:
                places = self.places_of(node.record_id)
            except KeyError:
                places = 1
        text = tooltip(node, self.full_title(node.record_id or "") if node.kind == "study" else "",
                       places)
        return plain_tooltip(text + ("\nBookmarked" if self.model.is_bookmarked(index) else ""))

    def _fit_icons(self) -> None:
        """Stars no taller than a line of text, so they never reach into the next row."""
        height = max(8, self.view.fontMetrics().height() - 2)
        self.view.setIconSize(QSize(height, height))

    def expand_all(self) -> None:
        """Open every group (a page of each long one), from the keyboard or the View menu."""
        pending = [QModelIndex()]
        while pending:
            parent = pending.pop()
            if self.model.canFetchMore(parent):
                self.model.fetchMore(parent)
            for row in range(self.model.rowCount(parent)):
                index = self.model.index(row, 0, parent)
                if self.model.hasChildren(index):
                    self.view.expand(index)
                    pending.append(index)

    def collapse_all(self) -> None:
        """Close every group."""
        self.view.collapseAll()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view and event.type() in (QEvent.Type.FontChange,
                                                     QEvent.Type.StyleChange):
            self._fit_icons()
        if watched is self.view.viewport() and event.type() == QEvent.Type.Resize:
            # at least as wide as the list (rows highlight across it), wider for long titles
            self.view.header().setMinimumSectionSize(self.view.viewport().width())
        if (watched is self.view.viewport() and event.type() == QEvent.Type.ToolTip
                and isinstance(event, QHelpEvent)):
            index = self.view.indexAt(event.pos())
            text = self.tooltip_at(index) if index.isValid() else ""
            if text:
                QToolTip.showText(event.globalPos(), text, self.view.viewport(),
                                  self.view.visualRect(index))
            else:
                QToolTip.hideText()
            return True
        return super().eventFilter(watched, event)

    @property
    def grouping(self) -> str:
        return self.model.grouping

    def set_grouping(self, grouping: str) -> None:
        index = self.selector.findData(grouping)
        if index >= 0:
            self.selector.setCurrentIndex(index)

    @Slot(int)
    def _on_selector(self, row: int) -> None:
        grouping = self.selector.itemData(row)
        self.model.set_grouping(grouping, HEADERS.get(grouping, ""))
        self.grouping_changed.emit(grouping)

    @Slot(QItemSelection, QItemSelection)
    def _on_selection(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if not indexes:
            return
        current = indexes[0]
        node = self.model.node(current)
        if self._following or node is None:
            return
        if node.record_id:
            self.model.set_current_record(node.record_id if node.kind == "study" else "")
            self.record_selected.emit(node.record_id)
        else:
            self.group_selected.emit(current)

    def child_refs(self, index: QModelIndex, limit: int = 50) -> list[Ref]:
        """The first children of a node, loading the first page if it was never opened."""
        if self.model.rowCount(index) == 0 and self.model.canFetchMore(index):
            self.model.fetchMore(index)
        nodes = [self.model.node(self.model.index(row, 0, index))
                 for row in range(min(limit, self.model.rowCount(index)))]
        return [Ref(n.record_id, n.kind, n.title, n.detail) for n in nodes if n and n.record_id]

    def follow(self, record: Record, record_of: Callable[[str], Record]) -> bool:
        """Select ``record`` in the tree (expanding its parents) if it is there; True if it is."""
        self.model.set_current_record(record.id if record.kind == "study" else "")
        current = self.model.node(self.view.currentIndex())
        if current is not None and current.record_id == record.id:
            return True
        for path in tree_paths(self.grouping, record, record_of):
            index = self.model.index_for_path(path)
            if index.isValid():
                self._select(index)
                return True
        self.view.selectionModel().clearSelection()
        return False

    def _select(self, index: QModelIndex) -> None:
        self._following = True
        try:
            parent = index.parent()
            while parent.isValid():
                self.view.expand(parent)
                parent = parent.parent()
            self.view.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            self.view.scrollTo(index)
            self.view.horizontalScrollBar().setValue(0)  # titles read from their start
        finally:
            self._following = False

