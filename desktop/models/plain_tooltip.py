"""Tooltips that show record and user text as typed: Qt shows a tooltip that merely looks like
rich text (``<u>…``, ``<img src=…>``) as HTML, so such text is escaped first."""

from __future__ import annotations

from PySide6.QtGui import Qt


def plain_tooltip(text: str) -> str:
    """``text`` as a tooltip shows it: unchanged when Qt would show it as plain text anyway,
    else escaped into rich text that shows the same characters and line breaks."""
    if not text or not Qt.mightBeRichText(text):
        return text
    return Qt.convertFromPlainText(text, Qt.WhiteSpaceMode.WhiteSpaceNormal)
