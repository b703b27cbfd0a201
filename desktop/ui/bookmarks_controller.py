"""Bookmarks in the window: the bar around the detail pane, the Bookmarks panel, the stars in the
tree, Ctrl+D, the tree's context menu, export and import, and keeping up with other copies.

:class:`Bookmarking` holds the :class:`~desktop.data.bookmarks.BookmarkStore` (the data layer's
object; nothing here touches SQL) and keeps every view in step with it through one path: each
write is followed by :meth:`Bookmarking.sync`, which asks the store what changed since the last
version it saw (``changes_since``) and applies exactly that. A timer calls the same
:meth:`Bookmarking.poll` every ``POLL_MS``, so what another copy of the app writes shows up too.

The window creates it after its detail pane, puts ``bar`` (which wraps the pane) in its splitter,
adds the actions to its menus and calls :meth:`attach` once its own signals are connected. All it
asks of the window is :class:`BookmarkHost`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Protocol

from PySide6.QtCore import QObject, QPoint, Qt, QTimer, Slot
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import QMenu, QWidget

from desktop import settings
from desktop.data.bookmark_values import ORPHAN_LABEL, STORE_ERRORS, Bookmark, TooMuch
from desktop.data.bookmarks import BookmarkStore
from desktop.data.records import SearchHit
from desktop.data.vocabulary import plural
from desktop.models.bookmarks_model import ORDER_LABELS, BookmarksModel, note_preview
from desktop.ui.bookmark_bar import BookmarkBar, star_icon
from desktop.data.bookmark_order import mechanism_group
from desktop.ui.bookmarks_pane import BookmarksPane

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings, SignalInstance

    from desktop.data.library import Library
    from desktop.ui.detail_view import DetailView
    from desktop.ui.tree_panel import TreePanel

POLL_MS = 2000
BACKUP_DELAY_MS = 10_000  # today's backup is rewritten this long after the last change
SEARCH_HITS = 20  # bookmarks listed above the reference hits, at most
ORPHAN_TEXT = ("This entry is no longer in TrialTree's data: an update may have renamed, merged "
               "or removed it. Your bookmark is kept, with the title it had when you saved it, and "
               "your note is below, where you can still read and change it.\n\n"
               "Its id was “{id}”. If you no longer need it, remove the bookmark with Ctrl+D or "
               "the Bookmarked button above.")


class BookmarkHost(Protocol):
    """What :class:`Bookmarking` uses of the window (MainWindow), and nothing more."""

    store: QSettings  # the app's settings (the panel's order)
    detail: DetailView  # the pane the bar wraps: which record it shows, and orphan pages
    tree: TreePanel  # stars on bookmarked rows, and the rows' context menu
    search: QWidget  # after the note in Tab order
    search_shown: SignalInstance  # (query) the reference hits for it are listed

    def open_record(self, record_id: str) -> bool: ...

    def show_message(self, text: str) -> None: ...

    def current_message(self) -> str: ...

    def show_page_name(self, title: str | None, label: str = "") -> None: ...

    def prepend_results(self, hits: list[SearchHit]) -> int: ...

    def set_results_notice(self, text: str) -> None: ...

    def addDockWidget(self, area: Qt.DockWidgetArea, dock: QWidget) -> None: ...

    def addAction(self, action: QAction) -> None: ...


class Bookmarking(QObject):
    """The window's bookmark features over one store (or none: then they are turned off)."""

    def __init__(self, window: BookmarkHost, library: Library | None,
                 store: BookmarkStore | None):
        super().__init__(window)
        self.window = window
        self.library = library
        self.store = store
        self._version = 0
        self._ids: frozenset[str] = frozenset()
        self._groups: dict[str, str] = {}
        self._removed: Bookmark | None = None  # the last bookmark removed here, for Undo
        self._orphan: Bookmark | None = None  # shown on the orphan page
        self._orphan_text: str | None = None

        self.bar = BookmarkBar(window.detail, store, window)
        order = settings.read(window.store, settings.BOOKMARKS_ORDER)
        self.model = BookmarksModel(order, self)
        self.pane = BookmarksPane(self.model, window)
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.pane)
        self.pane.hide()  # until asked for; the window's saved state may show it

        self.toggle_action = QAction(self.bar.star, "Book&mark this record", window)
        self.toggle_action.setCheckable(True)
        self.toggle_action.setShortcut(QKeySequence("Ctrl+D"))
        self.note_action = QAction("Write a &note on this bookmark", window)
        self.note_action.setShortcut(QKeySequence("Ctrl+Shift+N"))
        self.note_action.setStatusTip("Go to your note on this record (it is bookmarked first, "
                                      "if it is not yet)")
        self.go_action = QAction("Go to the b&ookmarks", window)
        self.go_action.setShortcut(QKeySequence("Ctrl+3"))
        self.panel_action = self.pane.toggleViewAction()
        self.panel_action.setText("&Bookmarks panel")
        self.panel_action.setShortcut(QKeySequence("Ctrl+Shift+B"))
        self.export_action = QAction("&Export bookmarks…", window)
        self.import_action = QAction("&Import bookmarks…", window)
        for action in (self.toggle_action, self.note_action, self.go_action, self.panel_action):
            window.addAction(action)  # shortcuts work even with the menu bar hidden
        if store is None:
            for action in (self.toggle_action, self.note_action, self.go_action,
                           self.export_action, self.import_action):
                action.setEnabled(False)

        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self.poll)
        # A change made after the day's first backup must survive a damaged user.db too.
        self._backup_timer = QTimer(self)
        self._backup_timer.setSingleShot(True)
        self._backup_timer.setInterval(BACKUP_DELAY_MS)
        self._backup_timer.timeout.connect(self.backup)

    # ---- wiring ----------------------------------------------------------------------------

    def attach(self) -> None:
        """Connect to the window's parts (after the window connected its own), load the
        bookmarks and start watching for other copies' changes."""
        w = self.window
        self.toggle_action.triggered.connect(self._on_toggle_action)
        self.note_action.triggered.connect(self.focus_note)
        self.go_action.triggered.connect(self.focus_panel)
        self.export_action.triggered.connect(self.export_bookmarks)
        self.import_action.triggered.connect(self.import_bookmarks)
        self.bar.toggle_requested.connect(self._on_toggle_action)
        self.bar.undo_requested.connect(self.undo_remove)
        self.bar.saved.connect(self.sync)
        self.bar.save_failed.connect(self.show_notice)
        self.bar.star_icon_changed.connect(self._on_star_icon)
        self.pane.bookmark_chosen.connect(self.open_bookmark)
        self.pane.order_changed.connect(self.set_order)
        self.pane.visibilityChanged.connect(self._on_pane_visible)
        w.detail.textChanged.connect(self._on_page)  # a record or a message page was shown
        # Once the reference hits are listed (searches may finish in a worker thread).
        w.search_shown.connect(self._on_query)
        w.tree.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        w.tree.view.customContextMenuRequested.connect(self._on_tree_menu)
        w.tree.model.set_star_icon(self.bar.star)
        # Tab: list → details → star → tags → note → search (read first, then act on it).
        QWidget.setTabOrder(w.detail, self.bar.button)
        QWidget.setTabOrder(self.bar.button, self.bar.tags)
        QWidget.setTabOrder(self.bar.tags, self.bar.note)
        QWidget.setTabOrder(self.bar.note, w.search)
        if self.store is not None:
            self.reload()
            self._timer.start()

    def set_library(self, library: Library | None) -> None:
        """Check the bookmarks against another Library (e.g. once the first build is done)."""
        self.library = library
        self._groups = {}
        if self._timer.isActive():  # attached already: the stars and the panel start again
            self.reload()

    def close(self) -> None:
        """Save a note still being typed and stop watching (the window is closing)."""
        self._timer.stop()
        self.bar.flush()
        self._backup_timer.stop()  # the app writes the backup as it closes the store

    # ---- keeping up with the store ---------------------------------------------------------

    def reload(self) -> None:
        """Read every bookmark afresh (at start)."""
        if self.store is None:
            return
        self._version = self.store.version()
        bookmarks = self.store.list("newest")
        self._ids = frozenset(b.record_id for b in bookmarks)
        self.window.tree.model.set_bookmarked(self._ids)
        self.model.set_bookmarks(bookmarks, self._orphaned(bookmarks), self._group_map(bookmarks))
        self._follow_page()

    @Slot()
    def poll(self) -> None:
        """The timer's slot: pick up what this or another copy of the app wrote."""
        self.sync()

    @Slot()
    def sync(self, *args) -> None:
        """Apply every change made since the last sync to the stars, the panel and the bar."""
        if self.store is None:
            return
        try:
            if not self.store.changed_since(self._version):
                return
            changes = self.store.changes_since(self._version)
        except STORE_ERRORS:  # busy or unreadable for a moment: try again at the next tick
            return
        self._version = changes.version
        self._backup_timer.start()
        updated = {b.record_id: b for b in changes.updated}
        removed = set(changes.removed) - set(updated)
        self._ids = (self._ids | set(updated)) - removed
        self.window.tree.model.set_bookmarked(self._ids)
        self.model.apply_changes(changes.updated, removed, self._orphaned(changes.updated),
                                 self._group_map(changes.updated))
        current = self.bar.record_id
        if current in updated or current in removed:
            self.bar.update_bookmark(updated.get(current))
        self._show_state()

    @Slot()
    def backup(self) -> None:
        """Rewrite today's backup if the bookmarks changed since it was written."""
        from desktop.data.bookmark_backups import backup_if_due

        if self.store is None:
            return
        try:
            backup_if_due(self.store)
        except OSError as error:
            self.show_notice(f"TrialTree could not update today's backup of your bookmarks "
                             f"({error.strerror or error}). Your bookmarks themselves are saved.")
        except STORE_ERRORS:
            self._backup_timer.start()  # busy for a moment: try again later

    def _orphaned(self, bookmarks: Iterable[Bookmark]) -> set[str]:
        if self.library is None:
            return set()
        return {b.record_id for b in bookmarks if self.library.kind_of(b.record_id) is None}

    def _group_map(self, bookmarks: Iterable[Bookmark], order: str | None = None) -> dict[str, str]:
        """Each bookmark's mechanism, worked out only when the panel is (to be) sorted by
        mechanism."""
        if self.library is None or (order or self.model.order) != "mechanism":
            return {}
        return {b.record_id: mechanism_group(self.library.record, b.record_id, self._groups)
                for b in bookmarks}

    def _get(self, record_id: str) -> Bookmark | None:
        if self.store is None:
            return None
        try:
            return self.store.get(record_id)
        except STORE_ERRORS:
            return None

    # ---- following the page ----------------------------------------------------------------

    @Slot()
    def _on_page(self) -> None:
        self._follow_page()

    def _follow_page(self) -> None:
        """Point the bar at the record the pane shows (or the orphaned bookmark, or nothing)."""
        detail = self.window.detail
        record = detail.record
        if record is not None:
            self._orphan = None
            # Saved and listed under the name the other lists use (a study's short title).
            title = record.display_title()
            self.bar.show_record(record.id, record.kind, title, self._get(record.id))
        elif self._orphan is not None and self._orphan_text in (None, detail.toPlainText()):
            b = self._orphan
            self.bar.show_record(b.record_id, b.kind, b.title, self._get(b.record_id),
                                 orphaned=True)
        else:
            self._orphan = None
            self.bar.clear()
        self.pane.select(self.bar.record_id)
        self._show_state()

    def _show_state(self) -> None:
        on_record = self.bar.record_id is not None and self.store is not None
        self.toggle_action.setEnabled(on_record)
        self.toggle_action.setChecked(self.bar.bookmarked)
        self.toggle_action.setText("&Remove this bookmark" if self.bar.bookmarked
                                   else "Book&mark this record")

    def show_orphan(self, record_id: str) -> bool:
        """Show a bookmark whose record left the data, on a page of its own; False if
        ``record_id`` is not bookmarked (the window then says there is no such record)."""
        bookmark = self._get(record_id)
        if bookmark is None:
            return False
        self._orphan, self._orphan_text = bookmark, None
        self.window.detail.show_message(bookmark.title, ORPHAN_TEXT.format(id=record_id))
        self._orphan_text = self.window.detail.toPlainText()
        self.window.show_page_name(f"{bookmark.title} ({ORPHAN_LABEL})", f"Bookmark: {record_id}")
        return True

    @Slot(str)
    def open_bookmark(self, record_id: str) -> None:
        """Open a bookmark from the panel (its record, or its orphan page)."""
        self.window.open_record(record_id)

    # ---- toggling --------------------------------------------------------------------------

    @Slot()
    def _on_toggle_action(self, *args) -> None:
        self.toggle()

    def toggle(self, record_id: str | None = None, kind: str = "", title: str = "") -> None:
        """Bookmark a record, or remove its bookmark (the page's record if none is named)."""
        if record_id is None:
            record_id, kind, title = self.bar.record_id, self.bar.kind, self.bar.title
        if self.store is None or record_id is None:
            self._show_state()
            return
        if record_id == self.bar.record_id:
            self.bar.flush()
        try:
            if self.store.is_bookmarked(record_id):
                self._removed = self.store.remove(record_id)
                what = " with its note" if self._removed and self._removed.note else ""
                text = f"Removed “{title}” from your bookmarks{what}."
                self.bar.show_notice(text, undo=True)
                self.window.show_message(text)
            elif self._removed is not None and self._removed.record_id == record_id:
                self.undo_remove()  # pressed twice: it comes back with its note and tags
                return
            else:
                self.store.add(record_id, kind, title)
                self.window.show_message(f"Bookmarked “{title}”. Ctrl+3 shows all your bookmarks.")
        except TooMuch as error:
            self.show_notice(f"This record could not be bookmarked: {error}.")
        except STORE_ERRORS as error:
            self.show_notice(f"Your bookmarks could not be changed just now ({error}).")
        self.sync()

    @Slot()
    def focus_note(self) -> None:
        """Put the typing cursor in the note on the open record, bookmarking it first if it is
        not yet (a note belongs to a bookmark); say so, or say why there is no note here."""
        if self.store is None:
            return
        record_id, title = self.bar.record_id, self.bar.title
        if record_id is None:
            self.window.show_message("Open a record first: a note belongs to a bookmarked record.")
            return
        if not self.bar.bookmarked:
            self.toggle()
            if not self.bar.bookmarked:
                return  # it could not be bookmarked; the notice says why
            self.window.show_message(f"Bookmarked “{title}”. Write your note below the page; "
                                     "it is saved as you type.")
        self.bar.note.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.bar.note.ensureCursorVisible()

    @Slot()
    def undo_remove(self) -> None:
        """Put back the bookmark removed last (with its note and tags)."""
        if self.store is None or self._removed is None:
            return
        removed, self._removed = self._removed, None
        try:
            self.store.put(removed)
        except TooMuch as error:
            self.show_notice(f"The bookmark could not be put back: {error}.")
        except STORE_ERRORS as error:
            self.show_notice(f"The bookmark could not be put back ({error}).")
            return
        self.bar.clear_notice()
        self.window.show_message(f"Put back the bookmark on “{removed.title}”.")
        self.sync()

    # ---- the tree's context menu -----------------------------------------------------------

    def tree_menu(self, pos: QPoint) -> QMenu | None:
        """The context menu for the tree row at ``pos`` (the current row if there is none
        there, as when the menu key is pressed); None for a row that is not a record."""
        view = self.window.tree.view
        index = view.indexAt(pos)
        if not index.isValid():
            index = view.currentIndex()
        node = self.window.tree.model.node(index)
        if node is None or not node.record_id or self.store is None:
            return None
        menu = QMenu(view)
        open_action = menu.addAction("&Open")
        open_action.triggered.connect(lambda: self.window.open_record(node.record_id))
        bookmarked = node.record_id in self._ids
        toggle = menu.addAction(star_icon(view.palette(), filled=not bookmarked),
                                "Remove &bookmark" if bookmarked else "&Bookmark")
        toggle.setShortcut(self.toggle_action.shortcut())
        toggle.triggered.connect(lambda: self.toggle(node.record_id, node.kind, node.title))
        return menu

    @Slot(QPoint)
    def _on_tree_menu(self, pos: QPoint) -> None:
        menu = self.tree_menu(pos)
        if menu is not None:
            view = self.window.tree.view
            if not view.indexAt(pos).isValid():
                pos = view.visualRect(view.currentIndex()).center()
            menu.exec(view.viewport().mapToGlobal(pos))
            menu.deleteLater()

    @Slot(QIcon)
    def _on_star_icon(self, icon: QIcon) -> None:
        self.window.tree.model.set_star_icon(icon)
        self.toggle_action.setIcon(icon)

    # ---- the panel -------------------------------------------------------------------------

    @Slot()
    def focus_panel(self) -> None:
        self.sync()
        self.pane.focus_list()

    @Slot(str)
    def set_order(self, order: str) -> None:
        if order not in ORDER_LABELS:
            return
        bookmarks = [self.model.bookmark(r) for r in range(self.model.rowCount())]
        self.model.set_order(order, self._group_map((b for b in bookmarks if b), order) or None)
        settings.write(self.window.store, settings.BOOKMARKS_ORDER, order)
        self.pane.select(self.bar.record_id)

    @Slot(bool)
    def _on_pane_visible(self, visible: bool) -> None:
        if visible:
            self.sync()

    # ---- notices ---------------------------------------------------------------------------

    @Slot(str)
    def show_notice(self, text: str) -> None:
        """A calm, lasting note above the pane, and the same words in the status bar."""
        self.bar.show_notice(text)
        self.window.show_message(text)

    # ---- search: your bookmarks above the reference hits -----------------------------------

    @Slot(str)
    def _on_query(self, text: str) -> None:
        """List the bookmarks whose title, note or tags match above the reference hits (the
        window's own slot has just listed those)."""
        if not text or self.store is None or self.library is None:
            return
        try:
            found = self.store.search(text)[:SEARCH_HITS]
        except STORE_ERRORS:
            return
        if not found:
            return
        orphans = self._orphaned(found)
        hits = [SearchHit(b.record_id, "bookmark",
                          f"{b.title} ({ORPHAN_LABEL})" if b.record_id in orphans else b.title,
                          note_preview(b.note, 200) or ", ".join(b.tags), 0.0) for b in found]
        others = self.window.prepend_results(hits)
        mine = plural(len(hits), "of your bookmarks matches", "of your bookmarks match")
        if others:
            self.window.show_message(f"{self.window.current_message()} · {mine}")
        else:
            message = f"Nothing found in the reference data for “{text}”, but {mine}."
            self.window.set_results_notice(message)
            self.window.show_message(message)

    # ---- export and import (desktop.ui.export_dialog, loaded when first asked for) ----------

    @Slot()
    def export_bookmarks(self) -> None:
        """File → Export bookmarks…: JSON (everything), CSV or a Markdown reading list."""
        from desktop.ui.export_dialog import export_bookmarks

        export_bookmarks(self)

    @Slot()
    def import_bookmarks(self) -> None:
        """File → Import bookmarks…: add the bookmarks of a JSON export or backup."""
        from desktop.ui.export_dialog import import_bookmarks

        import_bookmarks(self)
