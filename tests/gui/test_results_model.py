"""The search results model: plain hits in, plain values out."""

from __future__ import annotations

from PySide6.QtCore import Qt

from desktop.data.records import SearchHit
from desktop.models.results_model import ResultsModel
from desktop.models.roles import Role

HITS = [SearchHit("rituxme-phase3-rct", "study", "Rituximab trial", "tested \x02ritux\x03imab", -3.0),
        SearchHit("rituximab", "treatment", "Rituximab", "", -2.0)]


def test_results_model_passes_the_model_tester(qtmodeltester):
    model = ResultsModel()
    qtmodeltester.check(model)
    model.set_results(HITS, ("\x02", "\x03"))
    qtmodeltester.check(model)


def test_results_model_shows_hits_in_order_with_their_ids_and_plain_snippets(qtbot):
    model = ResultsModel()
    with qtbot.waitSignal(model.modelReset):
        model.set_results(HITS, ("\x02", "\x03"))
    assert model.rowCount() == 2
    first = model.index(0, 0)
    assert first.data(Role.RecordId) == "rituxme-phase3-rct"
    assert first.data(Role.Kind) == "study"
    assert first.data(Role.Score) == -3.0
    assert first.data(Role.Snippet) == "tested \x02ritux\x03imab"
    assert first.data(Qt.ItemDataRole.ToolTipRole) == "Rituximab trial\ntested rituximab"  # whole title first
    assert first.data(Qt.ItemDataRole.StatusTipRole) == "tested rituximab"
    assert first.data().startswith("Rituximab trial")
    assert model.index(1, 0).data(Qt.ItemDataRole.ToolTipRole) == "Rituximab"


def test_results_model_can_be_emptied(qtbot):
    model = ResultsModel()
    model.set_results(HITS)
    model.set_results([])
    assert model.rowCount() == 0
    assert model.hit(0) is None
