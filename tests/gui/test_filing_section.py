"""Issue 16 on the study pane: "Why it is filed here", a link_note beside its paper, thin records
that say what is not known, and facts seen only on copies marked unconfirmed in words."""

from __future__ import annotations

import re

import pytest

from desktop.data.records import (Citation, ExternalFact, FiledUnder, Identifier, Provenance,
                                  Publication, Record, Ref)
from desktop.ui.detail_view import DetailView, record_html
from desktop.render.filing import EDITORIAL, HEADING, NO_MECHANISM, NOT_IN_SOURCES

OFFICIAL = Provenance("https://classic.clinicaltrials.gov/ct2/show/NCT05668091", "registry",
                      "primary", "2026-11-30")
MIRROR = Provenance("https://meddatax.com/clinical-trials/NCT05633407", "registry-mirror",
                    "secondary", "2026-11-30")
REPORT = Citation(
    source_id="medscape-2025-11-07",
    title="Research Into ME/CFS Pathology Points to Possible Treatments",  # the report's title
    outlet="Medscape Medical News", author=None, date="2025-11-07",
    url="https://www.medscape.com/viewarticle/a-test-article",
    section="Autoimmunity Is a Major Research Focus")


def study(**changes) -> Record:
    base = dict(id="zz", kind="study", title="A test trial", summary="A plain summary.",
                fields={"kind": "trial", "status": "completed"},
                links={"mechanisms": (Ref("viral-persistence", "mechanism", "Viral persistence"),)})
    base.update(changes)
    return Record(**base)


def plain(qtbot, record: Record) -> str:
    view = DetailView()
    qtbot.addWidget(view)
    view.show_record(record)
    return view.toPlainText()


def test_each_mechanism_shows_its_reason_and_who_says_so(qtbot):
    record = study(
        links={"mechanisms": (Ref("viral-persistence", "mechanism", "Viral persistence"),
                              Ref("autoantibodies", "mechanism", "Autoantibodies"),
                              Ref("energy-metabolism", "mechanism", "Energy metabolism"))},
        filed_under=(
            FiledUnder("viral-persistence", "Viral persistence", "The registry says it tests leftover virus.",
                       "source", provenance=OFFICIAL),
            FiledUnder("autoantibodies", "Autoantibodies", "The report ties it to autoantibodies.",
                       "source", citation=REPORT),
            FiledUnder("energy-metabolism", "Energy metabolism", "We file it here ourselves.", "editorial"),
        ))
    text = plain(qtbot, record)
    assert HEADING in text
    assert "Viral persistence: The registry says it tests leftover virus." in text
    # issue 12: the page is numbered and listed once at the end with its date
    assert re.search(r"Stated by the trial registry[^\n]* \[1\]\.", text), text
    assert re.search(r"(?m)^\[1\] The trial registry[^\n]*, seen on 30 November 2026\.$", text), text
    assert "Stated by Research Into ME/CFS Pathology" in text and "Autoimmunity Is a Major" in text
    assert f"We file it here ourselves.\n{EDITORIAL}." in text
    markup = record_html(record)
    assert 'href="trialtree:viral-persistence"' in markup
    assert 'href="https://www.medscape.com/viewarticle/' in markup  # an official page: linked


def test_a_reason_seen_only_on_a_mirror_is_unconfirmed_and_not_linked(qtbot):
    record = study(filed_under=(FiledUnder("viral-persistence", "Viral persistence", "A copied title says so.",
                                           "source", provenance=MIRROR),))
    text = plain(qtbot, record)
    assert "Unconfirmed: Stated by a copy of the registry entry at meddatax.com" in text
    assert "meddatax.com/clinical-trials" not in record_html(record)


def test_a_study_with_no_mechanism_says_so(qtbot):
    text = plain(qtbot, study(links={}))
    assert NO_MECHANISM in text


def test_a_link_note_is_shown_next_to_its_paper(qtbot):
    note = "Tied to the trial by matching its design, not by a printed number."
    papers = (Publication("First paper", None, None, "J One", 2024, None, None, "10.1000/a", None, None,
                          None, (("DOI", "https://doi.org/10.1000/a"),), OFFICIAL, note),
              Publication("Second paper", None, None, "J Two", 2025, None, None, "10.1000/b", None, None,
                          None, (("DOI", "https://doi.org/10.1000/b"),), OFFICIAL))
    text = plain(qtbot, study(publications=papers))
    first, second = text.index("First paper"), text.index("Second paper")
    assert first < text.index(note) < second  # beside the paper it qualifies, not the other


def test_a_thin_record_says_what_is_not_known(qtbot):
    thin = study(identifiers=(Identifier("ClinicalTrials.gov", "NCT99999999", None, None, OFFICIAL),))
    text = plain(qtbot, thin)
    assert "The pages seen say little about this study" in text
    assert "how many people take part" in text and "what it found" in text
    assert NOT_IN_SOURCES in text  # the key facts do not pretend a report was read
    assert "Not given in the report" not in text


def test_a_full_record_has_no_thin_note(qtbot, library):
    assert "The pages seen say little" not in plain(qtbot, library.record("rituxme-phase3-rct"))


def test_a_planned_trial_is_not_faulted_for_having_no_result(qtbot):
    planned = study(fields={"kind": "trial", "status": "planned", "design": "randomized",
                            "enrollment": 40})
    assert "The pages seen say little" not in plain(qtbot, planned)


@pytest.mark.parametrize("kind", ["registry-mirror", "aggregator", "publisher-proxy", "publisher-copy",
                                  "journal-pdf-copy", "pubmed-mirror", "forum", "news"])
def test_facts_from_every_secondary_kind_in_the_trial_file_are_unconfirmed_in_words(qtbot, kind):
    seen = Provenance(f"https://copies.example/{kind}", kind, "secondary", "2026-11-30")
    record = study(external_facts=(ExternalFact("A fact seen on that page.", seen),))
    text = plain(qtbot, record)
    assert "Unconfirmed:" in text and "a secondary source, not the original" in text
    assert "copies.example" in text  # named as plain text ...
    assert 'href="https://copies.example' not in record_html(record)  # ... never linked


@pytest.mark.parametrize("kind", ["publisher-proxy", "publisher-copy", "journal-pdf-copy", "pubmed-mirror"])
def test_a_verbatim_copy_is_called_a_copy_even_when_marked_primary(qtbot, kind):
    seen = Provenance("https://proxy.example/page", kind, "primary", "2026-11-30")
    text = plain(qtbot, study(external_facts=(ExternalFact("A fact.", seen),)))
    # issue 12's numbered source list starts each entry with the words, so "A copy of ..."
    assert re.search(r"(?m)\b[Aa] copy of [^\n]* at proxy\.example", text), text


def test_the_real_report_studies_show_why_they_are_filed(qtbot, library):
    text = plain(qtbot, library.record("nacul-ldn-post-covid-fatigue-trial"))
    assert HEADING in text and "Stated by Research Into ME/CFS Pathology" in text


def test_why_it_is_filed_here_folds_like_the_other_sections(qtbot):
    record = study(links={"mechanisms": (Ref("autoantibodies", "mechanism", "Autoantibodies"),)},
                   filed_under=(FiledUnder("autoantibodies", "Autoantibodies",
                                           "We file it here ourselves.", "editorial"),))
    view = DetailView()
    qtbot.addWidget(view)
    view.show_record(record)
    assert "We file it here ourselves." in view.toPlainText()
    view.toggle_section("filed-under")
    text = view.toPlainText()
    assert HEADING in text and "(hidden)" in text
    assert "We file it here ourselves." not in text
    assert "filed-under" in view.folded
