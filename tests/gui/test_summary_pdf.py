"""The printable summary (issue 18, item 2): a PDF of a known set of bookmarks, read back with
pypdf, holds every field the issue lists; paper from the locale; black on white in any theme."""

import re
import unicodedata
from datetime import date

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QLocale

from desktop.data.seen_facts import FactChange, latest_data_date
from desktop.data.vocabulary import long_date
from desktop.render.summary import (SummaryStudy, footer_text, print_stylesheet, registry_numbers,
                                    summary_html, summary_markdown)
from desktop.ui.print_summary import page_size_for, write_pdf

STUDIES = ["rituxme-phase3-rct", "cyclome-cyclophosphamide-phase2", "daratumumab-pilot"]
NOTE = "Would this suit someone housebound?\nWhat side effects were seen?"


@pytest.fixture(autouse=True)
def _application(qapp):
    """pytest-qt's QApplication, so the summary's own (offscreen QGuiApplication) is not made
    here and the widget tests after these still get theirs."""
    return qapp


def _flat(text: str) -> str:
    """Text with its spacing evened and ligatures (ﬁ, ﬀ) as letters, as a reader sees it."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


@pytest.fixture
def summary(library):
    records = [library.record(i) for i in STUDIES]
    change = FactChange("Where it stands", "Ongoing", "Completed", "2026-11-29",
                        "2026-03-02T09:00:00Z", "data update")
    studies = [SummaryStudy(records[0], NOTE, (change,))] + [SummaryStudy(r) for r in records[1:]]
    return records, studies, latest_data_date(records)


def _pdf_text(path) -> str:
    reader = PdfReader(str(path))
    return _flat(" ".join(page.extract_text() for page in reader.pages))


def test_the_pdf_holds_every_field_of_every_study(summary, tmp_path):
    records, studies, data_date = summary
    path = tmp_path / "summary.pdf"
    write_pdf(summary_html(studies, data_date, footer=False), print_stylesheet(),
              footer_text(data_date, date(2026, 11, 30)), path, QLocale(QLocale.Language.English,
                                                                      QLocale.Country.UnitedKingdom))
    text = _pdf_text(path)
    for record in records:
        assert _flat(record.get("short_title") or record.title) in text
        first_sentence = _flat(record.summary).split(". ")[0]
        assert first_sentence in text
        for line in registry_numbers(record):  # numbers with their full addresses
            for part in line.split(" — "):
                assert part.replace(" ", "") in text.replace(" ", "")
        for paper in record.publications:
            if paper.doi:
                assert f"https://doi.org/{paper.doi}" in text.replace(" ", "")
    rituxme = records[0]
    assert "NCT02229942" in text and "https://clinicaltrials.gov/study/NCT02229942" in text.replace(" ", "")
    seen = rituxme.registry_status.provenance.seen
    assert f"seen {long_date(seen)}" in text  # the status as seen, dated
    assert "Not successful" in text  # the result
    assert "My questions: Would this suit someone housebound? What side effects were seen?" in text
    assert "Changed since you last looked" in text and "was Ongoing, now Completed" in text
    assert f"Facts as last checked in the sources: {long_date(data_date)}" in text
    assert "not medical advice" in text and "30 November 2026" in text


@pytest.mark.parametrize(("country", "size"), [
    (QLocale.Country.UnitedStates, (612, 792)), (QLocale.Country.Canada, (612, 792)),
    (QLocale.Country.Mexico, (612, 792)), (QLocale.Country.Germany, (595, 842)),
    (QLocale.Country.UnitedKingdom, (595, 842)), (QLocale.Country.Norway, (595, 842))])
def test_the_paper_is_letter_or_a4_from_the_locale(summary, tmp_path, country, size):
    _, studies, data_date = summary
    locale = QLocale(QLocale.Language.English, country)
    path = tmp_path / "summary.pdf"
    write_pdf(summary_html(studies[:1], data_date), print_stylesheet(), "footer", path, locale)
    box = PdfReader(str(path)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == size
    assert page_size_for(locale).id() == page_size_for(locale).id()


def test_five_short_studies_fit_one_page(library, tmp_path):
    """About six studies on one page when their facts are short (the pane has the rest); five
    with a long registry address each still leave room for the footer."""
    records = [library.record(i) for i in STUDIES]
    short = [SummaryStudy(r.__class__(**{**r.__dict__, "fields": {
        k: v for k, v in r.fields.items() if k in ("status", "outcome", "short_title")},
        "identifiers": r.identifiers[:1], "publications": (), "registry_status": None}))
        for r in records] * 2
    path = tmp_path / "five.pdf"
    pages = write_pdf(summary_html(short[:5], "", footer=False), print_stylesheet(), "footer", path)
    assert pages == 1 and len(PdfReader(str(path)).pages) == 1


def test_print_colours_are_black_on_white():
    css = print_stylesheet()
    colours = set(re.findall(r"#[0-9a-fA-F]{6}", css))
    assert colours <= {"#000000", "#ffffff"} and "#000000" in colours
    assert re.search(r"body \{ color: #000000; background-color: #ffffff;", css)


def test_the_markdown_says_the_same_with_addresses_written_out(summary):
    records, studies, data_date = summary
    text = summary_markdown(studies, data_date, date(2026, 11, 30))
    assert text.startswith("# My trials and studies")
    assert "## RituxME" in text
    assert "https://clinicaltrials.gov/study/NCT02229942" in text
    assert "**My questions:**" in text and "> Would this suit someone housebound?" in text
    assert "not medical advice" in text and "30 November 2026" in text
    assert "was Ongoing, now Completed" in text
