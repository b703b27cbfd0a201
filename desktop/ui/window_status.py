"""The window's status bar: passing messages cut to fit, a lasting notice, the busy bar while
the data is prepared and the open record's label.

A part of :class:`~desktop.ui.main_window.MainWindow` (a mixin; it uses ``themes``).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QProgressBar

from desktop.models.plain_tooltip import plain_tooltip
from desktop.ui.themes import is_still

APP_TITLE = "TrialTree"
STATUS_GAP = 24  # pixels kept free between a status message and the record label


class WindowStatus:
    """The status bar's parts (mixed into MainWindow)."""

    def show_page_name(self, title: str | None, label: str = "") -> None:
        """Name the page shown: the window title (``title — TrialTree``) and the record label
        in the status bar (cleared when ``label`` is empty)."""
        self.setWindowTitle(f"{title} — {APP_TITLE}" if title else APP_TITLE)
        self.record_label.setText(label)

    def current_message(self) -> str:
        """The passing message in the status bar now ("" if none)."""
        return self.statusBar().currentMessage()

    def _build_status_bar(self) -> None:
        self.notice = QLabel(self)  # a lasting warning, e.g. seeds with an error
        self.notice.setVisible(False)
        # While the data is prepared: no figure, no end time; never in the low-stimulus theme
        # (a busy bar moves, and that theme promises no motion: the page says it in words).
        self._preparing = False
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)
        self.progress.setTextVisible(False)
        self.progress.setAccessibleName("Preparing the data")
        self.progress.setMaximumWidth(160)
        self.progress.setVisible(False)
        self.record_label = QLabel(self)
        self.record_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.statusBar().addWidget(self.notice, 1)
        self.statusBar().addPermanentWidget(self.progress)
        self.statusBar().addPermanentWidget(self.record_label)
        self.statusBar().messageChanged.connect(self._on_status_message)

    def _show_progress(self, preparing: bool | None = None) -> None:
        if preparing is not None:
            self._preparing = preparing
        self.progress.setVisible(self._preparing and not is_still(self.themes.theme))

    def show_message(self, text: str) -> None:
        """A passing message (10 seconds), cut with "…" to the room beside the record label; the
        whole message is the status bar's tooltip meanwhile."""
        shown = self.fit_message(text)
        self.statusBar().showMessage(shown, 10000)
        if shown != text:
            self.statusBar().setToolTip(plain_tooltip(text))

    def message_room(self) -> int:
        """The width a status message may take without running into the record label."""
        label = self.record_label
        beside = label.sizeHint().width() + STATUS_GAP if label.text() else 0
        return max(self.statusBar().width() - 18 - beside, 80)  # QStatusBar's own margins: 18

    def fit_message(self, text: str) -> str:
        """``text`` on one line, cut with "…" to fit :meth:`message_room` (whole while the
        window is not on screen: its status bar has no width yet)."""
        line = " ".join(text.split())
        if not self.statusBar().isVisible():
            return line
        return self.statusBar().fontMetrics().elidedText(line, Qt.TextElideMode.ElideRight,
                                                         self.message_room())

    def _on_status_message(self, text: str) -> None:
        """A message someone showed without cutting it (a menu's status tip): too long for the
        room beside the record label, it gets the whole bar while it shows."""
        too_long = bool(text) and (self.statusBar().fontMetrics().horizontalAdvance(text)
                                   > self.message_room())
        self.record_label.setVisible(not too_long)
        if not text:
            self.statusBar().setToolTip("")

    def show_warning(self, text: str) -> None:
        """A lasting note in the status bar (e.g. the seeds have an error; older data is shown)."""
        self.notice.setText(text.splitlines()[0] if text else "")
        self.notice.setToolTip(plain_tooltip(text))
        self.notice.setVisible(bool(text))

    def _on_link_hovered(self, text: str) -> None:
        if text:  # cut to fit beside the record label (a definition's tooltip has it all)
            self.statusBar().showMessage(self.fit_message(text))
        else:
            self.statusBar().clearMessage()
