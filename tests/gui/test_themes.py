"""Themes: one palette file, applied to every widget, remembered, readable, and calm."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from desktop.ui import themes

RITUXME = "rituxme-phase3-rct"
ROLE = QPalette.ColorRole
CONCRETE = ("light", "dark", "low-stimulus")


def luminance(colour: QColor) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    return 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())


def contrast(one: QColor, other: QColor) -> float:
    a, b = sorted((luminance(one), luminance(other)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def main_widgets(window):
    return [window.tree.view, window.detail, window.search, window.results, window.tree.selector,
            window.menuBar(), window.statusBar()]


def test_switching_theme_changes_the_palette_of_the_main_widgets_and_is_remembered(
        make_window, store, qtbot):
    window = make_window(RITUXME)
    for theme in CONCRETE:
        window.themes.set_theme(theme)
        expected = themes.build_palette(theme)
        for widget in main_widgets(window):
            for role in (ROLE.Base, ROLE.Text, ROLE.Window, ROLE.Highlight):
                assert widget.palette().color(role) == expected.color(role), (theme, widget, role)
        assert expected.color(ROLE.Text).name() in window.detail.document().defaultStyleSheet()
        assert themes.current_theme() == theme
    window.close()
    again = make_window(RITUXME, settings_store=store)
    assert again.themes.theme == "low-stimulus"
    assert again.detail.palette().color(ROLE.Base) == themes.build_palette("low-stimulus").color(ROLE.Base)
    action = next(a for a in again.themes.actions.actions() if a.isChecked())
    assert action.data() == "low-stimulus"


def test_the_theme_can_be_chosen_from_the_view_menu(make_window):
    window = make_window(RITUXME)
    dark = next(a for a in window.themes.actions.actions() if a.data() == "dark")
    dark.trigger()
    assert window.tree.view.palette().color(ROLE.Base) == themes.build_palette("dark").color(ROLE.Base)
    view_menu = next(a.menu() for a in window.menuBar().actions() if "View" in a.text())
    colours = next(a.menu() for a in view_menu.actions() if a.menu() is not None)
    assert dark in colours.actions()


@pytest.mark.parametrize("scheme, expected", [(Qt.ColorScheme.Dark, "dark"),
                                              (Qt.ColorScheme.Light, "light"),
                                              (Qt.ColorScheme.Unknown, "light")])
def test_following_the_system_picks_light_or_dark(scheme, expected):
    assert themes.resolve("system", scheme) == expected
    assert themes.resolve("low-stimulus", scheme) == "low-stimulus"


def test_following_the_system_is_the_default_and_follows_a_change(make_window, qtbot, monkeypatch):
    window = make_window(RITUXME)
    assert window.themes.theme == "system"
    monkeypatch.setattr(themes, "resolve", lambda theme, scheme=None: "dark")
    window.themes._on_scheme(Qt.ColorScheme.Dark)
    assert window.detail.palette().color(ROLE.Base) == themes.build_palette("dark").color(ROLE.Base)


@pytest.mark.parametrize("theme", CONCRETE)
def test_every_theme_is_readable(theme):
    palette = themes.build_palette(theme)
    for fg, bg in ((ROLE.Text, ROLE.Base), (ROLE.WindowText, ROLE.Window),
                   (ROLE.PlaceholderText, ROLE.Base), (ROLE.Link, ROLE.Base),
                   (ROLE.ButtonText, ROLE.Button), (ROLE.HighlightedText, ROLE.Highlight),
                   (ROLE.ToolTipText, ROLE.ToolTipBase), (ROLE.Text, ROLE.AlternateBase)):
        ratio = contrast(palette.color(fg), palette.color(bg))
        assert ratio >= 4.5, (theme, fg, bg, round(ratio, 2))
    assert contrast(palette.color(ROLE.Accent), palette.color(ROLE.Base)) >= 3  # the focus ring


def test_the_low_stimulus_theme_is_dim_without_glare():
    palette = themes.build_palette("low-stimulus")
    assert contrast(palette.color(ROLE.Text), palette.color(ROLE.Base)) <= 7.5
    for role in ROLE:
        if role in (ROLE.NColorRoles, ROLE.NoRole):
            continue
        colour = palette.color(role)
        assert colour != QColor("#ffffff"), role
        assert luminance(colour) < 0.5, (role, colour.name())
    assert luminance(palette.color(ROLE.Base)) < 0.05  # a dark background


def test_the_low_stimulus_theme_has_no_motion(make_window):
    window = make_window(RITUXME)
    window.themes.set_theme("low-stimulus")
    app = QApplication.instance()
    assert app.cursorFlashTime() == 0
    for effect in (Qt.UIEffect.UI_AnimateMenu, Qt.UIEffect.UI_FadeMenu, Qt.UIEffect.UI_AnimateCombo,
                   Qt.UIEffect.UI_AnimateTooltip, Qt.UIEffect.UI_FadeTooltip):
        assert not app.isEffectEnabled(effect)
    assert not window.tree.view.isAnimated()
    window.themes.set_theme("light")
    assert app.cursorFlashTime() > 0


def test_icons_are_drawn_in_the_themes_colours(make_window):
    window = make_window(RITUXME)
    for theme in ("light", "low-stimulus"):
        window.themes.set_theme(theme)
        expected = themes.build_palette(theme).color(ROLE.ButtonText)
        image = window.back_action.icon().pixmap(24, 24).toImage()
        colours = {image.pixelColor(x, y).rgb() for x in range(24) for y in range(24)
                   if image.pixelColor(x, y).alpha() == 255}
        assert QColor(expected).rgb() in colours, theme


def test_the_focused_widget_has_a_ring_in_the_accent_colour(make_window, qtbot):
    window = make_window(RITUXME)
    window.themes.set_theme("low-stimulus")
    accent = themes.build_palette("low-stimulus").color(ROLE.Accent)
    view = window.tree.view
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    image = view.grab().toImage()
    assert image.pixelColor(0, image.height() // 2) == accent
    window.detail.setFocus()
    qtbot.waitUntil(window.detail.hasFocus)
    image = view.grab().toImage()
    assert image.pixelColor(0, image.height() // 2) != accent


def test_widgets_take_colours_from_the_palette_not_from_their_own_code():
    """Only the palette file names colours; the code asks the palette for roles."""
    ui = Path(__file__).resolve().parents[2] / "desktop"
    literal = re.compile(r"""["']#[0-9a-fA-F]{3,8}["']|QColor\(\s*["']|Qt\.GlobalColor\.(?!transparent)""")
    offenders = [f"{path.name}:{n}" for path in sorted(ui.rglob("*.py"))
                 for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if literal.search(line)]
    assert offenders == []


def test_a_theme_is_declared_in_the_palette_file_alone(monkeypatch, qtbot, store):
    """A new table in palettes.toml is a new menu entry, with its label and description, and its
    ``still`` flag (not its name) keeps the busy bar from moving."""
    from desktop.ui.main_window import MainWindow

    declared = dict(themes.palette_definitions())
    declared["night"] = {**declared["low-stimulus"], "label": "&Night",
                         "description": "A test theme with no motion"}
    monkeypatch.setattr(themes, "palette_definitions", lambda: declared)
    window = MainWindow(None, store)
    qtbot.addWidget(window)
    entries = {a.data(): (a.text(), a.toolTip()) for a in window.themes.actions.actions()}
    assert entries["night"] == ("&Night", "A test theme with no motion")
    assert entries["light"] == ("&Light", "Dark text on a soft light background")
    window.show_preparing()
    window.show()
    window.themes.set_theme("night")
    assert window.progress.isHidden()
    window.themes.set_theme("light")
    assert not window.progress.isHidden()
