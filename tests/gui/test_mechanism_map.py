"""Issue 19: the mechanism map window: built on first use, keyboard order, names, list, export."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QKeySequence
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtWidgets import QApplication

from desktop.data.mechanism_map import build_map, is_other_link, ring_edges
from desktop.ui import map_window, mechanism_map
from desktop.ui.map_scene import NodeItem, RingItem, build_scene
from desktop.ui.shortcuts_sheet import sheet_groups

RING_LEGEND = ("Every system on the ring feeds every other — Luis Nacul's model, as the conference "
               "report gives it")


def _ring_item(scene):
    rings = [i for i in scene.items() if isinstance(i, RingItem)]
    assert len(rings) <= 1
    return rings[0] if rings else None


def _open(window, qtbot, focus=None):
    shown = mechanism_map.open_map(window, focus)
    qtbot.addWidget(shown)
    qtbot.waitUntil(shown.isVisible)
    return shown


def test_the_map_is_not_built_at_start_up_but_on_first_use(make_window, qtbot):
    window = make_window()
    assert getattr(window, "_mechanism_map_window", None) is None
    assert not any(isinstance(w, map_window.MapWindow) for w in QApplication.topLevelWidgets())
    window.map_action.trigger()
    shown = window._mechanism_map_window
    qtbot.addWidget(shown)
    qtbot.waitUntil(shown.isVisible)
    assert len(shown.view.items) == window.library.count("mechanism")


def test_map_and_export_are_in_the_menus_with_a_free_shortcut(make_window):
    window = make_window()
    rows = [row for _, group in sheet_groups(window.menuBar()) for row in group]
    assert any(keys == mechanism_map.SHORTCUT and "map" in command.lower() for keys, command in rows), rows
    taken = [a.shortcut() for a in window.findChildren(type(window.map_action))
             if a is not window.map_action and not a.shortcut().isEmpty()]
    assert QKeySequence(mechanism_map.SHORTCUT) not in taken
    file_menu = next(a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "File")
    assert window.export_map_action in file_menu.actions()


def test_tab_and_arrows_follow_the_tree_order_and_each_node_says_its_counts(make_window, qtbot, library):
    window = make_window()
    shown = _open(window, qtbot)
    view = shown.view
    order = [item.node.id for item in view.items]
    assert view.current().node.id == order[0]
    visited = [view.current().node.id]
    for _ in range(len(order) - 1):
        qtbot.keyClick(view, Qt.Key.Key_Tab)
        visited.append(view.current().node.id)
        item = view.current()
        assert view.accessibleDescription() == item.accessible_name()
        assert f"{library.record(item.node.id).fields['studies_beneath']} trials and studies" in item.accessible_name()
    assert visited == order
    qtbot.keyClick(view, Qt.Key.Key_Up)
    assert view.current().node.id == order[-2]
    qtbot.keyClick(view, Qt.Key.Key_Home)
    qtbot.keyClick(view, Qt.Key.Key_Right)  # the next top-level mechanism
    heads = [item.node.id for item in view.items if item.node.depth == 0]
    assert view.current().node.id == heads[1]


def test_enter_on_a_node_opens_its_pane(make_window, qtbot):
    window = make_window()
    shown = _open(window, qtbot, "autoimmunity")
    assert shown.view.current().node.id == "autoimmunity"
    qtbot.keyClick(shown.view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.detail.record is not None and window.detail.record.id == "autoimmunity")


def test_the_list_is_one_keystroke_away_and_holds_every_node(make_window, qtbot):
    window = make_window()
    shown = _open(window, qtbot)
    shown.activateWindow()
    qtbot.waitUntil(shown.isActiveWindow)
    qtbot.keyClick(shown.view, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: shown.stack.currentWidget() is shown.outline)
    lines = []
    stack = [shown.outline.topLevelItem(i) for i in range(shown.outline.topLevelItemCount())]
    while stack:
        item = stack.pop()
        lines.append(item.text(0))
        stack.extend(item.child(i) for i in range(item.childCount()))
    for node in shown.view.items:
        assert node.accessible_name() in lines


def test_tooltips_are_plain_summaries(make_window, qtbot):
    window = make_window()
    shown = _open(window, qtbot)
    for item in shown.view.items:
        assert item.node.summary in item.toolTip() and not GuiQt.mightBeRichText(item.toolTip())


def test_the_map_follows_the_text_size(make_window, qtbot):
    window = make_window()
    shown = _open(window, qtbot)
    before = shown.view.items[0].rect.width()
    window.zoom.set_percent(200)
    qtbot.waitUntil(lambda: shown.view.items[0].rect.width() > before * 1.5)
    window.zoom.set_percent(100)


def test_export_writes_valid_svg_and_png(make_window, qtbot, tmp_path):
    window = make_window()
    shown = _open(window, qtbot)
    svg, png = tmp_path / "map.svg", tmp_path / "map.png"
    map_window.export(shown.scene, svg)
    map_window.export(shown.scene, png)
    root = ET.parse(svg).getroot()
    assert root.tag.endswith("svg")
    text = svg.read_text()
    assert "Neuroinflammation" in text and "Nacul" in text
    image = QImage(str(png))
    assert not image.isNull() and image.width() >= shown.scene.sceneRect().width()


def test_nodes_do_not_overlap_on_screen(make_window, qtbot):
    window = make_window()
    shown = _open(window, qtbot)
    rects = [item.sceneBoundingRect() for item in shown.view.items if isinstance(item, NodeItem)]
    for i, a in enumerate(rects):
        for b in rects[i + 1:]:
            assert not a.intersects(b)


def test_closing_the_main_window_closes_the_map(make_window, qtbot):
    window = make_window()
    shown = _open(window, qtbot)
    window.close()
    qtbot.waitUntil(lambda: not shown.isVisible())


def test_export_leaves_out_the_keyboard_focus_and_keeps_the_legend(make_window, qtbot, tmp_path):
    window = make_window()
    shown = _open(window, qtbot, "autoimmunity")
    svg = tmp_path / "map.svg"
    map_window.export(shown.scene, svg)
    text = svg.read_text()
    assert "▶" not in text and "How to read this map" in text
    assert shown.view.current().node.id == "autoimmunity"  # focus comes back after the export


def test_shift_tab_goes_back_and_tab_past_the_last_node_leaves_the_picture(make_window, qtbot):
    window = make_window()
    shown = _open(window, qtbot)
    view = shown.view
    order = [item.node.id for item in view.items]
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    qtbot.keyClick(view, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert view.current().node.id == order[0]
    qtbot.keyClick(view, Qt.Key.Key_End)
    assert view.current().node.id == order[-1]
    shown.activateWindow()
    qtbot.waitUntil(shown.isActiveWindow)
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    qtbot.keyClick(view, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: not view.hasFocus())  # on to the buttons, not stuck in the picture


def test_after_a_rebuild_the_map_shows_the_new_data(make_window, qtbot, tiny_library):
    window = make_window()
    shown = _open(window, qtbot)
    assert len(shown.view.items) > 3
    window.set_library(tiny_library)
    again = mechanism_map.open_map(window)
    assert again is shown
    assert sorted(item.node.id for item in again.view.items) == ["mech-a", "mech-b", "mech-c"]
    assert again.outline.topLevelItemCount() == 2  # mech-b is nested under mech-a


def test_lines_carry_no_words_but_each_tooltip_gives_the_link_and_who_proposed_it(make_window, qtbot):
    from PySide6.QtWidgets import QGraphicsPathItem, QGraphicsSimpleTextItem

    window = make_window()
    shown = _open(window, qtbot)
    words = [i.text() for i in shown.scene.items() if isinstance(i, QGraphicsSimpleTextItem)]
    assert sorted(words) == sorted(c[0] for c in shown.mechanism_map.captions)  # captions only
    tips = [i.toolTip() for i in shown.scene.items() if isinstance(i, QGraphicsPathItem)]
    ringed = ring_edges(shown.mechanism_map)  # drawn as the ring itself, one tooltip for all
    assert len(tips) == len(shown.mechanism_map.edges) - len(ringed)
    tips.append(_ring_item(shown.scene).toolTip())
    names = {n.id: n.name for n in shown.mechanism_map.nodes}
    for edge in shown.mechanism_map.edges:
        wording = (f"{names[edge.source]} is part of {names[edge.target]}" if edge.relation == "part of"
                   else f"Link: {edge.relation}")
        if edge in ringed:
            wording = f"{names[edge.source]} and {names[edge.target]}"
        assert any(wording in tip and f"{edge.proposed_by}" in tip for tip in tips), edge
    assert all(not GuiQt.mightBeRichText(tip) for tip in tips)
    assert RING_LEGEND in shown.legend.text()


def test_the_ring_stands_for_every_feeds_pair_with_one_tooltip_listing_them(make_window, qtbot):
    from PySide6.QtWidgets import QGraphicsPathItem

    window = make_window()
    shown = _open(window, qtbot)
    ring = _ring_item(shown.scene)
    assert ring is not None and RING_LEGEND in ring.toolTip() and not GuiQt.mightBeRichText(ring.toolTip())
    names = {n.id: n.name for n in shown.mechanism_map.nodes}
    for edge in ring_edges(shown.mechanism_map):
        line = next(t for t in ring.toolTip().splitlines() if t.startswith(f"{names[edge.source]} and {names[edge.target]}"))
        assert all(s in line for s in edge.sources), line  # each pair with its source
    feeds_lines = [i for i in shown.scene.items() if isinstance(i, QGraphicsPathItem) and "feed each other" in i.toolTip()]
    assert feeds_lines == []  # no chords: the ring says it once
    comes_before = [i for i in shown.scene.items() if isinstance(i, QGraphicsPathItem) and "comes before" in i.toolTip()]
    assert comes_before and all(i.isVisible() for i in comes_before)


def test_without_every_pair_the_map_draws_each_feeds_link_and_no_ring(reference_db, qtbot):
    import sqlite3

    from PySide6.QtWidgets import QApplication, QGraphicsPathItem

    source = sqlite3.connect(f"file:{reference_db}?mode=ro", uri=True)
    copy = sqlite3.connect(":memory:")
    source.backup(copy)
    source.close()
    copy.execute("DELETE FROM mechanism_links WHERE relation LIKE 'feeds%' AND from_id IN "
                 "('neuroinflammation', 'endocrine') AND to_id IN ('neuroinflammation', 'endocrine')")
    broken = build_map(copy)
    copy.close()
    scene, _ = build_scene(broken, QApplication.font(), QApplication.palette())
    assert _ring_item(scene) is None
    feeds = [i.toolTip() for i in scene.items() if isinstance(i, QGraphicsPathItem) and "Link: feeds" in i.toolTip()]
    assert len(feeds) == sum(1 for e in broken.edges if e.relation.startswith("feeds"))
    assert not any("Neuroinflammation" in t and "Endocrine" in t for t in feeds)  # no link the seeds lack


def test_other_links_show_only_for_the_focused_or_hovered_node(make_window, qtbot):
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QGraphicsPathItem, QGraphicsSceneHoverEvent

    window = make_window()
    shown = _open(window, qtbot, "neuroinflammation")
    other = [i for i in shown.scene.items() if isinstance(i, QGraphicsPathItem)
             and ("linked with" in i.toolTip() or "gene variants" in i.toolTip())]
    assert other and not any(i.isVisible() for i in other)
    assert "shown only for the mechanism in focus" in shown.legend.text()
    shown.view.focus_id("autoimmunity")
    mine = [i for i in other if i.isVisible()]
    edges = [e for e in shown.mechanism_map.edges if is_other_link(e) and "autoimmunity" in (e.source, e.target)]
    assert len(mine) == len(edges)
    item = next(i for i in shown.view.items if i.node.id == "autoimmunity")
    assert all(f"{e.relation}" in item.toolTip() for e in edges)  # and always in the node's tooltip
    shown.view.focus_id("neuroinflammation")
    assert not any(i.isVisible() for i in other)
    hovered = next(i for i in shown.view.items if i.node.id == "genetics")
    shown.scene.sendEvent(hovered, QGraphicsSceneHoverEvent(QEvent.Type.GraphicsSceneHoverEnter))
    assert any(i.isVisible() for i in shown.scene.items() if isinstance(i, QGraphicsPathItem)
               and "gene variants" in i.toolTip())
    shown.scene.sendEvent(hovered, QGraphicsSceneHoverEvent(QEvent.Type.GraphicsSceneHoverLeave))
    assert not any(i.isVisible() for i in other)


def test_the_window_takes_the_screens_space_and_shows_the_whole_ring(make_window, qtbot):
    window = make_window()
    shown = _open(window, qtbot)
    available = shown.screen().availableGeometry()
    assert shown.width() >= available.width() * 0.9 and shown.height() >= available.height() * 0.9
    shown.resize(1280, 800)  # a laptop screen at 100% text
    qtbot.waitUntil(lambda: shown.view.viewport().width() > 1000)
    shown.show_ring()
    visible = shown.view.mapToScene(shown.view.viewport().rect()).boundingRect()
    assert visible.contains(shown.ring_rect()), (visible, shown.ring_rect())


def test_at_200_percent_the_focused_node_is_scrolled_into_view(make_window, qtbot):
    window = make_window()
    window.zoom.set_percent(200)
    try:
        shown = _open(window, qtbot, "viral-persistence")
        item = shown.view.current()
        assert item.node.id == "viral-persistence"
        visible = shown.view.mapToScene(shown.view.viewport().rect()).boundingRect()
        assert visible.intersects(item.sceneBoundingRect())
        shown.view.focus_id("neuroinflammation")
        visible = shown.view.mapToScene(shown.view.viewport().rect()).boundingRect()
        assert visible.intersects(shown.view.current().sceneBoundingRect())
    finally:
        window.zoom.set_percent(100)
