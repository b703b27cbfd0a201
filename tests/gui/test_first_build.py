"""The first build (and every rebuild) runs in a worker thread: the window shows at once with a
calm "preparing" page, then gets its Library; bad seeds end on the problem page, or on the old
data with a warning. A window made without a library takes one later with set_library."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt

from desktop import app as app_module
from desktop.data.bookmark_values import Bookmark
from desktop.data.bookmarks import BookmarkStore
from desktop.data.build import ensure_reference_db
from desktop.ui.main_window import MainWindow
from desktop.ui.preparing import PREPARING_TITLE

RITUXME = "rituxme-phase3-rct"
GONE = "a-trial-that-left"


@pytest.fixture
def launch(qtbot, data_dir, seeds_copy, store):
    """Start the app's window as run_app does (over the test's data folder and seeds copy)."""
    started = []

    def launch_(open_id: str | None = None):
        startup = app_module.Startup(open_id, store=store)
        qtbot.addWidget(startup.window)
        started.append(startup)
        return startup

    yield launch_
    for startup in started:
        startup.window.close()  # saves a pending note, before the bookmarks close
        startup.close()  # waits for a build still running


@pytest.fixture
def gate(monkeypatch):
    """Hold the build until the test sets the event (to look at the preparing page)."""
    event = threading.Event()
    build = app_module._build_reference

    def slow_build():
        event.wait(10)
        return build()

    monkeypatch.setattr(app_module, "_build_reference", slow_build)
    yield event
    event.set()


def page(window) -> str:
    return window.detail.toPlainText()


def break_seeds(seeds_copy) -> None:
    (seeds_copy / "mechanisms.toml").write_text("[[mechanism]\nid = ", encoding="utf-8")


def test_with_no_database_the_window_shows_at_once_then_the_record(launch, qtbot, data_dir):
    startup = launch(RITUXME)
    window = startup.window
    window.show()
    assert startup.library is None and window.library is None
    assert PREPARING_TITLE in page(window) and "this happens once" in page(window).lower()
    assert not window.progress.isHidden() and not window.search.isEnabled()
    assert window.tree.model.rowCount() == 0

    qtbot.waitUntil(lambda: window.library is not None, timeout=20000)
    assert window.tree.model.rowCount() > 0
    assert window.detail.record is not None and window.detail.record.id == RITUXME
    assert window.tree.model.node(window.tree.view.currentIndex()).record_id == RITUXME
    assert window.progress.isHidden() and window.search.isEnabled()
    assert not window.notice.isVisible()
    qtbot.waitUntil(lambda: window.startup_finished)  # the glossary, after the paint
    assert (data_dir / "reference.db").is_file()


def test_the_preparing_page_waits_for_the_build_without_blocking(launch, qtbot, gate):
    startup = launch()
    window = startup.window
    window.show()
    qtbot.wait(200)  # events run: the window answers while the build is held
    assert PREPARING_TITLE in page(window) and window.library is None
    window.zoom.zoom_in_action.trigger()  # the window works meanwhile
    gate.set()
    qtbot.waitUntil(lambda: window.library is not None, timeout=20000)
    assert "Welcome to TrialTree" in page(window)


def test_bad_seeds_and_no_database_end_on_the_problem_page(launch, qtbot, seeds_copy):
    break_seeds(seeds_copy)
    window = launch(RITUXME).window
    window.show()
    assert PREPARING_TITLE in page(window)
    qtbot.waitUntil(lambda: "could not be loaded" in page(window), timeout=20000)
    assert "Cannot build the reference data" in page(window)
    assert window.library is None and not window.search.isEnabled()
    assert window.progress.isHidden() and window.tree.model.rowCount() == 0


def test_bad_seeds_with_an_old_database_open_it_with_the_warning(launch, qtbot, data_dir,
                                                                  seeds_copy):
    ensure_reference_db(seeds_copy, data_dir / "reference.db")
    break_seeds(seeds_copy)
    window = launch(RITUXME).window
    window.show()
    assert PREPARING_TITLE in page(window)  # the seeds changed: a rebuild is tried
    qtbot.waitUntil(lambda: window.library is not None, timeout=20000)
    assert window.detail.record.id == RITUXME
    assert window.notice.isVisible()
    assert window.notice.text().startswith("The seed files have an error")


def test_a_current_database_opens_at_once_without_a_build(launch, data_dir, seeds_copy):
    ensure_reference_db(seeds_copy, data_dir / "reference.db")
    startup = launch(RITUXME)
    assert startup.builder is None and startup.library is not None
    assert startup.window.detail.record.id == RITUXME


def test_closing_during_the_build_waits_for_it_and_drops_its_answer(launch, qtbot, gate,
                                                                     data_dir):
    startup = launch()
    startup.window.show()
    startup.window.close()
    gate.set()
    startup.close()  # returns once the build has finished
    assert (data_dir / "reference.db").is_file()
    qtbot.wait(50)
    assert startup.window.library is None and startup.library is None


def test_set_library_makes_search_tree_and_bookmarks_work(qtbot, library, store, tmp_path):
    bookmarks = BookmarkStore(tmp_path / "user.db")
    bookmarks.put(Bookmark(GONE, "study", "A trial that was merged", "", (),
                           "2026-01-01T09:00:00Z", "2026-01-01T09:00:00Z"))
    window = MainWindow(None, store, bookmarks=bookmarks)
    qtbot.addWidget(window)
    window.show_preparing()
    window.show()
    assert window.tree.model.rowCount() == 0 and window.search_runner is None
    try:
        window.set_library(library)
        window.start(RITUXME)
        assert window.tree.model.rowCount() > 0
        assert window.detail.record.id == RITUXME
        assert window.progress.isHidden() and window.search.isEnabled()
        qtbot.waitUntil(lambda: window.startup_finished)  # glossary marks, the window painted

        window.search.setFocus()
        qtbot.keyClicks(window.search, "rituximab")
        window.search.flush()
        qtbot.waitUntil(lambda: window.results_model.rowCount() > 0, timeout=5000)
        assert window.left.currentWidget() is window.results

        model = window.bookmarking.model
        assert model.is_orphaned(model.row_of(GONE))  # checked against the new library
        window.close_search()
        qtbot.keyClick(window.tree.view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
        assert bookmarks.is_bookmarked(RITUXME)
        assert window.tree.model.is_bookmarked(window.tree.view.currentIndex())
        assert window.tree.full_title(RITUXME) == library.record(RITUXME).title
    finally:
        window.close()
        bookmarks.close()


def test_the_busy_bar_never_moves_in_the_low_stimulus_theme(qtbot, store):
    window = MainWindow(None, store)
    qtbot.addWidget(window)
    window.show_preparing()
    window.show()
    assert not window.progress.isHidden()
    window.themes.set_theme("low-stimulus")
    assert window.progress.isHidden() and PREPARING_TITLE in page(window)  # said in words
    window.themes.set_theme("light")
    assert not window.progress.isHidden()
    window.show_problem("The seeds folder does not exist.")
    assert window.progress.isHidden() and "seeds folder does not exist" in page(window)
