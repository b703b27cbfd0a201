"""Composition root: the QApplication, the reference data, the window.

Imports only what the first paint needs; the search module and sqlite-utils load later, if ever.
"""

from __future__ import annotations

import os
import sqlite3
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


def _open_bookmarks(library):
    """(store, message): the user's bookmarks (None if they cannot be opened now) and what to
    tell the person, in plain words (None if all is well). Today's backup is written if due."""
    from desktop.data.bookmarks import UserDataUnavailable, open_user_store

    try:
        store, message = open_user_store(paths.data_dir())
    except (UserDataUnavailable, OSError) as error:
        return None, f"Bookmarks are turned off for now: {error}"
    try:
        store.backup_if_due()
    except OSError:
        pass  # open_user_store has already said so in its message
    if library is not None:
        try:
            store.refresh_titles(library)  # so a record that later leaves keeps its last title
        except sqlite3.Error:
            pass  # busy for a moment: the titles saved before are still good
    return store, message


def _close_bookmarks(store) -> None:
    """At quit: today's backup (if the bookmarks changed), then close."""
    try:
        store.backup_if_due()
    except OSError:
        pass  # nowhere to tell the person now; the next launch tries again and says so
    store.close()


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
    bookmarks, bookmarks_message = _open_bookmarks(library)
    window = MainWindow(library, settings.open_settings(), problem=problem, bookmarks=bookmarks)
    if warning:
        window.show_warning(warning)
    if bookmarks_message:
        window.bookmarking.show_notice(bookmarks_message)
    window.start(open_id)
    if os.environ.get(QUIT_AFTER_PAINT_ENV) == "1":
        quitter = _QuitAfterFirstPaint(window)
        window.installEventFilter(quitter)
    window.show()
    status = app.exec()
    if bookmarks is not None:
        _close_bookmarks(bookmarks)
    if library is not None:
        library.close()
    return status
