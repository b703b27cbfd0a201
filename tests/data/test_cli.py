"""The command line: search, show, tree, rebuild, validate, and their error paths."""

import json

import pytest



def test_first_use_builds_the_database_in_the_data_folder(cli, data_dir):
    status, out, _ = cli("tree")
    assert status == 0 and out.strip()
    assert (data_dir / "reference.db").is_file()


def test_search_daratumumab_finds_both_daratumumab_studies(cli):
    status, out, _ = cli("search", "daratumumab")
    ids = [line.split("\t")[0] for line in out.splitlines()]
    assert status == 0
    assert {"daratumumab-pilot", "resetme-daratumumab-phase2-rct"} <= set(ids)


def test_search_json_lists_id_kind_title_snippet(cli):
    status, out, _ = cli("search", "rituximab", "--json")
    hits = json.loads(out)
    assert status == 0 and hits
    assert set(hits[0]) >= {"id", "kind", "title", "snippet"}
    assert "rituxme-phase3-rct" in [h["id"] for h in hits]


def test_search_with_no_hits_says_so_and_exits_1(cli):
    status, out, err = cli("search", "zzqqxx")
    assert status == 1 and out == "" and "nothing found" in err


@pytest.mark.parametrize("query", ['"', "(", "AND", "NEAR(", "title:x", "*", "a OR", "\x00\x01"])
def test_search_never_shows_a_traceback(cli, query):
    status, _, err = cli("search", query)
    assert status in (0, 1)
    assert "Traceback" not in err and "fts5" not in err.lower()


def test_show_prints_a_trial_with_everything_linked(cli):
    status, out, _ = cli("show", "rituxme-phase3-rct", "--json")
    record = json.loads(out)
    assert status == 0
    assert record["id"] == "rituxme-phase3-rct" and record["kind"] == "study"
    assert [r["id"] for r in record["links"]["treatments"]] == ["rituximab"]
    assert record["links"]["mechanisms"] and record["links"]["people"]
    assert record["links"]["institutions"]
    assert record["citations"][0]["source_id"] == "medscape-2025-11-07"
    for name in ("identifiers", "publications", "cross_checks"):
        assert isinstance(record[name], list)


def test_show_text_names_the_source_and_section(cli):
    status, out, _ = cli("show", "daratumumab-pilot")
    assert status == 0
    assert "Medscape" in out and "section:" in out


def test_show_unknown_id_is_a_clear_error(cli):
    status, out, err = cli("show", "no-such-trial")
    assert status == 1 and out == ""
    assert "no record has the id 'no-such-trial'" in err


def test_tree_json_has_the_top_level_mechanisms(cli, seeds):
    status, out, _ = cli("tree", "--json")
    tree = json.loads(out)
    top = [m["id"] for m in seeds.records["mechanism"] if "parent" not in m]
    assert status == 0 and [node["id"] for node in tree if node["kind"] == "mechanism"] == top
    unfiled = [s["id"] for s in seeds.records["study"] if not s.get("mechanisms")]
    groups = [node for node in tree if node["kind"] == "group"]
    # studies that state no mechanism sit under one group at the end, never vanish
    assert [(g["title"], g["count"]) for g in groups] == ([("No mechanism stated", len(unfiled))] if unfiled else [])


def test_tree_unknown_grouping_is_a_clear_error(cli):
    status, _, err = cli("tree", "--by", "colour")
    assert status == 1 and "unknown grouping 'colour'" in err


def test_rebuild_rebuilds(cli, data_dir):
    cli("tree")
    first = (data_dir / "reference.db").stat().st_mtime_ns
    status, out, _ = cli("rebuild")
    assert status == 0 and "rebuilt" in out
    assert (data_dir / "reference.db").stat().st_mtime_ns != first


def test_validate_reports_a_bad_seed(cli, seeds_copy):
    (seeds_copy / "studies" / "zz.toml").write_text("[[study]]\nid = 3\n", encoding="utf-8")
    status, _, err = cli("validate")
    assert status == 1 and "zz.toml" in err and "'id'" in err


def test_bad_seeds_without_a_database_is_a_clear_error(cli, seeds_copy):
    (seeds_copy / "studies" / "zz.toml").write_text("[[study]\n", encoding="utf-8")
    status, _, err = cli("search", "rituximab")
    assert status == 1 and "zz.toml" in err and "Traceback" not in err


def test_show_text_lists_each_identifier_once_and_the_cross_checks(cli):
    status, out, _ = cli("show", "rituxme-phase3-rct")
    assert status == 0
    assert out.count("identifier: ClinicalTrials.gov NCT02229942") == 1
    assert "cross-check: the report says:" in out
