"""Searching off the UI thread, with stale answers dropped (DESIGN.md, example 7).

Why a thread at all: most searches take 1–20 ms on 100,000 studies, but very common words and
two-letter prefixes take 60–150 ms (``pa``, ``patients``, ``long covid``), and the first "did you
mean" builds a vocabulary (about 0.8 s at that size). Run on the UI thread, each of those would
freeze the field while the user types. See tests/benchmarks/keystroke_benchmark.py.

:class:`SearchRunner` is what the window talks to. ``request(text)`` numbers the request (a
generation) and hands it to a :class:`SearchWorker` living in a QThread with its **own**
:class:`~desktop.data.library.Library` (one sqlite3 connection per thread), opened lazily on the
same file. The worker skips requests that a newer one has already overtaken; the runner drops
any answer whose generation is not the newest, so a slow old search never replaces a newer one.
``run_now(text)`` searches at once on the caller's thread with the window's Library (Enter and
Down must act on what is in the field, not on what was typed a moment ago).

Neither class touches a widget: answers leave as the ``ready`` signal, carrying plain values.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QThread, Signal, Slot

from desktop.data.query import SEARCH_LIMIT  # noqa: F401  (the window reads it here)

if TYPE_CHECKING:
    from desktop.data.library import Library

log = logging.getLogger(__name__)

CROSSCHECK_QUERY = "has:crosscheck"  # the studies whose report other sources contradict
CROSSCHECK_LIMIT = 100_000


@dataclass(frozen=True)
class SearchOutcome:
    """One answer for the window: what was asked, what find() said, which hits to mark."""

    text: str
    result: Any  # desktop.data.search.SearchResult
    crosschecked: frozenset[str] = field(default_factory=frozenset)
    generation: int = 0


def crosschecked_ids(library: Library) -> frozenset[str]:
    """The ids of every study with cross-check notes (asked once per Library; cheap enough)."""
    try:
        return frozenset(hit.id for hit in library.search(CROSSCHECK_QUERY, CROSSCHECK_LIMIT))
    except Exception:  # a marker is a nicety: never let it stop a search
        log.exception("could not list the cross-checked studies")
        return frozenset()


def run_search(library: Library, text: str, limit: int = SEARCH_LIMIT) -> Any:
    """find() for the window: hits, suggestions and the corrected query."""
    return library.find(text, limit)


class SearchWorker(QObject):
    """Runs searches in its own thread on its own Library; never touches a widget."""

    done = Signal(int, object)  # generation, SearchOutcome

    def __init__(self, path: Path, runner: SearchRunner):
        super().__init__()
        self._path = Path(path)
        self._runner = runner  # only its ``generation`` (an int) is read from this thread
        self._library: Library | None = None
        self._crosschecked: frozenset[str] | None = None

    @Slot(int, str, int)
    def run(self, generation: int, text: str, limit: int) -> None:
        if generation < self._runner.generation:
            return  # typed over already: a newer request is queued behind this one
        try:
            if self._library is None:
                from desktop.data.library import Library

                self._library = Library(self._path)
            result = run_search(self._library, text, limit)
            if self._crosschecked is None:
                self._crosschecked = crosschecked_ids(self._library)
        except Exception:
            log.exception("search for %r failed", text)
            return
        self.done.emit(generation, SearchOutcome(text, result, self._crosschecked, generation))

    def close(self) -> None:
        if self._library is not None:
            self._library.close()
            self._library = None


class SearchRunner(QObject):
    """Numbers the requests, sends them to the worker, passes on only the newest answer.

    ``threaded=False`` runs every request at once on the caller's thread (the benchmark
    compares both; a window without a library file also searches this way).
    """

    ready = Signal(object)  # SearchOutcome, newest only
    _request = Signal(int, str, int)

    def __init__(self, library: Library, parent: QObject | None = None, threaded: bool = True):
        super().__init__(parent)
        self.library = library
        self.threaded = threaded
        self.generation = 0
        self.limit = SEARCH_LIMIT
        self._thread: QThread | None = None
        self._worker: SearchWorker | None = None
        self._crosschecked: frozenset[str] | None = None  # as the worker last reported it

    # ---- asking ----------------------------------------------------------------------------

    def request(self, text: str) -> int:
        """Search for ``text`` in the background; ``ready`` follows unless overtaken."""
        self.generation += 1
        if not self.threaded or getattr(self.library, "path", None) is None:
            self._deliver(self.generation, self._outcome(text, self.generation))
            return self.generation
        self._ensure_thread()
        self._request.emit(self.generation, text, self.limit)
        return self.generation

    def run_now(self, text: str) -> SearchOutcome:
        """Search for ``text`` on this thread and deliver it now (overtakes anything pending)."""
        self.generation += 1
        outcome = self._outcome(text, self.generation)
        self._deliver(self.generation, outcome)
        return outcome

    def cancel(self) -> None:
        """Forget whatever is still being searched (the field was cleared)."""
        self.generation += 1

    def _outcome(self, text: str, generation: int) -> SearchOutcome:
        result = run_search(self.library, text, self.limit)
        return SearchOutcome(text, result, self._crosschecked or frozenset(), generation)

    # ---- answers ---------------------------------------------------------------------------

    @Slot(int, object)
    def _deliver(self, generation: int, outcome: SearchOutcome) -> None:
        if outcome.crosschecked:
            self._crosschecked = outcome.crosschecked
        if generation != self.generation:
            return  # an older search finished late: the newer one's answer is (or will be) shown
        self.ready.emit(outcome)

    # ---- the thread ------------------------------------------------------------------------

    def _ensure_thread(self) -> None:
        if self._thread is not None and self._thread.isRunning():
            return
        self._thread = QThread()
        self._thread.setObjectName("search")
        self._worker = SearchWorker(self.library.path, self)
        self._worker.moveToThread(self._thread)
        self._request.connect(self._worker.run)
        self._worker.done.connect(self._deliver)
        self._thread.start()

    def shutdown(self) -> None:
        """Stop the thread (after the search it is running) and close its Library."""
        self.generation += 1  # whatever is queued is skipped
        thread, worker = self._thread, self._worker
        self._thread = self._worker = None
        if thread is None:
            return
        self._request.disconnect(worker.run)
        worker.done.disconnect(self._deliver)
        thread.quit()
        thread.wait()
        worker.close()  # its thread has ended: nothing else uses that connection now
