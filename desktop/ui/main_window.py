"""The browser window: the tree (or search results) on the left, the detail pane on the right.

It wires the parts together and keeps the history; the parts themselves know nothing of each
other. It asks the Library for records and search hits, never the database directly. Its search,
status bar and layout live in their own modules (window_search, window_status, window_layout);
what the first paint does not show (the results list, the search worker, the glossary, the
shortcuts sheet, export code) is built or imported when first used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QModelIndex, QObject, QSettings, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence, QMouseEvent
from PySide6.QtWidgets import QMainWindow, QSplitter, QStackedWidget, QStyle, QWidget

from desktop import settings
from desktop.data.library import GROUPING_LABELS, GROUPINGS, Library, UnknownRecord
from desktop.data.records import Ref
from desktop.models.tree_model import count_text
from desktop.ui.bookmarks_controller import Bookmarking
from desktop.ui import compare_view, summary_window
from desktop.ui.detail_view import DetailView
from desktop.ui import import_window, mechanism_map, window_evidence, window_imported
from desktop.data.vocabulary import KIND_LABELS
from desktop.ui.history import History
from desktop.ui.preparing import PREPARING_TEXT, PREPARING_TITLE
from desktop.ui.search_bar import SearchBar
from desktop.ui.shortcuts_sheet import ensure_mnemonics, name_tool_buttons
from desktop.ui.themes import ThemeChooser
from desktop.ui.window_layout import WindowLayout
from desktop.ui.window_search import WindowSearch
from desktop.ui.window_status import APP_TITLE, WindowStatus
from desktop.ui.zoom import Zoom
from desktop.models.tree_paths import tree_paths
from desktop.ui.tree_panel import TreePanel

if TYPE_CHECKING:
    from desktop.data.bookmarks import BookmarkStore

SETTLE_MS = 1500  # staying this long on a row passed with the arrow keys makes it a Back stop
DEFERRED_MS = 100  # after the first paint: time to mark glossary terms in the open page
WELCOME = ("This is an offline guide to research on ME/CFS and long COVID: the body systems "
           "researchers think are involved (mechanisms), the treatments aimed at them, and the "
           "trials and studies testing those treatments.\n\n"
           "Choose an entry on the left to read about it. Use the arrow keys to move through the "
           "list, and Right or Left to open or close an entry. Press Ctrl+F to search, and "
           "Alt+Left to go back.\n\n"
           "Ctrl+plus and Ctrl+minus make all text larger or smaller. View → Colours has a dim, "
           "low-stimulus theme. Words with a dotted line are explained when you point at them.\n\n"
           "Start with one of these:")


class _AfterFirstPaint(QObject):
    """Calls ``callback`` once, shortly after the watched widget first paints: work that can wait
    (DEFERRED_MS) never holds up the first picture or the first keystroke. ``cancel`` (on close)
    drops it if it has not run yet."""

    def __init__(self, callback, parent: QObject):
        super().__init__(parent)
        self._painted = False
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEFERRED_MS)
        self._timer.timeout.connect(callback)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            self._painted = True
            self._timer.start()
        return False

    def again(self) -> None:
        """Call back once more: soon if the widget has painted already, else after it does."""
        if self._painted:
            self._timer.start()

    def cancel(self) -> None:
        self._timer.stop()


class MainWindow(WindowSearch, WindowStatus, WindowLayout, QMainWindow):
    """One window over one Library, or none yet: with a message saying why, or saying that the
    data is being prepared until :meth:`set_library` hands it over."""

    search_shown = Signal(str)  # the results for this query are listed (the bookmarks add theirs)
    record_shown = Signal(str)  # a record's page is on screen (issue 17: its changes are seen)
    startup_done = Signal()  # the first paint is past: work that can wait may run now

    def __init__(self, library: Library | None, store: QSettings, problem: str | None = None,
                 parent: QWidget | None = None, bookmarks: BookmarkStore | None = None):
        super().__init__(parent)
        self.library: Library | None = None  # set_library, at the end
        self.store = store
        self.history = History()
        self.settle_timer = QTimer(self)  # see desktop.ui.history: rows passed, rows stayed on
        self.settle_timer.setSingleShot(True)
        self.settle_timer.setInterval(SETTLE_MS)
        self.settle_timer.timeout.connect(self._settle)
        self.setWindowTitle(APP_TITLE)
        # Colours and text size first, so every widget starts out in them.
        self.themes = ThemeChooser(store, self)
        self.themes.apply()
        self.zoom = Zoom(store, self)
        self.zoom.apply()

        self.search = SearchBar(self)
        self.search.set_history(settings.read(store, settings.SEARCH_HISTORY).splitlines())
        groupings = [(g, GROUPING_LABELS[g]) for g in GROUPINGS]
        self.tree = TreePanel(None, groupings, settings.read(store, settings.GROUPING), self)
        self.detail = DetailView(self)
        self.detail.set_folded(settings.read(store, settings.FOLDED_SECTIONS).split(","))
        # Marking glossary terms needs a large regular expression (~40 ms to compile): it waits
        # until the window has painted once, then the page is marked (see finish_startup).
        self._glossary_loaded = True  # nothing to load until there is a library
        self._after_first_paint = _AfterFirstPaint(self.finish_startup, self)
        self.installEventFilter(self._after_first_paint)
        # Bookmarks: the bar around the pane, the Bookmarks panel, stars, Ctrl+D, export/import.
        self.bookmarking = Bookmarking(self, None, bookmarks)
        self.left = QStackedWidget(self)
        self.left.addWidget(self.tree)  # and the search results, once there are some
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.left)
        self.splitter.addWidget(self.bookmarking.bar)  # the detail pane, inside its bookmark bar
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)

        self._build_actions()
        self._build_toolbar()
        self._build_menus()
        mechanism_map.install(self)  # issue 19: View → Map, File → Export map (built on first use)
        import_window.install(self)  # issue 17: File → Import registry download…, tree menu, flags
        self._build_status_bar()
        self._zoom_percent = self.zoom.percent  # the text size the splitter was last fitted to
        # The list's width as the user wants it at 100%: every text size is fitted from it, so
        # a width cut down to fit at 200% does not stay cut when the text is back at 100%.
        self._list_width_at_100: float | None = None
        self._connect()
        self._set_focus_order()
        if library is not None:
            self.set_library(library)
        else:
            self.show_problem(problem or "The reference data could not be loaded.")
        self.bookmarking.attach()
        self.compare = compare_view.install(self)  # issue 18: actions only; the view on first use
        self.summary = summary_window.install(self)  # issue 18: print/PDF summary, what changed
        self._restore_layout()
        for widget in (self, self.tree.view.viewport(), self.detail.viewport()):
            widget.installEventFilter(self)  # the mouse's back and forward buttons
        self.detail.installEventFilter(self)  # Escape leaves the details for the list
        self._update_actions()
        self._refresh_icons()
        ensure_mnemonics(self.menuBar())  # every menu entry reachable with Alt and a letter
        name_tool_buttons(self)

    # ---- building ------------------------------------------------------------------------

    def _build_actions(self) -> None:
        style = self.style()
        self.back_action = QAction(style.standardIcon(QStyle.StandardPixmap.SP_ArrowBack), "&Back", self)
        self.back_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Back))
        self.back_action.setToolTip("Back (Alt+Left)")
        self.forward_action = QAction(style.standardIcon(QStyle.StandardPixmap.SP_ArrowForward),
                                      "&Forward", self)
        self.forward_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Forward))
        self.forward_action.setToolTip("Forward (Alt+Right)")
        self.search_action = QAction("&Search", self)
        self.search_action.setShortcuts([QKeySequence("Ctrl+F"), QKeySequence("Ctrl+K")])
        self.tree_action = QAction("Go to the &list", self)
        self.tree_action.setShortcut(QKeySequence("Ctrl+1"))
        self.detail_action = QAction("Go to the &details", self)
        self.detail_action.setShortcut(QKeySequence("Ctrl+2"))
        self.quit_action = QAction("&Quit", self)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.welcome_action = QAction("&Welcome page", self)
        self.shortcuts_action = QAction("&Keyboard shortcuts", self)
        self.glossary_action = QAction("&Glossary", self)
        self.glossary_action.setShortcut(QKeySequence("Ctrl+G"))
        self.glossary_action.setStatusTip("Every term the pages use, with its plain meaning")
        self.expand_action = QAction("E&xpand all groups", self)
        self.expand_action.setShortcut(QKeySequence("Ctrl+E"))
        self.collapse_action = QAction("C&ollapse all groups", self)
        self.collapse_action.setShortcut(QKeySequence("Ctrl+Shift+E"))
        self.grouping_actions = QActionGroup(self)
        for grouping in GROUPINGS:
            action = QAction(GROUPING_LABELS[grouping], self.grouping_actions)
            action.setCheckable(True)
            action.setData(grouping)
            action.setChecked(grouping == self.tree.grouping)
        for action in (self.back_action, self.forward_action, self.search_action, self.tree_action,
                       self.detail_action, self.quit_action, self.glossary_action,
                       self.expand_action, self.collapse_action, *self.zoom.actions):
            self.addAction(action)  # shortcuts work even with the menu bar hidden

    def _build_toolbar(self) -> None:
        bar = self.addToolBar("Navigation")
        bar.setObjectName("navigationToolBar")
        bar.setMovable(False)
        bar.setFloatable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        bar.addAction(self.back_action)
        bar.addAction(self.forward_action)
        bar.addSeparator()
        bar.addWidget(self.search)
        bar.addSeparator()
        bar.addAction(self.zoom.zoom_out_action)
        bar.addAction(self.zoom.zoom_in_action)
        self.toolbar = bar

    def _build_menus(self) -> None:
        menus = self.menuBar()
        file_menu = menus.addMenu("&File")
        file_menu.addAction(self.bookmarking.export_action)
        file_menu.addAction(self.bookmarking.import_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        go = menus.addMenu("&Go")
        for action in (self.back_action, self.forward_action, None, self.search_action,
                       self.tree_action, self.detail_action):
            go.addSeparator() if action is None else go.addAction(action)
        go.addAction(self.bookmarking.go_action)
        go.addSeparator()
        go.addAction(self.bookmarking.toggle_action)
        go.addAction(self.bookmarking.note_action)
        view = menus.addMenu("&View")
        view.addActions(self.grouping_actions.actions())
        view.addAction(self.expand_action)
        view.addAction(self.collapse_action)
        view.addSeparator()
        view.addAction(self.bookmarking.panel_action)
        view.addAction(self.glossary_action)
        view.addSeparator()
        view.addActions(self.zoom.actions)
        colours = view.addMenu("&Colours")
        colours.addActions(self.themes.actions.actions())
        help_menu = menus.addMenu("&Help")
        help_menu.addAction(self.welcome_action)
        help_menu.addAction(self.search.help_action)  # F1: listed with the other shortcuts
        help_menu.addAction(self.shortcuts_action)

    def _connect(self) -> None:
        self.back_action.triggered.connect(self.go_back)
        self.forward_action.triggered.connect(self.go_forward)
        self.search_action.triggered.connect(self.focus_search)
        self.tree_action.triggered.connect(self.focus_tree)
        self.detail_action.triggered.connect(self.detail.setFocus)
        self.quit_action.triggered.connect(self.close)
        self.welcome_action.triggered.connect(self.show_welcome)
        self.shortcuts_action.triggered.connect(self.show_shortcuts)
        self.glossary_action.triggered.connect(self.show_glossary)
        self.expand_action.triggered.connect(self.tree.expand_all)
        self.collapse_action.triggered.connect(self.tree.collapse_all)
        self.themes.changed.connect(self._on_theme_changed)
        self.zoom.changed.connect(self._on_zoom_changed)
        self.splitter.splitterMoved.connect(self._on_splitter_moved)
        self.detail.folded_changed.connect(self._on_folded_changed)
        self.grouping_actions.triggered.connect(self._on_grouping_action)
        self.tree.record_selected.connect(self._on_tree_record)
        self.tree.group_selected.connect(self._on_tree_group)
        self.tree.grouping_changed.connect(self._on_grouping_changed)
        self.detail.record_requested.connect(self.open_record)
        window_evidence.connect(self)  # issue 19: "Show on the map" on a mechanism's page
        window_imported.connect(self)  # issue 17: filing or removing an imported study from its pane
        self.detail.link_hovered.connect(self._on_link_hovered)
        self.search.query_changed.connect(self._on_query)
        self.search.query_now.connect(self._on_query_now)
        self.search.accepted.connect(self._on_search_accepted)
        self.search.cancelled.connect(self.close_search)
        self.search.move_down.connect(self._focus_results)
        self.search.help_requested.connect(self.show_search_help)
        self.search.history_changed.connect(self._on_search_history)

    def _set_focus_order(self) -> None:
        """Tab goes tree → details → search → grouping selector."""
        QWidget.setTabOrder(self.tree.view, self.detail)
        QWidget.setTabOrder(self.detail, self.search)
        QWidget.setTabOrder(self.search, self.tree.selector)

    # ---- the library ---------------------------------------------------------------------

    def set_library(self, library: Library) -> None:
        """Read from ``library`` from now on (given to the constructor, or once the data has
        been prepared): the tree, search, bookmarks and, after the first paint, the glossary.
        Call :meth:`start` next for the first page."""
        self.library = library
        self._show_progress(False)
        self.search.setEnabled(True)
        self._stop_searching()  # the next search gets a worker over this library
        self.tree.set_source(library, title_of=lambda rid: library.record(rid).title)
        self.tree.places_of = lambda rid: len(tree_paths(self.tree.grouping, library.record(rid),
                                                         library.record))
        self.bookmarking.set_library(library)
        self._glossary_loaded = False
        self._after_first_paint.again()  # now if painted already, else after the first paint

    def show_preparing(self) -> None:
        """Say calmly that the data is being prepared (the list and search wait for it)."""
        self.search.setEnabled(False)
        self._show_progress(True)
        self.detail.show_message(PREPARING_TITLE, PREPARING_TEXT)
        self.record_label.clear()

    def show_problem(self, problem: str) -> None:
        """There is no reference data to show, and why (in plain words)."""
        self.search.setEnabled(False)
        self._show_progress(False)
        self.detail.show_message("The reference data could not be loaded", problem)
        self.record_label.clear()

    def closeEvent(self, event: QCloseEvent) -> None:
        self._after_first_paint.cancel()
        self.bookmarking.close()  # saves a note still being typed
        self._stop_searching()
        self.save_layout()
        super().closeEvent(event)

    # ---- opening records -----------------------------------------------------------------

    def start(self, open_id: str | None = None) -> None:
        """The first page: ``open_id``, else the record open last time, else the welcome page."""
        self.tree.view.setFocus()
        if self.library is None:
            return
        last = settings.read(self.store, settings.LAST_RECORD)
        record_id = open_id or last
        if record_id and window_evidence.is_study_list(record_id) and record_id == last \
                and window_evidence.show_study_list(self, record_id):  # issue 19: a list of studies
            return
        if record_id and self.library.kind_of(record_id) is not None:
            self.open_record(record_id)
            if record_id == last:  # back where the reader left off
                self.detail.set_scroll_fraction(settings.read(self.store, settings.LAST_SCROLL))
            return
        self.show_welcome()
        if open_id:
            self.open_record(open_id)  # says calmly that there is no such record

    @Slot(str)
    def open_record(self, record_id: str, add_to_history: bool = True,
                    follow_tree: bool = True, passing: bool = False) -> bool:
        """Show a record in the pane; an unknown id gets a calm message instead. True if shown.
        ``passing``: reached by moving through the tree (Back skips it unless the user stays)."""
        if not passing:
            self._settle()
        if self.library is None:
            return False
        if window_evidence.is_study_list(record_id):  # the studies behind a count (issue 19)
            return window_evidence.show_study_list(self, record_id, add_to_history)
        current = self.detail.record
        if current is not None and current.id == record_id and add_to_history:
            return True
        try:
            record = self.library.record(record_id)
        except UnknownRecord:
            if self.bookmarking.show_orphan(record_id):  # bookmarked, but gone from the data
                return False
            self.show_message(f"No record has the id “{record_id}”.")
            if self.detail.record is None:
                self.detail.show_message("Not found", f"No record has the id “{record_id}”. "
                                         "Try searching for it with Ctrl+F.")
            return False
        self.detail.show_record(record, window_evidence.evidence_of(self.library, record))
        window_evidence.back_on_mechanism(self, record)
        if add_to_history:
            self.history.visit(record_id, passing)
            if passing:
                self.settle_timer.start()
        self.setWindowTitle(f"{record.title} — {APP_TITLE}")
        self.record_label.setText(f"{KIND_LABELS.get(record.kind, record.kind)}: {record.id}")
        if follow_tree:
            self.tree.follow(record, self.library.record)
        self._update_actions()
        self.record_shown.emit(record_id)
        return True

    @Slot()
    def _settle(self) -> None:
        """The user stayed on the record shown: it becomes a stop for Back."""
        self.settle_timer.stop()
        self.history.settle()

    @Slot()
    def go_back(self) -> None:
        record_id = self.history.back()
        if record_id:
            self.open_record(record_id, add_to_history=False)
        self._update_actions()

    @Slot()
    def go_forward(self) -> None:
        record_id = self.history.forward()
        if record_id:
            self.open_record(record_id, add_to_history=False)
        self._update_actions()

    def _update_actions(self) -> None:
        self.back_action.setEnabled(self.history.can_go_back())
        self.forward_action.setEnabled(self.history.can_go_forward())

    @Slot()
    def show_welcome(self) -> None:
        roots = []
        if self.library is not None:
            roots = [Ref(n.record_id, n.kind, n.title, count_text(n.count))
                     for n in self.library.tree_roots("mechanism") if n.record_id]
        self.detail.show_message("Welcome to TrialTree", WELCOME, roots)
        self.record_label.clear()
        self.setWindowTitle(APP_TITLE)

    @Slot()
    def show_shortcuts(self) -> None:
        """The keyboard shortcuts, read from the menus' own actions."""
        from desktop.ui.shortcuts_sheet import SHEET_INTRO, SHEET_TITLE, sheet_groups

        self.detail.show_sheet(SHEET_TITLE, SHEET_INTRO, sheet_groups(self.menuBar()))
        self.record_label.clear()
        self.setWindowTitle(f"{SHEET_TITLE} — {APP_TITLE}")

    @property
    def startup_finished(self) -> bool:
        """True once the work deferred past the first paint has run."""
        return self._glossary_loaded

    @Slot()
    def finish_startup(self) -> None:
        """Work the first paint does not need: the glossary that marks terms in every page, and
        (through ``startup_done``) what changed on the bookmarked studies."""
        if not self._glossary_loaded:
            self._glossary_loaded = True
            self.detail.set_glossary(self.library.glossary())
            self.startup_done.emit()

    def show_glossary(self) -> None:
        """Every glossary term with its plain meaning; each opens its own page."""
        self.finish_startup()
        self.detail.show_glossary()
        self.record_label.clear()
        self.setWindowTitle(f"Glossary — {APP_TITLE}")

    # ---- the tree ------------------------------------------------------------------------

    @Slot(str)
    def _on_tree_record(self, record_id: str) -> None:
        self.open_record(record_id, follow_tree=False, passing=True)

    @Slot(QModelIndex)
    def _on_tree_group(self, index: QModelIndex) -> None:
        node = self.tree.model.node(index)
        if node is None:
            return
        refs = self.tree.child_refs(index)
        count = node.count
        more = count - len(refs)
        text = f"{count_text(count).capitalize()} in this group."
        if more > 0:
            text += f" The first {len(refs)} are listed here; open the group in the list to see all."
        self.detail.show_message(node.title, text, refs)
        self.record_label.clear()

    @Slot(QAction)
    def _on_grouping_action(self, action: QAction) -> None:
        self.tree.set_grouping(action.data())

    @Slot(str)
    def _on_grouping_changed(self, grouping: str) -> None:
        for action in self.grouping_actions.actions():
            action.setChecked(action.data() == grouping)
        if self.detail.record is not None and self.library is not None:
            self.tree.follow(self.detail.record, self.library.record)

    # ---- the mouse's back and forward buttons --------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.detail and event.type() == QEvent.Type.KeyPress
                and event.key() == Qt.Key.Key_Escape and event.modifiers() in (
                    Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)):
            self.focus_tree()
            return True
        if event.type() == QEvent.Type.MouseButtonPress and isinstance(event, QMouseEvent):
            if event.button() == Qt.MouseButton.BackButton:
                self.go_back()
                return True
            if event.button() == Qt.MouseButton.ForwardButton:
                self.go_forward()
                return True
        return super().eventFilter(watched, event)
