"""The printable summary on paper (issue 18): Qt's own printing, for the window and the command line.

The HTML comes from :mod:`desktop.render.summary`; here it becomes a QTextDocument laid out on
A4 or Letter (from the locale) and is written to a PDF (QPdfWriter) or sent to a printer
(QPrinter), with the footer (data date, "not medical advice") drawn at the foot of every page.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QLocale, QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import (QColor, QFont, QGuiApplication, QPageLayout, QPageSize, QPagedPaintDevice,
                           QPainter, QPdfWriter, QTextDocument)

from desktop.render.summary import print_colours

# Countries whose paper is US Letter; everywhere else uses A4 (ISO 216).
LETTER_TERRITORIES = frozenset({
    QLocale.Country.UnitedStates, QLocale.Country.Canada, QLocale.Country.Mexico,
    QLocale.Country.Chile, QLocale.Country.Colombia, QLocale.Country.CostaRica,
    QLocale.Country.Guatemala, QLocale.Country.Panama, QLocale.Country.Philippines,
    QLocale.Country.PuertoRico, QLocale.Country.Venezuela, QLocale.Country.DominicanRepublic,
    QLocale.Country.ElSalvador, QLocale.Country.Nicaragua,
})
MARGIN_MM = 12
FOOTER_PT = 9
BODY_PT = 11
RESOLUTION = 300


def page_size_for(locale: QLocale | None = None) -> QPageSize:
    """Letter in the United States, Canada, Mexico and the other Letter countries; A4 elsewhere."""
    locale = locale or QLocale.system()
    letter = locale.territory() in LETTER_TERRITORIES
    return QPageSize(QPageSize.PageSizeId.Letter if letter else QPageSize.PageSizeId.A4)


def ensure_gui_app() -> QGuiApplication:
    """A Qt application for laying out text: the running one, or an offscreen one when there is
    none (the command line, with or without a display)."""
    app = QGuiApplication.instance()
    if app is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QGuiApplication([])
    return app


def summary_document(html: str, stylesheet: str) -> QTextDocument:
    document = QTextDocument()
    font = QFont()
    font.setPointSize(BODY_PT)
    document.setDefaultFont(font)
    document.setDefaultStyleSheet(stylesheet)
    document.setHtml(html)
    return document


def paint(document: QTextDocument, device: QPagedPaintDevice, footer: str,
          ink: str = "") -> int:
    """Lay ``document`` out on ``device``'s pages, the footer (in ``ink``, the print text colour)
    at the foot of each; the page count."""
    ink = ink or print_colours().text
    layout = device.pageLayout()
    dpi = device.logicalDpiX()
    paint_rect = layout.paintRectPixels(dpi)
    painter = QPainter(device)
    try:
        footer_font = QFont(document.defaultFont())
        footer_font.setPointSize(FOOTER_PT)
        painter.setFont(footer_font)
        line = painter.fontMetrics().lineSpacing()
        footer_height = line * 2.5
        width, height = paint_rect.width(), paint_rect.height() - footer_height
        # Laid out in the device's own pixels (as QTextDocument.print does), so points are points.
        document.documentLayout().setPaintDevice(device)
        document.setPageSize(QSizeF(width, height))
        pages = max(1, document.pageCount())
        for number in range(pages):
            if number:
                device.newPage()
            painter.save()
            painter.translate(0, -number * height)
            document.drawContents(painter, QRectF(0, number * height, width, height))
            painter.restore()
            painter.setPen(QColor(ink))
            text = footer + (f"  Page {number + 1} of {pages}." if pages > 1 else "")
            painter.drawText(QRectF(0, height + line * 0.5, width, footer_height - line * 0.5),
                             int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap), text)
    finally:
        painter.end()
    return pages


def write_pdf(html: str, stylesheet: str, footer: str, path: Path | str,
              locale: QLocale | None = None) -> int:
    """Write the summary to a PDF at ``path``; the number of pages. OSError if it cannot be
    written (checked first: QPdfWriter itself says nothing)."""
    ensure_gui_app()
    path = Path(path)
    with open(path, "wb"):
        pass  # raises a clear OSError for a missing folder or no permission
    writer = QPdfWriter(str(path))
    writer.setResolution(RESOLUTION)
    writer.setTitle("TrialTree summary")
    writer.setCreator("TrialTree")
    writer.setPageLayout(QPageLayout(page_size_for(locale), QPageLayout.Orientation.Portrait,
                                     QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
                                     QPageLayout.Unit.Millimeter))
    return paint(summary_document(html, stylesheet), writer, footer)


def print_to(printer, html: str, stylesheet: str, footer: str) -> int:
    """Send the summary to ``printer`` (a QPrinter set up by the print dialog)."""
    return paint(summary_document(html, stylesheet), printer, footer)
