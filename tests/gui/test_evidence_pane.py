"""Issue 19: the evidence block on a mechanism's pane in the window: its count links are reached
with Tab and say what they count, each opens the list of exactly its studies, Back returns, and
"Show on the map" opens the map on that mechanism."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QTextDocument

from desktop.data.evidence import count_for, for_library, linked_counts, parse_list_id
from desktop.render.evidence import EVIDENCE_HEADING, map_href
from desktop.render.markup import SCHEME


def _pane_hrefs(window):
    """Every link address in the pane, in document order."""
    hrefs, block = [], window.detail.document().begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            href = iterator.fragment().charFormat().anchorHref()
            if href and (not hrefs or hrefs[-1] != href):
                hrefs.append(href)
            iterator += 1
        block = block.next()
    return hrefs


def _tab_to(window, qtbot, href, limit=200):
    """Tab through the pane until ``href`` has the keyboard focus; the hrefs passed on the way."""
    window.detail.setFocus()
    qtbot.waitUntil(window.detail.hasFocus)
    passed = []
    for _ in range(limit):
        if window.detail.focused_href() == href:
            return passed
        qtbot.keyClick(window.detail, Qt.Key.Key_Tab)
        passed.append(window.detail.focused_href())
    raise AssertionError(f"Tab never reached {href}: {passed}")


def test_the_pane_shows_the_block_and_tab_reaches_every_count(make_window, qtbot, library):
    window = make_window("autoimmunity")
    assert window.detail.document().find(EVIDENCE_HEADING, 0, QTextDocument.FindFlag.FindCaseSensitively)
    evidence = for_library(library, "autoimmunity")
    count_hrefs = [h for h in _pane_hrefs(window) if parse_list_id(h.removeprefix(f"{SCHEME}:"))]
    assert {parse_list_id(h.removeprefix(f"{SCHEME}:"))[1] for h in count_hrefs} == {
        c.key for c in linked_counts(evidence) if c.study_ids}
    passed = _tab_to(window, qtbot, map_href("autoimmunity"))
    assert all(h in passed for h in count_hrefs)  # each count was a Tab stop before the map link
    assert passed.index(count_hrefs[-1]) < passed.index(map_href("autoimmunity"))


def test_a_focused_count_says_what_it_lists(make_window, qtbot, library):
    window = make_window("immune-dysregulation")
    href = f"{SCHEME}:evidence/immune-dysregulation/result-did-not-help"
    _tab_to(window, qtbot, href)
    count = count_for(for_library(library, "immune-dysregulation"), "result-did-not-help")
    qtbot.waitUntil(lambda: "list the studies" in window.statusBar().currentMessage())
    assert f"{count.count} did not help" in window.statusBar().currentMessage()


def test_enter_on_a_count_lists_exactly_its_studies_and_back_returns(make_window, qtbot, library):
    window = make_window("immune-dysregulation")
    key = "result-did-not-help"
    _tab_to(window, qtbot, f"{SCHEME}:evidence/immune-dysregulation/{key}")
    qtbot.keyClick(window.detail, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.detail.record is None)
    listed = [h.removeprefix(f"{SCHEME}:") for h in _pane_hrefs(window)]
    assert listed == list(count_for(for_library(library, "immune-dysregulation"), key).study_ids)
    assert "“Did not help”" in window.windowTitle()
    window.back_action.trigger()
    qtbot.waitUntil(lambda: window.detail.record is not None
                    and window.detail.record.id == "immune-dysregulation")
    assert window.detail.focused_href() == f"{SCHEME}:evidence/immune-dysregulation/{key}"
    window.forward_action.trigger()
    qtbot.waitUntil(lambda: window.detail.record is None)
    window.detail.anchorClicked.emit(QUrl(f"{SCHEME}:{listed[0]}"))
    qtbot.waitUntil(lambda: window.detail.record is not None and window.detail.record.id == listed[0])


def test_an_unknown_list_address_gets_a_calm_message(make_window, qtbot):
    window = make_window("autoimmunity")
    assert not window.open_record("evidence/autoimmunity/no-such-count")
    assert not window.open_record("evidence/no-such-mechanism/all")
    assert window.detail.record is not None and window.detail.record.id == "autoimmunity"


def test_show_on_the_map_opens_the_map_on_that_mechanism(make_window, qtbot):
    window = make_window("viral-persistence")
    _tab_to(window, qtbot, map_href("viral-persistence"))
    qtbot.keyClick(window.detail, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: getattr(window, "_mechanism_map_window", None) is not None)
    shown = window._mechanism_map_window
    qtbot.addWidget(shown)
    qtbot.waitUntil(shown.isVisible)
    assert shown.view.current().node.id == "viral-persistence"


def test_a_list_open_at_closing_is_open_again_at_the_next_start(make_window, qtbot, store, library):
    window = make_window("autoimmunity")
    assert window.open_record("evidence/autoimmunity/trials")
    window.close()
    again = make_window()
    qtbot.waitUntil(lambda: again.detail.record is None)
    listed = [h.removeprefix(f"{SCHEME}:") for h in _pane_hrefs(again)]
    assert listed == list(for_library(library, "autoimmunity").trial_ids)
    assert again.history.current == "evidence/autoimmunity/trials"


def test_a_stale_list_at_start_gives_the_welcome_page(make_window, qtbot, store):
    from desktop import settings

    settings.write(store, settings.LAST_RECORD, "evidence/no-such-mechanism/all")
    window = make_window()
    assert not window.detail.document().find("Welcome to TrialTree", 0).isNull()
