"""The grouping tree model: what it shows for the real seeds, and that it stays lazy."""

from __future__ import annotations

from collections import Counter, defaultdict

import pytest
from PySide6.QtCore import QModelIndex, Qt

from desktop.data.library import GROUPINGS
from desktop.data.records import TreeNode
from desktop.models.roles import Role
from desktop.models.tree_model import TreeModel


def fetch_all(model: TreeModel, parent: QModelIndex = QModelIndex()) -> None:
    while model.canFetchMore(parent):
        model.fetchMore(parent)
    for row in range(model.rowCount(parent)):
        fetch_all(model, model.index(row, 0, parent))


def walk(model: TreeModel, parent: QModelIndex = QModelIndex(), ancestors=()):
    """Yield (index, ancestor indexes) for every loaded node, depth first."""
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        yield index, ancestors
        yield from walk(model, index, ancestors + (index,))


def study_ids_under(model: TreeModel, parent: QModelIndex) -> list[str]:
    return [index.data(Role.RecordId) for index, _ in walk(model, parent)
            if index.data(Role.Kind) == "study"]


def mechanism_subtree(sql, mechanism_id: str) -> set[str]:
    children = defaultdict(list)
    for child, parent in sql("SELECT id, parent_id FROM mechanisms"):
        children[parent].append(child)
    found, todo = set(), [mechanism_id]
    while todo:
        current = todo.pop()
        found.add(current)
        todo.extend(children[current])
    return found


@pytest.mark.parametrize("grouping", GROUPINGS)
def test_every_grouping_passes_the_model_tester(qtmodeltester, library, grouping):
    model = TreeModel(library, grouping)
    qtmodeltester.check(model)
    fetch_all(model)
    qtmodeltester.check(model)


def test_top_level_is_the_top_level_mechanisms_with_their_study_counts(library, sql):
    model = TreeModel(library, "mechanism")
    expected = [row[0] for row in sql("SELECT id FROM mechanisms WHERE parent_id IS NULL ORDER BY position")]
    rows = [model.index(row, 0) for row in range(model.rowCount())]
    rows = [index for index in rows if index.data(Role.Kind) == "mechanism"]
    assert [index.data(Role.RecordId) for index in rows] == expected
    links = sql("SELECT study_id, mechanism_id FROM study_mechanisms")
    for index in rows:
        subtree = mechanism_subtree(sql, index.data(Role.RecordId))
        count = len({study for study, mechanism in links if mechanism in subtree})
        assert index.data(Role.Count) == count, index.data(Role.Title)
        assert index.data() == f"{index.data(Role.Title)} ({count})"


def test_every_count_matches_the_distinct_studies_beneath(library):
    model = TreeModel(library, "mechanism")
    fetch_all(model)
    for index, _ in walk(model):
        if index.data(Role.Kind) != "study":
            assert index.data(Role.Count) == len(set(study_ids_under(model, index))), index.data(Role.Key)


def test_a_study_with_several_mechanisms_appears_under_each(library, sql):
    multi = defaultdict(set)
    for study, mechanism in sql("SELECT study_id, mechanism_id FROM study_mechanisms"):
        multi[study].add(mechanism)
    multi = {study: mechanisms for study, mechanisms in multi.items() if len(mechanisms) > 1}
    assert multi, "the seeds should have at least one study filed under two mechanisms"
    model = TreeModel(library, "mechanism")
    fetch_all(model)
    filed_under = defaultdict(set)  # study → mechanisms that hold it directly
    for index, ancestors in walk(model):
        mechanisms = [a for a in ancestors if a.data(Role.Kind) == "mechanism"]
        if index.data(Role.Kind) == "study" and mechanisms:  # else under "No mechanism stated"
            filed_under[index.data(Role.RecordId)].add(mechanisms[-1].data(Role.RecordId))
    for study, mechanisms in multi.items():
        assert filed_under[study] == mechanisms, study


def test_mechanism_tree_lists_each_study_once_per_mechanism_and_treatment(library, sql):
    model = TreeModel(library, "mechanism")
    fetch_all(model)
    treatments = defaultdict(set)
    for study, treatment in sql("SELECT study_id, treatment_id FROM study_treatments"):
        treatments[study].add(treatment)
    expected = Counter()
    for study, mechanism in sql("SELECT study_id, mechanism_id FROM study_mechanisms"):
        for treatment in treatments[study] or {None}:
            expected[(mechanism, treatment, study)] += 1
    for (study,) in sql("SELECT id FROM studies WHERE id NOT IN (SELECT study_id FROM study_mechanisms)"):
        expected[("", None, study)] += 1  # the "No mechanism stated" group, whose key has no id
    shown = Counter()
    for index, ancestors in walk(model):
        if index.data(Role.Kind) != "study":
            continue
        parent = ancestors[-1]
        if parent.data(Role.Kind) == "treatment":
            mechanism, treatment = ancestors[-2].data(Role.RecordId), parent.data(Role.RecordId)
        else:
            mechanism, treatment = parent.data(Role.RecordId), None
        shown[(mechanism, treatment, index.data(Role.RecordId))] += 1
    assert shown == expected


GROUP_SQL = {
    "treatment": "SELECT 'treatment:' || treatment_id, study_id FROM study_treatments "
                 "UNION ALL SELECT 'treatment:', id FROM studies s WHERE NOT EXISTS "
                 "(SELECT 1 FROM study_treatments x WHERE x.study_id = s.id)",
    "status": "SELECT 'status:' || status, id FROM studies",
    "phase": "SELECT 'phase:' || coalesce(phase, ''), id FROM studies",
    "person": "SELECT 'person:' || person_id, study_id FROM study_people",
    "institution": "SELECT 'institution:' || institution_id, study_id FROM study_institutions",
}


@pytest.mark.parametrize("grouping", sorted(GROUP_SQL))
def test_every_grouping_shows_every_study_once_per_group(library, sql, grouping):
    expected = defaultdict(Counter)
    for key, study in sql(GROUP_SQL[grouping]):
        expected[key][study] += 1
    model = TreeModel(library, grouping)
    fetch_all(model)
    shown = {}
    for row in range(model.rowCount()):
        group = model.index(row, 0)
        studies = study_ids_under(model, group)
        shown[group.data(Role.Key)] = Counter(studies)
        assert group.data(Role.Count) == len(studies)
    assert shown == dict(expected)
    all_studies = {row[0] for row in sql("SELECT id FROM studies")}
    if grouping in ("treatment", "status", "phase"):  # every study belongs to one of these groups
        assert set().union(*shown.values()) == all_studies


# ---- laziness, with a fake source of 100,000 trials -------------------------------------------


class BigSource:
    """One mechanism with 100,000 trials beneath it; counts what it is asked."""

    TOTAL = 100_000

    def __init__(self):
        self.calls = []

    def tree_children(self, grouping, parent, offset=0, limit=-1):
        self.calls.append((parent.key if parent else None, offset, limit))
        if parent is None:
            return [TreeNode("mechanism:big", "mechanism", "Big", "big", self.TOTAL, True)][offset:][:limit]
        end = self.TOTAL if limit < 0 else min(self.TOTAL, offset + limit)
        return [TreeNode(f"mechanism:big/study:s{i}", "study", f"Trial {i}", f"s{i}", 0, False)
                for i in range(offset, end)]


def test_a_node_with_100000_trials_loads_one_page_at_a_time(qtbot, qtmodeltester):
    source = BigSource()
    model = TreeModel(source, "mechanism", page_size=200)
    big = model.index(0, 0)
    assert model.hasChildren(big) and model.rowCount(big) == 0 and model.canFetchMore(big)
    with qtbot.waitSignal(model.rowsInserted) as inserted:
        model.fetchMore(big)
    assert inserted.args[1:] == [0, 199]  # the last row is inclusive
    assert model.rowCount(big) == 200
    model.fetchMore(big)
    assert model.rowCount(big) == 400
    assert model.index(399, 0, big).data(Role.RecordId) == "s399"
    assert all(limit == 200 for _, _, limit in source.calls)
    qtmodeltester.check(model)


def test_data_reads_memory_only(qtbot):
    source = BigSource()
    model = TreeModel(source, "mechanism", page_size=500)
    big = model.index(0, 0)
    model.fetchMore(big)
    asked = len(source.calls)
    for row in range(model.rowCount(big)):
        for role in [*Role, Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole]:
            model.data(model.index(row, 0, big), role)  # not index.data(): see models/roles.py
    assert len(source.calls) == asked


def test_finding_a_deep_trial_fetches_only_the_pages_before_it():
    source = BigSource()
    model = TreeModel(source, "mechanism", page_size=1000)
    index = model.index_for_path(["mechanism:big", "mechanism:big/study:s4321"])
    assert index.isValid() and index.data(Role.RecordId) == "s4321"
    assert model.rowCount(index.parent()) == 5000
    assert not model.index_for_path(["mechanism:big", "mechanism:big/study:nope"]).isValid()


def test_a_tree_over_a_real_100000_trial_database_loads_one_page_at_a_time(tmp_path):
    """A real database: the mechanism with every trial under it opens with one page, not all.
    (How fast it opens is measured in tests/benchmarks, not asserted here.)"""
    from desktop.data.library import Library

    path = tmp_path / "big.db"
    _write_big_database(path, 100_000)
    library = Library(path)
    try:
        model = TreeModel(library, "mechanism")
        top = model.index(0, 0)
        model.fetchMore(top)
        assert model.rowCount(top) == 200
        assert top.data(Role.Count) == 100_000
        assert model.canFetchMore(top)
    finally:
        library.close()


def _write_big_database(path, n: int) -> None:
    """The few tables the mechanism tree reads, filled with n synthetic trials."""
    import sqlite3

    conn = sqlite3.connect(path)
    conn.executescript("""
        CREATE TABLE mechanisms (id TEXT PRIMARY KEY, parent_id TEXT, name TEXT, position INT);
        CREATE TABLE studies (id TEXT PRIMARY KEY, title TEXT, short_title TEXT, status TEXT,
                              phase TEXT, position INT);
        CREATE TABLE treatments (id TEXT PRIMARY KEY, name TEXT, position INT);
        CREATE TABLE study_mechanisms (study_id TEXT, mechanism_id TEXT, position INT,
                                       PRIMARY KEY (study_id, mechanism_id));
        CREATE INDEX study_mechanisms_mechanism ON study_mechanisms (mechanism_id);
        CREATE TABLE study_treatments (study_id TEXT, treatment_id TEXT, position INT,
                                       PRIMARY KEY (study_id, treatment_id));
        CREATE TABLE cross_checks (record_id TEXT, position INT, PRIMARY KEY (record_id, position));
        CREATE TABLE group_counts (grouping TEXT, value TEXT, count INT, PRIMARY KEY (grouping, value));
        INSERT INTO mechanisms VALUES ('all', NULL, 'Everything', 0);
    """)
    conn.executemany("INSERT INTO studies VALUES (?, ?, NULL, 'completed', '2', ?)",
                     ((f"s{i}", f"Trial {i}", i) for i in range(n)))
    conn.executemany("INSERT INTO study_mechanisms VALUES (?, 'all', 0)", ((f"s{i}",) for i in range(n)))
    conn.commit()
    conn.close()
