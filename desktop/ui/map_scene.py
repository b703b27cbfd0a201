"""The mechanism map drawn with QGraphicsScene: boxes for mechanisms, arrows for their links.

Everything is sized from the current text size (one line of text = one "em" of the layout), and
coloured only from the application palette, so the picture follows the zoom and the theme. No item
animates. To stay calm for a tired reader, lines are straight and carry no words: one legend says
what each line style means, and each line's tooltip (and the list view) gives its full wording and
source. Meaning never rests on colour: line styles differ, "comes before" and other one-way links
have an arrowhead, and the keyboard focus is drawn as a thick border with a marker.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (QBrush, QColor, QFont, QFontMetricsF, QPainter, QPainterPath, QPalette, QPen,
                           QPolygonF)
from PySide6.QtWidgets import (QGraphicsItem, QGraphicsPathItem, QGraphicsScene,
                               QGraphicsSimpleTextItem, QGraphicsTextItem,
                               QStyleOptionGraphicsItem, QWidget)

from desktop.data.evidence import evidence_line
from desktop.data.mechanism_map import PART_OF, Edge, MechanismMap, Node
from desktop.models.plain_tooltip import plain_tooltip
from desktop.models.tree_model import count_text

# Line style per kind of link (the legend says the same in words).
STYLES = {"feeds": Qt.PenStyle.SolidLine, "comes before": Qt.PenStyle.DashLine,
          PART_OF: Qt.PenStyle.DotLine}
OTHER_STYLE = Qt.PenStyle.DashDotLine
LEGEND = ("Solid line: these feed each other — Luis Nacul's model, as the conference report gives "
          "it. Dashed line with an arrow: comes before (also Nacul's model). Dotted line: part of "
          "(TrialTree's own grouping). Dash-dot line with an arrow: another link, from the source "
          "its tooltip names. Point at a line for its full wording and source; Ctrl+L shows "
          "everything as a list.")


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
        summary = node.summary or "No summary."
        self.setToolTip(plain_tooltip(f"{node.name}\n{summary}\n{count_text(node.count)} beneath: "
                                      f"{evidence_line(node.evidence)}"))

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
    for edge in mechanism_map.edges:
        a, b = rects[edge.source], rects[edge.target]
        style = style_for(edge)
        colour = faint if style == OTHER_STYLE else text_colour
        pen = QPen(colour, max(1.0, em / (10 if style == Qt.PenStyle.SolidLine else 12)), style)
        ca, cb = a.center(), b.center()
        start, end = _border_point(a, cb), _border_point(b, ca)
        path = QPainterPath(start)
        if edge.relation == PART_OF and edge.source in mechanism_map.routes:  # a tree view's elbow
            route = [QPointF(x * em, y * em) for x, y in mechanism_map.routes[edge.source]]
            path = QPainterPath(route[0])
            for point in route[1:]:
                path.lineTo(point)
            back = start
        elif style in (Qt.PenStyle.DashLine, OTHER_STYLE):  # beside any solid line on the same way
            dist = math.hypot(end.x() - start.x(), end.y() - start.y()) or 1.0
            nx, ny = (end.y() - start.y()) / dist, -(end.x() - start.x()) / dist
            control = QPointF((start.x() + end.x()) / 2 + nx * em * 1.5, (start.y() + end.y()) / 2 + ny * em * 1.5)
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
        item.setZValue(0.5 if style == Qt.PenStyle.SolidLine else 0)
        scene.addItem(item)
        if not edge.both_ways and edge.relation != PART_OF:  # one way: say which way by shape
            head = scene.addPolygon(_arrowhead(end, back, em * 0.6), QPen(colour, 1), QBrush(colour))
            head.setZValue(1)
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
        item = NodeItem(node, rects[node.id], font)
        scene.addItem(item)
        items.append(item)
    legend = QGraphicsTextItem()  # the key travels with the picture into an export
    legend.setPlainText("How to read this map: " + LEGEND)
    legend.setFont(small)
    legend.setDefaultTextColor(text_colour)
    legend.setTextWidth(em * 50)
    legend.setPos(0, scene.itemsBoundingRect().bottom() + em)
    scene.addItem(legend)
    scene.setBackgroundBrush(QBrush(palette.color(QPalette.ColorRole.Window)))
    scene.setSceneRect(scene.itemsBoundingRect().adjusted(-em, -em, em, em))
    return scene, items

