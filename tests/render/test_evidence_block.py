"""Issue 19: evidence at a glance at the top of a mechanism's page, and the list page behind each
count (no Qt): every count links to exactly the studies evidence.py counts, text is escaped once."""

import re
from html import unescape

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.data.evidence import (Count, count_for, for_library, linked_counts, list_id,
                                   parse_list_id)
from desktop.data.records import Ref
from desktop.render import record_html
from desktop.render.evidence import EVIDENCE_HEADING, map_href, study_list_html

MECHANISMS = ["autoimmunity", "viral-persistence", "immune-dysregulation", "endocrine"]


def _links(html):
    return [(unescape(href), unescape(re.sub("<[^>]+>", "", text)))
            for href, text in re.findall(r'<a href="([^"]*)"[^>]*>(.*?)</a>', html)]


@pytest.mark.parametrize("mechanism_id", MECHANISMS)
def test_the_block_sits_right_under_the_summary_and_says_each_count_once(library, mechanism_id):
    record = library.record(mechanism_id)
    evidence = for_library(library, mechanism_id)
    html = record_html(record, evidence=evidence)
    lead, block = html.find('class="lead"'), html.find(EVIDENCE_HEADING)
    assert 0 < lead < block
    assert f'href="{map_href(mechanism_id)}">Show on the map</a>' in html
    # the older key facts are merged in: no second table repeating the total
    assert "At a glance</h2>" not in html and "Trials and studies</td>" not in html
    assert "trials and studies in this area" not in html
    text = " ".join(unescape(re.sub("<[^>]+>", " ", html)).split())
    assert text.count(f"{evidence.total:,} in all") == (1 if evidence.total else 0)
    # what only the old key facts said is still said, once
    treatments = len(record.links.get("treatments", ()))
    assert "Aimed at it" in text and (f"{treatments} treatment" in text or not treatments)
    direct = len(record.links.get("studies", ()))
    if direct != evidence.total:
        assert f"{direct if direct else 'none'} filed directly under it" in text
    parent = record.links.get("parent", ())
    if parent:
        assert text.index("Part of") < text.index("in all")


def test_a_mechanism_shown_without_evidence_keeps_its_key_facts(library):
    html = record_html(library.record("autoimmunity"))
    assert "At a glance</h2>" in html and "Trials and studies</td>" in html


@pytest.mark.parametrize("mechanism_id", MECHANISMS)
def test_every_count_link_names_a_list_holding_exactly_its_studies(library, mechanism_id):
    evidence = for_library(library, mechanism_id)
    html = record_html(library.record(mechanism_id), evidence=evidence)
    count_links = [(href, text) for href, text in _links(html) if href.startswith("trialtree:evidence/")]
    expected = {c.key for c in linked_counts(evidence) if c.study_ids}
    seen = set()
    for href, text in count_links:
        mid, key = parse_list_id(href.removeprefix("trialtree:"))
        assert mid == mechanism_id
        count = count_for(evidence, key)
        seen.add(key)
        assert count.study_ids, key  # a count of none is not a link
        assert re.search(rf"\b{count.count:,}\b", text), (key, text)  # the link says its number
    assert seen == expected


def test_the_counts_are_the_ones_evidence_gives(library):
    evidence = for_library(library, "immune-dysregulation")
    assert count_for(evidence, "all").study_ids == evidence.study_ids
    assert count_for(evidence, "trials").study_ids == evidence.trial_ids
    assert count_for(evidence, "other").study_ids == evidence.other_ids
    assert count_for(evidence, "enrolled").study_ids == evidence.enrollment_known
    assert count_for(evidence, "no-number").study_ids == evidence.enrollment_unknown
    for bucket in evidence.by_result:
        assert count_for(evidence, f"result-{bucket.key}").study_ids == bucket.study_ids
    for phase in evidence.by_phase:
        assert count_for(evidence, f"phase-{phase.key}").study_ids == phase.study_ids
    assert count_for(evidence, "no-such-count") is None


def test_the_result_links_say_what_they_count_in_words(library):
    evidence = for_library(library, "immune-dysregulation")
    texts = [t for _, t in _links(record_html(library.record("immune-dysregulation"), evidence=evidence))]
    did_not_help = count_for(evidence, "result-did-not-help")
    assert f"{did_not_help.count} did not help" in texts
    assert f"{len(evidence.trial_ids)} trials" in texts
    assert f"{evidence.total} in all" in texts


def test_enrolled_people_are_the_sum_the_data_gives(library):
    evidence = for_library(library, "immune-dysregulation")
    html = record_html(library.record("immune-dysregulation"), evidence=evidence)
    assert f"{evidence.enrolled:,} people in" in html
    assert evidence.enrollment_unknown and "no number" in html


def test_a_mechanism_with_nothing_beneath_says_so_and_links_no_count(library):
    evidence = for_library(library, "endocrine")
    html = record_html(library.record("endocrine"), evidence=evidence)
    assert "No trials or studies are filed here yet" in html
    assert "trialtree:evidence/" not in html and map_href("endocrine") in html


def test_list_ids_go_there_and_back():
    assert parse_list_id(list_id("autoimmunity", "result-helped")) == ("autoimmunity", "result-helped")
    assert parse_list_id("autoimmunity") is None and parse_list_id("evidence/x") is None


def test_pages_without_evidence_show_no_block(library):
    assert EVIDENCE_HEADING not in record_html(library.record("autoimmunity"))


def test_the_list_page_escapes_titles_once_and_links_every_study():
    count = Count("result-helped", "Result: helped", ("s1", "s2"))
    refs = [Ref("s1", "study", "<b>A & B</b>"), Ref("s2", "study", "Plain")]
    html = study_list_html("Mechanism <u>A</u>", count, refs)
    assert "&lt;b&gt;A &amp; B&lt;/b&gt;" in html and "&amp;amp;" not in html
    assert "Mechanism &lt;u&gt;A&lt;/u&gt;" in html and "<u>" not in html
    assert [h for h, _ in _links(html)] == ["trialtree:s1", "trialtree:s2"]


@given(st.text())
def test_any_text_as_an_address_parses_or_is_refused_without_error(text):
    parsed = parse_list_id(text)
    if parsed is not None:
        assert all(parsed) and list_id(*parsed) == text


@given(st.text(min_size=1).filter(lambda t: "/" not in t), st.text(min_size=1))
def test_a_list_address_gives_back_its_mechanism_and_count(mechanism_id, key):
    assert parse_list_id(list_id(mechanism_id, key)) == (mechanism_id, key)


def test_the_lists_behind_the_counts_reach_every_study_beneath(library):
    evidence = for_library(library, "autoimmunity")
    html = record_html(library.record("autoimmunity"), evidence=evidence)
    keys = [parse_list_id(h.removeprefix("trialtree:"))[1] for h, _ in _links(html)
            if h.startswith("trialtree:evidence/")]
    reached = {sid for key in keys for sid in count_for(evidence, key).study_ids}
    assert reached == set(evidence.study_ids) and "<script" not in html
