"""The window's side of an imported study's pane links (issue 17): "File under a mechanism…" and
"Remove this imported study…" go to the import machinery, like the tree's menu does."""

from __future__ import annotations

from desktop.ui import import_window


def on_import_action(window, action: str, record_id: str) -> bool:
    """Run one pane action on an imported study; True when it was done."""
    if action == "file":
        return import_window.file_under(window, record_id)
    if action == "remove":
        return import_window.remove_import(window, record_id)
    return False


def connect(window) -> None:
    window.detail.import_action_requested.connect(
        lambda action, record_id: on_import_action(window, action, record_id))
