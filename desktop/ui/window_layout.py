"""The window's layout and looks: size, splitter and their saving; icons in the theme's colours;
the list's width following the text size.

A part of :class:`~desktop.ui.main_window.MainWindow` (a mixin over ``splitter``, ``zoom``,
``toolbar``, ``store`` and the actions it draws icons for).
"""

from __future__ import annotations

from PySide6.QtWidgets import QStyle

from desktop import settings
from desktop.ui.themes import icon, icon_size

DEFAULT_SIZE = (1180, 760)
DEFAULT_SPLIT = (430, 750)
# The list widens with the text size (its titles stay readable at 200%), but the details pane
# always keeps most of the window: the list gets at most this share of the splitter.
MAX_LIST_SHARE = 0.42  # at 200% the pane needs the width for its title, summary and key facts
MIN_LIST_WIDTH = 240


def list_width(width: int, old_percent: int, new_percent: int, total: int) -> int:
    """The list's new width when the text goes from ``old_percent`` to ``new_percent``: scaled
    with the text, at least MIN_LIST_WIDTH, at most MAX_LIST_SHARE of ``total``."""
    scaled = round(width * new_percent / max(old_percent, 1))
    return max(min(MIN_LIST_WIDTH, total // 2), min(scaled, int(total * MAX_LIST_SHARE)))


class WindowLayout:
    """Layout and looks (mixed into MainWindow)."""

    def _restore_layout(self) -> None:
        if not self.restoreGeometry(settings.read(self.store, settings.WINDOW_GEOMETRY)):
            self.resize(*DEFAULT_SIZE)
        self.restoreState(settings.read(self.store, settings.WINDOW_STATE))
        if not self.splitter.restoreState(settings.read(self.store, settings.SPLITTER_STATE)):
            total = max(self.width(), sum(DEFAULT_SPLIT))
            left = list_width(DEFAULT_SPLIT[0], 100, self.zoom.percent, total)
            self.splitter.setSizes([left, total - left])

    def save_layout(self) -> None:
        settings.write(self.store, settings.WINDOW_GEOMETRY, self.saveGeometry())
        settings.write(self.store, settings.WINDOW_STATE, self.saveState())
        settings.write(self.store, settings.SPLITTER_STATE, self.splitter.saveState())
        if self.library is not None:  # closed while preparing (or broken): keep the last place
            settings.write(self.store, settings.LAST_RECORD, self.history.current or "")
            reading = (self.detail.record is not None
                       and self.detail.record.id == self.history.current)
            settings.write(self.store, settings.LAST_SCROLL,
                           self.detail.scroll_fraction() if reading else 0.0)
        settings.write(self.store, settings.GROUPING, self.tree.grouping)
        self.store.sync()

    def _on_theme_changed(self, theme: str) -> None:
        self._refresh_icons()
        self._show_progress()

    def _refresh_icons(self) -> None:
        """Icons drawn in the current palette's colours."""
        palette = self.palette()
        size = icon_size(self.zoom.percent / 100)
        menu_size = self.style().pixelMetric(QStyle.PixelMetric.PM_SmallIconSize)
        for action, name in ((self.back_action, "back"), (self.forward_action, "forward"),
                             (self.zoom.zoom_in_action, "zoom-in"),
                             (self.zoom.zoom_out_action, "zoom-out"),
                             (self.glossary_action, "glossary")):
            action.setIcon(icon(name, palette, (menu_size, size.width())))
        self.toolbar.setIconSize(size)

    def _on_zoom_changed(self, percent: int) -> None:
        self._refresh_icons()  # sharp at the new size
        self._fit_splitter(percent)
        self.show_message(self.zoom.describe())

    def _fit_splitter(self, percent: int) -> None:
        """Widen (or narrow) the list in step with the text, keeping the details pane the
        larger part of the window; always from the width wanted at 100%."""
        sizes = self.splitter.sizes()
        total = sum(sizes)
        if len(sizes) != 2 or total <= 0 or percent == self._zoom_percent:
            self._zoom_percent = percent
            return
        if self._list_width_at_100 is None:
            self._list_width_at_100 = sizes[0] * 100 / max(self._zoom_percent, 1)
        left = list_width(round(self._list_width_at_100), 100, percent, total)
        self._zoom_percent = percent
        self.splitter.setSizes([left, total - left])

    def _on_splitter_moved(self, position: int, index: int) -> None:
        """The user moved the handle: that width, at this text size, is the one wanted."""
        self._list_width_at_100 = self.splitter.sizes()[0] * 100 / max(self.zoom.percent, 1)

    def _on_folded_changed(self, keys: list) -> None:
        settings.write(self.store, settings.FOLDED_SECTIONS, ",".join(keys))
