"""Bookmark values and their rules: the records, size limits, text cleaning and note merging.

Plain values with no storage, shared by the store (:mod:`desktop.data.bookmarks`), its backups and
imports, exports, the window and the command line. Only the standard library here.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Iterable, Protocol

from desktop.paths import USER_DB_NAME  # noqa: E402,F401  (one home: desktop.paths)
BACKUP_DIR_NAME = "bookmark-backups"
BACKUP_PREFIX = "bookmarks-"
BACKUPS_KEPT = 15
BUSY_TIMEOUT_MS = 10_000
ORPHAN_LABEL = "no longer in the data"
ORDERS = ("newest", "oldest", "updated", "title")

SQLITE_CORRUPT, SQLITE_NOTADB = 11, 26

# Size limits, so that no command, window or backup grows without bound (issue 13). Together they
# keep the largest possible backup under bookmark_io.MAX_IMPORT_BYTES, so a backup can always be
# imported back (tests/data/test_faults.py checks the sum).
MAX_BOOKMARKS = 1_000     # the seeds hold under 200 records
MAX_NOTE_CHARS = 5_000    # about two printed pages
MAX_TAGS = 150            # per bookmark
MAX_TAG_CHARS = 60
MAX_TITLE_CHARS = 500
MAX_KIND_CHARS = 40
MAX_ID_CHARS = 120


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


class TooMuch(ValueError):
    """A note, tag, title or the number of bookmarks is over its limit; the message says which."""


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
    U+FFFD, and surrogate pairs are joined. Other odd characters are kept as written (a terminal
    or an export escapes them on output)."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def check_limits(b: Bookmark) -> None:
    """Raise :class:`TooMuch` naming what is too long in ``b``."""
    for what, value, limit in (("id", b.record_id, MAX_ID_CHARS), ("kind", b.kind, MAX_KIND_CHARS),
                               ("title", b.title, MAX_TITLE_CHARS),
                               ("note", b.note, MAX_NOTE_CHARS)):
        if len(value) > limit:
            raise TooMuch(f"the {what} is {len(value):,} characters long; TrialTree keeps at "
                          f"most {limit:,}")
    if len(b.tags) > MAX_TAGS:
        raise TooMuch(f"there are {len(b.tags)} tags; TrialTree keeps at most {MAX_TAGS} a bookmark")
    for tag in b.tags:
        if len(tag) > MAX_TAG_CHARS:
            raise TooMuch(f"the tag {tag[:20]!r}… is {len(tag)} characters long; TrialTree keeps "
                          f"at most {MAX_TAG_CHARS}")


def utc_now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# ---- merging ---------------------------------------------------------------------------------


def cleaned(b: Bookmark) -> Bookmark:
    return Bookmark(b.record_id, clean_text(b.kind), clean_text(b.title), clean_text(b.note),
                    normalize_tags(b.tags), b.created_at or utc_now(), b.updated_at or utc_now())


def same_content(a: Bookmark, b: Bookmark) -> bool:
    return (a.kind, a.title, a.note, a.tags) == (b.kind, b.title, b.note, b.tags)


def appended_note(old: str, note: str) -> str:
    """``note`` below ``old`` (a blank line between), unless it is empty or already in it."""
    if not note.strip() or note.strip() in old:
        return old
    if not old.strip():
        return note
    return f"{old.rstrip()}\n\n{note}"


CONFLICT_LINE = "--- saved meanwhile in another TrialTree window or command ---"


def merge_notes(base: str, theirs: str, ours: str) -> str:
    """One note that keeps both ``theirs`` (stored by another copy since ``base`` was loaded)
    and ``ours`` (typed here from ``base``). Additions at the end of either are kept in order;
    anything else keeps both whole versions, ours first, theirs below a labelled line."""
    if theirs == ours or theirs == base:
        return ours
    if ours == base:
        return theirs
    if theirs.startswith(base) and ours.startswith(base):
        extra = theirs[len(base):]
        return ours if extra.strip() in ours[len(base):] else ours.rstrip() + "\n\n" + extra.strip()
    if theirs.startswith(base) and base.strip():  # they appended; we edited what was there
        return ours.rstrip() + "\n\n" + theirs[len(base):].strip()
    if ours.startswith(base) and base.strip():  # we appended; they edited what was there
        return theirs.rstrip() + "\n\n" + ours[len(base):].strip()
    return f"{ours.rstrip()}\n\n{CONFLICT_LINE}\n{theirs}"


def merged_bookmark(old: Bookmark, incoming: Bookmark) -> Bookmark:
    note = appended_note(old.note, incoming.note) if incoming.note.strip() else old.note
    tags = normalize_tags((*old.tags, *incoming.tags))
    return Bookmark(old.record_id, old.kind, old.title, note, tags, old.created_at,
                    max(old.updated_at, incoming.updated_at))
