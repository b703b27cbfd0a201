"""Bookmark backups and recovery: daily JSON backups, atomic files, and opening user.db at launch.

- Backups, the Firefox way: ``bookmark-backups/bookmarks-YYYY-MM-DD.json`` in the data folder, at
  most one a day (rewritten after changes), the newest 15 kept, written atomically. A backup is
  never written over while recovering, and an empty list never replaces one that holds bookmarks.
- :func:`open_user_store` is what the app calls at launch: a damaged user.db (or a left-over or
  damaged WAL file) is moved aside, never deleted, the person is told in plain words, and the
  bookmarks come back from the newest backup that can be read.

Only the standard library here (start-up speed; never Qt).
"""

from __future__ import annotations

import os
import sqlite3
import time
from datetime import date
from pathlib import Path

from desktop.data.bookmark_values import (BACKUP_DIR_NAME, BACKUP_PREFIX, BACKUPS_KEPT,
                                         SQLITE_CORRUPT, SQLITE_NOTADB, USER_DB_NAME, MergeResult,
                                         UserDataUnavailable)
from desktop.data.bookmarks import BookmarkStore


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that it holds either the old or the new bytes, never a mix:
    a temporary file beside it, fsync, ``os.replace``, then fsync the folder."""
    path = Path(path)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    finally:
        try:
            temporary.unlink()
        except FileNotFoundError:
            pass
    if hasattr(os, "O_DIRECTORY"):
        fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def backup_dir(data_dir: Path) -> Path:
    return Path(data_dir) / BACKUP_DIR_NAME


def list_backups(folder: Path) -> list[Path]:
    """The backup files in ``folder``, newest first."""
    if not folder.is_dir():
        return []
    found = [p for p in folder.glob(f"{BACKUP_PREFIX}*.json") if _backup_day(p) is not None]
    return sorted(found, key=lambda p: p.name, reverse=True)


def _backup_day(path: Path) -> date | None:
    try:
        return date.fromisoformat(path.stem[len(BACKUP_PREFIX):])
    except ValueError:
        return None


def backup_if_due(store: BookmarkStore, today: date | None = None) -> Path | None:
    """Write today's backup if there is none yet or the bookmarks changed since it was
    written, then keep only the newest :data:`BACKUPS_KEPT`. Returns the file written."""
    return write_backup(store, store.path.parent / BACKUP_DIR_NAME, today)


def write_backup(store: BookmarkStore, folder: Path, today: date | None = None) -> Path | None:
    """See :func:`backup_if_due`. An empty store is never backed up (an empty list
    never replaces a backup that holds bookmarks, and with no backup there is nothing to
    protect). Today's backup, if unreadable, is moved aside, never overwritten."""
    from desktop.data.bookmark_io import parse_json, to_json

    today = today or date.today()
    bookmarks = store.list("oldest")
    existing = list_backups(folder)
    target = folder / f"{BACKUP_PREFIX}{today.isoformat()}.json"
    if not bookmarks and (not existing or existing[0].name >= target.name):
        return None  # nothing to protect, or it would replace today's backup with nothing
    if existing and existing[0].name >= target.name:
        try:
            if parse_json(existing[0].read_bytes()) == bookmarks:
                return None
        except (OSError, ValueError):
            _move_aside(existing[0])  # damaged: kept for a person to look at, never overwritten
    folder.mkdir(parents=True, exist_ok=True)
    write_atomic(target, to_json(bookmarks).encode("utf-8"))
    for old in list_backups(folder)[BACKUPS_KEPT:]:
        old.unlink(missing_ok=True)
    return target


def restore_newest_backup(store: BookmarkStore, folder: Path) -> tuple[Path, MergeResult] | None:
    """Merge the newest readable, non-empty backup in ``folder`` into ``store`` (trying every
    backup, newest first); None if there is none. Backups are only read here, never written."""
    from desktop.data.bookmark_io import parse_json

    for candidate in list_backups(folder):
        try:
            bookmarks = parse_json(candidate.read_bytes())
            if bookmarks:
                return candidate, store.merge(bookmarks)
        except (OSError, ValueError):
            continue
    return None


# ---- opening at launch ----------------------------------------------------------------------


def open_user_store(data_dir: Path) -> tuple[BookmarkStore, str | None]:
    """Open the bookmarks for the app, recovering from a damaged or missing file.

    A user database that cannot be read or fails ``PRAGMA quick_check`` is renamed with a time
    stamp (never deleted) and the bookmarks come back from the newest backup; a missing one is
    restored from the backup too. Then today's backup is written if due.

    :returns: the store, and a message in plain words to show the person (None if all was well).
    :raises UserDataUnavailable: the file is in use in a way we must not touch (e.g. locked),
        unreadable for lack of permission, or from a newer TrialTree.
    """
    data_dir = Path(data_dir)
    path = data_dir / USER_DB_NAME
    backups = backup_dir(data_dir)
    message = None
    _check_writable(data_dir)
    wal_aside = _wal_aside(path)
    # An empty file holds nothing to keep (SQLite makes a new database of it) and may be one that
    # another copy of the app is creating right now: treat it like a missing file.
    size = path.stat().st_size if path.is_file() else None
    fresh = not path.exists() or size == 0
    damaged = bool(size) and not _has_sqlite_header(path)
    store = None
    if not damaged:
        try:
            store = BookmarkStore(path)
            if not store.quick_check():
                store.close()
                store, damaged = None, True
        except sqlite3.DatabaseError as error:
            if "readonly" in str(error) or "read-only" in str(error):
                raise UserDataUnavailable(
                    f"TrialTree has no permission to write your bookmarks file ({path}), so "
                    f"bookmarks and notes cannot be saved.") from error
            if getattr(error, "sqlite_errorcode", None) not in (SQLITE_CORRUPT, SQLITE_NOTADB):
                raise UserDataUnavailable(
                    f"TrialTree cannot open your bookmarks file ({path}): {error}. "
                    "If another copy of TrialTree is starting, wait a moment and try again.") from error
            damaged = True
    if damaged:
        aside = _move_aside(path)
        store = BookmarkStore(path)
        restored = restore_newest_backup(store, backups)
        message = (f"Your bookmarks file could not be read, so TrialTree put it aside as "
                   f"{aside.name} (in {data_dir}). ")
        message += (_restored_text(*restored) if restored else _no_backup_text(backups))
    elif fresh and store.count() == 0 and list_backups(backups):
        restored = restore_newest_backup(store, backups)
        if restored:
            message = (f"Your bookmarks file was {'empty' if size == 0 else 'missing'}. "
                       + _restored_text(*restored))
    assert store is not None
    recovering = damaged and not restored
    if wal_aside is not None:
        extra = (f"A damaged or left-over part of your bookmarks file was put aside as "
                 f"{wal_aside.name} (in {data_dir}).")
        message = f"{message} {extra}" if message else extra
    try:
        if not recovering:  # never write over a backup while nothing came back from one
            backup_if_due(store)
    except OSError as error:
        extra = f"TrialTree could not save today's backup of your bookmarks: {error.strerror or error}."
        message = f"{message} {extra}" if message else extra
    return store, message


def read_only_text(folder: Path) -> str:
    return (f"TrialTree has no permission to write in its data folder ({folder}), so bookmarks "
            f"and notes cannot be saved. Ask for write access to that folder, or set "
            f"TRIALTREE_DATA_DIR to a folder you can write to.")


def _check_writable(data_dir: Path) -> None:
    from desktop import paths

    if data_dir.is_dir() and not paths.folder_is_writable(data_dir):
        raise UserDataUnavailable(read_only_text(data_dir))


def _no_backup_text(backups: Path) -> str:
    found = list_backups(backups)
    if not found:
        return "There was no backup to bring your bookmarks back from, so the list is empty."
    which = "The backup" if len(found) == 1 else f"None of the {len(found)} backups"
    return (f"{which} in {backups} could {'not ' if len(found) == 1 else ''}be read, so the list "
            f"is empty for now; {'it is' if len(found) == 1 else 'they are'} kept as "
            f"{'it was' if len(found) == 1 else 'they were'}.")


_WAL_MAGIC = (b"\x37\x7f\x06\x82", b"\x37\x7f\x06\x83")


def _wal_aside(path: Path) -> Path | None:
    """Move aside a WAL file that SQLite would otherwise delete: one left over without its
    database, or one that does not start like a WAL. Returns where it went, or None."""
    wal = path.with_name(path.name + "-wal")
    try:
        size = wal.stat().st_size
        if size == 0:
            return None
        with open(wal, "rb") as handle:
            header = handle.read(4)
    except OSError:
        return None
    if path.exists() and (header in _WAL_MAGIC or not _has_sqlite_header(path)):
        return None  # sound, or it goes aside with its damaged database
    stamp = time.strftime("%Y%m%d-%H%M%S")
    aside = wal.with_name(f"{wal.name}.{'orphaned' if not path.exists() else 'damaged'}-{stamp}")
    os.replace(wal, aside)
    return aside


def _has_sqlite_header(path: Path) -> bool:
    """Whether the file starts like a SQLite database. Checked before SQLite opens a file that is
    not one: SQLite would delete the file's -wal on closing it, and we keep everything."""
    try:
        with open(path, "rb") as handle:
            return handle.read(16) == b"SQLite format 3\x00"
    except OSError:
        return True  # let SQLite report it


def _restored_text(backup: Path, result: MergeResult) -> str:
    day = _backup_day(backup)
    when = f"{day.day} {day:%B %Y}" if day else backup.name
    count = len(result.added) + len(result.updated) + len(result.unchanged)
    noun = "bookmark was" if count == 1 else "bookmarks were"
    return f"{count} {noun} brought back from the backup of {when}."


def _move_aside(path: Path) -> Path:
    """Rename the damaged database and its WAL/SHM files to ``user.db.damaged-YYYYmmdd-HHMMSS``."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    aside = path.with_name(f"{path.name}.damaged-{stamp}")
    number = 1
    while aside.exists():
        number += 1
        aside = path.with_name(f"{path.name}.damaged-{stamp}-{number}")
    for suffix in ("", "-wal", "-shm", "-journal"):
        source = path.with_name(path.name + suffix)
        try:
            os.replace(source, aside.with_name(aside.name + suffix))
        except FileNotFoundError:
            pass
    return aside
