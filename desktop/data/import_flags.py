"""Changes re-imports recorded, flagged on bookmarked studies until the user has seen them.

For the pane, the Bookmarks panel and ``bookmarks list --json``: the reference database carries
each study's changes (with a ``seen`` flag) and refreshes whenever the imports change, so both
questions below are answered from data the app already has open.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, Protocol


class RecordSource(Protocol):
    def kind_of(self, record_id: str) -> str | None: ...

    def record(self, record_id: str) -> Any: ...


def changes_of(library: RecordSource, record_id: str, unseen_only: bool = False) -> list[dict[str, Any]]:
    """The changes recorded for a study (imported, or curated with a download attached)."""
    if library.kind_of(record_id) != "study":
        return []
    changes = library.record(record_id).fields.get("changes") or []
    return [c for c in changes if not (unseen_only and c.get("seen"))]


def unseen_changes(library: RecordSource, record_ids: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
    """For each of ``record_ids`` (e.g. the bookmarked ones) with changes not yet seen, those changes."""
    flagged = {}
    for record_id in record_ids:
        changes = changes_of(library, record_id, unseen_only=True)
        if changes:
            flagged[record_id] = changes
    return flagged


def mark_seen(library: RecordSource, imports_db: Path, record_id: str) -> int:
    """The user has seen this study's changes: clear its flag. Returns how many were cleared."""
    from desktop.data.import_store import ImportStore

    numbers = {c["nct_id"] for c in changes_of(library, record_id, unseen_only=True)}
    if not numbers or not Path(imports_db).exists():
        return 0
    with ImportStore(imports_db) as store:
        return store.mark_seen(numbers)
