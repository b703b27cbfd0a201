"""The import and the reference refresh after it, in a worker thread; widgets are never touched here.

The worker only emits signals (queued to the window's thread). A cancel stops the import before its
transaction commits, so nothing changes. The worker returns the refreshed reference database's
path; the window opens a Library on it in its own thread and hands it over with set_library.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal, Slot


@dataclass(frozen=True)
class ImportPaths:
    """Where the import reads its rules and writes: the seeds, the reference database, the imports."""

    seeds_dir: Path
    reference_db: Path
    imports_db: Path

    @classmethod
    def default(cls) -> ImportPaths:
        from desktop import paths
        from desktop.data.import_store import IMPORTS_DB_NAME

        return cls(paths.seeds_dir(), paths.reference_db_path(), paths.data_dir() / IMPORTS_DB_NAME)


class ImportWorker(QObject):
    """Runs one import (``start``); signals: progress(done, total), done(summary, reference path),
    cancelled(), failed(one line)."""

    progress = Signal(int, int)
    done = Signal(object, str)
    cancelled = Signal()
    failed = Signal(str)

    def __init__(self, files: list[Path], where: ImportPaths, keep_other_conditions: bool = False):
        super().__init__()
        self.files = list(files)
        self.where = where
        self.keep_other_conditions = keep_other_conditions
        self._stop = threading.Event()
        self.thread = QThread()
        self.thread.setObjectName("import")
        self.moveToThread(self.thread)
        self.thread.started.connect(self.run)

    def start(self) -> None:
        self.thread.start()

    def cancel(self) -> None:
        """Ask the import to stop; it rolls back and emits ``cancelled``."""
        self._stop.set()

    def wait(self) -> None:
        self.thread.quit()
        self.thread.wait()

    @Slot()
    def run(self) -> None:
        from desktop.data.build import ReferenceUnavailable, ensure_reference_db
        from desktop.data.import_run import run_import
        from desktop.data.import_store import ImportCancelled, ImportsUnreadable
        from desktop.data.seeds import SeedError

        summary = None  # no files: only the refresh (after filing or removing an import)
        try:
            if self.files:
                summary = run_import(self.files, seeds_dir=self.where.seeds_dir,
                                     reference_db=self.where.reference_db,
                                     imports_db=self.where.imports_db,
                                     keep_other_conditions=self.keep_other_conditions,
                                     progress=self.progress.emit, cancelled=self._stop.is_set)
        except ImportCancelled:
            self.cancelled.emit()
            return
        except SeedError as error:
            self.failed.emit(f"The filing rules have an error: {error}")
            return
        except (ImportsUnreadable, OSError) as error:
            self.failed.emit(str(error))
            return
        try:
            result = ensure_reference_db(self.where.seeds_dir, self.where.reference_db)
        except ReferenceUnavailable as error:
            self.failed.emit(f"The studies were imported, but the reference data could not be "
                             f"refreshed: {error}")
            return
        self.done.emit(summary, str(result.path))
