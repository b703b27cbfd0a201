"""What changed on a bookmarked study since the user last looked (issue 18, item 3).

When the user opens a study, its key facts (status, result, papers…) are saved in user.db
(:meth:`BookmarkStore.save_seen_facts`). Later, after a re-import or a newer version of the
seeds, the current record is compared with that snapshot: each difference is a
:class:`FactChange` with the old and new text and both dates (the data's date and when the user
looked). Changes recorded by re-imports (:mod:`desktop.data.import_flags`) and not yet seen are
added. Opening the study again saves a new snapshot, so the changes are then "seen".
No Qt here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from desktop.data.bookmark_values import utc_now
from desktop.data.import_flags import unseen_changes
from desktop.data.records import Record
from desktop.data.vocabulary import OUTCOME_LABELS, STATUS_LABELS, long_date

# The facts a snapshot keeps, by key → the plain words a change is reported with.
FACT_NAMES = {
    "status": "Where it stands",
    "registry_status": "Status on the registry",
    "outcome": "Overall result",
    "result": "What they found",
    "enrollment": "How many took part",
    "phase": "Stage of testing",
    "papers": "Papers",
}
NOTHING = "(nothing)"


@dataclass(frozen=True)
class FactChange:
    """One fact of a study that differs from what the user last saw."""

    field: str      # plain words, e.g. "Where it stands"
    old: str
    new: str
    data_date: str  # the record's latest source date now (ISO), "" if unknown
    seen_at: str    # when the user last looked (ISO date), or the re-import's date
    by: str         # "data update" (seeds or re-import rebuilt the record) or "re-import"

    def sentence(self) -> str:
        """One plain line: ``Where it stands: was Ongoing, now Completed (data of 1 May 2026;
        you last looked on 2 March 2026)``."""
        when = []
        if self.data_date:
            when.append(f"data of {long_date(self.data_date)}")
        if self.seen_at:
            looked = "you last looked on" if self.by == "data update" else "re-imported on"
            when.append(f"{looked} {long_date(self.seen_at[:10])}")
        tail = f" ({'; '.join(when)})" if when else ""
        return f"{self.field}: was {self.old or NOTHING}, now {self.new or NOTHING}{tail}"


def key_facts(record: Record) -> dict[str, str]:
    """The facts of a study a reader would want to hear changed about, as plain text."""
    get = record.fields.get
    facts = {
        "status": STATUS_LABELS.get(get("status"), str(get("status") or "")),
        "registry_status": record.registry_status.text if record.registry_status else "",
        "outcome": OUTCOME_LABELS.get(get("outcome"), str(get("outcome") or "")),
        "result": " ".join(str(get("result") or "").split()),
        "enrollment": str(get("enrollment") or ""),
        "phase": str(get("phase") or ""),
        "papers": "; ".join(sorted({p.doi or p.title or "" for p in record.publications} - {""})),
    }
    return facts


def data_date(record: Record) -> str:
    """The latest date any of the record's facts was seen or published (ISO), "" if none."""
    dates = [c.date for c in record.citations if c.date]
    dates += [i.provenance.seen for i in record.identifiers]
    dates += [p.provenance.seen for p in record.publications]
    dates += [f.provenance.seen for f in record.external_facts]
    dates += [c.provenance.seen for c in record.cross_checks]
    if record.registry_status:
        dates.append(record.registry_status.provenance.seen)
    dates += [str(c.get("recorded_on") or "") for c in record.fields.get("changes") or []]
    iso = [d[:10] for d in dates if d and d[:4].isdigit()]
    return max(iso, default="")


def latest_data_date(records: Iterable[Record]) -> str:
    return max((data_date(r) for r in records), default="")


def remember(store: Any, record: Record, now: str | None = None) -> None:
    """The user has looked at ``record``: save its key facts as what they saw (studies only)."""
    if record.kind == "study":
        store.save_seen_facts(record.id, key_facts(record), data_date(record), now or utc_now())


def changes_since_seen(store: Any, record: Record, now: str | None = None) -> list[FactChange]:
    """How ``record`` differs from what the user last saw of it. The first time (no snapshot
    yet, e.g. bookmarked before this existed) today's facts become the snapshot: no change."""
    if record.kind != "study":
        return []
    saved = store.seen_facts(record.id)
    if saved is None:
        remember(store, record, now)
        return []
    old, _old_date, seen_at = saved
    new, date_now = key_facts(record), data_date(record)
    return [FactChange(FACT_NAMES[key], old.get(key, ""), value, date_now, seen_at, "data update")
            for key, value in new.items() if key in old and old[key] != value]


def what_changed(library: Any, store: Any, record_ids: Iterable[str],
                 imports_seen: Iterable[str] = ()) -> dict[str, list[FactChange]]:
    """For each of ``record_ids`` (bookmarked studies) with something new: what changed, from the
    snapshots and from re-imports not yet seen. Ids no longer in the data are skipped.
    ``imports_seen``: studies whose re-import changes were marked seen since the reference data
    was last built (the window keeps them until the next build shows it)."""
    ids = [i for i in record_ids if library.kind_of(i) == "study"]
    skip = set(imports_seen)
    imported = {i: c for i, c in unseen_changes(library, ids).items() if i not in skip}
    out: dict[str, list[FactChange]] = {}
    for record_id in ids:
        record = library.record(record_id)
        changes = changes_since_seen(store, record)
        if record.get("imported_from") and record.get("changes"):
            # An imported study's facts are the registry's: its change log says the same change
            # better (with both registry dates), so the snapshot's view of it is not repeated.
            changes = []
        date_now = data_date(record)
        for change in imported.get(record_id, []):
            changes.append(FactChange(
                f"{str(change.get('field') or '').replace('_', ' ').capitalize()} on the registry",
                str(change.get("old") or ""), str(change.get("new") or ""), date_now,
                str(change.get("recorded_on") or ""), "re-import"))
        if changes:
            out[record_id] = changes
    return out
