"""The grouping registry: one declaration makes a grouping whole (tree, header, menu, paths)."""

import pytest

from desktop.data import groupings
from desktop.data.groupings import by_column, tree_paths


@pytest.fixture
def by_kind(monkeypatch):
    """One more grouping, declared here only: studies by their kind (trial, pilot, review…)."""
    declared = by_column("kind", "By kind of study", "Kind of study → trial", "kind",
                         lambda value: value.capitalize() or "Kind not stated")
    monkeypatch.setitem(groupings.REGISTRY, "kind", declared)
    return declared


def _walk(library, grouping, node=None):
    for child in library.tree_children(grouping, node):
        yield child
        if child.has_children:
            yield from _walk(library, grouping, child)


def test_a_grouping_declared_once_is_a_whole_tree(library, seeds, by_kind):
    kinds = {s["kind"] for s in seeds.records["study"]}
    roots = library.tree_roots("kind")
    assert [r.key for r in roots] == [f"kind:{k}" for k in sorted(kinds)]
    for root in roots:
        studies = [n.record_id for n in _walk(library, "kind", root) if n.kind == "study"]
        assert sorted(studies) == sorted(s["id"] for s in seeds.records["study"]
                                         if s["kind"] == root.key.removeprefix("kind:"))
        assert root.count == len(studies)
    assert "kind" in groupings.names()
    assert groupings.get("kind").header == "Kind of study → trial"


def test_a_declared_grouping_knows_where_each_study_sits(library, seeds, by_kind):
    study = seeds.records["study"][0]
    path = tree_paths("kind", library.record(study["id"]), library.record)[0]
    assert path == [f"kind:{study['kind']}", f"kind:{study['kind']}/study:{study['id']}"]
    children = library.tree_children("kind", next(r for r in library.tree_roots("kind")
                                                  if r.key == path[0]))
    assert path[1] in [c.key for c in children]


def test_the_tree_header_and_menu_come_from_the_registry():
    from desktop.data.library import GROUPING_LABELS, GROUPINGS

    assert GROUPINGS == tuple(groupings.REGISTRY)
    assert GROUPING_LABELS["condition"] == "By condition"
    assert groupings.REGISTRY["condition"].header == "ME/CFS or long COVID → trial"


def test_an_unknown_grouping_is_named_in_the_error(library):
    with pytest.raises(ValueError, match="unknown grouping 'colour'; choose one of mechanism"):
        library.tree_roots("colour")


def test_a_mechanisms_later_pages_reuse_what_its_first_page_worked_out(library, monkeypatch):
    """Qt fetches a long group page after page on one click; each page must not count the
    mechanism's treatments again (that doubled the tree benchmark's expand time)."""
    from desktop.data.library import Library

    mechanism = max((node for node in library.tree_children("mechanism", None)),
                    key=lambda node: len(library.tree_children("mechanism", node)))
    whole = library.tree_children("mechanism", mechanism)
    assert len(whole) >= 4
    fresh = Library(library.path)
    asked: list[str] = []
    rows = Library.rows
    monkeypatch.setattr(Library, "rows", lambda self, sql, params=(): asked.append(sql) or rows(self, sql, params))
    first = fresh.tree_children("mechanism", mechanism, 0, 2)
    queries_for_first = len(asked)
    rest = fresh.tree_children("mechanism", mechanism, 2, len(whole))
    assert queries_for_first > 0 and len(asked) == queries_for_first
    assert [n.key for n in first + rest] == [n.key for n in whole]
    fresh.close()
