"""How a result row is drawn: escaped snippets, highlights from the palette, one line each."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFont, QFontMetrics, QPalette

from desktop.data.search import MARK_END, MARK_START
from desktop.ui import themes
from desktop.ui.results_delegate import (contrast, elide_marked, mark_colour, plain_text,
                                         snippet_document, snippet_html)
from desktop.ui.search_bar import grammar_sheet, results_notice

MARKS = (MARK_START, MARK_END)
from desktop.render.markup import Markup  # noqa: E402

ROLE = QPalette.ColorRole


def test_snippet_text_is_escaped_before_the_matches_are_highlighted(qapp):
    snippet = f"tested <b>not bold</b> & {MARK_START}ritux{MARK_END}imab <img src=x>"
    colour = mark_colour(themes.build_palette("light"))
    markup = snippet_html(snippet, MARKS, colour)
    assert "&lt;b&gt;not bold&lt;/b&gt; &amp;" in markup and "<b>" not in markup
    assert "&lt;img src=x&gt;" in markup
    assert f'<span style="background-color: {colour.name()};">ritux</span>imab' in markup
    assert isinstance(markup, Markup)  # the same "already escaped" type the pane's pages use
    document = snippet_document(snippet, MARKS, colour, QFont())
    assert document.toPlainText() == "tested <b>not bold</b> & rituximab <img src=x>"


def test_unbalanced_markers_still_give_well_formed_markup(qapp):
    colour = mark_colour(themes.build_palette("light"))
    assert snippet_html(f"a{MARK_END}b{MARK_START}c", MARKS, colour).endswith("c</span>")
    assert snippet_html(f"{MARK_START}{MARK_START}a{MARK_END}{MARK_END}", MARKS, colour).count("<span") == 1


@pytest.mark.parametrize("theme", ["light", "dark", "low-stimulus"])
def test_highlights_come_from_the_palette_and_keep_the_text_readable(qapp, theme):
    palette = themes.build_palette(theme)
    plain = mark_colour(palette)
    selected = mark_colour(palette, selected=True)
    assert contrast(palette.color(ROLE.Text), plain) >= 4.5
    assert contrast(palette.color(ROLE.HighlightedText), selected) >= 4.5
    assert contrast(plain, palette.color(ROLE.Base)) > 1.2  # visible on the row
    assert contrast(selected, palette.color(ROLE.Highlight)) > 1.2  # and on a selected row
    # mixed from the theme's own highlight: its hue leans that way
    highlight, base = palette.color(ROLE.Highlight), palette.color(ROLE.Base)
    assert plain != base and abs(plain.hueF() - highlight.hueF()) < 0.1


def test_the_window_highlights_in_the_colours_of_the_current_theme(make_window, qtbot):
    window = make_window()
    window.themes.set_theme("dark")
    colour = mark_colour(window.results.palette())
    assert colour == mark_colour(themes.build_palette("dark"))
    window.themes.set_theme("light")
    assert mark_colour(window.results.palette()) == mark_colour(themes.build_palette("light"))


def test_hostile_seed_text_shows_as_text_in_the_results(qtbot, store, tiny_library, hostile_text):
    from desktop.ui.main_window import MainWindow

    window = MainWindow(tiny_library, store)
    qtbot.addWidget(window)
    window.show()
    window.focus_search()
    qtbot.keyClicks(window.search, "tested")
    qtbot.waitUntil(lambda: window._shown_query == "tested", timeout=5000)
    model = window.results_model
    hit = model.hit(0)
    assert hit.id == "hostile-trial" and hit.title == hostile_text["title"]
    document = snippet_document(hit.snippet, model.marks, mark_colour(window.palette()), QFont())
    assert "<img src=\"file:///etc/passwd\">" in document.toPlainText()
    assert window.results.grab().width() > 0  # paints without trouble


def test_a_long_snippet_is_cut_to_one_line_keeping_its_highlights(qapp):
    metrics = QFontMetrics(QFont())
    snippet = f"one two {MARK_START}three{MARK_END} " + "word " * 60
    short = elide_marked(snippet, MARKS, metrics, 200)
    assert short.endswith("…") and MARK_START + "three" + MARK_END in short
    assert metrics.horizontalAdvance(plain_text(short, MARKS)) <= 200
    cut_in_mark = elide_marked(f"aaaa {MARK_START}{'b' * 200}{MARK_END}", MARKS, metrics, 100)
    assert cut_in_mark.count(MARK_START) == cut_in_mark.count(MARK_END) == 1
    assert elide_marked("short", MARKS, metrics, 500) == "short"


def test_the_notice_says_what_happened_in_plain_words():
    from desktop.data.records import SearchHit
    from desktop.data.search import SearchResult

    hit = SearchHit("a", "study", "A", "", 0.0)
    assert results_notice("x", SearchResult("x", (hit,) * 5)) == ""
    assert results_notice("zzzz", SearchResult("zzzz", ())).startswith("No matches for “zzzz”.")
    assert results_notice("rituxmab", SearchResult("rituxmab", (hit,), (), "rituximab")) == \
        "No matches for “rituxmab” — showing results for “rituximab”."
    assert results_notice("ab", SearchResult("ab", (hit,), ("abc",))).startswith("Only 1 match for “ab”.")


def test_the_search_tips_read_the_grammar_as_a_two_column_sheet():
    title, intro, groups = grammar_sheet()
    assert title == "Search tips" and intro.startswith("Type words to search")
    rows = dict(groups[0][1])
    assert rows["phase:2"].startswith("phased trials in phase 2")
    assert rows["rituximab OR daratumumab"] == "either word (OR in capitals)"
    assert rows["mechanism:autoimmunity"] == "studies of a mechanism or anything under it"
    assert "has:identifier" in rows["has:crosscheck"]  # a description carried onto a second line
    assert all(example and what for example, what in groups[0][1])


def test_the_search_tips_show_both_ways_to_name_a_condition():
    rows = dict(grammar_sheet()[2][0][1])
    assert rows["condition:me/cfs"] == "studies in people with ME/CFS"
    assert rows['condition:"long covid"'].startswith("studies in people with long COVID")
