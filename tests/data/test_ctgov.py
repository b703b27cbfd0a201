"""Reading ClinicalTrials.gov API v2 downloads: every shape a user gets, and every bad input."""

import io
import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.data.ctgov import StudyProblem, study_from_json
from desktop.data.ctgov_read import (
    Limits,
    RegistryImportError,
    read_bytes,
    read_download,
    read_file,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ctgov"


def fixture(name: str) -> Path:
    return FIXTURES / name


def write_zip(path: Path, entries: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


def one_line(text: str) -> bool:
    return "\n" not in text and text.strip() == text and len(text) < 300


# ---- shapes ----------------------------------------------------------------------------------


def test_one_study_object_carries_every_field_by_its_v2_name():
    result = read_file(fixture("study_single.json"))
    assert result.skipped == ()
    (study,) = result.studies
    assert study.nctId == "NCT99990001"
    assert study.briefTitle == "Example FcRn Blocker Trial in Post-COVID Syndrome"
    assert study.officialTitle.startswith("A Made-up Randomized")
    assert study.acronym == "EXAMPLE-FC"
    assert study.orgStudyIdInfo.id == "EX-LC-001"
    assert [(i.id, i.type) for i in study.secondaryIdInfos] == [
        ("2099-000001-11", "EUDRACT_NUMBER"), ("EX-GRANT-7", "OTHER_GRANT")]
    assert study.secondaryIdInfos[1].domain == "Example Research Council"
    assert study.eudract_numbers == ("2099-000001-11",)
    assert study.overallStatus == "RECRUITING"
    assert (study.startDateStruct.date, study.startDateStruct.type) == ("2023-09-15", "ACTUAL")
    assert (study.primaryCompletionDateStruct.date, study.primaryCompletionDateStruct.type) == ("2025-06", "ESTIMATED")
    assert study.completionDateStruct.date == "2025-12"
    assert study.last_update == "2024-05-07"
    assert (study.leadSponsor.name, study.leadSponsor.class_) == ("Example University Hospital", "OTHER")
    assert [(c.name, c.class_) for c in study.collaborators] == [("Example Pharma Ltd", "INDUSTRY")]
    assert study.briefSummary.startswith("This is a hand-made test record.")
    assert study.conditions == ("Post-COVID-19 Syndrome", "Long COVID")
    assert study.keywords == ("autoantibodies", "FcRn")
    assert (study.studyType, study.phases, study.allocation, study.masking) == (
        "INTERVENTIONAL", ("PHASE2",), "RANDOMIZED", "QUADRUPLE")
    assert (study.enrollmentInfo.count, study.enrollmentInfo.type) == (60, "ESTIMATED")
    assert [(i.type, i.name, i.otherNames) for i in study.interventions] == [
        ("DRUG", "Efgartigimod alfa", ("ARGX-113", "Vyvgart")), ("DRUG", "Placebo", ())]
    assert [o.measure for o in study.primaryOutcomes] == ["Change in a made-up fatigue score"]
    assert study.primaryOutcomes[0].timeFrame == "Baseline to week 24"
    assert [o.measure for o in study.secondaryOutcomes] == ["Change in a made-up orthostatic score"]
    assert [(o.name, o.role) for o in study.overallOfficials] == [("Alex Example, MD", "PRINCIPAL_INVESTIGATOR")]
    assert study.countries == ("Norway", "Germany")  # each once, in registry order
    assert [(r.pmid, r.type) for r in study.references] == [("99990001", "BACKGROUND"), ("99990002", "RESULT")]
    assert study.result_pmids == ("99990002",)
    assert study.hasResults is False
    assert study.origin == "study_single.json"


def test_an_api_page_yields_its_studies_and_ignores_the_page_token():
    result = read_file(fixture("page.json"))
    assert [s.nctId for s in result.studies] == ["NCT99990002", "NCT99990003"]
    assert result.studies[0].hasResults is True
    assert result.studies[0].phases == ("PHASE2", "PHASE3")
    assert result.studies[0].origin == "page.json[0]"
    assert result.skipped == ()


def test_a_json_array_of_studies_is_read():
    result = read_file(fixture("array.json"))
    assert [s.nctId for s in result.studies] == ["NCT99990004", "NCT99990005"]
    assert result.studies[0].interventions[0].otherNames == ("Paxlovid",)


def test_several_files_at_once_are_one_import():
    result = read_download([fixture("study_single.json"), fixture("page.json"), fixture("array.json")])
    assert [s.nctId for s in result.studies] == [
        "NCT99990001", "NCT99990002", "NCT99990003", "NCT99990004", "NCT99990005"]
    assert result.skipped == ()


def test_a_zip_of_per_study_files_is_read_in_memory(tmp_path):
    page = json.loads(fixture("page.json").read_text())
    archive = write_zip(tmp_path / "ctg-studies.zip", {
        "NCT99990002.json": json.dumps(page["studies"][0]).encode(),
        "NCT99990003.json": json.dumps(page["studies"][1]).encode(),
        "NCT99990001.json": fixture("study_single.json").read_bytes(),
    })
    result = read_download([archive])
    assert sorted(s.nctId for s in result.studies) == ["NCT99990001", "NCT99990002", "NCT99990003"]
    assert {s.origin for s in result.studies} >= {"ctg-studies.zip/NCT99990002.json"}
    assert list(tmp_path.iterdir()) == [archive]  # nothing unpacked to disk


def test_a_zip_is_recognised_by_its_content_not_its_name(tmp_path):
    archive = write_zip(tmp_path / "download.json", {"a.json": fixture("study_single.json").read_bytes()})
    assert [s.nctId for s in read_file(archive).studies] == ["NCT99990001"]


def test_a_study_found_twice_is_kept_once_the_newer_copy(tmp_path):
    study = json.loads(fixture("study_single.json").read_text())
    older = json.loads(json.dumps(study))
    older["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"]["date"] = "2023-01-02"
    older["protocolSection"]["statusModule"]["overallStatus"] = "NOT_YET_RECRUITING"
    (tmp_path / "new.json").write_text(json.dumps(study))
    (tmp_path / "old.json").write_text(json.dumps(older))
    result = read_download([tmp_path / "new.json", tmp_path / "old.json"])
    assert [(s.nctId, s.overallStatus) for s in result.studies] == [("NCT99990001", "RECRUITING")]
    (skip,) = result.skipped
    assert skip.origin == "old.json" and "kept the copy from new.json" in skip.reason


def test_an_empty_page_is_an_empty_import_not_an_error(tmp_path):
    (tmp_path / "empty.json").write_text('{"studies": [], "totalCount": 0}')
    assert read_file(tmp_path / "empty.json").studies == ()


def test_a_byte_order_mark_is_accepted(tmp_path):
    (tmp_path / "bom.json").write_bytes(b"\xef\xbb\xbf" + fixture("study_single.json").read_bytes())
    assert read_file(tmp_path / "bom.json").studies[0].nctId == "NCT99990001"


# ---- bad input: one clear line naming the file and the problem -------------------------------


@pytest.mark.parametrize("name, words", [
    ("not_json.csv", "not JSON"),
    ("not_a_study.json", "not a ClinicalTrials.gov study"),
    ("truncated.json", "ends too early"),
])
def test_a_bad_file_gets_one_line_naming_the_file_and_the_problem(name, words):
    with pytest.raises(RegistryImportError) as caught:
        read_file(fixture(name))
    message = str(caught.value)
    assert message.startswith(f"{name}: ") and words in message and one_line(message)


def test_a_csv_download_is_told_to_choose_json():
    with pytest.raises(RegistryImportError, match="choose the JSON format"):
        read_file(fixture("not_json.csv"))


def test_an_array_of_non_studies_is_not_a_study(tmp_path):
    (tmp_path / "numbers.json").write_text("[1, 2, {\"a\": 1}]")
    with pytest.raises(RegistryImportError, match="numbers.json: JSON, but none of its items"):
        read_file(tmp_path / "numbers.json")


def test_a_study_without_nct_id_is_skipped_with_its_reason():
    result = read_file(fixture("no_nct_id.json"))
    assert result.studies == ()
    (skip,) = result.skipped
    assert skip.message == ("no_nct_id.json: protocolSection.identificationModule.nctId: "
                            "no NCT number; a study cannot be imported without one")


def test_a_partly_bad_download_keeps_the_good_studies_and_lists_the_skipped():
    result = read_file(fixture("partly_bad_page.json"))
    assert [s.nctId for s in result.studies] == ["NCT99990006"]
    messages = [s.message for s in result.skipped]
    assert messages == [
        "partly_bad_page.json[1]: protocolSection.identificationModule.nctId: no NCT number; "
        "a study cannot be imported without one",
        "partly_bad_page.json[2] (NCT99990007): protocolSection.designModule.enrollmentInfo.count: "
        "expected a whole number, found text",
        "partly_bad_page.json[3]: not a study (found text instead of an object)",
    ]
    assert all(one_line(m) for m in messages)


def test_a_bad_file_among_good_ones_is_listed_and_the_rest_kept():
    result = read_download([fixture("truncated.json"), fixture("page.json"), fixture("not_json.csv")])
    assert [s.nctId for s in result.studies] == ["NCT99990002", "NCT99990003"]
    assert [s.origin for s in result.skipped] == ["truncated.json", "not_json.csv"]


def test_an_nct_id_that_is_not_an_nct_number_is_skipped():
    with pytest.raises(StudyProblem, match="'12345' is not an NCT number"):
        study_from_json({"protocolSection": {"identificationModule": {"nctId": "12345"}}})


def test_a_malformed_date_names_its_v2_field():
    study = {"protocolSection": {"identificationModule": {"nctId": "NCT99990009"},
                                 "statusModule": {"startDateStruct": {"date": "soon"}}}}
    with pytest.raises(StudyProblem, match=r"statusModule\.startDateStruct\.date: expected a date"):
        study_from_json(study)


def test_an_empty_file_says_so(tmp_path):
    (tmp_path / "blank.json").write_bytes(b"  \n")
    with pytest.raises(RegistryImportError, match="blank.json: the file is empty"):
        read_file(tmp_path / "blank.json")


def test_a_file_that_is_not_utf8_is_not_json(tmp_path):
    (tmp_path / "latin.json").write_bytes(b'{"a": "caf\xe9"}')
    with pytest.raises(RegistryImportError, match="latin.json: not JSON: the file is not UTF-8"):
        read_file(tmp_path / "latin.json")


def test_a_file_over_100_mb_is_refused_before_it_is_read(tmp_path):
    big = tmp_path / "huge.json"
    with open(big, "wb") as handle:  # sparse: takes no disk space
        handle.truncate(101_000_000)
    with pytest.raises(RegistryImportError, match=r"huge.json: the file is 101 MB, larger than the 100 MB limit"):
        read_file(big)


def test_a_missing_file_and_a_folder_are_named(tmp_path):
    with pytest.raises(RegistryImportError, match="gone.json: no such file"):
        read_file(tmp_path / "gone.json")
    (tmp_path / "folder.json").mkdir()
    with pytest.raises(RegistryImportError, match="folder.json: is a folder"):
        read_file(tmp_path / "folder.json")


def test_deeply_nested_json_is_refused_not_a_crash(tmp_path):
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(RegistryImportError, match="deep.json: .*nested too deeply"):
        read_file(tmp_path / "deep.json")


# ---- bad zips ---------------------------------------------------------------------------------


@pytest.mark.parametrize("entry", ["../evil.json", "a/../../evil.json", "/etc/evil.json", "C:/evil.json",
                                   "..\\evil.json"])
def test_a_zip_entry_with_a_path_outside_the_archive_refuses_the_zip(tmp_path, entry):
    archive = write_zip(tmp_path / "slip.zip", {"NCT99990001.json": fixture("study_single.json").read_bytes(),
                                                entry: b"{}"})
    with pytest.raises(RegistryImportError) as caught:
        read_file(archive)
    assert str(caught.value).startswith("slip.zip: entry ") and "outside the archive" in str(caught.value)
    assert one_line(str(caught.value))


def test_a_zip_whose_unpacked_size_is_absurd_is_refused_before_unpacking(tmp_path):
    archive = write_zip(tmp_path / "bomb.zip", {f"NCT9999{i:04d}.json": b" " * 600_000 for i in range(4)})
    with pytest.raises(RegistryImportError, match=r"bomb.zip: unpacked it would be 2 MB, more than the 1 MB limit"):
        read_file(archive, Limits(max_unpacked_bytes=1_000_000))


def test_a_zip_entry_packed_like_a_zip_bomb_is_skipped(tmp_path):
    archive = write_zip(tmp_path / "bomb.zip", {"zeros.json": b"0" * 50_000_000,
                                                "NCT99990001.json": fixture("study_single.json").read_bytes()})
    result = read_file(archive)
    assert [s.nctId for s in result.studies] == ["NCT99990001"]
    assert [s.message for s in result.skipped] == [
        "bomb.zip/zeros.json: packed far more tightly than any real download (a zip bomb?)"]


def test_a_zip_entry_over_the_size_limit_is_skipped(tmp_path):
    archive = write_zip(tmp_path / "big.zip", {"big.json": b"[" + b" " * 3_000_000 + b"]",
                                               "NCT99990001.json": fixture("study_single.json").read_bytes()})
    result = read_file(archive, Limits(max_file_bytes=2_000_000, max_compression_ratio=10**9))
    assert [s.nctId for s in result.studies] == ["NCT99990001"]
    assert [s.message for s in result.skipped] == ["big.zip/big.json: 3 MB unpacked, more than the 2 MB limit"]


def test_a_damaged_zip_and_non_json_entries_are_named(tmp_path):
    archive = write_zip(tmp_path / "mixed.zip", {"README.txt": b"hello", "bad.json": b"{oops",
                                                 "NCT99990001.json": fixture("study_single.json").read_bytes()})
    result = read_file(archive)
    assert [s.nctId for s in result.studies] == ["NCT99990001"]
    assert [s.message for s in result.skipped] == [
        "mixed.zip/README.txt: not a .json file; left out",
        "mixed.zip/bad.json: not JSON: Expecting property name enclosed in double quotes at line 1, column 2"]
    (tmp_path / "cut.zip").write_bytes(archive.read_bytes()[:200])
    with pytest.raises(RegistryImportError, match="cut.zip: not a readable zip archive"):
        read_file(tmp_path / "cut.zip")


# ---- arbitrary input never raises anything but the module's own error -------------------------

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.sampled_from(["protocolSection", "identificationModule", "nctId", "studies", "statusModule",
                         "designModule", "enrollmentInfo", "count", "interventions", "name", "otherNames",
                         "hasResults", "conditionsModule", "conditions", "x"]) | st.text(max_size=8),
        children, max_size=5),
    max_leaves=30)


@settings(max_examples=300, deadline=None)
@given(JSON_VALUES)
def test_arbitrary_json_never_raises_anything_but_registry_import_error(value):
    try:
        result = read_bytes(json.dumps(value).encode(), "any.json")
    except RegistryImportError as error:
        assert one_line(str(error)) and str(error).startswith("any.json: ")
        return
    for skip in result.skipped:
        assert "\n" not in skip.message


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400) | st.text(max_size=200).map(str.encode))
def test_arbitrary_bytes_never_raise_anything_but_registry_import_error(data):
    try:
        read_bytes(data, "any.bin")
    except RegistryImportError:
        pass


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_after_a_zip_signature_never_raise_anything_else(tail):
    try:
        read_bytes(b"PK\x03\x04" + tail, "any.zip")
    except RegistryImportError:
        pass


def test_a_crafted_name_or_nct_id_cannot_break_the_one_line_message(tmp_path):
    study = {"protocolSection": {"identificationModule": {"nctId": "NCT1\nDELETE EVERYTHING"}}}
    archive = write_zip(tmp_path / "odd.zip", {"line\nbreak.json": json.dumps(study).encode()})
    (skip,) = read_file(archive).skipped
    assert one_line(skip.message) and "DELETE EVERYTHING" in skip.message


def test_eudract_numbers_are_found_when_typed_and_when_written_into_another_id():
    ident = {"nctId": "NCT99990010", "secondaryIdInfos": [
        {"id": "2099-000002-22", "type": "EUDRACT_NUMBER"},
        {"id": "EudraCT 2099-000003-33", "type": "OTHER"},
        {"id": "R01-AI-123456", "type": "NIH"}]}
    study = study_from_json({"protocolSection": {"identificationModule": ident}})
    assert study.eudract_numbers == ("2099-000002-22", "2099-000003-33")


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.text(st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)), min_size=1, max_size=30), st.binary(max_size=200) | JSON_VALUES.map(
    lambda value: json.dumps(value).encode()), min_size=1, max_size=4))
def test_arbitrary_zip_entries_never_raise_anything_but_registry_import_error(entries):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    try:
        result = read_bytes(buffer.getvalue(), "any.zip")
    except RegistryImportError as error:
        assert one_line(str(error))
        return
    assert all(one_line(skip.message) for skip in result.skipped)
