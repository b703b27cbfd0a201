"""Issue 19: evidence per mechanism and the mechanism map's model and layout (no Qt)."""

import json
import sqlite3
import tomllib

import pytest

from desktop.data.evidence import RESULTS, for_library, mechanism_evidence
from desktop.data.mechanism_map import (PART_OF, build_map, cycle_ids, is_cycle_link, layout,
                                         ring_ids, text_outline)
from tests.conftest import SEEDS


@pytest.fixture
def conn(reference_db):
    c = sqlite3.connect(f"file:{reference_db}?mode=ro", uri=True)
    yield c
    c.close()


def _tree_counts(library):
    """Every mechanism node's count in the library's mechanism tree, by mechanism id."""
    counts, todo = {}, list(library.tree_roots("mechanism"))
    while todo:
        node = todo.pop()
        if node.kind == "mechanism":
            counts[node.record_id] = node.count
            todo.extend(n for n in library.tree_children("mechanism", node) if n.kind == "mechanism")
    return counts


def _studies():
    studies = {}
    for path in sorted((SEEDS / "studies").glob("*.toml")):
        for study in tomllib.loads(path.read_text())["study"]:
            studies[study["id"]] = study
    return studies


def test_every_mechanism_counts_what_the_tree_counts(library):
    counts = _tree_counts(library)
    assert len(counts) == library.count("mechanism")
    for mid, count in counts.items():
        evidence = for_library(library, mid)
        assert evidence.total == count, mid
        assert len(evidence.trial_ids) + len(evidence.other_ids) == count
        assert sum(c.count for c in evidence.by_phase) == count
        assert sum(c.count for c in evidence.by_result) == count  # every study in exactly one bucket


def test_result_buckets_follow_each_studys_outcome(library):
    studies = _studies()
    outcomes = {key: set(values) for key, _, values in RESULTS}
    evidence = for_library(library, "immune-dysregulation")
    seen = set()
    for bucket in evidence.by_result:
        for sid in bucket.study_ids:
            assert studies[sid].get("outcome") in outcomes[bucket.key], (sid, bucket.key)
            seen.add(sid)
    assert seen == set(evidence.study_ids)
    labels = {c.key: c.label for c in evidence.by_result}
    assert labels["did-not-help"] == "Did not help" and "rituxme-phase3-rct" in {
        s for c in evidence.by_result if c.key == "did-not-help" for s in c.study_ids}


def test_enrolment_adds_the_known_numbers_and_says_how_many_have_none(library):
    studies = _studies()
    evidence = for_library(library, "immune-dysregulation")
    expected = sum(studies[s]["enrollment"] for s in evidence.study_ids if "enrollment" in studies[s])
    missing = [s for s in evidence.study_ids if "enrollment" not in studies[s]]
    assert evidence.enrolled == expected > 0
    assert list(evidence.enrollment_unknown) == missing
    assert f"({len(missing)} studies give no number)" in evidence.enrolled_text()


def test_a_mechanism_with_nothing_beneath_says_so(conn):
    evidence = mechanism_evidence(conn, "endocrine")
    assert evidence.total == 0 and evidence.by_result == ()


def test_show_json_adds_the_evidence(data_dir, capsys, library):
    from desktop.cli import main

    assert main(["show", "autoimmunity", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["evidence"]["studies_beneath"] == _tree_counts(library)["autoimmunity"]
    assert {"trials", "enrolled", "by_phase", "by_result"} <= set(data["evidence"])


def test_nodes_are_every_mechanism_in_tree_order_with_the_tree_counts(conn, library):
    mechanism_map = build_map(conn)
    ids = [r[0] for r in conn.execute("SELECT id FROM mechanisms")]
    assert sorted(n.id for n in mechanism_map.nodes) == sorted(ids)
    counts = _tree_counts(library)
    for node in mechanism_map.nodes:
        assert node.count == counts[node.id]
        assert str(node.count) in node.accessible_name() and node.name in node.accessible_name()
    # a parent always comes before its children (reading and keyboard order)
    seen = set()
    for node in mechanism_map.nodes:
        assert node.parent is None or node.parent in seen
        seen.add(node.id)


def test_every_seed_link_is_an_edge_with_whose_view_it_is(conn):
    mechanism_map = build_map(conn)
    seeded = conn.execute("SELECT from_id, to_id, relation FROM mechanism_links").fetchall()
    drawn = {(e.source, e.target, e.relation) for e in mechanism_map.edges}
    drawn |= {(e.target, e.source, e.relation) for e in mechanism_map.edges if e.both_ways}
    assert set(seeded) <= drawn
    for edge in mechanism_map.edges:
        assert edge.proposed_by
        if "Nacul's view" in edge.relation:
            assert "Luis Nacul" in edge.proposed_by and "(Nacul)" in edge.label
            assert edge.sources and all("section" in s for s in edge.sources)
        if edge.relation == PART_OF:
            assert "editorial" in edge.proposed_by
    parents = {(e.source, e.target) for e in mechanism_map.edges if e.relation == PART_OF}
    assert parents == {(n.id, n.parent) for n in mechanism_map.nodes if n.parent}


def test_layout_is_deterministic_and_no_nodes_overlap(conn):
    first, second = build_map(conn), build_map(conn)
    assert first.boxes == second.boxes
    assert layout(first) == first.boxes
    boxes = list(first.boxes.values())
    assert len(boxes) == len(first.nodes)
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            assert not a.overlaps(b), (a, b)


def test_text_outline_holds_every_node_and_link(conn):
    mechanism_map = build_map(conn)
    text = "\n".join(line for _, line, _ in text_outline(mechanism_map))
    for node in mechanism_map.nodes:
        assert node.accessible_name() in text
    assert text.count("Luis Nacul's model") >= sum(1 for e in mechanism_map.edges if "Nacul" in e.relation)


def test_evidence_line_says_trials_people_and_results(library):
    from desktop.data.evidence import evidence_line

    evidence = for_library(library, "immune-dysregulation")
    line = evidence_line(evidence)
    assert f"{len(evidence.trial_ids)} trials" in line and f"{evidence.enrolled:,} people" in line
    for bucket in evidence.by_result:
        assert f"{bucket.label.lower()} {bucket.count}" in line


def test_nodes_say_their_results_so_far(conn):
    mechanism_map = build_map(conn)
    immune = mechanism_map.node("immune-dysregulation")
    did_not_help = next(c for c in immune.evidence.by_result if c.key == "did-not-help")
    assert f"did not help {did_not_help.count}" in immune.results_text()
    assert "no result yet" not in immune.results_text()  # only results, the count says the rest
    assert immune.results_text() in immune.accessible_name()
    assert mechanism_map.node("endocrine").results_text() == ""


def test_the_cycle_stands_on_a_ring_and_its_caption_says_whose_model_it_is(conn):
    mechanism_map = build_map(conn)
    cycle = conn.execute("SELECT from_id, to_id FROM mechanism_links WHERE relation LIKE 'feeds%' "
                         "OR relation LIKE '%comes before'").fetchall()
    ring = cycle_ids(mechanism_map)
    assert set(ring) == {i for pair in cycle for i in pair} and len(ring) >= 3
    on_ring = ring_ids(mechanism_map)  # the systems "feeds" links join; the rest of the cycle inside
    centres = [(b.x + b.width / 2, b.y + b.height / 2) for b in (mechanism_map.boxes[i] for i in on_ring)]
    cx, cy, rx, ry = mechanism_map.ring  # all on one ellipse, the band drawn through them
    for x, y in centres:
        assert abs(((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 - 1) < 1e-6
    for i in set(ring) - set(on_ring):
        b = mechanism_map.boxes[i]
        assert ((b.x + b.width / 2 - cx) / rx) ** 2 + ((b.y + b.height / 2 - cy) / ry) ** 2 < 0.1
    assert "Luis Nacul's model" in mechanism_map.captions[0][0]


def test_mechanisms_outside_the_cycle_stand_in_their_own_row_below_under_a_caption(conn):
    mechanism_map = build_map(conn)
    ring = set(cycle_ids(mechanism_map))
    inside_families = {n.family for n in mechanism_map.nodes if n.id in ring}
    outside = [n for n in mechanism_map.nodes if n.family not in inside_families]
    assert {"viral-persistence", "genetics", "ion-channels"} <= {n.id for n in outside}
    caption = next(c for c in mechanism_map.captions if c[0].startswith("Outside the cycle"))
    assert "not part of Luis Nacul's model" in caption[0]
    inside_bottom = max(b.y + b.height for i, b in mechanism_map.boxes.items()
                        if mechanism_map.node(i).family in inside_families)
    assert inside_bottom < caption[2] < min(mechanism_map.boxes[n.id].y for n in outside)


def _inside(box, x, y):
    return box.x < x < box.x + box.width and box.y < y < box.y + box.height


def test_part_of_lines_are_short_and_never_pass_through_a_box(conn):
    mechanism_map = build_map(conn)
    ring = set(cycle_ids(mechanism_map))
    routed = {n.id for n in mechanism_map.nodes if n.parent and not (n.id in ring and n.parent in ring)}
    assert set(mechanism_map.routes) == routed
    for child, route in mechanism_map.routes.items():
        parent = mechanism_map.node(child).parent
        length = 0.0
        for (x1, y1), (x2, y2) in zip(route, route[1:]):
            length += ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5
            for step in range(1, 40):
                x, y = x1 + (x2 - x1) * step / 40, y1 + (y2 - y1) * step / 40
                crossed = [i for i, b in mechanism_map.boxes.items() if i not in (child, parent) and _inside(b, x, y)]
                assert not crossed, (child, crossed)
        assert length < 60, (child, length)  # in em: beside its parent, not across the map


def test_every_link_is_in_the_list_with_the_other_end_and_who_proposed_it(conn):
    mechanism_map = build_map(conn)
    lines = [line for _, line, _ in text_outline(mechanism_map)]
    names = {n.id: n.name for n in mechanism_map.nodes}
    for edge in mechanism_map.edges:
        if edge.relation == PART_OF:
            continue
        assert any(names[edge.target] in line and edge.proposed_by in line for line in lines), edge
        assert is_cycle_link(edge) == ("Nacul" in edge.relation)


def _map_without(reference_db, a, b):
    """The map built from a copy of the data with the a-b "feeds" links removed (both ways)."""
    source = sqlite3.connect(f"file:{reference_db}?mode=ro", uri=True)
    copy = sqlite3.connect(":memory:")
    source.backup(copy)
    source.close()
    copy.execute("DELETE FROM mechanism_links WHERE relation LIKE 'feeds%' AND "
                 "((from_id = ? AND to_id = ?) OR (from_id = ? AND to_id = ?))", (a, b, b, a))
    try:
        return build_map(copy)
    finally:
        copy.close()


def test_the_ring_stands_for_feed_each_other_only_when_the_seeds_link_every_pair(conn, reference_db):
    from desktop.data.mechanism_map import ring_edges, ring_is_complete

    mechanism_map = build_map(conn)
    ring = ring_ids(mechanism_map)
    assert ring_is_complete(mechanism_map)
    pairs = {frozenset((e.source, e.target)) for e in ring_edges(mechanism_map)}
    assert len(pairs) == len(ring) * (len(ring) - 1) // 2  # every pair, each once, still in the model
    assert all(e.both_ways and e.sources for e in ring_edges(mechanism_map))
    broken = _map_without(reference_db, "neuroinflammation", "endocrine")
    assert not ring_is_complete(broken)  # never claim a link the seeds lack
    assert not any({e.source, e.target} == {"neuroinflammation", "endocrine"} and e.relation.startswith("feeds")
                   for e in broken.edges)


def test_the_ring_fits_a_laptop_screen_at_normal_text_size(conn):
    # At 100% one line of text (one em) is 14 px here (Sans 9 pt, measured under Xvfb), so the
    # picture area of a 1280x800 window (about 1240x680 px below the buttons and legend) is about
    # 88 em wide and 48 em tall; the ring must fit well inside, with room for its caption.
    mechanism_map = build_map(conn)
    boxes = [mechanism_map.boxes[i] for i in cycle_ids(mechanism_map)]
    assert len(boxes) >= 6
    width = max(b.x + b.width for b in boxes) - min(b.x for b in boxes)
    height = max(b.y + b.height for b in boxes) - min(b.y for b in boxes)
    assert width <= 80 and height <= 40, (width, height)
