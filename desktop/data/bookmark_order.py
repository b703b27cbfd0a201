"""The Bookmarks panel's orders, in plain Python, so the window, its exports and the command line
list bookmarks in the same order (issue 12: an export follows the panel).

>>> from desktop.data.bookmarks import Bookmark
>>> old = Bookmark("a-old", "study", "Zeta", "", (), "2026-01-01T00:00:00Z", "")
>>> new = Bookmark("b-new", "study", "Alpha", "", (), "2026-02-01T00:00:00Z", "")
>>> [b.record_id for b in in_panel_order([old, new], "newest")]
['b-new', 'a-old']
>>> [b.record_id for b in in_panel_order([new, old], "title")]
['b-new', 'a-old']
"""

from __future__ import annotations

from typing import Any, Callable, Iterable

from desktop.data.bookmark_values import Bookmark
from desktop.data.text import fold

ORDERS = ("newest", "mechanism", "title")  # the panel's orders; "newest" is its default
OTHER_GROUPS = {"person": "People", "institution": "Institutions", "term": "Glossary",
                "source": "Sources"}


def sort_key(bookmark: Bookmark, order: str, group: str = "", orphaned: bool = False) -> tuple:
    """Where ``bookmark`` goes in the panel's ``order`` (``group``: its mechanism, for the
    "mechanism" order; ``orphaned``: its record is no longer in the data)."""
    if order == "title":
        return (fold(bookmark.title), bookmark.record_id)
    if order == "mechanism":
        return (not group or orphaned, fold(group), fold(bookmark.title), bookmark.record_id)
    return (_descending(bookmark.created_at), bookmark.record_id)


def mechanism_group(record_of: Callable[[str], Any], record_id: str,
                    cache: dict[str, str]) -> str:
    """The top-level mechanism a record is filed under (its first mechanism, climbed to the top
    of the tree), "People" and the like for records that have none, "" when unknown."""
    if record_id in cache:
        return cache[record_id]
    try:
        record = record_of(record_id)
    except KeyError:
        cache[record_id] = ""
        return ""
    group = OTHER_GROUPS.get(record.kind, "")
    mechanism = record if record.kind == "mechanism" else None
    if mechanism is None and record.links.get("mechanisms"):
        try:
            mechanism = record_of(record.links["mechanisms"][0].id)
        except KeyError:
            mechanism = None
    seen = set()
    while mechanism is not None and mechanism.id not in seen:
        seen.add(mechanism.id)
        group = mechanism.title
        parents = mechanism.links.get("parent") or ()
        try:
            mechanism = record_of(parents[0].id) if parents else None
        except KeyError:
            mechanism = None
    cache[record_id] = group
    return group


def in_panel_order(bookmarks: Iterable[Bookmark], order: str = "newest",
                   library: Any | None = None) -> list[Bookmark]:
    """``bookmarks`` sorted as the panel shows them in ``order``; ``library`` (with ``record`` and
    ``kind_of``) says which are gone from the data and, for "mechanism", each one's group."""
    if order not in ORDERS:
        raise ValueError(f"unknown order {order!r}; choose one of {', '.join(ORDERS)}")
    cache: dict[str, str] = {}

    def key(b: Bookmark) -> tuple:
        orphaned = library is not None and library.kind_of(b.record_id) is None
        group = ""
        if order == "mechanism" and library is not None and not orphaned:
            group = mechanism_group(library.record, b.record_id, cache)
        return sort_key(b, order, group, orphaned)

    return sorted(bookmarks, key=key)


def _descending(text: str) -> tuple[int, ...]:
    """A sort key that puts later ISO times first."""
    return tuple(-ord(c) for c in text)
