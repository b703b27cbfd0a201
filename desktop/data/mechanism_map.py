"""The mechanism map as plain data: nodes, attributed links, and a layout computed from the data.

Nodes are every mechanism. Each top-level mechanism heads a column ("family"); its sub-mechanisms
stand below it, indented by depth, in the tree's order. That reads at a glance like the tree the
reader already knows, keeps every node (the links reach sub-mechanisms such as the autonomic
nervous system), and needs no iterative placement: the same data always gives the same picture.
Sizes are in text lines ("em"), so the picture grows with the text size. No Qt here.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field

from desktop.data.evidence import Evidence, mechanism_evidence

EDITORIAL = "trialtree-editorial"
PART_OF = "part of"
# Layout, in em (one line of text): node size, indentation per level, gaps between nodes.
NODE_WIDTH = 15.0
NODE_HEIGHT = 6.2  # name (2 lines), count, results (2 lines)
INDENT = 1.2
ROW_GAP = 1.2
COLUMN_GAP = 4.0
BAND_GAP = 4.0
COLUMNS_PER_BAND = 6  # today's seeds list the six systems of Nacul's cycle first: one row
RESULT_KEYS = ("helped", "early-signal", "mixed", "did-not-help")  # results, not "none yet"
_VIEW = re.compile(r"in ([A-Z][\w-]+)'s view")
_BRACKET = re.compile(r"\(([^)]*)\)")


@dataclass(frozen=True)
class Node:
    id: str
    name: str
    summary: str
    parent: str | None
    depth: int
    family: str                # the top-level mechanism this one sits under
    evidence: Evidence

    @property
    def count(self) -> int:    # the tree's count: every study beneath, once
        return self.evidence.total

    def accessible_name(self) -> str:
        """What a screen reader says: name, then the counts, then any results."""
        e = self.evidence
        text = (f"{self.name}: {e.total} trials and studies beneath "
                f"({len(e.trial_ids)} trials, {len(e.other_ids)} other studies)")
        return f"{text}; {self.results_text()}" if self.results_text() else text

    def results_text(self) -> str:
        """The results so far, e.g. 'early signal 3, did not help 4' (empty if none yet): where
        the evidence is thick or thin, at a glance."""
        words = {"mixed": "mixed"}  # "mixed result 1" reads oddly in a list of results
        return ", ".join(f"{words.get(c.key, c.label.lower())} {c.count}" for c in self.evidence.by_result
                         if c.key in RESULT_KEYS)


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    relation: str              # the seed's words, e.g. "feeds (vicious cycle, in Nacul's view)"
    both_ways: bool            # the seeds give the same relation in both directions
    proposed_by: str           # who holds this model, in plain words
    sources: tuple[str, ...]   # the source titles (and sections) the link comes from

    @property
    def label(self) -> str:
        """The short words drawn on the arrow, with whose view it is."""
        words = _BRACKET.sub("", _VIEW.sub("", self.relation)).strip(" ,")
        if self.both_ways and words.startswith("feeds"):
            words = "feed each other"
        return f"{words} ({self.proposed_by_short})" if self.proposed_by_short else words

    @property
    def proposed_by_short(self) -> str:
        view = _VIEW.search(self.relation)
        if view:
            return view.group(1)
        if self.relation == PART_OF:
            return "TrialTree"
        bracket = [b for b in _BRACKET.findall(self.relation) if "review" in b or "study" in b]
        return bracket[0] if bracket else "as reported"


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float = NODE_WIDTH
    height: float = NODE_HEIGHT

    def overlaps(self, other: Box) -> bool:
        return (self.x < other.x + other.width and other.x < self.x + self.width
                and self.y < other.y + other.height and other.y < self.y + self.height)


@dataclass
class MechanismMap:
    nodes: list[Node] = field(default_factory=list)        # in reading (and keyboard) order
    edges: list[Edge] = field(default_factory=list)
    boxes: dict[str, Box] = field(default_factory=dict)    # node id -> place, in em

    def node(self, node_id: str) -> Node:
        return next(n for n in self.nodes if n.id == node_id)

    def families(self) -> list[list[Node]]:
        out: dict[str, list[Node]] = {}
        for n in self.nodes:
            out.setdefault(n.family, []).append(n)
        return list(out.values())


def _people(conn: sqlite3.Connection) -> dict[str, str]:
    """Surname -> full name, for saying whose view a link is."""
    return {name.split()[-1]: name for (name,) in conn.execute("SELECT name FROM people")}


def _source_titles(conn: sqlite3.Connection, record_id: str) -> tuple[str, ...]:
    rows = conn.execute(
        "SELECT s.title, coalesce(h.heading, x.section) FROM record_sources x JOIN sources s "
        "ON s.id = x.source_id LEFT JOIN source_sections h ON h.source_id = x.source_id "
        "AND h.key = x.section WHERE x.record_id = ? AND x.source_id != ? ORDER BY x.position",
        (record_id, EDITORIAL))
    return tuple(f"{title} (section: {section})" for title, section in rows)


def _proposed_by(relation: str, people: dict[str, str]) -> str:
    view = _VIEW.search(relation)
    if view:
        return f"{people.get(view.group(1), view.group(1))}'s model, as reported"
    if relation == PART_OF:
        return "TrialTree's own grouping of mechanisms (editorial)"
    bracket = [b for b in _BRACKET.findall(relation) if "review" in b or "study" in b]
    if bracket:
        return f"the {bracket[0]}, as reported"
    return "as the cited sources report it"


def build_map(conn: sqlite3.Connection) -> MechanismMap:
    """Nodes, edges and layout for the whole mechanism tree."""
    rows = conn.execute("SELECT id, name, summary, parent_id FROM mechanisms ORDER BY position").fetchall()
    children: dict[str | None, list[tuple]] = {}
    for row in rows:
        children.setdefault(row[3], []).append(row)
    result = MechanismMap()

    def walk(parent: str | None, depth: int, family: str | None) -> None:
        for mid, name, summary, parent_id in children.get(parent, []):
            fam = family or mid
            result.nodes.append(Node(mid, name, summary or "", parent_id, depth, fam,
                                     mechanism_evidence(conn, mid)))
            walk(mid, depth + 1, fam)

    walk(None, 0, None)
    people = _people(conn)
    links = conn.execute("SELECT from_id, to_id, relation FROM mechanism_links "
                         "ORDER BY from_id, to_id, relation").fetchall()
    present = {(a, b, r) for a, b, r in links}
    order = {n.id: i for i, n in enumerate(result.nodes)}
    for a, b, relation in sorted(links, key=lambda link: (order[link[0]], order[link[1]], link[2])):
        back = (b, a, relation) in present
        if back and order[b] < order[a]:
            continue  # drawn once, from the earlier node, as a two-way arrow
        result.edges.append(Edge(a, b, relation, back, _proposed_by(relation, people),
                                 _source_titles(conn, a)))
    for n in result.nodes:
        if n.parent:
            result.edges.append(Edge(n.id, n.parent, PART_OF, False, _proposed_by(PART_OF, people), ()))
    result.boxes = layout(result)
    return result


def layout(mechanism_map: MechanismMap) -> dict[str, Box]:
    """Families in bands of columns, members stacked and indented: a pure function of the data."""
    boxes: dict[str, Box] = {}
    families = mechanism_map.families()
    band_top = 0.0
    for start in range(0, len(families), COLUMNS_PER_BAND):
        band = families[start:start + COLUMNS_PER_BAND]
        width = NODE_WIDTH + INDENT * max((n.depth for f in band for n in f), default=0)
        for column, family in enumerate(band):
            x0 = column * (width + COLUMN_GAP)
            for row, node in enumerate(family):
                boxes[node.id] = Box(x0 + node.depth * INDENT, band_top + row * (NODE_HEIGHT + ROW_GAP))
        band_top += max(len(f) for f in band) * (NODE_HEIGHT + ROW_GAP) + BAND_GAP
    return boxes


def map_for_library(library) -> MechanismMap:
    """The map from an open :class:`desktop.data.library.Library`."""
    return build_map(library._conn)  # read-only; the library owns the connection


def text_outline(mechanism_map: MechanismMap) -> list[tuple[int, str, str | None]]:
    """The map as a nested list (depth, line, mechanism id or None): each mechanism with its
    counts, then its results and its links."""
    lines: list[tuple[int, str, str | None]] = []
    names = {n.id: n.name for n in mechanism_map.nodes}
    for node in mechanism_map.nodes:
        e = node.evidence
        lines.append((node.depth, node.accessible_name(), node.id))
        results = "; ".join(f"{c.label}: {c.count}" for c in e.by_result)
        if results:
            lines.append((node.depth + 1, f"Results: {results}", None))
        for edge in mechanism_map.edges:
            if edge.relation == PART_OF:
                continue
            if edge.source == node.id or (edge.both_ways and edge.target == node.id):
                other = edge.target if edge.source == node.id else edge.source
                line = f"{edge.label.split(' (')[0]}: {names[other]} ({edge.proposed_by})"
                lines.append((node.depth + 1, line, None))
    return lines
