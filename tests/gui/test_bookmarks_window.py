"""Bookmarks in the window: Ctrl+D and the star, notes saved as you type, the Bookmarks panel,
orphaned bookmarks, export and import, another copy's writes, search, and the tab order."""

from __future__ import annotations

import csv
import json

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QFileDialog

from desktop.data.bookmark_values import ORPHAN_LABEL, USER_DB_NAME, Bookmark
from desktop.data.bookmarks import BookmarkStore
from desktop.ui.bookmark_bar import SAVE_DELAY_MS
from desktop.ui.export_dialog import EXPORT_FILTERS
from desktop.ui.main_window import MainWindow

RITUXME = "rituxme-phase3-rct"
GONE = "a-trial-that-left"


@pytest.fixture
def user_db(tmp_path):
    return tmp_path / "user" / USER_DB_NAME


@pytest.fixture
def open_store(user_db):
    """Open a BookmarkStore over the test's user.db (as a second copy of the app would)."""
    stores = []

    def open_() -> BookmarkStore:
        stores.append(BookmarkStore(user_db))
        return stores[-1]

    yield open_
    for store in stores:
        store.close()


@pytest.fixture
def make_bm_window(qtbot, library, store, open_store):
    """A MainWindow with bookmarks over the test's user.db, shown and started on ``open_id``."""
    windows = []

    def make(open_id: str | None = None, bookmarks: BookmarkStore | None = None) -> MainWindow:
        window = MainWindow(library, store, bookmarks=bookmarks or open_store())
        qtbot.addWidget(window)
        window.start(open_id)
        window.show()
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        windows.append(window)
        return window

    yield make
    for window in windows:
        window.close()  # before the stores close: closing saves a pending note


def tree_star(window) -> bool:
    index = window.tree.view.currentIndex()
    return (window.tree.model.is_bookmarked(index)
            and index.data(Qt.ItemDataRole.DecorationRole) is not None)


def test_ctrl_d_toggles_the_star_in_the_pane_and_the_tree(make_bm_window, qtbot):
    window = make_bm_window(RITUXME)
    bar, store = window.bookmarking.bar, window.bookmarking.store
    assert not bar.button.isChecked() and bar.button.text() == "Bookmark"
    assert not tree_star(window)

    qtbot.keyClick(window.tree.view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert store.is_bookmarked(RITUXME)
    assert bar.button.isChecked() and bar.button.text() == "Bookmarked"
    assert tree_star(window)
    assert window.bookmarking.toggle_action.isChecked()
    assert bar.note.isVisible() and bar.tags.isVisible()

    qtbot.keyClick(window.tree.view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert not store.is_bookmarked(RITUXME)
    assert not bar.button.isChecked() and not tree_star(window)
    assert not bar.note.isVisible()
    assert "Removed" in bar.notice_text and bar.undo_button.isVisible()


def test_removing_a_bookmark_can_be_undone_with_its_note(make_bm_window, qtbot):
    window = make_bm_window(RITUXME)
    store = window.bookmarking.store
    store.add(RITUXME, "study", "Rituximab", note="my careful note", tags=["ask my GP"])
    window.bookmarking.poll()
    qtbot.mouseClick(window.bookmarking.bar.button, Qt.MouseButton.LeftButton)
    assert not store.is_bookmarked(RITUXME)
    qtbot.mouseClick(window.bookmarking.bar.undo_button, Qt.MouseButton.LeftButton)
    assert store.get(RITUXME).note == "my careful note"
    assert window.bookmarking.bar.note.toPlainText() == "my careful note"
    assert window.bookmarking.bar.tags.text() == "ask my GP"
    assert tree_star(window)


def test_a_note_typed_in_place_is_saved_and_survives_a_restart(make_bm_window, qtbot, open_store):
    window = make_bm_window(RITUXME)
    window.bookmarking.toggle()
    bar = window.bookmarking.bar
    bar.note.setFocus()
    qtbot.keyClicks(bar.note, "Ask Dr K")
    qtbot.waitUntil(lambda: window.bookmarking.store.get(RITUXME).note == "Ask Dr K",
                    timeout=SAVE_DELAY_MS * 10)
    qtbot.keyClicks(bar.note, " about the dose")
    qtbot.keyClicks(bar.tags, "ask my GP, later")
    window.close()  # before the debounce: closing saves what is still pending

    again = make_bm_window(RITUXME, open_store())
    bar = again.bookmarking.bar
    assert bar.note.toPlainText() == "Ask Dr K about the dose"
    assert bar.tags.text() == "ask my GP, later"
    assert again.bookmarking.store.get(RITUXME).tags == ("ask my GP", "later")


def test_a_pending_note_is_saved_before_another_record_is_shown(make_bm_window, qtbot, library):
    window = make_bm_window(RITUXME)
    window.bookmarking.toggle()
    qtbot.keyClicks(window.bookmarking.bar.note, "half a thought")
    other = library.record(RITUXME).links["treatments"][0].id
    window.open_record(other)
    assert window.bookmarking.store.get(RITUXME).note == "half a thought"
    assert window.bookmarking.bar.record_id == other
    assert window.bookmarking.bar.note.toPlainText() == ""


def test_the_panel_lists_bookmarks_newest_first_and_opens_them(make_bm_window, qtbot, open_store,
                                                               library):
    store = open_store()
    first, second = library.ids("study")[:2]
    store.put(Bookmark(first, "study", library.title_of(first), "", (), "2026-01-01T09:00:00Z",
                       "2026-01-01T09:00:00Z"))
    store.put(Bookmark(second, "study", library.title_of(second), "", (), "2026-02-01T09:00:00Z",
                       "2026-02-01T09:00:00Z"))
    window = make_bm_window(bookmarks=store)
    pane, model = window.bookmarking.pane, window.bookmarking.model
    assert not pane.isVisible()
    window.bookmarking.go_action.trigger()  # Ctrl+3: show the panel, focus its list
    assert pane.isVisible() and pane.view.hasFocus()
    assert model.ids() == [second, first]

    pane.view.setCurrentIndex(model.index(1, 0))
    qtbot.keyClick(pane.view, Qt.Key.Key_Return)
    assert window.detail.record.id == first

    rect = pane.view.visualRect(model.index(0, 0))
    qtbot.mouseClick(pane.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.detail.record.id == second

    pane.order.setCurrentIndex(pane.order.findData("title"))
    titles = [model.bookmark(r).title for r in range(model.rowCount())]
    assert titles == sorted(titles, key=str.casefold)


def test_the_panel_and_its_order_are_remembered(make_bm_window, open_store):
    window = make_bm_window(RITUXME)
    window.bookmarking.panel_action.trigger()
    window.bookmarking.pane.order.setCurrentIndex(window.bookmarking.pane.order.findData("mechanism"))
    window.close()
    again = make_bm_window(RITUXME, open_store())
    assert again.bookmarking.pane.isVisible()
    assert again.bookmarking.model.order == "mechanism"
    assert again.bookmarking.pane.order.currentData() == "mechanism"


def test_a_bookmark_whose_record_left_the_data_is_kept_and_shown_as_such(make_bm_window, open_store):
    store = open_store()
    store.put(Bookmark(GONE, "study", "A trial that was merged", "what I learnt", ("later",),
                       "2026-01-01T09:00:00Z", "2026-01-01T09:00:00Z"))
    window = make_bm_window(RITUXME, store)
    model = window.bookmarking.model
    row = model.row_of(GONE)
    assert model.is_orphaned(row)
    assert ORPHAN_LABEL in model.index(row, 0).data()
    assert "what I learnt" in model.index(row, 0).data()

    window.bookmarking.pane.bookmark_chosen.emit(GONE)
    assert window.detail.record is None
    page = window.detail.toPlainText()
    assert "A trial that was merged" in page and "no longer in TrialTree's data" in page
    bar = window.bookmarking.bar
    assert bar.record_id == GONE and bar.button.isChecked() and bar.gone_label.isVisible()
    assert bar.note.toPlainText() == "what I learnt"
    bar.note.setPlainText("what I learnt, still")
    bar.flush()
    assert store.get(GONE).note == "what I learnt, still"


def test_the_tree_context_menu_toggles_the_bookmark(make_bm_window):
    window = make_bm_window(RITUXME)
    view = window.tree.view
    menu = window.bookmarking.tree_menu(view.visualRect(view.currentIndex()).center())
    toggle = next(a for a in menu.actions() if a.text() == "&Bookmark")
    toggle.trigger()
    assert window.bookmarking.store.is_bookmarked(RITUXME) and tree_star(window)
    menu = window.bookmarking.tree_menu(QPoint(-1, -1))  # the menu key: the current row
    assert any(a.text() == "Remove &bookmark" for a in menu.actions())


def test_a_second_copy_writing_is_picked_up_by_the_poll(make_bm_window, open_store):
    window = make_bm_window(RITUXME)
    other = open_store()  # another copy of the app, on the same user.db
    other.add(RITUXME, "study", "Rituximab", note="written by the other copy")
    window.bookmarking.poll()  # what the 2-second timer calls
    bar = window.bookmarking.bar
    assert bar.button.isChecked() and tree_star(window)
    assert bar.note.toPlainText() == "written by the other copy"
    assert window.bookmarking.model.ids() == [RITUXME]

    other.set_note(RITUXME, "changed again")
    window.bookmarking.poll()
    assert bar.note.toPlainText() == "changed again"

    other.remove(RITUXME)
    window.bookmarking.poll()
    assert not bar.button.isChecked() and not tree_star(window)
    assert window.bookmarking.model.ids() == []


def test_a_note_being_typed_is_not_overwritten_by_the_poll(make_bm_window, qtbot, open_store):
    window = make_bm_window(RITUXME)
    window.bookmarking.toggle()
    qtbot.keyClicks(window.bookmarking.bar.note, "mine")
    open_store().set_tags(RITUXME, ["theirs"])
    window.bookmarking.poll()
    assert window.bookmarking.bar.note.toPlainText() == "mine"
    window.bookmarking.bar.flush()
    assert window.bookmarking.store.get(RITUXME).note == "mine"


@pytest.mark.parametrize("fmt", sorted(EXPORT_FILTERS))
def test_export_writes_the_chosen_format(make_bm_window, monkeypatch, tmp_path, fmt):
    window = make_bm_window(RITUXME)
    window.bookmarking.toggle()
    target = tmp_path / "my-bookmarks"  # no suffix typed: the chosen filter's is added
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *args, **kwargs: (str(target), EXPORT_FILTERS[fmt]))
    window.bookmarking.export_action.trigger()
    written = target.with_name(f"my-bookmarks.{fmt}")
    text = written.read_text(encoding="utf-8-sig")
    if fmt == "json":
        assert [b["id"] for b in json.loads(text)["bookmarks"]] == [RITUXME]
    elif fmt == "csv":
        assert [row["id"] for row in csv.DictReader(text.splitlines())] == [RITUXME]
    else:
        assert text.startswith("# My reading list from TrialTree")
    assert str(written) in window.statusBar().currentMessage()


def test_import_adds_bookmarks_and_says_what_it_did(make_bm_window, monkeypatch, tmp_path, library):
    window = make_bm_window(RITUXME)
    study = library.ids("study")[1]
    path = tmp_path / "from-a-friend.json"
    path.write_text(json.dumps({"format": "trialtree-bookmarks", "version": 1, "bookmarks": [
        {"id": study, "kind": "study", "title": library.title_of(study), "note": "look"}]}))
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        lambda *args, **kwargs: (str(path), "TrialTree bookmarks (*.json)"))
    window.bookmarking.import_action.trigger()
    assert window.bookmarking.store.get(study).note == "look"
    assert window.bookmarking.model.ids() == [study]
    assert window.bookmarking.bar.notice_text == "Added 1 bookmark from “from-a-friend.json”."


def test_a_malformed_import_file_changes_nothing_and_says_why(make_bm_window, monkeypatch, tmp_path):
    window = make_bm_window(RITUXME)
    path = tmp_path / "broken.json"
    path.write_text('{"format": "trialtree-bookmarks", "version": 1, "bookmarks": [{"id": ')
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        lambda *args, **kwargs: (str(path), ""))
    window.bookmarking.import_action.trigger()
    assert window.bookmarking.store.count() == 0
    notice = window.bookmarking.bar.notice_text
    assert notice.startswith("“broken.json” could not be imported: the file is not valid JSON")
    assert notice.endswith("Nothing was changed.")


def test_bookmarks_and_notes_are_found_from_the_search_field(make_bm_window, qtbot):
    window = make_bm_window(RITUXME)
    window.bookmarking.store.add(RITUXME, "study", "Rituximab", note="xylophone question for my GP")
    window.bookmarking.store.put(Bookmark(GONE, "study", "Gone trial", "another xylophone", (),
                                          "2026-01-01T09:00:00Z", "2026-01-01T09:00:00Z"))
    window.search.setFocus()
    qtbot.keyClicks(window.search, "xylophone")
    window.search.flush()
    model = window.results_model
    hits = [model.hit(row) for row in range(model.rowCount())]
    assert [(h.id, h.kind) for h in hits[:2]] == [(RITUXME, "bookmark"), (GONE, "bookmark")]
    assert ORPHAN_LABEL in hits[1].title
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    assert window.detail.record.id == RITUXME


def test_tab_reaches_the_star_tags_and_note_after_the_details(make_bm_window):
    window = make_bm_window(RITUXME)
    window.bookmarking.toggle()
    bar = window.bookmarking.bar
    order, widget = [], window.detail
    for _ in range(5):
        order.append(widget)
        widget = widget.nextInFocusChain()
        while (not widget.focusPolicy() & Qt.FocusPolicy.TabFocus or not widget.isVisible()
               or not widget.isEnabled()):
            widget = widget.nextInFocusChain()
    assert order == [window.detail, bar.button, bar.tags, bar.note, window.search]


def test_a_damaged_bookmarks_file_is_put_aside_and_the_person_told(data_dir, qtbot, library,
                                                                  store):
    from desktop.app import _open_bookmarks

    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / USER_DB_NAME).write_bytes(b"this is not a database at all" * 100)
    bookmarks, message = _open_bookmarks(library)
    try:
        assert "could not be read" in message
        window = MainWindow(library, store, bookmarks=bookmarks)
        qtbot.addWidget(window)
        window.bookmarking.show_notice(message)
        assert window.bookmarking.bar.notice_text == message
        assert window.statusBar().currentMessage() == message
        window.close()
    finally:
        bookmarks.close()


def test_opening_the_bookmarks_at_launch_checks_for_a_backup_once(data_dir, library,
                                                                 monkeypatch):
    """open_user_store writes today's backup if due; the app does not ask a second time."""
    from desktop.app import _open_bookmarks
    from desktop.data import bookmark_backups

    asked = []
    real = bookmark_backups.write_backup
    monkeypatch.setattr(bookmark_backups, "write_backup",
                        lambda *args, **kwargs: asked.append(args) or real(*args, **kwargs))
    bookmarks, message = _open_bookmarks(library)
    bookmarks.close()
    assert message is None
    assert len(asked) == 1


def test_pages_that_are_not_records_cannot_be_bookmarked(make_bm_window):
    window = make_bm_window()
    window.show_welcome()
    bar = window.bookmarking.bar
    assert bar.record_id is None and not bar.button.isEnabled()
    assert not window.bookmarking.toggle_action.isEnabled()
    assert not bar.note.isVisible()


def test_bookmarks_are_backed_up_at_quit(data_dir, library):
    from desktop.app import _close_bookmarks, _open_bookmarks
    from desktop.data.bookmark_io import parse_json
    from desktop.data.bookmark_backups import backup_dir, list_backups

    bookmarks, message = _open_bookmarks(library)
    assert message is None
    bookmarks.add(RITUXME, "study", "Rituximab", note="kept safe")
    _close_bookmarks(bookmarks)
    newest = list_backups(backup_dir(data_dir))[0]
    assert [b.note for b in parse_json(newest.read_bytes())] == ["kept safe"]


def test_a_note_being_typed_when_another_copy_removes_the_bookmark_is_not_lost(make_bm_window,
                                                                              qtbot, open_store):
    window = make_bm_window(RITUXME)
    window.bookmarking.toggle()
    qtbot.keyClicks(window.bookmarking.bar.note, "words not yet saved")
    open_store().remove(RITUXME)
    window.bookmarking.poll()
    assert not window.bookmarking.bar.button.isChecked()
    assert "words not yet saved" in window.bookmarking.bar.notice_text


def test_ctrl_shift_n_bookmarks_the_record_and_puts_the_cursor_in_its_note(make_bm_window, qtbot):
    window = make_bm_window(RITUXME)
    bar, store = window.bookmarking.bar, window.bookmarking.store
    window.tree.view.setFocus()
    assert not store.is_bookmarked(RITUXME)
    qtbot.keyClick(window.tree.view, Qt.Key.Key_N,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert store.is_bookmarked(RITUXME)  # a note belongs to a bookmark: it was made first
    qtbot.waitUntil(bar.note.hasFocus)
    assert "Bookmarked" in window.statusBar().currentMessage()
    qtbot.keyClicks(bar.note, "ask about dosing")
    bar.flush()
    assert store.get(RITUXME).note == "ask about dosing"
    window.detail.setFocus()
    qtbot.keyClick(window.detail, Qt.Key.Key_N,  # already bookmarked: straight to the note
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(bar.note.hasFocus)
    assert store.is_bookmarked(RITUXME)


def test_the_note_shortcut_is_on_the_shortcuts_sheet_and_says_why_on_other_pages(make_bm_window):
    window = make_bm_window(RITUXME)
    window.show_shortcuts()
    text = window.detail.toPlainText()
    assert "Ctrl+Shift+N" in text and "Write a note on this bookmark" in text
    window.show_welcome()
    window.bookmarking.note_action.trigger()
    assert "Open a record first" in window.statusBar().currentMessage()


def test_a_study_is_bookmarked_under_its_short_title(make_bm_window, library):
    window = make_bm_window(RITUXME)
    short = library.record(RITUXME).get("short_title")
    assert short
    window.bookmarking.toggle_action.trigger()
    assert window.bookmarking.store.get(RITUXME).title == short
    assert short in window.statusBar().currentMessage()
