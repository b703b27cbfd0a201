"""Text size: Ctrl+plus, Ctrl+minus and Ctrl+0 scale every text in the window, 80% to 250%.

The size is the application font (the tree, the lists, menus and the status bar follow it; the
detail pane keeps its own slightly larger size on top of it), so one setting scales everything,
and it is remembered across launches.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QSettings, Signal, Slot
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import QApplication, QTreeView

from desktop import settings

STEPS = (80, 90, 100, 110, 125, 150, 175, 200, 225, 250)
MINIMUM, MAXIMUM, DEFAULT = STEPS[0], STEPS[-1], 100
_base_font: QFont | None = None


def clamp(percent: int) -> int:
    """``percent`` kept within 80–250."""
    return max(MINIMUM, min(MAXIMUM, int(percent)))


def next_step(percent: int, direction: int) -> int:
    """The next size up (``direction`` > 0) or down from ``percent``, staying within the steps."""
    if direction > 0:
        return next((s for s in STEPS if s > percent), MAXIMUM)
    return next((s for s in reversed(STEPS) if s < percent), MINIMUM)


def base_font(app: QApplication | None = None) -> QFont:
    """The application font as the platform gave it, before any zoom (taken on first use)."""
    global _base_font
    if _base_font is None:
        _base_font = QFont((app or QApplication.instance()).font())
    return QFont(_base_font)


def scaled(font: QFont, factor: float) -> QFont:
    """``font`` ``factor`` times as large, whether it is sized in points or pixels."""
    result = QFont(font)
    if font.pointSizeF() > 0:
        result.setPointSizeF(font.pointSizeF() * factor)
    else:
        result.setPixelSize(max(1, round(font.pixelSize() * factor)))
    return result


def apply_zoom(percent: int, app: QApplication | None = None) -> int:
    """Scale the application font to ``percent`` of the platform's; the percent applied."""
    app = app or QApplication.instance()
    percent = clamp(percent)
    app.setFont(scaled(base_font(app), percent / 100))
    if app.styleSheet():  # with a style sheet, Qt hands the new font on only after a repolish
        app.setStyleSheet(app.styleSheet())
    for widget in app.allWidgets():  # tree indentation follows the text (see themes.CalmStyle)
        if isinstance(widget, QTreeView):
            widget.resetIndentation()
    return percent


class Zoom(QObject):
    """The zoom actions; applies the stored size at start and remembers every change.

    ``changed(percent)`` fires after each change.
    """

    changed = Signal(int)

    def __init__(self, store: QSettings, parent: QObject | None = None):
        super().__init__(parent)
        self._store = store
        self.percent = clamp(settings.read(store, settings.ZOOM))
        self.zoom_in_action = QAction("Larger text", self)
        self.zoom_in_action.setShortcuts([QKeySequence(QKeySequence.StandardKey.ZoomIn),
                                          QKeySequence("Ctrl+=")])
        self.zoom_out_action = QAction("Smaller text", self)
        self.zoom_out_action.setShortcut(QKeySequence(QKeySequence.StandardKey.ZoomOut))
        self.reset_action = QAction("Normal text size", self)
        self.reset_action.setShortcut(QKeySequence("Ctrl+0"))
        for action, tip in ((self.zoom_in_action, "Make all text larger"),
                            (self.zoom_out_action, "Make all text smaller"),
                            (self.reset_action, "Back to the normal text size")):
            action.setStatusTip(tip)
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{tip} ({keys})")
        self.zoom_in_action.triggered.connect(self.zoom_in)
        self.zoom_out_action.triggered.connect(self.zoom_out)
        self.reset_action.triggered.connect(self.reset)

    @property
    def actions(self) -> list[QAction]:
        return [self.zoom_in_action, self.zoom_out_action, self.reset_action]

    def apply(self) -> None:
        apply_zoom(self.percent)

    def set_percent(self, percent: int) -> None:
        """Show every text at ``percent`` (clamped to 80–250) and remember it."""
        self.percent = clamp(percent)
        settings.write(self._store, settings.ZOOM, self.percent)
        self.apply()
        self.changed.emit(self.percent)

    @Slot()
    def zoom_in(self) -> None:
        self.set_percent(next_step(self.percent, +1))

    @Slot()
    def zoom_out(self) -> None:
        self.set_percent(next_step(self.percent, -1))

    @Slot()
    def reset(self) -> None:
        self.set_percent(DEFAULT)

    def describe(self) -> str:
        """The status bar's words for the current size."""
        limit = " (the largest)" if self.percent == MAXIMUM else (
            " (the smallest)" if self.percent == MINIMUM else "")
        return f"Text size: {self.percent}%{limit}"
