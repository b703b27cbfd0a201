"""Bookmarks and notes: the user database (user.db), its daily backups and its recovery.

User data is never rebuilt. It lives in its own SQLite file beside the reference database, keyed
by the seeds' stable ids, and each bookmark keeps the kind and title it had when it was saved, so a
record that later leaves the seeds is still listed ("no longer in the data") with its note.

- Storage: WAL, a busy timeout, ``synchronous = FULL`` (every acknowledged write is on disk) and
  ``BEGIN IMMEDIATE`` for every write, each a single small transaction that changes only what it
  names (``set_note`` never rewrites the tags), so two copies of the app running at once do not
  lose each other's writes. A change counter (``version()`` / ``changes_since()``) lets a second
  window pick up what another copy wrote.
- Schema upgrades by ``PRAGMA user_version`` (as calibre does): see ``_MIGRATIONS``.
- Backups, the Firefox way: ``bookmark-backups/bookmarks-YYYY-MM-DD.json`` in the data folder, at
  most one a day, the newest 15 kept, written atomically.
- :func:`open_user_store` is what the app calls at launch: a damaged user.db is moved aside (never
  deleted), the person is told in plain words, and the bookmarks come back from the newest backup.

Only the standard library here (start-up speed; never Qt, never sqlite_utils).
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator, Protocol

USER_DB_NAME = "user.db"  # the same name as desktop.paths.USER_DB_NAME
BACKUP_DIR_NAME = "bookmark-backups"
BACKUP_PREFIX = "bookmarks-"
BACKUPS_KEPT = 15
BUSY_TIMEOUT_MS = 10_000
ORPHAN_LABEL = "no longer in the data"
ORDERS = ("newest", "oldest", "updated", "title")

_SQLITE_CORRUPT, _SQLITE_NOTADB = 11, 26


# ---- values ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Bookmark:
    """One bookmarked record, with the kind and title it had when it was last seen in the data.

    ``created_at`` and ``updated_at`` are UTC times in ISO 8601 (``2026-05-01T09:30:00Z``);
    ``tags`` are already normalised (see :func:`normalize_tags`).
    """

    record_id: str
    kind: str
    title: str
    note: str = ""
    tags: tuple[str, ...] = ()
    created_at: str = ""
    updated_at: str = ""


@dataclass(frozen=True)
class Changes:
    """What changed after some version: bookmarks added or edited, and ids removed."""

    version: int
    updated: tuple[Bookmark, ...]
    removed: tuple[str, ...]


@dataclass(frozen=True)
class MergeResult:
    """What :meth:`BookmarkStore.merge` did, by record id."""

    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()


class NotBookmarked(KeyError):
    """The record is not bookmarked (a note or tags need a bookmark)."""


# What a store call may raise when the disk, a lock or another copy of the app gets in the way:
# the window reports these and carries on; anything else is a bug and should surface.
STORE_ERRORS = (sqlite3.Error, OSError)


class UserDataUnavailable(Exception):
    """The user database cannot be used right now (locked, no permission, newer format…)."""


class LibraryLike(Protocol):
    def kind_of(self, record_id: str) -> str | None: ...

    def title_of(self, record_id: str) -> str | None: ...


def normalize_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """Tags as stored: runs of white space made one space, ends trimmed, empty ones dropped, and
    duplicates that differ only in case dropped (the first spelling wins)."""
    seen: set[str] = set()
    result = []
    for tag in tags:
        tag = " ".join(clean_text(tag).split())
        key = tag.casefold()
        if tag and key not in seen:
            seen.add(key)
            result.append(tag)
    return tuple(result)


def clean_text(text: str) -> str:
    """``text`` unchanged, unless it holds lone surrogates (which cannot be stored): those become
    U+FFFD, and surrogate pairs are joined."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def utc_now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# ---- schema ---------------------------------------------------------------------------------

# One entry per schema version: _MIGRATIONS[n] takes a database from user_version n to n + 1.
# Append new steps; never edit a released one.
_MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE IF NOT EXISTS bookmarks (
        record_id  TEXT PRIMARY KEY NOT NULL,
        kind       TEXT NOT NULL,
        title      TEXT NOT NULL,
        note       TEXT NOT NULL DEFAULT '',
        tags       TEXT NOT NULL DEFAULT '[]',  -- JSON list of text
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        version    INTEGER NOT NULL             -- state.version of the last change
    );
    CREATE INDEX IF NOT EXISTS bookmarks_by_version ON bookmarks(version);
    CREATE TABLE IF NOT EXISTS removed (         -- so another window learns of removals
        record_id TEXT PRIMARY KEY NOT NULL,
        version   INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS state (
        id      INTEGER PRIMARY KEY CHECK (id = 1),
        version INTEGER NOT NULL
    );
    INSERT OR IGNORE INTO state (id, version) VALUES (1, 0);
    """,
)
SCHEMA_VERSION = len(_MIGRATIONS)

_COLUMNS = "record_id, kind, title, note, tags, created_at, updated_at"


def _bookmark(row: tuple) -> Bookmark:
    record_id, kind, title, note, tags, created_at, updated_at = row
    return Bookmark(record_id, kind, title, note, tuple(json.loads(tags)), created_at, updated_at)


class _Unchanged(Exception):
    """Raised inside a write to roll it back quietly: there was nothing to change."""


# ---- the store ------------------------------------------------------------------------------


class BookmarkStore:
    """Bookmarks and notes in one user database. Every method is one short transaction.

    Reads always see the latest committed data, including other processes' writes.
    Not thread-safe: use it from one thread (open another store for another thread).
    """

    def __init__(self, path: Path | str):
        """Open (creating if needed) and upgrade the user database at ``path``.

        :raises sqlite3.DatabaseError: the file is damaged (see :func:`open_user_store`).
        :raises UserDataUnavailable: the file was written by a newer TrialTree.
        """
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        try:
            self._conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA synchronous = FULL")
            self._migrate()
        except BaseException:
            self._conn.close()
            raise

    def _migrate(self) -> None:
        if self._user_version() == SCHEMA_VERSION:
            return
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            current = self._user_version()
            if current > SCHEMA_VERSION:
                raise UserDataUnavailable(
                    "Your bookmarks were saved by a newer version of TrialTree. "
                    "Please update TrialTree to open them.")
            for step in range(current, SCHEMA_VERSION):
                for statement in _MIGRATIONS[step].split(";"):
                    if statement.strip():
                        self._conn.execute(statement)
            self._conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("COMMIT")

    def _user_version(self) -> int:
        return self._conn.execute("PRAGMA user_version").fetchone()[0]

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> BookmarkStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def quick_check(self) -> bool:
        """True if SQLite finds the file sound (``PRAGMA quick_check``)."""
        return self._conn.execute("PRAGMA quick_check").fetchall() == [("ok",)]

    @contextmanager
    def _write(self) -> Iterator[int]:
        """One write transaction that bumps the change counter; yields the new version."""
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            version = self._conn.execute(
                "UPDATE state SET version = version + 1 RETURNING version").fetchone()[0]
            yield version
        except _Unchanged:
            self._conn.execute("ROLLBACK")
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        else:
            self._conn.execute("COMMIT")

    # ---- reading -------------------------------------------------------------------------

    def get(self, record_id: str) -> Bookmark | None:
        row = self._conn.execute(f"SELECT {_COLUMNS} FROM bookmarks WHERE record_id = ?",
                                 (record_id,)).fetchone()
        return _bookmark(row) if row else None

    def is_bookmarked(self, record_id: str) -> bool:
        return self._conn.execute("SELECT 1 FROM bookmarks WHERE record_id = ?",
                                  (record_id,)).fetchone() is not None

    def ids(self) -> frozenset[str]:
        """Every bookmarked id (for a model that stars rows from memory)."""
        return frozenset(r[0] for r in self._conn.execute("SELECT record_id FROM bookmarks"))

    def count(self) -> int:
        return self._conn.execute("SELECT count(*) FROM bookmarks").fetchone()[0]

    def list(self, order: str = "newest", tag: str | None = None) -> list[Bookmark]:
        """All bookmarks (or those with ``tag``, any case), in one of :data:`ORDERS`:
        newest or oldest first, most recently edited first, or by title."""
        sql = {"newest": "created_at DESC, rowid DESC", "oldest": "created_at, rowid",
               "updated": "updated_at DESC, version DESC", "title": "rowid"}.get(order)
        if sql is None:
            raise ValueError(f"unknown order {order!r}; choose one of {', '.join(ORDERS)}")
        bookmarks = [_bookmark(r) for r in self._conn.execute(
            f"SELECT {_COLUMNS} FROM bookmarks ORDER BY {sql}")]
        if tag is not None:
            wanted = " ".join(tag.split()).casefold()
            bookmarks = [b for b in bookmarks if any(t.casefold() == wanted for t in b.tags)]
        if order == "title":
            from desktop.data.text import fold

            bookmarks.sort(key=lambda b: (fold(b.title), b.record_id))
        return bookmarks

    def tags(self) -> list[tuple[str, int]]:
        """Every tag in use with how many bookmarks carry it, alphabetically."""
        counts: dict[str, list] = {}
        for bookmark in self.list("oldest"):
            for tag in bookmark.tags:
                counts.setdefault(tag.casefold(), [tag, 0])[1] += 1
        return sorted(((t, n) for t, n in counts.values()), key=lambda item: item[0].casefold())

    def search(self, text: str) -> list[Bookmark]:
        """Bookmarks whose title, note, tags or id contain every word of ``text``, ignoring case
        and accents (newest first). Empty text finds them all."""
        from desktop.data.text import fold

        words = fold(text).split()
        return [b for b in self.list("newest")
                if all(w in fold(" ".join((b.title, b.note, b.record_id, *b.tags))) for w in words)]

    def orphaned(self, library: LibraryLike) -> list[Bookmark]:
        """The bookmarks whose record is no longer in ``library`` (newest first)."""
        return [b for b in self.list("newest") if library.kind_of(b.record_id) is None]

    # ---- change tracking -----------------------------------------------------------------

    def version(self) -> int:
        """A counter that grows with every change, by this or any other process."""
        return self._conn.execute("SELECT version FROM state").fetchone()[0]

    def changed_since(self, version: int) -> bool:
        return self.version() != version

    def changes_since(self, version: int) -> Changes:
        """What changed after ``version`` (from :meth:`version` or an earlier ``Changes``)."""
        self._conn.execute("BEGIN")  # one snapshot for the three reads
        try:
            now = self.version()
            updated = tuple(_bookmark(r) for r in self._conn.execute(
                f"SELECT {_COLUMNS} FROM bookmarks WHERE version > ? ORDER BY version", (version,)))
            removed = tuple(r[0] for r in self._conn.execute(
                "SELECT record_id FROM removed WHERE version > ? ORDER BY version", (version,)))
        finally:
            self._conn.execute("COMMIT")
        return Changes(now, updated, removed)

    # ---- writing -------------------------------------------------------------------------

    def add(self, record_id: str, kind: str, title: str, *, note: str | None = None,
            tags: Iterable[str] = ()) -> Bookmark:
        """Bookmark a record (or update an existing bookmark): ``kind`` and ``title`` are saved
        with it; ``note``, if given, replaces the note; ``tags`` are added to its tags."""
        now = utc_now()
        result: list[Bookmark] = []
        with self._write() as version:
            old = self.get(record_id)
            new = Bookmark(
                record_id, clean_text(kind), clean_text(title),
                clean_text(note) if note is not None else (old.note if old else ""),
                normalize_tags((*(old.tags if old else ()), *tags)),
                old.created_at if old else now, now)
            result.append(old if old is not None and _same_content(old, new) else new)
            if result[0] is old:
                raise _Unchanged
            self._put(new, version)
        return result[0]

    def remove(self, record_id: str) -> Bookmark | None:
        """Remove a bookmark and its note; returns what was removed (for an Undo), or None."""
        removed: list[Bookmark] = []
        with self._write() as version:
            old = self.get(record_id)
            if old is None:
                raise _Unchanged
            self._conn.execute("DELETE FROM bookmarks WHERE record_id = ?", (record_id,))
            self._conn.execute("INSERT OR REPLACE INTO removed (record_id, version) VALUES (?, ?)",
                               (record_id, version))
            removed.append(old)
        return removed[0] if removed else None

    def toggle(self, record_id: str, kind: str, title: str) -> bool:
        """Bookmark the record if it is not, else remove its bookmark; True if now bookmarked."""
        now = utc_now()
        with self._write() as version:
            if self.is_bookmarked(record_id):
                self._conn.execute("DELETE FROM bookmarks WHERE record_id = ?", (record_id,))
                self._conn.execute("INSERT OR REPLACE INTO removed (record_id, version) "
                                   "VALUES (?, ?)", (record_id, version))
                bookmarked = False
            else:
                self._put(Bookmark(record_id, clean_text(kind), clean_text(title), "", (), now, now),
                          version)
                bookmarked = True
        return bookmarked

    def set_note(self, record_id: str, note: str) -> None:
        """Save the note of a bookmark (one small durable write; nothing is written if the note
        is unchanged). Cheap enough to call as the person types (debounce ~300 ms in the UI).

        :raises NotBookmarked: the record is not bookmarked.
        """
        missing = False
        with self._write() as version:
            changed = self._conn.execute(
                "UPDATE bookmarks SET note = ?, updated_at = ?, version = ? "
                "WHERE record_id = ? AND note IS NOT ?",
                (clean_text(note), utc_now(), version, record_id, clean_text(note))).rowcount
            if not changed:
                missing = not self.is_bookmarked(record_id)
                raise _Unchanged
        if missing:
            raise NotBookmarked(record_id)

    def set_tags(self, record_id: str, tags: Iterable[str]) -> tuple[str, ...]:
        """Replace the tags of a bookmark; returns them as stored (normalised).

        :raises NotBookmarked: the record is not bookmarked.
        """
        tags = normalize_tags(tags)
        encoded = json.dumps(list(tags), ensure_ascii=False)
        missing = False
        with self._write() as version:
            changed = self._conn.execute(
                "UPDATE bookmarks SET tags = ?, updated_at = ?, version = ? "
                "WHERE record_id = ? AND tags IS NOT ?",
                (encoded, utc_now(), version, record_id, encoded)).rowcount
            if not changed:
                missing = not self.is_bookmarked(record_id)
                raise _Unchanged
        if missing:
            raise NotBookmarked(record_id)
        return tags

    def put(self, bookmark: Bookmark) -> None:
        """Store ``bookmark`` exactly as given, replacing any bookmark of the same record
        (e.g. to undo :meth:`remove`)."""
        with self._write() as version:
            self._put(_cleaned(bookmark), version)

    def _put(self, b: Bookmark, version: int) -> None:
        self._conn.execute(  # an upsert, not INSERT OR REPLACE: the rowid (order added) stays
            f"INSERT INTO bookmarks ({_COLUMNS}, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (record_id) DO UPDATE SET kind = excluded.kind, title = excluded.title, "
            "note = excluded.note, tags = excluded.tags, created_at = excluded.created_at, "
            "updated_at = excluded.updated_at, version = excluded.version",
            (b.record_id, b.kind, b.title, b.note, json.dumps(list(b.tags), ensure_ascii=False),
             b.created_at, b.updated_at, version))
        self._conn.execute("DELETE FROM removed WHERE record_id = ?", (b.record_id,))

    def merge(self, bookmarks: Iterable[Bookmark]) -> MergeResult:
        """Bring in bookmarks from elsewhere (an import, a backup) in one transaction, without
        duplicates: new records are added as they are; for records already bookmarked the tags
        are joined and a different note is appended below the existing one (never lost)."""
        added: dict[str, None] = {}
        updated: dict[str, None] = {}
        unchanged: dict[str, None] = {}
        with self._write() as version:
            for incoming in map(_cleaned, bookmarks):
                old = self.get(incoming.record_id)
                if old is None:
                    self._put(incoming, version)
                    added[incoming.record_id] = None
                    continue
                new = _merged(old, incoming)
                if _same_content(old, new):
                    unchanged.setdefault(incoming.record_id, None)
                    continue
                self._put(new, version)
                if incoming.record_id not in added:
                    updated[incoming.record_id] = None
            if not added and not updated:
                raise _Unchanged
        unchanged_only = tuple(i for i in unchanged if i not in added and i not in updated)
        return MergeResult(tuple(added), tuple(updated), unchanged_only)

    def refresh_titles(self, library: LibraryLike) -> int:
        """Save the current kind and title of every bookmarked record still in ``library`` (so a
        record that later leaves the data is shown with its latest title); returns how many
        changed."""
        changes = []
        for b in self.list("oldest"):
            kind, title = library.kind_of(b.record_id), library.title_of(b.record_id)
            if kind is not None and title is not None and (kind, title) != (b.kind, b.title):
                changes.append((kind, title, b.record_id))
        if changes:
            with self._write() as version:
                self._conn.executemany(f"UPDATE bookmarks SET kind = ?, title = ?, version = {version} "
                                       "WHERE record_id = ?", changes)
        return len(changes)

    # ---- backups -------------------------------------------------------------------------

    def backup_if_due(self, today: date | None = None) -> Path | None:
        """Write today's backup if there is none yet or the bookmarks changed since it was
        written, then keep only the newest :data:`BACKUPS_KEPT`. Returns the file written."""
        return write_backup(self, self.path.parent / BACKUP_DIR_NAME, today)


def _cleaned(b: Bookmark) -> Bookmark:
    return Bookmark(b.record_id, clean_text(b.kind), clean_text(b.title), clean_text(b.note),
                    normalize_tags(b.tags), b.created_at or utc_now(), b.updated_at or utc_now())


def _same_content(a: Bookmark, b: Bookmark) -> bool:
    return (a.kind, a.title, a.note, a.tags) == (b.kind, b.title, b.note, b.tags)


def _merged(old: Bookmark, incoming: Bookmark) -> Bookmark:
    if not incoming.note or incoming.note in old.note:
        note = old.note
    elif not old.note:
        note = incoming.note
    else:
        note = f"{old.note}\n\n{incoming.note}"
    tags = normalize_tags((*old.tags, *incoming.tags))
    return Bookmark(old.record_id, old.kind, old.title, note, tags, old.created_at,
                    max(old.updated_at, incoming.updated_at))


# ---- atomic files and backups ---------------------------------------------------------------


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


def write_backup(store: BookmarkStore, folder: Path, today: date | None = None) -> Path | None:
    """See :meth:`BookmarkStore.backup_if_due`. An empty store is not backed up while there is
    no backup yet (nothing to protect)."""
    from desktop.data.bookmark_io import parse_json, to_json

    today = today or date.today()
    bookmarks = store.list("oldest")
    existing = list_backups(folder)
    if not bookmarks and not existing:
        return None
    target = folder / f"{BACKUP_PREFIX}{today.isoformat()}.json"
    if existing and existing[0].name >= target.name:
        try:
            if parse_json(existing[0].read_bytes()) == bookmarks:
                return None
        except (OSError, ValueError):
            pass  # unreadable: write a good one
    folder.mkdir(parents=True, exist_ok=True)
    write_atomic(target, to_json(bookmarks).encode("utf-8"))
    for old in list_backups(folder)[BACKUPS_KEPT:]:
        old.unlink(missing_ok=True)
    return target


def restore_newest_backup(store: BookmarkStore, folder: Path) -> tuple[Path, MergeResult] | None:
    """Merge the newest readable backup in ``folder`` into ``store``; None if there is none."""
    from desktop.data.bookmark_io import parse_json

    for candidate in list_backups(folder):
        try:
            bookmarks = parse_json(candidate.read_bytes())
        except (OSError, ValueError):
            continue
        return candidate, store.merge(bookmarks)
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
            if getattr(error, "sqlite_errorcode", None) not in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
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
        message += (_restored_text(*restored) if restored else
                    "There was no backup to bring your bookmarks back from, so the list is empty.")
    elif fresh and store.count() == 0 and list_backups(backups):
        restored = restore_newest_backup(store, backups)
        if restored:
            message = (f"Your bookmarks file was {'empty' if size == 0 else 'missing'}. "
                       + _restored_text(*restored))
    assert store is not None
    try:
        store.backup_if_due()
    except OSError as error:
        extra = f"TrialTree could not save today's backup of your bookmarks: {error.strerror or error}."
        message = f"{message} {extra}" if message else extra
    return store, message


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
