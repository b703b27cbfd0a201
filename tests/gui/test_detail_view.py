"""The detail pane: every kind of record, its links, and text that must never become markup."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices

from desktop.data.records import (Citation, CrossCheck, ExternalFact, Identifier, Provenance,
                                  Publication, Record, Ref, RegistryStatus)
from desktop.render import esc, record_html
from desktop.ui.detail_view import DetailView

HOSTILE = ["<b>bold</b>", '<img src="https://tracker.example/x.png">', "<script>alert(1)</script>",
           "Tom & Jerry's \"quote\""]
SEEN = Provenance("https://registry.example/NCT1", "registry", "secondary", "2025-10-01")


def hostile_record() -> Record:
    return Record(
        id="evil", kind="study", title=HOSTILE[0], summary=HOSTILE[1],
        fields={"kind": "trial", "status": "completed", "design": HOSTILE[2], "population": HOSTILE[3],
                "secondary_endpoints": HOSTILE, "caveats": [HOSTILE[2]], "mystery_field": HOSTILE[0]},
        links={"treatments": (Ref("drug", "treatment", HOSTILE[2]),),
               "people": (Ref("p", "person", "Dr Evil", HOSTILE[0]),)},
        citations=(Citation("src", HOSTILE[0], HOSTILE[1], None, "2025-01-01",
                            "javascript:alert(1)", HOSTILE[2]),),
        identifiers=(Identifier("clinicaltrials.gov", HOSTILE[0], HOSTILE[2], None, SEEN),),
        publications=(Publication(HOSTILE[0], None, HOSTILE[1], HOSTILE[2], 2020, None, None, None,
                                  None, None, HOSTILE[3], (("DOI", "https://doi.org/10.1/x"),), SEEN),),
        external_facts=(ExternalFact(HOSTILE[1], SEEN),),
        cross_checks=(CrossCheck(HOSTILE[0], HOSTILE[2], SEEN),),
        registry_status=RegistryStatus(HOSTILE[2], SEEN),
    )


def test_record_text_that_looks_like_markup_shows_as_text(qtbot):
    record = hostile_record()
    markup = record_html(record)
    for tag in ("<b>bold", "<img", "<script", "javascript:"):
        assert tag not in markup
    view = DetailView()
    qtbot.addWidget(view)
    view.show_record(record)
    text = view.toPlainText()
    for piece in HOSTILE:
        assert piece in text
    assert "<img" not in view.document().toHtml().replace("&lt;img", "")


def test_nothing_is_ever_loaded_into_the_pane(qtbot):
    view = DetailView()
    qtbot.addWidget(view)
    assert view.loadResource(2, QUrl("https://tracker.example/x.png")) is None


def test_a_study_page_reads_from_the_plain_summary_down_to_its_source(qtbot, library, sql):
    study_id = sql("SELECT id FROM studies WHERE design IS NOT NULL AND primary_endpoint IS NOT NULL "
                   "ORDER BY position")[0][0]
    record = library.record(study_id)
    view = DetailView()
    qtbot.addWidget(view)
    view.show_record(record)
    text = view.toPlainText()
    assert text.index(record.title) < text.index(record.summary) < text.index(record.get("design"))
    assert "How it was set up" in text and "design" in text
    assert "What they measured first" in text and "primary outcome" in text
    assert record.get("primary_endpoint") in text
    for refs in record.links.values():
        for ref in refs:
            assert ref.title in text
    for citation in record.citations:
        assert citation.title in text and citation.section in text
    assert text.index(record.summary) < text.index("Where this comes from")


@pytest.mark.parametrize("kind", ["study", "mechanism", "treatment", "person", "institution"])
def test_every_kind_of_record_shows_its_fields_and_links(qtbot, library, kind):
    view = DetailView()
    qtbot.addWidget(view)
    for record_id in library.ids(kind):
        record = library.record(record_id)
        view.show_record(record)
        text = view.toPlainText()
        assert record.title in text
        assert " ".join(record.summary.split()) in " ".join(text.split())
        for name, value in record.fields.items():
            values = value if isinstance(value, list) else [value]
            for item in values:
                if isinstance(item, str) and name not in ("kind", "status", "outcome", "phase"):
                    assert " ".join(item.split()) in " ".join(text.split()), (record_id, name)
        html = record_html(record)
        for refs in record.links.values():
            for ref in refs:
                assert f'href="trialtree:{ref.id}"' in html


def test_glossary_terms_show_their_definition(qtbot, tiny_library):
    view = DetailView()
    qtbot.addWidget(view)
    view.show_record(tiny_library.record("term-x"))
    assert "Term <b>X</b>" in view.toPlainText()
    assert "Means <img src=x onerror=alert(1)>." in view.toPlainText()


def test_registry_status_says_when_it_was_seen_and_marks_unconfirmed_facts(qtbot):
    view = DetailView()
    qtbot.addWidget(view)
    view.show_record(hostile_record())
    text = view.toPlainText()
    assert "seen on 1 October 2025" in text
    assert "Unconfirmed" in text


def test_record_links_ask_for_the_record_and_web_links_go_to_the_browser(qtbot, monkeypatch):
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toString()))
    view = DetailView()
    qtbot.addWidget(view)
    view.show_record(hostile_record())
    with qtbot.waitSignal(view.record_requested) as requested:
        view.anchorClicked.emit(QUrl("trialtree:drug"))
    assert requested.args == ["drug"]
    view.anchorClicked.emit(QUrl("https://doi.org/10.1/x"))
    view.anchorClicked.emit(QUrl("file:///etc/passwd"))
    assert opened == ["https://doi.org/10.1/x"]
    assert view.record.id == "evil"  # nothing was loaded in place


def test_colours_come_from_the_palette(qtbot):
    from PySide6.QtGui import QColor, QPalette

    view = DetailView()
    qtbot.addWidget(view)
    view.show_record(hostile_record())
    palette = view.palette()
    palette.setColor(QPalette.ColorRole.Link, QColor("#123456"))
    view.setPalette(palette)
    assert "#123456" in view.document().defaultStyleSheet()


def test_glossary_marking_keeps_markup_out(qtbot):
    from desktop.ui.glossary_marker import Glossary

    glossary = Glossary([("bold", "bold", "<script>alert(2)</script> & \"more\"", ["<b>"]),
                         ("jerry", "Jerry", "A <i>mouse</i>.", [])])
    markup = record_html(hostile_record(), glossary)
    for tag in ("<b>bold", "<script", "<i>mouse", "<img"):
        assert tag not in markup
    assert 'class="gloss" href="trialtree:jerry"' in markup
    view = DetailView()
    qtbot.addWidget(view)
    view.set_glossary(glossary)
    view.show_record(hostile_record())
    for piece in HOSTILE:
        assert piece in view.toPlainText()


def test_folded_sections_show_only_their_heading():
    record = hostile_record()
    open_page = record_html(record)
    folded = record_html(record, folded=["cross-checked", "sources"])
    assert 'href="trialtree-toggle:cross-checked"' in folded
    assert "The report says" in open_page and "The report says" not in folded
    assert "Where this comes from" in folded and "Section: “" not in folded
    assert "(hidden)" in folded and "(hidden)" not in open_page


@pytest.mark.parametrize("kind, labels", [
    ("study", ["What", "In whom", "Where it stands", "Result"]),  # "How many": see test_consistency
    ("treatment", ["What it is", "Tested in"]),
    ("mechanism", ["Aimed at it", "Trials and studies"]),
])
def test_trials_treatments_and_mechanisms_start_with_a_summary_and_key_facts(qtbot, library, kind, labels):
    view = DetailView()
    qtbot.addWidget(view)
    for record_id in library.ids(kind):
        record = library.record(record_id)
        view.show_record(record)
        text = view.toPlainText()
        assert record.summary, record_id
        start = text.index(" ".join(record.summary.split()[:4]))
        glance = text.index("At a glance")
        assert start < glance
        for label in labels:
            assert text.index(label, glance) > glance
        later = [text.find(h) for h in ("Identifiers", "How the study worked", "About", "Connections",
                                        "Where this comes from") if text.find(h) > 0]
        assert all(glance < position for position in later), record_id


# ---- mechanisms: the tree's count, each linked mechanism once ------------------------------


def test_a_mechanism_pane_gives_the_count_the_tree_shows(qtbot, library, seeds):
    from desktop.render.facts import mechanism_studies_text

    def tree_counts(parent=None):
        for node in library.tree_children("mechanism", parent):
            if node.kind == "mechanism":
                yield node.record_id, node.count
                yield from tree_counts(node)

    checked = 0
    for record_id, count in tree_counts():
        record = library.record(record_id)
        assert record.get("studies_beneath") == count, record_id
        direct = len(record.links.get("studies", ()))
        text = " ".join(record_html(record).split())
        expected = mechanism_studies_text(record)
        assert expected in text
        if count:
            assert expected.startswith(f"{count} trial"), (record_id, expected)
        if direct != count:
            assert f"({direct if direct else 'none'} filed directly under it" in expected
        checked += 1
    assert checked > 5
    parents = {m["id"]: m.get("parent") for m in seeds.records["mechanism"]}

    def in_autoimmunity(mechanism):
        while mechanism and mechanism != "autoimmunity":
            mechanism = parents.get(mechanism)
        return mechanism == "autoimmunity"

    beneath = [s for s in seeds.records["study"] if any(map(in_autoimmunity, s.get("mechanisms", [])))]
    direct = [s for s in beneath if "autoimmunity" in s["mechanisms"]]
    assert len(beneath) > len(direct) > 0
    autoimmunity = library.record("autoimmunity")
    assert mechanism_studies_text(autoimmunity).startswith(
        f"{len(beneath)} trials and studies in this area ({len(direct)} ")


def test_each_linked_mechanism_is_listed_once_with_how_it_is_linked(library):
    import html as html_lib
    import re

    seen_links = 0
    for record_id in library.ids("mechanism"):
        record = library.record(record_id)
        markup = record_html(record)
        if "Linked to" not in markup:
            continue
        part = markup[markup.index("Linked to"):]
        part = part[:part.index('<p class="label">', 10)] if '<p class="label">' in part[10:] else part
        for ref in record.links["linked"]:
            anchor = f'href="trialtree:{ref.id}"'
            assert part.count(anchor) == 1, (record_id, ref.id)
            assert f"— {html_lib.escape(ref.role)}" in part, (record_id, ref.role)
            seen_links += 1
        assert len(re.findall(r'href="trialtree:', part)) == len(record.links["linked"])
    assert seen_links > 5


# ---- labels that say what the data says -----------------------------------------------------


def test_outcome_and_kind_labels_are_honest():
    from desktop.data.seeds import OUTCOMES, STUDY_KINDS
    from desktop.render.labels import OUTCOME_LABELS, STUDY_KIND_LABELS

    assert set(OUTCOMES) <= set(OUTCOME_LABELS)
    assert set(STUDY_KINDS) <= set(STUDY_KIND_LABELS)
    assert OUTCOME_LABELS["early-signal"].startswith("Early signal")
    assert "placebo" in OUTCOME_LABELS["early-signal"]
    assert "not treating" not in STUDY_KIND_LABELS["observational"]
    assert "did not assign" in STUDY_KIND_LABELS["observational"]


def test_an_early_signal_shows_in_words(qtbot):
    record = Record(id="s", kind="study", title="A pilot", summary="Small.",
                    fields={"kind": "pilot", "status": "completed", "outcome": "early-signal"})
    view = DetailView()
    qtbot.addWidget(view)
    view.show_record(record)
    assert "Early signal: promising, but not yet tested against placebo" in view.toPlainText()


def test_a_study_page_leads_with_its_short_title_and_shows_the_official_title_below(library):
    """Issue 12, defect 4: the plain short title is the heading; the registry's official title
    follows, smaller, once."""
    import re

    studies = [library.record(i) for i in library.ids("study")]
    with_short = [r for r in studies if r.get("short_title")]
    assert with_short
    for record in with_short:
        markup = record_html(record)
        heading = re.search(r"<h1>(.*?)</h1>", markup).group(1)
        assert heading == esc(record.get("short_title")), record.id
        official = re.search(r'<p class="official">(.*?)</p>', markup).group(1)
        assert official == esc(record.title)
        assert markup.index('class="official"') < markup.index('class="meta"')
        assert markup.count(esc(record.get("short_title"))) == 1, record.id
        assert "Short title" not in markup
    without = Record(id="s", kind="study", title="Only one title", summary="", fields={})
    markup = record_html(without)
    assert re.search(r"<h1>(.*?)</h1>", markup).group(1) == esc(without.title)
    assert 'class="official"' not in markup


def test_the_official_title_reads_smaller_than_the_heading(qtbot, library):
    record = next(library.record(i) for i in library.ids("study")
                  if library.record(i).get("short_title"))
    view = DetailView()
    qtbot.addWidget(view)
    view.show_record(record)
    heading, official = view.document().begin(), view.document().begin().next()
    assert heading.text() == record.get("short_title")
    assert official.text() == record.title
    size = lambda block: block.begin().fragment().charFormat().font().pointSizeF()
    assert size(official) < size(heading)
