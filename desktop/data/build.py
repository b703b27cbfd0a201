"""Build the reference database from validated seeds, and decide when it must be rebuilt.

The database is derived data: it is built into a temporary file beside the target and moved into
place with ``os.replace``, so a crash mid-build never leaves a half-built database in use. User
data (bookmarks, notes) lives in a separate file that this module never opens.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from desktop.data import schema
from desktop.data.seeds import (EXTERNAL_FIELDS, FIELDS, INT, ListOf, Seeds, SeedError, Table,
                                load_seeds, seeds_fingerprint)
from desktop.data.text import extra_forms

# Fields that are stored in link tables rather than as columns of their record's table.
_LINK_FIELDS = {"sources", "sections", "mechanisms", "treatments", "people", "institutions", "links",
                *EXTERNAL_FIELDS}
_RENAMED = {"parent": "parent_id"}


class ReferenceUnavailable(Exception):
    """There is no usable reference database and the seeds cannot build one."""


@dataclass(frozen=True)
class EnsureResult:
    """What :func:`ensure_reference_db` did: ``rebuilt`` and why, or a ``warning`` to show."""

    path: Path
    rebuilt: bool
    reason: str | None = None
    warning: str | None = None


def rebuild_reason(path: Path, fingerprint: str) -> str | None:
    """Why the database at ``path`` must be rebuilt for seeds with ``fingerprint``, or None."""
    if not path.exists():
        return "there is no reference database yet"
    meta = read_meta(path)
    if meta is None:
        return "the reference database is damaged"
    if meta.get("schema_version") != str(schema.SCHEMA_VERSION):
        return "the database layout changed"
    if meta.get("seeds_hash") != fingerprint:
        return "the seed files changed"
    revision = imports_revision(path)
    if meta.get("imports_revision", "none") != revision or revision == "unreadable":
        return "your imported studies changed" if revision != "unreadable" else \
            "your imported studies cannot be read"  # each time, so the warning is not missed
    return None


_LAYOUT_QUERY = ("SELECT m.name, p.name FROM sqlite_master AS m, pragma_table_info(m.name) AS p "
                 "WHERE m.type = 'table' ORDER BY m.name, p.cid")


def _layout(conn: sqlite3.Connection) -> dict[str, list[str]]:
    """Every table with its columns, as the database holds them."""
    tables: dict[str, list[str]] = {}
    for table, column in conn.execute(_LAYOUT_QUERY):
        tables.setdefault(table, []).append(column)
    return tables


def read_meta(path: Path) -> dict[str, str] | None:
    """The meta table of a database that opens, passes ``PRAGMA quick_check`` and still has every
    table and column the build made (``quick_check`` passes after a ``DROP TABLE``), else None."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        if conn.execute("PRAGMA quick_check").fetchone() != ("ok",):
            return None
        meta = dict(conn.execute("SELECT key, value FROM meta"))
        expected = json.loads(meta.get("layout", "null"))
        if not isinstance(expected, dict):
            return None
        found = _layout(conn)
        if any(found.get(table) != columns for table, columns in expected.items()):
            return None
        return meta
    except (sqlite3.Error, ValueError):
        return None
    finally:
        conn.close()


def ensure_reference_db(seeds_dir: Path, path: Path, force: bool = False) -> EnsureResult:
    """Make sure ``path`` holds a current reference database, building it when needed.

    :param force: rebuild even when the database looks current.
    :raises ReferenceUnavailable: the seeds are bad and there is no usable older database.
    """
    fingerprint = seeds_fingerprint(seeds_dir)
    reason = "a rebuild was asked for" if force else rebuild_reason(path, fingerprint)
    if reason is None:
        return EnsureResult(path, rebuilt=False)
    from desktop.data.import_store import ImportsUnreadable

    imports_warning = None
    with _build_lock(path):
        # Another copy may have built it while this one waited for the lock: use theirs.
        if not force and rebuild_reason(path, fingerprint) is None:
            return EnsureResult(path, rebuilt=False)
        try:
            revision = imports_revision(path)  # read before the imports: a later write rebuilds again
            seeds = load_seeds(seeds_dir)
            try:
                seeds = with_imports(seeds, seeds_dir, imports_path(path))
            except ImportsUnreadable as error:  # show the curated data; say why imports are missing
                imports_warning = f"{str(error)[0].upper()}{str(error)[1:]}. Only the curated studies are shown."
        except SeedError as error:
            if _usable(path):
                return EnsureResult(path, rebuilt=False,
                                    warning=f"The seed files have an error, so the last good data "
                                            f"is shown. {error}")
            raise ReferenceUnavailable(f"Cannot build the reference data: {error}") from error
        try:
            build_reference_db(seeds, path, revision)
        except (OSError, sqlite3.Error) as error:
            problem = _write_problem(path.parent, error)
            if _usable(path):
                return EnsureResult(path, rebuilt=False,
                                    warning=f"{problem} The data shown may be out of date.")
            raise ReferenceUnavailable(f"Cannot build the reference data. {problem}") from error
    return EnsureResult(path, rebuilt=True, reason=reason, warning=imports_warning)


def imports_path(reference_db: Path) -> Path:
    """The user's imports file, beside the reference database (see import_store)."""
    from desktop.data.import_store import IMPORTS_DB_NAME

    return reference_db.with_name(IMPORTS_DB_NAME)


def imports_revision(reference_db: Path) -> str:
    """The revision of the imports the database at ``reference_db`` is built with (see import_store)."""
    from desktop.data.import_store import revision_of

    return revision_of(imports_path(reference_db))


def with_imports(seeds: Seeds, seeds_dir: Path, imports: Path) -> Seeds:
    """``seeds`` with the user's imported studies merged in (a copy; no imports: unchanged)."""
    from desktop.data.import_store import ImportsUnreadable, ImportStore

    if not imports.exists():
        return seeds
    import sqlite3 as _sqlite

    try:
        with ImportStore(imports) as store:
            stored, changes = store.studies(), store.changes()
    except (_sqlite.Error, OSError, ValueError, TypeError) as error:
        raise ImportsUnreadable(f"your imported studies cannot be read from {imports} ({error}); "
                                "the file is kept as it is") from None
    if not stored:
        return seeds
    from desktop.data.filing import load_rules
    from desktop.data.import_merge import merge

    mechanisms = {r["id"] for r in seeds.records["mechanism"]}
    treatments = {r["id"] for r in seeds.records["treatment"]}
    rules = load_rules(seeds_dir / "filing.toml", treatments, mechanisms)
    merged = merge(seeds.records["study"], stored, changes, rules, mechanisms, treatments)
    known = set(seeds.kind_of)
    new = [dict(r, _imported=True) for r in merged.new_studies if r["id"] not in known]
    records = dict(seeds.records)
    records["study"] = [merged.replaced.get(r["id"], r) for r in seeds.records["study"]] + new
    return Seeds(records=records, origin=dict(seeds.origin), kind_of={**seeds.kind_of,
                 **{r["id"]: "study" for r in new}}, fingerprint=seeds.fingerprint)


def _usable(path: Path) -> bool:
    """An older database that is sound and in today's layout (shown when no new one can be made)."""
    meta = read_meta(path) if path.exists() else None
    return meta is not None and meta.get("schema_version") == str(schema.SCHEMA_VERSION)


def _write_problem(folder: Path, error: Exception) -> str:
    """One sentence naming why the data folder could not be written."""
    from desktop import paths

    text = getattr(error, "strerror", None) or str(error)
    if isinstance(error, PermissionError) or not paths.folder_is_writable(folder):
        return (f"TrialTree has no permission to write in its data folder ({folder}), so the "
                f"reference data could not be prepared there.")
    return f"The reference data could not be written in {folder} ({text})."


@contextmanager
def _build_lock(path: Path):
    """Hold a lock file beside the database while building, so a second copy of the app
    starting at the same moment waits for the first's build instead of racing it. Where no lock
    file can be made (a read-only folder), build without one."""
    try:
        import fcntl
    except ImportError:  # Windows: os.replace of a finished file is the only guard there
        yield
        return
    try:
        handle = open(path.with_name(f".{path.name}.lock"), "a+b")
    except OSError:
        yield
        return
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        yield
    finally:
        handle.close()


def build_reference_db(seeds: Seeds, target: Path, imports_revision: str = "none") -> None:
    """Write a complete database for ``seeds`` to a temporary file, then move it onto ``target``.

    :param imports_revision: of the user's imports merged into ``seeds`` (recorded in meta)."""
    import sqlite_utils  # imported here: it is slow to import and only the build needs it

    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.building-{os.getpid()}")
    _remove(temporary)
    try:
        db = sqlite_utils.Database(temporary)
        db.execute("PRAGMA journal_mode = OFF")
        db.execute("PRAGMA synchronous = OFF")
        with db.conn:
            _write_tables(db, seeds)
        db["search"].enable_fts(list(schema.SEARCH_INDEXED), fts_version="FTS5",
                                tokenize=schema.SEARCH_TOKENIZE, replace=True)
        fts = "search_fts"
        weights = ", ".join(str(w) for w, c in zip(schema.SEARCH_WEIGHTS, schema.SEARCH_COLUMNS)
                            if c in schema.SEARCH_INDEXED)
        with db.conn:
            db.execute(f"INSERT INTO {fts}({fts}, rank) VALUES ('rank', 'bm25({weights})')")
            db.execute(f"INSERT INTO {fts}({fts}) VALUES ('optimize')")
            db["meta"].insert_all(
                [{"key": "schema_version", "value": str(schema.SCHEMA_VERSION)},
                 {"key": "layout", "value": json.dumps(_layout(db.conn))},
                 {"key": "seeds_hash", "value": seeds.fingerprint},
                 {"key": "imports_revision", "value": imports_revision},
                 {"key": "built_at", "value": time.strftime("%Y-%m-%dT%H:%M:%S%z")}],
                pk="key", replace=True)
        db.execute("PRAGMA journal_mode = DELETE")
        db.close()
        with open(temporary, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    finally:
        _remove(temporary)


def _remove(path: Path) -> None:
    for candidate in (path, path.with_name(path.name + "-journal")):
        try:
            candidate.unlink()
        except FileNotFoundError:
            pass


# ---- rows ---------------------------------------------------------------------------------


def _column_type(kind: Any) -> type:
    return int if kind == INT else str


def _columns(kind: str) -> dict[str, type]:
    columns: dict[str, type] = {}
    for name, (field_kind, _) in FIELDS[kind].items():
        if name in _LINK_FIELDS:
            continue
        columns[_RENAMED.get(name, name)] = _column_type(field_kind)
    if kind == "study":  # where an imported study came from, the registry's words, changes
        columns.update({name: str for name in schema.IMPORT_COLUMNS})
    columns["position"] = int
    return columns


def _row(kind: str, record: dict[str, Any], position: int) -> dict[str, Any]:
    row: dict[str, Any] = {}
    for name, (field_kind, _) in FIELDS[kind].items():
        if name in _LINK_FIELDS:
            continue
        value = record.get(name)
        if isinstance(field_kind, (ListOf, Table)) and value is not None:
            value = json.dumps(value, ensure_ascii=False)
        row[_RENAMED.get(name, name)] = value
    if kind == "study":
        for name in schema.IMPORT_COLUMNS:
            value = record.get(name)
            row[name] = json.dumps(value, ensure_ascii=False) if name in schema.JSON_IMPORT_COLUMNS and \
                value is not None else value
    row["position"] = position
    return row


def _write_tables(db, seeds: Seeds) -> None:
    for kind, table in schema.RECORD_TABLES.items():
        foreign = []
        if kind == "mechanism":
            foreign = [("parent_id", "mechanisms", "id")]
        elif kind == "institution":
            foreign = [("parent_id", "institutions", "id")]
        db[table].create(_columns(kind), pk="id", foreign_keys=foreign)
        _insert_rows(db, table, (_row(kind, r, i) for i, r in enumerate(seeds.records[kind])))

    def link(name: str, columns: dict[str, type], pk: tuple[str, ...],
             foreign: list[tuple[str, str, str]], rows: Iterable[dict[str, Any]]) -> None:
        db[name].create(columns, pk=pk, foreign_keys=foreign)
        _insert_rows(db, name, rows)
        if len(pk) > 1 and pk[1] != "position":
            # The primary key serves lookups by its first column; trees and search filters look
            # up by the second (person → studies), so index that side too, covering both.
            db[name].create_index([pk[1], pk[0]])

    link("source_sections", {"source_id": str, "key": str, "heading": str, "position": int},
         ("source_id", "key"), [("source_id", "sources", "id")],
         ({"source_id": s["id"], "key": section["key"], "heading": section["heading"], "position": i}
          for s in seeds.records["source"] for i, section in enumerate(s.get("sections", []))))
    records = [(kind, r) for kind in schema.RECORD_TABLES if kind != "source"
               for r in seeds.records[kind]]
    link("record_sources", {"record_id": str, "source_id": str, "section": str, "position": int},
         ("record_id", "position"), [("source_id", "sources", "id")],
         ({"record_id": r["id"], "source_id": c["source"], "section": c["section"], "position": i}
          for _, r in records for i, c in enumerate(r.get("sources", []))))
    link("mechanism_links", {"from_id": str, "to_id": str, "relation": str},
         ("from_id", "to_id", "relation"),
         [("from_id", "mechanisms", "id"), ("to_id", "mechanisms", "id")],
         ({"from_id": m["id"], "to_id": to, "relation": relation}
          for m in seeds.records["mechanism"]
          for to, relation in dict.fromkeys((l["to"], l["relation"]) for l in m.get("links", []))))
    link("treatment_mechanisms", {"treatment_id": str, "mechanism_id": str},
         ("treatment_id", "mechanism_id"),
         [("treatment_id", "treatments", "id"), ("mechanism_id", "mechanisms", "id")],
         ({"treatment_id": t["id"], "mechanism_id": m}
          for t in seeds.records["treatment"] for m in dict.fromkeys(t.get("mechanisms", []))))
    studies = seeds.records["study"]
    for name, field, other, table in (("study_treatments", "treatments", "treatment_id", "treatments"),
                                      ("study_mechanisms", "mechanisms", "mechanism_id", "mechanisms"),
                                      ("study_institutions", "institutions", "institution_id",
                                       "institutions")):
        link(name, {"study_id": str, other: str, "position": int}, ("study_id", other),
             [("study_id", "studies", "id"), (other, table, "id")],
             ({"study_id": s["id"], other: ref, "position": i}
              for s in studies for i, ref in enumerate(dict.fromkeys(s.get(field, [])))))
    link("study_people", {"study_id": str, "person_id": str, "role": str, "position": int},
         ("study_id", "person_id"), [("study_id", "studies", "id"), ("person_id", "people", "id")],
         _unique_people(studies))
    link("person_institutions", {"person_id": str, "institution_id": str, "position": int},
         ("person_id", "institution_id"),
         [("person_id", "people", "id"), ("institution_id", "institutions", "id")],
         ({"person_id": p["id"], "institution_id": ref, "position": i}
          for p in seeds.records["person"] for i, ref in enumerate(dict.fromkeys(p.get("institutions", [])))))
    for name, (field_kind, _) in EXTERNAL_FIELDS.items():
        columns = {"record_id": str, "position": int}
        for sub, (sub_kind, _) in field_kind.item.fields.items():
            columns["value" if sub == "id" else sub] = _column_type(sub_kind)
        link(name, columns, ("record_id", "position"), [],
             ({"record_id": r["id"], "position": i,
               **{("value" if k == "id" else k): v for k, v in entry.items()}}
              for _, r in records for i, entry in enumerate(r.get(name, []))))
    _write_study_groups(db, studies)
    db["search"].create({column: str for column in schema.SEARCH_COLUMNS}, pk="id")
    _insert_rows(db, "search", _search_rows(seeds))
    db["search"].create_index(["kind"])  # `kind:term` lists one kind in order
    db["meta"].create({"key": str, "value": str}, pk="key")


def _write_study_groups(db, studies: list[dict[str, Any]]) -> None:
    """The groups schema.STORED_GROUPINGS names, with their sizes (see schema)."""
    rows: list[dict[str, Any]] = []
    for position, study in enumerate(studies):
        for condition in schema.main_conditions(study.get("conditions", [])) or [""]:
            rows.append({"grouping": "condition", "value": condition, "study_id": study["id"],
                         "position": position})
        if not study.get("mechanisms"):  # imported ones wait for the user: "Not yet filed"
            rows.append({"grouping": "mechanism",
                         "value": schema.NOT_YET_FILED if study.get("_imported") else "",
                         "study_id": study["id"], "position": position})
    db["study_groups"].create({"grouping": str, "value": str, "study_id": str, "position": int},
                              pk=("grouping", "value", "position"),
                              foreign_keys=[("study_id", "studies", "id")])
    _insert_rows(db, "study_groups", rows)
    counts: dict[tuple[str, str], int] = {}
    for row in rows:
        counts[row["grouping"], row["value"]] = counts.get((row["grouping"], row["value"]), 0) + 1
    db["group_counts"].create({"grouping": str, "value": str, "count": int}, pk=("grouping", "value"))
    _insert_rows(db, "group_counts", ({"grouping": g, "value": v, "count": n}
                                      for (g, v), n in counts.items()))


def _insert_rows(db, table: str, rows: Iterable[dict[str, Any]]) -> None:
    """Bulk insert into a table sqlite-utils created: one executemany, values already plain."""
    columns = [column.name for column in db[table].columns]
    names = ", ".join(f"[{c}]" for c in columns)
    db.conn.executemany(f"INSERT INTO [{table}] ({names}) VALUES ({', '.join('?' for _ in columns)})",
                        ([row.get(c) for c in columns] for row in rows))


def _unique_people(studies: list[dict[str, Any]]) -> Iterable[dict[str, Any]]:
    for study in studies:
        roles: dict[str, list[str]] = {}
        for entry in study.get("people", []):
            roles.setdefault(entry["person"], []).append(entry["role"])
        for position, (person, person_roles) in enumerate(roles.items()):
            yield {"study_id": study["id"], "person_id": person, "role": "; ".join(person_roles),
                   "position": position}


# ---- search documents -----------------------------------------------------------------------

_TITLE_FIELD = {"study": "title", "term": "term"}
_SUMMARY_FIELD = {"study": "summary_plain", "term": "definition"}
_ALIAS_FIELDS = ("acronym", "aliases", "class", "target")
_SKIP_IN_BODY = {"id", "short_title", "identifiers", "sources", "people", "treatments", "mechanisms",
                 "institutions", "links", "filed_under", "changes", "_imported",
                 "parent", "see", "position", "kind", "title", "name", "term", "acronym", "aliases"}


def _flatten(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        yield str(value)
    elif isinstance(value, list):
        for item in value:
            yield from _flatten(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in ("url", "kind", "confidence", "seen"):
                yield from _flatten(item)


def _search_rows(seeds: Seeds) -> Iterable[dict[str, Any]]:
    names = {r["id"]: r.get("name") or r.get("title") or r.get("term")
             for kind in seeds.records for r in seeds.records[kind]}
    for kind in schema.RECORD_TABLES:
        if kind == "source":
            continue
        for record in seeds.records[kind]:
            title = record.get("short_title") or record[_TITLE_FIELD.get(kind, "name")]
            aliases = [text for name in _ALIAS_FIELDS for text in _flatten(record.get(name))]
            if record.get("short_title"):
                aliases.insert(0, record[_TITLE_FIELD[kind]])
            # Identifiers are searched like aliases: a registry number finds its study.
            aliases += list(dict.fromkeys(i["id"] for i in record.get("identifiers", [])))
            aliases += [p[k] for p in record.get("publications", []) for k in ("doi", "pmid", "pmcid")
                        if p.get(k)]
            summary = record.get(_SUMMARY_FIELD.get(kind, "summary"), "")
            body = [text for name, value in record.items()
                    if name not in _SKIP_IN_BODY and name != _SUMMARY_FIELD.get(kind, "summary")
                    for text in _flatten(value)]
            # Linked names, so that "fluge" finds his trials and "charité" its studies.
            linked = [names[ref] for name in ("treatments", "mechanisms", "institutions", "parent")
                      for ref in _as_list(record.get(name))]
            linked += [names[p["person"]] for p in record.get("people", [])]
            body += [n for n in linked if n]
            all_text = " ".join([title, *aliases, summary, *body])
            yield {"kind": kind, "id": record["id"], "title": title,
                   "aliases": " · ".join(aliases), "summary": summary, "body": " ".join(body),
                   "extra": extra_forms(all_text)}


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
