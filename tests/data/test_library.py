"""Library queries: records with their links, and the grouping trees."""

import pytest

from desktop.data.library import GROUPINGS, UnknownRecord


def _walk(library, grouping, node=None):
    for child in library.tree_children(grouping, node):
        yield child
        if child.has_children:
            yield from _walk(library, grouping, child)


def _studies_under(library, grouping, node):
    return [n.record_id for n in _walk(library, grouping, node) if n.kind == "study"]


def test_mechanism_tree_top_level_is_the_top_level_mechanisms(library, seeds):
    roots = library.tree_roots("mechanism")
    assert [n.record_id for n in roots if n.kind == "mechanism"] == [
        m["id"] for m in seeds.records["mechanism"] if "parent" not in m]


def test_each_node_counts_the_distinct_studies_beneath_it(library):
    for grouping in GROUPINGS:
        for node in _walk(library, grouping):
            if node.has_children:
                assert node.count == len(set(_studies_under(library, grouping, node))), node.key


def test_a_multi_mechanism_study_appears_under_each_of_its_mechanisms(library, seeds):
    study = next(s for s in seeds.records["study"] if len(s.get("mechanisms", [])) > 1)
    nodes = [n for n in _walk(library, "mechanism") if n.record_id == study["id"]]
    # A study node's key starts with the mechanism it is filed under: "mechanism:ID/…/study:ID".
    filed_under = {n.key.split("/")[0].removeprefix("mechanism:") for n in nodes}
    assert filed_under == set(study["mechanisms"])


@pytest.mark.parametrize("grouping", [g for g in GROUPINGS if g != "mechanism"])
def test_every_grouping_lists_each_study_once_per_group(library, seeds, grouping):
    for root in library.tree_roots(grouping):
        studies = _studies_under(library, grouping, root)
        assert len(studies) == len(set(studies)), root.key
    if grouping in ("status", "phase", "treatment"):
        listed = [s for root in library.tree_roots(grouping)
                  for s in _studies_under(library, grouping, root)]
        everyone = {s["id"] for s in seeds.records["study"]}
        if grouping == "treatment":
            assert set(listed) == everyone
        else:  # status and phase split the studies: each appears exactly once
            assert sorted(listed) == sorted(everyone)


def test_tree_children_pages_without_gaps_or_repeats(library):
    root = max(library.tree_roots("status"), key=lambda n: n.count)
    whole = library.tree_children("status", root)
    paged = []
    while True:
        page = library.tree_children("status", root, offset=len(paged), limit=2)
        if not page:
            break
        paged += page
    assert paged == whole


def test_record_of_a_study_has_its_links_and_citation(library):
    record = library.record("resetme-daratumumab-phase2-rct")
    assert record.kind == "study" and record.summary
    assert record.get("enrollment") == 66
    assert [r.id for r in record.links["treatments"]] == ["daratumumab"]
    assert record.citations and record.citations[0].section


def test_record_of_a_treatment_lists_its_studies(library):
    record = library.record("daratumumab")
    assert {"daratumumab-pilot", "resetme-daratumumab-phase2-rct"} <= {
        r.id for r in record.links["studies"]}


def test_unknown_record_raises(library):
    with pytest.raises(UnknownRecord):
        library.record("no-such-id")


def test_study_nodes_flag_the_studies_with_cross_checks(library, seeds):
    expected = {s["id"] for s in seeds.records["study"] if s.get("cross_checks")}
    flagged = {n.record_id for root in library.tree_roots("status")
               for n in library.tree_children("status", root) if n.crosschecked}
    assert expected and flagged == expected
