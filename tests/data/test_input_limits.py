"""Hostile and oversized input (issue 13, defects 3, 5 and 7): size limits with clear messages,
ids that must match whole, and a terminal that never receives control characters. Also the
``bookmarks add --note`` report and ``--replace-note`` (issue 12)."""

import json
import re
import shutil

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.data import bookmark_values as bm
from desktop.data import bookmarks
from desktop.data.bookmark_io import (MAX_IMPORT_BYTES, MAX_IMPORT_ENTRIES, ImportFileError,
                                      import_file, parse_json, to_json)
from desktop.data.bookmark_values import Bookmark, TooMuch
from desktop.data.bookmarks import BookmarkStore

STUDY = "rituxme-phase3-rct"
OTHER_ID = "daratumumab-pilot"
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture
def trialtree(data_dir, reference_db, capsys):
    import desktop.cli as cli

    data_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy(reference_db, data_dir / "reference.db")

    def run(*args):
        code = cli.main(["bookmarks", *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def document(entries):
    return json.dumps({"format": "trialtree-bookmarks", "version": 1, "bookmarks": entries})


def entry(record_id=STUDY, note="", tags=()):
    return {"id": record_id, "kind": "study", "title": "T", "note": note, "tags": list(tags)}


# ---- defect 3: limits -----------------------------------------------------------------------


def test_an_import_with_too_many_entries_is_refused_before_anything_is_stored(tmp_path):
    path = tmp_path / "many.json"
    path.write_text(document([entry(note=f"n{i}") for i in range(MAX_IMPORT_ENTRIES + 1)]))
    with BookmarkStore(tmp_path / "user.db") as store:
        with pytest.raises(ImportFileError, match=f"at most {MAX_IMPORT_ENTRIES:,}"):
            import_file(store, path)
        assert store.count() == 0


def test_one_id_repeated_with_different_notes_stops_at_the_note_limit(tmp_path):
    path = tmp_path / "repeat.json"
    path.write_text(document([entry(note=f"note number {i}") for i in range(MAX_IMPORT_ENTRIES)]))
    with BookmarkStore(tmp_path / "user.db") as store:
        with pytest.raises(ImportFileError, match="note is .* characters long"):
            import_file(store, path)
        assert store.count() == 0


@pytest.mark.parametrize("bad, message", [
    (entry(note="x" * (bm.MAX_NOTE_CHARS + 1)), "bookmark 1 .*note"),
    (entry(tags=["t" * (bm.MAX_TAG_CHARS + 1)]), "bookmark 1 .*tag"),
    (entry(tags=[f"t{i}" for i in range(bm.MAX_TAGS + 1)]), "bookmark 1 .*tags"),
    ({**entry(), "title": "x" * (bm.MAX_TITLE_CHARS + 1)}, "bookmark 1 .*title")])
def test_an_oversized_field_is_named(bad, message):
    with pytest.raises(ImportFileError, match=message):
        parse_json(document([bad]))


def test_the_store_keeps_at_most_max_bookmarks(tmp_path, monkeypatch):
    monkeypatch.setattr(bookmarks, "MAX_BOOKMARKS", 2)
    with BookmarkStore(tmp_path / "user.db") as store:
        store.add("a", "study", "A")
        store.toggle("b", "study", "B")
        for write in (lambda: store.add("c", "study", "C"), lambda: store.toggle("c", "study", "C"),
                      lambda: store.merge([Bookmark("c", "study", "C")])):
            with pytest.raises(TooMuch, match="at most 2"):
                write()
        assert store.ids() == {"a", "b"}


def test_a_note_over_the_limit_is_refused_and_the_old_note_kept(tmp_path):
    with BookmarkStore(tmp_path / "user.db") as store:
        store.add(STUDY, "study", "T", note="kept")
        with pytest.raises(TooMuch, match="note"):
            store.set_note(STUDY, "x" * (bm.MAX_NOTE_CHARS + 1))
        assert store.get(STUDY).note == "kept"


def test_the_largest_possible_backup_can_be_imported_back():
    """Every character at its most expensive in JSON (a control character, escaped to six
    bytes), every field full: MAX_BOOKMARKS such entries still fit in MAX_IMPORT_BYTES."""
    worst = Bookmark("a" * bm.MAX_ID_CHARS, "\x01" * bm.MAX_KIND_CHARS, "\x01" * bm.MAX_TITLE_CHARS,
                     "\x01" * bm.MAX_NOTE_CHARS,
                     tuple(f"{i:03}" + "\x01" * (bm.MAX_TAG_CHARS - 3) for i in range(bm.MAX_TAGS)),
                     "2026-05-01T09:30:00Z", "2026-05-01T09:30:00Z")
    one = len(to_json([worst]).encode()) - len(to_json([]).encode())
    assert one * bm.MAX_BOOKMARKS + len(to_json([]).encode()) < MAX_IMPORT_BYTES


def test_a_cli_note_over_the_limit_is_one_line(trialtree):
    code, out, err = trialtree("add", STUDY, "--note", "x" * (bm.MAX_NOTE_CHARS + 1))
    assert (code, out) == (1, "") and err.count("\n") == 1 and "at most" in err


def test_a_seed_text_over_the_limit_names_file_record_and_field(seeds_copy):
    from desktop.data.seeds import MAX_TEXT_CHARS, SeedError, load_seeds

    people = seeds_copy / "people.toml"
    text = people.read_text()
    first = text.index('name = "') + len('name = "')
    people.write_text(text[:first] + "x" * (MAX_TEXT_CHARS + 1) + text[first:])
    with pytest.raises(SeedError, match=r"people.toml: record '.*', field 'name': is 10,0\d\d"):
        load_seeds(seeds_copy)


# ---- defect 5: ids match whole --------------------------------------------------------------


def test_an_import_id_with_a_trailing_new_line_is_refused():
    with pytest.raises(ImportFileError, match="bookmark 1"):
        parse_json(document([entry(record_id=STUDY + "\n")]))


def test_a_seed_id_with_a_trailing_new_line_is_refused(seeds_copy):
    from desktop.data.seeds import SeedError, load_seeds

    path = seeds_copy / "people.toml"
    text = path.read_text()
    start = text.index('id = "') + len('id = "')
    end = text.index('"', start)
    path.write_text(text[:end] + "\\n" + text[end:])
    with pytest.raises(SeedError, match="field 'id'"):
        load_seeds(seeds_copy)


# ---- defect 7: nothing raw to the terminal --------------------------------------------------


def test_list_never_prints_control_or_bidi_characters(trialtree, data_dir):
    hostile = "\x1b[2J\x1b]0;pwned\x07 nul\x00 c1\x9b rlo\u202e end"
    with BookmarkStore(data_dir / "user.db") as store:
        store.add(STUDY, "study", f"title {hostile}", note=f"note {hostile}", tags=[hostile])
    for args in (("list",), ("list", "--json")):
        code, out, err = trialtree(*args)
        assert code == 0 and not RAW.search(out.replace("\t", "").replace("\n", ""))
        assert "\\x1b[2J" in out or "\\u001b[2J" in out
    code, out, _ = trialtree("add", STUDY, "--tag", "x")
    assert code == 0 and not RAW.search(out.replace("\n", ""))
    entries = json.loads(trialtree("list", "--json")[1])
    assert entries[0]["note"] == f"note {hostile}"  # JSON keeps the text itself, escaped


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_any_tag_or_note_prints_safely(text):
    from desktop.cli_bookmarks import terminal_text

    assert not RAW.search(terminal_text(text)) and "\t" not in terminal_text(text)
    if text.isprintable():
        assert terminal_text(text) == text  # ordinary text, accents and emoji are left alone


# ---- issue 12: what `add --note` did to an existing note --------------------------------------


def test_add_note_says_it_was_added_below_and_replace_note_replaces(trialtree):
    assert trialtree("add", STUDY, "--note", "first")[0] == 0
    code, out, _ = trialtree("add", STUDY, "--note", "second")
    assert code == 0 and "added below the existing note" in out and "--replace-note" in out
    assert json.loads(trialtree("list", "--json")[1])[0]["note"] == "first\n\nsecond"
    code, out, _ = trialtree("add", STUDY, "--note", "second")
    assert "already contains this text" in out
    code, out, _ = trialtree("add", STUDY, "--note", "only this", "--replace-note")
    assert code == 0 and "replaced the note" in out
    assert json.loads(trialtree("list", "--json")[1])[0]["note"] == "only this"
    code, out, err = trialtree("add", STUDY, "--replace-note")
    assert code == 1 and "--replace-note needs --note" in err


def test_a_long_title_from_the_data_is_shortened_not_refused(tmp_path):
    with BookmarkStore(tmp_path / "user.db") as store:
        store.add(STUDY, "study", "t" * (bm.MAX_TITLE_CHARS + 100))
        store.toggle(OTHER_ID, "study", "t" * (bm.MAX_TITLE_CHARS + 100))
        assert {len(b.title) for b in store.list()} == {bm.MAX_TITLE_CHARS}


def test_export_to_the_screen_escapes_what_would_act_on_the_terminal(trialtree, data_dir,
                                                                     monkeypatch):
    import sys

    with BookmarkStore(data_dir / "user.db") as store:
        store.add(STUDY, "study", "T", note="clear \x1b[2J rlo \u202e c1 \x9b", tags=["a\u202eb"])
    code, out, _ = trialtree("export", "--format", "json")
    assert code == 0 and not RAW.search(out.replace("\n", ""))
    assert json.loads(out)["bookmarks"][0]["note"] == "clear \x1b[2J rlo \u202e c1 \x9b"
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    for fmt in ("csv", "md"):
        code, out, _ = trialtree("export", "--format", fmt)
        assert code == 0 and not RAW.search(out.replace("\n", "").replace("\r", "")), fmt


def test_links_are_not_made_from_values_with_a_trailing_new_line():
    from desktop.data.links import doi_link, pmc_link, pubmed_link, registry_link

    assert registry_link("ClinicalTrials.gov", "NCT02229942") is not None
    assert registry_link("ClinicalTrials.gov", "NCT02229942\n") is None
    assert pubmed_link("12345\n") is None and pmc_link("PMC123\n") is None
    assert doi_link("10.1000/abc\n") is None and doi_link("10.1000/abc") is not None


def test_adding_a_note_that_would_overflow_the_existing_one_says_so(trialtree):
    assert trialtree("add", STUDY, "--note", "x" * (bm.MAX_NOTE_CHARS - 10))[0] == 0
    code, out, err = trialtree("add", STUDY, "--note", "y" * 20)
    assert (code, out) == (1, "") and "together with the note it already has" in err
    assert trialtree("add", STUDY, "--note", "y" * 20, "--replace-note")[0] == 0
