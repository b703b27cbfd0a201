"""The models behind bookmarks: the panel's list, the tree's stars and bookmark rows in search."""

from __future__ import annotations

from PySide6.QtCore import QPersistentModelIndex, Qt
from PySide6.QtGui import QIcon, QPixmap

from desktop.data.bookmark_values import ORPHAN_LABEL, Bookmark
from desktop.data.records import SearchHit
from desktop.models.bookmarks_model import BookmarksModel, note_preview
from desktop.models.results_model import ResultsModel
from desktop.models.roles import Role
from desktop.models.tree_model import TreeModel

DISPLAY = Qt.ItemDataRole.DisplayRole


def bookmark(record_id, title, created="2026-05-01T09:00:00Z", note="", tags=()):
    return Bookmark(record_id, "study", title, note, tuple(tags), created, created)


OLD = bookmark("old-trial", "Zinc for fatigue", "2026-01-01T09:00:00Z")
MIDDLE = bookmark("middle-trial", "Antivirals in long COVID", "2026-02-01T09:00:00Z",
                  note="Ask my GP about this.\nSecond line.", tags=("ask my GP",))
NEW = bookmark("new-trial", "Breathing exercises", "2026-03-01T09:00:00Z")


def ids(model):
    return [model.data(model.index(row, 0), Role.RecordId) for row in range(model.rowCount())]


def test_bookmarks_model_passes_the_model_tester(qtmodeltester):
    model = BookmarksModel()
    model.set_bookmarks([OLD, MIDDLE, NEW], orphaned={"old-trial"})
    qtmodeltester.check(model)
    model.apply_changes([bookmark("newest-trial", "Aspirin", "2026-04-01T09:00:00Z")], ["old-trial"])
    qtmodeltester.check(model)


def test_bookmarks_are_listed_newest_first_or_by_title():
    model = BookmarksModel()
    model.set_bookmarks([OLD, MIDDLE, NEW])
    assert ids(model) == ["new-trial", "middle-trial", "old-trial"]
    model.set_order("title")
    assert ids(model) == ["middle-trial", "new-trial", "old-trial"]


def test_by_mechanism_groups_bookmarks_and_says_which_mechanism():
    model = BookmarksModel("mechanism")
    groups = {"old-trial": "Immune system", "middle-trial": "Viral persistence",
              "new-trial": "Immune system"}
    model.set_bookmarks([OLD, MIDDLE, NEW], groups=groups)
    assert ids(model) == ["new-trial", "old-trial", "middle-trial"]
    assert "Viral persistence" in model.data(model.index(2, 0), Role.Detail)


def test_each_row_shows_the_title_then_the_kind_tags_and_the_start_of_the_note():
    model = BookmarksModel()
    model.set_bookmarks([MIDDLE])
    title, detail = model.data(model.index(0, 0), DISPLAY).split("\n")
    assert title == "Antivirals in long COVID"
    assert detail == "Trial or study · tags: ask my GP · Ask my GP about this."
    assert "Second line." in model.data(model.index(0, 0), Qt.ItemDataRole.ToolTipRole)


def test_a_bookmark_whose_record_left_the_data_is_shown_as_such_with_its_note():
    model = BookmarksModel()
    model.set_bookmarks([MIDDLE], orphaned={"middle-trial"})
    text = model.data(model.index(0, 0), DISPLAY)
    assert text.startswith("Antivirals in long COVID\n")
    assert ORPHAN_LABEL in text and "Ask my GP about this." in text
    assert model.is_orphaned(0)
    assert ORPHAN_LABEL in model.data(model.index(0, 0), Qt.ItemDataRole.AccessibleTextRole)


def test_changes_are_applied_with_exact_notifications(qtbot):
    model = BookmarksModel()
    model.set_bookmarks([OLD, MIDDLE])
    kept = QPersistentModelIndex(model.index(model.row_of("old-trial"), 0))
    with qtbot.waitSignal(model.rowsRemoved):
        model.apply_changes([], ["middle-trial"])
    assert ids(model) == ["old-trial"]
    with qtbot.waitSignal(model.rowsInserted), qtbot.waitSignal(model.layoutChanged):
        model.apply_changes([NEW], [])
    assert ids(model) == ["new-trial", "old-trial"]
    assert kept.row() == 1  # the persistent index moved with its row
    edited = Bookmark(**{**OLD.__dict__, "note": "edited elsewhere"})
    with qtbot.waitSignal(model.dataChanged) as changed:
        model.apply_changes([edited], [])
    assert changed.args[0].row() == 1
    assert model.bookmark(1).note == "edited elsewhere"
    with qtbot.assertNotEmitted(model.dataChanged):
        model.apply_changes([edited], [])  # the same again: nothing to say


def test_note_preview_is_the_first_line_cut_short():
    assert note_preview("\n\n  first   line \nsecond") == "first line"
    assert note_preview("x" * 100, 10) == "x" * 9 + "…"


def test_tree_rows_of_bookmarked_records_get_a_star(qtbot, qtmodeltester, library):
    model = TreeModel(library, "treatment")
    first_treatment = model.index(0, 0)
    model.fetchMore(first_treatment)
    study = model.index(0, 0, first_treatment)
    study_id = model.node(study).record_id
    star = QIcon(QPixmap(16, 16))
    model.set_star_icon(star)
    assert model.data(study, Qt.ItemDataRole.DecorationRole) is None
    with qtbot.waitSignal(model.dataChanged) as changed:
        model.set_bookmarked({study_id})
    assert changed.args[0] == study
    assert model.is_bookmarked(study)
    assert model.data(study, Qt.ItemDataRole.DecorationRole) is not None
    assert model.data(study, Qt.ItemDataRole.AccessibleTextRole).endswith(", bookmarked")
    qtmodeltester.check(model)
    with qtbot.waitSignal(model.dataChanged):
        model.set_bookmarked(set())
    assert model.data(study, Qt.ItemDataRole.DecorationRole) is None


def test_results_can_list_bookmarks_above_the_reference_hits(qtmodeltester):
    model = ResultsModel()
    model.set_results([SearchHit("a-trial", "study", "A trial", "", 1.0)])
    model.prepend_hits([SearchHit("b-trial", "bookmark", "B trial", "my note", 0.0)])
    qtmodeltester.check(model)
    assert [model.hit(row).id for row in range(model.rowCount())] == ["b-trial", "a-trial"]
    assert model.data(model.index(0, 0), DISPLAY) == "B trial — your bookmark"
    model.set_results([])
    assert model.rowCount() == 0
