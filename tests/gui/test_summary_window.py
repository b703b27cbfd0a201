"""The summary in the window (issue 18): File → Print summary… / Export summary as PDF…, black on
white whatever the theme, and the Bookmarks panel saying what changed until the study is opened."""

import unicodedata

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrintDialog
from PySide6.QtWidgets import QDialog, QFileDialog

from desktop.data.bookmarks import BookmarkStore
from desktop.data.seen_facts import key_facts
from desktop.models.roles import Role
from desktop.ui.main_window import MainWindow

RITUXME = "rituxme-phase3-rct"
DARA = "daratumumab-pilot"


@pytest.fixture
def bm_window(qtbot, library, store, tmp_path):
    bookmarks = BookmarkStore(tmp_path / "user" / "user.db")
    bookmarks.add(RITUXME, "study", "RituxME", note="Ask about fatigue scores")
    window = MainWindow(library, store, bookmarks=bookmarks)
    qtbot.addWidget(window)
    window.start(DARA)
    window.show()
    qtbot.waitUntil(lambda: window.bookmarking.model.rowCount() == 1)
    qtbot.waitUntil(lambda: window.startup_finished)  # "what changed" is read after the paint
    yield window
    window.close()
    bookmarks.close()


def _text(path) -> str:
    return " ".join(unicodedata.normalize("NFKC", " ".join(
        p.extract_text() for p in PdfReader(str(path)).pages)).split())


def _file_menu(window):
    menu = next(a.menu() for a in window.menuBar().actions()
                if a.menu() is not None and a.menu().title() == "&File")
    return [a.text() for a in menu.actions()]


def test_the_file_menu_offers_print_and_pdf(bm_window):
    entries = _file_menu(bm_window)
    assert "&Print summary…" in entries and "Export summary as PD&F…" in entries
    assert entries.index("Export summary as PD&F…") < entries.index("&Quit")


def test_export_as_pdf_writes_the_bookmarked_studies_with_the_note(bm_window, monkeypatch, tmp_path):
    target = tmp_path / "summary.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "PDF (*.pdf)"))
    bm_window.summary.pdf_action.trigger()
    text = _text(target)
    assert "RituxME" in text and "My questions: Ask about fatigue scores" in text
    assert "not medical advice" in text
    assert str(target) in bm_window.statusBar().currentMessage()


def test_print_goes_through_the_print_dialog(bm_window, monkeypatch, tmp_path):
    target = tmp_path / "printed.pdf"

    def accept(dialog):
        dialog.printer().setOutputFileName(str(target))  # a PDF printer stands in for paper
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", accept)
    bm_window.summary.print_action.trigger()
    assert "RituxME" in _text(target)
    assert "printer" in bm_window.statusBar().currentMessage()


def test_the_summary_is_the_same_black_on_white_in_every_theme(bm_window):
    pages = {}
    for theme in ("light", "dark", "low-stimulus"):
        bm_window.themes.set_theme(theme)
        pages[theme] = bm_window.summary._parts()
    assert pages["light"] == pages["dark"] == pages["low-stimulus"]


def test_the_panel_says_what_changed_until_the_study_is_opened(bm_window, qtbot):
    store, model = bm_window.bookmarking.store, bm_window.bookmarking.model
    facts = key_facts(bm_window.library.record(RITUXME))
    # What the user saw before a seed update changed the status.
    store.save_seen_facts(RITUXME, {**facts, "status": "Ongoing"}, "2025-11-07",
                          "2026-03-02T09:00:00Z")
    bm_window.summary.refresh_changed()
    index = model.index(model.row_of(RITUXME))
    assert "Changed since you last looked: where it stands" in index.data(Role.Where)
    tooltip = index.data(0x0003)  # ToolTipRole
    assert "was Ongoing, now Completed" in tooltip and "2 March 2026" in tooltip
    bm_window.open_record(RITUXME)
    qtbot.waitUntil(lambda: "changed" not in index.data(Role.Where))
    assert store.seen_facts(RITUXME)[0] == facts


def test_what_changed_is_read_after_the_first_paint_not_before(qtbot, library, store, tmp_path):
    # It reads every bookmarked study (about 1 ms each, up to 1,000 bookmarks): never before the
    # window's first picture.
    bookmarks = BookmarkStore(tmp_path / "user" / "user.db")
    bookmarks.add(RITUXME, "study", "RituxME")
    facts = key_facts(library.record(RITUXME))
    bookmarks.save_seen_facts(RITUXME, {**facts, "status": "Ongoing"}, "2025-11-07",
                              "2026-03-02T09:00:00Z")
    window = MainWindow(library, store, bookmarks=bookmarks)
    qtbot.addWidget(window)
    window.start(DARA)
    model = window.bookmarking.model
    qtbot.waitUntil(lambda: model.rowCount() == 1)
    assert not window.startup_finished  # never shown, never painted
    assert "Changed since" not in model.index(0).data(Role.Where)
    window.finish_startup()  # what the first paint triggers
    assert "Changed since you last looked: where it stands" in model.index(0).data(Role.Where)
    window.close()
    bookmarks.close()
