"""Keyboard and screen readers, small pieces and calm defaults (issue 6)."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QAccessible, QKeySequence
from PySide6.QtWidgets import (QAbstractButton, QAbstractItemView, QAbstractSlider, QComboBox,
                               QLineEdit, QTextEdit, QWidget)

from desktop import settings
from desktop.ui.shortcuts_sheet import menu_actions, menus, plain, with_mnemonic

RITUXME = "rituxme-phase3-rct"
INTERACTIVE = (QAbstractButton, QAbstractItemView, QComboBox, QLineEdit, QTextEdit)


def mnemonic(text: str) -> str:
    index = text.replace("&&", "\0\0").find("&")
    return text[index + 1].lower() if 0 <= index < len(text) - 1 else ""


def all_menu_entries(window):
    """(menu, entries) for every menu and submenu of the menu bar."""
    found = []

    def walk(menu):
        entries = [a for a in menu.actions() if not a.isSeparator()]
        found.append((menu, entries))
        for action in entries:
            if action.menu() is not None:
                walk(action.menu())

    for menu in menus(window.menuBar()):
        walk(menu)
    return found


def test_every_menu_command_has_a_shortcut_or_a_letter_of_its_own(make_window):
    window = make_window(RITUXME)
    titles = [a.text() for a in window.menuBar().actions()]
    assert all(mnemonic(t) for t in titles)
    assert len({mnemonic(t) for t in titles}) == len(titles)
    for menu, entries in all_menu_entries(window):
        letters = [mnemonic(a.text()) for a in entries if mnemonic(a.text())]
        assert len(letters) == len(set(letters)), (menu.title(), letters)
        for action in entries:
            assert mnemonic(action.text()) or not action.shortcut().isEmpty(), action.text()


def test_no_two_commands_share_a_shortcut(make_window):
    window = make_window(RITUXME)
    owners: dict[str, str] = {}
    actions = {a for menu in menus(window.menuBar()) for a in menu_actions(menu)} | set(window.actions())
    for action in actions:
        for sequence in action.shortcuts():
            key = sequence.toString(QKeySequence.SequenceFormat.PortableText)
            assert key not in owners or owners[key] == action.text(), (key, owners.get(key), action.text())
            owners[key] = action.text()


def test_with_mnemonic_picks_the_first_free_letter_of_a_word():
    assert with_mnemonic("By mechanism", set()) == "&By mechanism"
    assert with_mnemonic("By mechanism", {"b"}) == "By &mechanism"
    assert with_mnemonic("By person", {"b", "p"}) == "B&y person"
    assert with_mnemonic("&Quit", {"q"}) == "&Quit"


def test_every_interactive_widget_has_an_accessible_name(make_window):
    window = make_window(RITUXME)
    missing = []
    for widget in window.findChildren(QWidget):
        if not isinstance(widget, INTERACTIVE) or not widget.isVisibleTo(window):
            continue
        if widget.focusPolicy() == Qt.FocusPolicy.NoFocus and not isinstance(widget, QAbstractButton):
            continue  # e.g. the tree's header: read out as part of the tree
        if isinstance(widget, QAbstractSlider):
            continue
        interface = QAccessible.queryAccessibleInterface(widget)
        name = widget.accessibleName() or (interface.text(QAccessible.Text.Name) if interface else "")
        if not name.strip():
            missing.append(f"{type(widget).__name__} {widget.objectName()!r}")
    assert missing == []
    for widget in (window.detail, window.tree.view, window.search):
        assert widget.accessibleName()
    assert window.detail.accessibleDescription()


def test_tab_moves_from_the_list_to_the_details_to_the_search(make_window, qtbot):
    window = make_window(RITUXME)
    window.tree.view.setFocus()
    qtbot.waitUntil(window.tree.view.hasFocus)
    assert window.tree.view.nextInFocusChain() is window.detail or \
        QWidget.nextInFocusChain(window.tree.view) is not None
    chain, widget = [], window.tree.view
    for _ in range(40):
        widget = widget.nextInFocusChain()
        chain.append(widget)
    assert chain.index(window.detail) < chain.index(window.search)


def test_the_shortcuts_sheet_is_made_from_the_real_actions(make_window):
    window = make_window(RITUXME)
    window.zoom.zoom_in_action.setShortcut(QKeySequence("Ctrl+Alt+Z"))  # a change shows at once
    window.shortcuts_action.trigger()
    text = window.detail.toPlainText()
    assert text.startswith("Keyboard shortcuts")
    for menu in menus(window.menuBar()):
        for action in menu_actions(menu):
            for sequence in action.shortcuts():
                assert sequence.toString(QKeySequence.SequenceFormat.NativeText) in text
            if not action.shortcut().isEmpty():
                assert plain(action.text()) in text
    assert "Ctrl+Alt+Z" in text


# ---- small pieces: summary, key facts, then the full record, in sections that fold ----------


def test_a_trial_reads_summary_then_key_facts_then_the_full_record(make_window, library):
    window = make_window(RITUXME)
    record = library.record(RITUXME)
    text = window.detail.toPlainText()
    order = [record.title.split()[0], record.summary.split(";")[0], "At a glance", "What",
             "In whom", "How many", "Where it stands", "Result", "Identifiers", "Publications",
             "Cross-checked", "More from registries and journals", "How the study worked",
             "Where this comes from"]
    positions = [text.index(piece) for piece in order]
    assert positions == sorted(positions)


def test_a_section_folds_from_its_heading_and_stays_folded(make_window, store, qtbot, library):
    window = make_window(RITUXME)
    record = library.record(RITUXME)
    claim = record.external_facts[0].claim
    assert claim in window.detail.toPlainText()
    window.detail.anchorClicked.emit(QUrl("trialtree-toggle:external"))
    assert claim not in window.detail.toPlainText()
    assert "More from registries and journals (hidden)" in window.detail.toPlainText()
    assert settings.read(store, settings.FOLDED_SECTIONS) == "external"
    window.open_record("daratumumab")  # folded everywhere
    assert library.record("daratumumab").external_facts[0].claim not in window.detail.toPlainText()
    window.close()
    again = make_window(RITUXME, settings_store=store)
    assert claim not in again.detail.toPlainText()
    again.detail.anchorClicked.emit(QUrl("trialtree-toggle:external"))
    assert claim in again.detail.toPlainText()
    assert settings.read(store, settings.FOLDED_SECTIONS) == ""


def test_enter_on_a_section_heading_folds_it_and_keeps_the_focus_there(make_window, qtbot):
    window = make_window(RITUXME)
    detail = window.detail
    detail.setFocus()
    qtbot.waitUntil(detail.hasFocus)
    assert detail.focus_anchor("trialtree-toggle:publications")
    qtbot.keyClick(detail, Qt.Key.Key_Return)
    assert "publications" in detail.folded
    assert detail.textCursor().charFormat().anchorHref() == "trialtree-toggle:publications"
    qtbot.keyClick(detail, Qt.Key.Key_Return)
    assert "publications" not in detail.folded


def test_the_app_reopens_on_the_record_and_place_the_reader_left(make_window, store, qtbot):
    window = make_window(RITUXME)
    window.resize(1000, 600)
    bar = window.detail.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    bar.setValue(bar.maximum() // 2)
    fraction = window.detail.scroll_fraction()
    assert 0.3 < fraction < 0.7
    window.close()
    again = make_window(settings_store=store)
    again.resize(1000, 600)
    assert again.detail.record.id == RITUXME
    again_bar = again.detail.verticalScrollBar()
    qtbot.waitUntil(lambda: again_bar.maximum() > 0 and
                    abs(again.detail.scroll_fraction() - fraction) < 0.05)


# ---- calm defaults ------------------------------------------------------------------------


def test_nothing_pops_up_on_launch(make_window, qtbot):
    from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

    _window = make_window(RITUXME)  # held while the launch settles
    qtbot.wait(50)
    windows = [w for w in QApplication.topLevelWidgets() if w.isVisible()
               and isinstance(w, (QDialog, QMessageBox))]
    assert windows == []


def test_messages_go_to_the_status_bar(make_window):
    window = make_window(RITUXME)
    window.zoom.zoom_in()
    assert "Text size: 110%" in window.statusBar().currentMessage()


def test_tab_into_the_pane_selects_a_link_in_the_highlight_colours(make_window, qtbot):
    from PySide6.QtGui import QPalette

    from desktop.ui.themes import build_palette

    window = make_window(RITUXME)
    for theme in ("light", "dark", "low-stimulus"):
        window.themes.set_theme(theme)
        window.tree.view.setFocus()
        qtbot.waitUntil(window.tree.view.hasFocus)
        qtbot.keyClick(window.tree.view, Qt.Key.Key_Tab)
        detail = window.detail
        qtbot.waitUntil(detail.hasFocus)
        href = detail.focused_href()
        assert href, theme  # the first Tab already shows where the focus is
        qtbot.waitUntil(lambda: bool(window.statusBar().currentMessage()))
        highlight = build_palette(theme).color(QPalette.ColorRole.Highlight)
        image = detail.viewport().grab().toImage()
        rect = detail.focused_link_rect()
        row = rect.center().y()
        colours = {image.pixelColor(x, row).name() for x in range(max(rect.left() - 40, 0),
                                                              min(rect.right() + 200, image.width()))}
        assert highlight.name() in colours, theme
        qtbot.keyClick(detail, Qt.Key.Key_Tab)  # on to the next link
        assert detail.focused_href() not in ("", href)
    window.themes.set_theme("system")


def test_the_focused_links_tooltip_stays_off_its_line(make_window, qtbot):
    from PySide6.QtWidgets import QApplication, QToolTip

    window = make_window(RITUXME)
    detail = window.detail
    window.tree.view.setFocus()
    qtbot.waitUntil(window.tree.view.hasFocus)
    qtbot.keyClick(window.tree.view, Qt.Key.Key_Tab)  # the page's first link is a glossary term
    qtbot.waitUntil(detail.hasFocus)
    assert detail._term_of(detail.focused_href())
    qtbot.waitUntil(QToolTip.isVisible)
    tip = next(w for w in QApplication.topLevelWidgets() if w.inherits("QTipLabel") and w.isVisible())
    rect = detail.focused_link_rect()
    link = rect.translated(detail.viewport().mapToGlobal(rect.topLeft()) - rect.topLeft())
    assert not tip.geometry().intersects(link)
    assert tip.geometry().top() >= link.bottom() or tip.geometry().bottom() <= link.top()
