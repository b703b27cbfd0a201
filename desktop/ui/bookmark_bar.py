"""The bookmark bar around the detail pane: a star button (and tags) above it, your note below it.

The star button says "Bookmark" or "Bookmarked"; once a record is bookmarked, a one-line tags
field appears beside it and a plain-text note editor under the pane. Notes and tags are saved as
you type, with no save button: each edit restarts a short timer (``SAVE_DELAY_MS``), and
:meth:`BookmarkBar.flush` saves at once (the window calls it before another record is shown and
on close). Toggling itself is the window's job: the button only asks, with ``toggle_requested``.

A calm notice line (e.g. "Removed from your bookmarks. [Undo]", or what an import did) sits
between the buttons and the pane; nothing here pops up. Every colour comes from the palette.
"""

from __future__ import annotations

import math
import re

from PySide6.QtCore import QEvent, QObject, QPointF, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QColor, QIcon, QPainter, QPalette, QPixmap, QPolygonF
from PySide6.QtWidgets import (QBoxLayout, QFrame, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit,
                               QPushButton, QSizePolicy, QToolButton, QVBoxLayout, QWidget)

from desktop.data.bookmark_values import (ORPHAN_LABEL, STORE_ERRORS, Bookmark, NotBookmarked,
                                          TooMuch, normalize_tags)
from desktop.data.bookmarks import BookmarkStore

SAVE_DELAY_MS = 300
NOTE_LINES = 5  # the note editor's height while in use, in lines of text (at most)
NOTE_PLACEHOLDER = ("Anything you want to remember about this: questions for your doctor, how it "
                    "went for you…")
NOTE_SHARE = 0.22  # …and at most this share of the bar, so the page keeps the room at 200%
TAG_SEPARATORS = re.compile(r"[,;]")


# ---- the star -------------------------------------------------------------------------------


def _star_pixmap(size: int, colour: QColor, filled: bool) -> QPixmap:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    centre, outer = size / 2, size * 0.46
    inner = outer * 0.42
    points = []
    for i in range(10):
        radius = outer if i % 2 == 0 else inner
        angle = -math.pi / 2 + i * math.pi / 5
        points.append(QPointF(centre + radius * math.cos(angle), centre + 0.04 * size
                              + radius * math.sin(angle)))
    pen = painter.pen()
    pen.setColor(colour)
    pen.setWidthF(max(1.0, size / 14))
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    painter.setBrush(colour if filled else Qt.BrushStyle.NoBrush)
    painter.drawPolygon(QPolygonF(points))
    painter.end()
    return pixmap


def star_icon(palette: QPalette, filled: bool = True) -> QIcon:
    """A five-pointed star in the palette's text colours (filled: bookmarked; hollow: not)."""
    icon = QIcon()
    group, role = QPalette.ColorGroup, QPalette.ColorRole
    for size in (16, 20, 24, 32, 48):
        icon.addPixmap(_star_pixmap(size, palette.color(group.Active, role.Text), filled),
                       QIcon.Mode.Normal)
        icon.addPixmap(_star_pixmap(size, palette.color(group.Active, role.HighlightedText),
                                    filled), QIcon.Mode.Selected)
        icon.addPixmap(_star_pixmap(size, palette.color(group.Disabled, role.Text), filled),
                       QIcon.Mode.Disabled)
    return icon


def parse_tags(text: str) -> tuple[str, ...]:
    """Tags typed in one line, separated by commas or semicolons (normalised as stored)."""
    return normalize_tags(TAG_SEPARATORS.split(text))


# ---- the bar --------------------------------------------------------------------------------


class BookmarkBar(QWidget):
    """Wraps ``content`` (the detail pane): star button and tags above, note editor below."""

    toggle_requested = Signal()  # the star button was pressed
    undo_requested = Signal()  # the notice's Undo button was pressed
    saved = Signal(str)  # the note or tags of this record id were written
    save_failed = Signal(str)  # plain words
    star_icon_changed = Signal(QIcon)  # the palette changed; the tree's star should follow

    def __init__(self, content: QWidget, store: BookmarkStore | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self._record_id: str | None = None
        self._kind = self._title = ""
        self._bookmarked = False
        self._orphaned = False
        self._saved_note = ""
        self._saved_tags: tuple[str, ...] = ()

        self.button = QToolButton(self)
        self.button.setCheckable(True)
        self.button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.button.setAccessibleName("Bookmark this record")
        self.button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.gone_label = QLabel(f"({ORPHAN_LABEL})", self)
        self.gone_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.tags_label = QLabel("&Tags:", self)
        self.tags = QLineEdit(self)
        self.tags.setAccessibleName("Tags for this bookmark")
        self.tags.setPlaceholderText("e.g. ask my GP, read later")
        self.tags.setToolTip("Words to find this bookmark by, separated with commas")
        self.tags_label.setBuddy(self.tags)

        self._header = QWidget(self)  # hidden when there is no store (bookmarks turned off)
        # The star and the tags side by side, or the tags on a row of their own when the
        # field would be too narrow to show its words (large text, a narrow pane).
        self._header_layout = QBoxLayout(QBoxLayout.Direction.LeftToRight, self._header)
        self._header_layout.setContentsMargins(8, 4, 8, 4)
        star_row = QHBoxLayout()
        star_row.addWidget(self.button)
        star_row.addWidget(self.gone_label)
        star_row.addStretch(1)
        self._tags_row = QWidget(self._header)
        tags_row = QHBoxLayout(self._tags_row)
        tags_row.setContentsMargins(0, 0, 0, 0)
        tags_row.addWidget(self.tags_label)
        tags_row.addWidget(self.tags, 1)
        self._header_layout.addLayout(star_row, 0)
        self._header_layout.addWidget(self._tags_row, 1)

        self.notice = QFrame(self)
        self.notice.setFrameShape(QFrame.Shape.StyledPanel)
        self.notice.setBackgroundRole(QPalette.ColorRole.AlternateBase)
        self.notice.setAutoFillBackground(True)
        self.notice_label = QLabel(self.notice)
        self.notice_label.setWordWrap(True)
        self.notice_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notice_label.setTextFormat(Qt.TextFormat.PlainText)
        self.undo_button = QPushButton("&Undo", self.notice)
        self.dismiss_button = QPushButton("Dismiss", self.notice)
        self.dismiss_button.setAccessibleName("Dismiss this notice")
        notice_layout = QHBoxLayout(self.notice)
        notice_layout.setContentsMargins(8, 4, 8, 4)
        notice_layout.addWidget(self.notice_label, 1)
        notice_layout.addWidget(self.undo_button)
        notice_layout.addWidget(self.dismiss_button)
        self.notice.setVisible(False)

        self.note_label = QLabel("Your &note (saved as you type):", self)
        self.note_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.note = QPlainTextEdit(self)
        self.note.setAccessibleName("Your note on this record")
        self.note.setPlaceholderText(NOTE_PLACEHOLDER)
        self.note.setTabChangesFocus(True)
        self.note.installEventFilter(self)  # one line until it has the focus or some text
        self.note.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.note.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.note_label.setBuddy(self.note)
        self._note_box = QWidget(self)
        # The label above the editor while it is in use; beside its one line otherwise.
        note_layout = QBoxLayout(QBoxLayout.Direction.TopToBottom, self._note_box)
        self._note_layout = note_layout
        note_layout.setContentsMargins(8, 4, 8, 8)
        note_layout.setSpacing(2)
        note_layout.addWidget(self.note_label)
        note_layout.addWidget(self.note)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._header)
        layout.addWidget(self.notice)
        layout.addWidget(content, 1)
        layout.addWidget(self._note_box)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._timer.timeout.connect(self._save)
        self._fit_timer = QTimer(self)  # a child: it goes when the bar goes
        self._fit_timer.setSingleShot(True)
        self._fit_timer.setInterval(0)
        self._fit_timer.timeout.connect(self._fit_note_height)
        self.button.clicked.connect(self._on_button)
        self.note.textChanged.connect(self._on_edited)
        self.note.textChanged.connect(self._fit_timer.start)
        self.tags.textEdited.connect(self._on_edited)
        self.tags.editingFinished.connect(self.flush)
        self.undo_button.clicked.connect(self.undo_requested)
        self.dismiss_button.clicked.connect(self.clear_notice)
        self._apply_palette()
        self._fit_note_height()
        self._header.setVisible(store is not None)
        self._show_state()

    # ---- what is shown ---------------------------------------------------------------------

    @property
    def record_id(self) -> str | None:
        """The record the bar is about (None on a page that is not a record)."""
        return self._record_id

    @property
    def kind(self) -> str:
        return self._kind

    @property
    def title(self) -> str:
        return self._title

    @property
    def bookmarked(self) -> bool:
        return self._bookmarked

    @property
    def pending(self) -> bool:
        """True while an edit waits to be saved."""
        return self._timer.isActive()

    def show_record(self, record_id: str, kind: str, title: str, bookmark: Bookmark | None,
                    orphaned: bool = False) -> None:
        """Be about ``record_id`` now (saving any pending edit of the previous one first)."""
        if record_id == self._record_id:
            self._kind, self._title, self._orphaned = kind, title, orphaned
            self.update_bookmark(bookmark)
            return
        self.flush()
        self._record_id, self._kind, self._title, self._orphaned = record_id, kind, title, orphaned
        self._set_values(bookmark)

    def clear(self) -> None:
        """A page that is not a record (welcome, a group): nothing to bookmark."""
        self.flush()
        self._record_id, self._kind, self._title, self._orphaned = None, "", "", False
        self._set_values(None)

    def update_bookmark(self, bookmark: Bookmark | None) -> None:
        """The current record's bookmark changed (here or in another window): follow it, but
        never overwrite an edit that is still waiting to be saved."""
        if self._record_id is None:
            return
        if bookmark is None and self.pending:
            self.flush()  # removed elsewhere mid-edit: the notice shows the unsaved words
        if bookmark is None or not self._bookmarked or not self.pending:
            if (bookmark is not None and self._bookmarked
                    and bookmark.note == self.note.toPlainText()
                    and bookmark.tags == parse_tags(self.tags.text())):
                self._saved_note, self._saved_tags = bookmark.note, bookmark.tags
                return  # what we just wrote ourselves
            self._set_values(bookmark)

    def _set_values(self, bookmark: Bookmark | None) -> None:
        self._timer.stop()
        self._bookmarked = bookmark is not None
        self._saved_note = bookmark.note if bookmark else ""
        self._saved_tags = bookmark.tags if bookmark else ()
        self.note.blockSignals(True)
        if self.note.toPlainText() != self._saved_note:
            position = self.note.textCursor().position()
            self.note.setPlainText(self._saved_note)
            cursor = self.note.textCursor()
            cursor.setPosition(min(position, len(self._saved_note)))
            self.note.setTextCursor(cursor)
        self.note.blockSignals(False)
        if parse_tags(self.tags.text()) != self._saved_tags or not self._bookmarked:
            self.tags.setText(", ".join(self._saved_tags))
            self.tags.setCursorPosition(0)  # show the first tags, not the end
        self._show_state()

    def _show_state(self) -> None:
        on_record = self._record_id is not None
        usable = on_record and self.store is not None
        self.button.setEnabled(usable)
        self.button.setChecked(self._bookmarked)
        self.button.setText("Bookmarked" if self._bookmarked else "Bookmark")
        self.button.setIcon(self._filled if self._bookmarked else self._hollow)
        if not on_record:
            tip = "Open a record to bookmark it."
        elif self._bookmarked:
            tip = "Remove this bookmark (Ctrl+D). Its note and tags are removed with it."
        else:
            tip = "Bookmark this record (Ctrl+D) to find it again in the Bookmarks panel."
        self.button.setToolTip(tip)
        self.button.setAccessibleDescription("Bookmarked" if self._bookmarked else "Not bookmarked")
        self.gone_label.setVisible(on_record and self._orphaned)
        for widget in (self.tags_label, self.tags, self._tags_row, self._note_box):
            widget.setVisible(self._bookmarked)

    # ---- saving as you type ----------------------------------------------------------------

    @Slot()
    def _on_edited(self, *args) -> None:
        if self._bookmarked:
            self._timer.start()

    @Slot()
    def flush(self) -> None:
        """Save a pending note or tags edit now."""
        if self._timer.isActive():
            self._timer.stop()
            self._save()

    @Slot()
    def _save(self) -> None:
        if self.store is None or self._record_id is None or not self._bookmarked:
            return
        note, tags = self.note.toPlainText(), parse_tags(self.tags.text())
        try:
            if note != self._saved_note:
                # base: what was loaded, so a note changed meanwhile elsewhere is merged, not lost
                stored = self.store.set_note(self._record_id, note, base=self._saved_note)
                self._saved_note = stored
                if stored != note:
                    self._show_merged(stored)
            if tags != self._saved_tags:
                self._saved_tags = self.store.set_tags(self._record_id, tags)
        except NotBookmarked:
            # Removed meanwhile (in another window): say so calmly, and keep the words visible.
            unsaved = " ".join(note.split())
            unsaved = unsaved if len(unsaved) <= 500 else unsaved[:499] + "…"
            self.save_failed.emit("This bookmark was removed in another TrialTree window before "
                                  "your last edit was saved. Press Ctrl+D to bookmark it again."
                                  + (f" Your note was: {unsaved}" if unsaved else ""))
            return
        except TooMuch as error:
            self.save_failed.emit(f"Your note or tags could not be saved: {error}. They are "
                                  "still shown; shorten them and they are saved as you type.")
            return
        except STORE_ERRORS as error:  # the disk is full, the file is locked…
            self.save_failed.emit(f"Your note could not be saved just now ({error}). It is "
                                  "still shown; TrialTree will try again as you type.")
            return
        self.saved.emit(self._record_id)

    def _show_merged(self, stored: str) -> None:
        """The note had changed in another copy of TrialTree: show the merged note (both
        versions kept) and say so."""
        self.note.blockSignals(True)
        position = self.note.textCursor().position()
        self.note.setPlainText(stored)
        cursor = self.note.textCursor()
        cursor.setPosition(min(position, len(stored)))
        self.note.setTextCursor(cursor)
        self.note.blockSignals(False)
        self.show_notice("Your note had been changed in another TrialTree window or command "
                         "meanwhile. Both versions are kept in the note below; nothing was lost.")

    # ---- the notice line -------------------------------------------------------------------

    def show_notice(self, text: str, undo: bool = False) -> None:
        """A calm, lasting line of text (with an Undo button if ``undo``) until dismissed."""
        self.notice_label.setText(text)
        self.undo_button.setVisible(undo)
        self.notice.setVisible(True)

    @Slot()
    def clear_notice(self) -> None:
        self.notice.setVisible(False)
        self.notice_label.clear()
        self.undo_button.setVisible(False)

    @property
    def notice_text(self) -> str:
        return self.notice_label.text() if self.notice.isVisibleTo(self) else ""

    # ---- looks -----------------------------------------------------------------------------

    @Slot()
    def _on_button(self) -> None:
        self.button.setChecked(self._bookmarked)  # the window decides; the state follows it
        self.toggle_requested.emit()

    def _apply_palette(self) -> None:
        accent = self.palette().color(QPalette.ColorRole.Accent).name()
        frame = self.palette().color(QPalette.ColorRole.Mid).name()
        self.note.setStyleSheet(  # a focus ring like the other fields' (see themes)
            f"QPlainTextEdit {{ border: 1px solid {frame}; padding: 1px; }}"
            f"QPlainTextEdit:focus {{ border: 2px solid {accent}; padding: 0px; }}")
        self._filled = star_icon(self.palette(), filled=True)
        self._hollow = star_icon(self.palette(), filled=False)
        self.button.setIcon(self._filled if self._bookmarked else self._hollow)
        self.star_icon_changed.emit(self._filled)

    def note_lines(self) -> int:
        """Lines of text the note editor shows: one while it is empty and not in use, else
        its text (up to NOTE_LINES), at most NOTE_SHARE of the bar's height."""
        if not self.note.hasFocus() and not self.note.toPlainText():
            return 1
        wanted = NOTE_LINES
        if not self.note.hasFocus():
            wanted = min(NOTE_LINES, max(2, self.note.document().lineCount()))
        room = int(self.height() * NOTE_SHARE / max(1, self.note.fontMetrics().lineSpacing()))
        return max(1, min(wanted, room))

    def _fit_note_height(self) -> None:
        metrics = self.note.fontMetrics()
        margins = self.note.contentsMargins()
        lines = self.note_lines()
        self.note.setFixedHeight(metrics.lineSpacing() * lines
                                 + 2 * self.note.frameWidth() + margins.top() + margins.bottom()
                                 + 2 * int(self.note.document().documentMargin()))
        self._note_layout.setDirection(QBoxLayout.Direction.LeftToRight if lines == 1
                                       else QBoxLayout.Direction.TopToBottom)
        self.note.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap if lines == 1
                                  else QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.note.setPlaceholderText("" if lines == 1 else NOTE_PLACEHOLDER)  # the label says it
        self._fit_header()

    def _fit_header(self) -> None:
        """The tags on their own row when, beside the star, the field could not show its words."""
        metrics = self.tags.fontMetrics()
        needed = (self.button.sizeHint().width() + self.tags_label.sizeHint().width()
                  + metrics.horizontalAdvance(self.tags.placeholderText()) + 4 * metrics.height())
        direction = (QBoxLayout.Direction.LeftToRight if self.width() >= needed
                     else QBoxLayout.Direction.TopToBottom)
        if self._header_layout.direction() != direction:
            self._header_layout.setDirection(direction)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.note and event.type() in (QEvent.Type.FocusIn, QEvent.Type.FocusOut):
            self._fit_timer.start()
        return super().eventFilter(watched, event)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if hasattr(self, "_fit_timer"):
            self._fit_timer.start()

    @property
    def star(self) -> QIcon:
        """The filled star, for other views (the tree) to show the same mark."""
        return self._filled

    def changeEvent(self, event: QEvent) -> None:
        if not hasattr(self, "_fit_timer"):  # still being built
            pass
        elif event.type() == QEvent.Type.PaletteChange:
            self._apply_palette()
        elif event.type() == QEvent.Type.FontChange:
            self._fit_timer.start()  # once the note has its new font too
        super().changeEvent(event)
