"""The mechanism map's window: the picture (MapView), the same content as a list, and export.

Imported only when the map is first opened (see desktop.ui.mechanism_map), never at start-up.
Tab, Shift+Tab and the arrow keys move from mechanism to mechanism in the tree's order; Enter (or
a click) opens its pane in the main window. Ctrl+L swaps the picture for the same content as a
nested list, for screen readers and for anyone who prefers text.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QRectF, Qt
from PySide6.QtGui import QAccessible, QAccessibleEvent, QAction, QImage, QKeyEvent, QKeySequence, QPainter
from PySide6.QtWidgets import (QFileDialog, QGraphicsScene, QGraphicsView, QHBoxLayout, QLabel,
                               QPushButton, QStackedWidget, QTreeWidget, QTreeWidgetItem,
                               QVBoxLayout, QWidget)

from desktop.data.evidence import evidence_line
from desktop.data.mechanism_map import MechanismMap, text_outline
from desktop.models.plain_tooltip import plain_tooltip
from desktop.data.mechanism_map import cycle_ids
from desktop.ui.map_scene import NodeItem, build_scene, legend_text

LIST_SHORTCUT = "Ctrl+L"
TITLE = "Mechanism map — TrialTree"


class MapView(QGraphicsView):
    """The picture. Keeps a current node that the keyboard moves and Enter opens."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.items: list[NodeItem] = []
        self.on_open = lambda node_id: None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setAccessibleName("Mechanism map")

    def current(self) -> NodeItem | None:
        focus = self.scene().focusItem() if self.scene() else None
        return focus if isinstance(focus, NodeItem) else None

    def focus_node(self, index: int) -> None:
        """Make node ``index`` (in reading order) current, scroll to it, and say its name."""
        if not self.items:
            return
        item = self.items[max(0, min(index, len(self.items) - 1))]
        self.scene().clearSelection()
        item.setSelected(True)
        item.setFocus(Qt.FocusReason.OtherFocusReason)
        self.ensureVisible(item, 40, 40)
        self.setAccessibleDescription(item.accessible_name())
        window = self.window()
        if isinstance(window, MapWindow):
            window.status.setText(f"{item.node.name}: {evidence_line(item.node.evidence)}")
        if QAccessible.isActive():
            QAccessible.updateAccessibility(QAccessibleEvent(self, QAccessible.Event.DescriptionChanged))

    def focus_id(self, node_id: str) -> bool:
        for i, item in enumerate(self.items):
            if item.node.id == node_id:
                self.focus_node(i)
                return True
        return False

    def _index(self) -> int:
        current = self.current()
        return self.items.index(current) if current in self.items else -1

    def _family_step(self, step: int) -> None:
        """Left/Right: the head of the previous or next top-level mechanism."""
        heads = [i for i, item in enumerate(self.items) if item.node.depth == 0]
        at = self._index()
        mine = max([h for h in heads if h <= at], default=heads[0])
        position = heads.index(mine) + step
        self.focus_node(heads[max(0, min(position, len(heads) - 1))])

    def event(self, event: QEvent) -> bool:
        # Tab moves through the nodes first; past the last one it leaves the picture as usual.
        if event.type() == QEvent.Type.KeyPress and event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            backwards = event.key() == Qt.Key.Key_Backtab or event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            step = -1 if backwards else 1
            target = self._index() + step
            if 0 <= target < len(self.items):
                self.focus_node(target)
                return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        moves = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1}
        if key in moves:
            self.focus_node(self._index() + moves[key])
        elif key in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            self._family_step(-1 if key == Qt.Key.Key_Left else 1)
        elif key == Qt.Key.Key_Home:
            self.focus_node(0)
        elif key == Qt.Key.Key_End:
            self.focus_node(len(self.items) - 1)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space) and self.current():
            self.on_open(self.current().node.id)
        else:
            super().keyPressEvent(event)

    def focusInEvent(self, event) -> None:
        super().focusInEvent(event)
        if self.current() is None and self.items:
            self.focus_node(0)

    def mouseReleaseEvent(self, event) -> None:
        super().mouseReleaseEvent(event)
        item = self.itemAt(event.position().toPoint())
        if isinstance(item, NodeItem) and event.button() == Qt.MouseButton.LeftButton:
            self.focus_id(item.node.id)
            self.on_open(item.node.id)


class MapWindow(QWidget):
    """The map's own window: the picture or the list, a legend, and Export."""

    def __init__(self, mechanism_map: MechanismMap, main_window: QWidget | None = None):
        super().__init__(None, Qt.WindowType.Window)
        self.setWindowTitle(TITLE)
        self.main_window = main_window
        if main_window is not None:  # closing the main window closes the map too
            main_window.installEventFilter(self)
        self.mechanism_map = mechanism_map
        self.library = None  # the library the map was drawn from (set by desktop.ui.mechanism_map)
        self.scene = QGraphicsScene(self)
        self.view = MapView(self)
        self.view.setScene(self.scene)
        self.view.on_open = self.open_pane
        self.outline = QTreeWidget(self)
        self.outline.setHeaderHidden(True)
        self.outline.setWordWrap(True)  # long lines wrap instead of being cut at 200%
        self.outline.setUniformRowHeights(False)
        self.outline.setAccessibleName("Mechanism map as a list")
        self.outline.itemActivated.connect(self._on_outline_activated)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.outline)
        self.toggle_button = QPushButton(self)
        self.toggle_button.clicked.connect(self.toggle_list)
        self.export_button = QPushButton("&Export map…", self)
        self.export_button.clicked.connect(self.export_with_dialog)
        self.legend = QLabel(legend_text(mechanism_map), self)
        self.legend.setWordWrap(True)
        self.legend.setTextFormat(Qt.TextFormat.PlainText)
        self.status = QLabel(self)
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        buttons = QHBoxLayout()  # the current node's counts beside the buttons: more room for the picture
        buttons.addWidget(self.toggle_button, 0, Qt.AlignmentFlag.AlignTop)
        buttons.addWidget(self.export_button, 0, Qt.AlignmentFlag.AlignTop)
        buttons.addWidget(self.status, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.legend)
        layout.addWidget(self.stack, 1)
        self.list_action = QAction("Show as a list", self)
        self.list_action.setShortcut(QKeySequence(LIST_SHORTCUT))
        self.list_action.triggered.connect(self.toggle_list)
        close = QAction("Close", self)
        close.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        close.triggered.connect(self.close)
        self.addActions([self.list_action, close])
        self._fill_outline()
        self._update_toggle()
        self.redraw()
        self.fit_to_screen()

    def fit_to_screen(self) -> None:
        """Take the screen's available space (the screen the main window is on)."""
        screen = (self.main_window.screen() if self.main_window is not None else None) or self.screen()
        if screen is not None:
            area = screen.availableGeometry()
            self.resize(area.size())
            self.move(area.topLeft())

    def ring_rect(self) -> QRectF:
        """Where the cycle's systems stand, in scene coordinates (empty without a cycle)."""
        rect = QRectF()
        for item in self.view.items:
            if item.node.id in set(cycle_ids(self.mechanism_map)):
                rect = rect.united(item.sceneBoundingRect())
        return rect

    def show_ring(self) -> None:
        """Scroll so the whole ring is in view (centred), then keep the current node in view."""
        ring = self.ring_rect()
        if not ring.isEmpty():
            self.view.centerOn(ring.center())
            self.view.ensureVisible(ring, 0, 0)
        current = self.view.current()
        if current is not None:
            self.view.ensureVisible(current, 20, 20)

    # ---- drawing ----------------------------------------------------------------------------

    def set_map(self, mechanism_map: MechanismMap) -> None:
        """Show new data (after a rebuild): the list and the picture are made again."""
        self.mechanism_map = mechanism_map
        self.legend.setText(legend_text(mechanism_map))
        self._fill_outline()
        self.redraw()

    def redraw(self) -> None:
        """Draw again at the current text size and colours, keeping the current node."""
        current = self.view.current()
        keep = current.node.id if current else None
        _, self.view.items = build_scene(self.mechanism_map, self.font(), self.palette(), self.scene)
        if keep:
            self.view.focus_id(keep)

    def eventFilter(self, watched, event: QEvent) -> bool:
        if watched is self.main_window and event.type() == QEvent.Type.Close:
            self.close()
        return False

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.PaletteChange):
            self.redraw()

    def _fill_outline(self) -> None:
        """The same content as the picture, as a nested list: mechanisms, counts, links."""
        self.outline.clear()
        parents: dict[int, QTreeWidgetItem] = {}
        for depth, line, node_id in text_outline(self.mechanism_map):
            item = QTreeWidgetItem([line])
            item.setToolTip(0, plain_tooltip(line))
            item.setData(0, Qt.ItemDataRole.UserRole, node_id)
            parent = parents.get(depth - 1)
            if depth and parent is not None:
                parent.addChild(item)
            else:
                self.outline.addTopLevelItem(item)
            parents[depth] = item
        self.outline.expandAll()

    # ---- actions ----------------------------------------------------------------------------

    def toggle_list(self) -> None:
        """Swap between the picture and the list (Ctrl+L)."""
        showing_list = self.stack.currentWidget() is self.outline
        self.stack.setCurrentWidget(self.view if showing_list else self.outline)
        self._update_toggle()
        self.stack.currentWidget().setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _update_toggle(self) -> None:
        on_list = self.stack.currentWidget() is self.outline
        self.toggle_button.setText(f"Show as a {'picture' if on_list else 'list'} ({LIST_SHORTCUT})")

    def open_pane(self, node_id: str) -> None:
        """Show this mechanism's pane in the main window (and bring the window forward)."""
        if self.main_window is not None and hasattr(self.main_window, "open_record"):
            self.main_window.open_record(node_id)
            self.main_window.raise_()
            self.main_window.activateWindow()

    def _on_outline_activated(self, item: QTreeWidgetItem) -> None:
        node_id = item.data(0, Qt.ItemDataRole.UserRole)
        if node_id:
            self.open_pane(node_id)

    def export_with_dialog(self) -> None:
        path, chosen = QFileDialog.getSaveFileName(self, "Export map", str(Path.home() / "mechanism-map.svg"),
                                                   "SVG picture (*.svg);;PNG picture (*.png)")
        if not path:
            return
        if not Path(path).suffix:
            path += ".png" if "PNG" in chosen else ".svg"
        try:
            export(self.scene, Path(path), legend=legend_text(self.mechanism_map))
        except OSError as error:
            self.status.setText(f"Could not save the map to {path}: {error.strerror or error}")
            return
        self.status.setText(f"Saved the map to {path}")


def export(scene: QGraphicsScene, path: Path, scale: float = 2.0, legend: str = "") -> None:
    """Save the scene as SVG (by the file's ending) or PNG (at ``scale`` for print and talks)."""
    focus = scene.focusItem()  # the keyboard's place is not part of the picture
    scene.clearSelection()
    scene.clearFocus()
    try:
        _render_to(scene, path, scale, legend)
    finally:
        if focus is not None:
            focus.setSelected(True)
            focus.setFocus()


def _render_to(scene: QGraphicsScene, path: Path, scale: float, legend: str) -> None:
    rect = scene.sceneRect()
    if path.suffix.lower() == ".svg":
        from PySide6.QtSvg import QSvgGenerator  # loaded only when someone exports

        generator = QSvgGenerator()
        generator.setFileName(str(path))
        generator.setSize(rect.size().toSize())
        generator.setViewBox(QRectF(0, 0, rect.width(), rect.height()))
        generator.setTitle("Mechanism map (TrialTree)")
        generator.setDescription(legend or "Mechanism map")
        painter = QPainter(generator)
        scene.render(painter, QRectF(0, 0, rect.width(), rect.height()), rect)
        painter.end()
        if not path.is_file():
            raise OSError(f"the SVG file was not written: {path}")
        return
    image = QImage((rect.size() * scale).toSize(), QImage.Format.Format_ARGB32)
    image.fill(scene.backgroundBrush().color())
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    scene.render(painter, QRectF(0, 0, image.width(), image.height()), rect)
    painter.end()
    if not image.save(str(path), "PNG"):
        raise OSError(f"the PNG file could not be written: {path}")
