"""Issue 12, defect 1: every study page is laid out whole after the glossary marking pass.

The HTML was always complete; what went wrong was the laid-out document: after the deferred pass
that underlines glossary terms, Qt's incremental layout left some blocks with no lines and no
height (headings and list items never painted, blank bands, a page too short to scroll to them).
So these tests look at the QTextDocument's layout, block by block, not at the markup.
"""

from __future__ import annotations

import pytest
from PySide6.QtGui import QTextBlock, QTextDocument, QTextFrame

from desktop.ui.detail_view import DetailView

LONG_PAGES = ("ncnp-rituximab-phase2-rct", "rituxme-phase3-rct", "daratumumab-pilot")


def _items(frame: QTextFrame):
    """The blocks and child frames (tables) directly inside ``frame``, in reading order."""
    iterator = frame.begin()
    while not iterator.atEnd():
        child = iterator.currentFrame()
        yield child if child is not None else iterator.currentBlock()
        iterator += 1


def layout_problems(document: QTextDocument, max_gap: float) -> list[str]:
    """What is wrong with the document's layout: a non-empty block without lines or height; a
    top-level block or table that starts above the one before it ends, or far below it (a hole)."""
    layout = document.documentLayout()
    problems = []
    block = document.begin()
    while block.isValid():
        rect = layout.blockBoundingRect(block)
        if block.text().strip() and (block.layout().lineCount() == 0 or rect.height() <= 0):
            problems.append(f"block {block.blockNumber()} {block.text()[:40]!r} has no lines")
        block = block.next()
    previous_bottom, previous_name = None, ""
    for item in _items(document.rootFrame()):
        if isinstance(item, QTextBlock):
            if not item.text().strip():
                continue  # an empty block (such as the one Qt keeps after a table) paints nothing
            rect, name = layout.blockBoundingRect(item), repr(item.text()[:40])
        else:
            rect, name = layout.frameBoundingRect(item), "a table"
        if previous_bottom is not None:
            if rect.top() < previous_bottom - 0.5:
                problems.append(f"{name} overlaps {previous_name} above it")
            elif rect.top() - previous_bottom > max_gap:
                problems.append(f"a hole of {rect.top() - previous_bottom:.0f} px above {name}")
        previous_bottom, previous_name = rect.bottom(), name
    return problems


@pytest.fixture
def marked_view(qtbot, library):
    view = DetailView()
    qtbot.addWidget(view)
    view.resize(720, 700)
    view.show()
    qtbot.waitExposed(view)
    view.set_glossary(library.glossary())
    return view


def _max_gap(view: DetailView) -> float:
    """Normal gaps are a heading's margin and a little more; a lost block leaves several lines."""
    return 3 * view.fontMetrics().lineSpacing()


def test_every_study_page_is_laid_out_whole_after_glossary_marking(marked_view, sql, library):
    ids = [row[0] for row in sql("SELECT id FROM studies ORDER BY id")]
    assert len(ids) > 10
    failures = {}
    for study_id in ids:
        marked_view.show_record(library.record(study_id))
        assert marked_view.glossary is not None
        problems = layout_problems(marked_view.document(), _max_gap(marked_view))
        if problems:
            failures[study_id] = problems[:3]
    assert failures == {}


@pytest.mark.parametrize("study_id", LONG_PAGES)
def test_a_long_page_with_marks_is_as_tall_as_without(marked_view, library, study_id):
    """Underlining terms changes no line breaks, so the page keeps its height; the reader can
    scroll to the last line."""
    record = library.record(study_id)
    marked_view.show_record(record)
    marked = marked_view.document().size().height()
    assert any(f.charFormat().underlineStyle().name == "DotLine"
               for f in _fragments(marked_view.document()))
    glossary = marked_view.glossary
    marked_view.set_glossary(None)
    marked_view.show_record(record)
    plain = marked_view.document().size().height()
    marked_view.set_glossary(glossary)
    assert abs(marked - plain) < 2
    bar = marked_view.verticalScrollBar()
    bar.setValue(bar.maximum())
    last = marked_view.document().lastBlock()
    while last.isValid() and not last.text().strip():
        last = last.previous()
    rect = marked_view.document().documentLayout().blockBoundingRect(last)
    assert rect.height() > 0
    assert rect.bottom() - bar.value() <= marked_view.viewport().height()


def _fragments(document: QTextDocument):
    block = document.begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            yield iterator.fragment()
            iterator += 1
        block = block.next()
