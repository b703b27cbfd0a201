"""Shared fixtures. Qt must run offscreen in tests (see TECH-NOTES: pytest aborts otherwise)."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"


@pytest.fixture(scope="session")
def seeds():
    """The project's real seeds, loaded and validated once."""
    from desktop.data.seeds import load_seeds

    return load_seeds(SEEDS)


@pytest.fixture(scope="session")
def reference_db(tmp_path_factory, seeds):
    """A reference database built from the real seeds, once per test session (read-only use)."""
    from desktop.data.build import build_reference_db

    path = tmp_path_factory.mktemp("reference") / "reference.db"
    build_reference_db(seeds, path)
    return path


@pytest.fixture
def library(reference_db):
    from desktop.data.library import Library

    lib = Library(reference_db)
    yield lib
    lib.close()


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    """An empty user data folder, used by everything that calls desktop.paths."""
    path = tmp_path / "data"
    monkeypatch.setenv("TRIALTREE_DATA_DIR", str(path))
    return path


@pytest.fixture
def seeds_copy(tmp_path, monkeypatch):
    """A writable copy of the real seeds that the app will use (for tests that edit seeds)."""
    path = tmp_path / "seeds"
    shutil.copytree(SEEDS, path)
    monkeypatch.setenv("TRIALTREE_SEEDS_DIR", str(path))
    return path
