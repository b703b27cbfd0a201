"""Daily backups of bookmarks, and recovery from a damaged or missing user database."""

import json
import os
import sqlite3
from datetime import date, timedelta

import pytest

from desktop.data.bookmark_backups import backup_if_due, list_backups, open_user_store, write_atomic
from desktop.data.bookmark_values import BACKUP_DIR_NAME, BACKUPS_KEPT, UserDataUnavailable
from desktop.data.bookmarks import BookmarkStore

STUDY = "rituxme-phase3-rct"
DAY = date(2026, 5, 1)


def backups_in(data_dir):
    return sorted(p.name for p in (data_dir / BACKUP_DIR_NAME).glob("*"))


def saved_profile(data_dir):
    """A profile with two bookmarks and a backup of them; returns the bookmarks."""
    store, message = open_user_store(data_dir)
    assert message is None
    store.add(STUDY, "study", "Rituximab phase 3", note="ask my GP", tags=["B cells"])
    store.add("daratumumab-pilot", "study", "Daratumumab pilot")
    assert backup_if_due(store) is not None
    bookmarks = store.list()
    store.close()
    return bookmarks


# ---- backups --------------------------------------------------------------------------------


def test_one_backup_a_day_and_only_the_newest_fifteen_are_kept(tmp_path):
    with BookmarkStore(tmp_path / "user.db") as store:
        for offset in range(20):
            store.add(f"study-{offset}", "study", f"Study {offset}")
            assert backup_if_due(store, DAY + timedelta(days=offset)) is not None
            assert backup_if_due(store, DAY + timedelta(days=offset)) is None  # same day, same data
    names = backups_in(tmp_path)
    assert len(names) == BACKUPS_KEPT
    assert names[0] == f"bookmarks-{(DAY + timedelta(days=5)).isoformat()}.json"
    assert names[-1] == f"bookmarks-{(DAY + timedelta(days=19)).isoformat()}.json"


def test_todays_backup_is_refreshed_when_bookmarks_change(tmp_path):
    with BookmarkStore(tmp_path / "user.db") as store:
        store.add(STUDY, "study", "T")
        first = backup_if_due(store, DAY)
        store.set_note(STUDY, "a later note")
        assert backup_if_due(store, DAY) == first
        saved = json.loads(first.read_text(encoding="utf-8"))
        assert saved["bookmarks"][0]["note"] == "a later note"
    assert backups_in(tmp_path) == [first.name]


def test_no_backup_is_made_of_nothing(tmp_path):
    with BookmarkStore(tmp_path / "user.db") as store:
        assert backup_if_due(store, DAY) is None
        store.add(STUDY, "study", "T")
        backup_if_due(store, DAY)
        store.remove(STUDY)
        assert backup_if_due(store, DAY + timedelta(days=1)) is not None  # removing is a change too


def test_files_are_written_atomically(tmp_path):
    target = tmp_path / "out.json"
    target.write_text("old")
    write_atomic(target, b"new")
    assert target.read_bytes() == b"new"
    assert os.listdir(tmp_path) == ["out.json"]


def test_opening_writes_todays_backup(data_dir):
    saved_profile(data_dir)
    assert backups_in(data_dir) == [f"bookmarks-{date.today().isoformat()}.json"]


# ---- recovery -------------------------------------------------------------------------------


def _truncate(path):
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _random_bytes(path):
    path.write_bytes(os.urandom(path.stat().st_size or 8192))


def _scribble_on_the_pages(path):
    data = bytearray(path.read_bytes())
    page = 4096
    for start in range(page, len(data), page):  # leave the header page, damage all the others
        data[start:start + 200] = os.urandom(200)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", [_truncate, _random_bytes, _scribble_on_the_pages])
def test_a_damaged_user_database_is_moved_aside_and_restored_from_the_backup(data_dir, damage):
    bookmarks = saved_profile(data_dir)
    original = (data_dir / "user.db").read_bytes()
    damage(data_dir / "user.db")
    damaged = (data_dir / "user.db").read_bytes()

    store, message = open_user_store(data_dir)
    try:
        assert store.list() == bookmarks
        assert store.quick_check()
    finally:
        store.close()
    [aside] = [p for p in data_dir.iterdir()
               if p.name.startswith("user.db.damaged-") and not p.name.endswith(("-wal", "-shm"))]
    assert aside.read_bytes() == damaged != original
    assert "could not be read" in message and aside.name in message
    assert "2 bookmarks were brought back from the backup of" in message


def test_a_damaged_user_database_without_a_backup_is_kept_and_the_person_told(data_dir):
    data_dir.mkdir(parents=True)
    (data_dir / "user.db").write_bytes(b"this is not a database" * 100)
    store, message = open_user_store(data_dir)
    store.close()
    assert "no backup" in message and "empty" in message
    assert [p.name.split("-")[0] for p in data_dir.glob("user.db.damaged-*")] == ["user.db.damaged"]


def test_a_stale_wal_file_is_moved_aside_with_the_damaged_database(data_dir):
    bookmarks = saved_profile(data_dir)
    (data_dir / "user.db-wal").write_bytes(os.urandom(5000))
    _random_bytes(data_dir / "user.db")
    store, _ = open_user_store(data_dir)
    assert store.list() == bookmarks
    store.close()
    assert len(list(data_dir.glob("user.db.damaged-*-wal"))) == 1


def test_a_missing_user_database_is_restored_from_the_backup(data_dir):
    bookmarks = saved_profile(data_dir)
    (data_dir / "user.db").unlink()
    store, message = open_user_store(data_dir)
    assert store.list() == bookmarks
    store.close()
    assert message.startswith("Your bookmarks file was missing.")


def test_an_emptied_user_database_is_restored_from_the_backup(data_dir):
    bookmarks = saved_profile(data_dir)
    (data_dir / "user.db").write_bytes(b"")
    store, message = open_user_store(data_dir)
    assert store.list() == bookmarks
    store.close()
    assert message.startswith("Your bookmarks file was empty.")


def test_an_unreadable_backup_is_skipped_for_an_older_one(data_dir):
    bookmarks = saved_profile(data_dir)
    folder = data_dir / BACKUP_DIR_NAME
    [good] = list_backups(folder)
    good.rename(folder / "bookmarks-2000-01-01.json")
    (folder / "bookmarks-2999-01-01.json").write_text("{ half a file")
    _random_bytes(data_dir / "user.db")
    store, message = open_user_store(data_dir)
    assert store.list() == bookmarks
    store.close()
    assert "1 January 2000" in message


def test_a_healthy_profile_opens_without_a_message(data_dir):
    saved_profile(data_dir)
    store, message = open_user_store(data_dir)
    store.close()
    assert message is None
    assert not list(data_dir.glob("user.db.damaged-*"))


def test_a_database_from_a_newer_trialtree_is_not_moved_aside(data_dir):
    data_dir.mkdir(parents=True)
    conn = sqlite3.connect(data_dir / "user.db")
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(UserDataUnavailable):
        open_user_store(data_dir)
    assert (data_dir / "user.db").exists() and not list(data_dir.glob("user.db.damaged-*"))
