"""Full-text search over the reference database's FTS5 index.

User text never reaches FTS5 raw: :func:`to_fts_match` quotes every word, so quotes, brackets,
``*``, ``AND``/``OR``/``NEAR`` and column names are only ever searched for as words.
"""

from __future__ import annotations

import re
import sqlite3

from desktop.data import schema
from desktop.data.records import SearchHit
from desktop.data.text import fold

MARK_START, MARK_END = "\x02", "\x03"  # snippet markers: never in seed text, easy to escape around
_WORD = re.compile(r"\w+", re.UNICODE)
MAX_QUERY_WORDS = 32


def words_of(text: str) -> list[str]:
    """The folded words of ``text``: the units FTS5 matches on."""
    return _WORD.findall(fold(text))[:MAX_QUERY_WORDS]


def to_fts_match(text: str, prefix_last: bool = True) -> str | None:
    """An FTS5 MATCH expression for plain user text, or None when there is nothing to search.

    >>> to_fts_match('Daratu')
    '"daratu"*'
    >>> to_fts_match('anti-CD20 "OR" (x')
    '"anti" "cd20" "or" "x"*'
    """
    words = words_of(text)
    if not words:
        return None
    parts = [f'"{w}"' for w in words]
    if prefix_last and text.rstrip()[-1:].isalnum():
        parts[-1] += "*"
    return " ".join(parts)


def search(conn: sqlite3.Connection, text: str, limit: int = 50) -> list[SearchHit]:
    """Ranked hits for ``text``; an empty list when it holds nothing searchable."""
    match = to_fts_match(text)
    if match is None:
        return []
    rows = conn.execute(
        "SELECT s.id, s.kind, s.title, "
        f"snippet(search_fts, {schema.SEARCH_INDEXED.index('body')}, ?, ?, '…', 12) AS snip, "
        "search_fts.rank AS score FROM search_fts JOIN search s ON s.rowid = search_fts.rowid "
        "WHERE search_fts MATCH ? ORDER BY search_fts.rank LIMIT ?",
        (MARK_START, MARK_END, match, limit)).fetchall()
    return [SearchHit(r[0], r[1], r[2], r[3] or "", r[4]) for r in rows]
