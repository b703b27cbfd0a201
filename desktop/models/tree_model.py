"""The grouping tree (mechanism → sub-mechanism → treatment → study, or another grouping).

A thin QAbstractItemModel over plain items (calibre's TagTreeItem/TagsModel): each item holds a
:class:`~desktop.data.records.TreeNode` and the children loaded so far. Children come from the
data layer page by page in ``fetchMore``, so a node with 100,000 trials costs one page until the
user scrolls; ``data()`` only reads memory.
"""

from __future__ import annotations

from typing import Any, Iterable, Iterator, Protocol

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt, Slot
from PySide6.QtGui import QFont, QGuiApplication, QIcon, QPalette

from desktop.data.records import TreeNode
from desktop.data.vocabulary import (CROSSCHECK_LEGEND, CROSSCHECK_MARK, CROSSCHECK_NOTE,  # noqa: F401
                                    CROSSCHECK_SPOKEN, trials_and_studies)
from desktop.models.plain_tooltip import plain_tooltip
from desktop.models.roles import Role

PAGE_SIZE = 200
Index = QModelIndex | QPersistentModelIndex


class TreeSource(Protocol):
    """What the model needs from the data layer (``Library`` has it)."""

    def tree_children(self, grouping: str, parent: TreeNode | None, offset: int = 0,
                      limit: int = -1) -> list[TreeNode]: ...


class _Item:
    """One loaded node; ``complete`` once every child has been fetched."""

    __slots__ = ("node", "parent", "row", "children", "complete")

    def __init__(self, node: TreeNode | None, parent: _Item | None, row: int):
        self.node, self.parent, self.row = node, parent, row
        self.children: list[_Item] = []
        self.complete = node is not None and not node.has_children


class TreeModel(QAbstractItemModel):
    """One column: each node's title, with the number of trials and studies beneath it."""

    def __init__(self, source: TreeSource | None, grouping: str = "mechanism",
                 header: str = "", page_size: int = PAGE_SIZE, parent=None,
                 bookmarked: Iterable[str] = ()):
        super().__init__(parent)
        self._source = source
        self._bookmarked = frozenset(bookmarked)  # record ids shown with a star
        self._star: QIcon | None = None
        self._same_as_current = ""  # the open study: each of its rows is shown in bold
        self._grouping = grouping
        self._header = header
        self._page_size = page_size
        self._root = _Item(None, None, -1)
        self._load_roots()

    # ---- the data layer is asked only here and in fetchMore --------------------------------

    @property
    def grouping(self) -> str:
        return self._grouping

    def set_grouping(self, grouping: str, header: str = "") -> None:
        """Show another grouping of the same records; everything loaded is dropped."""
        self.beginResetModel()
        self._grouping, self._header = grouping, header
        self._root = _Item(None, None, -1)
        self._load_roots()
        self.endResetModel()

    def _load_roots(self) -> None:
        if self._source is None:
            self._root.complete = True
            return
        self._root.children = self._load(self._root)

    def _load(self, item: _Item) -> list[_Item]:
        """The next page of ``item``'s children, as items (not yet inserted)."""
        offset = len(item.children)
        nodes = self._source.tree_children(self._grouping, item.node, offset, self._page_size)
        if len(nodes) < self._page_size:
            item.complete = True
        return [_Item(node, item, offset + i) for i, node in enumerate(nodes)]

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:
        item = self._item(parent)
        return self._source is not None and not item.complete

    def fetchMore(self, parent: Index = QModelIndex()) -> None:
        item = self._item(parent)
        if self._source is None or item.complete:
            return
        new = self._load(item)
        if not new:
            # The page came back empty: the node had no (more) children after all.
            if not item.children and item is not self._root:
                self.dataChanged.emit(parent, parent)
            return
        first = len(item.children)
        self.beginInsertRows(parent, first, first + len(new) - 1)  # the last row is inclusive
        item.children.extend(new)
        self.endInsertRows()

    # ---- structure -------------------------------------------------------------------------

    def _item(self, index: Index) -> _Item:
        if index.isValid():
            return index.internalPointer()
        return self._root

    def index(self, row: int, column: int = 0, parent: Index = QModelIndex()) -> QModelIndex:
        item = self._item(parent)
        if column != 0 or not 0 <= row < len(item.children):
            return QModelIndex()
        return self.createIndex(row, column, item.children[row])

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        up = index.internalPointer().parent
        if up is None or up is self._root:
            return QModelIndex()
        return self.createIndex(up.row, 0, up)

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        if parent.column() > 0:
            return 0
        return len(self._item(parent).children)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 1

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:
        if parent.column() > 0:
            return False
        item = self._item(parent)
        return bool(item.children) or not item.complete

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (section == 0 and orientation == Qt.Orientation.Horizontal
                and role == Qt.ItemDataRole.DisplayRole):
            return self._header
        return None

    # ---- data: memory only ------------------------------------------------------------------

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node: TreeNode = index.internalPointer().node
        starred = node.record_id is not None and node.record_id in self._bookmarked
        if role == Qt.ItemDataRole.DisplayRole:
            return study_title(node) if node.kind == "study" else f"{node.title} ({node.count})"
        if role == Qt.ItemDataRole.DecorationRole:
            return self._star if starred else None
        if role == Qt.ItemDataRole.FontRole and node.record_id and node.kind == "study" \
                and node.record_id == self._same_as_current:
            font = QFont(QGuiApplication.font())
            font.setBold(True)  # the same study, wherever else it is listed
            return font
        if role == Qt.ItemDataRole.ForegroundRole and is_empty(node):
            return QGuiApplication.palette().color(QPalette.ColorRole.PlaceholderText)
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tooltip(tooltip(node) + ("\nBookmarked" if starred else ""))
        if role == Qt.ItemDataRole.AccessibleTextRole:
            text = (f"{node.title}{CROSSCHECK_SPOKEN if node.crosschecked else ''}"
                    if node.kind == "study" else f"{node.title}, {count_text(node.count)}"
                    + (", empty" if is_empty(node) else ""))
            return f"{text}, bookmarked" if starred else text
        if role == Role.RecordId:
            return node.record_id or ""
        if role == Role.Kind:
            return node.kind
        if role == Role.Count:
            return node.count
        if role == Role.Key:
            return node.key
        if role == Role.Title:
            return node.title
        if role == Role.Detail:
            return node.detail
        return None

    def node(self, index: Index) -> TreeNode | None:
        """The plain node behind ``index`` (None for the invisible root); for Python callers."""
        return index.internalPointer().node if index.isValid() else None

    def set_current_record(self, record_id: str) -> None:
        """Show every row of this study in bold: a study listed under several groups is then
        recognisably the same one ("" for none)."""
        changed = {self._same_as_current, record_id} - {""}
        self._same_as_current = record_id
        for item in self._loaded(self._root):
            if item.node.record_id in changed:
                index = self.createIndex(item.row, 0, item)
                self.dataChanged.emit(index, index, [Qt.ItemDataRole.FontRole])

    # ---- bookmark stars (the bookmarks issue) -------------------------------------------------

    def is_bookmarked(self, index: Index) -> bool:
        node = self.node(index)
        return node is not None and node.record_id in self._bookmarked

    def set_bookmarked(self, record_ids: Iterable[str]) -> None:
        """Star the rows of these record ids (and only these); rows already loaded whose star
        comes or goes get ``dataChanged``."""
        new = frozenset(record_ids)
        changed = new ^ self._bookmarked
        self._bookmarked = new
        if changed:
            self._star_rows_changed(changed)

    def set_star_icon(self, icon: QIcon | None) -> None:
        """The icon a bookmarked row shows (made by the window from its palette)."""
        self._star = icon
        if self._bookmarked:
            self._star_rows_changed(self._bookmarked)

    def _star_rows_changed(self, record_ids: frozenset[str]) -> None:
        roles = [Qt.ItemDataRole.DecorationRole, Qt.ItemDataRole.ToolTipRole,
                 Qt.ItemDataRole.AccessibleTextRole]
        for item in self._loaded(self._root):
            if item.node.record_id in record_ids:
                index = self.createIndex(item.row, 0, item)
                self.dataChanged.emit(index, index, roles)

    def _loaded(self, item: _Item) -> Iterator[_Item]:
        for child in item.children:
            yield child
            yield from self._loaded(child)

    # ---- finding a node -------------------------------------------------------------------

    def index_for_path(self, keys: list[str]) -> QModelIndex:
        """The node at the end of ``keys`` (see desktop.models.tree_paths), fetching pages as
        needed on the way down; an invalid index when the path does not exist."""
        parent = QModelIndex()
        for key in keys:
            found = self._child_with_key(parent, key)
            if not found.isValid():
                return QModelIndex()
            parent = found
        return parent

    def _child_with_key(self, parent: QModelIndex, key: str) -> QModelIndex:
        item = self._item(parent)
        checked = 0
        while True:
            for row in range(checked, len(item.children)):
                if item.children[row].node.key == key:
                    return self.index(row, 0, parent)
            checked = len(item.children)
            if not self.canFetchMore(parent):
                return QModelIndex()
            self.fetchMore(parent)
            if len(item.children) == checked:
                return QModelIndex()

    def set_source(self, source: TreeSource | None) -> None:
        """Read from another data layer (e.g. once the first build is done); starts again."""
        self._source = source
        self.reload()

    @Slot()
    def reload(self) -> None:
        """Drop everything loaded and start again from the top (e.g. after a rebuild)."""
        self.set_grouping(self._grouping, self._header)


count_text = trials_and_studies

def is_empty(node: TreeNode) -> bool:
    """A group with nothing beneath it (shown dimmed, and said so)."""
    return node.kind != "study" and node.count == 0


def study_title(node: TreeNode) -> str:
    """A study's row text: its title, and the cross-check mark when it has one."""
    return CROSSCHECK_MARK + node.title if node.crosschecked else node.title


def tooltip(node: TreeNode, full_title: str = "", places: int = 1) -> str:
    """A row's tooltip; ``full_title``, when given, replaces a study's (short) title;
    ``places``: how many rows of this tree list the same study."""
    if node.kind == "study":
        title = full_title or node.title
        text = f"{title}\n{node.detail}" if node.detail else title
        if places > 1:
            text += f"\nListed in {places} places in this list: the same study each time."
        return f"{text}\n{CROSSCHECK_NOTE}" if node.crosschecked else text
    return f"{node.title}\n{count_text(node.count)} under this"
