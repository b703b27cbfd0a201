"""Export (JSON, CSV, Markdown) and import of bookmarks."""

import csv
import io
import json
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.data.bookmark_io import (CSV_COLUMNS, ImportFileError, export_text, import_file,
                                      neutralise_cell, parse_json, read_import_file, to_csv,
                                      to_json, to_markdown)
from desktop.data.bookmarks import ORPHAN_LABEL, Bookmark, BookmarkStore, normalize_tags

STUDY = "rituxme-phase3-rct"


@pytest.fixture
def store(tmp_path):
    with BookmarkStore(tmp_path / "profile-a" / "user.db") as s:
        yield s


@pytest.fixture
def empty_store(tmp_path):
    with BookmarkStore(tmp_path / "profile-b" / "user.db") as s:
        yield s


def fill(store):
    store.add(STUDY, "study", "Rituximab phase 3", note="Ask Dr K.\nTwo lines", tags=["B cells"])
    store.add("daratumumab-pilot", "study", "Daratumumab pilot", tags=["plasma", "GP visit"])
    store.add("gone-from-the-data", "study", "A study that was removed", note="kept anyway")


# ---- JSON round trip and merge -------------------------------------------------------------


def test_export_then_import_into_an_empty_profile_gives_the_same_bookmarks(store, empty_store, tmp_path):
    fill(store)
    exported = tmp_path / "bookmarks.json"
    exported.write_text(to_json(store.list("oldest")), encoding="utf-8")
    result = import_file(empty_store, exported)
    assert set(result.added) == store.ids() and result.updated == result.unchanged == ()
    assert empty_store.list("oldest") == store.list("oldest")


def test_import_merges_without_duplicates_and_reports_what_it_added(store, empty_store, tmp_path):
    fill(store)
    empty_store.add(STUDY, "study", "Rituximab phase 3", note="my own note", tags=["mine"])
    empty_store.add("ncnp-rituximab-phase2-rct", "study", "NCNP")
    exported = tmp_path / "bookmarks.json"
    exported.write_text(to_json(store.list()), encoding="utf-8")

    result = import_file(empty_store, exported)
    assert set(result.added) == {"daratumumab-pilot", "gone-from-the-data"}
    assert result.updated == (STUDY,)
    merged = empty_store.get(STUDY)
    assert merged.note == "my own note\n\nAsk Dr K.\nTwo lines"
    assert merged.tags == ("mine", "B cells")
    assert empty_store.count() == 4

    version = empty_store.version()
    again = import_file(empty_store, exported)
    assert again.added == again.updated == () and len(again.unchanged) == 3
    assert empty_store.version() == version and empty_store.get(STUDY) == merged


def test_a_backup_file_can_be_imported_like_an_export(store, empty_store):
    fill(store)
    written = store.backup_if_due(date(2026, 5, 1))
    assert set(import_file(empty_store, written).added) == store.ids()


MALFORMED = {
    "not UTF-8": (b"\xff\xfe\x00garbage", "not UTF-8 text"),
    "not JSON": (b'{"format": "trialtree-bookmarks",', "not valid JSON"),
    "empty": (b"", "not valid JSON"),
    "a list": (b"[]", "not a TrialTree bookmarks file"),
    "another app's JSON": (b'{"roots": {}}', "not a TrialTree bookmarks file"),
    "newer format": (b'{"format": "trialtree-bookmarks", "version": 7, "bookmarks": []}',
                     "newer TrialTree"),
    "version as text": (b'{"format": "trialtree-bookmarks", "version": "1", "bookmarks": []}',
                        '"version" must be a whole number'),
    "no bookmarks": (b'{"format": "trialtree-bookmarks", "version": 1}', '"bookmarks" is missing'),
    "entry not an object": (b'{"format": "trialtree-bookmarks", "version": 1, "bookmarks": [3]}',
                            "bookmark 1 is not a JSON object"),
    "no id": (b'{"format": "trialtree-bookmarks", "version": 1, "bookmarks": [{"kind": "study"}]}',
              'bookmark 1 has no "id"'),
    "bad id": (b'{"format": "trialtree-bookmarks", "version": 1, "bookmarks": '
               b'[{"id": "Not An Id", "kind": "study", "title": "t"}]}', "lowercase words"),
    "tags not a list": (b'{"format": "trialtree-bookmarks", "version": 1, "bookmarks": '
                        b'[{"id": "a-b", "kind": "study", "title": "t", "tags": "x"}]}',
                        "bookmark 1 ('a-b'): \"tags\" must be a list of text"),
    "bad date": (b'{"format": "trialtree-bookmarks", "version": 1, "bookmarks": '
                 b'[{"id": "a-b", "kind": "study", "title": "t", "created_at": "yesterday"}]}',
                 '"created_at" must be a date and time'),
    "good then bad": (b'{"format": "trialtree-bookmarks", "version": 1, "bookmarks": ['
                      b'{"id": "a-b", "kind": "study", "title": "t"}, '
                      b'{"id": "c-d", "kind": "study", "title": 5}]}',
                      "bookmark 2 ('c-d'): \"title\" must be some text"),
}


@pytest.mark.parametrize("case", MALFORMED)
def test_a_malformed_import_file_is_explained_and_changes_nothing(case, store, tmp_path):
    fill(store)
    before, version = store.list(), store.version()
    data, expected = MALFORMED[case]
    path = tmp_path / "import.json"
    path.write_bytes(data)
    with pytest.raises(ImportFileError) as caught:
        import_file(store, path)
    assert expected in str(caught.value)
    assert store.list() == before and store.version() == version


def test_a_missing_import_file_or_a_folder_is_explained(store, tmp_path):
    with pytest.raises(ImportFileError, match="no such file"):
        read_import_file(tmp_path / "nowhere.json")
    with pytest.raises(ImportFileError, match="folder"):
        read_import_file(tmp_path)


def test_unknown_fields_are_ignored_and_defaults_filled():
    data = json.dumps({"format": "trialtree-bookmarks", "version": 1, "future": True,
                       "bookmarks": [{"id": "a-b", "kind": "study", "title": "T", "colour": "red"}]})
    [bookmark] = parse_json(data)
    assert (bookmark.note, bookmark.tags) == ("", ())
    assert bookmark.created_at and bookmark.updated_at


# ---- CSV ------------------------------------------------------------------------------------


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(store):
    dangerous = ["=HYPERLINK(\"http://evil\",\"x\")", "+1+1", "-2+3", "@SUM(A1)", "\tTAB", "\rCR",
                 "  =cmd|' /C calc'!A0"]
    store.add("a-study", "study", dangerous[0], note=dangerous[1], tags=dangerous[2:])
    rows = list(csv.reader(io.StringIO(to_csv(store.list()))))
    assert tuple(rows[0]) == CSV_COLUMNS
    cells = [cell for row in rows[1:] for cell in row]
    assert "'" + dangerous[0] in cells and "'+1+1" in cells
    for cell in cells:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
        assert not cell.lstrip(" ").startswith(("=", "+", "-", "@")), cell


@pytest.mark.parametrize("text, expected", [
    ("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@x", "'@x"), ("\tx", "'\tx"),
    ("\rx", "'\rx"), (" =x", "' =x"), ("a=b", "a=b"), ("", ""), ("1-2", "1-2"),
])
def test_neutralise_cell(text, expected):
    assert neutralise_cell(text) == expected


def test_csv_has_the_trials_key_fields_and_no_web_addresses(store, library):
    record = library.record(STUDY)
    store.add(STUDY, "study", record.title, note="my note", tags=["B cells"])
    store.add("gone-from-the-data", "study", "Saved title")
    text = to_csv(store.list("oldest"), library)
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(text))}
    row = rows[STUDY]
    assert row["title"] == record.title
    assert row["status"] == record.get("status") and row["phase"] == (record.get("phase") or "")
    assert row["treatments"] == "; ".join(r.title for r in record.links.get("treatments", ()))
    assert (row["note"], row["tags"], row["in the data"]) == ("my note", "B cells", "yes")
    assert rows["gone-from-the-data"]["status"] == ORPHAN_LABEL
    assert rows["gone-from-the-data"]["in the data"] == "no"
    assert "http" not in text


# ---- Markdown -------------------------------------------------------------------------------


def test_markdown_is_a_reading_list_to_hand_to_a_clinician(store, library):
    record = library.record(STUDY)
    store.add(STUDY, "study", record.title, note="Ask about this.\nSecond <b>line</b>", tags=["GP"])
    store.add("gone-from-the-data", "study", "Saved title", note="still mine")
    text = to_markdown(store.list("oldest"), library, today=date(2026, 5, 1))
    assert text.startswith("# My reading list from TrialTree\n")
    assert "Made on 1 May 2026. 2 items" in text
    assert f"## 1. {record.title}" in text
    assert " ".join(record.summary.split()) in text
    assert f"- **Status:** {record.get('status')}" in text
    assert "> Ask about this.\n> Second \\<b>line\\</b>" in text
    assert "## 2. Saved title" in text and ORPHAN_LABEL in text and "> still mine" in text
    assert "http" not in text


def test_export_text_knows_its_formats(store):
    fill(store)
    assert json.loads(export_text(store.list(), "json"))["format"] == "trialtree-bookmarks"
    assert export_text(store.list(), "csv").startswith("id,kind,title")
    assert export_text(store.list(), "md").startswith("# My reading list")
    with pytest.raises(ValueError):
        export_text(store.list(), "pdf")


# ---- any text at all ------------------------------------------------------------------------

any_text = st.text(st.characters(codec="utf-8"), max_size=60)  # every code point but surrogates


@pytest.fixture(scope="module")
def profiles(tmp_path_factory):
    """Two profiles, plus a second connection to the first (as another copy of the app)."""
    folder = tmp_path_factory.mktemp("hypothesis")
    stores = (BookmarkStore(folder / "a" / "user.db"), BookmarkStore(folder / "b" / "user.db"),
              BookmarkStore(folder / "a" / "user.db"))
    yield folder, stores
    for store in stores:
        store.close()


_example = iter(range(10**9))


@settings(max_examples=80, deadline=None)
@given(note=any_text, tags=st.lists(any_text, max_size=4), title=any_text.filter(str.strip))
def test_any_note_and_tags_round_trip_through_the_store_and_json(profiles, note, tags, title):
    folder, (a, b, a_elsewhere) = profiles
    record_id = f"study-{next(_example)}"
    a.add(record_id, "study", title, note=note, tags=tags)
    stored = a.get(record_id)
    assert (stored.title, stored.note, stored.tags) == (title, note, normalize_tags(tags))
    assert a_elsewhere.get(record_id) == stored
    exported = folder / "export.json"
    exported.write_text(to_json([stored]), encoding="utf-8")
    assert import_file(b, exported).added == (record_id,)
    assert b.get(record_id) == stored
    to_csv([stored]) and to_markdown([stored])  # never fail on odd text


@given(tags=st.lists(any_text, max_size=6))
def test_normalised_tags_stay_the_same_when_normalised_again(tags):
    once = normalize_tags(tags)
    assert normalize_tags(once) == once
    assert all(tag == " ".join(tag.split()) and tag for tag in once)
    assert len({t.casefold() for t in once}) == len(once)


def test_bookmark_json_keeps_every_field():
    bookmark = Bookmark(STUDY, "study", "T", "n", ("a",), "2026-01-01T00:00:00Z",
                        "2026-01-02T00:00:00Z")
    assert parse_json(to_json([bookmark])) == [bookmark]
