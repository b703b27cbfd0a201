"""View → Map: the mechanisms and their links as a picture, with a list one keystroke away.

This module only wires the menu entries; the map (desktop.ui.map_window) is imported and built the
first time it is opened, never at start-up. Tab, Shift+Tab and the arrow keys move from mechanism
to mechanism in the tree's order; Enter (or a click) opens its pane in the main window. Ctrl+L
swaps the picture for the same content as a nested list. File → Export map… saves SVG or PNG.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

SHORTCUT = "Ctrl+M"
_WINDOW_ATTR = "_mechanism_map_window"


# ---- wiring into the main window -------------------------------------------------------------


def map_window(window):
    """The map's window (a MapWindow), built the first time it is needed (None without data).
    Drawn again from the new data when the window's library has been replaced (a rebuild)."""
    library = getattr(window, "library", None)
    existing = getattr(window, _WINDOW_ATTR, None)
    if library is None:
        return existing
    from desktop.data.mechanism_map import map_for_library
    from desktop.ui.map_window import MapWindow

    if existing is None:
        existing = MapWindow(map_for_library(library), window)
        setattr(window, _WINDOW_ATTR, existing)
    elif existing.library is not library:
        existing.set_map(map_for_library(library))
    existing.library = library
    return existing


def open_map(window, focus_mechanism_id: str | None = None):
    """Show the map (building it on first use), with ``focus_mechanism_id`` current if given."""
    shown = map_window(window)
    if shown is None:
        if hasattr(window, "show_message"):
            window.show_message("The map needs the reference data, which is not loaded yet.")
        return None
    shown.show()
    shown.raise_()
    shown.activateWindow()
    if shown.stack.currentWidget() is not shown.view:
        shown.toggle_list()
    if not (focus_mechanism_id and shown.view.focus_id(focus_mechanism_id)) and shown.view.current() is None:
        shown.view.focus_node(0)
    shown.show_ring()  # the whole ring in view where it fits, the current node always
    shown.view.setFocus(Qt.FocusReason.OtherFocusReason)
    return shown


def export_map(window) -> None:
    shown = map_window(window)
    if shown is not None:
        shown.export_with_dialog()


def install(window) -> None:
    """View → Map (Ctrl+M) and File → Export map…; nothing is built until one is used."""
    window.map_action = QAction("Mechanism &map", window)
    window.map_action.setShortcut(QKeySequence(SHORTCUT))
    window.map_action.triggered.connect(lambda: open_map(window))
    window.export_map_action = QAction("Export &map…", window)
    window.export_map_action.triggered.connect(lambda: export_map(window))
    menus = {action.text().replace("&", ""): action.menu() for action in window.menuBar().actions()}
    file_menu, view_menu = menus.get("File"), menus.get("View")
    if file_menu is not None:
        quit_action = getattr(window, "quit_action", None)
        file_menu.insertAction(quit_action, window.export_map_action) if quit_action in file_menu.actions() \
            else file_menu.addAction(window.export_map_action)
    if view_menu is not None:
        glossary = getattr(window, "glossary_action", None)
        actions = view_menu.actions()
        after = actions[actions.index(glossary) + 1] if glossary in actions[:-1] else None
        view_menu.insertAction(after, window.map_action) if after else view_menu.addAction(window.map_action)
