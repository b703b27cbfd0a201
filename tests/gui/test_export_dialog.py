"""The export save dialog (issue 12 #7): it starts in the user's documents folder with the last
format used, never in the working directory the app was started from."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog

from desktop.data.bookmark_values import USER_DB_NAME
from desktop.data.bookmarks import BookmarkStore
from desktop.ui.export_dialog import EXPORT_FILTERS
from desktop.ui.main_window import MainWindow

RITUXME = "rituxme-phase3-rct"


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A home folder with no XDG settings, and a working directory elsewhere."""
    folder = tmp_path / "home"
    folder.mkdir()
    monkeypatch.setenv("HOME", str(folder))
    for name in ("XDG_CONFIG_HOME", "XDG_DOCUMENTS_DIR"):
        monkeypatch.delenv(name, raising=False)
    elsewhere = tmp_path / "started-here"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    return folder


@pytest.fixture
def window(qtbot, library, store, tmp_path):
    bookmarks = BookmarkStore(tmp_path / "user" / USER_DB_NAME)
    win = MainWindow(library, store, bookmarks=bookmarks)
    qtbot.addWidget(win)
    win.start(RITUXME)
    win.show()
    win.bookmarking.toggle()
    yield win
    win.close()
    bookmarks.close()


def exports(window, monkeypatch, answers):
    """Trigger File → Export once per answer (a path, or "" to cancel); the dialog's (start
    path, selected filter) each time."""
    asked = []

    def dialog(parent, caption, start, filters, selected):
        asked.append((Path(start), selected))
        answer = answers[len(asked) - 1]
        return answer, (EXPORT_FILTERS[Path(answer).suffix[1:]] if answer else "")

    monkeypatch.setattr(QFileDialog, "getSaveFileName", dialog)
    for _ in answers:
        window.bookmarking.export_action.trigger()
    return asked


def test_the_dialog_starts_in_documents_and_then_with_the_last_folder_and_format(
        window, home, monkeypatch):
    documents = home / "Documents"
    documents.mkdir()
    shared = home / "for-my-gp"
    shared.mkdir()
    asked = exports(window, monkeypatch, [str(shared / "list.md"), ""])
    assert asked[0] == (documents / "trialtree-bookmarks.json", EXPORT_FILTERS["json"])
    assert (shared / "list.md").is_file()
    assert asked[1] == (shared / "trialtree-bookmarks.md", EXPORT_FILTERS["md"])


def test_without_a_documents_folder_the_dialog_starts_at_home_not_the_working_directory(
        window, home, monkeypatch):
    asked = exports(window, monkeypatch, [""])
    assert asked[0][0].parent == home
