"""File → Import registry download… in the window: progress, cancel, summary, bad input, the tree's
"Not yet filed" with filing and removal, and changes flagged on bookmarks until seen."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from desktop.ui import import_window

FIXTURES = Path(__file__).parent.parent / "data" / "fixtures" / "ctgov"
SINGLE = json.loads((FIXTURES / "study_single.json").read_text())


def _study(nct_id="NCT99990001", status="RECRUITING", updated="2024-05-07"):
    data = copy.deepcopy(SINGLE)
    protocol = data["protocolSection"]
    protocol["identificationModule"]["nctId"] = nct_id
    protocol["statusModule"].update(overallStatus=status,
                                    lastUpdatePostDateStruct={"date": updated, "type": "ACTUAL"})
    return data


@pytest.fixture
def window(qtbot, data_dir, reference_db, store, tmp_path):
    """A window over a reference database in the data folder (the import refreshes it there),
    with a bookmark store of its own."""
    from desktop.data.bookmarks import BookmarkStore
    from desktop.data.library import Library
    from desktop.ui.main_window import MainWindow

    data_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy(reference_db, data_dir / "reference.db")
    bookmarks = BookmarkStore(tmp_path / "user.db")
    shown = MainWindow(Library(data_dir / "reference.db"), store, bookmarks=bookmarks)
    shown.bookmark_store = bookmarks
    qtbot.addWidget(shown)
    shown.start(None)
    shown.show()
    qtbot.waitUntil(lambda: shown.startup_finished)
    yield shown
    shown.library.close()


def _import(qtbot, window, *files, keep=False):
    worker = import_window.start_import(window, list(files), keep_other_conditions=keep)
    assert worker is not None
    qtbot.waitUntil(lambda: import_window.state(window).worker is None, timeout=60000)
    box = import_window.state(window).last_message
    return box


def _close(box):
    if box is not None and box.isVisible():
        box.done(QMessageBox.StandardButton.Ok)


def _tree_titles(window) -> list[str]:
    model = window.tree.model
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def test_the_menu_has_the_import_with_its_shortcut(window):
    file_menu = next(a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "File")
    assert window.import_registry_action in file_menu.actions()
    assert window.import_registry_action.shortcut().toString() == import_window.SHORTCUT


def test_an_import_reports_progress_then_a_summary_and_the_tree_shows_not_yet_filed(qtbot, window):
    window.open_record(window.library.ids("mechanism")[0])
    opened = window.detail.record.id
    seen = []
    worker = import_window.start_import(window, [FIXTURES / "page.json"])
    worker.progress.connect(lambda done, total: seen.append((done, total)))
    qtbot.waitUntil(lambda: import_window.state(window).worker is None, timeout=60000)
    box = import_window.state(window).last_message
    assert seen, "the worker reported progress"
    assert box.windowTitle() == "Import finished"
    assert box.text().startswith("Imported: ")
    assert window.library.kind_of("nct99990003") == "study"
    assert any("Not yet filed" in (t or "") for t in _tree_titles(window))
    assert window.detail.record.id == opened  # the open record is kept
    _close(box)


def test_a_cancel_changes_nothing(qtbot, window, data_dir):
    from desktop.data.import_store import revision_of

    before = revision_of(data_dir / "imports.db") if (data_dir / "imports.db").exists() else "none"
    worker = import_window.start_import(window, [FIXTURES / "page.json", FIXTURES / "array.json"])
    worker.cancel()  # before the worker reads the first file: it stops there
    qtbot.waitUntil(lambda: import_window.state(window).worker is None, timeout=60000)
    after = revision_of(data_dir / "imports.db") if (data_dir / "imports.db").exists() else "none"
    assert after.split(":")[-1] == before.split(":")[-1] or after == "none"
    assert window.library.kind_of("nct99990003") is None
    assert "cancelled" in window.statusBar().currentMessage()


def test_a_bad_file_gets_one_line_naming_it(qtbot, window):
    box = _import(qtbot, window, FIXTURES / "not_json.csv")
    assert box.windowTitle() == "Nothing was imported"
    assert "not_json.csv" in box.text()
    assert "\n" not in box.text()
    _close(box)


def test_the_still_theme_shows_no_bar(qtbot, window):
    from desktop.ui.themes import palette_definitions

    still = next((name for name, p in palette_definitions().items() if p.get("still")), None)
    assert still is not None
    window.themes.set_theme(still)
    worker = import_window.start_import(window, [FIXTURES / "page.json"])
    progress = import_window.state(window).progress
    assert progress.bar.isHidden()
    assert progress.label.text()
    worker.cancel()
    qtbot.waitUntil(lambda: import_window.state(window).worker is None, timeout=60000)


def test_filing_from_the_tree_is_kept_across_a_rebuild(qtbot, window, data_dir):
    from desktop.data.build import ensure_reference_db
    from desktop import paths

    _close(_import(qtbot, window, FIXTURES / "page.json"))
    assert import_window.is_imported(window, "nct99990003")
    mechanism = window.library.ids("mechanism")[0]
    assert import_window.file_under(window, "nct99990003", mechanism)
    qtbot.waitUntil(lambda: import_window.state(window).worker is None, timeout=60000)
    filed = window.library.record("nct99990003").filed_under
    assert [(f.mechanism, f.by) for f in filed] == [(mechanism, "user")]
    ensure_reference_db(paths.seeds_dir(), data_dir / "reference.db", force=True)
    from desktop.data.library import Library

    rebuilt = Library(data_dir / "reference.db")
    try:
        filed = rebuilt.record("nct99990003").filed_under
        assert [(f.mechanism, f.by) for f in filed] == [(mechanism, "user")]
    finally:
        rebuilt.close()


def test_the_tree_menu_offers_filing_and_removal_only_on_an_imported_study(qtbot, window):
    _close(_import(qtbot, window, FIXTURES / "page.json"))
    window.open_record("nct99990003")
    view = window.tree.view
    rect = view.visualRect(view.currentIndex())
    menu = import_window.tree_menu(window, rect.center())
    assert [a.text() for a in menu.actions()] == ["File under a mechanism…", "Remove this imported study…"]
    window.open_record(window.library.ids("mechanism")[0])
    assert import_window.tree_menu(window, view.visualRect(view.currentIndex()).center()) is None


def test_removing_an_import_keeps_its_bookmark_shown_as_gone(qtbot, window):
    _close(_import(qtbot, window, FIXTURES / "page.json"))
    record = window.library.record("nct99990003")
    window.bookmark_store.add(record.id, "study", record.title)
    window.bookmarking.reload()
    assert import_window.remove_import(window, "nct99990003", confirm=False)
    qtbot.waitUntil(lambda: import_window.state(window).worker is None, timeout=60000)
    assert window.library.kind_of("nct99990003") is None
    model = window.bookmarking.model
    row = model.row_of("nct99990003")
    assert row >= 0 and model.is_orphaned(row)


def test_changes_are_flagged_in_the_panel_until_the_study_is_opened(qtbot, window, tmp_path):
    old = tmp_path / "old.json"
    old.write_text(json.dumps(_study(status="RECRUITING", updated="2024-05-07")))
    new = tmp_path / "new.json"
    new.write_text(json.dumps(_study(status="COMPLETED", updated="2025-01-10")))
    _close(_import(qtbot, window, old))
    record = window.library.record("nct99990001")
    window.bookmark_store.add(record.id, "study", record.title)
    window.bookmarking.reload()
    _close(_import(qtbot, window, new))
    model = window.bookmarking.model
    row = model.row_of("nct99990001")
    where = model.index(row, 0).data(import_window_role())
    assert where.startswith("Changed since you last looked: status")
    window.open_record("nct99990001")
    qtbot.waitUntil(lambda: not model.change_flag("nct99990001"))
    assert not model.index(model.row_of("nct99990001"), 0).data(import_window_role()).startswith("Changed")
    from desktop.data.import_store import ImportStore

    with ImportStore(import_window.paths_of(window).imports_db) as store:
        assert store.changes(["NCT99990001"], unseen_only=True) == []


def import_window_role():
    from desktop.models.roles import Role

    return Role.Where


def test_the_filing_dialog_filters_as_you_type_and_enter_chooses(qtbot):
    from PySide6.QtCore import Qt

    from desktop.ui.file_under_dialog import FileUnderDialog

    dialog = FileUnderDialog("A study", [("autoantibodies", "Autoantibodies"),
                                         ("viral-persistence", "Viral persistence"),
                                         ("mitochondria", "Mitochondria")])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.filter, "vir")
    assert dialog.proxy.rowCount() == 1
    assert dialog.chosen() == "viral-persistence"
    dialog.filter.clear()
    qtbot.keyClick(dialog.filter, Qt.Key.Key_Down)
    assert dialog.chosen() == "mitochondria"  # sorted by name: Autoantibodies, Mitochondria, …
    qtbot.keyClick(dialog.filter, Qt.Key.Key_Return)
    assert dialog.result() == dialog.DialogCode.Accepted


def test_filing_is_kept_when_the_same_study_is_imported_again(qtbot, window):
    _close(_import(qtbot, window, FIXTURES / "page.json"))
    mechanism = window.library.ids("mechanism")[0]
    assert import_window.file_under(window, "nct99990003", mechanism)
    qtbot.waitUntil(lambda: import_window.state(window).worker is None, timeout=60000)
    _close(_import(qtbot, window, FIXTURES / "page.json"))
    filed = window.library.record("nct99990003").filed_under
    assert [(f.mechanism, f.by) for f in filed] == [(mechanism, "user")]


def test_a_study_of_neither_condition_is_kept_only_when_the_user_asks(qtbot, window, tmp_path):
    other = _study(nct_id="NCT99990077")
    other["protocolSection"]["conditionsModule"]["conditions"] = ["Asthma"]
    for key in ("briefTitle", "officialTitle"):
        other["protocolSection"]["identificationModule"][key] = "A study of asthma"
    other["protocolSection"]["conditionsModule"].pop("keywords", None)
    path = tmp_path / "other.json"
    path.write_text(json.dumps(other))
    box = _import(qtbot, window, path)
    assert "Not kept: 1 study of neither ME/CFS nor long COVID." in box.text()
    assert window.library.kind_of("nct99990077") is None
    keep = next(b for b in box.buttons() if b.text() == "Keep those too")
    keep.click()
    qtbot.waitUntil(lambda: window.library.kind_of("nct99990077") == "study", timeout=60000)
    _close(import_window.state(window).last_message)


# ---- the pane's links on an imported study (issue 17) ---------------------------------------


def _press_pane_link(qtbot, window, href):
    from PySide6.QtCore import Qt

    assert window.detail.focus_anchor(href), href
    qtbot.keyClick(window.detail, Qt.Key.Key_Return)


def test_the_panes_file_link_calls_file_under_and_back_still_works(qtbot, window, monkeypatch):
    from desktop.render.imported import import_href

    _close(_import(qtbot, window, FIXTURES / "page.json"))
    mechanism = window.library.ids("mechanism")[0]
    window.open_record(mechanism)
    window.history.settle()
    window.open_record("nct99990003")
    window.history.settle()
    assert "Where this study came from" in window.detail.toPlainText()
    asked = []
    monkeypatch.setattr(import_window, "file_under", lambda w, rid, *a: asked.append((w, rid)) or False)
    _press_pane_link(qtbot, window, import_href("file", "nct99990003"))
    qtbot.waitUntil(lambda: asked == [(window, "nct99990003")])
    assert window.detail.record.id == "nct99990003"  # the link opens no page of its own
    window.back_action.trigger()
    qtbot.waitUntil(lambda: window.detail.record.id == mechanism)


def test_the_panes_remove_link_removes_the_import_after_asking(qtbot, window, monkeypatch):
    from desktop.render.imported import import_href

    _close(_import(qtbot, window, FIXTURES / "page.json"))
    window.open_record("nct99990003")
    asked = []
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *args: asked.append(args[2]) or QMessageBox.StandardButton.Yes)
    _press_pane_link(qtbot, window, import_href("remove", "nct99990003"))
    qtbot.waitUntil(lambda: import_window.state(window).worker is None
                    and window.library.kind_of("nct99990003") is None, timeout=60000)
    assert asked and "NCT99990003" in asked[0]


def test_a_curated_studys_pane_has_no_import_links(qtbot, window):
    from desktop.render.imported import IMPORT_SCHEME

    window.open_record(window.library.ids("study")[0])
    assert f"{IMPORT_SCHEME}:" not in window.detail.toHtml()
