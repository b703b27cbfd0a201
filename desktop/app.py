"""Composition root: the QApplication, the reference data, the window.

Imports only what the first paint needs; the search module and sqlite-utils load later, if ever.
When the reference database must be (re)built, the window shows at once with a calm "preparing"
page while the build runs in a worker thread (desktop.ui.preparing), then gets the Library.
"""

from __future__ import annotations

import os
import sqlite3
import sys
import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from desktop import paths, settings

QUIT_AFTER_PAINT_ENV = "TRIALTREE_QUIT_AFTER_PAINT"  # for the start-up benchmark


class _QuitAfterFirstPaint(QObject):
    """Quits the application as soon as the window has painted once, and says when (the
    start-up benchmark reads ``first paint <epoch seconds>`` from standard error)."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            print(f"first paint {time.time():.6f}", file=sys.stderr, flush=True)
            QTimer.singleShot(0, QApplication.quit)
        return False


def _needs_build() -> bool:
    """Whether the reference database must be (re)built first: cheap (a hash of the seed files
    and a look at the database's meta table), so the warm path stays as fast as it was."""
    from desktop.data.build import rebuild_reason
    from desktop.data.seeds import seeds_fingerprint

    return rebuild_reason(paths.reference_db_path(), seeds_fingerprint(paths.seeds_dir())) is not None


def _build_reference():
    """The worker thread's job: ensure_reference_db (an EnsureResult), or ReferenceUnavailable
    in plain words. Touches no widget."""
    from desktop.data.build import ReferenceUnavailable, ensure_reference_db

    try:
        return ensure_reference_db(paths.seeds_dir(), paths.reference_db_path())
    except (OSError, sqlite3.Error) as error:  # a full disk, a folder that cannot be written
        raise ReferenceUnavailable(f"Cannot build the reference data: {error}") from error


def _open_bookmarks(library):
    """(store, message): the user's bookmarks (None if they cannot be opened now) and what to
    tell the person, in plain words (None if all is well). ``open_user_store`` has already written
    today's backup if it was due."""
    from desktop.data.bookmark_backups import open_user_store
    from desktop.data.bookmark_values import UserDataUnavailable

    try:
        store, message = open_user_store(paths.data_dir())
    except (UserDataUnavailable, OSError) as error:
        return None, f"Bookmarks are turned off for now: {error}"
    if library is not None:
        try:
            store.refresh_titles(library)  # so a record that later leaves keeps its last title
        except sqlite3.Error:
            pass  # busy for a moment: the titles saved before are still good
    return store, message


def _close_bookmarks(store) -> None:
    """At quit: today's backup (if the bookmarks changed), then close."""
    from desktop.data.bookmark_backups import backup_if_due

    try:
        backup_if_due(store)
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


class Startup:
    """The window and what it reads from: the Library (None while it is being prepared, or when
    there is none), the bookmarks, and the build still running, if any."""

    def __init__(self, open_id: str | None = None, store=None):
        from desktop.ui.main_window import MainWindow

        self.open_id = open_id
        self.library = None
        self.builder = None
        store = store if store is not None else settings.open_settings()
        try:
            needs_build = _needs_build()
        except paths.DataFolderUnavailable as error:  # e.g. under a read-only folder
            self.bookmarks = None
            self.window = MainWindow(None, store, bookmarks=None)
            self.window.show_problem(str(error))
            self.window.start(None)
            return
        if needs_build:
            from desktop.ui.preparing import BuildRunner

            self.bookmarks, message = _open_bookmarks(None)
            self.window = MainWindow(None, store, bookmarks=self.bookmarks)
            self.window.show_preparing()
            self.builder = BuildRunner(_build_reference)
            self.builder.built.connect(self._on_built)
            self.builder.failed.connect(self._on_failed)
            self.builder.start()
        else:
            from desktop.data.library import Library

            self.library = Library(paths.reference_db_path())
            self.bookmarks, message = _open_bookmarks(self.library)
            self.window = MainWindow(self.library, store, bookmarks=self.bookmarks)
        if message:
            self.window.bookmarking.show_notice(message)
        self.window.start(None if self.builder is not None else open_id)

    def _on_built(self, result) -> None:
        from desktop.data.library import Library

        self.builder = None
        try:
            self.library = Library(result.path)
        except sqlite3.Error as error:
            self.window.show_problem(f"The reference data could not be opened: {error}")
            return
        if self.bookmarks is not None:
            try:
                self.bookmarks.refresh_titles(self.library)
            except sqlite3.Error:
                pass  # busy for a moment: the titles saved before are still good
        self.window.set_library(self.library)
        if result.warning:
            self.window.show_warning(result.warning)
        self.window.start(self.open_id)

    def _on_failed(self, problem: str) -> None:
        self.builder = None
        self.window.show_problem(problem)

    def close(self) -> None:
        """After the window has closed: wait for a build still running, then close the data."""
        if self.builder is not None:
            self.builder.shutdown()
            self.builder = None
        if self.bookmarks is not None:
            _close_bookmarks(self.bookmarks)
            self.bookmarks = None
        if self.library is not None:
            self.library.close()
            self.library = None


def run_app(open_id: str | None = None) -> int:
    """Show the window (on ``open_id`` if given) and run until it closes; the exit status."""
    app = create_application()
    startup = Startup(open_id)
    window = startup.window
    if os.environ.get(QUIT_AFTER_PAINT_ENV) == "1":
        quitter = _QuitAfterFirstPaint(window)
        window.installEventFilter(quitter)
    window.show()
    status = app.exec()
    startup.close()
    return status
