"""Themes: Light, Dark and Low stimulus, or whichever of Light and Dark the system asks for.

Every colour comes from one file, ``resources/palettes.toml``; this module turns a table of it
into a :class:`QPalette` and applies that to the whole application. Widgets use palette roles
only (the detail pane builds its CSS from the palette too), so a theme is nothing but a palette,
plus a focus ring drawn in the palette's accent colour and icons recoloured to match.

"Follow the system" reads Qt 6's ``QStyleHints.colorScheme`` and keeps following it while the
app runs. The Fusion style is used everywhere: it honours every palette role on every platform,
so a dark theme never leaves light patches or unreadable highlights behind (Zeal's and Qt
Assistant's dark modes do).
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from typing import Any, Iterable

from PySide6.QtCore import (QByteArray, QObject, QPointF, QRectF, QSettings, QSize, Qt, Signal,
                            Slot)
from PySide6.QtGui import (QAction, QActionGroup, QColor, QGuiApplication, QIcon, QPainter,
                           QPalette, QPixmap, QPolygonF)
from PySide6.QtWidgets import (QAbstractButton, QApplication, QDockWidget, QProxyStyle, QStyle,
                               QStyleOption, QToolTip, QWidget)

from desktop import paths, settings

SYSTEM = "system"  # not a palette: light or dark, as the system is set
SYSTEM_LABEL = "&Follow the system"
SYSTEM_DESCRIPTION = "Light or dark, as your system is set"
ICON_SIZES = (16, 24, 32, 48, 64)
TREE_INDENT = 0.75  # the tree's indentation, in lines of text  # when the caller does not say which sizes it shows
_ICON_PLACEHOLDER = "currentColor"
_DEFAULT_FLASH_TIME = "trialtree_default_cursor_flash_time"
_CURRENT = "trialtree_theme"
_CALM_EFFECTS = (Qt.UIEffect.UI_AnimateMenu, Qt.UIEffect.UI_FadeMenu, Qt.UIEffect.UI_AnimateCombo,
                 Qt.UIEffect.UI_AnimateTooltip, Qt.UIEffect.UI_FadeTooltip,
                 Qt.UIEffect.UI_AnimateToolBox)


# ---- the palette file ----------------------------------------------------------------------


@lru_cache(maxsize=None)
def palette_definitions() -> dict[str, dict[str, Any]]:
    """Every theme's table from ``resources/palettes.toml`` (read once)."""
    with open(paths.resources_dir() / "palettes.toml", "rb") as file:
        return tomllib.load(file)


def theme_names() -> tuple[str, ...]:
    """Every choice in the menu: "system", then the palettes in the file's order."""
    return (SYSTEM, *palette_definitions())


def menu_label(theme: str) -> str:
    """The menu entry of a choice (with its "&" shortcut letter)."""
    return SYSTEM_LABEL if theme == SYSTEM else palette_definitions()[theme]["label"]


def description(theme: str) -> str:
    """A choice's tooltip and status-bar line."""
    return SYSTEM_DESCRIPTION if theme == SYSTEM else palette_definitions()[theme]["description"]


def is_still(theme: str) -> bool:
    """Whether a choice promises no motion (the palette's ``still`` flag)."""
    return bool(palette_definitions()[resolve(theme)].get("still", False))


def _role(name: str) -> QPalette.ColorRole:
    """``window_text`` → ``QPalette.ColorRole.WindowText``."""
    return getattr(QPalette.ColorRole, "".join(part.capitalize() for part in name.split("_")))


def build_palette(theme: str) -> QPalette:
    """The QPalette of a concrete theme (``light``, ``dark`` or ``low-stimulus``)."""
    definition = palette_definitions()[theme]
    palette = QPalette()
    for key, value in definition.items():
        if isinstance(value, str) and value.startswith("#"):
            palette.setColor(_role(key), QColor(value))  # every colour group
    for key, value in definition.get("disabled", {}).items():
        palette.setColor(QPalette.ColorGroup.Disabled, _role(key), QColor(value))
    return palette


def resolve(theme: str, scheme: Qt.ColorScheme | None = None) -> str:
    """The concrete theme for a choice: ``system`` becomes ``dark`` or ``light``."""
    if theme in palette_definitions():
        return theme
    if scheme is None:
        scheme = QGuiApplication.styleHints().colorScheme()
    return "dark" if scheme == Qt.ColorScheme.Dark else "light"


def focus_stylesheet(palette: QPalette) -> str:
    """A clear focus ring in the accent colour on the widgets people type and read in."""
    role = QPalette.ColorRole
    accent = palette.color(role.Accent).name()
    frame = palette.color(role.Mid).name()
    return f"""
QTreeView, QListView, QTextBrowser {{ border: 1px solid {frame}; padding: 1px; }}
QTreeView:focus, QListView:focus, QTextBrowser:focus {{ border: 2px solid {accent}; padding: 0px; }}
QLineEdit {{ border: 1px solid {frame}; padding: 3px; border-radius: 3px; }}
QLineEdit:focus {{ border: 2px solid {accent}; padding: 2px; }}
QComboBox:focus, QToolButton:focus, QPushButton:focus {{ border: 2px solid {accent}; border-radius: 3px; }}
"""


class CalmStyle(QProxyStyle):
    """Fusion, with the tree's open/close arrows and indentation growing with the text size
    (Fusion's stay 9 pixels wide at 250%) and drawn in the palette's text colour."""

    def __init__(self) -> None:
        super().__init__("Fusion")

    def drawPrimitive(self, element: QStyle.PrimitiveElement, option: QStyleOption,
                      painter: QPainter, widget: QWidget | None = None) -> None:
        if (element == QStyle.PrimitiveElement.PE_IndicatorBranch
                and option.state & QStyle.StateFlag.State_Children):
            side = max(8.0, option.fontMetrics.height() * 0.42)
            centre = QPointF(option.rect.center())
            half = side / 2
            if option.state & QStyle.StateFlag.State_Open:  # pointing down
                points = [QPointF(-half, -half / 2), QPointF(half, -half / 2), QPointF(0, half * 0.8)]
            else:  # pointing right
                points = [QPointF(-half / 2, -half), QPointF(half * 0.8, 0), QPointF(-half / 2, half)]
            painter.save()
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(option.palette.color(QPalette.ColorRole.Text))
            painter.drawPolygon(QPolygonF([centre + p for p in points]))
            painter.restore()
            return
        super().drawPrimitive(element, option, painter, widget)

    def pixelMetric(self, metric: QStyle.PixelMetric, option: QStyleOption | None = None,
                    widget: QWidget | None = None) -> int:
        if metric == QStyle.PixelMetric.PM_LineEditIconSize and widget is not None:
            # the search field's clear and "?" buttons grow with the text (Fusion's stay 16 px)
            return max(super().pixelMetric(metric, option, widget),
                       widget.fontMetrics().height())
        if metric == QStyle.PixelMetric.PM_SmallIconSize and (
                isinstance(widget, QDockWidget) or isinstance(widget, QAbstractButton)
                and isinstance(widget.parentWidget(), QDockWidget)):
            # a dock's close button grows with its title (Fusion's stays 10 pixels at 250%)
            return max(super().pixelMetric(metric, option, widget),
                       round(widget.fontMetrics().height() * 1.2))
        if metric == QStyle.PixelMetric.PM_TreeViewIndentation and widget is not None:
            # three quarters of a line: room for the arrow, and more of each title at 200%
            return max(20, round(widget.fontMetrics().height() * TREE_INDENT))
        return super().pixelMetric(metric, option, widget)


def apply_theme(theme: str, app: QApplication | None = None) -> str:
    """Give the whole application the palette of ``theme``; the concrete theme applied."""
    app = app or QApplication.instance()
    concrete = resolve(theme)
    if not isinstance(app.style(), CalmStyle):
        app.setStyle(CalmStyle())
    palette = build_palette(concrete)
    app.setPalette(palette)
    QToolTip.setPalette(palette)
    app.setStyleSheet(focus_stylesheet(palette))
    for effect in _CALM_EFFECTS:  # calm in every theme: menus and tooltips appear, not slide
        app.setEffectEnabled(effect, False)
    if app.property(_DEFAULT_FLASH_TIME) is None:
        app.setProperty(_DEFAULT_FLASH_TIME, app.cursorFlashTime())
    app.setCursorFlashTime(0 if is_still(concrete) else int(app.property(_DEFAULT_FLASH_TIME)))
    app.setProperty(_CURRENT, concrete)
    return concrete


def current_theme(app: QApplication | None = None) -> str:
    """The concrete theme last applied ("" before any)."""
    app = app or QApplication.instance()
    return str(app.property(_CURRENT) or "")


# ---- icons ---------------------------------------------------------------------------------


@lru_cache(maxsize=None)
def _svg_source(name: str) -> bytes:
    return (paths.resources_dir() / "icons" / f"{name}.svg").read_bytes()


def _render(svg: bytes, size: int, ratio: float) -> QPixmap:
    from PySide6.QtSvg import QSvgRenderer  # only when the first icon is drawn

    renderer = QSvgRenderer(QByteArray(svg))
    side = max(1, round(size * ratio))
    pixmap = QPixmap(side, side)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    renderer.render(painter, QRectF(0, 0, side, side))
    painter.end()
    pixmap.setDevicePixelRatio(ratio)
    return pixmap


def icon(name: str, palette: QPalette, sizes: Iterable[int] = ICON_SIZES) -> QIcon:
    """``resources/icons/<name>.svg`` drawn in the palette's button text colour (and its
    disabled colour when the action is disabled), sharp at each of ``sizes``: icons follow the
    theme. Draw again when the theme or the text size changes."""
    source = _svg_source(name).decode("utf-8")
    ratio = QGuiApplication.primaryScreen().devicePixelRatio() if QGuiApplication.primaryScreen() else 1.0
    result = QIcon()
    for mode, group in ((QIcon.Mode.Normal, QPalette.ColorGroup.Active),
                        (QIcon.Mode.Disabled, QPalette.ColorGroup.Disabled)):
        colour = palette.color(group, QPalette.ColorRole.ButtonText).name()
        svg = source.replace(_ICON_PLACEHOLDER, colour).encode("utf-8")
        for size in dict.fromkeys(sizes):
            result.addPixmap(_render(svg, size, ratio), mode)
    return result


# ---- the menu choice -----------------------------------------------------------------------


class ThemeChooser(QObject):
    """The View menu's theme actions: applies the stored choice, remembers a new one, and
    follows the system's light/dark setting while "Follow the system" is chosen.

    ``changed(concrete_theme)`` fires after every new palette (e.g. to recolour icons).
    """

    changed = Signal(str)

    def __init__(self, store: QSettings, parent: QObject | None = None):
        super().__init__(parent)
        self._store = store
        choice = settings.read(store, settings.THEME)
        self.theme = choice if choice in theme_names() else SYSTEM
        self.actions = QActionGroup(self)
        self.actions.setExclusive(True)
        for theme in theme_names():
            action = QAction(menu_label(theme), self.actions)
            action.setCheckable(True)
            action.setData(theme)
            action.setStatusTip(description(theme))
            action.setToolTip(description(theme))
            action.setChecked(theme == self.theme)
        self.actions.triggered.connect(self._on_action)
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._on_scheme)

    def apply(self) -> str:
        concrete = apply_theme(self.theme)
        self.changed.emit(concrete)
        return concrete

    def set_theme(self, theme: str) -> None:
        """Switch to ``theme`` (one of :func:`theme_names`) and remember it."""
        if theme not in theme_names():
            raise ValueError(f"unknown theme {theme!r}; choose one of {', '.join(theme_names())}")
        self.theme = theme
        for action in self.actions.actions():
            action.setChecked(action.data() == theme)
        settings.write(self._store, settings.THEME, theme)
        self.apply()

    @Slot(QAction)
    def _on_action(self, action: QAction) -> None:
        self.set_theme(action.data())

    @Slot(Qt.ColorScheme)
    def _on_scheme(self, scheme: Qt.ColorScheme) -> None:
        if self.theme == SYSTEM:
            self.apply()


def icon_size(scale: float = 1.0) -> QSize:
    """Toolbar icons grow with the text (see desktop.ui.zoom)."""
    side = round(20 * scale)
    return QSize(side, side)
