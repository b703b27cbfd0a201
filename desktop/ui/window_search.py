"""The window's search: the field's signals, the results list and the worker that searches.

A part of :class:`~desktop.ui.main_window.MainWindow` (a mixin over its attributes ``search``,
``left``, ``tree``, ``detail``, ``library``, ``store``). The results list, its model and the search
worker are built on the first search, not at start-up: the first paint shows none of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

from desktop import settings
from desktop.ui.search_bar import grammar_sheet, results_notice

if TYPE_CHECKING:
    from desktop.models.results_model import ResultsModel
    from desktop.ui.search_bar import ResultsList
    from desktop.ui.search_worker import SearchOutcome, SearchRunner


class WindowSearch:
    """Searching from the window (mixed into MainWindow)."""

    _results: ResultsList | None = None
    _results_model: ResultsModel | None = None
    _search_runner: SearchRunner | None = None
    _shown_query = ""

    @property
    def results(self) -> ResultsList:
        """The results list (built when first wanted)."""
        self._build_results()
        return self._results

    @property
    def results_model(self) -> ResultsModel:
        self._build_results()
        return self._results_model

    def _build_results(self) -> None:
        if self._results is not None:
            return
        from desktop.models.results_model import ResultsModel
        from desktop.ui.search_bar import ResultsList

        self._results_model = ResultsModel(self)
        self._results = ResultsList(self)
        self._results.setModel(self._results_model)
        self.left.addWidget(self._results)
        self._results.record_chosen.connect(self._remember_search)
        self._results.record_chosen.connect(self.open_record)
        self._results.suggestion_chosen.connect(self.search.search_for)
        self._results.move_up.connect(self._back_to_search_field)
        self._results.cancelled.connect(self.close_search)
        self._results.viewport().installEventFilter(self)  # the mouse's back and forward buttons

    @property
    def search_runner(self) -> SearchRunner | None:
        """Runs searches in a worker thread with its own connection; only the newest answer
        shows. None while there is no library; built at the first search."""
        if self._search_runner is None and self.library is not None:
            from desktop.ui.search_worker import SearchRunner

            self._search_runner = SearchRunner(self.library, self)
            self._search_runner.ready.connect(self._show_results)
        return self._search_runner

    def prepend_results(self, hits: list) -> int:
        """List ``hits`` (e.g. matching bookmarks) above the results listed; returns how many
        records were listed before. With none before, the first row becomes the current one."""
        model = self.results_model
        before = model.record_count()
        model.prepend_hits(hits)
        if not before:
            self.results.setCurrentIndex(model.index(0, 0))
        return before

    def set_results_notice(self, text: str) -> None:
        """A plain-words line above the results (e.g. "Nothing found…, but…")."""
        self.results.set_notice(text)

    def _stop_searching(self) -> None:
        """Stop the worker (after the search it is running, if any); a new one comes when next
        wanted (e.g. over another library)."""
        if self._search_runner is not None:
            self._search_runner.shutdown()
            self._search_runner = None

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def focus_tree(self) -> None:
        if self._results is not None and self.left.currentWidget() is self._results:
            self._results.setFocus()
        else:
            self.tree.view.setFocus()

    def _on_query(self, text: str) -> None:
        """Typing paused: search in the background; the results listed stay until the new ones
        arrive (no flicker)."""
        if not text or self.search_runner is None:
            self._clear_results()
            return
        self.search_runner.request(text)  # → _show_results, unless overtaken

    def _on_query_now(self, text: str) -> None:
        """Enter or Down before the debounce fired: search at once, on this thread."""
        if not text or self.search_runner is None:
            self._clear_results()
            return
        self.search_runner.run_now(text)

    def _clear_results(self) -> None:
        if self._search_runner is not None:
            self._search_runner.cancel()  # an answer still on its way is dropped
        self._shown_query = ""
        if self._results is not None:
            self._results_model.set_results([])
            self._results.set_notice("")
        self.left.setCurrentWidget(self.tree)

    def _catch_up(self) -> None:
        """Make the list show the results of exactly what is in the field (Enter, Down)."""
        self.search.flush()
        text = self.search.text().strip()
        if text and text != self._shown_query and self.search_runner is not None:
            self.search_runner.run_now(text)

    def _show_results(self, outcome: SearchOutcome) -> None:
        from desktop.data.search import MARK_END, MARK_START  # only once the user searches
        from desktop.ui.search_worker import SEARCH_LIMIT

        result, text = outcome.result, outcome.text
        self.results_model.set_results(result.hits, (MARK_START, MARK_END), result.suggestions,
                                       outcome.crosschecked)
        self._shown_query = text
        self.results.set_notice(results_notice(text, result))
        self.left.setCurrentWidget(self.results)
        if self.results_model.rowCount():
            self.results.setCurrentIndex(self.results_model.index(0, 0))
        found, shown = len(result.hits), result.corrected or text
        if found:
            self.show_message(f"{found} found for “{shown}”" if found < SEARCH_LIMIT
                              else f"The best {found} matches for “{shown}”")
        else:
            self.show_message(f"Nothing found for “{text}”.")
        self.search_shown.emit(text)

    def _on_search_accepted(self) -> None:
        self._catch_up()
        if self._results is not None and self.left.currentWidget() is self._results:
            if self.results_model.record_count():
                self._remember_search()
            self.results.choose_current()

    def _focus_results(self) -> None:
        self._catch_up()
        if (self._results is not None and self.left.currentWidget() is self._results
                and self.results_model.rowCount()):
            self.results.setFocus()
            if not self.results.currentIndex().isValid():
                self.results.setCurrentIndex(self.results_model.index(0, 0))

    def _back_to_search_field(self) -> None:
        """Up from the first result: back to the field, the cursor at the end of the text."""
        self.search.setFocus(Qt.FocusReason.OtherFocusReason)
        self.search.deselect()
        self.search.end(False)

    def _remember_search(self, *_) -> None:
        self.search.remember()

    def _on_search_history(self, entries: list) -> None:
        settings.write(self.store, settings.SEARCH_HISTORY, "\n".join(entries))

    def show_search_help(self) -> None:
        """The search grammar in plain words, in the pane beside the results."""
        self.detail.show_sheet(*grammar_sheet())
        self.show_page_name(grammar_sheet()[0])

    def close_search(self) -> None:
        """Escape: leave the search and go back to the tree, which shows the open record."""
        self.search.clear()
        self.left.setCurrentWidget(self.tree)
        self.tree.view.setFocus()
