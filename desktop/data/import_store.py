"""The user's imported ClinicalTrials.gov studies, kept in their own file (``imports.db``).

Imports are the user's data, like bookmarks: they live beside the reference database, never in
it, so ``trialtree rebuild``, a seed change or an upgrade cannot lose them. The reference build
reads this file and merges the studies in (:mod:`desktop.data.import_merge`). Every write is one
transaction: a bad or cancelled import changes nothing, and nothing imported before is lost.
Each write bumps ``revision``, which the reference database records, so it knows to refresh.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Self

from desktop.data.ctgov import (
    DateStruct,
    EnrollmentInfo,
    IdInfo,
    Intervention,
    Official,
    Organization,
    Outcome,
    Reference,
    RegistryStudy,
)

IMPORTS_DB_NAME = "imports.db"
SCHEMA = 1
# The registry fields a re-import compares; a difference is recorded as a change.
TRACKED = {
    "status": lambda s: s.overallStatus,
    "enrollment": lambda s: None if s.enrollmentInfo is None or s.enrollmentInfo.count is None
    else str(s.enrollmentInfo.count),
    "start date": lambda s: s.startDateStruct.date if s.startDateStruct else None,
    "primary completion date": lambda s: s.primaryCompletionDateStruct.date
    if s.primaryCompletionDateStruct else None,
    "completion date": lambda s: s.completionDateStruct.date if s.completionDateStruct else None,
    "results posted": lambda s: "yes" if s.hasResults else "no",
}


class ImportCancelled(Exception):
    """The user cancelled: the transaction was rolled back, nothing changed."""


class ImportsUnreadable(Exception):
    """The imports file is damaged or not TrialTree's: one line; the file is left as it is."""


class UnknownImport(KeyError):
    """No imported study has this NCT number."""


@dataclass(frozen=True)
class Change:
    """One field a newer download changed, with both registry dates (``lastUpdatePostDate``)."""

    nct_id: str
    field: str
    old: str | None
    new: str | None
    old_update: str | None
    new_update: str | None
    recorded_on: str
    seen: bool = False


@dataclass(frozen=True)
class StoredStudy:
    """One imported study as kept: the registry's record plus when and from where it came."""

    study: RegistryStudy
    imported_on: str  # ISO date of the latest import that changed or added it
    origin: str  # the file it was read from
    user_mechanisms: tuple[str, ...] = ()


@dataclass
class ImportSummary:
    """What one import did, for a one-line report and for the window's dialog."""

    imported: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    attached: list[str] = field(default_factory=list)  # NCT numbers that belong to curated studies
    refused_by_condition: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # one line each, from the reader
    studies_read: int = 0  # usable studies the files held (0: nothing in them could be used)

    def line(self) -> str:
        attached = set(self.attached)
        parts = [f"{sum(1 for n in self.imported if n not in attached)} imported", f"{len(self.updated)} updated",
                 f"{len(self.unchanged)} unchanged",
                 f"{len(self.attached)} attached to curated studies",
                 f"{len(self.skipped)} skipped",
                 (f"{len(self.refused_by_condition)} refused (neither ME/CFS nor long COVID; "
                  f"keep them with --keep-other-conditions)")]
        return ", ".join(parts)


def today() -> str:
    return datetime.now(UTC).date().isoformat()


# ---- RegistryStudy <-> JSON ---------------------------------------------------------------

_NESTED = {"orgStudyIdInfo": IdInfo, "startDateStruct": DateStruct, "primaryCompletionDateStruct": DateStruct,
           "completionDateStruct": DateStruct, "lastUpdatePostDateStruct": DateStruct,
           "leadSponsor": Organization, "enrollmentInfo": EnrollmentInfo}
_NESTED_LISTS = {"secondaryIdInfos": IdInfo, "collaborators": Organization, "interventions": Intervention,
                 "primaryOutcomes": Outcome, "secondaryOutcomes": Outcome, "overallOfficials": Official,
                 "references": Reference}


def study_to_json(study: RegistryStudy) -> str:
    """The study as compact JSON; ``vars`` of each dataclass lets the C encoder do the walking
    (``dataclasses.asdict`` copied every value and took most of the store's time)."""
    return json.dumps(study, default=vars, ensure_ascii=False, separators=(",", ":"))


def study_from_stored(text: str) -> RegistryStudy:
    """The RegistryStudy a stored row holds (written by :func:`study_to_json`)."""
    data = json.loads(text)
    for name, kind in _NESTED.items():
        if data.get(name) is not None:
            data[name] = kind(**data[name])
    for name, kind in _NESTED_LISTS.items():
        items = []
        for item in data.get(name) or ():
            if kind is Intervention:
                item = {**item, "otherNames": tuple(item.get("otherNames") or ())}
            items.append(kind(**item))
        data[name] = tuple(items)
    for name in ("conditions", "keywords", "phases", "countries"):
        data[name] = tuple(data.get(name) or ())
    return RegistryStudy(**data)


# ---- the store ------------------------------------------------------------------------------

_TABLES = """
CREATE TABLE IF NOT EXISTS studies (
    nct_id TEXT PRIMARY KEY, data TEXT NOT NULL, last_update TEXT, imported_on TEXT NOT NULL,
    origin TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS user_filings (
    nct_id TEXT NOT NULL, mechanism_id TEXT NOT NULL, filed_on TEXT NOT NULL,
    PRIMARY KEY (nct_id, mechanism_id));
CREATE TABLE IF NOT EXISTS changes (
    id INTEGER PRIMARY KEY, nct_id TEXT NOT NULL, field TEXT NOT NULL, old TEXT, new TEXT,
    old_update TEXT, new_update TEXT, recorded_on TEXT NOT NULL, seen INTEGER NOT NULL DEFAULT 0);
CREATE INDEX IF NOT EXISTS changes_by_study ON changes (nct_id, seen);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


def revision_of(path: Path) -> str:
    """The store's identity and write count, read without creating the file ("none" if absent):
    the reference database records it and refreshes when it differs."""
    if not Path(path).exists():
        return "none"
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            meta = dict(conn.execute("SELECT key, value FROM meta"))
        finally:
            conn.close()
    except sqlite3.Error:
        return "unreadable"
    return f"{meta.get('store_id', '?')}:{meta.get('revision', '0')}"


class ImportStore:
    """Read and write the imports file. Safe to open from a worker thread (one per thread)."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._conn = sqlite3.connect(self.path, isolation_level=None, timeout=10)
            version = self._conn.execute("PRAGMA user_version").fetchone()[0]
            if version >= SCHEMA and self._conn.execute("PRAGMA quick_check").fetchone() != ("ok",):
                raise sqlite3.DatabaseError("it fails SQLite's check")
        except sqlite3.DatabaseError as error:
            raise ImportsUnreadable(
                f"your imported studies cannot be read: {self.path.name} is damaged ({error}); "
                f"it is kept as it is in {self.path.parent}") from None
        if version < SCHEMA:
            with self._transaction():
                for statement in filter(str.strip, _TABLES.split(";")):
                    self._conn.execute(statement)
                self._conn.execute("INSERT OR IGNORE INTO meta VALUES ('store_id', ?)", (uuid.uuid4().hex,))
                self._conn.execute("INSERT OR IGNORE INTO meta VALUES ('revision', '0')")
                self._conn.execute(f"PRAGMA user_version = {SCHEMA}")

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def _transaction(self):
        """One write transaction that bumps ``revision``; any error rolls everything back."""
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._conn.execute("ROLLBACK")
            raise
        self._conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'revision'")
        self._conn.execute("COMMIT")

    # ---- reading --------------------------------------------------------------------------

    def revision(self) -> str:
        return revision_of(self.path)

    def count(self) -> int:
        return self._conn.execute("SELECT count(*) FROM studies").fetchone()[0]

    def nct_ids(self) -> list[str]:
        return [r[0] for r in self._conn.execute("SELECT nct_id FROM studies ORDER BY rowid")]

    def studies(self) -> list[StoredStudy]:
        """Every imported study, in import order, with the user's filings."""
        filings: dict[str, list[str]] = {}
        for nct_id, mechanism in self._conn.execute(
                "SELECT nct_id, mechanism_id FROM user_filings ORDER BY filed_on, rowid"):
            filings.setdefault(nct_id, []).append(mechanism)
        return [StoredStudy(study_from_stored(data), imported_on, origin, tuple(filings.get(nct_id, ())))
                for nct_id, data, imported_on, origin in self._conn.execute(
                    "SELECT nct_id, data, imported_on, origin FROM studies ORDER BY rowid")]

    def user_filings(self, nct_id: str) -> tuple[str, ...]:
        return tuple(r[0] for r in self._conn.execute(
            "SELECT mechanism_id FROM user_filings WHERE nct_id = ? ORDER BY rowid", (nct_id,)))

    def changes(self, nct_ids: Iterable[str] | None = None, unseen_only: bool = False) -> list[Change]:
        """Recorded changes, oldest first; of some studies only, or only those not yet seen."""
        sql = "SELECT nct_id, field, old, new, old_update, new_update, recorded_on, seen FROM changes"
        where, params = [], []
        if nct_ids is not None:
            ids = [i.upper() for i in nct_ids]
            where.append(f"nct_id IN ({', '.join('?' for _ in ids)})")
            params += ids
        if unseen_only:
            where.append("seen = 0")
        if where:
            sql += " WHERE " + " AND ".join(where)
        return [Change(*row[:7], bool(row[7])) for row in self._conn.execute(sql + " ORDER BY id", params)]

    # ---- writing --------------------------------------------------------------------------

    def import_studies(self, studies: Iterable[RegistryStudy], *,
                       keep: Callable[[RegistryStudy], bool] = lambda study: True,
                       progress: Callable[[int, int], None] | None = None,
                       cancelled: Callable[[], bool] | None = None,
                       summary: ImportSummary | None = None, origin_of=None) -> ImportSummary:
        """Add new studies and update known ones, all in one transaction.

        :param keep: whether to keep a study (the caller refuses those in neither condition).
        :param progress: called with (done, total) now and then; :param cancelled: polled as
            often; when it says yes everything is rolled back and :class:`ImportCancelled` raised.
        """
        studies = list(studies)
        summary = summary or ImportSummary()
        on = today()
        known = {nct_id: (data, last) for nct_id, data, last in self._conn.execute(
            "SELECT nct_id, data, last_update FROM studies")}
        inserts, updates, changes = [], [], []
        for done, study in enumerate(studies):
            if done % 500 == 0:
                if cancelled is not None and cancelled():
                    raise ImportCancelled("the import was cancelled; nothing was changed")
                if progress is not None:
                    progress(done, len(studies))
            if not keep(study):
                summary.refused_by_condition.append(study.nctId)
                continue
            row = (study.nctId, study_to_json(study), study.last_update, on, study.origin)
            earlier = known.get(study.nctId)
            if earlier is None:
                inserts.append(row)
                summary.imported.append(study.nctId)
                continue
            old_text, old_update = earlier
            if old_text == row[1]:
                summary.unchanged.append(study.nctId)
                continue
            if (old_update or "") > (study.last_update or ""):
                summary.skipped.append(f"{study.origin} ({study.nctId}): older than the copy already "
                                       f"imported (registry update {old_update}); kept that one")
                continue
            old = study_from_stored(old_text)
            for name, value in TRACKED.items():
                before, after = value(old), value(study)
                if before != after:
                    changes.append((study.nctId, name, before, after, old_update, study.last_update, on))
            updates.append(row)
            summary.updated.append(study.nctId)
        if cancelled is not None and cancelled():
            raise ImportCancelled("the import was cancelled; nothing was changed")
        with self._transaction():
            self._conn.executemany("INSERT INTO studies (nct_id, data, last_update, imported_on, origin) "
                                   "VALUES (?, ?, ?, ?, ?)", inserts)
            self._conn.executemany("UPDATE studies SET data = ?, last_update = ?, imported_on = ?, "
                                   "origin = ? WHERE nct_id = ?",
                                   ((d, u, o, f, n) for n, d, u, o, f in updates))
            self._conn.executemany("INSERT INTO changes (nct_id, field, old, new, old_update, new_update, "
                                   "recorded_on) VALUES (?, ?, ?, ?, ?, ?, ?)", changes)
        if progress is not None:
            progress(len(studies), len(studies))
        return summary

    def remove(self, nct_id: str) -> None:
        """Remove one imported study (its changes too; the user's filing is kept for a re-import).

        :raises UnknownImport: no imported study has this number.
        """
        nct_id = nct_id.strip().upper()
        with self._transaction():
            if self._conn.execute("DELETE FROM studies WHERE nct_id = ?", (nct_id,)).rowcount == 0:
                raise UnknownImport(nct_id)
            self._conn.execute("DELETE FROM changes WHERE nct_id = ?", (nct_id,))

    def file_under(self, nct_id: str, mechanism_id: str) -> None:
        """The user files an imported study under a mechanism; kept across re-imports and rebuilds.

        :raises UnknownImport: no imported study has this number.
        """
        nct_id = nct_id.strip().upper()
        with self._transaction():
            if not self._conn.execute("SELECT 1 FROM studies WHERE nct_id = ?", (nct_id,)).fetchone():
                raise UnknownImport(nct_id)
            self._conn.execute("INSERT OR IGNORE INTO user_filings VALUES (?, ?, ?)",
                               (nct_id, mechanism_id, today()))

    def unfile(self, nct_id: str, mechanism_id: str) -> bool:
        with self._transaction():
            return self._conn.execute("DELETE FROM user_filings WHERE nct_id = ? AND mechanism_id = ?",
                                      (nct_id.strip().upper(), mechanism_id)).rowcount > 0

    def mark_seen(self, nct_ids: Iterable[str]) -> int:
        """The user has seen the changes of these studies: they are no longer flagged."""
        ids = [i.upper() for i in nct_ids]
        if not ids:
            return 0
        with self._transaction():
            return self._conn.execute(
                f"UPDATE changes SET seen = 1 WHERE seen = 0 AND nct_id IN ({', '.join('?' for _ in ids)})",
                ids).rowcount
