"""The window's note and another copy writing the same note (issue 13, defect 1): the window
compares with the note it loaded, and keeps both versions visibly instead of dropping one."""

from __future__ import annotations

import pytest

from desktop.data.bookmark_values import USER_DB_NAME
from desktop.data.bookmarks import BookmarkStore
from desktop.ui.main_window import MainWindow

RITUXME = "rituxme-phase3-rct"


@pytest.fixture
def stores(tmp_path):
    opened = []

    def open_() -> BookmarkStore:
        opened.append(BookmarkStore(tmp_path / USER_DB_NAME))
        return opened[-1]

    yield open_
    for store in opened:
        store.close()


@pytest.fixture
def window(qtbot, library, store, stores):
    window = MainWindow(library, store, bookmarks=stores())
    qtbot.addWidget(window)
    window.start(RITUXME)
    window.show()
    yield window
    window.close()


@pytest.mark.parametrize("poll_first", [False, True])
def test_a_note_appended_by_the_cli_while_typing_is_kept_with_the_typed_words(
        window, qtbot, stores, poll_first):
    bar = window.bookmarking.bar
    window.bookmarking.toggle()
    qtbot.keyClicks(bar.note, "ask my GP")
    bar.flush()
    cli = stores()
    bar.note.moveCursor(bar.note.textCursor().MoveOperation.End)
    qtbot.keyClicks(bar.note, " about B cells")
    cli.set_note(RITUXME, cli.get(RITUXME).note + "\n\ndose was 500 mg")  # as the CLI appends
    if poll_first:
        window.bookmarking.poll()  # must not throw the typed words away either
    bar.flush()
    stored = cli.get(RITUXME).note
    assert "ask my GP about B cells" in stored and "dose was 500 mg" in stored
    assert bar.note.toPlainText() == stored
    assert "Both versions are kept" in bar.notice_text


def test_twenty_window_saves_while_the_cli_appends_lose_nothing(window, qtbot, stores):
    bar = window.bookmarking.bar
    window.bookmarking.toggle()
    cli = stores()
    for i in range(20):
        qtbot.keyClicks(bar.note, f" w{i}")
        cli.set_note(RITUXME, cli.get(RITUXME).note + f"\n\ncli {i}")
        bar.flush()
    note = cli.get(RITUXME).note
    assert all(f"cli {i}" in note and f"w{i}" in note for i in range(20)), note
    assert bar.note.toPlainText() == note


def test_a_change_in_the_window_rewrites_todays_backup_soon_after(window, qtbot):
    """So a note written after the day's first backup survives a damaged user.db."""
    import json

    from desktop.data.bookmark_values import BACKUP_DIR_NAME

    window.bookmarking._backup_timer.setInterval(10)
    window.bookmarking.toggle()
    qtbot.keyClicks(window.bookmarking.bar.note, "written after the first backup")
    window.bookmarking.bar.flush()
    folder = window.bookmarking.store.path.parent / BACKUP_DIR_NAME

    def backed_up() -> bool:
        files = list(folder.glob("bookmarks-*.json"))
        return bool(files) and "written after the first backup" in json.loads(
            files[0].read_text())["bookmarks"][0]["note"]

    qtbot.waitUntil(backed_up)


def test_a_note_over_the_limit_is_kept_on_screen_and_the_reason_shown(window, qtbot, monkeypatch):
    from desktop.data import bookmarks as bm

    monkeypatch.setattr(bm, "MAX_NOTE_CHARS", 10)
    bar = window.bookmarking.bar
    window.bookmarking.toggle()
    qtbot.keyClicks(bar.note, "far more than ten characters")
    bar.flush()
    assert bar.note.toPlainText() == "far more than ten characters"
    assert "at most 10" in bar.notice_text
    assert window.bookmarking.store.get(RITUXME).note == ""


def test_bookmarking_past_the_limit_says_why(window, monkeypatch):
    from desktop.data import bookmarks as bm

    monkeypatch.setattr(bm, "MAX_BOOKMARKS", 0)
    window.bookmarking.toggle()
    assert not window.bookmarking.bar.bookmarked
    assert "could not be bookmarked" in window.bookmarking.bar.notice_text
