"""How a search result row looks: a small kind label, the title, and one line of snippet with
the matched words highlighted.

Every row is two lines tall (so the list never jumps as results change). The snippet goes
through :func:`snippet_html` — the text is escaped first, then the match markers become spans —
and is painted as a QTextDocument; the title and label are painted as plain text, so nothing
from the data can ever be read as markup. The highlight colour is mixed from the palette
(:func:`mark_colour`), so it follows the theme and keeps the text readable on it.
"""

from __future__ import annotations

from collections import OrderedDict
from functools import lru_cache

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (QAbstractTextDocumentLayout, QColor, QFont, QFontMetrics, QPainter,
                           QPalette, QTextDocument, QTextOption)
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from desktop.models.results_model import SHORT_KIND_LABELS, SUGGESTION
from desktop.models.tree_model import CROSSCHECK_MARK
from desktop.render.markup import Markup, esc

Index = QModelIndex | QPersistentModelIndex

PADDING = 5  # around the row's text, in pixels
LINE_GAP = 2  # between the title line and the snippet line
LABEL_SCALE = 0.85  # the kind label's size, relative to the list's text
MIN_CONTRAST = 4.5  # text on a highlighted word, as for all text (WCAG AA)
MARK_STRENGTHS = tuple(n / 20 for n in range(2, 15))  # how much colour to mix in: 0.1 … 0.7
VISIBLE = 1.6  # contrast of a highlighted word's background with the row's: enough to see
SUGGESTION_HINT = "Search for this instead"
ELLIPSIS = "…"


# ---- colours ---------------------------------------------------------------------------------


def _luminance(colour: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return (0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF())
            + 0.0722 * channel(colour.blueF()))


def contrast(one: QColor, other: QColor) -> float:
    """The WCAG contrast ratio of two colours (1–21)."""
    a, b = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def _mix(over: QColor, under: QColor, amount: float) -> QColor:
    return QColor.fromRgbF(*(o * amount + u * (1 - amount) for o, u in
                             ((over.redF(), under.redF()), (over.greenF(), under.greenF()),
                              (over.blueF(), under.blueF()))))


def mark_colour(palette: QPalette, selected: bool = False,
                group: QPalette.ColorGroup = QPalette.ColorGroup.Active) -> QColor:
    """The background of a matched word, mixed from the theme's own colours.

    On a plain row the theme's highlight is mixed into the row's background; on a selected row
    (already the highlight colour) the theme's colour least like the text is mixed in (its
    darkest under light text). Just enough to stand out (:data:`VISIBLE`),
    never so much that the text on it drops below a contrast of 4.5:1.
    """
    role = QPalette.ColorRole
    if selected:
        text, under = (palette.color(group, role.HighlightedText), palette.color(group, role.Highlight))
        candidates = [palette.color(group, r) for r in (role.Shadow, role.Dark, role.Text, role.Base,
                                                         role.WindowText, role.Light, role.BrightText)]
        # the theme's colour farthest from the text: the darkest under light text, and so on
        over = max(candidates, key=lambda c: abs(_luminance(c) - _luminance(text)))
    else:
        text, under = palette.color(group, role.Text), palette.color(group, role.Base)
        over = palette.color(group, role.Highlight)
    return QColor.fromRgba(_mark(text.rgba(), under.rgba(), over.rgba()))


@lru_cache(maxsize=64)
def _mark(text_rgba: int, under_rgba: int, over_rgba: int) -> int:
    text, under, over = QColor.fromRgba(text_rgba), QColor.fromRgba(under_rgba), QColor.fromRgba(over_rgba)
    best = under
    for amount in MARK_STRENGTHS:
        colour = _mix(over, under, amount)
        if contrast(text, colour) < MIN_CONTRAST:
            break
        best = colour
        if contrast(colour, under) >= VISIBLE:
            break
    return best.rgba()


# ---- the snippet -----------------------------------------------------------------------------


def snippet_html(snippet: str, marks: tuple[str, str], colour: QColor) -> Markup:
    """The snippet as HTML: every character escaped, the marked words in highlighted spans.

    Stray or unbalanced markers are dropped or closed, so the result is always well formed.
    """
    start, end = marks
    parts: list[str] = []
    open_span = False
    plain = ""
    for char in snippet:
        if start and char == start:
            if not open_span:
                parts.append(esc(plain))
                plain = ""
                parts.append(f'<span style="background-color: {colour.name()};">')
                open_span = True
        elif end and char == end:
            if open_span:
                parts.append(esc(plain) + "</span>")
                plain = ""
                open_span = False
        else:
            plain += char
    parts.append(esc(plain))
    if open_span:
        parts.append("</span>")
    return Markup("".join(parts).replace("\n", " "))


def plain_text(snippet: str, marks: tuple[str, str]) -> str:
    for mark in marks:
        if mark:
            snippet = snippet.replace(mark, "")
    return snippet


def elide_marked(snippet: str, marks: tuple[str, str], metrics: QFontMetrics, width: int) -> str:
    """``snippet`` cut to fit ``width`` (with an ellipsis), its markers kept where they were."""
    snippet = " ".join(snippet.split())
    plain = plain_text(snippet, marks)
    elided = metrics.elidedText(plain, Qt.TextElideMode.ElideRight, max(0, width))
    if elided == plain:
        return snippet
    keep = max(0, len(elided) - 1) if elided.endswith(ELLIPSIS) else len(elided)
    out: list[str] = []
    seen = 0
    for char in snippet:
        if char in marks and char:
            out.append(char)
            continue
        if seen == keep:
            break
        out.append(char)
        seen += 1
    text = "".join(out).rstrip()
    start, end = marks
    if start and text.count(start) > text.count(end):
        text += end
    return text + ELLIPSIS


# ---- the delegate ----------------------------------------------------------------------------


class ResultsDelegate(QStyledItemDelegate):
    """Paints rows of a :class:`~desktop.models.results_model.ResultsModel`.

    The laid-out snippets are kept (a few hundred, by text, width, colours and font), so
    scrolling and repainting after a new answer cost little on the UI thread.
    """

    CACHE_SIZE = 400

    def __init__(self, parent=None):
        super().__init__(parent)
        self._documents: OrderedDict[tuple, QTextDocument] = OrderedDict()
        self._label_widths: dict[str, int] = {}

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont]:
        label = QFont(option.font)
        if label.pointSizeF() > 0:
            label.setPointSizeF(label.pointSizeF() * LABEL_SCALE)
        else:
            label.setPixelSize(max(6, round(label.pixelSize() * LABEL_SCALE)))
        return option.font, label

    def _label_width(self, label_font: QFont) -> int:
        key = label_font.key()
        if key not in self._label_widths:
            metrics = QFontMetrics(label_font)
            self._label_widths[key] = max(metrics.horizontalAdvance(text)
                                          for text in SHORT_KIND_LABELS.values())
        return self._label_widths[key]

    def _document(self, snippet: str, marks: tuple[str, str], metrics: QFontMetrics, width: int,
                  colour: QColor, font: QFont) -> QTextDocument:
        key = (snippet, marks, width, colour.rgb(), font.key())
        document = self._documents.get(key)
        if document is None:
            document = snippet_document(elide_marked(snippet, marks, metrics, width), marks,
                                        colour, font)
            self._documents[key] = document
            if len(self._documents) > self.CACHE_SIZE:
                self._documents.popitem(last=False)
        else:
            self._documents.move_to_end(key)
        return document

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        line = QFontMetrics(option.font).lineSpacing()
        return QSize(max(option.rect.width(), 100), 2 * PADDING + 2 * line + LINE_GAP)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        model = index.model()
        hit = model.hit(index.row()) if hasattr(model, "hit") else None
        if hit is None:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)  # (no initStyleOption: the model's roles go unused)
        opt.text = ""  # the style draws the background, selection and focus; the text is ours
        widget = opt.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)

        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        group = (QPalette.ColorGroup.Disabled if not opt.state & QStyle.StateFlag.State_Enabled
                 else QPalette.ColorGroup.Active if opt.state & QStyle.StateFlag.State_Active
                 else QPalette.ColorGroup.Inactive)
        palette = opt.palette
        role = QPalette.ColorRole
        text_colour = palette.color(group, role.HighlightedText if selected else role.Text)
        muted = palette.color(group, role.HighlightedText if selected else role.PlaceholderText)
        font, label_font = self._fonts(opt)
        metrics = QFontMetrics(font)
        line = metrics.lineSpacing()
        rect = opt.rect.adjusted(PADDING, PADDING, -PADDING, -PADDING)
        label_width = self._label_width(label_font)
        left = rect.left() + label_width + metrics.horizontalAdvance("  ")
        width = max(0, rect.right() - left)
        suggestion = hit.kind == SUGGESTION

        painter.save()
        painter.setClipRect(opt.rect)
        # line 1: the kind label, then the title
        painter.setFont(label_font)
        painter.setPen(muted)
        painter.drawText(QRect(rect.left(), rect.top(), label_width, line),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         SHORT_KIND_LABELS.get(hit.kind, hit.kind.capitalize()))
        title = hit.title
        if model.is_crosschecked(index.row()):
            title = CROSSCHECK_MARK + title
        painter.setFont(font)
        painter.setPen(palette.color(group, role.Link) if suggestion and not selected else text_colour)
        painter.drawText(QRect(left, rect.top(), width, line),
                         Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         metrics.elidedText(" ".join(title.split()), Qt.TextElideMode.ElideRight, width))
        # line 2: the snippet, matches highlighted
        top = rect.top() + line + LINE_GAP
        if suggestion:
            painter.setPen(muted)
            painter.drawText(QRect(left, top, width, line),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                             metrics.elidedText(SUGGESTION_HINT, Qt.TextElideMode.ElideRight, width))
        elif hit.snippet:
            document = self._document(hit.snippet, model.marks, metrics, width - 2,
                                      mark_colour(palette, selected, group), font)
            context = QAbstractTextDocumentLayout.PaintContext()
            context.palette.setColor(role.Text, text_colour)
            context.clip = QRectF(0, 0, width, line)
            painter.translate(left, top)
            painter.setClipRect(QRectF(0, 0, width, line + LINE_GAP))
            document.documentLayout().draw(painter, context)
        painter.restore()


def snippet_document(text: str, marks: tuple[str, str], colour: QColor, font: QFont) -> QTextDocument:
    """One unwrapped line of snippet, ready to paint."""
    document = QTextDocument()
    document.setDocumentMargin(0)
    document.setDefaultFont(font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.NoWrap)
    document.setDefaultTextOption(option)
    document.setHtml(snippet_html(text, marks, colour))
    return document
