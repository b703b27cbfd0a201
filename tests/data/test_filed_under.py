"""Issue 16: why a study is filed under each mechanism (``filed_under``), studies that state no
mechanism, and the grouping and search by condition, over the real seeds plus small fixture
studies written the way the registry-trial records are (no Qt)."""

from __future__ import annotations

import json
import sqlite3

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from desktop.data.build import build_reference_db
from desktop.data.library import Library
from desktop.data.vocabulary import NO_MECHANISM
from desktop.data.records import TreeNode
from desktop.data.search import search
from desktop.data.seeds import SeedError, load_seeds
from desktop.models.tree_paths import tree_paths

REPORT = 'sources = [{ source = "medscape-2025-11-07", section = "introduction" }]'
PAX = "https://classic.clinicaltrials.gov/ct2/show/NCT05668091"
MIRROR = "https://meddatax.com/clinical-trials/NCT05633407"

# Three studies in the shape the registry-trial records take (issue 16), with made-up text.
FIXTURES = {
    "zz-antiviral-trial": f'''
[[study]]
id = "zz-antiviral-trial"
title = "A test antiviral trial"
kind = "trial"
status = "completed"
summary_plain = "A test trial of an antiviral."
conditions = ["long COVID"]
mechanisms = ["viral-persistence"]
filed_under = [
  {{ mechanism = "viral-persistence", by = "source", reason = "The registry entry says it tests whether leftover virus keeps symptoms going.", url = "{PAX}", kind = "registry", confidence = "primary", seen = "2026-11-30" }},
]
sources = []
identifiers = [{{ system = "ClinicalTrials.gov", id = "NCT99999901", url = "{PAX}", kind = "registry", confidence = "primary", seen = "2026-11-30" }}]
publications = [{{ title = "A test results paper", doi = "10.1000/zz.1", link_note = "Tied to this trial by matching its design and numbers, not by a printed registry number.", url = "{PAX}", kind = "registry", confidence = "primary", seen = "2026-11-30" }}]
''',
    "zz-no-mechanism-trial": f'''
[[study]]
id = "zz-no-mechanism-trial"
title = "A test trial with no stated mechanism"
kind = "trial"
status = "enrolling"
summary_plain = "A test trial whose pages name no mechanism."
conditions = ["ME/CFS", "long COVID"]
mechanisms = []
filed_under = []
facts = ["No mechanism is stated in the pages seen."]
sources = []
identifiers = [{{ system = "ClinicalTrials.gov", id = "NCT99999902", url = "{MIRROR}", kind = "registry-mirror", confidence = "secondary", seen = "2026-11-30" }}]
''',
    "zz-immune-trial": f'''
[[study]]
id = "zz-immune-trial"
title = "A test immune trial"
kind = "trial"
status = "planned"
summary_plain = "A test trial of an immune drug."
mechanisms = ["immune-activation"]
filed_under = [
  {{ mechanism = "immune-activation", by = "source", reason = "A copied registry title speaks of immune activation.", url = "{MIRROR}", kind = "registry-mirror", confidence = "secondary", seen = "2026-11-30" }},
]
sources = []
external_facts = [{{ claim = "A test fact.", url = "{MIRROR}", kind = "registry-mirror", confidence = "secondary", seen = "2026-11-30" }}]
''',
}


@pytest.fixture(scope="module")
def fixture_db(tmp_path_factory):
    import shutil

    from tests.conftest import SEEDS

    seeds_dir = tmp_path_factory.mktemp("seeds16") / "seeds"
    shutil.copytree(SEEDS, seeds_dir)
    for name, text in FIXTURES.items():
        (seeds_dir / "studies" / f"{name}.toml").write_text(text, encoding="utf-8")
    seeds = load_seeds(seeds_dir)
    path = seeds_dir.parent / "reference.db"
    build_reference_db(seeds, path)
    return seeds, path


@pytest.fixture
def lib(fixture_db):
    library = Library(fixture_db[1])
    yield library
    library.close()


# ---- the seed field ------------------------------------------------------------------------

STUDY = '''
[[study]]
id = "zz-bad"
title = "A test study"
kind = "trial"
status = "planned"
summary_plain = "Nothing yet."
mechanisms = {mechanisms}
filed_under = [{entries}]
''' + REPORT.replace("{", "{{").replace("}", "}}") + "\n"
ED = '{{ mechanism = "{m}", by = "editorial", reason = "Our own filing." }}'
SRC = '{{ mechanism = "{m}", by = "source", reason = "The report says so.", source = "medscape-2025-11-07", section = "{s}" }}'


@pytest.mark.parametrize("mechanisms, entries, expected", [
    ('["autoantibodies"]', "", "no reason given for mechanism(s) autoantibodies"),
    ('["autoantibodies"]', ED.format(m="autoantibodies") + ", " + ED.format(m="neuroinflammation"),
     "'neuroinflammation' is not in this study's mechanisms"),
    ('["autoantibodies"]', ED.format(m="autoantibodies") + ", " + ED.format(m="autoantibodies"),
     "has two reasons"),
    ('["autoantibodies"]', '{ mechanism = "autoantibodies", by = "editorial", reason = "x", '
     'source = "medscape-2025-11-07", section = "autoimmunity" }', "an editorial reason cites no source"),
    ('["autoantibodies"]', '{ mechanism = "autoantibodies", by = "source", reason = "x" }',
     "either source and section, or url, kind, confidence and seen"),
    ('["autoantibodies"]', '{ mechanism = "autoantibodies", by = "source", reason = "x", '
     f'url = "{PAX}", kind = "registry", confidence = "primary" }}',
     "either source and section, or url, kind, confidence and seen"),
    ('["autoantibodies"]', '{ mechanism = "autoantibodies", by = "source", reason = "x", '
     'source = "medscape-2025-11-07", section = "autoimmunity", kind = "registry" }',
     "either source and section, or url, kind, confidence and seen"),
    ('["autoantibodies"]', SRC.format(m="autoantibodies", s="no-such-section"),
     "section 'no-such-section' is not one of the source's section keys"),
    ('["autoantibodies"]', '{ mechanism = "autoantibodies", by = "someone", reason = "x" }',
     "source, editorial"),
    ('[]', ED.format(m="autoantibodies"), "'autoantibodies' is not in this study's mechanisms"),
])
def test_a_bad_filed_under_is_refused_with_a_clear_message(seeds_copy, mechanisms, entries, expected):
    text = STUDY.format(mechanisms=mechanisms, entries=entries)
    (seeds_copy / "studies" / "zz-bad.toml").write_text(text, encoding="utf-8")
    with pytest.raises(SeedError) as caught:
        load_seeds(seeds_copy)
    message = str(caught.value)
    assert "zz-bad.toml" in message and "'zz-bad'" in message
    assert expected in message


def test_each_way_of_citing_a_reason_is_accepted(seeds_copy):
    page = (f'{{ mechanism = "neuroinflammation", by = "source", reason = "x", url = "{PAX}", '
            f'kind = "registry", confidence = "primary", seen = "2026-11-30" }}')
    entries = ", ".join([SRC.format(m="autoantibodies", s="autoimmunity"), page,
                         ED.format(m="energy-metabolism")])
    text = STUDY.format(mechanisms='["autoantibodies", "neuroinflammation", "energy-metabolism"]',
                        entries=entries)
    (seeds_copy / "studies" / "zz-bad.toml").write_text(text, encoding="utf-8")
    study = load_seeds(seeds_copy).by_id("study")["zz-bad"]
    assert [e["by"] for e in study["filed_under"]] == ["source", "source", "editorial"]


def test_every_real_study_says_why_it_sits_under_each_of_its_mechanisms(seeds):
    for study in seeds.records["study"]:
        assert "filed_under" in study, study["id"]
        assert [e["mechanism"] for e in study["filed_under"]] == study["mechanisms"], study["id"]


def test_the_new_mechanisms_sit_where_the_schema_says(seeds):
    mechanisms = seeds.by_id("mechanism")
    assert mechanisms["viral-persistence"].get("parent") is None
    assert mechanisms["immune-activation"]["parent"] == "immune-dysregulation"
    for mechanism_id in ("viral-persistence", "immune-activation"):
        record = mechanisms[mechanism_id]
        assert "links" not in record  # no source states any
        assert len(record["summary"].split()) <= 35
        assert "think" in record["summary"]  # a hypothesis, said to be someone's


# ---- stored, returned and printed ----------------------------------------------------------


def test_the_library_returns_each_reason_with_its_mechanism_name_and_who_says_so(library):
    record = library.record("rituxme-phase3-rct")
    by_mechanism = {e.mechanism: e for e in record.filed_under}
    assert set(by_mechanism) == {"b-cell-depletion", "autoantibodies"}
    entry = by_mechanism["b-cell-depletion"]
    assert entry.mechanism_name == library.title_of("b-cell-depletion")
    assert entry.by == "source" and entry.citation is not None
    assert entry.citation.source_id == "medscape-2025-11-07"
    assert entry.citation.section.startswith("Autoimmunity")  # the heading, not the key
    assert "filed_under" not in record.fields  # shown in its own way, never as a plain field


def test_an_editorial_reason_names_no_source(library):
    entry = next(e for e in library.record("ncnp-rituximab-phase2-rct").filed_under
                 if e.mechanism == "autoantibodies")
    assert entry.by == "editorial" and entry.citation is None and entry.provenance is None


def test_show_json_lists_filed_under(lib):
    data = lib.record("zz-antiviral-trial").to_json()
    assert data["filed_under"] == [{
        "mechanism": "viral-persistence", "mechanism_name": "Viral persistence",
        "reason": "The registry entry says it tests whether leftover virus keeps symptoms going.",
        "by": "source", "url": PAX, "kind": "registry", "confidence": "primary", "seen": "2026-11-30"}]
    assert data["publications"][0]["link_note"].startswith("Tied to this trial by matching")
    assert lib.record("zz-no-mechanism-trial").to_json()["filed_under"] == []


def test_the_cli_prints_filed_under(data_dir, capsys):
    from desktop import cli

    assert cli.main(["show", "decodeme-gwas", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [e["mechanism"] for e in data["filed_under"]] == [
        "genetics", "autoimmunity", "antiviral-immunity", "nervous-system-dysfunction",
        "mitochondrial-function"]
    assert all(e["source"] == "medscape-2025-11-07" and e["mechanism_name"] for e in data["filed_under"])


def test_filed_under_reasons_are_not_search_text(lib):
    # "source" and "editorial" are bookkeeping: they must not make every study match.
    assert not [h for h in lib.search("editorial ") if h.kind == "study"]


# ---- "No mechanism stated" -----------------------------------------------------------------


def test_a_study_with_no_mechanism_is_under_no_mechanism_stated(lib):
    roots = lib.tree_roots("mechanism")
    node = roots[-1]
    assert (node.key, node.title, node.record_id) == ("mechanism:", NO_MECHANISM, None)
    children = lib.tree_children("mechanism", node)
    assert "zz-no-mechanism-trial" in [c.record_id for c in children]
    assert node.count == len(children)


def test_the_real_seeds_no_mechanism_node_counts_exactly_the_unfiled_studies(library, seeds):
    unfiled = sorted(s["id"] for s in seeds.records["study"] if not s.get("mechanisms"))
    groups = [n for n in library.tree_roots("mechanism") if n.title == NO_MECHANISM]
    if not unfiled:
        assert groups == []
    else:
        (node,) = groups
        assert node.count == len(unfiled)
        assert sorted(c.record_id for c in library.tree_children("mechanism", node)) == unfiled


def test_the_tree_path_of_a_study_with_no_mechanism_leads_to_it(lib):
    record = lib.record("zz-no-mechanism-trial")
    paths = tree_paths("mechanism", record, lib.record)
    assert paths == [["mechanism:", "mechanism:/study:zz-no-mechanism-trial"]]
    assert _walk(lib, "mechanism", paths[0]).record_id == "zz-no-mechanism-trial"


def test_a_study_under_a_new_mechanism_is_found_by_its_path(lib):
    record = lib.record("zz-immune-trial")
    path = tree_paths("mechanism", record, lib.record)[0]
    assert path[:2] == ["mechanism:immune-dysregulation", "mechanism:immune-activation"]
    assert _walk(lib, "mechanism", path).record_id == "zz-immune-trial"


def _walk(lib: Library, grouping: str, path: list[str]) -> TreeNode:
    parent = None
    for key in path:
        parent = next(n for n in lib.tree_children(grouping, parent) if n.key == key)
    return parent


# ---- by condition ----------------------------------------------------------------------------


def _with(seeds, condition: str) -> set[str]:
    return {s["id"] for s in seeds.records["study"]
            if condition.casefold() in {c.casefold() for c in s.get("conditions", [])}}


def test_the_condition_tree_puts_a_study_in_both_under_both(lib, fixture_db):
    seeds = fixture_db[0]
    roots = {n.title: n for n in lib.tree_roots("condition")}
    assert list(roots)[:2] == ["ME/CFS", "long COVID"]
    for condition in ("ME/CFS", "long COVID"):
        ids = {n.record_id for n in lib.tree_children("condition", roots[condition])}
        assert ids == _with(seeds, condition)
        assert roots[condition].count == len(ids)
        assert "zz-no-mechanism-trial" in ids
    unstated = {n.record_id for n in lib.tree_children("condition", roots["Condition not stated"])}
    assert unstated == {"zz-immune-trial"}


def test_the_condition_tree_pages(lib):
    root = next(n for n in lib.tree_roots("condition") if n.title == "ME/CFS")
    whole = [n.record_id for n in lib.tree_children("condition", root)]
    paged = [n.record_id for offset in range(0, len(whole), 3)
             for n in lib.tree_children("condition", root, offset, 3)]
    assert paged == whole and len(whole) > 3


def test_tree_paths_by_condition_lead_to_the_study(lib):
    record = lib.record("zz-no-mechanism-trial")
    paths = tree_paths("condition", record, lib.record)
    assert [p[0] for p in paths] == ["condition:ME/CFS", "condition:long COVID"]
    for path in paths:
        assert _walk(lib, "condition", path).record_id == record.id
    assert tree_paths("condition", lib.record("zz-immune-trial"), lib.record)[0][0] == "condition:"


@pytest.mark.parametrize("query, condition", [
    ("condition:me/cfs", "ME/CFS"), ('condition:"me/cfs"', "ME/CFS"), ("condition:ME/CFS ", "ME/CFS"),
    ('condition:"long covid"', "long COVID"), ('disease:"Long COVID" ', "long COVID"),
])
def test_the_condition_filter_finds_every_study_with_that_condition(fixture_db, query, condition):
    seeds, path = fixture_db
    conn = sqlite3.connect(path)
    try:
        found = {h.id for h in search(conn, query, limit=1000)}
    finally:
        conn.close()
    assert found == _with(seeds, condition)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=30))
def test_any_condition_value_gives_only_studies_and_never_raises(lib, value):
    hits = lib.search(f"condition:{value}")
    assert all(h.kind == "study" for h in hits)


def test_the_cli_prints_filed_under_as_plain_text(data_dir, capsys):
    from desktop import cli

    assert cli.main(["show", "decodeme-gwas", "--json"]) == 0
    entries = json.loads(capsys.readouterr().out)["filed_under"]
    assert cli.main(["show", "decodeme-gwas"]) == 0
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("filed under: ")]
    assert len(lines) == len(entries) == 5
    for line, entry in zip(lines, entries):
        assert f"{entry['mechanism_name']} ({entry['mechanism']}): {entry['reason']}" in line
        assert "stated by Research Into ME/CFS" in line and "section" in line  # the report
