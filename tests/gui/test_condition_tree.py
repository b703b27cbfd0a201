"""Issue 16: the tree grouped by condition (ME/CFS, long COVID) in the window's tree panel."""

from __future__ import annotations

import json

from desktop.data.library import GROUPING_LABELS, GROUPINGS
from desktop.models.roles import Role
from desktop.ui.tree_panel import HEADERS, TreePanel


def _conditions(sql, study_id):
    return json.loads(sql("SELECT conditions FROM studies WHERE id = ?", (study_id,))[0][0] or "[]")


def test_the_panel_offers_the_condition_grouping_and_follows_a_study_into_both_groups(qtbot, library, sql):
    groupings = [(g, GROUPING_LABELS[g]) for g in GROUPINGS]
    panel = TreePanel(library, groupings, "condition")
    qtbot.addWidget(panel)
    assert panel.selector.currentText() == "By condition"
    assert panel.model.headerData(0, panel.view.header().orientation()) == HEADERS["condition"]
    both = "immunoadsorption-post-covid-study"
    assert {"ME/CFS", "long COVID"} <= set(_conditions(sql, both))
    assert panel.follow(library.record(both), library.record)
    current = panel.view.currentIndex()
    assert current.data(Role.RecordId) == both
    assert current.parent().data(Role.Key) == "condition:ME/CFS"  # the first of its groups
    keys = [panel.model.index(row, 0).data(Role.Key) for row in range(panel.model.rowCount())]
    assert keys[:2] == ["condition:ME/CFS", "condition:long COVID"]
    long_covid = panel.model.index(1, 0)
    panel.view.expand(long_covid)
    qtbot.waitUntil(lambda: panel.model.rowCount(long_covid) > 0)
    under = {panel.model.index(r, 0, long_covid).data(Role.RecordId)
             for r in range(panel.model.rowCount(long_covid))}
    assert both in under
