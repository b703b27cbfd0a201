"""Library: every question the app and the CLI ask of the reference database.

Opens the database read-only with the standard ``sqlite3`` module (sqlite-utils is only needed to
build it) and answers with the plain values of :mod:`desktop.data.records`.
"""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path
from typing import Any

from desktop.data import links as link_builders
from desktop.data import schema
from desktop.data.records import (Citation, CrossCheck, ExternalFact, FiledUnder, Identifier,
                                  Provenance,
                                  Publication, Record, Ref, RegistryStatus, SearchHit, TreeNode)
from desktop.data.schema import CONDITIONS, JSON_IMPORT_COLUMNS, NOT_YET_FILED
from desktop.data.seeds import FIELDS, STUDY_STATUSES, ListOf, Table

GROUPINGS = ("mechanism", "condition", "treatment", "status", "phase", "person", "institution")
GROUPING_LABELS = {
    "mechanism": "By mechanism",
    "condition": "By condition",
    "treatment": "By treatment",
    "status": "By status",
    "phase": "By phase",
    "person": "By person",
    "institution": "By institution",
}
STATUS_LABELS = {
    "enrolling": "Enrolling",
    "ongoing": "Ongoing",
    "planned": "Planned",
    "completed": "Completed",
    "stopped": "Stopped",
    "published": "Published (reviews and studies)",
    "unknown": "Status not known",
    "preprint": "Preprint (results posted, not yet peer reviewed)",
}
_TITLE_COLUMN = {"study": "title", "term": "term", "source": "title"}
_NO_TREATMENT = "(no single treatment)"
_NO_PHASE = "(no phase)"
NO_MECHANISM = "No mechanism stated"
NOT_YET_FILED_LABEL = "Not yet filed"
NO_CONDITION = "Condition not stated"


class UnknownRecord(KeyError):
    """No record has this id."""


class Library:
    """Read-only access to one reference database."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self._conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, check_same_thread=False)
        self._conn.row_factory = sqlite3.Row
        self._kinds: dict[str, str] | None = None

    def close(self) -> None:
        self._conn.close()

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
            fields["studies_beneath"] = self._mechanism_study_count(record_id)
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

    def _refs(self, sql: str, params: tuple, kind: str) -> tuple[Ref, ...]:
        return tuple(Ref(r[0], kind, r[1], r[2] if len(r.keys()) > 2 else "")
                     for r in self._rows(sql, params))

    def _links(self, kind: str, rid: str, fields: dict[str, Any]) -> dict[str, tuple[Ref, ...]]:
        q = self._refs
        links: dict[str, tuple[Ref, ...]] = {}
        if kind == "study":
            links["treatments"] = q("SELECT t.id, t.name FROM study_treatments x JOIN treatments t "
                                    "ON t.id = x.treatment_id WHERE x.study_id = ? ORDER BY x.position",
                                    (rid,), "treatment")
            links["mechanisms"] = q("SELECT m.id, m.name FROM study_mechanisms x JOIN mechanisms m "
                                    "ON m.id = x.mechanism_id WHERE x.study_id = ? ORDER BY x.position",
                                    (rid,), "mechanism")
            links["people"] = q("SELECT p.id, p.name, x.role FROM study_people x JOIN people p "
                                "ON p.id = x.person_id WHERE x.study_id = ? ORDER BY x.position",
                                (rid,), "person")
            links["institutions"] = q("SELECT i.id, i.name FROM study_institutions x JOIN institutions i "
                                      "ON i.id = x.institution_id WHERE x.study_id = ? ORDER BY x.position",
                                      (rid,), "institution")
        elif kind == "mechanism":
            links["parent"] = q("SELECT p.id, p.name FROM mechanisms m JOIN mechanisms p "
                                "ON p.id = m.parent_id WHERE m.id = ?", (rid,), "mechanism")
            links["children"] = q("SELECT id, name FROM mechanisms WHERE parent_id = ? ORDER BY position",
                                  (rid,), "mechanism")
            links["linked"] = self._linked_mechanisms(rid)
            links["treatments"] = q("SELECT t.id, t.name FROM treatment_mechanisms x JOIN treatments t "
                                    "ON t.id = x.treatment_id WHERE x.mechanism_id = ? ORDER BY t.position",
                                    (rid,), "treatment")
            links["studies"] = q("SELECT s.id, coalesce(s.short_title, s.title) FROM study_mechanisms x JOIN studies s "
                                 "ON s.id = x.study_id WHERE x.mechanism_id = ? ORDER BY s.position",
                                 (rid,), "study")
        elif kind == "treatment":
            links["mechanisms"] = q("SELECT m.id, m.name FROM treatment_mechanisms x JOIN mechanisms m "
                                    "ON m.id = x.mechanism_id WHERE x.treatment_id = ? ORDER BY m.position",
                                    (rid,), "mechanism")
            links["studies"] = q("SELECT s.id, coalesce(s.short_title, s.title) FROM study_treatments x JOIN studies s "
                                 "ON s.id = x.study_id WHERE x.treatment_id = ? ORDER BY s.position",
                                 (rid,), "study")
        elif kind == "person":
            links["institutions"] = q("SELECT i.id, i.name FROM person_institutions x JOIN institutions i "
                                      "ON i.id = x.institution_id WHERE x.person_id = ? ORDER BY x.position",
                                      (rid,), "institution")
            links["studies"] = q("SELECT s.id, coalesce(s.short_title, s.title), x.role FROM study_people x JOIN studies s "
                                 "ON s.id = x.study_id WHERE x.person_id = ? ORDER BY s.position",
                                 (rid,), "study")
        elif kind == "institution":
            links["parent"] = q("SELECT p.id, p.name FROM institutions i JOIN institutions p "
                                "ON p.id = i.parent_id WHERE i.id = ?", (rid,), "institution")
            links["parts"] = q("SELECT id, name FROM institutions WHERE parent_id = ? ORDER BY position",
                               (rid,), "institution")
            links["people"] = q("SELECT p.id, p.name FROM person_institutions x JOIN people p "
                                "ON p.id = x.person_id WHERE x.institution_id = ? ORDER BY p.position",
                                (rid,), "person")
            links["studies"] = q("SELECT s.id, coalesce(s.short_title, s.title) FROM study_institutions x JOIN studies s "
                                 "ON s.id = x.study_id WHERE x.institution_id = ? ORDER BY s.position",
                                 (rid,), "study")
        elif kind == "term":
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
        """The children of ``parent`` (None: the top level), ``limit`` at most from ``offset``."""
        if grouping not in GROUPINGS:
            raise ValueError(f"unknown grouping {grouping!r}; choose one of {', '.join(GROUPINGS)}")
        key = parent.key if parent else ""
        page = (limit, offset)
        if grouping == "mechanism":
            return self._mechanism_children(key, page)
        if not key:
            return _page(self._group_roots(grouping), page)
        return self._studies_in_group(grouping, key, page)

    def _study_nodes(self, key_prefix: str, sql: str, params: tuple, page: tuple[int, int]) -> list[TreeNode]:
        rows = self._rows(sql + " ORDER BY s.position LIMIT ? OFFSET ?", params + page)
        return [_study_node(key_prefix, r) for r in rows]

    _STUDY_COLUMNS = ("s.id, coalesce(s.short_title, s.title) AS title, s.status, s.phase, "
                      "EXISTS (SELECT 1 FROM cross_checks c WHERE c.record_id = s.id) AS crosschecked")

    def _mechanism_children(self, key: str, page: tuple[int, int]) -> list[TreeNode]:
        parts = dict(part.split(":", 1) for part in key.split("/")) if key else {}
        if "treatment" in parts:
            return self._study_nodes(key, f"SELECT {self._STUDY_COLUMNS} FROM studies s "
                                     "JOIN study_mechanisms m ON m.study_id = s.id AND m.mechanism_id = ? "
                                     "JOIN study_treatments t ON t.study_id = s.id AND t.treatment_id = ?",
                                     (parts["mechanism"], parts["treatment"]), page)
        mechanism = parts.get("mechanism")
        if mechanism in ("", NOT_YET_FILED):  # "No mechanism stated" / imported, "Not yet filed"
            return self._stored_group(key, "mechanism", mechanism, page)
        head: list[TreeNode] = []
        for row in self._rows("SELECT id, name FROM mechanisms WHERE parent_id IS ? ORDER BY position",
                              (mechanism,)):
            head.append(TreeNode(f"mechanism:{row['id']}", "mechanism", row["name"], row["id"],
                                 self._mechanism_study_count(row["id"]), True))
        if mechanism is None:
            unfiled = self._group_counts("mechanism").get("", 0)
            if unfiled:
                head.append(TreeNode("mechanism:", "group", NO_MECHANISM, None, unfiled, True))
            waiting = self._group_counts("mechanism").get(NOT_YET_FILED, 0)
            if waiting:
                head.append(TreeNode(f"mechanism:{NOT_YET_FILED}", "group", NOT_YET_FILED_LABEL, None,
                                     waiting, True))
            return _page(head, page)
        for row in self._rows(
                "SELECT t.id, t.name, count(*) AS n FROM study_mechanisms m "
                "JOIN study_treatments x ON x.study_id = m.study_id "
                "JOIN treatments t ON t.id = x.treatment_id WHERE m.mechanism_id = ? "
                "GROUP BY t.id ORDER BY t.position", (mechanism,)):
            head.append(TreeNode(f"{key}/treatment:{row['id']}", "treatment", row["name"], row["id"],
                                 row["n"], True))
        # Then the studies filed here that test no single treatment (reviews, genetics…), paged.
        limit, offset = page
        nodes = _page(head, page)
        if limit >= 0 and len(nodes) >= limit:
            return nodes
        study_offset = max(0, offset - len(head))
        study_limit = -1 if limit < 0 else limit - len(nodes)
        return nodes + self._study_nodes(
            key, f"SELECT {self._STUDY_COLUMNS} FROM studies s "
            "JOIN study_mechanisms m ON m.study_id = s.id AND m.mechanism_id = ? "
            "WHERE NOT EXISTS (SELECT 1 FROM study_treatments x WHERE x.study_id = s.id)",
            (mechanism,), (study_limit, study_offset))

    def _mechanism_study_count(self, mechanism_id: str) -> int:
        return self._conn.execute(
            "WITH RECURSIVE sub(id) AS (SELECT ? UNION SELECT m.id FROM mechanisms m JOIN sub "
            "ON m.parent_id = sub.id) SELECT count(DISTINCT study_id) FROM study_mechanisms "
            "WHERE mechanism_id IN (SELECT id FROM sub)", (mechanism_id,)).fetchone()[0]

    def _group_counts(self, grouping: str) -> dict[str, int]:
        return dict(self._rows("SELECT value, count FROM group_counts WHERE grouping = ?", (grouping,)))

    def _stored_group(self, key: str, grouping: str, value: str, page: tuple[int, int]) -> list[TreeNode]:
        """The studies of a group worked out at build time (see schema.STORED_GROUPINGS)."""
        rows = self._rows(f"SELECT {self._STUDY_COLUMNS} FROM study_groups g JOIN studies s "
                          "ON s.id = g.study_id WHERE g.grouping = ? AND g.value = ? "
                          "ORDER BY g.position LIMIT ? OFFSET ?", (grouping, value) + page)
        return [_study_node(key, r) for r in rows]

    def _group_roots(self, grouping: str) -> list[TreeNode]:
        if grouping == "condition":
            counts = self._group_counts("condition")
            return [TreeNode(f"condition:{c}", "group", c or NO_CONDITION, None, counts[c], True)
                    for c in (*CONDITIONS, "") if counts.get(c)]
        if grouping == "status":
            counts = dict(self._rows("SELECT status, count(*) FROM studies GROUP BY status"))
            return [TreeNode(f"status:{s}", "group", STATUS_LABELS[s], None, counts[s], True)
                    for s in STUDY_STATUSES if counts.get(s)]
        if grouping == "phase":
            rows = self._rows("SELECT coalesce(phase, '') AS phase, count(*) AS n FROM studies "
                              "GROUP BY 1 ORDER BY coalesce(phase, '') = '', 1")
            return [TreeNode(f"phase:{r['phase']}", "group",
                             f"Phase {r['phase']}" if r["phase"] else _NO_PHASE, None, r["n"], True)
                    for r in rows]
        if grouping == "treatment":
            nodes = [TreeNode(f"treatment:{r['id']}", "treatment", r["name"], r["id"], r["n"], True)
                     for r in self._rows("SELECT t.id, t.name, count(x.study_id) AS n FROM treatments t "
                                         "JOIN study_treatments x ON x.treatment_id = t.id "
                                         "GROUP BY t.id ORDER BY t.position")]
            lone = self._conn.execute("SELECT count(*) FROM studies s WHERE NOT EXISTS (SELECT 1 FROM "
                                      "study_treatments x WHERE x.study_id = s.id)").fetchone()[0]
            if lone:
                nodes.append(TreeNode("treatment:", "group", _NO_TREATMENT, None, lone, True))
            return nodes
        table, link, column = {"person": ("people", "study_people", "person_id"),
                               "institution": ("institutions", "study_institutions", "institution_id")}[grouping]
        return [TreeNode(f"{grouping}:{r['id']}", grouping, r["name"], r["id"], r["n"], True)
                for r in self._rows(f"SELECT g.id, g.name, count(x.study_id) AS n FROM {table} g "
                                    f"JOIN {link} x ON x.{column} = g.id GROUP BY g.id ORDER BY g.name")]

    def _studies_in_group(self, grouping: str, key: str, page: tuple[int, int]) -> list[TreeNode]:
        value = key.split(":", 1)[1]
        base = f"SELECT {self._STUDY_COLUMNS} FROM studies s "
        if grouping == "condition":
            return self._stored_group(key, "condition", value, page)
        if grouping == "status":
            return self._study_nodes(key, base + "WHERE s.status = ?", (value,), page)
        if grouping == "phase":
            return self._study_nodes(key, base + "WHERE coalesce(s.phase, '') = ?", (value,), page)
        if grouping == "treatment":
            if not value:
                return self._study_nodes(key, base + "WHERE NOT EXISTS (SELECT 1 FROM study_treatments x "
                                         "WHERE x.study_id = s.id)", (), page)
            return self._study_nodes(key, base + "JOIN study_treatments x ON x.study_id = s.id "
                                     "WHERE x.treatment_id = ?", (value,), page)
        link, column = {"person": ("study_people", "person_id"),
                        "institution": ("study_institutions", "institution_id")}[grouping]
        return self._study_nodes(key, base + f"JOIN {link} x ON x.study_id = s.id WHERE x.{column} = ?",
                                 (value,), page)

    # ---- search --------------------------------------------------------------------------

    def search(self, text: str, limit: int = 50) -> list[SearchHit]:
        """Ranked hits for what a user typed; never raises on odd input (see desktop.data.search)."""
        from desktop.data.search import search

        return search(self._conn, text, limit)

    def find(self, text: str, limit: int = 50):
        """Hits plus suggestions and a corrected query when nothing matched (a search box's call).

        :returns: desktop.data.search.SearchResult
        """
        from desktop.data.search import find

        return find(self._conn, text, limit)

    def suggest(self, text: str, limit: int = 5) -> list[str]:
        """The nearest queries that would find something ("did you mean …?")."""
        from desktop.data.search import suggest

        return suggest(self._conn, text, limit)

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


def _page(nodes: list[TreeNode], page: tuple[int, int]) -> list[TreeNode]:
    limit, offset = page
    return nodes[offset:] if limit < 0 else nodes[offset:offset + limit]


def _study_node(key_prefix: str, row: sqlite3.Row) -> TreeNode:
    return TreeNode(f"{key_prefix}/study:{row['id']}", "study", row["title"], row["id"], 0, False,
                    _study_detail(row["status"], row["phase"]), bool(row["crosschecked"]))


def _study_detail(status: str, phase: str | None) -> str:
    label = STATUS_LABELS.get(status, status).split(" (")[0]
    return f"{label} · phase {phase}" if phase else label
