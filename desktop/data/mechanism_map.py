"""The mechanism map as plain data: nodes, attributed links, and a layout computed from the data.

Nodes are every mechanism. The report's central idea is a cycle of body systems feeding each
other, so the systems that "feeds" links join stand on a ring (an ellipse shaped like a screen, so
it fits a laptop window at 100% text), in the tree's order; a system the cycle touches only by
"comes before" stands inside the ring. Each ring system's own parts stand as smaller boxes in a block beside it, outside the
ring (left or right, whichever side it is on), so "part of" needs only short lines. Mechanisms
outside the cycle stand in a separate row below, under a caption that says so. No iterative
placement: the same data always gives the same picture. Sizes are in text lines ("em"), so the
picture grows with the text size. No Qt here.
"""

from __future__ import annotations

import math
import re
import sqlite3
from dataclasses import dataclass, field

from desktop.data.evidence import Evidence, mechanism_evidence

EDITORIAL = "trialtree-editorial"
PART_OF = "part of"
# Layout, in em (one line of text): node size, indentation per level, gaps between nodes.
NODE_WIDTH = 13.0     # narrow enough that the ring fits a laptop screen at 100% text
NODE_HEIGHT = 6.2  # name (2 lines), count, results (2 lines)
INDENT = 1.2
ROW_GAP = 1.2
COLUMN_GAP = 4.0
BAND_GAP = 4.0
COLUMNS_PER_BAND = 6  # families per row outside the cycle
PART_WIDTH = 13.0     # the smaller boxes for a ring system's parts
PART_GAP = 0.8
RING_GAP = 3.0        # at least this much room between two ring boxes
RING_ASPECT = 45 / 21  # the ring's shape: as wide as a 1280x800 window's picture area is
SIDE_GAP = 3.0        # between the ring and the blocks of parts beside it
CAPTION_HEIGHT = 2.5
CYCLE_WORDS = ("feeds", "comes before")  # the links that make up the cycle
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
    captions: list[tuple[str, float, float]] = field(default_factory=list)  # (words, x, y) in em
    routes: dict[str, list[tuple[float, float]]] = field(default_factory=dict)  # part -> its "part of" line
    ring: tuple[float, float, float, float] | None = None  # (centre x, centre y, radius x, radius y) in em

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
    result.boxes, result.captions = arrange(result)
    result.ring = ring_geometry(result)
    ring = set(cycle_ids(result))
    result.routes = {n.id: part_of_route(result, n.id) for n in result.nodes
                     if n.parent and not (n.id in ring and n.parent in ring)}
    return result


def is_cycle_link(edge: Edge) -> bool:
    return any(edge.relation.startswith(w) or edge.relation.endswith(w) for w in CYCLE_WORDS)


def cycle_ids(mechanism_map: MechanismMap) -> list[str]:
    """The systems on the ring: every node a cycle link touches, in the tree's order."""
    touched = {i for e in mechanism_map.edges if is_cycle_link(e) for i in (e.source, e.target)}
    return [n.id for n in mechanism_map.nodes if n.id in touched]


def ring_ids(mechanism_map: MechanismMap) -> list[str]:
    """The systems on the ring itself: those a "feeds" link touches, in the tree's order. Other
    systems of the cycle (touched only by "comes before") stand inside the ring."""
    touched = {i for e in mechanism_map.edges if e.relation.startswith("feeds") for i in (e.source, e.target)}
    return [n.id for n in mechanism_map.nodes if n.id in touched]


def cycle_model(mechanism_map: MechanismMap) -> str:
    """Whose model the cycle is, e.g. "Luis Nacul's model, as reported" (empty without a cycle)."""
    return next((e.proposed_by for e in mechanism_map.edges if is_cycle_link(e)), "")


def is_other_link(edge: Edge) -> bool:
    """A link that is neither part of the cycle nor "part of" (e.g. "linked with")."""
    return edge.relation != PART_OF and not is_cycle_link(edge)


def ring_edges(mechanism_map: MechanismMap) -> list[Edge]:
    """The two-way "feeds" links between two systems on the ring (each pair once)."""
    ring = set(cycle_ids(mechanism_map))
    return [e for e in mechanism_map.edges if e.both_ways and e.relation.startswith("feeds")
            and e.source in ring and e.target in ring]


def ring_is_complete(mechanism_map: MechanismMap) -> bool:
    """True only when the seeds say every system on the ring feeds every other, both ways: then
    the ring itself can stand for all those links instead of one line per pair."""
    ring = ring_ids(mechanism_map)
    pairs = {frozenset((e.source, e.target)) for e in ring_edges(mechanism_map)}
    return len(ring) >= 3 and all(frozenset((a, b)) in pairs for i, a in enumerate(ring) for b in ring[i + 1:])


def ring_geometry(mechanism_map: MechanismMap) -> tuple[float, float, float, float] | None:
    """The ellipse through the ring boxes' centres: (centre x, centre y, radius x, radius y), read
    back from where :func:`_ring` put them (the first at the top, then clockwise)."""
    ids = ring_ids(mechanism_map)
    if len(ids) < 3:
        return None
    centres = [(b.x + b.width / 2, b.y + b.height / 2) for b in (mechanism_map.boxes[i] for i in ids)]
    angles = [_angle(i, len(ids)) for i in range(len(ids))]
    cosines, sines = [math.cos(a) for a in angles], [math.sin(a) for a in angles]
    rx = (max(x for x, _ in centres) - min(x for x, _ in centres)) / (max(cosines) - min(cosines))
    ry = (max(y for _, y in centres) - min(y for _, y in centres)) / (max(sines) - min(sines))
    return (centres[0][0] - rx * math.cos(angles[0]), centres[0][1] - ry * math.sin(angles[0]), rx, ry)


def _angle(i: int, n: int) -> float:
    """Clockwise from half a step right of the top, so no box sits straight above or below the
    centre (where its parts' lines would have to cross the picture)."""
    return -math.pi / 2 + math.pi / n + 2 * math.pi * i / n


def _ring_at(ids: list[str], rx: float, ry: float, inside: list[str] = ()) -> dict[str, Box]:
    """The ring boxes on the ellipse, and the ``inside`` ones stacked at its centre."""
    boxes = {}
    stack = len(inside) * NODE_HEIGHT + (len(inside) - 1) * RING_GAP
    for row, nid in enumerate(inside):
        boxes[nid] = Box(-NODE_WIDTH / 2, -stack / 2 + row * (NODE_HEIGHT + RING_GAP))
    for i, nid in enumerate(ids):
        angle = _angle(i, len(ids))
        boxes[nid] = Box(rx * math.cos(angle) - NODE_WIDTH / 2, ry * math.sin(angle) - NODE_HEIGHT / 2)
    return boxes


def _roomy(boxes: dict[str, Box]) -> bool:
    roomy = [Box(b.x - RING_GAP / 2, b.y - RING_GAP / 2, b.width + RING_GAP, b.height + RING_GAP)
             for b in boxes.values()]
    return not any(a.overlaps(b) for i, a in enumerate(roomy) for b in roomy[i + 1:])


def _ring(ids: list[str], inside: list[str] = ()) -> dict[str, Box]:
    """Boxes centred on an ellipse, clockwise: the smallest one (wider than tall,
    like a screen) on which no two boxes come closer than RING_GAP. Searched on a fixed grid of
    quarter-em steps, so the same data always gives the same ring."""
    best = None
    for ry_steps in range(1, 241):
        ry = ry_steps / 4
        if best is not None and 2 * ry + NODE_HEIGHT > best[0]:
            break  # only taller from here on
        rx = next((s / 4 for s in range(1, 481) if _roomy(_ring_at(ids, s / 4, ry, inside))), None)
        if rx is None:
            continue
        size = max((2 * rx + NODE_WIDTH) / RING_ASPECT, 2 * ry + NODE_HEIGHT)
        if best is None or size < best[0] - 1e-9:
            best = (size, rx, ry)
    _, rx, ry = best
    return _ring_at(ids, rx, ry, inside)


def _parts_block(parts: list[Node], base_depth: int, x: float, y: float, leftwards: bool) -> dict[str, Box]:
    """A ring system's parts: smaller boxes indented by depth, in one column, or two when there
    are many (each branch kept whole in one column, so its "part of" lines stay short)."""
    branches: list[list[Node]] = []
    for node in parts:
        if node.depth == base_depth + 1 or not branches:
            branches.append([])
        branches[-1].append(node)
    half = len(parts) if len(parts) <= 4 else math.ceil(len(parts) / 2)
    columns: list[list[Node]] = [[]]
    for branch in branches:
        if columns[-1] and len(columns[-1]) >= half:
            columns.append([])
        columns[-1].extend(branch)
    width = PART_WIDTH + INDENT * max(max(n.depth - base_depth - 1, 0) for n in parts) + SIDE_GAP
    boxes = {}
    for c, column in enumerate(columns):
        left = x - (len(columns) - c) * width + SIDE_GAP if leftwards else x + c * width
        for row, node in enumerate(column):
            boxes[node.id] = Box(left + INDENT * max(node.depth - base_depth - 1, 0),
                                 y + row * (NODE_HEIGHT + PART_GAP), PART_WIDTH)
    return boxes


def part_of_route(mechanism_map: MechanismMap, child: str) -> list[tuple[float, float]]:
    """The "part of" line from a part to its parent, as points in em, drawn like a tree view.

    Within a column the line runs in the indent gutter left of the child. From a ring system to
    its first-level parts it runs out from the system's side, along the top of the block of parts,
    and down the gutter of the part's column: short, and never through a box."""
    boxes = mechanism_map.boxes
    node = mechanism_map.node(child)
    c, p = boxes[child], boxes[node.parent]
    mid = c.y + c.height / 2
    gutter = c.x - INDENT / 2
    if p.y < c.y and p.x + INDENT / 2 < c.x and p.x < gutter < c.x and p.x + p.width > gutter:
        return [(c.x, mid), (gutter, mid), (gutter, p.y + p.height)]  # the parent stands above
    near_side = c.x if c.x > p.x else c.x + c.width
    side = p.x + p.width if c.x > p.x else p.x
    lo, hi = sorted((side, near_side))
    if p.y < mid < p.y + p.height and not any(
            b.y < mid < b.y + b.height and b.x < hi and b.x + b.width > lo
            for other, b in boxes.items() if other not in (child, node.parent)):
        return [(side, mid), (near_side, mid)]  # side by side with nothing between: straight across
    block = [b for n in mechanism_map.nodes if n.parent == node.parent and n.id in boxes
             for b in [boxes[n.id]]]
    top = min(b.y for b in block) - PART_GAP
    rightwards = c.x > p.x
    near = (min(b.x for b in block) - INDENT / 2 - PART_GAP) if rightwards \
        else (max(b.x + b.width for b in block) + PART_GAP)
    level = p.y + p.height / 2
    return [(side, level), (near, level), (near, top), (gutter, top), (gutter, mid), (c.x, mid)]


def layout(mechanism_map: MechanismMap) -> dict[str, Box]:
    """The boxes only (captions go to ``mechanism_map.captions`` via :func:`arrange`)."""
    return arrange(mechanism_map)[0]


def arrange(mechanism_map: MechanismMap) -> tuple[dict[str, Box], list[tuple[str, float, float]]]:
    """The cycle on a ring, parts beside their system, the rest in a row below: a pure function."""
    ring = cycle_ids(mechanism_map)
    on_ring = ring_ids(mechanism_map)
    boxes = _ring(on_ring, [i for i in ring if i not in on_ring]) if len(on_ring) >= 3 else {}
    by_id = {n.id: n for n in mechanism_map.nodes}
    owner: dict[str, str] = {}  # part -> the ring system it stands beside
    for node in mechanism_map.nodes:
        if node.id not in boxes and node.parent in boxes:
            owner[node.id] = node.parent
        elif node.id not in boxes and node.parent in owner:
            owner[node.id] = owner[node.parent]
    first_on_ring = {}
    for nid in ring:
        first_on_ring.setdefault(by_id[nid].family, nid)
    for node in mechanism_map.nodes:  # e.g. a family head whose part is on the ring but not itself
        if node.id not in boxes and node.id not in owner and node.family in first_on_ring:
            owner[node.id] = first_on_ring[node.family]
    if boxes:
        right = max(b.x + b.width for b in boxes.values()) + SIDE_GAP
        left = min(b.x for b in boxes.values()) - SIDE_GAP
        top = {True: -math.inf, False: -math.inf}  # where the next block may start, per side
        for nid in sorted(ring, key=lambda i: (boxes[i].y, ring.index(i))):
            parts = [n for n in mechanism_map.nodes if owner.get(n.id) == nid]
            if not parts:
                continue
            leftwards = boxes[nid].x + NODE_WIDTH / 2 < -1e-9
            y = max(boxes[nid].y, top[leftwards])
            block = _parts_block(parts, by_id[nid].depth, left if leftwards else right, y, leftwards)
            boxes.update(block)
            top[leftwards] = max(b.y + b.height for b in block.values()) + 2 * PART_GAP
    captions: list[tuple[str, float, float]] = []
    if boxes:
        x0, y0 = min(b.x for b in boxes.values()), min(b.y for b in boxes.values())
        boxes = {i: Box(b.x - x0, b.y - y0 + CAPTION_HEIGHT, b.width, b.height) for i, b in boxes.items()}
        captions.append((f"The cycle: body systems that feed each other ({cycle_model(mechanism_map)}). "
                         "Smaller boxes beside a system are its parts.", 0.0, 0.0))
    rest = [f for f in mechanism_map.families() if not any(n.id in boxes for n in f)]
    band_top = (max(b.y + b.height for b in boxes.values()) + BAND_GAP) if boxes else 0.0
    if rest and boxes:
        captions.append((f"Outside the cycle: not part of {cycle_model(mechanism_map).split(',')[0]}.",
                         0.0, band_top))
        band_top += CAPTION_HEIGHT
    for start in range(0, len(rest), COLUMNS_PER_BAND):
        band = rest[start:start + COLUMNS_PER_BAND]
        width = NODE_WIDTH + INDENT * max((n.depth for f in band for n in f), default=0)
        for column, family in enumerate(band):
            for row, node in enumerate(family):
                boxes[node.id] = Box(column * (width + COLUMN_GAP) + node.depth * INDENT,
                                     band_top + row * (NODE_HEIGHT + ROW_GAP))
        band_top += max(len(f) for f in band) * (NODE_HEIGHT + ROW_GAP) + BAND_GAP
    return boxes, captions


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
