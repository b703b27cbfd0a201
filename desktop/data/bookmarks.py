"""Bookmarks and notes: the user database (user.db), its daily backups and its recovery.

User data is never rebuilt. It lives in its own SQLite file beside the reference database, keyed
by the seeds' stable ids, and each bookmark keeps the kind and title it had when it was saved, so a
record that later leaves the seeds is still listed ("no longer in the data") with its note.

- Storage: WAL, a busy timeout, ``synchronous = FULL`` (every acknowledged write is on disk) and
  ``BEGIN IMMEDIATE`` for every write, each a single small transaction that changes only what it
  names (``set_note`` never rewrites the tags), so two copies of the app running at once do not
  lose each other's writes. A change counter (``version()`` / ``changes_since()``) lets a second
  window pick up what another copy wrote.
- Schema upgrades by ``PRAGMA user_version`` (as calibre does): see
  :mod:`desktop.data.bookmark_schema`.
- Backups, the Firefox way: ``bookmark-backups/bookmarks-YYYY-MM-DD.json`` in the data folder, at
  most one a day, the newest 15 kept, written atomically.
- Backups and recovery (``open_user_store``, what the app calls at launch) are in
  :mod:`desktop.data.bookmark_backups`.

Only the standard library here (start-up speed; never Qt, never sqlite_utils).
"""

from __future__ import annotations

import json
import sqlite3
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterable, Iterator

from desktop.data.bookmark_values import (
    BUSY_TIMEOUT_MS, MAX_BOOKMARKS, MAX_ID_CHARS, MAX_KIND_CHARS,
    MAX_NOTE_CHARS, MAX_TITLE_CHARS, ORDERS, Bookmark, Changes, LibraryLike, MergeResult,
    NotBookmarked, TooMuch, UserDataUnavailable, appended_note, check_limits, clean_text,
    cleaned, merge_notes, merged_bookmark, normalize_tags, same_content, utc_now)
from desktop.data.bookmark_schema import MIGRATIONS, SCHEMA_VERSION


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
            self._retry_while_locked(lambda: self._conn.execute("PRAGMA journal_mode = WAL"))
            self._conn.execute("PRAGMA synchronous = FULL")
            self._retry_while_locked(self._migrate)
        except BaseException:
            self._conn.close()
            raise

    @staticmethod
    def _retry_while_locked(step) -> None:
        """Run ``step`` again while another copy holds the file (up to the busy timeout): two
        copies creating the file at the same moment, where SQLite does not wait by itself."""
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        while True:
            try:
                step()
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

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
                for statement in MIGRATIONS[step].split(";"):
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

    def seen_facts(self, record_id: str) -> tuple[dict, str, str] | None:
        """(facts, data date, seen at) saved when the user last looked at ``record_id``."""
        row = self._conn.execute("SELECT facts, data_date, seen_at FROM seen_facts "
                                 "WHERE record_id = ?", (record_id,)).fetchone()
        return (json.loads(row[0]), row[1], row[2]) if row else None

    def save_seen_facts(self, record_id: str, facts: dict, data_date: str, seen_at: str) -> None:
        """Remember ``facts`` as what the user saw of ``record_id`` (one small write)."""
        self._conn.execute("INSERT OR REPLACE INTO seen_facts (record_id, facts, data_date, "
                           "seen_at) VALUES (?, ?, ?, ?)",
                           (record_id, json.dumps(facts, ensure_ascii=False), data_date, seen_at))

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
        if not words:
            return self.list("newest")
        found = []
        for b in self.list("newest"):
            whole = " ".join((b.title, b.note, b.record_id, *b.tags))
            # Most notes are plain ASCII: a cheap lower-casing finds the same words as fold().
            folded = whole.casefold() if whole.isascii() else fold(whole)
            if all(w in folded for w in words):
                found.append(b)
        return found

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
        return self.upsert(record_id, kind, title, note=note, tags=tags)[1]

    def upsert(self, record_id: str, kind: str, title: str, *, note: str | None = None,
               tags: Iterable[str] = (), append_note: bool = False
               ) -> tuple[Bookmark | None, Bookmark]:
        """:meth:`add`, returning (the bookmark before, the bookmark now). With ``append_note``
        a new note goes below the note already there (unless it is already in it): the old note
        is read inside the same write transaction, so a note another copy saves meanwhile is
        never overwritten.

        :raises TooMuch: the note, title or tags are over their limits, or there are
            :data:`MAX_BOOKMARKS` already.
        """
        now = utc_now()
        result: list[tuple[Bookmark | None, Bookmark]] = []
        with self._write() as version:
            old = self.get(record_id)
            if old is None:
                self._check_room(1)
            if note is None:
                text = old.note if old else ""
            elif append_note and old is not None:
                text = appended_note(old.note, clean_text(note))
                if len(text) > MAX_NOTE_CHARS >= len(note):
                    raise TooMuch(f"together with the note it already has, the note would be "
                                  f"{len(text):,} characters long; TrialTree keeps at most "
                                  f"{MAX_NOTE_CHARS:,}")
            else:
                text = clean_text(note)
            # The kind and title are copies from the data: a long one is shortened, not refused.
            new = Bookmark(record_id, clean_text(kind)[:MAX_KIND_CHARS],
                           clean_text(title)[:MAX_TITLE_CHARS], text,
                           normalize_tags((*(old.tags if old else ()), *tags)),
                           old.created_at if old else now, now)
            check_limits(new)
            result.append((old, old if old is not None and same_content(old, new) else new))
            if result[0][1] is old:
                raise _Unchanged
            self._put(new, version)
        return result[0]

    def _check_room(self, adding: int) -> None:
        count = self.count()
        if count + adding > MAX_BOOKMARKS:
            raise TooMuch(f"you have {count:,} bookmarks and TrialTree keeps at most "
                          f"{MAX_BOOKMARKS:,}; remove some first")

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
                self._check_room(1)
                new = Bookmark(record_id, clean_text(kind), clean_text(title)[:MAX_TITLE_CHARS],
                               "", (), now, now)
                check_limits(new)
                self._put(new, version)
                bookmarked = True
        return bookmarked

    def set_note(self, record_id: str, note: str, *, base: str | None = None) -> str:
        """Save the note of a bookmark (one small durable write; nothing is written if the note
        is unchanged). Cheap enough to call as the person types (debounce ~300 ms in the UI).

        ``base`` is the note as the caller last loaded it. If the stored note differs from it
        (another copy of TrialTree changed it meanwhile), both versions are kept: see
        :func:`merge_notes`. Returns the note as stored now (the caller shows it).

        :raises NotBookmarked: the record is not bookmarked.
        :raises TooMuch: the note is longer than :data:`MAX_NOTE_CHARS`.
        """
        note = clean_text(note)
        if len(note) > MAX_NOTE_CHARS:
            raise TooMuch(f"the note is {len(note):,} characters long; TrialTree keeps at most "
                          f"{MAX_NOTE_CHARS:,}")
        missing = False
        stored: list[str] = []
        with self._write() as version:
            row = self._conn.execute("SELECT note FROM bookmarks WHERE record_id = ?",
                                     (record_id,)).fetchone()
            if row is None:
                missing = True
                raise _Unchanged
            current = row[0]
            new = note if base is None or current == clean_text(base) else merge_notes(
                clean_text(base), current, note)
            stored.append(new if new != current else current)
            if new == current:
                raise _Unchanged
            self._conn.execute(
                "UPDATE bookmarks SET note = ?, updated_at = ?, version = ? WHERE record_id = ?",
                (new, utc_now(), version, record_id))
        if missing:
            raise NotBookmarked(record_id)
        return stored[0]

    def set_tags(self, record_id: str, tags: Iterable[str]) -> tuple[str, ...]:
        """Replace the tags of a bookmark; returns them as stored (normalised).

        :raises NotBookmarked: the record is not bookmarked.
        :raises TooMuch: too many tags, or one too long.
        """
        tags = normalize_tags(tags)
        check_limits(Bookmark(record_id[:MAX_ID_CHARS], "", "", "", tags))
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
        bookmark = cleaned(bookmark)
        check_limits(bookmark)
        with self._write() as version:
            if not self.is_bookmarked(bookmark.record_id):
                self._check_room(1)
            self._put(bookmark, version)

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
        are joined and a different note is appended below the existing one (never lost).

        Linear in the number of entries: they are merged in memory first, then each record is
        written once.

        :raises TooMuch: the result would break a limit (nothing is changed then).
        """
        added: dict[str, None] = {}
        updated: dict[str, None] = {}
        unchanged: dict[str, None] = {}
        with self._write() as version:
            results: dict[str, Bookmark] = {}
            olds: dict[str, Bookmark | None] = {}
            for incoming in map(cleaned, bookmarks):
                key = incoming.record_id
                if key not in olds:
                    olds[key] = self.get(key)
                before = results.get(key, olds[key])
                if before is None:
                    results[key] = incoming
                    added[key] = None
                    continue
                new = merged_bookmark(before, incoming)
                check_limits(new)  # fails early, before a growing note costs anything
                if same_content(before, new):
                    unchanged.setdefault(key, None)
                    continue
                results[key] = new
                if key not in added:
                    updated[key] = None
            if added:
                self._check_room(len(added))
            for bookmark in results.values():
                check_limits(bookmark)
                self._put(bookmark, version)
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
            if kind is not None and title is not None:
                kind, title = kind[:MAX_KIND_CHARS], title[:MAX_TITLE_CHARS]
                if (kind, title) != (b.kind, b.title):
                    changes.append((kind, title, b.record_id))
        if changes:
            with self._write() as version:
                self._conn.executemany(f"UPDATE bookmarks SET kind = ?, title = ?, version = {version} "
                                       "WHERE record_id = ?", changes)
        return len(changes)
