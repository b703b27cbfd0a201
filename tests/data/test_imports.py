"""Imported ClinicalTrials.gov downloads: kept as user data, merged into the reference data,
filed by rule or by the user, updated with their changes recorded, removed without losing
bookmarks (issue 17). ``trialtree import`` is run in-process, as a script would."""

import copy
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

FIXTURES = Path(__file__).parent / "fixtures" / "ctgov"
SINGLE = json.loads((FIXTURES / "study_single.json").read_text())  # NCT99990001, efgartigimod


@pytest.fixture
def trialtree(data_dir, reference_db, capsys):
    """Run ``trialtree ARGS…`` in-process; returns (exit status, stdout, stderr)."""
    from desktop import cli

    data_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy(reference_db, data_dir / "reference.db")

    def run(*args):
        code = cli.main([str(a) for a in args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def study(nct_id="NCT99990001", status="RECRUITING", enrollment=60, updated="2024-05-07",
          has_results=False, conditions=None, **ident):
    """The single-study fixture with some fields changed."""
    data = copy.deepcopy(SINGLE)
    protocol = data["protocolSection"]
    protocol["identificationModule"].update(nctId=nct_id, **ident)
    protocol["statusModule"].update(overallStatus=status,
                                    lastUpdatePostDateStruct={"date": updated, "type": "ACTUAL"})
    protocol["designModule"]["enrollmentInfo"]["count"] = enrollment
    if conditions is not None:
        protocol["conditionsModule"]["conditions"] = conditions
    data["hasResults"] = has_results
    return data


def write(tmp_path, name, *studies):
    path = tmp_path / name
    path.write_text(json.dumps({"studies": list(studies)}))
    return path


def show(trialtree, name):
    code, out, err = trialtree("show", "--json", name)
    assert code == 0, err
    return json.loads(out)


def tree_ids(trialtree):
    _, out, _ = trialtree("tree", "--json")
    found = {}

    def walk(nodes, parent):
        for node in nodes:
            if node["id"]:
                found.setdefault(node["id"], set()).add(parent)
            walk(node["children"], node["title"])

    walk(json.loads(out), None)
    return found


# ---- importing ---------------------------------------------------------------------------


def test_an_import_is_one_line_and_its_studies_are_in_tree_search_and_show(trialtree):
    files = [FIXTURES / n for n in ("page.json", "study_single.json", "array.json", "partly_bad_page.json")]
    code, out, err = trialtree("import", *files)
    assert code == 0, err
    assert out.startswith("5 imported, 0 updated, 0 unchanged, 0 attached to curated studies, 3 skipped, "
                          "1 refused")
    assert out.count("\n") == 1
    assert "NCT99990005" in err  # the knee study: neither condition, refused by name
    record = show(trialtree, "NCT99990001")
    assert record["id"] == "nct99990001"
    assert record["fields"]["imported_from"] == ("ClinicalTrials.gov download, imported "
                                                 f"{_today()}; last registry update 7 May 2024")
    [filed] = record["filed_under"]
    assert (filed["mechanism"], filed["by"]) == ("autoantibodies", "rule")
    assert "rule-efgartigimod" in filed["reason"]
    words = record["fields"]["registry_text"]
    assert words["label"].startswith("The registry's own words")
    assert words["brief_summary"].startswith("This is a hand-made test record")
    assert "hand-made" not in record["summary"]  # the registry's words never in our summary
    code, out, _ = trialtree("search", "--json", "FcRn", "blocker", "post-COVID")
    assert "nct99990001" in [hit["id"] for hit in json.loads(out)]
    placed = tree_ids(trialtree)
    assert "Efgartigimod" in placed["nct99990001"]
    assert placed["nct99990003"] == {"Not yet filed"}  # no rule files a diary study


def _today():
    from desktop.data.import_merge import readable_date
    from desktop.data.import_store import today

    return readable_date(today())


def test_a_bad_file_is_one_line_naming_it_and_exit_1(trialtree, data_dir):
    code, out, err = trialtree("import", FIXTURES / "not_json.csv")
    assert code == 1 and out == ""
    assert err.count("\n") == 1 and "not_json.csv" in err and "not JSON" in err
    code, _, err = trialtree("import", data_dir / "missing.json")
    assert code == 1 and "missing.json: no such file" in err


def test_nothing_to_do_and_unknown_ids_are_one_line_errors(trialtree, tmp_path):
    assert trialtree("import")[0] == 1
    trialtree("import", write(tmp_path, "a.json", study()))
    code, _, err = trialtree("import", "--remove", "NCT12345678")
    assert code == 1 and "not an imported study" in err
    code, _, err = trialtree("import", "--file-under", "NCT99990001", "no-such-mechanism")
    assert code == 1 and "not a mechanism id" in err


def test_a_study_in_neither_condition_is_kept_only_when_asked(trialtree, tmp_path):
    knee = write(tmp_path, "knee.json", study("NCT99991111", conditions=["Osteoarthritis"],
                                              briefTitle="Knee study", officialTitle="Knee study"))
    code, out, _ = trialtree("import", knee)
    assert code == 0 and out.startswith("0 imported") and "1 refused" in out
    assert trialtree("show", "NCT99991111")[0] == 1
    code, out, _ = trialtree("import", "--keep-other-conditions", knee)
    assert out.startswith("1 imported") and "0 refused" in out
    assert show(trialtree, "NCT99991111")["fields"]["kind"] == "trial"


def test_a_cancelled_import_changes_nothing(tmp_path):
    from desktop.data.ctgov import study_from_json
    from desktop.data.import_store import ImportCancelled, ImportStore

    with ImportStore(tmp_path / "imports.db") as store:
        store.import_studies([study_from_json(study())])
        revision = store.revision()
        with pytest.raises(ImportCancelled):
            store.import_studies([study_from_json(study("NCT99990009")),
                                  study_from_json(study(status="COMPLETED", updated="2025-01-01"))],
                                 cancelled=lambda: True)
        assert store.nct_ids() == ["NCT99990001"] and store.changes() == []
        assert store.studies()[0].study.overallStatus == "RECRUITING"
        assert store.revision() == revision


# ---- updates -----------------------------------------------------------------------------


def test_a_newer_download_updates_the_study_records_changes_and_flags_the_bookmark(trialtree, tmp_path):
    trialtree("import", write(tmp_path, "old.json", study()))
    trialtree("bookmarks", "add", "nct99990001")
    newer = write(tmp_path, "new.json", study(status="COMPLETED", enrollment=58, updated="2025-02-03",
                                              has_results=True))
    code, out, _ = trialtree("import", newer)
    assert code == 0 and out.startswith("0 imported, 1 updated")
    record = show(trialtree, "NCT99990001")
    assert record["fields"]["status"] == "completed"
    changes = {c["field"]: c for c in record["fields"]["changes"]}
    assert set(changes) == {"status", "enrollment", "results posted"}
    assert (changes["status"]["old"], changes["status"]["new"]) == ("RECRUITING", "COMPLETED")
    assert (changes["enrollment"]["old_registry_update"], changes["enrollment"]["new_registry_update"]) \
        == ("2024-05-07", "2025-02-03")
    [entry] = json.loads(trialtree("bookmarks", "list", "--json")[1])
    assert {c["field"] for c in entry["changes_not_seen"]} == set(changes)
    code, out, _ = trialtree("import", "--mark-seen", "NCT99990001")
    assert code == 0 and "marked 3 change(s)" in out
    [entry] = json.loads(trialtree("bookmarks", "list", "--json")[1])
    assert entry["changes_not_seen"] == []
    assert len(show(trialtree, "NCT99990001")["fields"]["changes"]) == 3  # kept, only no longer flagged


def test_an_older_download_does_not_replace_a_newer_one(trialtree, tmp_path):
    trialtree("import", write(tmp_path, "new.json", study(status="COMPLETED", updated="2025-02-03")))
    _, out, err = trialtree("import", write(tmp_path, "old.json", study(updated="2024-05-07")))
    assert "0 updated" in out and "older than the copy already imported" in err
    assert show(trialtree, "NCT99990001")["fields"]["status"] == "completed"


def test_the_same_download_again_changes_nothing(trialtree, tmp_path):
    path = write(tmp_path, "a.json", study())
    trialtree("import", path)
    _, out, _ = trialtree("import", path)
    assert out.startswith("0 imported, 0 updated, 1 unchanged")
    assert show(trialtree, "NCT99990001")["fields"]["changes"] == []


# ---- kept across rebuilds and re-imports ---------------------------------------------------


def test_a_bookmark_on_an_imported_study_survives_rebuild_and_reimport(trialtree, tmp_path):
    trialtree("import", write(tmp_path, "a.json", study()))
    assert trialtree("bookmarks", "add", "nct99990001", "--note", "ask about this")[0] == 0
    assert trialtree("rebuild")[0] == 0
    trialtree("import", write(tmp_path, "b.json", study(status="COMPLETED", updated="2025-01-01")))
    [entry] = json.loads(trialtree("bookmarks", "list", "--json")[1])
    assert (entry["id"], entry["note"], entry["in_data"]) == ("nct99990001", "ask about this", True)


def test_the_users_filing_survives_reimport_and_rebuild(trialtree, tmp_path):
    diary = study("NCT99990077", briefTitle="Diary study", officialTitle="Diary study")
    diary["protocolSection"]["armsInterventionsModule"]["interventions"] = [
        {"type": "BEHAVIORAL", "name": "Activity diary"}]
    path = write(tmp_path, "diary.json", diary)
    trialtree("import", path)
    target = "nct99990077"
    assert tree_ids(trialtree)[target] == {"Not yet filed"}  # no rule files a diary
    code, out, _ = trialtree("import", "--file-under", target.upper(), "neuroinflammation")
    assert code == 0 and "Neuroinflammation" in out
    trialtree("rebuild")
    trialtree("import", path)
    filed = show(trialtree, target)["filed_under"]
    assert [(f["mechanism"], f["by"]) for f in filed] == [("neuroinflammation", "user")]
    assert "Not yet filed" not in tree_ids(trialtree)[target]


def test_removing_an_import_keeps_its_bookmark_shown_as_no_longer_in_the_data(trialtree, tmp_path):
    trialtree("import", write(tmp_path, "a.json", study()))
    trialtree("bookmarks", "add", "nct99990001")
    code, out, _ = trialtree("import", "--remove", "NCT99990001")
    assert code == 0 and "bookmarks on it are kept" in out
    assert trialtree("show", "NCT99990001")[0] == 1
    [entry] = json.loads(trialtree("bookmarks", "list", "--json")[1])
    assert (entry["id"], entry["in_data"]) == ("nct99990001", False)


# ---- curated studies ---------------------------------------------------------------------


def _curated_with_number(library):
    for record_id in library.ids("study"):
        record = library.record(record_id)
        numbers = [i.value for i in record.identifiers
                   if i.value.startswith("NCT") and "another" not in (i.note or "")]
        if numbers and record.fields.get("enrollment"):
            return record, numbers[0]
    raise AssertionError("no curated study with an NCT number and an enrollment")


def test_a_download_of_a_curated_study_attaches_to_it_with_cross_checks(trialtree, tmp_path, library):
    record, number = _curated_with_number(library)
    before = len(library.ids("study"))
    different = record.fields["enrollment"] + 7
    code, out, _ = trialtree("import", write(tmp_path, "c.json", study(number, enrollment=different,
                                                                    updated="2024-03-01")))
    assert code == 0 and "1 attached to curated studies" in out and out.startswith("0 imported")
    code, out, _ = trialtree("rebuild")
    assert f"{before} studies" in out  # no second record for the same trial
    merged = show(trialtree, number)
    assert merged["id"] == record.id
    assert merged["fields"]["imported_from"].startswith("Registry download of 1 Mar 2024 attached")
    check = [c for c in merged["cross_checks"] if c["kind"] == "registry download of 1 Mar 2024"]
    assert f"ClinicalTrials.gov: enrollment {different}" in [c["source_says"] for c in check]


# ---- the reference database follows the seeds and the imports ----------------------------


def test_a_change_of_filing_rules_or_imports_refreshes_the_reference_database(seeds_copy, tmp_path):
    from desktop.data.build import ensure_reference_db, rebuild_reason
    from desktop.data.ctgov import study_from_json
    from desktop.data.import_store import ImportStore
    from desktop.data.seeds import seeds_fingerprint

    db = tmp_path / "out" / "reference.db"
    ensure_reference_db(seeds_copy, db)
    assert rebuild_reason(db, seeds_fingerprint(seeds_copy)) is None
    rules = seeds_copy / "filing.toml"
    rules.write_text(rules.read_text() + "\n# a comment\n")
    assert rebuild_reason(db, seeds_fingerprint(seeds_copy)) == "the seed files changed"
    ensure_reference_db(seeds_copy, db)
    with ImportStore(db.with_name("imports.db")) as store:
        store.import_studies([study_from_json(study())])
    assert rebuild_reason(db, seeds_fingerprint(seeds_copy)) == "your imported studies changed"
    assert ensure_reference_db(seeds_copy, db).rebuilt


def test_a_zip_of_per_study_files_imports_like_the_websites_bulk_download(trialtree, tmp_path):
    import zipfile

    path = tmp_path / "ctg-studies.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("NCT99990001.json", json.dumps(study()))
        archive.writestr("NCT99990002.json", json.dumps(study("NCT99990002")))
    code, out, _ = trialtree("import", path)
    assert code == 0 and out.startswith("2 imported")
    assert show(trialtree, "NCT99990002")["fields"]["imported_from"].startswith("ClinicalTrials.gov download")


# ---- the store keeps the registry's record exactly ----------------------------------------

TEXT = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40).filter(str.strip)


@settings(max_examples=60, deadline=None)
@given(title=TEXT, summary=TEXT, names=st.lists(TEXT, max_size=3), other=st.lists(TEXT, max_size=3))
def test_a_stored_study_reads_back_exactly_as_imported(title, summary, names, other):
    from desktop.data.ctgov import study_from_json
    from desktop.data.import_store import study_from_stored, study_to_json

    data = study(briefTitle=title)
    data["protocolSection"]["descriptionModule"]["briefSummary"] = summary
    data["protocolSection"]["armsInterventionsModule"]["interventions"] = [
        {"type": "DRUG", "name": name, "otherNames": other} for name in names]
    original = study_from_json(data, "hypothesis.json")
    assert study_from_stored(study_to_json(original)) == original


def test_an_import_reports_progress_and_a_cancel_while_reading_changes_nothing(tmp_path, seeds):
    from desktop.data.import_run import run_import
    from desktop.data.import_store import ImportCancelled, ImportStore
    from desktop.paths import seeds_dir

    store = tmp_path / "imports.db"
    first, second = write(tmp_path, "a.json", study()), write(tmp_path, "b.json", study("NCT99990002"))
    seen = []
    summary = run_import([first], seeds_dir=seeds_dir(), reference_db=tmp_path / "none.db",
                         imports_db=store, progress=lambda done, total: seen.append((done, total)))
    assert summary.imported == ["NCT99990001"] and seen[-1] == (1, 1)
    calls = iter([False, True])  # go on with the first file, stop before the second
    with pytest.raises(ImportCancelled):
        run_import([second, first], seeds_dir=seeds_dir(), reference_db=tmp_path / "none.db",
                   imports_db=store, cancelled=lambda: next(calls, True))
    with ImportStore(store) as kept:
        assert kept.nct_ids() == ["NCT99990001"]


def test_a_damaged_imports_file_is_kept_named_and_the_curated_data_still_shown(trialtree, tmp_path,
                                                                                data_dir):
    trialtree("import", write(tmp_path, "a.json", study()))
    store = data_dir / "imports.db"
    damaged = store.read_bytes()[:3000]
    store.write_bytes(damaged)
    for _ in range(2):  # said every time, not only on the first rebuild
        code, out, err = trialtree("tree")
        assert code == 0 and "Neuroinflammation" in out
        assert "imports.db is damaged" in err and "Only the curated studies are shown" in err
    code, _, err = trialtree("import", write(tmp_path, "b.json", study("NCT99990002")))
    assert code == 1 and err.count("\n") == 1 and "imports.db is damaged" in err
    assert store.read_bytes() == damaged  # kept as it is, for the user to recover


def test_the_tree_finds_an_unfiled_import_under_not_yet_filed(trialtree, data_dir):
    # Opening an unfiled import selects it in the tree: its path leads through "Not yet filed",
    # not through "No mechanism stated" (that node is for curated studies that state none).
    from desktop.data import groupings
    from desktop.data.library import Library

    code, _, err = trialtree("import", FIXTURES / "page.json")
    assert code == 0, err
    trialtree("tree", "--json")  # the reference database is refreshed with the import
    library = Library(data_dir / "reference.db")
    try:
        record = library.record("nct99990003")
        (path,) = groupings.tree_paths("mechanism", record, library.record)
        assert path[0] == "mechanism:(not yet filed)"
        roots = {n.key: n.title for n in library.tree_roots("mechanism")}
        assert roots[path[0]] == "Not yet filed"
        children = library.tree_children("mechanism", next(
            n for n in library.tree_roots("mechanism") if n.key == path[0]))
        assert path[1] in [c.key for c in children]
    finally:
        library.close()
