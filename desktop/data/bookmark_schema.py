"""The user database's tables: one migration step per schema version (``PRAGMA user_version``).

Append new steps; never edit a released one. :class:`desktop.data.bookmarks.BookmarkStore` runs
them when it opens the file.
"""

from __future__ import annotations

# One entry per schema version: MIGRATIONS[n] takes a database from user_version n to n + 1.
# Append new steps; never edit a released one.
MIGRATIONS: tuple[str, ...] = (
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
    # issue 18: a study's key facts when the user last looked, to say what changed since
    # (desktop.data.seen_facts). Not a bookmark change: no version bump, no backup.
    """
    CREATE TABLE IF NOT EXISTS seen_facts (
        record_id TEXT PRIMARY KEY NOT NULL,
        facts     TEXT NOT NULL,               -- JSON object: field → text
        data_date TEXT NOT NULL,               -- the record's latest source date then
        seen_at   TEXT NOT NULL                -- UTC ISO 8601, when the user looked
    );
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)
