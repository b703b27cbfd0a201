"""Studies side by side (issue 18): the Qt-free table and `trialtree compare`."""

import json

import pytest

from desktop.data.compare import FACTS, NOT_GIVEN, CompareError, compare, study_facts
from desktop.data.vocabulary import OUTCOME_LABELS, STATUS_LABELS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

RITUX, RESET = "rituxme-phase3-rct", "resetme-daratumumab-phase2-rct"


def test_one_row_per_key_fact_and_one_column_per_study(library):
    table = compare([library.record(RITUX), library.record(RESET)])
    assert table.ids == (RITUX, RESET)
    assert table.titles[0] == library.record(RITUX).get("short_title")
    assert [row.key for row in table.rows] == [key for key, _ in FACTS]
    assert all(len(row.values) == 2 for row in table.rows)


def test_rows_read_the_records_in_the_panes_words(library):
    ritux = library.record(RITUX)
    rows = {row.key: row for row in compare([ritux, library.record(RESET)]).rows}
    assert rows["tested"].values == ("Rituximab", "Daratumumab")
    assert rows["how_many"].values[0] == f"{ritux.get('enrollment')} people"
    assert rows["status"].values[0].startswith(STATUS_LABELS["completed"])
    assert rows["result"].values[0].startswith(OUTCOME_LABELS["negative"])
    assert "NCT02229942" in rows["registry"].values[0]
    assert "phase 3" in rows["design"].values[0] and "phase 2" in rows["design"].values[1]


def test_a_status_from_a_registry_page_says_where_and_when_it_was_seen(library):
    ritux = library.record(RITUX)
    status = study_facts(ritux)["status"]
    assert ritux.registry_status.text in status
    assert "As seen on clinicaltrials.gov on 29 November 2026" in status


def test_the_mechanism_row_gives_the_filing_reason_and_who_says_so(library):
    reset = library.record(RESET)
    text = study_facts(reset)["mechanism"]
    for entry in reset.filed_under:
        assert entry.mechanism_name in text and entry.reason in text
    assert "TrialTree's own classification" in text  # daratumumab's CD38 filing is ours


def test_rows_that_are_the_same_are_not_marked_and_those_that_differ_are(library):
    rows = {row.key: row for row in compare([library.record(RITUX), library.record(RESET)]).rows}
    assert rows["sources"].values[0] != rows["sources"].values[1] and rows["sources"].differs
    assert rows["tested"].differs
    same = compare([library.record("coq10-nadh-cfs-nct02063126"),
                    library.record("coq10-nadh-cfs-nct03186027")])
    flags = {row.key: row.differs for row in same.rows}
    assert flags["tested"] is False  # both test CoQ10 plus NADH
    assert same.rows[0].values[0] == same.rows[0].values[1]


def test_a_missing_fact_says_so_instead_of_staying_blank(library):
    rows = {row.key: row for row in compare([library.record(RITUX), library.record(RESET)]).rows}
    assert rows["registry"].values[1] == NOT_GIVEN
    assert all(value.strip() for row in rows.values() for value in row.values)


@pytest.mark.parametrize("ids", [[RITUX], [RITUX, RESET, "daratumumab-pilot",
                                           "cyclome-cyclophosphamide-phase2", "qvid-coq10-long-covid"]])
def test_fewer_than_two_or_more_than_four_studies_are_refused(library, ids):
    with pytest.raises(CompareError, match="2 to 4"):
        compare([library.record(i) for i in ids])


def test_a_record_that_is_not_a_study_is_refused(library):
    with pytest.raises(CompareError, match="not a study"):
        compare([library.record(RITUX), library.record("rituximab")])


# ---- the command line --------------------------------------------------------------------------

def test_compare_accepts_acronyms_and_registry_numbers_and_prints_every_row(cli):
    status, out, err = cli("compare", "RituxME", RESET)
    assert status == 0 and not err
    for _, label in FACTS:
        assert label in out
    assert "(differs)" in out and "NCT02229942" in out


def test_compare_json_has_the_studies_and_rows(cli, library):
    status, out, _ = cli("compare", "NCT02229942", RESET, "--json")
    data = json.loads(out)
    assert status == 0
    assert [s["id"] for s in data["studies"]] == [RITUX, RESET]
    assert data == compare([library.record(RITUX), library.record(RESET)]).to_json()


@pytest.mark.parametrize("args, message", [
    ((RITUX,), "2 to 4"),
    ((RITUX, RESET, "daratumumab-pilot", "qvid-coq10-long-covid", "cyclome-cyclophosphamide-phase2"),
     "2 to 4"),
    ((RITUX, "no-such-study"), "no-such-study"),
    ((RITUX, "rituximab"), "not a study"),
    ((RITUX, RITUX), "twice"),
])
def test_compare_errors_are_one_line_on_stderr(cli, args, message):
    status, out, err = cli("compare", *args)
    assert status == 1 and not out
    assert message in err and len(err.strip().splitlines()) == 1




@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(min_size=1, max_size=40).filter(lambda t: t.strip() and not t.startswith("-")
                                                and "\x00" not in t))
def test_any_text_as_an_id_gives_a_table_or_one_line_on_stderr(cli, name):
    status, out, err = cli("compare", RITUX, name)
    if status == 0:
        assert "What is tested" in out
    else:
        assert status == 1 and not out and len(err.strip().splitlines()) == 1
