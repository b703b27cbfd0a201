"""The mechanism map drawn with QGraphicsScene: boxes for mechanisms, arrows for their links.

Everything is sized from the current text size (one line of text = one "em" of the layout), and
coloured only from the application palette, so the picture follows the zoom and the theme. No item
animates. To stay calm for a tired reader, lines carry no words: one legend says what each line
style means, and each line's tooltip (and the list view) gives its full wording and source. When
the seeds say every system on the ring feeds every other, the ring itself is drawn as one band
instead of a line per pair; links from outside the cycle show only for the node in focus or under
the pointer. Meaning never rests on colour: line styles differ, "comes before" and other one-way links
have an arrowhead, and the keyboard focus is drawn as a thick border with a marker.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (QBrush, QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPalette, QPen,
                           QPolygonF)
from PySide6.QtGui import QPainterPathStroker
from PySide6.QtWidgets import (QGraphicsEllipseItem, QGraphicsItem, QGraphicsPathItem, QGraphicsScene,
                               QGraphicsSimpleTextItem, QGraphicsTextItem,
                               QStyleOptionGraphicsItem, QWidget)

from desktop.data.evidence import evidence_line
from desktop.data.mechanism_map import (PART_OF, Edge, MechanismMap, Node, cycle_model, is_other_link,
                                         ring_edges, ring_is_complete)
from desktop.models.plain_tooltip import plain_tooltip
from desktop.models.tree_model import count_text

# Line style per kind of link (the legend says the same in words).
STYLES = {"feeds": Qt.PenStyle.SolidLine, "comes before": Qt.PenStyle.DashLine,
          PART_OF: Qt.PenStyle.DotLine}
OTHER_STYLE = Qt.PenStyle.DashDotLine
RING_MEANING = ("Every system on the ring feeds every other — Luis Nacul's model, as the conference "
                "report gives it.")
RING_WORDS = f"The thick ring joins the systems of the cycle. {RING_MEANING}"
LINES_WORDS = "Solid line: these feed each other — Luis Nacul's model, as the conference report gives it."
REST_WORDS = ("Dashed arrow: comes before (also Nacul's model). Dotted line: part of (TrialTree's own "
              "grouping). Dash-dot arrows (other links, from the source their tooltip names) are shown "
              "only for the mechanism in focus or under the pointer. Tooltips give each link's source; "
              "Ctrl+L shows everything as a list.")
LEGEND = f"{LINES_WORDS} {REST_WORDS}"


def legend_text(mechanism_map: MechanismMap) -> str:
    """The key to the picture: the ring stands for "feed each other" only when every pair is linked."""
    return f"{RING_WORDS if ring_is_complete(mechanism_map) else LINES_WORDS} {REST_WORDS}"


def ring_tooltip(mechanism_map: MechanismMap) -> str:
    """Every pair the ring stands for, each with its source (plain text)."""
    names = {n.id: n.name for n in mechanism_map.nodes}
    lines = [RING_MEANING, f"Proposed by: {cycle_model(mechanism_map)}", "The pairs:"]
    for edge in ring_edges(mechanism_map):
        lines.append(f"{names[edge.source]} and {names[edge.target]} — source: {'; '.join(edge.sources)}")
    return "\n".join(lines)


class RingItem(QGraphicsEllipseItem):
    """The band through the ring's systems; only the band itself (not its inside) shows the tooltip."""

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addEllipse(self.rect())
        stroker = QPainterPathStroker()
        stroker.setWidth(max(self.pen().widthF() * 3, 6.0))
        return stroker.createStroke(path)


def style_for(edge: Edge) -> Qt.PenStyle:
    for words, style in STYLES.items():
        if edge.relation.startswith(words) or edge.relation.endswith(words):
            return style
    return OTHER_STYLE


def edge_tooltip(edge: Edge, names: dict[str, str]) -> str:
    way = "each other" if edge.both_ways else names[edge.target]
    lines = [f"{names[edge.source]} → {way}" if not edge.both_ways
             else f"{names[edge.source]} and {names[edge.target]}: feed each other",
             f"Link: {edge.relation}", f"Proposed by: {edge.proposed_by}"]
    lines += [f"Source: {s}" for s in edge.sources]
    return "\n".join(lines)


class NodeItem(QGraphicsItem):
    """One mechanism: its name and how many trials and studies sit beneath it."""

    def __init__(self, node: Node, rect: QRectF, font: QFont):
        super().__init__()
        self.node = node
        self.rect = rect
        self.font = font
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsFocusable, True)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, True)
        self.setPos(rect.topLeft())
        self.setZValue(2)
        self.setAcceptHoverEvents(True)
        self.links: list[QGraphicsItem] = []  # lines shown only while this node is focused or hovered
        self.hovered = False
        summary = node.summary or "No summary."
        self.tooltip_text = (f"{node.name}\n{summary}\n{count_text(node.count)} beneath: "
                             f"{evidence_line(node.evidence)}")
        self.setToolTip(plain_tooltip(self.tooltip_text))

    def add_link_line(self, line: str) -> None:
        """Say one of its other links in the tooltip (they are drawn only on focus or hover)."""
        if "\nOther links:" not in self.tooltip_text:
            self.tooltip_text += "\nOther links:"
        self.tooltip_text += f"\n{line}"
        self.setToolTip(plain_tooltip(self.tooltip_text))

    def itemChange(self, change, value):
        if change == QGraphicsItem.GraphicsItemChange.ItemSelectedHasChanged:
            _refresh_links(self)
        return super().itemChange(change, value)

    def hoverEnterEvent(self, event) -> None:
        self.hovered = True
        _refresh_links(self)
        super().hoverEnterEvent(event)

    def hoverLeaveEvent(self, event) -> None:
        self.hovered = False
        _refresh_links(self)
        super().hoverLeaveEvent(event)

    def accessible_name(self) -> str:
        return self.node.accessible_name()

    def boundingRect(self) -> QRectF:
        return QRectF(-3, -3, self.rect.width() + 6, self.rect.height() + 6)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        palette = widget.palette() if widget else QPalette()
        focused = self.hasFocus() or self.isSelected()
        box = QRectF(0, 0, self.rect.width(), self.rect.height())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setBrush(QBrush(palette.color(QPalette.ColorRole.Base)))
        width = 3.0 if focused else (2.0 if self.node.depth == 0 else 1.0)
        role = QPalette.ColorRole.Accent if focused else QPalette.ColorRole.Text
        painter.setPen(QPen(palette.color(role), width))
        radius = QFontMetricsF(self.font).height() / 3
        painter.drawRoundedRect(box, radius, radius)
        metrics = QFontMetricsF(self.font)
        pad = metrics.height() / 3
        name_font = QFont(self.font)
        name_font.setBold(self.node.depth == 0 or focused)
        painter.setFont(name_font)
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        marker = "▶ " if focused else ""  # focus is shown by shape as well as colour
        line = metrics.height()
        name_box = QRectF(pad, pad, box.width() - 2 * pad, 2 * line)
        name = QFontMetricsF(name_font).elidedText(marker + self.node.name, Qt.TextElideMode.ElideRight,
                                                   name_box.width() * 2 - metrics.averageCharWidth() * 2)
        painter.drawText(name_box, Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft, name)
        painter.setFont(self.font)
        painter.drawText(QRectF(pad, pad + 2 * line, name_box.width(), line), Qt.AlignmentFlag.AlignLeft,
                         count_text(self.node.count))
        results = self.node.results_text() or "no treatment results yet"
        painter.drawText(QRectF(pad, pad + 3 * line, name_box.width(), 2 * line),
                         Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft, results)


def _refresh_links(node: NodeItem) -> None:
    """Each of this node's other links is shown while either end is selected or under the pointer."""
    for line in node.links:
        line.setVisible(any(end.isSelected() or end.hovered for end in line.ends))


def _bow(a: QRectF, b: QRectF, others: list[QRectF], em: float) -> QPointF:
    """The control point of a gentle curve from box a to box b that passes no other box: the
    smallest bow (either side, 1.5 em first) whose curve stays clear, else the 1.5 em one."""
    ca, cb = a.center(), b.center()
    dist = math.hypot(cb.x() - ca.x(), cb.y() - ca.y()) or 1.0
    nx, ny = (cb.y() - ca.y()) / dist, -(cb.x() - ca.x()) / dist
    mid = QPointF((ca.x() + cb.x()) / 2, (ca.y() + cb.y()) / 2)
    for bow in (1.5, -1.5, 4, -4, 7, -7, 10, -10, 14, -14):
        control = QPointF(mid.x() + nx * em * bow, mid.y() + ny * em * bow)
        points = [ca * (1 - t) ** 2 + control * 2 * t * (1 - t) + cb * t * t for t in (i / 40 for i in range(41))]
        if not any(r.contains(p) for p in points for r in others):
            return control
    return QPointF(mid.x() + nx * em * 1.5, mid.y() + ny * em * 1.5)


def _border_point(box: QRectF, towards: QPointF) -> QPointF:
    """Where the line from the box's centre towards ``towards`` leaves the box."""
    c = box.center()
    dx, dy = towards.x() - c.x(), towards.y() - c.y()
    if dx == 0 and dy == 0:
        return c
    sx = (box.width() / 2) / abs(dx) if dx else math.inf
    sy = (box.height() / 2) / abs(dy) if dy else math.inf
    s = min(sx, sy)
    return QPointF(c.x() + dx * s, c.y() + dy * s)


def _arrowhead(tip: QPointF, back: QPointF, size: float) -> QPolygonF:
    angle = math.atan2(tip.y() - back.y(), tip.x() - back.x())
    left = QPointF(tip.x() - size * math.cos(angle - 0.45), tip.y() - size * math.sin(angle - 0.45))
    right = QPointF(tip.x() - size * math.cos(angle + 0.45), tip.y() - size * math.sin(angle + 0.45))
    return QPolygonF([tip, left, right])


def build_scene(mechanism_map: MechanismMap, font: QFont, palette: QPalette,
                scene: QGraphicsScene | None = None) -> tuple[QGraphicsScene, list[NodeItem]]:
    """Draw the map at this text size and in these colours; the node items in reading order."""
    scene = scene or QGraphicsScene()
    scene.clear()
    em = QFontMetricsF(font).height()
    rects = {nid: QRectF(b.x * em, b.y * em, b.width * em, b.height * em)
             for nid, b in mechanism_map.boxes.items()}
    names = {n.id: n.name for n in mechanism_map.nodes}
    text_colour = palette.color(QPalette.ColorRole.Text)
    small = QFont(font)
    if font.pointSizeF() > 0:  # the legend a little smaller than node names
        small.setPointSizeF(font.pointSizeF() * 0.85)
    faint = QColor(text_colour)
    faint.setAlphaF(0.6)  # the links outside the cycle step back (their style still differs)
    nodes = {node.id: NodeItem(node, rects[node.id], font) for node in mechanism_map.nodes}
    ringed = set(map(id, ring_edges(mechanism_map))) if ring_is_complete(mechanism_map) else set()
    if ringed and mechanism_map.ring:
        cx, cy, rx, ry = mechanism_map.ring
        ring = RingItem(QRectF((cx - rx) * em, (cy - ry) * em, 2 * rx * em, 2 * ry * em))
        ring.setPen(QPen(text_colour, max(2.0, em / 5)))
        ring.setToolTip(plain_tooltip(ring_tooltip(mechanism_map)))
        ring.setZValue(0.2)
        scene.addItem(ring)
    for edge in mechanism_map.edges:
        if id(edge) in ringed:
            continue  # the ring stands for it (its tooltip and the list still name it)
        drawn = _draw_edge(scene, mechanism_map, edge, rects, names, em, text_colour, faint)
        if is_other_link(edge):  # across the picture: only for the node in focus or under the pointer
            ends = (nodes[edge.source], nodes[edge.target])
            for line in drawn:
                line.ends = ends
                line.setVisible(False)
            for end in ends:
                end.links.extend(drawn)
            nodes[edge.source].add_link_line(f"{edge.relation}: {names[edge.target]} ({edge.proposed_by})")
            nodes[edge.target].add_link_line(f"from {names[edge.source]}, {edge.relation} ({edge.proposed_by})")
    for words, x, y in mechanism_map.captions:
        caption = QGraphicsSimpleTextItem(words)
        heading = QFont(font)
        heading.setBold(True)
        caption.setFont(heading)
        caption.setBrush(QBrush(text_colour))
        caption.setPos(x * em, y * em)
        scene.addItem(caption)
    items = []
    for node in mechanism_map.nodes:
        scene.addItem(nodes[node.id])
        items.append(nodes[node.id])
    legend = QGraphicsTextItem()  # the key travels with the picture into an export
    legend.setPlainText("How to read this map: " + legend_text(mechanism_map))
    legend.setFont(small)
    legend.setDefaultTextColor(text_colour)
    legend.setTextWidth(em * 50)
    legend.setPos(0, scene.itemsBoundingRect().bottom() + em)
    scene.addItem(legend)
    scene.setBackgroundBrush(QBrush(palette.color(QPalette.ColorRole.Window)))
    scene.setSceneRect(scene.itemsBoundingRect().adjusted(-em, -em, em, em))
    return scene, items



def _draw_edge(scene: QGraphicsScene, mechanism_map: MechanismMap, edge: Edge, rects: dict[str, QRectF],
               names: dict[str, str], em: float, text_colour: QColor, faint: QColor) -> list[QGraphicsItem]:
    """One link's line (and arrowhead if one-way), with its full wording and source as tooltip."""
    a, b = rects[edge.source], rects[edge.target]
    style = style_for(edge)
    colour = faint if style == OTHER_STYLE else text_colour
    pen = QPen(colour, max(1.0, em / (10 if style == Qt.PenStyle.SolidLine else 8 if style == Qt.PenStyle.DashLine
                                      else 12)), style)
    ca, cb = a.center(), b.center()
    start, end = _border_point(a, cb), _border_point(b, ca)
    path = QPainterPath(start)
    if edge.relation == PART_OF and edge.source in mechanism_map.routes:  # a tree view's elbow
        route = [QPointF(x * em, y * em) for x, y in mechanism_map.routes[edge.source]]
        path = QPainterPath(route[0])
        for point in route[1:]:
            path.lineTo(point)
        back = start
    elif style in (Qt.PenStyle.DashLine, OTHER_STYLE):  # a bow beside any solid line, round any box
        control = _bow(a, b, [r for k, r in rects.items() if k not in (edge.source, edge.target)], em)
        start, end = _border_point(a, control), _border_point(b, control)
        path = QPainterPath(start)
        path.quadTo(control, end)
        back = control
    else:
        path.lineTo(end)
        back = start
    item = QGraphicsPathItem(path)
    item.setPen(pen)
    tip = (f"{names[edge.source]} is part of {names[edge.target]}\nProposed by: {edge.proposed_by}"
           if edge.relation == PART_OF else edge_tooltip(edge, names))
    item.setToolTip(plain_tooltip(tip))
    item.setZValue(0.5 if style == Qt.PenStyle.SolidLine else 1.5 if style == Qt.PenStyle.DashLine else 0)
    scene.addItem(item)
    drawn: list[QGraphicsItem] = [item]
    if not edge.both_ways and edge.relation != PART_OF:  # one way: say which way by shape
        head = scene.addPolygon(_arrowhead(end, back, em * 0.6), QPen(colour, 1), QBrush(colour))
        head.setZValue(item.zValue() + 0.1)
        drawn.append(head)
    return drawn
