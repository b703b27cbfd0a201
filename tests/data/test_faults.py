"""Fault injection (issue 13): damaged files, read-only folders, two writers, kill -9, damaged
backups. Nothing the person wrote may be lost, and every fault is one clear line, never a
traceback. The whole module runs in a few seconds.

Tests run as root, which ignores file permissions: a read-only folder is acted out by replacing
``desktop.paths.folder_is_writable`` (which really tries to make a file) and by making the write
fail the way it fails for a normal user.
"""

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
from datetime import date

import pytest

from desktop.data import bookmark_values as bm
from desktop.data.bookmark_backups import backup_if_due, open_user_store
from desktop.data.bookmark_values import BACKUP_DIR_NAME, UserDataUnavailable
from desktop.data.bookmarks import BookmarkStore

STUDY = "rituxme-phase3-rct"
OTHER = "daratumumab-pilot"


@pytest.fixture
def trialtree(data_dir, reference_db, capsys):
    """Run ``trialtree ARGS…`` in-process; returns (exit status, stdout, stderr)."""
    import desktop.cli as cli

    data_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy(reference_db, data_dir / "reference.db")

    def run(*args):
        code = cli.main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def one_line_error(result):
    code, out, err = result
    assert code == 1 and out == "" and err.startswith("trialtree: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    return err


def damage(path):
    path.write_bytes(b"not a database at all " * 300)


# ---- defect 1: notes written by two copies at once ------------------------------------------


def test_cli_add_reads_the_old_note_inside_its_write(trialtree, data_dir, monkeypatch):
    """Another copy saves a note between the CLI's first look and its write: both stay."""
    assert trialtree("bookmarks", "add", STUDY, "--note", "first")[0] == 0
    real_get = BookmarkStore.get
    calls = []

    def get_then_other_copy_writes(self, record_id):
        result = real_get(self, record_id)
        if not calls:
            calls.append(record_id)
            with BookmarkStore(data_dir / "user.db") as other:
                other.set_note(STUDY, "first\n\nfrom the window")
        return result

    monkeypatch.setattr(BookmarkStore, "get", get_then_other_copy_writes)
    assert trialtree("bookmarks", "add", STUDY, "--note", "from the script")[0] == 0
    monkeypatch.undo()
    with BookmarkStore(data_dir / "user.db") as store:
        note = store.get(STUDY).note
    assert calls and "from the window" in note and "from the script" in note


APPENDER = """
import sys
from desktop.data.bookmarks import BookmarkStore
store = BookmarkStore(sys.argv[1])
for i in range(int(sys.argv[3])):
    record_id = ("s-a", "s-b", "s-c")[i % 3]
    store.upsert(record_id, "study", "T", note=f"{sys.argv[2]}-{i}", append_note=True)
    print(record_id, f"{sys.argv[2]}-{i}", flush=True)
"""


def test_two_writers_appending_notes_lose_none(tmp_path):
    db = tmp_path / "user.db"
    BookmarkStore(db).close()
    writers = [subprocess.Popen([sys.executable, "-c", APPENDER, str(db), name, "60"],
                                stdout=subprocess.PIPE, text=True) for name in ("x", "y")]
    confirmed = [line.split() for w in writers for line in w.communicate()[0].splitlines()]
    assert all(w.returncode == 0 for w in writers) and len(confirmed) == 120
    with BookmarkStore(db) as store:
        notes = {b.record_id: b.note.split("\n\n") for b in store.list()}
    assert all(text in notes[record_id] for record_id, text in confirmed)


def test_a_note_changed_underneath_is_merged_not_overwritten(tmp_path):
    with BookmarkStore(tmp_path / "user.db") as window, BookmarkStore(tmp_path / "user.db") as cli:
        window.add(STUDY, "study", "T", note="ask my GP")
        loaded = window.get(STUDY).note
        cli.upsert(STUDY, "study", "T", note="dose was 500 mg", append_note=True)
        stored = window.set_note(STUDY, "ask my GP about B cells", base=loaded)
        assert "ask my GP about B cells" in stored and "dose was 500 mg" in stored
        assert window.get(STUDY).note == stored
        # Nothing changed underneath: the note is simply replaced.
        assert window.set_note(STUDY, "short", base=stored) == "short"


@pytest.mark.parametrize("base, theirs, ours", [
    ("a", "a\n\nb", "a edited"), ("a", "changed", "a\n\nmine"), ("a", "x", "y"),
    ("", "theirs", "ours"), ("a", "a\n\nb", "a\n\nc")])
def test_merged_notes_keep_every_word_of_both(base, theirs, ours):
    merged = bm.merge_notes(base, theirs, ours)
    for text in (theirs, ours):
        for word in text.split():
            assert word in merged


KILLED_APPENDER = APPENDER.replace('int(sys.argv[3])', '10**9')


def test_kill_9_while_appending_notes_keeps_every_confirmed_note(tmp_path):
    db = tmp_path / "user.db"
    confirmed = []
    for round_ in range(4):
        child = subprocess.Popen([sys.executable, "-c", KILLED_APPENDER, str(db), f"k{round_}", "0"],
                                 stdout=subprocess.PIPE, text=True, bufsize=1)
        lines = [child.stdout.readline() for _ in range(15 + 7 * round_)]
        child.send_signal(signal.SIGKILL)
        lines += child.stdout.readlines()
        child.wait()
        confirmed += [line.split() for line in lines if line.endswith("\n")]
    with BookmarkStore(db) as store:
        assert store.quick_check()
        notes = {b.record_id: b.note.split("\n\n") for b in store.list()}
    assert confirmed and all(text in notes[record_id] for record_id, text in confirmed)


# ---- defect 2: recovery keeps every backup --------------------------------------------------


def profile_with_backup(data_dir, day=None):
    store, _ = open_user_store(data_dir)
    store.add(STUDY, "study", "Rituximab", note="ask my GP")
    store.add(OTHER, "study", "Daratumumab")
    path = backup_if_due(store, day)
    store.close()
    return path


BACKUP_DAMAGE = {
    "cut short": lambda p: p.write_bytes(p.read_bytes()[:-20]),
    "empty": lambda p: p.write_bytes(b""),
    "random bytes": lambda p: p.write_bytes(os.urandom(4000)),
    "not ours": lambda p: p.write_text('{"format": "firefox", "bookmarks": []}'),
    "a bad entry": lambda p: p.write_text(p.read_text().replace('"kind": "study"', '"kind": 7', 1)),
    "not UTF-8": lambda p: p.write_bytes(b"\xff\xfe" + p.read_bytes()),
    "newer format": lambda p: p.write_text(p.read_text().replace('"version": 1', '"version": 99')),
    "empty list": lambda p: p.write_text(json.dumps({"format": "trialtree-bookmarks",
                                                     "version": 1, "bookmarks": []})),
}


@pytest.mark.parametrize("how", BACKUP_DAMAGE)
def test_a_damaged_newest_backup_is_kept_and_an_older_one_restores(data_dir, how):
    older = profile_with_backup(data_dir, date(2026, 5, 1))
    newest = older.with_name("bookmarks-2026-05-02.json")
    shutil.copy(older, newest)
    BACKUP_DAMAGE[how](newest)
    damaged_bytes = newest.read_bytes()
    damage(data_dir / "user.db")
    store, message = open_user_store(data_dir)
    assert {b.record_id for b in store.list()} == {STUDY, OTHER}
    assert store.get(STUDY).note == "ask my GP"
    store.close()
    assert "1 May 2026" in message
    assert older.exists() and (not newest.exists() or newest.read_bytes() == damaged_bytes)
    assert any(p.read_bytes() == damaged_bytes for p in (data_dir / BACKUP_DIR_NAME).iterdir())


def test_the_only_backup_damaged_is_never_overwritten(data_dir):
    backup = profile_with_backup(data_dir)
    BACKUP_DAMAGE["cut short"](backup)
    kept = backup.read_bytes()
    damage(data_dir / "user.db")
    store, message = open_user_store(data_dir)
    assert "could not be read" in message and "no backup" not in message
    store.close()
    for _ in range(2):  # and the next launches do not write over it either
        store, _ = open_user_store(data_dir)
        store.close()
    assert backup.read_bytes() == kept


def test_an_empty_list_never_replaces_a_backup_that_holds_bookmarks(data_dir):
    backup = profile_with_backup(data_dir)
    kept = backup.read_bytes()
    with BookmarkStore(data_dir / "user.db") as store:
        store.remove(STUDY)
        store.remove(OTHER)
        assert backup_if_due(store) is None
    assert backup.read_bytes() == kept


def test_a_write_after_the_days_backup_survives_a_damaged_user_db(trialtree, data_dir):
    for record_id in (STUDY, OTHER):
        assert trialtree("bookmarks", "add", record_id, "--note", f"about {record_id}")[0] == 0
    damage(data_dir / "user.db")
    code, out, err = trialtree("bookmarks", "list")
    assert code == 0 and "2 bookmarks were brought back" in err
    assert f"about {OTHER}" in out and f"about {STUDY}" in out


def test_an_orphaned_wal_file_is_moved_aside_not_deleted(data_dir):
    data_dir.mkdir(parents=True)
    wal = data_dir / "user.db-wal"
    wal.write_bytes(b"\x37\x7f\x06\x82" + os.urandom(4000))
    store, message = open_user_store(data_dir)
    store.close()
    [aside] = data_dir.glob("user.db-wal.orphaned-*")
    assert aside.stat().st_size == 4004 and "put aside" in message


def test_a_damaged_wal_file_beside_a_sound_database_is_moved_aside(data_dir):
    profile_with_backup(data_dir)
    (data_dir / "user.db-wal").write_bytes(b"garbage" * 500)
    store, message = open_user_store(data_dir)
    assert store.count() == 2
    store.close()
    assert len(list(data_dir.glob("user.db-wal.damaged-*"))) == 1 and "put aside" in message


# ---- defects 4 and 8: read-only folders, locks, damaged reference data ----------------------


def read_only(monkeypatch):
    """Act out a read-only data folder (root ignores permissions)."""
    from desktop import paths
    from desktop.data import build

    def refuse(*args, **kwargs):
        raise sqlite3.OperationalError("unable to open database file")

    monkeypatch.setattr(paths, "folder_is_writable", lambda folder: False)
    monkeypatch.setattr(build, "build_reference_db", refuse)


def test_read_only_folder_with_stale_reference_data_still_browses(trialtree, data_dir, monkeypatch,
                                                                 seeds_copy):
    (seeds_copy / "people.toml").write_text((seeds_copy / "people.toml").read_text() + "\n")
    read_only(monkeypatch)
    code, out, err = trialtree("show", STUDY)
    assert code == 0 and STUDY in out
    assert "no permission to write" in err and str(data_dir) in err and "another copy" not in err


def test_read_only_folder_without_reference_data_is_one_line(trialtree, data_dir, monkeypatch):
    (data_dir / "reference.db").unlink()
    read_only(monkeypatch)
    err = one_line_error(trialtree("show", STUDY))
    assert "no permission to write" in err and str(data_dir) in err


def test_read_only_folder_bookmarks_say_so_in_one_line(trialtree, data_dir, monkeypatch):
    read_only(monkeypatch)
    err = one_line_error(trialtree("bookmarks", "list"))
    assert "no permission to write" in err and str(data_dir) in err and "another copy" not in err
    with pytest.raises(UserDataUnavailable, match="no permission"):
        open_user_store(data_dir)


def test_a_data_folder_that_cannot_be_made_is_one_line(trialtree, tmp_path, monkeypatch):
    (tmp_path / "a-file").write_text("x")
    monkeypatch.setenv("TRIALTREE_DATA_DIR", str(tmp_path / "a-file" / "data"))
    for args in (("bookmarks", "list"), ("show", STUDY), ("search", "rituximab")):
        assert "cannot make its data folder" in one_line_error(trialtree(*args))


def test_a_read_only_user_db_is_one_line(trialtree, monkeypatch):
    real_init = BookmarkStore.__init__

    def read_only_init(self, path):
        real_init(self, path)
        self._conn.execute("PRAGMA query_only = ON")  # writes fail as on a read-only file

    monkeypatch.setattr(BookmarkStore, "__init__", read_only_init)
    err = one_line_error(trialtree("bookmarks", "add", STUDY))
    assert "cannot be written" in err and "nothing was changed" in err


def test_a_lock_held_longer_than_the_timeout_is_one_line(trialtree, data_dir, monkeypatch):
    assert trialtree("bookmarks", "add", OTHER)[0] == 0
    monkeypatch.setattr(bm, "BUSY_TIMEOUT_MS", 100)
    holder = sqlite3.connect(data_dir / "user.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # e.g. a long import in another copy
    try:
        err = one_line_error(trialtree("bookmarks", "add", STUDY))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert "busy" in err


def test_a_dropped_table_rebuilds_the_reference_data(trialtree, data_dir):
    with sqlite3.connect(data_dir / "reference.db") as conn:
        conn.execute("DROP TABLE study_people")
        assert conn.execute("PRAGMA quick_check").fetchone() == ("ok",)
    code, out, _ = trialtree("show", STUDY)
    assert code == 0 and STUDY in out
    with sqlite3.connect(data_dir / "reference.db") as conn:
        assert conn.execute("SELECT count(*) FROM study_people").fetchone()[0] > 0


def test_an_import_version_with_5000_digits_is_one_line(trialtree, tmp_path):
    path = tmp_path / "big.json"
    path.write_text('{"format": "trialtree-bookmarks", "version": ' + "9" * 5000 +
                    ', "bookmarks": []}')
    assert "cannot import" in one_line_error(trialtree("bookmarks", "import", str(path)))


# ---- defect 9: two copies starting at once --------------------------------------------------


def test_two_copies_starting_at_once_build_once_and_both_get_the_data(tmp_path, monkeypatch):
    from desktop.data import build

    target = tmp_path / "reference.db"
    real_build, builds = build.build_reference_db, []
    monkeypatch.setattr(build, "build_reference_db",
                        lambda *args: (builds.append(1), real_build(*args)))
    start, results, errors = threading.Barrier(2), [], []

    def launch():
        start.wait()
        try:
            results.append(build.ensure_reference_db(build_seeds_dir(), target))
        except Exception as error:  # noqa: BLE001 - the test reports any failure
            errors.append(error)

    threads = [threading.Thread(target=launch) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and len(builds) == 1
    assert sorted(r.rebuilt for r in results) == [False, True]
    assert build.rebuild_reason(target, build.seeds_fingerprint(build_seeds_dir())) is None


def build_seeds_dir():
    from desktop import paths

    return paths.seeds_dir()


def test_two_copies_opening_a_new_user_db_at_once_both_succeed(tmp_path):
    start, errors = threading.Barrier(4), []

    def launch():
        start.wait()
        try:
            store, _ = open_user_store(tmp_path / "data")
            store.add(STUDY, "study", "T")
            store.close()
        except Exception as error:  # noqa: BLE001
            errors.append(error)

    threads = [threading.Thread(target=launch) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with BookmarkStore(tmp_path / "data" / "user.db") as store:
        assert store.ids() == {STUDY} and store.quick_check()
