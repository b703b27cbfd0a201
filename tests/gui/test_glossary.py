"""Glossary terms in the detail pane: found as people write them, marked, explained on hover and
on keyboard focus, and all listed on one Glossary page."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtGui import QHelpEvent, QTextCursor
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication, QToolTip

from desktop.ui.detail_view import DetailView, record_html
from desktop.ui.glossary_marker import Glossary, is_abbreviation

RITUXME = "rituxme-phase3-rct"
TERMS = [
    ("pem", "post-exertional malaise (PEM)", "Symptoms get worse after effort.", ["PEM", "post-exertional malaise"]),
    ("me-cfs", "ME/CFS", "A long-term illness.", ["ME", "chronic fatigue syndrome"]),
    ("post-covid-me-cfs", "post-COVID ME/CFS", "ME/CFS after COVID-19.", []),
    ("placebo", "placebo", "A dummy treatment.", []),
    ("placebo-controlled", "placebo-controlled", "Compared with a dummy treatment.", []),
    ("ldn", "low-dose naltrexone (LDN)", "A drug at a small dose.", ["LDN"]),
]


def found(glossary: Glossary, text: str) -> list[tuple[str, str]]:
    return [(text[s:e], term) for s, e, term in glossary.find(text)]


# ---- finding terms (pure) -------------------------------------------------------------------


def test_words_match_in_any_case_and_abbreviations_only_as_written():
    glossary = Glossary(TERMS)
    assert found(glossary, "Placebo, PLACEBO and placebo") == [
        ("Placebo", "placebo"), ("PLACEBO", "placebo"), ("placebo", "placebo")]
    assert found(glossary, "pem, Pem, ldn and me are words; PEM and LDN are not") == [
        ("PEM", "pem"), ("LDN", "ldn")]
    assert found(glossary, "Chronic Fatigue Syndrome (ME)") == [
        ("Chronic Fatigue Syndrome", "me-cfs"), ("ME", "me-cfs")]


def test_only_whole_words_match():
    glossary = Glossary(TERMS)
    assert found(glossary, "MEMBERS of a placebos group; PEMs") == []
    assert found(glossary, "(PEM)") == [("PEM", "pem")]


def test_the_longest_name_wins_where_names_overlap():
    glossary = Glossary(TERMS)
    assert found(glossary, "a placebo-controlled trial in post-COVID ME/CFS") == [
        ("placebo-controlled", "placebo-controlled"), ("post-COVID ME/CFS", "post-covid-me-cfs")]


def test_names_may_break_across_lines():
    glossary = Glossary(TERMS)
    assert found(glossary, "post-exertional\n  malaise") == [("post-exertional\n  malaise", "pem")]


@pytest.mark.parametrize("word, expected", [("PEM", True), ("ME", True), ("B", True), ("IgG", True),
                                            ("mAb", True), ("placebo", False), ("Placebo", False),
                                            ("b", False)])
def test_what_counts_as_an_abbreviation(word, expected):
    assert is_abbreviation(word) is expected


# ---- marking in the pane ---------------------------------------------------------------------


def study_texts(record) -> list[str]:
    """The plain text of a study that the pane marks: summary, field values, facts from other
    sources, cross-checks and publication notes (not titles, names, links or identifiers)."""
    texts = [record.summary]
    for name, value in record.fields.items():
        if name in ("kind", "status", "outcome", "phase", "enrollment", "acronym", "year",
                    "short_title"):  # a title: shown as it is, like the full title
            continue
        values = value if isinstance(value, list) else [value]
        texts += [v for v in values if isinstance(v, str)]
    texts += [f.claim for f in record.external_facts]
    texts += [t for c in record.cross_checks for t in (c.article_says, c.source_says)]
    if record.registry_status:
        texts.append(record.registry_status.text)
    return texts


def test_every_glossary_term_in_a_trials_text_is_marked_in_its_pane(library):
    glossary = Glossary(library.glossary())
    for study_id in library.ids("study"):
        record = library.record(study_id)
        html = record_html(record, glossary)
        linked = set(re.findall(r'<a class="gloss" href="trialtree:([^"]+)"', html))
        present = {term for text in study_texts(record) for _, _, term in glossary.find(text)}
        assert present, study_id
        assert present <= linked, (study_id, present - linked)


def test_a_term_is_marked_once_per_section_with_its_definition_as_title(library):
    glossary = Glossary(library.glossary())
    html = record_html(library.record(RITUXME), glossary)
    lead = html[:html.index("At a glance")]
    assert lead.count('href="trialtree:placebo"') == 1  # "placebo" twice in the summary
    definition = glossary.definition("placebo")
    assert f'title="placebo: {definition}"'.replace("'", "&#x27;") in html


def test_a_terms_own_page_does_not_link_to_itself(library):
    glossary = Glossary(library.glossary())
    html = record_html(library.record("placebo"), glossary)
    assert 'class="gloss" href="trialtree:placebo"' not in html


def test_term_text_that_looks_like_markup_stays_text(qtbot, tiny_library):
    view = DetailView()
    qtbot.addWidget(view)
    view.set_glossary(tiny_library.glossary())
    view.show_glossary()
    assert "Term <b>X</b>" in view.toPlainText()
    assert "Means <img src=x onerror=alert(1)>." in view.toPlainText()
    assert "<img" not in view.document().toHtml().replace("&lt;img", "")


# ---- hover and keyboard focus ----------------------------------------------------------------


def _term_anchor_cursor(view: DetailView, term_id: str) -> QTextCursor:
    document = view.document()
    block = document.begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            if fragment.charFormat().anchorHref() == f"trialtree:{term_id}":
                cursor = QTextCursor(document)
                cursor.setPosition(fragment.position())
                cursor.setPosition(fragment.position() + fragment.length(),
                                   QTextCursor.MoveMode.KeepAnchor)
                return cursor
            iterator += 1
        block = block.next()
    raise AssertionError(f"no link to {term_id}")


def test_moving_to_a_term_with_tab_shows_its_definition(make_window, qtbot, library):
    window = make_window(RITUXME)
    definition = dict((i, d) for i, _, d, _ in library.glossary())["placebo"]
    window.detail.setFocus()
    qtbot.waitUntil(window.detail.hasFocus)
    for _ in range(40):  # Tab in the pane goes from link to link
        qtbot.keyClick(window.detail, Qt.Key.Key_Tab)
        if window.detail.textCursor().charFormat().anchorHref() == "trialtree:placebo":
            break
    else:
        pytest.fail("Tab never reached the term")
    qtbot.waitUntil(QToolTip.isVisible)
    assert definition in QToolTip.text()
    assert window.statusBar().currentMessage().startswith(f"placebo: {definition[:40]}")
    assert window.detail.hasFocus()


def test_pointing_at_a_term_shows_its_definition(make_window, qtbot, library):
    window = make_window(RITUXME)
    definition = dict((i, d) for i, _, d, _ in library.glossary())["me-cfs"]
    view = window.detail
    cursor = _term_anchor_cursor(view, "me-cfs")
    inside = view.cursorRect(cursor).center() - QPoint(6, 0)
    assert view.anchorAt(inside) == "trialtree:me-cfs"
    qtbot.mouseMove(view.viewport(), inside)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage().startswith(f"ME/CFS: {definition[:40]}"))
    QToolTip.hideText()
    help_event = QHelpEvent(QEvent.Type.ToolTip, inside, view.viewport().mapToGlobal(inside))
    QApplication.sendEvent(view.viewport(), help_event)
    qtbot.waitUntil(QToolTip.isVisible)
    assert definition in QToolTip.text()


def test_a_term_link_opens_its_glossary_page(make_window, qtbot):
    window = make_window(RITUXME)
    window.detail.anchorClicked.emit(QUrl("trialtree:placebo"))
    assert window.detail.record.id == "placebo"
    assert window.detail.record.kind == "term"


# ---- the Glossary page ------------------------------------------------------------------------


def test_the_glossary_page_lists_every_term_and_each_opens_its_page(make_window, qtbot, library):
    window = make_window(RITUXME)
    window.glossary_action.trigger()
    text = window.detail.toPlainText()
    html = window.detail.document().toHtml()
    for term_id, term, definition, _ in library.glossary():
        assert term in text and " ".join(definition.split()) in " ".join(text.split())
        assert f'href="trialtree:{term_id}"' in html
    window.detail.anchorClicked.emit(QUrl("trialtree:post-exertional-malaise"))
    assert window.detail.record.id == "post-exertional-malaise"


def test_a_hyphen_joins_words():
    glossary = Glossary(TERMS)
    assert found(glossary, "placebo-like pills, non-PEM days and PEM-free weeks") == []
    assert found(glossary, "a placebo-controlled study") == [("placebo-controlled", "placebo-controlled")]


def test_the_worked_examples_in_the_marker_hold():
    import doctest

    from desktop.ui import glossary_marker

    assert doctest.testmod(glossary_marker).failed == 0


def test_terms_are_marked_shortly_after_the_first_paint(qtbot, library, store):
    """The glossary matcher is built after the window first paints, then the open page is marked."""
    from desktop.ui.main_window import MainWindow

    window = MainWindow(library, store)
    qtbot.addWidget(window)
    window.start(RITUXME)
    assert not window.startup_finished
    assert "trialtree:placebo" not in window.detail.toHtml()
    window.show()
    qtbot.waitUntil(lambda: window.startup_finished)
    assert "trialtree:placebo" in window.detail.toHtml()
