"""An imported study's conditions are listed once each, whatever their case, with the
canonical names TrialTree uses (schema.CONDITIONS) kept."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from desktop.data.import_merge import conditions_once
from desktop.data.schema import CONDITIONS


def test_long_covid_in_two_cases_is_listed_once_as_tracked():
    assert conditions_once(["long COVID", "Post-COVID-19 Syndrome", "Long COVID"]) == \
        ["long COVID", "Post-COVID-19 Syndrome"]


def test_the_canonical_name_wins_even_when_the_registry_spelling_comes_first():
    assert conditions_once(["me/cfs", "Fatigue", "ME/CFS", "fatigue"]) == ["ME/CFS", "Fatigue"]


def test_the_imported_record_lists_each_condition_once(data_dir, reference_db, tmp_path, capsys):
    import shutil
    from pathlib import Path

    from desktop import cli
    from desktop.data.library import Library

    data_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy(reference_db, data_dir / "reference.db")
    fixture = Path(__file__).parent / "fixtures" / "ctgov" / "study_single.json"
    assert cli.main(["import", str(fixture)]) == 0, capsys.readouterr()
    library = Library(data_dir / "reference.db")
    try:
        conditions = library.record("nct99990001").get("conditions")
    finally:
        library.close()
    folded = [c.casefold() for c in conditions]
    assert "long COVID" in conditions and len(folded) == len(set(folded))


@given(st.one_of(st.lists(st.sampled_from([*CONDITIONS, "long covid", "LONG COVID", "Me/Cfs",
                                           "Fatigue", "fatigue", "POTS"])),
                 st.lists(st.text(max_size=12))))
def test_no_two_conditions_differ_only_in_case_and_none_is_lost(names):
    once = conditions_once(names)
    assert len({c.casefold() for c in once}) == len(once)
    assert {c.casefold() for c in once} == {n.strip().casefold() for n in names if n.strip()}
    for canonical in CONDITIONS:
        if canonical.casefold() in {n.strip().casefold() for n in names}:
            assert canonical in once


def test_the_download_is_named_by_its_file_without_folders_or_list_place():
    from desktop.data.import_merge import download_file_name

    assert download_file_name("/home/me/Downloads/page.json[3]") == "page.json"
    assert download_file_name("/home/me/ctg-studies.zip/NCT99990001.json") == \
        "ctg-studies.zip/NCT99990001.json"
    assert download_file_name("study.json") == "study.json"
