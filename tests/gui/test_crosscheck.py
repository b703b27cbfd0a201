"""Facts from registries and journals in the pane (issue 9): identifiers with canonical links,
publications, cross-checks side by side, unconfirmed facts said in words, dates as seen, the
tree's mark, and never a network connection."""

from __future__ import annotations

import html
import re
import socket

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices

from desktop.data import links
from desktop.models.tree_model import CROSSCHECK_MARK
from desktop.render import record_html
from desktop.render.sources import seen_on
from desktop.ui.detail_view import DetailView
from desktop.render.labels import SOURCE_COPY_LABELS, SOURCE_KIND_LABELS

RITUXME = "rituxme-phase3-rct"
UNVERIFIED_IDS = ("2024-512500-19-00",)  # listed as unverified_ids in the external facts file
KINDS = ("study", "mechanism", "treatment", "person", "institution", "term")


def plain(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def pane(qtbot):
    view = DetailView()
    qtbot.addWidget(view)
    return view


def test_a_study_with_cross_checks_shows_both_sides_and_both_sources(pane, library):
    record = library.record(RITUXME)
    assert record.cross_checks
    pane.show_record(record)
    text = plain(pane.toPlainText())
    markup = record_html(record)
    article_url = next(c.url for c in record.citations if c.url)
    for check in record.cross_checks:
        assert plain(check.article_says) in text and plain(check.source_says) in text
        kind = SOURCE_KIND_LABELS[check.provenance.kind]
        assert f"{kind[0].upper()}{kind[1:]} says" in text
        if links.source_link(check.provenance.url):  # an official page: linked
            assert f'href="{html.escape(check.provenance.url)}"' in markup
        else:  # any other site: named, never linked
            assert f'href="{html.escape(check.provenance.url)}"' not in markup
            assert links.site_of(check.provenance.url) in text
    assert text.count("The report says") == len(record.cross_checks)
    assert f'href="{html.escape(article_url)}"' in markup
    assert "The published paper says" in text and "A news report says" in text
    # the side from a secondary source says so in words
    news = text[text.index("A news report says"):]
    assert "Unconfirmed" in news[:600]


def test_every_identifier_links_to_its_canonical_page_built_from_the_number(library):
    checked = 0
    for kind in ("study", "treatment"):
        for record_id in library.ids(kind):
            record = library.record(record_id)
            markup = record_html(record)
            for identifier in record.identifiers:
                expected = links.registry_link(identifier.system, identifier.value)
                anchors = re.findall(r'<a href="([^"]*)">' + re.escape(html.escape(identifier.value))
                                     + "</a>", markup)
                if expected is None:
                    assert anchors == [], identifier
                    assert html.escape(identifier.value) in markup
                else:
                    assert anchors == [html.escape(expected)], identifier
                    checked += 1
            for publication in record.publications:
                for _label, url in publication.links:
                    assert url in (links.doi_link(publication.doi or ""),
                                   links.pubmed_link(publication.pmid or ""),
                                   links.pmc_link(publication.pmcid or ""))
                    assert f'href="{html.escape(url)}"' in markup
    assert checked > 5


def test_one_number_seen_on_two_pages_is_shown_once_with_both_pages(pane, library):
    record = library.record(RITUXME)
    nct = [i for i in record.identifiers if i.value == "NCT02229942"]
    assert len(nct) == 2
    markup = record_html(record)
    assert markup.count(">NCT02229942</a>") == 1
    entry = markup[markup.index(">NCT02229942</a>"):markup.index("</li>", markup.index(">NCT02229942</a>"))]
    numbers = re.findall(r"\[(\d+)\]", entry)
    assert len(set(numbers)) == 2  # both pages, by their numbers in the list at the end
    listed = markup[markup.index("Pages the numbered facts were seen on"):]
    for identifier in nct:
        assert f'href="{html.escape(identifier.provenance.url)}"' in listed
    assert "cited in the paper&#x27;s abstract" in entry


def test_a_note_shared_by_two_pages_is_said_once(library):
    """Issue 12, defect 5: the same parenthesis is not repeated for each page."""
    record = library.record("ncnp-rituximab-phase2-rct")
    nct = [i for i in record.identifiers if i.value == "NCT06952413"]
    assert len(nct) >= 2 and len({i.note for i in nct}) == 1
    text = page_text(record_html(record))
    assert text.count(plain(nct[0].note)) == 1


def test_each_page_a_fact_was_seen_on_is_named_once(library):
    """Issue 12, defect 5: no "From …, as seen on …" under every fact; each page is listed once
    at the end with its date, and the facts point to it by number."""
    for record_id in library.ids("study"):
        record = library.record(record_id)
        text = page_text(record_html(record))
        assert "as seen on" not in text.replace("Status as seen on", ""), record_id
        listed = text[text.find("Pages the numbered facts were seen on"):]
        numbers = re.findall(r"\[(\d+)\] ", listed)
        assert numbers == [str(n) for n in range(1, len(numbers) + 1)], record_id
        if provenances(record):
            assert numbers, record_id
        cited = set(re.findall(r"\[(\d+)\]", text[:text.find("Pages the numbered facts")]))
        assert cited == set(numbers), record_id


def test_an_identifier_without_a_safe_link_is_plain_text(library):
    record = library.record(RITUXME)
    protocol = next(i for i in record.identifiers if i.system == "sponsor protocol")
    assert protocol.link is None
    markup = record_html(record)
    assert f"</b>: {protocol.value}<br>" in markup


def test_publications_show_title_journal_year_and_links(pane, library):
    record = library.record(RITUXME)
    pane.show_record(record)
    text = plain(pane.toPlainText())
    for publication in record.publications:
        assert plain(publication.title) in text
        assert f"{publication.journal}, {publication.year}" in text
        assert f"DOI {publication.doi}" in text


def test_secondary_facts_say_unconfirmed_in_words_and_primary_ones_do_not(library):
    for kind in ("study", "treatment"):
        for record_id in library.ids(kind):
            record = library.record(record_id)
            # A lone fact is a paragraph, several are a list.
            items = re.split(r"<li>|<p>", record_html(record))
            for fact in record.external_facts:
                item = next((i for i in items if html.escape(fact.claim, quote=True) in i), None)
                if item is None:  # it only repeated a field's figures: said once, there
                    assert "The same figures were seen on" in record_html(record), fact.claim
                    continue
                item = re.split(r"</li>|</p>", item)[0]
                if fact.provenance.confidence == "secondary":
                    assert "Unconfirmed" in item, fact.claim
                else:
                    assert "Unconfirmed" not in item, fact.claim


def test_registry_statuses_and_facts_say_the_day_they_were_seen(pane, library):
    record = library.record(RITUXME)
    pane.show_record(record)
    text = plain(pane.toPlainText())
    assert seen_on("2026-11-29") == "29 November 2026"
    assert f"seen on 29 November 2026: “{plain(record.registry_status.text)}”" in text
    assert "seen on 29 November 2026." in text


def test_a_treatment_shows_its_facts_from_registries_and_journals(pane, library):
    record = library.record("daratumumab")
    assert record.external_facts
    pane.show_record(record)
    text = plain(pane.toPlainText())
    assert "More from registries and journals" in text
    for fact in record.external_facts:
        assert plain(fact.claim) in text


def test_no_unverified_identifier_appears_in_any_pane(pane, library):
    for kind in KINDS:
        for record_id in library.ids(kind):
            record = library.record(record_id)
            pane.show_record(record)
            for unverified in UNVERIFIED_IDS:
                assert unverified not in record_html(record)
                assert unverified not in pane.toPlainText()


def test_external_links_open_in_the_system_browser(pane, library, monkeypatch):
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toString()))
    record = library.record(RITUXME)
    pane.show_record(record)
    nct = links.registry_link("ClinicalTrials.gov", "NCT02229942")
    pane.anchorClicked.emit(QUrl(nct))
    assert opened == [nct]
    assert pane.record.id == RITUXME


def test_nothing_opens_a_network_connection(make_window, library, monkeypatch, qtbot):
    """Every record's page, every link hovered: no socket is ever opened."""
    attempts = []

    class NoNetwork(socket.socket):
        def __init__(self, *args, **kwargs):
            attempts.append(args)
            raise OSError("the app must not use the network")

    monkeypatch.setattr(socket, "socket", NoNetwork)
    monkeypatch.setattr(socket, "create_connection",
                        lambda *a, **k: attempts.append(a) or (_ for _ in ()).throw(OSError()))
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url))
    window = make_window()
    for kind in KINDS:
        for record_id in library.ids(kind):
            assert window.open_record(record_id), record_id
            for href in set(re.findall(r'href="([^"]+)"', window.detail.document().toHtml())):
                window.detail.highlighted.emit(QUrl(html.unescape(href)))
            qtbot.wait(1)
    window.show_glossary()
    window.show_shortcuts()
    assert attempts == []
    assert opened == []


def test_the_tree_marks_studies_where_sources_differ(make_window, library):
    window = make_window(RITUXME)
    index = window.tree.view.currentIndex()
    node = window.tree.model.node(index)
    assert node.record_id == RITUXME and node.crosschecked
    from PySide6.QtCore import Qt

    assert index.data(Qt.ItemDataRole.DisplayRole) == CROSSCHECK_MARK + node.title
    assert "Other sources differ from the report" in index.data(Qt.ItemDataRole.ToolTipRole)
    assert "other sources differ" in index.data(Qt.ItemDataRole.AccessibleTextRole)
    assert "≠" not in index.data(Qt.ItemDataRole.AccessibleTextRole)
    plain_study = next(i for i in library.ids("study") if not library.record(i).cross_checks)
    window.open_record(plain_study)
    other = window.tree.view.currentIndex()
    if other.isValid():
        assert other.data(Qt.ItemDataRole.DisplayRole) == window.tree.model.node(other).title


# ---- links only to official pages; copies called copies ------------------------------------


def provenances(record):
    """Every provenance a record's page mentions."""
    found = [i.provenance for i in record.identifiers]
    found += [p.provenance for p in record.publications]
    found += [f.provenance for f in record.external_facts]
    found += [c.provenance for c in record.cross_checks]
    if record.registry_status:
        found.append(record.registry_status.provenance)
    return found


def external_hrefs(markup: str) -> set[str]:
    return {html.unescape(h) for h in re.findall(r'href="(https?:[^"]*)"', markup)}


def test_no_mirror_proxy_or_bare_address_is_ever_a_link_and_official_pages_are(library):
    unofficial = official = 0
    for kind in KINDS:
        for record_id in library.ids(kind):
            record = library.record(record_id)
            markup = record_html(record)
            hrefs = external_hrefs(markup)
            for href in hrefs:  # every web link in every pane goes to an official page
                assert links.source_link(href) == href, (record_id, href)
            text = page_text(markup)
            for provenance in provenances(record):
                if links.source_link(provenance.url):
                    assert provenance.url in hrefs, (record_id, provenance.url)
                    official += 1
                else:  # named as plain text, so the reader still knows where it was seen
                    assert provenance.url not in hrefs, (record_id, provenance.url)
                    assert links.site_of(provenance.url) in text, (record_id, provenance.url)
                    unofficial += 1
    assert official > 10 and unofficial > 10


@pytest.mark.parametrize("url", [
    "http://47.251.13.51:8081/37835071",
    "https://dyto08wqdmna.cloudfrontnetl.store/https://europepmc.org/articles/PMC7201056",
    "https://bmjopen-bmj-com.ezproxy.u-pec.fr/content/9/3/e024765",
    "https://overdosekits.com/news/ldn",
])
@pytest.mark.parametrize("kind", ["pmc", "pubmed", "publisher", "registry", "news"])
@pytest.mark.parametrize("confidence", ["primary", "secondary"])
def test_a_page_that_is_not_the_official_site_is_named_never_linked(url, kind, confidence):
    from desktop.data.records import ExternalFact, Provenance, Record

    record = Record(id="s", kind="study", title="A study", summary="", fields={"kind": "trial"},
                    external_facts=(ExternalFact("A claim.", Provenance(url, kind, confidence,
                                                                        "2026-11-29")),))
    markup = record_html(record)
    assert external_hrefs(markup) == set()
    text = page_text(markup)
    site = links.site_of(url)
    if kind == "news":  # not a copy of anything: the site is simply named
        assert f"[1] A news report at {site}, seen on" in text
    elif confidence == "primary":  # a verbatim copy the fact file vetted: named, not doubted
        assert f"[1] {capital(SOURCE_COPY_LABELS[kind])} at {site}, seen on" in text
    else:  # a copy seen only there: said to be unconfirmed, in words
        assert "Unconfirmed" in text and f"{capital(SOURCE_COPY_LABELS[kind])} at {site}" in text
    if kind != "news":  # never named as the official source it copies
        assert f"[1] {capital(SOURCE_KIND_LABELS[kind])}" not in text


def test_an_official_page_keeps_its_name_and_its_link():
    from desktop.data.records import ExternalFact, Provenance, Record

    url = "https://pmc.ncbi.nlm.nih.gov/articles/PMC10573450/"
    record = Record(id="s", kind="study", title="A study", summary="", fields={"kind": "trial"},
                    external_facts=(ExternalFact("A claim.", Provenance(url, "pmc", "primary",
                                                                        "2026-11-29")),))
    markup = record_html(record)
    assert f'<a href="{html.escape(url)}">PubMed Central</a>' in markup
    assert "copy" not in markup


def test_the_source_kinds_are_named_for_what_they_are(library):
    assert SOURCE_KIND_LABELS["aggregator"] == "a summary or listing site"
    record = library.record("daratumumab-pilot")
    assert record.registry_status.provenance.kind == "institution"
    text = page_text(record_html(record))
    assert "Status in the trial registry" not in text
    assert "The hospital's own page (Helse Bergen), seen on 29 November 2026" in text


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def page_text(markup: str) -> str:
    return plain(html.unescape(re.sub(r"<[^>]+>", " ", markup)))
