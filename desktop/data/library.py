"""Library: every question the app and the CLI ask of the reference database.

Opens the database read-only with the standard ``sqlite3`` module (sqlite-utils is only needed to
build it) and answers with the plain values of :mod:`desktop.data.records`.
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from desktop.data import groupings, schema
from desktop.data import links as link_builders
from desktop.data.groupings import STUDY_COLUMNS, Page, page_of
from desktop.data.query import SEARCH_LIMIT
from desktop.data.records import (Citation, CrossCheck, ExternalFact, FiledUnder, Identifier,
                                  Provenance,
                                  Publication, Record, Ref, RegistryStatus, SearchHit, TreeNode)
from desktop.data.seeds import FIELDS, ListOf, Table
from desktop.data.schema import JSON_IMPORT_COLUMNS
from desktop.data.vocabulary import short_status

GROUPINGS = groupings.names()  # the tree's groupings, in menu order (see desktop.data.groupings)
GROUPING_LABELS = {name: g.label for name, g in groupings.REGISTRY.items()}
_TITLE_COLUMN = {"study": "title", "term": "term", "source": "title"}


@dataclass(frozen=True)
class Link:
    """One kind of link shown on a record's page, read through a join table.

    ``via`` is the join table, ``this``/``other`` its columns for the open record and the linked
    one, ``target`` the linked records' kind; ``order`` is "link" (the join table's order) or
    "record" (the linked records' own order). ``via`` "parent"/"children" follow ``parent_id``.
    """

    name: str
    target: str
    via: str
    this: str = ""
    other: str = ""
    order: str = "link"
    role: bool = False  # the join table's role column is shown with the link

    def sql(self) -> str:
        table = schema.RECORD_TABLES[self.target]
        title = "coalesce(r.short_title, r.title)" if self.target == "study" else "r.name"
        if self.via == "parent":
            return (f"SELECT r.id, r.name FROM {table} x JOIN {table} r ON r.id = x.parent_id "
                    "WHERE x.id = ?")
        if self.via == "children":
            return f"SELECT r.id, r.name FROM {table} r WHERE r.parent_id = ? ORDER BY r.position"
        role = ", x.role" if self.role else ""
        order = "x.position" if self.order == "link" else "r.position"
        return (f"SELECT r.id, {title}{role} FROM {self.via} x JOIN {table} r ON r.id = x.{self.other} "
                f"WHERE x.{self.this} = ? ORDER BY {order}")


# Each kind's links, in the order its page shows them ("linked" is worked out in both directions).
LINKS: dict[str, tuple[Link, ...]] = {
    "study": (Link("treatments", "treatment", "study_treatments", "study_id", "treatment_id"),
              Link("mechanisms", "mechanism", "study_mechanisms", "study_id", "mechanism_id"),
              Link("people", "person", "study_people", "study_id", "person_id", role=True),
              Link("institutions", "institution", "study_institutions", "study_id", "institution_id")),
    "mechanism": (Link("parent", "mechanism", "parent"),
                  Link("children", "mechanism", "children"),
                  Link("linked", "mechanism", "mechanism_links"),
                  Link("treatments", "treatment", "treatment_mechanisms", "mechanism_id", "treatment_id",
                       order="record"),
                  Link("studies", "study", "study_mechanisms", "mechanism_id", "study_id", order="record")),
    "treatment": (Link("mechanisms", "mechanism", "treatment_mechanisms", "treatment_id", "mechanism_id",
                       order="record"),
                  Link("studies", "study", "study_treatments", "treatment_id", "study_id", order="record")),
    "person": (Link("institutions", "institution", "person_institutions", "person_id", "institution_id"),
               Link("studies", "study", "study_people", "person_id", "study_id", order="record",
                    role=True)),
    "institution": (Link("parent", "institution", "parent"),
                    Link("parts", "institution", "children"),
                    Link("people", "person", "person_institutions", "institution_id", "person_id",
                         order="record"),
                    Link("studies", "study", "study_institutions", "institution_id", "study_id",
                         order="record")),
}


class UnknownRecord(KeyError):
    """No record has this id."""


class Library:
    """Read-only access to one reference database."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
        self._conn.row_factory = sqlite3.Row
        self._kinds: dict[str, str] | None = None
        self._search_context: tuple[str, Any] | None = None  # (built_at, SearchContext)
        self._remembered: dict[str, Any] = {}  # see remembered()

    def close(self) -> None:
        self._search_context = None
        self._conn.close()

    def search_context(self):
        """What every search of this database needs, read once (again if it was rebuilt).

        :returns: desktop.data.search_context.SearchContext
        """
        from desktop.data.search_context import SearchContext

        row = self._conn.execute("SELECT value FROM meta WHERE key = 'built_at'").fetchone()
        stamp = row[0] if row else ""
        if self._search_context is None or self._search_context[0] != stamp:
            self._search_context = (stamp, SearchContext(self._conn))
        return self._search_context[1]

    # ---- basics --------------------------------------------------------------------------

    def _rows(self, sql: str, params: tuple | dict = ()) -> list[sqlite3.Row]:
        return self._conn.execute(sql, params).fetchall()

    def kind_of(self, record_id: str) -> str | None:
        """The kind of the record with this id, or None if there is none."""
        row = self._conn.execute("SELECT kind FROM search WHERE id = ?", (record_id,)).fetchone()
        if row is not None:
            return row[0]
        if self._conn.execute("SELECT 1 FROM sources WHERE id = ?", (record_id,)).fetchone():
            return "source"
        return None

    def title_of(self, record_id: str) -> str | None:
        row = self._conn.execute("SELECT title FROM search WHERE id = ?", (record_id,)).fetchone()
        return row[0] if row else None

    def ids(self, kind: str) -> list[str]:
        """Every id of one kind, in seed order."""
        table = schema.RECORD_TABLES[kind]
        return [r[0] for r in self._rows(f"SELECT id FROM {table} ORDER BY position")]

    def count(self, kind: str) -> int:
        return self._conn.execute(f"SELECT count(*) FROM {schema.RECORD_TABLES[kind]}").fetchone()[0]

    def meta(self) -> dict[str, str]:
        return dict(self._rows("SELECT key, value FROM meta"))

    def resolve(self, name: str) -> list[str]:
        """The ids of the records ``name`` names: an id, a registry number (NCT…, EudraCT…),
        a DOI (bare, ``doi:…`` or a doi.org link), a PubMed id or a study's acronym, compared
        without regard to case. [] when nothing matches; several ids when the name is shared."""
        text = name.strip()
        if not text:
            return []
        if self.kind_of(text) is not None:
            return [text]
        doi = re.sub(r"^(?:doi:\s*|https?://(?:dx\.)?doi\.org/)", "", text, flags=re.IGNORECASE)
        rows = self._rows(
            "SELECT record_id FROM identifiers WHERE lower(value) = lower(:t) "
            "UNION SELECT record_id FROM publications WHERE lower(doi) = lower(:doi) "
            "OR pmid = :t "
            "UNION SELECT id FROM studies WHERE lower(acronym) = lower(:t) "
            "UNION SELECT id FROM search WHERE lower(id) = lower(:t)",
            {"t": text, "doi": doi})
        return sorted({r[0] for r in rows})

    # ---- records -------------------------------------------------------------------------

    def record(self, record_id: str) -> Record:
        """The record with this id and everything linked to it.

        :raises UnknownRecord: no record has this id.
        """
        kind = self.kind_of(record_id)
        if kind is None:
            raise UnknownRecord(record_id)
        table = schema.RECORD_TABLES[kind]
        row = dict(self._rows(f"SELECT * FROM {table} WHERE id = ?", (record_id,))[0])
        fields = _decode(kind, row)
        title = fields.pop(_TITLE_COLUMN.get(kind, "name"))
        summary = fields.pop({"study": "summary_plain", "term": "definition"}.get(kind, "summary"), None) or ""
        fields.pop("id", None)
        fields.pop("position", None)
        fields = {k: v for k, v in fields.items() if v not in (None, "", [], ())}
        if "imported_from" in fields:  # an imported study always says what re-imports changed
            fields.setdefault("changes", [])
        if kind == "mechanism":  # the tree counts everything beneath; the pane says the same
            fields["studies_beneath"] = self.mechanism_study_count(record_id)
        filed_under = tuple(self._filed_under(fields.pop("filed_under", None) or []))
        return Record(
            id=record_id, kind=kind, title=title, summary=summary, fields=fields,
            links=self._links(kind, record_id, fields),
            citations=self._citations(record_id),
            identifiers=tuple(self._identifiers(record_id)),
            publications=tuple(self._publications(record_id)),
            external_facts=tuple(ExternalFact(r["claim"], _provenance(r)) for r in self._external(
                "external_facts", record_id)),
            cross_checks=tuple(CrossCheck(r["article_says"], r["source_says"], _provenance(r))
                               for r in self._external("cross_checks", record_id)),
            registry_status=_registry_status(fields.pop("registry_status", None)),
            filed_under=filed_under,
        )

    def _filed_under(self, entries: list[dict[str, Any]]):
        """Each ``filed_under`` entry with its mechanism's name and its source resolved."""
        for entry in entries:
            citation = provenance = None
            if "source" in entry:
                row = self._rows("SELECT s.*, h.heading FROM sources s LEFT JOIN source_sections h "
                                 "ON h.source_id = s.id AND h.key = ? WHERE s.id = ?",
                                 (entry["section"], entry["source"]))[0]
                citation = Citation(row["id"], row["title"], row["outlet"], row["author"],
                                    row["date"], row["url"], row["heading"] or entry["section"])
            elif "url" in entry:
                provenance = Provenance(entry["url"], entry["kind"], entry["confidence"], entry["seen"])
            yield FiledUnder(entry["mechanism"], self.title_of(entry["mechanism"]) or entry["mechanism"],
                             entry["reason"], entry["by"], citation, provenance)

    def _links(self, kind: str, rid: str, fields: dict[str, Any]) -> dict[str, tuple[Ref, ...]]:
        links: dict[str, tuple[Ref, ...]] = {}
        for link in LINKS.get(kind, ()):
            if link.name == "linked":
                links["linked"] = self._linked_mechanisms(rid)
            else:
                links[link.name] = tuple(Ref(r[0], link.target, r[1], r[2] if len(r.keys()) > 2 else "")
                                         for r in self._rows(link.sql(), (rid,)))
        if kind == "term":
            links["see"] = tuple(Ref(ref, self.kind_of(ref) or "", self.title_of(ref) or ref)
                                 for ref in fields.pop("see", []))
        return {name: refs for name, refs in links.items() if refs}

    def _linked_mechanisms(self, rid: str) -> tuple[Ref, ...]:
        """Each mechanism linked to this one, once, with the link said from this one's side:
        'comes before', 'comes before this one', or 'they feed each other (vicious cycle)'."""
        rows = self._rows(
            "SELECT l.to_id AS other, 'out' AS way, l.relation, m.name, m.position FROM mechanism_links l "
            "JOIN mechanisms m ON m.id = l.to_id WHERE l.from_id = ? UNION ALL "
            "SELECT l.from_id, 'in', l.relation, m.name, m.position FROM mechanism_links l "
            "JOIN mechanisms m ON m.id = l.from_id WHERE l.to_id = ? ORDER BY 5", (rid, rid))
        ways: dict[str, dict[str, list[str]]] = {}
        names: dict[str, str] = {}
        for row in rows:
            names[row["other"]] = row["name"]
            ways.setdefault(row["other"], {"out": [], "in": []})[row["way"]].append(row["relation"])
        refs = []
        for other, relation in ways.items():
            both = [r for r in relation["out"] if r in relation["in"]]
            roles = [_both_ways(r) for r in both]
            roles += [r for r in relation["out"] if r not in both]
            roles += [_towards_this(r) for r in relation["in"] if r not in both]
            refs.append(Ref(other, "mechanism", names[other], "; ".join(roles)))
        return tuple(refs)

    def _citations(self, rid: str) -> tuple[Citation, ...]:
        return tuple(Citation(r["id"], r["title"], r["outlet"], r["author"], r["date"], r["url"],
                              r["heading"] or r["section"])
                     for r in self._rows("SELECT s.*, x.section, h.heading FROM record_sources x "
                                         "JOIN sources s ON s.id = x.source_id "
                                         "LEFT JOIN source_sections h ON h.source_id = x.source_id "
                                         "AND h.key = x.section "
                                         "WHERE x.record_id = ? ORDER BY x.position", (rid,)))

    def _external(self, table: str, rid: str) -> list[sqlite3.Row]:
        return self._rows(f"SELECT * FROM {table} WHERE record_id = ? ORDER BY position", (rid,))

    def _identifiers(self, rid: str):
        for r in self._external("identifiers", rid):
            yield Identifier(r["system"], r["value"], r["note"],
                             link_builders.registry_link(r["system"], r["value"]), _provenance(r))

    def _publications(self, rid: str):
        for r in self._external("publications", rid):
            built = [("DOI", r["doi"] and link_builders.doi_link(r["doi"])),
                     ("PubMed", r["pmid"] and link_builders.pubmed_link(r["pmid"])),
                     ("PMC", r["pmcid"] and link_builders.pmc_link(r["pmcid"]))]
            yield Publication(r["title"], r["type"], r["authors"] or r["first_author"], r["journal"],
                              r["year"], r["volume"], r["pages"] or r["article"], r["doi"], r["pmid"],
                              r["pmcid"], r["note"], tuple((k, v) for k, v in built if v),
                              _provenance(r), r["link_note"])

    # ---- trees ---------------------------------------------------------------------------

    def tree_roots(self, grouping: str = "mechanism") -> list[TreeNode]:
        """The top level of a grouping tree (see GROUPINGS)."""
        return self.tree_children(grouping, None)

    def tree_children(self, grouping: str, parent: TreeNode | None, offset: int = 0,
                      limit: int = -1) -> list[TreeNode]:
        """The children of ``parent`` (None: the top level), ``limit`` at most from ``offset``.

        :raises ValueError: no grouping has this name (see desktop.data.groupings).
        """
        declared = groupings.get(grouping)
        page = (limit, offset)
        if parent is None or not parent.key:
            return page_of(declared.roots(self), page)
        return declared.children(self, parent.key, page)

    # What a grouping asks of the database (desktop.data.groupings.GroupSource).

    def rows(self, sql: str, params: tuple = ()) -> list[sqlite3.Row]:
        return self._rows(sql, params)

    def study_nodes(self, key_prefix: str, sql: str, params: tuple, page: Page) -> list[TreeNode]:
        rows = self._rows(sql + " ORDER BY s.position LIMIT ? OFFSET ?", params + page)
        return [_study_node(key_prefix, r) for r in rows]

    def remembered(self, key: str, compute: Callable[[], Any]) -> Any:
        """``compute()``, worked out once for this connection: it reads one build of the
        database (a rebuild is a new file, opened by a new Library), so a long group's later
        pages reuse what its first page counted."""
        if key not in self._remembered:
            self._remembered[key] = compute()
        return self._remembered[key]

    def mechanism_study_count(self, mechanism_id: str) -> int:
        return self._conn.execute(
            "WITH RECURSIVE sub(id) AS (SELECT ? UNION SELECT m.id FROM mechanisms m JOIN sub "
            "ON m.parent_id = sub.id) SELECT count(DISTINCT study_id) FROM study_mechanisms "
            "WHERE mechanism_id IN (SELECT id FROM sub)", (mechanism_id,)).fetchone()[0]

    def group_counts(self, grouping: str) -> dict[str, int]:
        return dict(self._rows("SELECT value, count FROM group_counts WHERE grouping = ?", (grouping,)))

    def stored_group(self, key: str, grouping: str, value: str, page: Page) -> list[TreeNode]:
        """The studies of a group worked out at build time (see schema.STORED_GROUPINGS)."""
        rows = self._rows(f"SELECT {STUDY_COLUMNS} FROM study_groups g JOIN studies s "
                          "ON s.id = g.study_id WHERE g.grouping = ? AND g.value = ? "
                          "ORDER BY g.position LIMIT ? OFFSET ?", (grouping, value) + page)
        return [_study_node(key, r) for r in rows]

    # ---- search --------------------------------------------------------------------------

    def search(self, text: str, limit: int = SEARCH_LIMIT) -> list[SearchHit]:
        """Ranked hits for what a user typed; never raises on odd input (see desktop.data.search)."""
        from desktop.data.search import search

        return search(self.search_context(), text, limit)

    def find(self, text: str, limit: int = SEARCH_LIMIT):
        """Hits plus suggestions and a corrected query when nothing matched (a search box's call).

        :returns: desktop.data.search.SearchResult
        """
        from desktop.data.search import find

        return find(self.search_context(), text, limit)

    def suggest(self, text: str, limit: int = 5) -> list[str]:
        """The nearest queries that would find something ("did you mean …?")."""
        from desktop.data.search import suggest

        return suggest(self.search_context(), text, limit)

    def glossary(self) -> list[tuple[str, str, str, list[str]]]:
        """Every glossary term as (id, term, definition, aliases), alphabetically."""
        return [(r["id"], r["term"], r["definition"], json.loads(r["aliases"] or "[]"))
                for r in self._rows("SELECT id, term, definition, aliases FROM glossary "
                                    "ORDER BY term COLLATE NOCASE")]


def _decode(kind: str, row: dict[str, Any]) -> dict[str, Any]:
    for name, (field_kind, _) in FIELDS[kind].items():
        if isinstance(field_kind, (ListOf, Table)) and isinstance(row.get(name), str):
            row[name] = json.loads(row[name])
    for name in JSON_IMPORT_COLUMNS:  # an imported study's registry words and changes
        if isinstance(row.get(name), str):
            row[name] = json.loads(row[name])
    if "parent_id" in row:
        row.pop("parent_id")
    return row


def _provenance(row: sqlite3.Row) -> Provenance:
    return Provenance(row["url"], row["kind"], row["confidence"], row["seen"])


def _registry_status(value: dict[str, Any] | None) -> RegistryStatus | None:
    if not value:
        return None
    return RegistryStatus(value["text"], Provenance(value["url"], value["kind"], value["confidence"],
                                                    value["seen"]))


def _both_ways(relation: str) -> str:
    if relation.startswith("feeds"):
        return "they feed each other" + relation[len("feeds"):]
    return relation if relation.startswith("linked with") else f"{relation}, both ways"


def _towards_this(relation: str) -> str:
    return relation if relation.startswith("linked with") else f"{relation} this one"


def _study_node(key_prefix: str, row: sqlite3.Row) -> TreeNode:
    return TreeNode(f"{key_prefix}/study:{row['id']}", "study", row["title"], row["id"], 0, False,
                    _study_detail(row["status"], row["phase"]), bool(row["crosschecked"]))


def _study_detail(status: str, phase: str | None) -> str:
    label = short_status(status)
    return f"{label} · phase {phase}" if phase else label
