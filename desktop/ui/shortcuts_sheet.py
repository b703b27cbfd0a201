"""The keyboard shortcuts sheet, built from the window's real QActions so it never lies.

Also the menu mnemonics: every menu entry without a shortcut gets an Alt-letter (the first free
letter of its words), so every action is reachable from the keyboard.
"""

from __future__ import annotations

from typing import Iterable, Sequence

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar, QWidget

SHEET_TITLE = "Keyboard shortcuts"
SHEET_INTRO = ("Every command is also in the menus: press Alt to reach the menu bar, then the "
               "underlined letter. This list is made from the menus themselves.")
# Keys that are not menu commands: what the widgets themselves do with them.
MOVING_AROUND: tuple[tuple[str, str], ...] = (
    ("Up, Down", "Move in the list on the left and show that entry"),
    ("Right, Left", "Open or close an entry in the list"),
    ("Tab, Shift+Tab", "Move between the list, the details and the search field; in the details, "
                       "from link to link"),
    ("Enter", "Open the link or the search result that has the focus"),
    ("Escape", "Leave the search or the details and go back to the list"),
    ("Alt", "Reach the menu bar"),
)


def plain(text: str) -> str:
    """A menu text without its mnemonic marker or trailing dots: ``&Export…`` → ``Export``."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip(".…").strip()


def keys_text(action: QAction) -> str:
    return ", ".join(s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts()
                     if not s.isEmpty())


def menu_actions(menu: QMenu) -> Iterable[QAction]:
    """Every command in ``menu`` and its submenus (not separators, not the submenus' own entries)."""
    for action in menu.actions():
        if action.isSeparator():
            continue
        if action.menu() is not None:
            yield from menu_actions(action.menu())
        else:
            yield action


def menus(bar: QMenuBar) -> list[QMenu]:
    return [a.menu() for a in bar.actions() if a.menu() is not None]


def sheet_groups(bar: QMenuBar) -> list[tuple[str, list[tuple[str, str]]]]:
    """Per menu, (keys, command) for every command with a shortcut; then the moving-around keys."""
    groups = []
    for menu in menus(bar):
        rows = []
        seen = set()
        for action in menu_actions(menu):
            keys = keys_text(action)
            if keys and id(action) not in seen:
                seen.add(id(action))
                rows.append((keys, plain(action.text())))
        if rows:
            groups.append((f"{plain(menu.title())} menu", rows))
    groups.append(("Moving around", list(MOVING_AROUND)))
    return groups


def _letters(text: str) -> list[str]:
    """Candidate mnemonic letters: first letters of words, then every other letter."""
    words = plain(text).split()
    firsts = [w[0] for w in words if w[:1].isalnum()]
    rest = [c for w in words for c in w[1:] if c.isalnum()]
    return firsts + rest


def _mnemonic(text: str) -> str:
    """The letter after a single ``&`` in ``text`` (lowercase), or ""."""
    index = text.replace("&&", "\0\0").find("&")
    return text[index + 1].lower() if 0 <= index < len(text) - 1 else ""


def with_mnemonic(text: str, taken: set[str]) -> str:
    """``text`` with an ``&`` before its first letter not in ``taken`` (unchanged when it
    already has one, or when every letter is taken)."""
    if _mnemonic(text):
        return text
    for letter in _letters(text):
        if letter.lower() not in taken:
            position = text.find(letter, 0)
            # the first occurrence of that letter that starts a word, when there is one
            for i, c in enumerate(text):
                if c == letter and (i == 0 or not text[i - 1].isalnum()):
                    position = i
                    break
            return text[:position] + "&" + text[position:]
    return text


def ensure_mnemonics(bar: QMenuBar) -> None:
    """Give every menu, and every entry of every menu, an Alt-letter of its own."""
    entries = [a for a in bar.actions() if a.menu() is not None]
    _assign(entries)
    for action in entries:
        _assign_menu(action.menu())


def _assign_menu(menu: QMenu) -> None:
    entries = [a for a in menu.actions() if not a.isSeparator()]
    _assign(entries)
    for action in entries:
        if action.menu() is not None:
            _assign_menu(action.menu())


def _assign(actions: Sequence[QAction]) -> None:
    taken = {_mnemonic(a.text()) for a in actions} - {""}
    for action in actions:
        if not _mnemonic(action.text()):
            text = with_mnemonic(action.text(), taken)
            if text != action.text():
                taken.add(_mnemonic(text))
                action.setText(text)


def name_tool_buttons(widget: QWidget) -> None:
    """Toolbar buttons made from actions: the action's plain text as their accessible name, its
    tooltip as their description (screen readers otherwise may get nothing)."""
    from PySide6.QtWidgets import QToolBar

    for bar in widget.findChildren(QToolBar):
        for action in bar.actions():
            button = bar.widgetForAction(action)
            if button is None or action.isSeparator() or button.accessibleName():
                continue  # a widget put in the toolbar names itself
            button.setAccessibleName(plain(action.text()))
            button.setAccessibleDescription(action.toolTip() or action.statusTip())
