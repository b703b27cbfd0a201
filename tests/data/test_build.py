"""The reference database: built atomically, rebuilt when it must be, never touching user data."""

import hashlib
import sqlite3

import pytest

from desktop.data import build, schema
from desktop.data.build import (ReferenceUnavailable, build_reference_db, ensure_reference_db,
                                rebuild_reason)
from desktop.data.library import Library
from desktop.data.seeds import KINDS


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def built(seeds_copy, tmp_path):
    """A current database for the seeds copy, with a user database beside it."""
    target = tmp_path / "data" / "reference.db"
    assert ensure_reference_db(seeds_copy, target).rebuilt
    user = target.with_name("user.db")
    with sqlite3.connect(user) as conn:
        conn.execute("CREATE TABLE bookmarks (id TEXT PRIMARY KEY, note TEXT)")
        conn.execute("INSERT INTO bookmarks VALUES ('rituxme-phase3-rct', 'ask my GP')")
    conn.close()
    return target, user


def test_every_seed_record_is_in_the_database(seeds, library):
    for kind in KINDS:
        if kind == "source":
            continue
        assert library.ids(kind) == [r["id"] for r in seeds.records[kind]]


def test_the_database_has_no_dangling_foreign_keys(reference_db):
    conn = sqlite3.connect(reference_db)
    conn.execute("PRAGMA foreign_keys = ON")
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    assert conn.execute("PRAGMA quick_check").fetchone() == ("ok",)


def test_meta_records_schema_version_and_seeds_hash(library, seeds):
    meta = library.meta()
    assert meta["schema_version"] == str(schema.SCHEMA_VERSION)
    assert meta["seeds_hash"] == seeds.fingerprint


def test_a_current_database_is_not_rebuilt(built, seeds_copy):
    target, _ = built
    before = _digest(target)
    assert not ensure_reference_db(seeds_copy, target).rebuilt
    assert _digest(target) == before


def test_a_changed_seed_triggers_a_rebuild(built, seeds_copy):
    target, user = built
    user_before = _digest(user)
    glossary = seeds_copy / "glossary.toml"
    glossary.write_text(glossary.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    result = ensure_reference_db(seeds_copy, target)
    assert result.rebuilt and result.reason == "the seed files changed"
    assert _digest(user) == user_before


def test_a_changed_schema_version_triggers_a_rebuild(built, seeds_copy, monkeypatch):
    target, user = built
    user_before = _digest(user)
    monkeypatch.setattr(schema, "SCHEMA_VERSION", schema.SCHEMA_VERSION + 1)
    result = ensure_reference_db(seeds_copy, target)
    assert result.rebuilt and result.reason == "the database layout changed"
    assert Library(target).meta()["schema_version"] == str(schema.SCHEMA_VERSION)
    assert _digest(user) == user_before


@pytest.mark.parametrize("damage", ["truncate", "random", "empty"])
def test_a_damaged_database_is_rebuilt(built, seeds_copy, damage):
    target, user = built
    user_before = _digest(user)
    data = target.read_bytes()
    if damage == "truncate":
        target.write_bytes(data[: len(data) // 3])
    elif damage == "random":
        target.write_bytes(bytes((i * 7919 + 13) % 256 for i in range(len(data))))
    else:
        target.write_bytes(b"")
    assert rebuild_reason(target, "whatever") is not None
    result = ensure_reference_db(seeds_copy, target)
    assert result.rebuilt
    assert Library(target).count("study") > 0
    assert _digest(user) == user_before


def test_bad_seeds_keep_the_previous_database_in_use_with_a_warning(built, seeds_copy):
    target, user = built
    before = _digest(target)
    (seeds_copy / "studies" / "zz-broken.toml").write_text("[[study]\n", encoding="utf-8")
    result = ensure_reference_db(seeds_copy, target)
    assert not result.rebuilt
    assert "zz-broken.toml" in result.warning and "TOML syntax error" in result.warning
    assert _digest(target) == before


def test_bad_seeds_and_no_database_is_an_error(seeds_copy, tmp_path):
    (seeds_copy / "studies" / "zz-broken.toml").write_text("[[study]\n", encoding="utf-8")
    with pytest.raises(ReferenceUnavailable, match="zz-broken.toml"):
        ensure_reference_db(seeds_copy, tmp_path / "reference.db")


def test_a_crash_mid_build_leaves_the_old_database_and_no_temporary_file(built, seeds, monkeypatch):
    target, _ = built
    before = _digest(target)

    def explode(db, seeds):
        db["half"].insert({"a": 1})
        raise RuntimeError("power cut")

    monkeypatch.setattr(build, "_write_tables", explode)
    with pytest.raises(RuntimeError):
        build_reference_db(seeds, target)
    assert _digest(target) == before
    assert sorted(p.name for p in target.parent.iterdir()) == ["reference.db", "user.db"]
