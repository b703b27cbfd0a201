"""At large text sizes (issue 12, defect 2) a study's page is laid out compactly: the official
title and the meta line come after the key facts, and the page is still laid out whole."""

import pytest
from PySide6.QtWidgets import QApplication

from desktop.render import record_html
from desktop.ui.detail_view import DetailView
from tests.gui.test_page_layout import _max_gap, layout_problems

RITUXME = "rituxme-phase3-rct"


@pytest.fixture
def large_text_view(qtbot, library):
    from desktop.ui import zoom

    base = zoom.base_font()
    font = QApplication.font()
    font.setPointSizeF(base.pointSizeF() * 2)
    QApplication.setFont(font)
    view = DetailView()
    qtbot.addWidget(view)
    view.resize(720, 700)
    view.show()
    qtbot.waitExposed(view)
    view.set_glossary(library.glossary())
    yield view
    QApplication.setFont(base)


def test_the_official_title_follows_the_key_facts_only_on_a_compact_page(library):
    record = library.record(RITUXME)
    normal, compact = record_html(record), record_html(record, compact=True)
    for page in (normal, compact):
        assert page.count(record.title.split()[0]) >= 1 and "Not successful" in page
    assert normal.index(record.title[:40]) < normal.index("At a glance")
    assert compact.index("At a glance") < compact.index(record.title[:40])


def test_every_study_page_is_laid_out_whole_at_large_text(large_text_view, sql, library):
    view = large_text_view
    assert view._compact
    failures = {}
    for (study_id,) in sql("SELECT id FROM studies ORDER BY id"):
        view.show_record(library.record(study_id))
        assert view.record.title[:30] in view.toPlainText()
        problems = layout_problems(view.document(), _max_gap(view))
        if problems:
            failures[study_id] = problems[:3]
    assert failures == {}


def _labels_broken_mid_word(document) -> list[str]:
    """The key-fact labels (first column of a table) that a line break cuts inside a word."""
    from PySide6.QtGui import QTextCursor

    broken = []
    block = document.begin()
    while block.isValid():
        table = QTextCursor(block).currentTable()
        if table is not None and table.cellAt(block.position()).column() == 0:
            text, layout = block.text(), block.layout()
            for i in range(layout.lineCount() - 1):
                end = layout.lineAt(i).textStart() + layout.lineAt(i).textLength()
                if 0 < end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
                    broken.append(text)
        block = block.next()
    return broken


def test_no_key_fact_label_is_cut_inside_a_word_at_large_text(large_text_view, sql, library):
    # At 200% "Treatments aimed at it" came out as "Treatment / s aimed at" in the label column,
    # with the pane as wide as it is then in the default window (1180 px, the list at 42%).
    view = large_text_view
    view.resize(660, 700)
    broken = {}
    for (record_id,) in sql("SELECT id FROM mechanisms UNION ALL SELECT id FROM studies"):
        view.show_record(library.record(record_id))
        labels = _labels_broken_mid_word(view.document())
        if labels:
            broken[record_id] = labels
    assert broken == {}


def test_a_compact_page_quotes_the_registry_status_briefly_and_in_full_below(library):
    # At 200% in the default window (1180 x 760 on a 1280 x 800 screen) the registry's whole
    # status line ("Completed (first posted …; last update …)") pushed RituxME's Result row off
    # the first screen. On a compact page the key facts quote its first words; the full words
    # stay on the page, under the registry numbers, with their source and date.
    record = library.record(RITUXME)
    full = record.registry_status.text
    assert " (" in full
    head = full.split(" (")[0]
    compact = record_html(record, compact=True)
    key_facts = compact.split("Why it is filed here")[0]
    assert f"“{head}”" in key_facts and full not in key_facts
    assert full in compact.split("Why it is filed here")[1]
    assert full in record_html(record).split("Why it is filed here")[0]  # 100%: as before

