"""An imported study's page says what the registry gives (no thin-record note claiming its
outcome measures unknown), lists each condition once, and ends, like every other page, with
"Where this comes from": the download file, the import date and the registry record's link."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from desktop.render.imported import WORDS_HEADING
from desktop.render.markup import esc
from desktop.render.record import record_html

FIXTURES = Path(__file__).parent.parent / "data" / "fixtures" / "ctgov"


@pytest.fixture
def imported(data_dir, reference_db, tmp_path, capsys):
    """The reference data with study_single.json (NCT99990001, long COVID) imported."""
    from desktop import cli
    from desktop.data.library import Library

    data_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy(reference_db, data_dir / "reference.db")
    download = tmp_path / "ctg-download.json"
    shutil.copy(FIXTURES / "study_single.json", download)
    assert cli.main(["import", str(download)]) == 0, capsys.readouterr()
    library = Library(data_dir / "reference.db")
    yield library.record("nct99990001")
    library.close()


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_thin_note_does_not_call_unknown_what_the_registry_says(imported):
    page = text_of(record_html(imported))
    assert "Change in a made-up fatigue score" in page  # the registry's primary outcome is shown
    assert "what it measures" not in page


def test_an_imported_study_ends_with_where_it_comes_from(imported):
    html = record_html(imported)
    assert html.count("Where this comes from") == 1
    ending = text_of(html.split("Where this comes from", 1)[1])
    assert "ctg-download.json" in ending
    assert "NCT99990001" in ending
    assert re.search(r"imported \d{1,2} \w{3} \d{4}", ending)
    assert 'href="https://clinicaltrials.gov/study/NCT99990001"' in html.split("Where this comes from", 1)[1]
    # nothing after it but the end of the page: the same place as on every other page
    assert html.index("Where this comes from") > html.index(esc(WORDS_HEADING))


def test_a_thin_imported_study_says_the_registry_download_is_what_says_little():
    from desktop.data.records import Record
    from desktop.render.filing import not_known, thin_note

    record = Record("nct99990003", "study", "Example Exercise Diary Study", "", {
        "status": "completed", "imported_from": "ClinicalTrials.gov download, imported 30 Nov 2026",
        "registry_text": {"label": "x", "registry_conditions": ["Chronic Fatigue Syndrome"]}})
    missing = not_known(record)
    assert "what it measures" in missing  # the registry gives no outcome measure here
    note = thin_note(missing, imported=True)
    assert note.startswith("The registry download says little") and "pages seen" not in note
    given = Record("nct99990004", "study", "T", "", {**record.fields, "registry_text": {
        "primary_outcomes": [{"measure": "Fatigue score"}]}})
    assert "what it measures" not in not_known(given)


def test_an_unfiled_import_says_it_is_under_not_yet_filed_as_the_tree_shows_it():
    # The tree lists an imported study no rule or user filed under "Not yet filed"; its page must
    # name the same group ("No mechanism stated" is for curated studies that state none).
    from desktop.data.records import Record

    imported = Record("nct99990003", "study", "Example Exercise Diary Study", "", {
        "status": "completed", "imported_from": "ClinicalTrials.gov download, imported 30 Nov 2026"})
    curated = Record("hot-loco-hyperbaric-oxygen", "study", "A curated trial", "", {"status": "completed"})
    assert "“Not yet filed”" in text_of(record_html(imported))
    assert "“No mechanism stated”" not in text_of(record_html(imported))
    assert "“No mechanism stated”" in text_of(record_html(curated))
