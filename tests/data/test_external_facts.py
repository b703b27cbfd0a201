"""The vetted external facts (shared/facts/external.toml) are on their records, findable, and
never include an identifier marked unverified."""

import json
import tomllib
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.data.seeds import EXTERNAL_FIELDS, KINDS

EXTERNAL = Path(__file__).resolve().parents[3] / "shared" / "facts" / "external.toml"
pytestmark = pytest.mark.skipif(not EXTERNAL.is_file(), reason="shared/facts/external.toml not beside the repo")

# Table of the external file → the seed record that carries its facts.
RECORD_OF = {
    "nacul-ldn-pcfs": "nacul-ldn-post-covid-fatigue-trial",
    "scheibenbogen-2018-autoimmunity-review": "autoimmunity-review-2018",
    "decodeme-gwas": "decodeme-gwas",
    "scheibenbogen-gpcr-autoantibodies": "gpcr-autoantibody-studies",
    "nksg-platform": "nksg-trial-platform",
    "immunoadsorption-post-covid-20": "immunoadsorption-post-covid-study",
    "ublituximab-inebilizumab-planned": "ublituximab-inebilizumab-planned-rct",
    "rituxme": "rituxme-phase3-rct",
    "cyclome": "cyclome-cyclophosphamide-phase2",
    "daratumumab-pilot": "daratumumab-pilot",
    "daratumumab-rct-resetme": "resetme-daratumumab-phase2-rct",
    "ncnp-rituximab-japan": "ncnp-rituximab-phase2-rct",
    "griffith-ldn-trpm3": "griffith-ldn-trpm3-study",
    "drug-daratumumab": "daratumumab",
    "drug-rituximab": "rituximab",
    "drug-ublituximab": "ublituximab",
    "drug-inebilizumab": "inebilizumab",
}


@pytest.fixture(scope="module")
def external():
    return tomllib.loads(EXTERNAL.read_text(encoding="utf-8"))


def _registry_ids(external):
    for table, record in RECORD_OF.items():
        for entry in external[table].get("registry", []):
            yield table, record, entry["id"]


def _publication_keys(external):
    for table, record in RECORD_OF.items():
        for entry in external[table].get("publications", []):
            for key in ("doi", "pmid", "pmcid"):
                if key in entry:
                    yield table, record, key, entry[key]


def test_every_table_of_the_file_has_a_record(external, seeds):
    every_id = {r["id"] for kind in KINDS for r in seeds.records[kind]}
    assert set(RECORD_OF.values()) <= every_id
    assert set(external) - set(RECORD_OF) == {"conference-iacfsme-2025"}  # facts about people


def test_every_registry_id_is_on_its_record(external, seeds):
    records = {r["id"]: r for kind in ("study", "treatment") for r in seeds.records[kind]}
    for table, record, value in _registry_ids(external):
        assert value in [i["id"] for i in records[record].get("identifiers", [])], (table, value)


def test_every_publication_identifier_is_on_its_record(external, seeds):
    records = {r["id"]: r for kind in ("study", "treatment") for r in seeds.records[kind]}
    for table, record, key, value in _publication_keys(external):
        assert value in [p.get(key) for p in records[record].get("publications", [])], (table, value)


def test_searching_an_identifier_finds_its_record(external, library):
    for table, record, value in _registry_ids(external):
        assert record in [h.id for h in library.search(value, limit=10)], (table, value)
    for table, record, _key, value in _publication_keys(external):
        assert record in [h.id for h in library.search(value, limit=10)], (table, value)


def test_no_unverified_identifier_is_in_the_seeds(external):
    unverified = [u["id"] for table in external.values() for u in table.get("unverified_ids", [])]
    seeds_text = "\n".join(p.read_text(encoding="utf-8")
                           for p in (Path(__file__).resolve().parents[2] / "seeds").rglob("*.toml"))
    assert unverified
    for value in unverified:
        assert value not in seeds_text


def test_no_unverified_identifier_is_in_any_cli_output(external, seeds, data_dir, capsys):
    unverified = [u["id"] for table in external.values() for u in table.get("unverified_ids", [])]
    for kind in ("study", "treatment"):
        for record in seeds.records[kind]:
            assert main(["show", record["id"], "--json"]) == 0
            out = capsys.readouterr().out
            for value in unverified:
                assert value not in out


def test_every_external_fact_carries_url_kind_confidence_and_date(seeds):
    for kind in KINDS:
        for record in seeds.records[kind]:
            entries = [e for name in EXTERNAL_FIELDS for e in record.get(name, [])]
            if "registry_status" in record:
                entries.append(record["registry_status"])
            for entry in entries:
                assert entry["url"].startswith(("http://", "https://")), record["id"]
                assert entry["confidence"] in ("primary", "secondary")
                # external.toml was seen on 2026-11-29, registry-trials.toml on 2026-11-30
                assert entry["seen"] in ("2026-11-29", "2026-11-30"), record["id"]


def test_show_json_lists_identifiers_publications_and_cross_checks(data_dir, capsys):
    assert main(["show", "rituxme-phase3-rct", "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    nct = [i for i in record["identifiers"] if i["id"] == "NCT02229942"]
    assert nct and nct[0]["system"] == "ClinicalTrials.gov"
    assert nct[0]["url"] == "https://clinicaltrials.gov/study/NCT02229942"
    assert {"system", "id", "url", "confidence"} <= set(nct[0])
    paper = [p for p in record["publications"] if p["doi"] == "10.7326/M18-1451"]
    assert paper and paper[0]["url"] == "https://doi.org/10.7326/M18-1451"
    assert {"title", "journal", "year", "doi", "pmid", "url"} <= set(paper[0])
    assert record["cross_checks"]
    assert {"article_says", "source_says", "source", "confidence"} <= set(record["cross_checks"][0])


def test_show_json_has_empty_lists_where_there_is_nothing(data_dir, capsys, seeds):
    bare = next(r["id"] for r in seeds.records["mechanism"])
    assert main(["show", bare, "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    assert record["identifiers"] == [] and record["publications"] == [] and record["cross_checks"] == []
