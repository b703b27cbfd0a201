"""The search field and the results list that stands in for the tree while a search is open.

Kept apart from the window: the field debounces typing into ``query_changed``, keeps a short
history of searches (Up opens it) and asks for the search tips (F1 or its "?" button); the list
shows a :class:`~desktop.models.results_model.ResultsModel` through a
:class:`~desktop.ui.results_delegate.ResultsDelegate`, with a plain-words notice above the rows
("No matches for …"), and asks for a record with ``record_chosen`` or for another search with
``suggestion_chosen``. Neither touches the database.
"""

from __future__ import annotations


from PySide6.QtCore import QEvent, QModelIndex, QPoint, QRect, Qt, QTimer, Signal, Slot
from PySide6.QtGui import (QAction, QFont, QIcon, QKeyEvent, QKeySequence, QPainter, QPalette,
                           QPixmap)
from PySide6.QtWidgets import QAbstractItemView, QLabel, QLineEdit, QListView, QMenu, QWidget


DEBOUNCE_MS = 200
HISTORY_SIZE = 12  # searches remembered (newest first)
HISTORY_MENU_TITLE = "Recent searches"
HELP_TITLE = "Search tips"
HELP_KEYS = [
    ("Down", "move from the search field into the results (Up from the first result comes back)"),
    ("Enter", "open the first result, or the one you moved to"),
    ("Escape", "close the search and go back to the list"),
    ("Up", "in the search field: your recent searches"),
    ("F1", "in the search field: these tips"),
]


def grammar_sheet() -> tuple[str, str, list[tuple[str, list[tuple[str, str]]]]]:
    """The search tips as a reference sheet for the detail pane: (title, intro, groups of rows),
    read from the same rows the filter declarations give the plain-text GRAMMAR_HELP."""
    from desktop.data import search_help  # only when the tips are asked for

    return HELP_TITLE, search_help.INTRO, [("What you can type", search_help.rows()),
                                           ("Putting them together", [("", search_help.CLOSING)]),
                                           ("Keys", HELP_KEYS)]


def _question_icon(palette: QPalette) -> QIcon:
    """A "?" drawn in the palette's text colour (the field's search-tips button)."""
    result = QIcon()
    for mode, group in ((QIcon.Mode.Normal, QPalette.ColorGroup.Active),
                        (QIcon.Mode.Disabled, QPalette.ColorGroup.Disabled)):
        for size in (16, 24, 32, 48):
            pixmap = QPixmap(size, size)
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            colour = palette.color(group, QPalette.ColorRole.Text)
            painter.setPen(colour)
            painter.drawEllipse(QRect(1, 1, size - 2, size - 2))
            font = QFont()
            font.setPixelSize(round(size * 0.7))
            font.setBold(True)
            painter.setFont(font)
            painter.drawText(QRect(0, 0, size, size), Qt.AlignmentFlag.AlignCenter, "?")
            painter.end()
            result.addPixmap(pixmap, mode)
    return result


def results_notice(text: str, result) -> str:
    """What to say above the results of ``find()`` for ``text``, in plain words ("" for nothing).

    :param result: a :class:`desktop.data.search.SearchResult`.
    """
    hits, suggestions = len(result.hits), result.suggestions
    if result.corrected:
        return f"No matches for “{text}” — showing results for “{result.corrected}”."
    if not hits and suggestions:
        return f"No matches for “{text}”. Did you mean one of these?"
    if not hits:
        return (f"No matches for “{text}”. Check the spelling, or try fewer or shorter words. "
                "Press F1 for search tips.")
    if suggestions:
        found = "1 match" if hits == 1 else f"{hits} matches"
        return f"Only {found} for “{text}”. Other searches you could try are below them."
    return ""


class SearchBar(QLineEdit):
    """Typing → ``query_changed`` (debounced); Enter → ``accepted``; Escape → ``cancelled``;
    Down → ``move_down`` (to the results); Up → the recent searches; F1 or "?" →
    ``help_requested``."""

    query_changed = Signal(str)  # typing paused (debounced), a suggestion or recent search, cleared
    query_now = Signal(str)  # Enter or Down before the debounce fired: search at once
    accepted = Signal()
    cancelled = Signal()
    move_down = Signal()
    help_requested = Signal()
    history_changed = Signal(list)  # the remembered searches, newest first

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setPlaceholderText("Search trials, treatments, mechanisms…  (Ctrl+F)")
        self.setAccessibleName("Search")
        self.setAccessibleDescription("Results appear below as you type. Down moves into them, "
                                      "Up shows your recent searches, F1 shows search tips.")
        self.setToolTip("Type to search. Down: into the results · Up: recent searches · "
                        "F1: search tips")
        self.setClearButtonEnabled(True)
        self.help_action = QAction(HELP_TITLE, self)
        self.help_action.setToolTip(f"{HELP_TITLE} (F1)")
        self.help_action.setShortcut(QKeySequence(Qt.Key.Key_F1))  # anywhere in the window
        self.help_action.triggered.connect(self.help_requested)
        self.addAction(self.help_action, QLineEdit.ActionPosition.TrailingPosition)
        self._refresh_icon()
        self._history: list[str] = []
        self.history_menu = QMenu(HISTORY_MENU_TITLE, self)
        self.history_menu.triggered.connect(self._on_history_action)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._emit_query)
        self.textEdited.connect(self._on_edited)
        self.textChanged.connect(self._on_changed)

    # ---- typing ----------------------------------------------------------------------------

    @Slot(str)
    def _on_edited(self, text: str) -> None:
        self._timer.start()

    @Slot(str)
    def _on_changed(self, text: str) -> None:
        if not text:  # the clear button, or clear(): no need to wait
            self._timer.stop()
            self.query_changed.emit("")

    @Slot()
    def _emit_query(self) -> None:
        self.query_changed.emit(self.text().strip())

    def is_pending(self) -> bool:
        """True while typing has not been sent yet (the debounce is running)."""
        return self._timer.isActive()

    def flush(self) -> None:
        """Send a pending query now, as ``query_now`` (Enter should not wait for the debounce)."""
        if self._timer.isActive():
            self._timer.stop()
            self.query_now.emit(self.text().strip())

    def search_for(self, text: str) -> None:
        """Put ``text`` in the field and search for it without waiting (a suggestion, a recent
        search)."""
        self._timer.stop()
        self.setText(text)
        self._emit_query()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.flush()
            self.accepted.emit()
        elif key == Qt.Key.Key_Escape:
            self._timer.stop()
            self.cancelled.emit()
        elif key == Qt.Key.Key_Down and not event.modifiers() & Qt.KeyboardModifier.AltModifier:
            self.flush()
            self.move_down.emit()
        elif key == Qt.Key.Key_Up or (key == Qt.Key.Key_Down
                                      and event.modifiers() & Qt.KeyboardModifier.AltModifier):
            self.show_history()
        elif key == Qt.Key.Key_F1:
            self.help_requested.emit()
        else:
            super().keyPressEvent(event)

    # ---- history ---------------------------------------------------------------------------

    def history(self) -> list[str]:
        return list(self._history)

    def set_history(self, entries: list[str]) -> None:
        """The remembered searches, newest first (e.g. read back from the settings)."""
        self._history = list(dict.fromkeys(e.strip() for e in entries if e and e.strip()))[:HISTORY_SIZE]

    def remember(self, text: str | None = None) -> None:
        """Keep ``text`` (default: what is in the field) at the top of the recent searches."""
        text = " ".join((self.text() if text is None else text).split())
        if not text:
            return
        history = [text, *(e for e in self._history if e.casefold() != text.casefold())]
        history = history[:HISTORY_SIZE]
        if history != self._history:
            self._history = history
            self.history_changed.emit(self.history())

    def show_history(self) -> bool:
        """Open the recent searches under the field; False when there are none yet."""
        menu = self.history_menu
        menu.clear()
        if not self._history:
            return False
        for entry in self._history:
            action = menu.addAction(entry.replace("&", "&&"))
            action.setData(entry)
        menu.setActiveAction(menu.actions()[0])
        menu.popup(self.mapToGlobal(QPoint(0, self.height())))
        return True

    @Slot(QAction)
    def _on_history_action(self, action: QAction) -> None:
        self.setFocus(Qt.FocusReason.PopupFocusReason)
        self.search_for(action.data())

    # ---- looks -----------------------------------------------------------------------------

    def _refresh_icon(self) -> None:
        self.help_action.setIcon(_question_icon(self.palette()))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._refresh_icon()
        super().changeEvent(event)


class ResultsList(QListView):
    """The hits; Enter or a click asks for the record (or searches for a suggestion), Escape goes
    back to the tree, Up from the first row back to the field. A notice above the rows says in
    plain words what happened ("No matches for …")."""

    record_chosen = Signal(str)
    suggestion_chosen = Signal(str)
    cancelled = Signal()
    move_up = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName("Search results")
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setUniformItemSizes(True)
        self.setWordWrap(False)
        from desktop.ui.results_delegate import ResultsDelegate  # with the list, at the first search

        self.setItemDelegate(ResultsDelegate(self))
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.notice = QLabel(self)
        self.notice.setObjectName("searchNotice")
        self.notice.setTextFormat(Qt.TextFormat.PlainText)  # the query is the user's text
        self.notice.setWordWrap(True)
        self.notice.setBackgroundRole(QPalette.ColorRole.Base)
        self.notice.setForegroundRole(QPalette.ColorRole.Text)
        self.notice.setAutoFillBackground(True)
        self.notice.setContentsMargins(8, 6, 8, 6)
        self.notice.hide()
        self.activated.connect(self._choose)
        self.clicked.connect(self._choose)

    # ---- the notice ------------------------------------------------------------------------

    def set_notice(self, text: str) -> None:
        """Say ``text`` above the rows ("" hides it)."""
        if text == self.notice.text() and self.notice.isVisible() == bool(text):
            return
        self.notice.setText(text)
        self.notice.setVisible(bool(text))
        self.setAccessibleDescription(text)
        self._place_notice()

    def notice_text(self) -> str:
        return self.notice.text() if not self.notice.isHidden() else ""

    def _place_notice(self) -> None:
        area = self.contentsRect()
        if self.notice.isHidden():
            self.setViewportMargins(0, 0, 0, 0)
            return
        height = self.notice.heightForWidth(area.width())
        height = max(height, self.notice.sizeHint().height())
        self.notice.setGeometry(QRect(area.left(), area.top(), area.width(), height))
        self.setViewportMargins(0, height, 0, 0)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._place_notice()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._place_notice()

    # ---- choosing --------------------------------------------------------------------------

    @Slot(QModelIndex)
    def _choose(self, index: QModelIndex) -> None:
        model = self.model()
        if not index.isValid() or model is None:
            return
        suggestion = model.suggestion(index.row())
        if suggestion is not None:
            self.suggestion_chosen.emit(suggestion)
            return
        hit = model.hit(index.row())
        if hit is not None:
            self.record_chosen.emit(hit.id)

    def choose_current(self) -> bool:
        """Open the selected row, or the first one; False when there is none."""
        index = self.currentIndex()
        if not index.isValid():
            index = self.model().index(0, 0) if self.model() is not None else QModelIndex()
        if not index.isValid():
            return False
        self._choose(index)
        return True

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key == Qt.Key.Key_Escape:
            self.cancelled.emit()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.choose_current()
        elif key == Qt.Key.Key_Up and self.currentIndex().row() <= 0:
            self.move_up.emit()
        else:
            super().keyPressEvent(event)
