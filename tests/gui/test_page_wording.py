"""Issue 12 (defect 5) and the lead's polish notes: the result is stated once in full, the
sources heading names what the record cites, and each page in the numbered list is told apart."""

import re

import pytest

from desktop.data.vocabulary import OUTCOME_LABELS
from desktop.render import record_html
from tests.gui.test_consistency import glance, text_of


@pytest.fixture(scope="module")
def studies(reference_db):
    from desktop.data.library import Library

    library = Library(reference_db)
    records = [library.record(i) for i in library.ids("study")]
    library.close()
    return records


def test_the_key_facts_give_the_outcome_label_only_and_point_to_what_happened(studies):
    checked = 0
    for record in studies:
        outcome = record.get("outcome")
        if not outcome or not record.get("result"):
            continue
        checked += 1
        row = glance(record_html(record))["Result"]
        label = OUTCOME_LABELS[outcome].split(":")[0]
        assert row.startswith(label), (record.id, row)
        assert OUTCOME_LABELS[outcome] not in row, (record.id, row)  # not its gloss of the result
        assert "What happened" in row, (record.id, row)
    assert checked > 5


def test_the_sources_heading_says_report_only_when_the_record_cites_it(studies):
    report = registered = 0
    for record in studies:
        text = text_of(record_html(record))
        cites_report = any(c.source_id == "medscape-2025-11-07" for c in record.citations)
        if not record.citations:
            continue
        if cites_report:
            report += 1
            assert "The report this page is based on" in text, record.id
        else:
            registered += 1
            assert "The report this page is based on" not in text, record.id
            assert "The sources this page is based on" in text, record.id
    assert report and registered


def pages_list(markup: str) -> list[str]:
    """The numbered list of pages at the end: one text per line, without its number."""
    part = markup[markup.index("Pages the numbered facts were seen on"):]
    part = part[part.index("<p>"):]
    part = part[:part.index("</p>")]
    return [re.sub(r"^\[\d+\]\s*", "", text_of(line)) for line in part.split("<br>")]


def test_two_pages_of_one_site_read_differently_in_the_pages_list(studies):
    checked = 0
    for record in studies:
        markup = record_html(record)
        if "Pages the numbered facts were seen on" not in markup:
            continue
        lines = pages_list(markup)
        checked += 1
        assert len(set(lines)) == len(lines), (record.id, lines)
    assert checked > 5


def test_an_institutions_page_on_its_own_site_is_not_called_a_copy(studies):
    pax = next(r for r in studies if "yale" in " ".join(
        f.provenance.url for f in r.external_facts).lower())
    lines = pages_list(record_html(pax))
    yale = [line for line in lines if "medicine.yale.edu" in line]
    assert yale, lines
    assert not any("copy" in line.lower() for line in yale), yale
