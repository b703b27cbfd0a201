"""Composition root: the QApplication, the reference data, the window.

Imports only what the first paint needs; the search module and sqlite-utils load later, if ever.
"""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from desktop import paths, settings

QUIT_AFTER_PAINT_ENV = "TRIALTREE_QUIT_AFTER_PAINT"  # for the start-up benchmark


class _QuitAfterFirstPaint(QObject):
    """Quits the application as soon as the window has painted once."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, QApplication.quit)
        return False


def _open_library():
    """(library, problem, warning): a Library, or None and why not."""
    from desktop.data.build import ReferenceUnavailable
    from desktop.data.reference import open_reference

    try:
        library, result = open_reference()
    except ReferenceUnavailable as error:
        return None, str(error), None
    return library, None, result.warning


def create_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    app.setOrganizationName(settings.ORGANIZATION)
    app.setApplicationName(settings.APPLICATION)
    app.setApplicationDisplayName("TrialTree")
    icon = paths.resources_dir() / "icons" / "trialtree.svg"
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))
    return app


def run_app(open_id: str | None = None) -> int:
    """Show the window (on ``open_id`` if given) and run until it closes; the exit status."""
    app = create_application()
    from desktop.ui.main_window import MainWindow

    library, problem, warning = _open_library()
    window = MainWindow(library, settings.open_settings(), problem=problem)
    if warning:
        window.show_warning(warning)
    window.start(open_id)
    if os.environ.get(QUIT_AFTER_PAINT_ENV) == "1":
        quitter = _QuitAfterFirstPaint(window)
        window.installEventFilter(quitter)
    window.show()
    status = app.exec()
    if library is not None:
        library.close()
    return status
