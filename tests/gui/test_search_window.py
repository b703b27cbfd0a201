"""Searching in the window: results as you type, Enter, Escape, Up and Down, the recent searches,
"did you mean", the search tips, and slow answers that arrive too late."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt

from desktop import settings
from desktop.data.records import SearchHit
from desktop.data.search import MARK_END, MARK_START, SearchResult
from desktop.models.results_model import SUGGESTION
from desktop.models.tree_model import CROSSCHECK_SPOKEN
from desktop.ui import search_worker
from desktop.ui.search_worker import SearchOutcome

RITUXME = "rituxme-phase3-rct"


def listed_ids(window) -> list[str]:
    model = window.results_model
    return [model.hit(row).id for row in range(model.rowCount())]


def type_and_wait(qtbot, window, text: str) -> None:
    """Type into the field like a person and wait until the answer for it is listed."""
    window.focus_search()
    qtbot.keyClicks(window.search, text)
    qtbot.waitUntil(lambda: window._shown_query == text.strip(), timeout=5000)


@pytest.fixture
def window(make_window):
    return make_window()


def test_typing_fills_the_results_list_in_place_of_the_tree(window, qtbot, library):
    type_and_wait(qtbot, window, "rituximab")
    assert window.left.currentWidget() is window.results
    assert listed_ids(window) == [hit.id for hit in library.find("rituximab", 50).hits]
    assert window.results.currentIndex().row() == 0
    assert window.results.notice_text() == ""  # plenty found: nothing to explain
    assert window.search.hasFocus()  # typing goes on undisturbed


def test_the_search_runs_in_a_worker_thread_with_its_own_library(window, qtbot, monkeypatch):
    threads = []
    real = search_worker.run_search

    def spy(library, text, limit=50):
        threads.append((threading.current_thread() is threading.main_thread(), library))
        return real(library, text, limit)

    monkeypatch.setattr(search_worker, "run_search", spy)
    type_and_wait(qtbot, window, "daratumumab")
    assert threads and not threads[-1][0]  # not on the UI thread
    assert threads[-1][1] is not window.library  # a connection of its own


def test_enter_opens_the_first_result_even_before_the_list_caught_up(window, qtbot, library):
    window.focus_search()
    qtbot.keyClicks(window.search, "daratumumab")
    qtbot.keyClick(window.search, Qt.Key.Key_Return)  # no waiting for the debounce
    assert window.detail.record.id == library.find("daratumumab", 50).hits[0].id


def test_a_click_opens_the_record_in_the_pane(window, qtbot):
    type_and_wait(qtbot, window, "rituximab")
    second = window.results_model.hit(1)
    rect = window.results.visualRect(window.results_model.index(1, 0))
    qtbot.mouseClick(window.results.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.detail.record.id == second.id


def test_escape_clears_the_search_and_returns_to_the_tree(window, qtbot):
    type_and_wait(qtbot, window, "rituximab")
    qtbot.keyClick(window.search, Qt.Key.Key_Escape)
    assert window.search.text() == ""
    assert window.left.currentWidget() is window.tree
    assert window.tree.view.hasFocus()
    assert window.results_model.rowCount() == 0


def test_down_moves_into_the_list_and_up_from_the_first_row_comes_back(window, qtbot):
    type_and_wait(qtbot, window, "rituximab")
    qtbot.keyClick(window.search, Qt.Key.Key_Down)
    assert window.results.hasFocus() and window.results.currentIndex().row() == 0
    qtbot.keyClick(window.results, Qt.Key.Key_Down)
    assert window.results.currentIndex().row() == 1
    qtbot.keyClick(window.results, Qt.Key.Key_Up)
    assert window.results.hasFocus()
    qtbot.keyClick(window.results, Qt.Key.Key_Up)
    assert window.search.hasFocus()
    assert window.search.text() == "rituximab" and not window.search.hasSelectedText()


def test_the_old_results_stay_until_the_new_ones_arrive(window, qtbot, monkeypatch):
    type_and_wait(qtbot, window, "rituximab")
    before = listed_ids(window)
    release = threading.Event()
    real = search_worker.run_search

    def slow(library, text, limit=50):
        release.wait(5)
        return real(library, text, limit)

    monkeypatch.setattr(search_worker, "run_search", slow)
    qtbot.keyClicks(window.search, " placebo")
    qtbot.wait(400)  # the debounce has fired; the worker is busy
    assert listed_ids(window) == before  # no flicker to an empty list
    release.set()
    qtbot.waitUntil(lambda: window._shown_query == "rituximab placebo", timeout=5000)


def test_a_slow_old_answer_never_replaces_a_newer_one(window, qtbot, monkeypatch):
    started, release = threading.Event(), threading.Event()
    real = search_worker.run_search

    def slow_for_old(library, text, limit=50):
        if text == "rituximab":
            started.set()
            release.wait(5)
        return real(library, text, limit)

    monkeypatch.setattr(search_worker, "run_search", slow_for_old)
    shown = []
    window.search_runner.ready.connect(lambda outcome: shown.append(outcome.text))
    window.search_runner.request("rituximab")
    assert started.wait(5)
    window.search_runner.request("daratumumab")
    release.set()
    qtbot.waitUntil(lambda: window._shown_query == "daratumumab", timeout=5000)
    qtbot.wait(100)
    assert shown == ["daratumumab"]
    assert window.search_runner.generation == 2


def test_answers_fed_out_of_order_keep_the_newest(library, qtbot, monkeypatch):
    runner = search_worker.SearchRunner(library)
    monkeypatch.setattr(runner, "_ensure_thread", lambda: None)  # nobody answers but us
    old, new = runner.request("ri"), runner.request("rituximab")
    shown = []
    runner.ready.connect(lambda outcome: shown.append(outcome.text))
    runner._deliver(new, SearchOutcome("rituximab", library.find("rituximab"), generation=new))
    runner._deliver(old, SearchOutcome("ri", library.find("ri"), generation=old))
    assert shown == ["rituximab"]
    runner.cancel()  # the field was cleared: even the newest answer is too late now
    runner._deliver(new, SearchOutcome("rituximab", library.find("rituximab"), generation=new))
    assert shown == ["rituximab"]


def test_the_worker_thread_stops_when_the_window_closes(window, qtbot):
    type_and_wait(qtbot, window, "rituximab")
    thread = window.search_runner._thread
    assert thread is not None and thread.isRunning()
    window.close()
    assert not thread.isRunning()


def test_nothing_found_says_so_in_plain_words(window, qtbot):
    type_and_wait(qtbot, window, "zzzz")
    assert window.results_model.rowCount() == 0
    notice = window.results.notice_text()
    assert notice.startswith("No matches for “zzzz”.")
    assert window.results.notice.isVisible()
    assert window.results.accessibleDescription() == notice


def test_a_misspelling_shows_the_results_for_the_correction(window, qtbot, library):
    expected = library.find("rituxmab", 50)
    assert expected.corrected == "rituximab"
    type_and_wait(qtbot, window, "rituxmab")
    assert window.results.notice_text() == "No matches for “rituxmab” — showing results for “rituximab”."
    records = [window.results_model.hit(r) for r in range(window.results_model.record_count())]
    assert [hit.id for hit in records] == [hit.id for hit in expected.hits]


def test_choosing_a_suggestion_searches_for_it(window, qtbot, library):
    outcome = SearchOutcome("rituxmab placebo zzz", SearchResult("rituxmab placebo zzz", (), ("rituximab",)))
    window.search.setText(outcome.text)
    window.search_runner.ready.emit(outcome)
    assert window.results.notice_text() == "No matches for “rituxmab placebo zzz”. Did you mean one of these?"
    assert window.results_model.suggestion(0) == "rituximab"
    assert window.results_model.index(0, 0).data() == "Did you mean “rituximab”?"
    window.search.setFocus()
    qtbot.keyClick(window.search, Qt.Key.Key_Down)  # the suggestion row, from the keyboard
    qtbot.keyClick(window.results, Qt.Key.Key_Return)
    assert window.search.text() == "rituximab"
    qtbot.waitUntil(lambda: window._shown_query == "rituximab", timeout=5000)
    assert listed_ids(window) == [hit.id for hit in library.find("rituximab", 50).hits]
    assert window.results.notice_text() == ""


def test_a_suggestion_can_be_clicked(window, qtbot):
    outcome = SearchOutcome("xyz", SearchResult("xyz", (), ("daratumumab",)))
    window.search_runner.ready.emit(outcome)
    rect = window.results.visualRect(window.results_model.index(0, 0))
    qtbot.mouseClick(window.results.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.search.text() == "daratumumab"
    qtbot.waitUntil(lambda: window._shown_query == "daratumumab", timeout=5000)


def test_the_history_recalls_earlier_searches_and_is_kept(window, qtbot, store, make_window):
    for text in ("rituximab", "daratumumab"):
        window.search.clear()
        type_and_wait(qtbot, window, text)
        qtbot.keyClick(window.search, Qt.Key.Key_Return)  # opened a result: worth remembering
    assert window.search.history() == ["daratumumab", "rituximab"]
    window.search.clear()
    window.search.setFocus()
    qtbot.keyClick(window.search, Qt.Key.Key_Up)
    menu = window.search.history_menu
    qtbot.waitUntil(menu.isVisible)
    assert [a.data() for a in menu.actions()] == ["daratumumab", "rituximab"]
    qtbot.keyClick(menu, Qt.Key.Key_Down)
    qtbot.keyClick(menu, Qt.Key.Key_Return)
    assert window.search.text() == "rituximab"
    qtbot.waitUntil(lambda: window._shown_query == "rituximab", timeout=5000)
    assert settings.read(store, settings.SEARCH_HISTORY).splitlines() == ["daratumumab", "rituximab"]
    again = make_window(settings_store=store)
    assert again.search.history() == ["daratumumab", "rituximab"]


def test_the_history_is_short_and_without_repeats(window):
    for n in range(30):
        window.search.remember(f"query {n}")
    window.search.remember("QUERY 29")
    history = window.search.history()
    assert len(history) == len(set(history)) <= 12
    assert history[0] == "QUERY 29"


def test_f1_and_the_question_mark_explain_the_search_grammar(window, qtbot):
    window.search.setFocus()
    qtbot.keyClick(window.search, Qt.Key.Key_F1)
    text = window.detail.toPlainText()
    assert "Search tips" in window.windowTitle()
    assert "natural killer" in text and "phase:2" in text and "recent searches" in text
    window.show_welcome()
    window.search.help_action.trigger()
    assert "Search tips" in window.windowTitle()
    assert window.search.help_action.toolTip() == "Search tips (F1)"
    type_and_wait(qtbot, window, "zzzz")  # "Press F1 for search tips", said in the list
    window.show_welcome()
    window.results.setFocus()
    qtbot.keyClick(window.results, Qt.Key.Key_F1)
    assert "Search tips" in window.windowTitle()


def test_cross_checked_studies_are_marked_in_the_results(window, qtbot, library):
    crosschecked = search_worker.crosschecked_ids(library)
    assert crosschecked, "the seeds have cross-checked studies"
    title = library.record(sorted(crosschecked)[0]).title
    window.search.search_for(title)  # (keyClicks types ASCII only)
    qtbot.waitUntil(lambda: window._shown_query == title, timeout=5000)
    model = window.results_model
    rows = [r for r in range(model.rowCount()) if model.hit(r).id in crosschecked]
    assert rows and all(model.is_crosschecked(r) for r in rows)
    assert model.index(rows[0], 0).data().endswith(CROSSCHECK_SPOKEN)


def test_rows_are_one_height_with_kind_title_and_snippet(window, qtbot):
    type_and_wait(qtbot, window, "rituximab")
    view = window.results
    heights = {view.sizeHintForRow(r) for r in range(window.results_model.rowCount())}
    assert len(heights) == 1
    assert heights.pop() >= 2 * view.fontMetrics().lineSpacing()
    kinds = {window.results_model.hit(r).kind for r in range(window.results_model.rowCount())}
    assert {"study", "treatment"} <= kinds


def test_a_search_without_a_reference_library_does_nothing(qtbot, store):
    from desktop.ui.main_window import MainWindow

    window = MainWindow(None, store, problem="broken")
    qtbot.addWidget(window)
    window._on_query("rituximab")
    assert window.left.currentWidget() is window.tree


def test_suggestion_rows_pass_the_model_tester(qtmodeltester):
    from desktop.models.results_model import ResultsModel

    model = ResultsModel()
    model.set_results([SearchHit("a", "study", "A", f"x {MARK_START}y{MARK_END}", 1.0)],
                      (MARK_START, MARK_END), ("b c",), frozenset({"a"}))
    qtmodeltester.check(model)
    assert model.record_count() == 1 and model.hit(1).kind == SUGGESTION
    model.prepend_hits([SearchHit("z", "bookmark", "Z", "", 0.0)])
    qtmodeltester.check(model)
    assert model.suggestion(2) == "b c" and model.record_count() == 2
