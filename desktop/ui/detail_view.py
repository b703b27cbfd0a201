"""The detail pane: a QTextBrowser showing the pages of :mod:`desktop.render`.

The pages themselves (and all escaping) are built in ``desktop.render``, which has no Qt; this
widget shows them, follows their links (``trialtree:ID`` asks the window for a record,
``trialtree-toggle:KEY`` folds a section, http(s) opens the system browser and never loads here),
gives glossary terms their dotted underline and their definition on hover or keyboard focus,
and takes the page's colours from its palette, so a theme only has to change the palette.
"""

from __future__ import annotations

from typing import Any, Callable, Iterable, Sequence

from PySide6.QtCore import QEvent, QPoint, QRect, Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import (QCursor, QDesktopServices, QFocusEvent, QFontMetrics,
                           QGuiApplication, QHelpEvent, QPalette, QTextCharFormat, QTextCursor)
from PySide6.QtWidgets import QApplication, QTextBrowser, QToolTip, QWidget

from desktop.data.evidence import Evidence
from desktop.data.evidence import parse_list_id
from desktop.data.records import Record, Ref
from desktop.render import Colours, glossary_html, message_html, record_html, sheet_html, stylesheet
from desktop.render.evidence import MAP_SCHEME
from desktop.render.imported import IMPORT_SCHEME, parse_import_href
from desktop.render.labels import SECTION_HEADINGS
from desktop.render.markup import (EXTERNAL_SCHEMES, SCHEME, TOGGLE_SCHEME, esc,  # noqa: F401
                                   term_tooltip)
from desktop.ui.glossary_marker import Glossary

TEXT_SCALE = 1.15  # the pane reads a little larger than the lists around it
COMPACT_ZOOM = 1.75  # from this text size on, the pane is laid out compactly
TOOLTIP_CHARACTERS = 50  # a definition's tooltip wraps at about this many characters
TIP_GAP = 4  # pixels between a focused link and the tooltip kept off it


def _zoom_factor(font) -> float:
    """How many times larger ``font`` is than the application's font at 100%."""
    from desktop.ui.zoom import base_font

    base = base_font()
    if font.pointSizeF() > 0 and base.pointSizeF() > 0:
        return font.pointSizeF() / base.pointSizeF()
    if font.pixelSize() > 0 and base.pixelSize() > 0:
        return font.pixelSize() / base.pixelSize()
    return 1.0


def is_list_address(path: str) -> bool:
    """A count's link on a mechanism's page (issue 19): it lists studies, it opens no record."""
    return parse_list_id(path) is not None


def palette_colours(palette: QPalette) -> Colours:
    """The page's colours from the widget's palette (the theme)."""
    role = QPalette.ColorRole
    return Colours(text=palette.color(role.Text).name(),
                   muted=palette.color(role.PlaceholderText).name(),
                   link=palette.color(role.Link).name(),
                   alternate=palette.color(role.AlternateBase).name(),
                   accent=palette.color(role.Accent).name(),
                   base=palette.color(role.Base).name())


class DetailView(QTextBrowser):
    """Shows one page; asks for records by id when a ``trialtree:`` link is followed."""

    record_requested = Signal(str)  # a record id
    link_hovered = Signal(str)  # plain words for the status bar, "" when the pointer leaves
    folded_changed = Signal(list)  # the keys of the folded sections, after a heading was toggled
    map_requested = Signal(str)  # a mechanism id: show it on the map (issue 19)
    import_action_requested = Signal(str, str)  # "file" or "remove", a study id (issue 17)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setAccessibleName("Details")
        self.setAccessibleDescription("The open entry. Tab moves from link to link; a link to a "
                                      "glossary term tells what the term means.")
        self.document().setDocumentMargin(16)
        self._html = ""
        self._record: Record | None = None
        self._render: Callable[[], str] | None = None
        self._glossary: Glossary | None = None
        self._folded: list[str] = []
        self._pending_fraction: float | None = None
        self._said = ""  # the last words sent to the status bar about a link
        self._compact = False  # large text: a compact page (see stylesheet)
        self._kept: tuple[int, int] | None = None  # the focused link while the focus is away
        self.verticalScrollBar().rangeChanged.connect(self._scroll_to_pending)
        self.verticalScrollBar().actionTriggered.connect(self._forget_pending_scroll)
        self._apply_font()
        self.anchorClicked.connect(self._on_anchor)
        self.highlighted.connect(self._on_highlighted)  # the pointer over a link
        self._apply_palette()

    # ---- what is shown -------------------------------------------------------------------

    @property
    def record(self) -> Record | None:
        return self._record

    @property
    def glossary(self) -> Glossary | None:
        return self._glossary

    @property
    def folded(self) -> list[str]:
        return list(self._folded)

    def set_glossary(self, entries: Iterable[Any] | Glossary | None) -> None:
        """The terms to explain in every page: ``Library.glossary()`` rows, or a Glossary."""
        if entries is None or isinstance(entries, Glossary):
            self._glossary = entries
        else:
            self._glossary = Glossary(entries)
        self._rerender()

    def set_folded(self, keys: Iterable[str]) -> None:
        """Fold these sections (keys of SECTION_HEADINGS) in every page."""
        self._folded = [k for k in dict.fromkeys(keys) if k in SECTION_HEADINGS]
        self._rerender()

    def show_record(self, record: Record, evidence: Evidence | None = None) -> None:
        """``evidence``: a mechanism's evidence at a glance, shown under its summary."""
        self._record = record
        self._show(lambda: record_html(record, self._glossary, self._folded, self._compact, evidence))

    def show_page(self, render: Callable[[], str]) -> None:
        """A page that is not a record (such as the studies behind a count), built by ``render``."""
        self._record = None
        self._show(render)

    def show_message(self, title: str, text: str, links: Sequence[Ref] = ()) -> None:
        self._record = None
        self._show(lambda: message_html(title, text, links))

    def show_glossary(self) -> None:
        self._record = None
        glossary = self._glossary or Glossary([])
        self._show(lambda: glossary_html(glossary))

    def show_sheet(self, title: str, intro: str,
                   groups: Sequence[tuple[str, Sequence[tuple[str, str]]]]) -> None:
        self._record = None
        self._show(lambda: sheet_html(title, intro, groups))

    def _show(self, render: Callable[[], str]) -> None:
        self._pending_fraction = None
        self._render = render
        self._set_page(render())
        QToolTip.hideText()  # what was said about the last page's links no longer applies
        self._say("")

    def _set_page(self, markup: str, position: int = 0) -> None:
        self._html = markup
        self._kept = None
        self._load(markup)
        self.verticalScrollBar().setValue(position)

    def _load(self, markup: str) -> None:
        """Put the page in the document, then give glossary terms the dotted underline that
        says "explained here" (Qt's CSS has no dotted underline, so it is set on the format)."""
        self.setHtml(markup)
        if self._glossary is None:
            return
        marked = []
        block = self.document().begin()
        while block.isValid():
            iterator = block.begin()
            while not iterator.atEnd():
                fragment = iterator.fragment()
                fmt = fragment.charFormat()
                if (fmt.isAnchor() and fmt.background().style() != Qt.BrushStyle.NoBrush
                        and self._term_of(fmt.anchorHref())):
                    marked.append((fragment.position(), fragment.length()))
                iterator += 1
            block = block.next()
        underline = QTextCharFormat()
        underline.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
        underline.setUnderlineColor(self.palette().color(QPalette.ColorRole.PlaceholderText))
        cursor = QTextCursor(self.document())
        cursor.beginEditBlock()
        for position, length in marked:
            cursor.setPosition(position)
            cursor.setPosition(position + length, QTextCursor.MoveMode.KeepAnchor)
            cursor.mergeCharFormat(underline)
        cursor.endEditBlock()
        self.document().markContentsDirty(0, self.document().characterCount())

    def _rerender(self, focus_href: str = "") -> None:
        """Build the current page again (new glossary or folds), keeping the reading place."""
        if self._render is None:
            return
        self._set_page(self._render(), self.verticalScrollBar().value())
        if focus_href:
            self.focus_anchor(focus_href)

    # ---- the reading position ------------------------------------------------------------

    def scroll_fraction(self) -> float:
        """How far down the page the reader is, 0 (top) to 1 (bottom)."""
        bar = self.verticalScrollBar()
        return bar.value() / bar.maximum() if bar.maximum() > 0 else 0.0

    def set_scroll_fraction(self, fraction: float) -> None:
        """Scroll to ``fraction`` of the page, and keep it there while the page is laid out
        (the window may not even be shown yet), until the reader scrolls or opens another page."""
        self._pending_fraction = max(0.0, min(1.0, float(fraction)))
        self._scroll_to_pending()

    @Slot()
    def _scroll_to_pending(self) -> None:
        bar = self.verticalScrollBar()
        if self._pending_fraction is not None and bar.maximum() > 0:
            bar.setValue(round(self._pending_fraction * bar.maximum()))

    @Slot()
    def _forget_pending_scroll(self) -> None:
        self._pending_fraction = None

    def focus_anchor(self, href: str) -> bool:
        """Put the keyboard focus on the link to ``href`` (as Tab would); True if found."""
        block = self.document().begin()
        while block.isValid():
            iterator = block.begin()
            while not iterator.atEnd():
                fragment = iterator.fragment()
                if fragment.isValid() and fragment.charFormat().anchorHref() == href:
                    cursor = QTextCursor(self.document())
                    cursor.setPosition(fragment.position())
                    cursor.setPosition(fragment.position() + fragment.length(),
                                       QTextCursor.MoveMode.KeepAnchor)
                    self.setTextCursor(cursor)
                    self.ensureCursorVisible()
                    return True
                iterator += 1
            block = block.next()
        return False

    # ---- looks: palette and text size ----------------------------------------------------

    def _apply_palette(self) -> None:
        self.document().setDefaultStyleSheet(stylesheet(palette_colours(self.palette()), self._compact))
        if self._html:
            position = self.verticalScrollBar().value()
            self._load(self._html)
            self.verticalScrollBar().setValue(position)

    def _apply_font(self) -> None:
        """The pane's text: the application's size (which zoom sets), a little larger."""
        font = QApplication.font()
        zoom = _zoom_factor(font)
        # The extra scale fades out as the text grows: at 200% the pane is as large as the
        # rest of the window, not 2.3 times the normal size (issue 12, defect 2).
        scale = max(1.0, TEXT_SCALE - (TEXT_SCALE - 1.0) * (zoom - 1.0) / (COMPACT_ZOOM - 1.0))
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * scale)
        else:
            font.setPixelSize(round(font.pixelSize() * scale))
        compact = zoom >= COMPACT_ZOOM - 0.01
        if font != self.font() or compact != self._compact:
            relayout = compact != self._compact
            self._compact = compact
            self.setFont(font)
            self._apply_palette()
            if relayout:  # a record's page is laid out differently at large text sizes
                self._rerender()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_palette()
        super().changeEvent(event)

    def event(self, event: QEvent) -> bool:
        # A new application font (zoom) arrives as ApplicationFontChange, or, when the
        # application has a style sheet, only with the repolish that follows (StyleChange).
        if event.type() in (QEvent.Type.ApplicationFontChange, QEvent.Type.StyleChange):
            self._apply_font()
        return super().event(event)

    def viewportEvent(self, event: QEvent) -> bool:
        """Hovering a glossary term shows its definition as a wrapped tooltip."""
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            tip = self._tooltip_for(self.anchorAt(event.pos()))
            if tip:
                QToolTip.showText(event.globalPos(), tip, self.viewport())
                return True
        return super().viewportEvent(event)

    def loadResource(self, kind: int, name: QUrl) -> Any:
        """Nothing is ever loaded into the pane: no images, no files, no network."""
        return None

    # ---- links ---------------------------------------------------------------------------

    def _term_of(self, href: str) -> str | None:
        url = QUrl(href)
        if url.scheme().lower() == SCHEME and self._glossary is not None and url.path() in self._glossary:
            return url.path()
        return None

    def _tooltip_for(self, href: str) -> str:
        term_id = self._term_of(href) if href else None
        if term_id is None:
            return ""
        term = self._glossary.terms[term_id]
        characters = min(len(term.term) + len(term.definition) + 2, TOOLTIP_CHARACTERS)
        width = QFontMetrics(QToolTip.font()).averageCharWidth() * characters
        return term_tooltip(term.term, term.definition, width)

    @Slot(QUrl)
    def _on_anchor(self, url: QUrl) -> None:
        scheme = url.scheme().lower()
        if scheme == SCHEME:
            self.record_requested.emit(url.path())
        elif scheme == TOGGLE_SCHEME:
            self.toggle_section(url.path())
        elif scheme == MAP_SCHEME:
            self.map_requested.emit(url.path())
        elif scheme == IMPORT_SCHEME and parse_import_href(url.path()):
            self.import_action_requested.emit(*parse_import_href(url.path()))
        elif scheme in EXTERNAL_SCHEMES:
            QDesktopServices.openUrl(url)

    def toggle_section(self, key: str) -> None:
        """Fold the section ``key`` if open, open it if folded; the focus stays on its heading."""
        if key not in SECTION_HEADINGS:
            return
        if key in self._folded:
            self._folded.remove(key)
        else:
            self._folded.append(key)
        self._rerender(focus_href=f"{TOGGLE_SCHEME}:{key}")
        self.folded_changed.emit(self.folded)

    def _say(self, words: str) -> None:
        """Tell the status bar about a link; "" clears only what this pane said before."""
        if words or self._said:
            self._said = words
            self.link_hovered.emit(words)

    def focusInEvent(self, event: QFocusEvent) -> None:
        """Coming back by keyboard, the link that had the focus has it again; arriving by Tab
        (or Shift+Tab) with none, the first (or last) link in view takes it at once, so the first
        key press shows where the focus went, not only the pane's border."""
        super().focusInEvent(event)
        reason = event.reason()
        if reason in (Qt.FocusReason.MouseFocusReason, Qt.FocusReason.PopupFocusReason):
            self._kept = None
            return
        if self._kept is not None and not self.focused_href():
            start, end = self._kept
            cursor = QTextCursor(self.document())
            cursor.setPosition(min(start, self.document().characterCount() - 1))
            cursor.setPosition(min(end, self.document().characterCount() - 1),
                               QTextCursor.MoveMode.KeepAnchor)
            self.setTextCursor(cursor)
        elif (reason in (Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason)
                and not self.focused_href()):
            super().focusNextPrevChild(reason == Qt.FocusReason.TabFocusReason)
        self._kept = None
        self._mark_focused_link()
        # Said once the focus has settled: a tooltip shown during a focus change is hidden at once.
        QTimer.singleShot(0, self._on_cursor_moved)

    def focusOutEvent(self, event: QEvent) -> None:
        """The focused link stops looking selected while the focus is elsewhere (it comes back
        with the focus); a pop-up menu over the pane keeps it."""
        QToolTip.hideText()
        super().focusOutEvent(event)
        cursor = self.textCursor()
        if self.focused_href() and event.reason() != Qt.FocusReason.PopupFocusReason:
            self._kept = (cursor.selectionStart(), cursor.selectionEnd())
            cursor.clearSelection()
            self.setTextCursor(cursor)

    def focusNextPrevChild(self, next: bool) -> bool:
        """Tab and Shift+Tab move from link to link; say what the new one does."""
        moved = super().focusNextPrevChild(next)
        self._on_cursor_moved()
        return moved

    def focused_href(self) -> str:
        """The address of the link the keyboard has selected ("" for none)."""
        cursor = self.textCursor()
        return cursor.charFormat().anchorHref() if cursor.hasSelection() else ""

    def _mark_focused_link(self) -> None:
        """Show the link under the keyboard focus as selected text, in the palette's highlight
        colours (Qt marks a link reached by Tab only with a faint dotted box; making its cursor
        the text cursor again turns that into an ordinary selection, which Enter still opens)."""
        if self.hasFocus() and self.focused_href():
            self.setTextCursor(QTextCursor(self.textCursor()))

    def _on_cursor_moved(self) -> None:
        """A link selected by the keyboard (QTextBrowser does not report it as ``highlighted``)."""
        href = self.focused_href()
        if href:
            self._mark_focused_link()
            self._on_highlighted(QUrl(href))

    @Slot(QUrl)
    def _on_highlighted(self, url: QUrl) -> None:
        """A link under the pointer or under the keyboard focus: say what it does."""
        if url.isEmpty():
            self._say("")
            QToolTip.hideText()
            return
        scheme = url.scheme().lower()
        href = url.toString()
        term_id = self._term_of(href)
        if term_id is not None:
            term = self._glossary.terms[term_id]
            self._show_tip(href, self._tooltip_for(href))
            self._say(f"{term.term}: {term.definition}")
            return
        QToolTip.hideText()  # a definition shown for the link before would cover this one
        if scheme == TOGGLE_SCHEME:
            hidden = url.path() in self._folded
            self._say("Show this section" if hidden else "Hide this section")
        elif scheme in EXTERNAL_SCHEMES:
            self._say(f"Opens in your web browser: {href}")
        elif scheme == MAP_SCHEME:
            self._say("Press Enter to show this mechanism on the map")
        elif scheme == IMPORT_SCHEME:
            self._say(f"Press Enter: {self.textCursor().selectedText()}")
        elif scheme == SCHEME and self.focused_href() == href and is_list_address(url.path()):
            self._say(f"Press Enter to list the studies behind this count: "
                      f"“{self.textCursor().selectedText()}”")
        elif scheme == SCHEME and self.focused_href() == href:
            self._say(f"Press Enter to open “{self.textCursor().selectedText()}”")
        else:
            self._say("")

    def _pointer_on(self, href: str) -> bool:
        viewport = self.viewport()
        pointer = viewport.mapFromGlobal(QCursor.pos())
        return viewport.rect().contains(pointer) and self.anchorAt(pointer) == href

    def _tip_position(self, href: str) -> QPoint:
        """Where the tooltip goes: at the pointer when it is on the link, else under the link
        that has the keyboard focus."""
        if self._pointer_on(href):
            return QCursor.pos()
        return self.viewport().mapToGlobal(self.focused_link_rect().bottomLeft())

    def focused_link_rect(self) -> QRect:
        """The keyboard-selected link's lines, in viewport coordinates."""
        cursor = self.textCursor()
        start, end = QTextCursor(cursor), QTextCursor(cursor)
        start.setPosition(cursor.selectionStart())
        end.setPosition(cursor.selectionEnd())
        return self.cursorRect(start).united(self.cursorRect(end))

    def _show_tip(self, href: str, text: str) -> None:
        """Show a tooltip for ``href``; for the keyboard-selected link, keep it off the link's
        lines (below them, or above them when the screen has no room below)."""
        QToolTip.showText(self._tip_position(href), text, self.viewport())
        if self._pointer_on(href):
            return
        tip = next((w for w in QApplication.topLevelWidgets()
                    if w.inherits("QTipLabel") and w.isVisible()), None)
        if tip is None:
            return
        link = self.focused_link_rect()
        link = QRect(self.viewport().mapToGlobal(link.topLeft()), link.size())
        if not tip.geometry().intersects(link):
            return
        screen = QGuiApplication.screenAt(link.center()) or QGuiApplication.primaryScreen()
        area = screen.availableGeometry() if screen else QRect()
        below = link.bottom() + TIP_GAP
        if area.isNull() or below + tip.height() <= area.bottom():
            tip.move(tip.x(), below)
        else:
            tip.move(tip.x(), link.top() - TIP_GAP - tip.height())
