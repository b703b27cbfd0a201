"""An imported study's page (issue 17), rendered with no Qt: where it came from, the registry's
own words labelled as theirs, what changed with both registry dates and the changes not seen
yet flagged in words, the filing said honestly, and hostile registry text shown as text."""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop.data.records import FiledUnder, Record
from desktop.render.imported import (CHANGES_HEADING, IMPORT_SCHEME, UNSEEN, WORDS_HEADING,
                                     changed_fields_line, import_href, parse_import_href)
from desktop.render.markup import esc
from desktop.render.record import record_html

FIXTURES = Path(__file__).parent.parent / "data" / "fixtures" / "ctgov"
SINGLE = json.loads((FIXTURES / "study_single.json").read_text())  # NCT99990001, efgartigimod


def _study(status="RECRUITING", enrollment=60, updated="2024-05-07", nct_id="NCT99990001"):
    data = copy.deepcopy(SINGLE)
    protocol = data["protocolSection"]
    protocol["identificationModule"]["nctId"] = nct_id
    protocol["statusModule"].update(overallStatus=status,
                                    lastUpdatePostDateStruct={"date": updated, "type": "ACTUAL"})
    protocol["designModule"]["enrollmentInfo"]["count"] = enrollment
    return data


@pytest.fixture
def imported(data_dir, reference_db, tmp_path, capsys):
    """The reference data with NCT99990001 imported, then re-imported from a newer download."""
    from desktop import cli
    from desktop.data.library import Library

    data_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy(reference_db, data_dir / "reference.db")
    for name, study in (("old.json", _study()),
                        ("new.json", _study("COMPLETED", 58, "2025-02-03"))):
        (tmp_path / name).write_text(json.dumps({"studies": [study]}))
        assert cli.main(["import", str(tmp_path / name)]) == 0, capsys.readouterr()
    library = Library(data_dir / "reference.db")
    yield library
    library.close()


def test_an_imported_study_says_where_it_came_from_and_what_changed(imported):
    record = imported.record("nct99990001")
    page = record_html(record)
    assert "ClinicalTrials.gov download, imported " in page
    assert "last registry update 3 Feb 2025" in page
    assert CHANGES_HEADING in page
    # field, before, after, and both registry dates
    assert "RECRUITING" in page and "COMPLETED" in page
    assert "7 May 2024 → 3 Feb 2025" in page
    assert page.count(UNSEEN) >= 2  # on each change, and counted under where it came from
    # the registry's words are labelled and apart from our summary
    words = page.index(esc(WORDS_HEADING))
    summary = esc(record.get("registry_text")["brief_summary"])
    assert page.index(summary[:30]) > words
    assert "not a TrialTree summary" in page
    assert summary[:30] not in page[:words]
    # the raw fields are not shown again as plain fields under "More"
    assert "Imported from" not in page and "Registry text" not in page
    # the pane's ways to file it and to remove it
    assert import_href("file", "nct99990001") in page and import_href("remove", "nct99990001") in page


def test_changes_seen_are_no_longer_flagged(imported):
    record = imported.record("nct99990001")
    seen = [dict(c, seen=True) for c in record.get("changes")]
    page = record_html(Record(record.id, record.kind, record.title, record.summary,
                              {**record.fields, "changes": seen}, record.links, record.citations,
                              filed_under=record.filed_under))
    assert CHANGES_HEADING in page and UNSEEN not in page


def test_the_filing_says_whether_a_rule_or_the_user_filed_it(imported):
    record = imported.record("nct99990001")
    assert record.filed_under and {e.by for e in record.filed_under} == {"rule"}
    page = record_html(record)
    assert "by a filing rule" in page and "Your own choice" not in page
    mine = FiledUnder(record.filed_under[0].mechanism, "Somewhere", "Filed here by you.", "user")
    page = record_html(Record(record.id, record.kind, record.title, record.summary, record.fields,
                              record.links, filed_under=(mine,)))
    assert "Your own choice" in page and "by a filing rule" not in page


def test_a_curated_study_with_a_download_says_so_and_shows_no_remove_link(data_dir, reference_db,
                                                                         tmp_path, capsys):
    from desktop import cli
    from desktop.data.library import Library

    data_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy(reference_db, data_dir / "reference.db")
    library = Library(data_dir / "reference.db")
    curated, number = next((r, n[0]) for r, n in (
        (r, [i.value for i in r.identifiers if i.value.startswith("NCT") and "another" not in (i.note or "")])
        for r in (library.record(i) for i in library.ids("study"))) if n and r.get("enrollment"))
    library.close()
    enrollment = curated.get("enrollment") + 7
    (tmp_path / "c.json").write_text(json.dumps(_study(enrollment=enrollment, nct_id=number)))
    assert cli.main(["import", str(tmp_path / "c.json")]) == 0, capsys.readouterr()
    library = Library(data_dir / "reference.db")
    try:
        page = record_html(library.record(curated.id))
    finally:
        library.close()
    assert "Registry download of 7 May 2024 attached" in page
    assert page.index(f"TrialTree&#x27;s record: enrollment {enrollment - 7}") \
        < page.index(f"ClinicalTrials.gov: enrollment {enrollment}")  # side by side, as cross-checks are
    assert f"ClinicalTrials.gov: enrollment {enrollment}" in page
    assert f"{IMPORT_SCHEME}:" not in page  # not the user's import: no file or remove links


def test_the_bookmarks_line_names_the_changed_fields():
    changes = [{"field": "status"}, {"field": "enrollment"}, {"field": "status"}]
    assert changed_fields_line(changes) == "Changed since you last looked: status, enrollment"
    assert changed_fields_line([]) == ""


def test_import_links_parse_back_and_refuse_anything_else():
    assert parse_import_href("file/nct1") == ("file", "nct1")
    assert parse_import_href("remove/nct1") == ("remove", "nct1")
    assert parse_import_href("delete/nct1") is None and parse_import_href("file/") is None


HOSTILE = st.text(alphabet=st.sampled_from(list("<>&\"'ab /=script")), min_size=1, max_size=40)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(summary=HOSTILE, measure=HOSTILE, old=HOSTILE, new=HOSTILE, origin=HOSTILE)
def test_hostile_registry_text_shows_as_text(summary, measure, old, new, origin):
    from html import escape

    fields = {"imported_from": "ClinicalTrials.gov download " + origin,
              "registry_text": {"brief_summary": summary, "primary_outcomes": [{"measure": measure}]},
              "changes": [{"field": "status", "old": old, "new": new, "seen": False,
                           "old_registry_update": "2024-05-07", "new_registry_update": "2025-01-10"}]}
    page = record_html(Record("nct99990009", "study", "T", "S", fields))
    for text in (summary, measure, old, new):
        assert escape(text, quote=True) in page
    assert "<script" not in page
