"""The compare window: 2 to 4 studies side by side in a real table (issue 18).

A tired reader collects studies one at a time with "Add to comparison" (Ctrl+Shift+C, or the
context menu of the tree, the search results and the Bookmarks panel) from wherever they are
reading, rather than Ctrl-clicking several rows of a tree whose single click already opens a
page. The window opens as soon as a study is added and says how many more it needs.

Rows where the studies differ say so in their header ("≠ differs") and are tinted from the
theme's own palette; the table wraps its cells and lets rows grow, so it reads at 200% text.
Escape closes, arrow keys move from cell to cell, Ctrl+C copies the chosen cells as text.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QPoint, Qt, Signal, Slot
from PySide6.QtGui import QAction, QColor, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QStyledItemDelegate,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.data.compare import MAX_STUDIES, MIN_STUDIES, CompareError, compare
from desktop.data.library import UnknownRecord
from desktop.models.compare_model import DIFFERS_MARK, DIFFERS_ROLE, CompareModel

ADD_SHORTCUT = "Ctrl+Shift+C"
TITLE = "Compare studies"


def tint(palette: QPalette) -> QColor:
    """A light wash of the theme's highlight over its base colour: visible, never glaring."""
    one, other = palette.color(QPalette.ColorRole.Highlight), palette.color(QPalette.ColorRole.Base)
    return QColor(*[round(a * 0.18 + b * 0.82) for a, b in zip(one.getRgb()[:3], other.getRgb()[:3])])


class DiffersDelegate(QStyledItemDelegate):
    """Tints the cells of a row where the studies differ (the row header says it in words)."""

    def initStyleOption(self, option, index: QModelIndex) -> None:
        super().initStyleOption(option, index)
        if index.data(DIFFERS_ROLE):
            option.backgroundBrush = tint(option.palette)


class CompareTable(QTableView):
    """Ctrl+C copies the chosen cells as tab-separated text (rows on lines)."""

    def keyPressEvent(self, event) -> None:
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copy()
            return
        super().keyPressEvent(event)

    def copy(self) -> None:
        indexes = sorted(self.selectedIndexes() or [self.currentIndex()],
                         key=lambda i: (i.row(), i.column()))
        indexes = [i for i in indexes if i.isValid()]
        if not indexes:
            return
        lines: dict[int, list[str]] = {}
        for index in indexes:
            lines.setdefault(index.row(), []).append(" ".join(str(index.data()).split()))
        QApplication.clipboard().setText("\n".join("\t".join(cells) for cells in lines.values()))


class CompareView(QDialog):
    """The table, a line saying what to do next, and buttons to remove a study or start over."""

    record_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self.setModal(False)
        self.records: list = []
        self.model = CompareModel(self)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        self.intro.setTextFormat(Qt.TextFormat.PlainText)
        self.table = CompareTable(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Studies compared side by side")
        self.table.setAccessibleDescription("Each column is a study, each row a fact. Rows marked "
                                            f"“{DIFFERS_MARK}” differ between the studies.")
        self.table.setItemDelegate(DiffersDelegate(self.table))
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table for the buttons
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft
                                                          | Qt.AlignmentFlag.AlignVCenter)
        self.table.verticalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft
                                                        | Qt.AlignmentFlag.AlignTop)
        self.table.horizontalHeader().setHighlightSections(False)  # bold would cut titles off
        self.table.horizontalHeader().sectionResized.connect(self._fit_rows)
        self.remove_button = QPushButton("&Remove this study", self)
        self.remove_button.setToolTip("Take the study in the chosen column out of the comparison")
        self.clear_button = QPushButton("&Start over", self)
        self.open_button = QPushButton("&Open this study", self)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        for button in (self.open_button, self.remove_button, self.clear_button):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.close)
        self.remove_button.clicked.connect(self.remove_current)
        self.clear_button.clicked.connect(self.clear)
        self.open_button.clicked.connect(self._open_current)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(1000, 640)
        self._refresh()

    # ---- the studies -----------------------------------------------------------------------

    def ids(self) -> list[str]:
        return [r.id for r in self.records]

    def add(self, record) -> str:
        """Add a study; the line to show the user (what happened, or why not)."""
        if record.kind != "study":
            return f"Only studies can be compared; “{record.title}” is a {record.kind}."
        if record.id in self.ids():
            return f"“{record.display_title()}” is already in the comparison."
        if len(self.records) >= MAX_STUDIES:
            return (f"The comparison holds {MAX_STUDIES} studies at most: remove one first "
                    "(Remove this study).")
        self.records.append(record)
        self._refresh()
        return f"Added “{record.display_title()}” to the comparison ({len(self.records)} of {MAX_STUDIES})."

    @Slot()
    def remove_current(self) -> None:
        """Remove the study in the current column (the last one when no cell is chosen)."""
        index = self.table.currentIndex()
        column = index.column() if index.isValid() else len(self.records) - 1
        if 0 <= column < len(self.records):
            del self.records[column]
        self.table.setCurrentIndex(QModelIndex())
        self._refresh()

    @Slot()
    def clear(self) -> None:
        self.records.clear()
        self._refresh()

    def _open_current(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self.record_requested.emit(self.model.study_id(index.column()))

    def _refresh(self) -> None:
        try:
            comparison = compare(self.records) if len(self.records) >= MIN_STUDIES else None
        except CompareError:
            comparison = None
        self.model.set_comparison(comparison)
        count = len(self.records)
        if count == 0:
            self.intro.setText("No studies chosen yet. Open a study and press "
                               f"{ADD_SHORTCUT} (Add to comparison); add {MIN_STUDIES} to "
                               f"{MAX_STUDIES}.")
        elif count == 1:
            self.intro.setText(f"1 study chosen: “{self.records[0].display_title()}”. Open another study "
                               f"and press {ADD_SHORTCUT} to compare them.")
        else:
            differs = sum(row.differs for row in comparison.rows) if comparison else 0
            self.intro.setText(f"{count} studies side by side, one fact a row. {differs} of "
                               f"{len(comparison.rows) if comparison else 0} rows differ: they "
                               f"are marked “{DIFFERS_MARK}”. Ctrl+C copies the chosen cells.")
        has_columns = comparison is not None
        self.table.setVisible(has_columns)  # no empty grid: the line above says what to do
        self.remove_button.setEnabled(count > 0)
        self.clear_button.setEnabled(count > 0)
        self.open_button.setEnabled(has_columns)
        if has_columns and not self.table.currentIndex().isValid():
            self.table.setCurrentIndex(self.model.index(0, 0))
        self._fit_rows()

    # ---- text size -------------------------------------------------------------------------

    def _fit_rows(self, *args) -> None:
        """Rows as tall as their wrapped text (after a resize or a change of text size)."""
        self.table.resizeRowsToContents()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.PaletteChange,
                            QEvent.Type.StyleChange):
            self._fit_rows()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self._fit_rows()




class CompareController:
    """The window's side: the actions, the context-menu entries and the view (built on first
    use, never at start-up)."""

    def __init__(self, window):
        self.window = window
        self.view: CompareView | None = None
        self.add_action = QAction("Add to comparison", window)
        self.add_action.setShortcut(QKeySequence(ADD_SHORTCUT))
        self.add_action.setStatusTip("Add the study you are reading to the side-by-side comparison")
        self.add_action.triggered.connect(self.add_current)
        self.show_action = QAction("Compare studies side by side", window)
        self.show_action.triggered.connect(self.show)
        window.addAction(self.add_action)

    def compare_view(self) -> CompareView:
        if self.view is None:
            self.view = CompareView(self.window)
            self.view.setWindowFlag(Qt.WindowType.Window)
            self.view.record_requested.connect(self.window.open_record)
        return self.view

    def show(self) -> None:
        view = self.compare_view()
        view.show()
        view.raise_()
        view.activateWindow()
        view.table.setFocus()

    def current_id(self) -> str | None:
        """The record of the focused list's current row, else the one open in the pane."""
        w = self.window
        focus = QApplication.focusWidget()
        if focus is w.results and w.results.currentIndex().isValid():
            hit = w.results_model.hit(w.results.currentIndex().row())
            return hit.id if hit else None
        pane = getattr(w.bookmarking, "pane", None)
        if pane is not None and focus is pane.view and pane.view.currentIndex().isValid():
            mark = w.bookmarking.model.bookmark(pane.view.currentIndex().row())
            return mark.record_id if mark else None
        if focus is w.tree.view and w.tree.view.currentIndex().isValid():
            node = w.tree.model.node(w.tree.view.currentIndex())
            return node.record_id if node else None
        return w.detail.record.id if w.detail.record is not None else None

    @Slot()
    def add_current(self) -> None:
        self.add(self.current_id())

    def add(self, record_id: str | None) -> None:
        if not record_id or self.window.library is None:
            self.window.show_message("Open a study first, then add it to the comparison.")
            return
        try:
            record = self.window.library.record(record_id)
        except UnknownRecord:
            self.window.show_message(f"No record has the id “{record_id}”.")
            return
        view = self.compare_view()
        message = view.add(record)
        self.window.show_message(message)
        view.intro.setAccessibleDescription(message)
        self.show()

    # ---- context menus ---------------------------------------------------------------------

    def menu_entries(self, menu: QMenu, record_id: str | None) -> None:
        """Add "Add to comparison" (for the row ``record_id``) and, with 2 or more studies
        chosen, "Compare studies side by side" to a context menu."""
        if record_id and self.window.library is not None and \
                self.window.library.kind_of(record_id) == "study":
            add = menu.addAction(self.add_action.text())
            add.setShortcut(self.add_action.shortcut())
            add.triggered.connect(lambda: self.add(record_id))
        if self.view is not None and len(self.view.records) >= MIN_STUDIES:
            menu.addAction(self.show_action)

    def list_menu(self, view: QAbstractItemView, record_of) -> None:
        """Give a list with no context menu of its own one with the compare entries."""
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

        def open_menu(pos: QPoint) -> None:
            index = view.indexAt(pos)
            if not index.isValid():
                index = view.currentIndex()
                pos = view.visualRect(index).center()
            menu = QMenu(view)
            self.menu_entries(menu, record_of(index) if index.isValid() else None)
            if menu.actions():
                menu.exec(view.viewport().mapToGlobal(pos))
            menu.deleteLater()

        view.customContextMenuRequested.connect(open_menu)


def install(window) -> CompareController:
    """Wire Compare into ``window``: the View menu entries, the shortcut and the context menus of
    the tree (appended to the bookmark entries), the search results and the Bookmarks panel."""
    controller = CompareController(window)
    view_menu = next(a.menu() for a in window.menuBar().actions()
                     if a.menu() is not None and a.menu().title() == "&View")
    view_menu.addSeparator()
    view_menu.addAction(controller.add_action)
    view_menu.addAction(controller.show_action)

    def hit_id(index: QModelIndex) -> str | None:
        hit = window.results_model.hit(index.row())
        return hit.id if hit else None

    controller.list_menu(window.results, hit_id)
    pane = getattr(window.bookmarking, "pane", None)
    if pane is not None:
        def bookmark_id(index: QModelIndex) -> str | None:
            mark = window.bookmarking.model.bookmark(index.row())
            return mark.record_id if mark else None

        controller.list_menu(pane.view, bookmark_id)
    tree_menu = window.bookmarking.tree_menu  # the tree's menu (Open, Bookmark) gains our entries

    def tree_menu_with_compare(pos: QPoint) -> QMenu | None:
        menu = tree_menu(pos)
        view = window.tree.view
        index = view.indexAt(pos) if view.indexAt(pos).isValid() else view.currentIndex()
        node = window.tree.model.node(index)
        if menu is None:
            menu = QMenu(view)
        else:
            menu.addSeparator()
        controller.menu_entries(menu, node.record_id if node else None)
        if not [a for a in menu.actions() if not a.isSeparator()]:
            menu.deleteLater()
            return None
        return menu

    window.bookmarking.tree_menu = tree_menu_with_compare
    return controller
