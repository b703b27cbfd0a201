"""The real seeds load, hang together, and bad seeds are refused with a precise message."""

import pytest

from desktop.data.seeds import KINDS, SeedError, load_seeds


def test_every_kind_has_records(seeds):
    for kind in KINDS:
        assert seeds.records[kind], f"no {kind} records in seeds/"


def test_ids_are_unique_across_kinds(seeds):
    ids = [r["id"] for kind in KINDS for r in seeds.records[kind]]
    assert len(ids) == len(set(ids))


def test_every_reference_resolves_to_a_record_of_the_right_kind(seeds):
    studies = seeds.records["study"]
    for study in studies:
        for ref in study.get("treatments", []):
            assert seeds.kind_of[ref] == "treatment"
        for ref in study.get("mechanisms", []):
            assert seeds.kind_of[ref] == "mechanism"
        for entry in study.get("people", []):
            assert seeds.kind_of[entry["person"]] == "person"


def test_every_citation_names_a_section_its_source_has(seeds):
    sections = {s["id"]: {section["key"] for section in s.get("sections", [])}
                for s in seeds.records["source"]}
    for kind in KINDS:
        for record in seeds.records[kind]:
            for citation in record.get("sources", []):
                if sections[citation["source"]]:
                    assert citation["section"] in sections[citation["source"]], (record["id"], citation)


def test_the_article_studies_are_all_there(seeds):
    ids = {s["id"] for s in seeds.records["study"]}
    assert {"decodeme-gwas", "autoimmunity-review-2018", "nksg-trial-platform",
            "immunoadsorption-post-covid-study", "ublituximab-inebilizumab-planned-rct",
            "rituxme-phase3-rct", "cyclome-cyclophosphamide-phase2", "daratumumab-pilot",
            "resetme-daratumumab-phase2-rct", "ncnp-rituximab-phase2-rct",
            "griffith-ldn-trpm3-study", "nacul-ldn-post-covid-fatigue-trial"} <= ids


def test_figures_from_the_article_are_copied_exactly(seeds):
    studies = seeds.by_id("study")
    assert studies["resetme-daratumumab-phase2-rct"]["enrollment"] == 66
    assert studies["daratumumab-pilot"]["enrollment"] == 10
    assert studies["ncnp-rituximab-phase2-rct"]["enrollment"] == 30
    assert studies["griffith-ldn-trpm3-study"]["enrollment"] == 9
    assert studies["immunoadsorption-post-covid-study"]["enrollment"] == 20
    decode = " ".join(str(v) for v in studies["decodeme-gwas"].values())
    assert "15,579" in decode or "15579" in decode
    assert "259,909" in decode or "259909" in decode


VALID_STUDY = '''
[[study]]
id = "{id}"
title = "A test study"
kind = "trial"
status = "planned"
summary_plain = "Nothing yet."
sources = [{{ source = "medscape-2025-11-07", section = "introduction" }}]
{extra}
'''


def _write_study(seeds_dir, name, text):
    (seeds_dir / "studies" / f"{name}.toml").write_text(text, encoding="utf-8")


@pytest.mark.parametrize("name, text, expected", [
    ("zz-syntax", "[[study]\nid = ", ["zz-syntax.toml", "TOML syntax error"]),
    ("zz-missing", VALID_STUDY.format(id="zz-missing", extra="").replace('status = "planned"\n', ""),
     ["zz-missing.toml", "'zz-missing'", "'status'", "required"]),
    ("zz-duplicate", VALID_STUDY.format(id="daratumumab-pilot", extra=""),
     ["zz-duplicate.toml", "'daratumumab-pilot'", "'id'", "duplicate"]),
    ("zz-unknown", VALID_STUDY.format(id="zz-unknown", extra='treatments = ["no-such-drug"]'),
     ["zz-unknown.toml", "'zz-unknown'", "'treatments[0]'", "no-such-drug"]),
    ("zz-type", VALID_STUDY.format(id="zz-type", extra='enrollment = "ten"'),
     ["zz-type.toml", "'zz-type'", "'enrollment'", "whole number"]),
    ("zz-field", VALID_STUDY.format(id="zz-field", extra='enrolment = 3'),
     ["zz-field.toml", "'zz-field'", "'enrolment'", "unknown field"]),
    ("zz-enum", VALID_STUDY.format(id="zz-enum", extra="").replace('"planned"', '"maybe"'),
     ["zz-enum.toml", "'zz-enum'", "'status'", "planned"]),
])
def test_a_bad_seed_is_refused_naming_file_record_and_field(seeds_copy, name, text, expected):
    _write_study(seeds_copy, name, text)
    with pytest.raises(SeedError) as caught:
        load_seeds(seeds_copy)
    for part in expected:
        assert part in str(caught.value)


def test_an_external_fact_without_provenance_is_refused(seeds_copy):
    extra = 'identifiers = [{ system = "ClinicalTrials.gov", id = "NCT00000000" }]'
    _write_study(seeds_copy, "zz-ext", VALID_STUDY.format(id="zz-ext", extra=extra))
    with pytest.raises(SeedError) as caught:
        load_seeds(seeds_copy)
    assert "'identifiers[0].url'" in str(caught.value)


def test_a_record_without_any_source_is_refused(seeds_copy):
    text = VALID_STUDY.format(id="zz-nosource", extra="").replace(
        'sources = [{ source = "medscape-2025-11-07", section = "introduction" }]', "sources = []")
    _write_study(seeds_copy, "zz-nosource", text)
    with pytest.raises(SeedError, match="needs at least one source"):
        load_seeds(seeds_copy)


def test_a_mechanism_parent_loop_is_refused(seeds_copy, seeds):
    first = seeds.records["mechanism"][0]["id"]
    text = (seeds_copy / "mechanisms.toml").read_text(encoding="utf-8")
    text += ('\n[[mechanism]]\nid = "zz-a"\nname = "A"\nsummary = "a"\nparent = "zz-b"\n'
             'sources = [{ source = "medscape-2025-11-07", section = "introduction" }]\n'
             '[[mechanism]]\nid = "zz-b"\nname = "B"\nsummary = "b"\nparent = "zz-a"\n'
             'sources = [{ source = "medscape-2025-11-07", section = "introduction" }]\n')
    (seeds_copy / "mechanisms.toml").write_text(text, encoding="utf-8")
    assert first
    with pytest.raises(SeedError, match="loops back"):
        load_seeds(seeds_copy)


@pytest.mark.parametrize("missing", ["url", "confidence", "seen", "kind"])
def test_an_external_fact_missing_its_provenance_is_refused(seeds_copy, missing):
    entry = {"claim": "x", "url": "https://example.org", "kind": "registry",
             "confidence": "primary", "seen": "2026-11-29"}
    del entry[missing]
    inline = ", ".join(f'{k} = "{v}"' for k, v in entry.items())
    _write_study(seeds_copy, "zz-prov", VALID_STUDY.format(id="zz-prov", extra=f"external_facts = [{{ {inline} }}]"))
    with pytest.raises(SeedError) as caught:
        load_seeds(seeds_copy)
    assert f"'external_facts[0].{missing}'" in str(caught.value)
