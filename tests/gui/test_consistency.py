"""Issue 12, defects 5 and 6: a page never contradicts itself, and names its sources rightly.

Checked over every study in the seeds: no "not given" for a fact another field of the same record
states; a status from the report and one from a registry (or other page) are both shown, each
with its source and date; a box or label naming a page names the right kind of page; one term
for what a trial measures."""

from __future__ import annotations

import html
import re

import pytest

from desktop.data import links
from desktop.render import record_html
from desktop.render.labels import FIELD_LABELS, SECTION_HEADINGS

# A count of people in seed text, as a reader would spot it ("15,579 people", "160 participants").
COUNT = re.compile(r"\d[\d,]* (\S+ ){0,3}?(people|patients|participants|adults|women|controls)",
                   re.IGNORECASE)
# Sites that are registers of trials or research projects, and what their pages must be called.
REGISTER_SITES = ("app.cristin.no", "clinicaltrialsregister.eu", "clinicaltrials.gov",
                  "jrct.niph.go.jp", "anzctr.org.au")


def text_of(markup: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def glance(markup: str) -> dict[str, str]:
    """The "At a glance" rows of a page: label → text."""
    table = markup[markup.index("At a glance"):]
    table = table[:table.index("</table>")]
    rows = re.findall(r'<td class="fact"[^>]*>(.*?)</td><td[^>]*>(.*?)</td>', table)
    return {text_of(label): text_of(value) for label, value in rows}


@pytest.fixture(scope="module")
def studies(reference_db):
    from desktop.data.library import Library

    library = Library(reference_db)
    records = [library.record(i) for i in library.ids("study")]
    library.close()
    assert len(records) > 10
    return records


def test_no_fact_is_not_given_when_the_record_states_it(studies):
    for record in studies:
        rows = glance(record_html(record))
        elsewhere = {
            "How many": [record.get("enrollment"), record.get("population"),
                         record.registry_status.text if record.registry_status else None,
                         *(f.claim for f in record.external_facts)],
            "In whom": [record.get("population"), record.get("conditions")],
            "Where it stands": [record.get("status"), record.registry_status],
            "Result": [record.get("outcome"), record.get("result")],
        }
        for label, values in elsewhere.items():
            said = rows.get(label, "")
            if "not given" in said.lower():
                stated = [v for v in values if v and (label != "How many" or COUNT.search(str(v))
                                                       or isinstance(v, int))]
                assert stated == [], (record.id, label, stated)
        if COUNT.search(str(record.get("population") or "")) and not record.get("enrollment"):
            assert "How many" not in rows or "not given" not in rows["How many"].lower()


def test_decodeme_gives_its_numbers_without_saying_they_are_not_given(studies):
    record = next(r for r in studies if r.id == "decodeme-gwas")
    rows = glance(record_html(record))
    assert "15,579" in rows["In whom"]
    assert "Not given" not in " ".join(rows.values())


def test_two_statuses_are_both_shown_with_whose_each_is_and_when(studies):
    checked = 0
    for record in studies:
        if not (record.get("status") and record.registry_status):
            continue
        where = glance(record_html(record))["Where it stands"]
        from desktop.render.sources import seen_on, source_name
        report = [c for c in record.citations if c.source_id == "medscape-2025-11-07"]
        if report:
            assert "according to the report" in where, record.id
            assert seen_on(report[0].date) in where
        else:  # issue 16's registered trials: no report speaks of them
            assert "report" not in where and "according to the pages seen" in where, record.id
        assert " ".join(record.registry_status.text.split()) in where, record.id
        assert f"seen on {seen_on(record.registry_status.provenance.seen)}" in where
        assert source_name(record.registry_status.provenance).lower() in where.lower()
        checked += 1
    assert checked >= 3
    daratumumab = next(r for r in studies if r.id == "daratumumab-pilot")
    where = glance(record_html(daratumumab))["Where it stands"]
    assert where.index("Completed, according to the report") < where.index("Recruitment closed")


def _named(record) -> list[tuple[str, str]]:
    """(what the page calls a page, its address) for every box heading and status label."""
    markup = record_html(record)
    named = []
    for check, heading in zip(record.cross_checks, re.findall(
            r'<p class="label">([^<]*) says</p>', markup)[1::2]):
        named.append((html.unescape(heading), check.provenance.url))
    if record.registry_status and record.get("status"):  # both statuses, in the key facts
        where = glance(markup)["Where it stands"]
        label = re.search(r"according to the (?:report|pages seen)(?: \([^)]*\))?\. (.*?)(?: \(unconfirmed\))?, "
                          r"seen on", where).group(1)
        named.append((label, record.registry_status.provenance.url))
    return named


def test_headings_name_the_right_kind_of_page(studies):
    checked = 0
    for record in studies:
        for name, url in _named(record):
            site = links.site_of(url)
            official = links.source_link(url) is not None
            if official and any(site == s or site.endswith("." + s) for s in REGISTER_SITES):
                assert "regist" in name.lower(), (record.id, name, url)
                assert "institution" not in name.lower(), (record.id, name, url)
                checked += 1
            if official and site.endswith("medrxiv.org"):
                assert "preprint" in name.lower() and "published" not in name.lower()
                checked += 1
            if not official:
                assert "copy" in name.lower() or not name.lower().startswith("the "), (record.id,
                                                                                       name)
    assert checked >= 3
    cristin = [n for n, url in _named(next(r for r in studies if r.id == "daratumumab-pilot"))
               if "cristin" in url]
    assert cristin and all("institution's own page" not in n for n in cristin)


def test_one_term_for_what_a_trial_measures():
    terms = " ".join(f"{plain} {term}" for plain, term in FIELD_LABELS.values())
    terms += " ".join(SECTION_HEADINGS.values())
    assert "endpoint" not in terms.lower()
    assert "primary outcome" in terms


def test_a_result_is_stated_once_with_the_pages_that_confirm_it(studies):
    """Issue 12, defect 5: a registry or journal fact that only repeats the result's figures is
    not listed again; the result says where the same figures were seen."""
    record = next(r for r in studies if r.id == "rituxme-phase3-rct")
    repeats = [f.claim for f in record.external_facts if "18.9%" in f.claim]
    assert repeats and "18.9%" in record.get("result")
    text = text_of(record_html(record))
    assert text.count("18.9%") == 1
    happened = text[text.index("What they found"):]
    assert re.match(r".*?The same figures were seen on \[\d+\] ?\.", happened)
