"""Every tooltip shows record and user text as text, never as HTML (issue 13, defect 6)."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st
from PySide6.QtCore import Qt
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtGui import QTextDocument

from desktop.data.bookmark_values import Bookmark
from desktop.data.records import SearchHit, TreeNode
from desktop.models.bookmarks_model import BookmarksModel
from desktop.models.plain_tooltip import plain_tooltip
from desktop.models.results_model import ResultsModel
from desktop.models.tree_model import TreeModel

TIP = Qt.ItemDataRole.ToolTipRole
HOSTILE = "<img src='file:///etc/hosts'><h1>x"
UNDERLINED = "<u>Underlined short title"


def shown(tip: str) -> str:
    """The characters a tooltip shows: Qt renders it as HTML when it looks like rich text."""
    if GuiQt.mightBeRichText(tip):
        document = QTextDocument()
        document.setHtml(tip)
        return document.toPlainText()
    return tip


class _OneStudy:
    def __init__(self, title):
        self.title = title

    def tree_children(self, grouping, parent, offset=0, limit=-1):
        if parent is None:
            return [TreeNode("s", "study", self.title, "s1", 0, False, "Ongoing")][offset:]
        return []


def test_a_bookmark_titled_like_html_shows_its_title_in_the_panel_tooltip(qapp):
    model = BookmarksModel()
    model.set_bookmarks([Bookmark("s1", "study", HOSTILE, "<b>note</b>", ("<i>tag",),
                                  "2026-05-01T09:00:00Z", "2026-05-01T09:00:00Z")])
    tip = model.data(model.index(0, 0), TIP)
    assert HOSTILE in shown(tip) and "<b>note</b>" in shown(tip)


def test_a_short_title_starting_with_a_tag_shows_as_typed_in_the_tree_tooltip(qapp):
    model = TreeModel(_OneStudy(UNDERLINED))
    assert shown(model.data(model.index(0, 0), TIP)).startswith(UNDERLINED)


def test_the_tree_panel_tooltip_with_the_full_title_is_plain(qtbot):
    from desktop.ui.tree_panel import TreePanel

    panel = TreePanel(_OneStudy(UNDERLINED), [("mechanism", "By mechanism")],
                      title_of=lambda _: HOSTILE)
    qtbot.addWidget(panel)
    assert HOSTILE in shown(panel.tooltip_at(panel.model.index(0, 0)))


def test_a_result_tooltip_shows_the_title_as_typed(qapp):
    model = ResultsModel()
    model.set_results([SearchHit("s1", "study", HOSTILE, "", 1.0)])
    assert HOSTILE in shown(model.data(model.index(0, 0), TIP))


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_any_text_is_shown_as_typed(text):
    assert " ".join(shown(plain_tooltip(text)).split()) == " ".join(text.split())


def test_a_result_tooltip_has_the_whole_title_before_the_snippet(qapp):
    model = ResultsModel()
    title = "A very long title " * 8
    model.set_results([SearchHit("s1", "study", title, "a snippet", 1.0)])
    assert shown(model.data(model.index(0, 0), TIP)).startswith(title)
