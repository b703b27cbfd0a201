"""Fixtures for the window tests: settings kept in tmp, a window over the real seeds, and a tiny
seeds folder whose text tries to be markup."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

HOSTILE = {
    "title": "<b>Bold</b> trial & <i>friends</i>",
    "summary": "Tested <img src=\"file:///etc/passwd\"> in <script>alert('x')</script> people.",
    "population": "adults <a href=\"https://evil.example\">click</a>",
}

TINY_SEEDS = {
    "sources.toml": """
[[source]]
id = "src"
title = "A <em>source</em>"
kind = "news"
url = "https://example.org/article"
""",
    "mechanisms.toml": """
[[mechanism]]
id = "mech-a"
name = "Mechanism <u>A</u>"
summary = "Top mechanism."
sources = [{ source = "src", section = "Intro" }]

[[mechanism]]
id = "mech-c"
name = "Mechanism C"
summary = "Another top mechanism."
sources = [{ source = "src", section = "Intro" }]

[[mechanism]]
id = "mech-b"
name = "Mechanism B"
parent = "mech-a"
summary = "A child mechanism."
sources = [{ source = "src", section = "Intro" }]
""",
    "treatments.toml": """
[[treatment]]
id = "drug-x"
name = "Drug X"
kind = "drug"
summary = "A drug."
mechanisms = ["mech-b"]
sources = [{ source = "src", section = "Intro" }]
""",
    "people.toml": """
[[person]]
id = "dr-who"
name = "Dr <script>Who</script>"
sources = [{ source = "src", section = "Intro" }]
""",
    "institutions.toml": """
[[institution]]
id = "uni"
name = "University"
sources = [{ source = "src", section = "Intro" }]
""",
    "glossary.toml": """
[[term]]
id = "term-x"
term = "Term <b>X</b>"
definition = "Means <img src=x onerror=alert(1)>."
sources = [{ source = "src", section = "Intro" }]
""",
    "studies/hostile.toml": f"""
[[study]]
id = "hostile-trial"
title = {json.dumps(HOSTILE['title'])}
kind = "trial"
status = "completed"
phase = "2"
summary_plain = {json.dumps(HOSTILE['summary'])}
population = {json.dumps(HOSTILE['population'])}
treatments = ["drug-x"]
mechanisms = ["mech-c", "mech-b"]
people = [{{ person = "dr-who", role = "lead <b>investigator</b>" }}]
institutions = ["uni"]
sources = [{{ source = "src", section = "Intro <script>" }}]
registry_status = {{ text = "Recruiting <b>now</b>", url = "https://registry.example/1", kind = "registry", confidence = "secondary", seen = "2025-01-02" }}
""",
}


@pytest.fixture
def hostile_text():
    """The would-be markup the tiny seeds' study carries, by field."""
    return dict(HOSTILE)


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, monkeypatch):
    """Every QSettings the app opens by name lands in tmp, never in the user's home."""
    folder = tmp_path / "settings"
    folder.mkdir()
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.NativeFormat, scope, str(folder))
        QSettings.setPath(QSettings.Format.IniFormat, scope, str(folder))
    return folder


@pytest.fixture
def store(tmp_path):
    """A settings file of its own, passed to the window."""
    return QSettings(str(tmp_path / "trialtree.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def make_window(qtbot, library, store):
    """Build a MainWindow over the real seeds (started on ``open_id``) and show it."""
    from desktop.ui.main_window import MainWindow

    def make(open_id: str | None = None, settings_store: QSettings | None = None):
        window = MainWindow(library, settings_store or store)
        qtbot.addWidget(window)
        window.start(open_id)
        window.show()
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)
        qtbot.waitUntil(lambda: window.startup_finished)  # glossary marks come after first paint
        return window

    return make


@pytest.fixture
def sql(reference_db):
    """Plain SQL over the test database, to derive what the window should show."""
    conn = sqlite3.connect(f"file:{reference_db}?mode=ro", uri=True)
    yield lambda query, params=(): conn.execute(query, params).fetchall()
    conn.close()


def write_seeds(folder: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text.lstrip(), encoding="utf-8")
    return folder


@pytest.fixture
def tiny_library(tmp_path):
    """A Library over a handful of records whose text is full of would-be markup."""
    from desktop.data.build import build_reference_db
    from desktop.data.library import Library
    from desktop.data.seeds import load_seeds

    seeds = write_seeds(tmp_path / "tiny-seeds", TINY_SEEDS)
    path = tmp_path / "tiny.db"
    build_reference_db(load_seeds(seeds), path)
    library = Library(path)
    yield library
    library.close()
