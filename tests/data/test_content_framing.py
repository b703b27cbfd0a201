"""How the seed records frame what their sources say (issue 14): opinions attributed, statuses no
stronger than the source, the report's own spellings findable, no copied sentences."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.data.seed_checks import find_shared_dir

REPO = Path(__file__).resolve().parents[2]
SHARED = find_shared_dir(REPO)
COPY_TOOL = SHARED / "tools" / "copied_sentences.py" if SHARED else None
MIRROR_KINDS = ("registry-mirror", "pubmed-mirror", "aggregator", "forum", "news")


def test_the_reports_spelling_decode_me_finds_decodeme(library):
    assert library.search("Decode ME")[0].id == "decodeme-gwas"


def test_a_preprint_is_not_called_published(seeds):
    """DecodeME's results are a medRxiv preprint, not yet peer reviewed."""
    study = seeds.by_id("study")["decodeme-gwas"]
    assert study["status"] == "preprint"


def test_a_primary_registry_status_holds_only_the_registrys_own_values(seeds):
    for study in seeds.records["study"]:
        status = study.get("registry_status")
        if status and status["confidence"] == "primary":
            assert status["kind"] not in MIRROR_KINDS, study["id"]
            assert "mirror" not in status["text"].lower(), (study["id"], status["text"])


def test_the_nacul_trial_carries_the_protocols_phase_design_and_size(seeds):
    study = seeds.by_id("study")["nacul-ldn-post-covid-fatigue-trial"]
    assert (study["phase"], study["enrollment"], study["blinding"]) == ("2", 160, "double-blind")
    assert "nacul-2024-bmjopen-ldn-protocol" in [c["source"] for c in study["sources"]]


def test_the_vicious_cycle_and_comes_before_links_name_who_says_so(seeds):
    for mechanism in seeds.records["mechanism"]:
        for link in mechanism.get("links", []):
            if "vicious cycle" in link["relation"] or "comes before" in link["relation"]:
                assert "Nacul" in link["relation"], (mechanism["id"], link)


def test_mechanism_first_lines_do_not_state_the_cycle_as_fact(seeds):
    """'is impaired in ME/CFS and is part of the vicious cycle' was one speaker's model."""
    for mechanism in seeds.records["mechanism"]:
        summary = mechanism["summary"]
        if re.search(r"vicious cycle|feed one another|does not work properly", summary):
            assert re.search(r"Nacul|review", summary), (mechanism["id"], summary)


def test_definitions_we_wrote_cite_our_own_editorial_source(seeds):
    sources = seeds.by_id("source")
    assert sources["trialtree-editorial"]["kind"] == "other"
    for term_id in ("sf-36", "p-value", "hla", "pots", "preprint", "in-vitro", "open-label"):
        cited = [c["source"] for c in seeds.by_id("term")[term_id]["sources"]]
        assert cited == ["trialtree-editorial"], term_id


@pytest.mark.skipif(COPY_TOOL is None or not COPY_TOOL.is_file(), reason="shared/tools not beside the repo")
def test_no_run_of_eight_words_is_copied_from_the_report_outside_names_and_titles():
    """The shared tool skips titles and headings; a record's `name` (an organisation's official
    name, copied exactly as the rules require) is a title too."""
    run = subprocess.run([sys.executable, str(COPY_TOOL), str(REPO), "--words", "8"],
                         capture_output=True, text=True)
    hits = [line for line in run.stdout.splitlines() if re.match(r"^\S+:\d+: ", line)]
    prose = []
    for hit in hits:
        path, lineno = hit.split(":")[:2]
        line = (REPO / path).read_text(encoding="utf-8").splitlines()[int(lineno) - 1]
        if not re.match(r'^\s*name\s*=\s*"', line):
            prose.append(hit)
    assert not prose, "\n".join(prose)


def test_show_names_a_source_without_a_date_without_an_empty_slot(data_dir, capsys):
    """The editorial source and some papers have no date: no '(TrialTree, )' in the listing."""
    from desktop.cli import main

    assert main(["show", "genetics"]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("source:")]
    assert any("TrialTree's own plain-language text" in line for line in lines)
    assert not any(", )" in line or "()" in line for line in lines), lines
