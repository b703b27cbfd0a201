"""Long work off the UI thread: (re)building the reference database while the window shows.

:class:`BuildRunner` runs one job (a plain callable, e.g. ``ensure_reference_db``) in a QThread
and reports back on the thread that made it: ``built(result)`` with what the job returned, or
``failed(text)`` with the error in plain words. The job never touches a widget, and nothing here
imports the data layer: the composition root (desktop/app.py) says what to run.
"""

from __future__ import annotations

import logging
from typing import Any, Callable

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

log = logging.getLogger(__name__)

PREPARING_TITLE = "Preparing the data for first use…"
PREPARING_TEXT = ("This happens once, and again when the data is updated. The list and search "
                  "will be ready in a moment.")


class _Worker(QObject):
    """Runs the job in its thread; reports the result or the error as plain values."""

    done = Signal(bool, object)  # ok, the result (ok) or the error text (not ok)

    def __init__(self, job: Callable[[], Any]):
        super().__init__()
        self._job = job

    @Slot()
    def run(self) -> None:
        try:
            result = self._job()
        except Exception as error:  # every failure becomes words for the window
            log.exception("preparing the reference data failed")
            self.done.emit(False, str(error) or type(error).__name__)
            return
        self.done.emit(True, result)


class BuildRunner(QObject):
    """One background job; ``built`` or ``failed`` follows on this object's thread."""

    built = Signal(object)
    failed = Signal(str)

    def __init__(self, job: Callable[[], Any], parent: QObject | None = None):
        super().__init__(parent)
        self._closed = False
        self._thread = QThread()
        self._thread.setObjectName("prepare-data")
        self._worker = _Worker(job)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        # The thread ends with the job, even when no event loop runs here (shutdown at quit).
        self._worker.done.connect(self._thread.quit, Qt.ConnectionType.DirectConnection)
        self._worker.done.connect(self._on_done)  # queued: back on this object's thread

    def start(self) -> None:
        self._thread.start()

    def is_running(self) -> bool:
        return self._thread.isRunning()

    @Slot(bool, object)
    def _on_done(self, ok: bool, value: object) -> None:
        self._thread.wait()  # it has quit already (or is about to): nothing runs there now
        if self._closed:
            return
        if ok:
            self.built.emit(value)
        else:
            self.failed.emit(str(value))

    def shutdown(self) -> None:
        """Wait for the job (a half-done build must not be cut off) and drop its answer."""
        self._closed = True
        self._thread.wait()
