"""The bookmarks controller talks to the window only through ``BookmarkHost`` (issue 15).

Read from the source (no Qt needed): every ``self.window.<name>`` (and ``w.<name>`` after
``w = self.window``) in desktop/ui/bookmarks_controller.py and desktop/ui/export_dialog.py must be
declared on the Protocol, and the window must have each of them.
"""

from __future__ import annotations

import ast
from pathlib import Path

import desktop

UI = Path(desktop.__file__).parent / "ui"


def declared() -> set[str]:
    tree = ast.parse((UI / "bookmarks_controller.py").read_text("utf-8"))
    host = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "BookmarkHost")
    names = set()
    for node in host.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.FunctionDef):
            names.add(node.name)
    return names


def used(path: Path, window_names: tuple[str, ...]) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    aliases = set(window_names)
    for node in ast.walk(tree):  # w = self.window
        if (isinstance(node, ast.Assign) and isinstance(node.value, ast.Attribute)
                and ast.unparse(node.value) in window_names):
            aliases.update(ast.unparse(t) for t in node.targets)
    return {node.attr for node in ast.walk(tree)
            if isinstance(node, ast.Attribute) and ast.unparse(node.value) in aliases}


def test_the_controller_uses_only_what_the_host_protocol_declares():
    names = declared()
    assert {"detail", "show_message"} <= names  # the walk found the Protocol
    controller = used(UI / "bookmarks_controller.py", ("self.window",))
    dialogs = used(UI / "export_dialog.py", ("bookmarking.window",))
    assert controller, "found no use of self.window"
    assert sorted((controller | dialogs) - names) == []


def test_the_window_provides_everything_the_host_protocol_declares():
    from desktop.ui.main_window import MainWindow

    assert sorted(name for name in declared() if not hasattr(MainWindow, name)
                  and name not in MainWindow.__init__.__code__.co_names) == []
