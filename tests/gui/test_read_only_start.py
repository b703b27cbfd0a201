"""Starting the window where the data folder cannot be written (issue 13, defects 4 and 8): it
never crashes, browses older data read-only, and names the permission problem and the folder.

Tests run as root, which ignores permissions: the read-only folder is acted out by replacing
``desktop.paths.folder_is_writable`` and making the build fail as it does for a normal user."""

from __future__ import annotations

import sqlite3

import pytest

from desktop import app as app_module
from desktop import paths
from desktop.data import build
from desktop.data.build import ensure_reference_db

RITUXME = "rituxme-phase3-rct"


@pytest.fixture
def launch(qtbot, store):
    started = []

    def launch_(open_id: str | None = None):
        startup = app_module.Startup(open_id, store=store)
        qtbot.addWidget(startup.window)
        started.append(startup)
        return startup

    yield launch_
    for startup in started:
        startup.window.close()
        startup.close()


def test_a_data_folder_that_cannot_be_made_shows_the_problem(launch, tmp_path, monkeypatch):
    (tmp_path / "a-file").write_text("x")
    monkeypatch.setenv("TRIALTREE_DATA_DIR", str(tmp_path / "a-file" / "data"))
    window = launch(RITUXME).window
    window.show()
    assert "cannot make its data folder" in window.detail.toPlainText()
    assert str(tmp_path / "a-file" / "data") in window.detail.toPlainText()


def test_a_read_only_folder_with_older_data_browses_it_and_says_why(launch, qtbot, data_dir,
                                                                    seeds_copy, monkeypatch):
    ensure_reference_db(seeds_copy, data_dir / "reference.db")
    (seeds_copy / "people.toml").write_text((seeds_copy / "people.toml").read_text() + "\n")

    def refuse(*args, **kwargs):
        raise sqlite3.OperationalError("unable to open database file")

    monkeypatch.setattr(paths, "folder_is_writable", lambda folder: False)
    monkeypatch.setattr(build, "build_reference_db", refuse)
    startup = launch(RITUXME)
    window = startup.window
    window.show()
    qtbot.waitUntil(lambda: window.library is not None, timeout=20000)
    assert window.detail.record.id == RITUXME
    assert "no permission to write" in window.notice.toolTip()
    assert str(data_dir) in window.notice.toolTip()
    notice = window.bookmarking.bar.notice_text
    assert "no permission to write" in notice and str(data_dir) in notice
    assert "another copy" not in notice
