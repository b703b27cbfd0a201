"""``trialtree bookmarks …`` run in-process, as a script would use it."""

import csv
import io
import json
import shutil
import subprocess
import sys

import pytest

from desktop.data.vocabulary import STATUS_LABELS

STUDY = "rituxme-phase3-rct"


def _registered(cli) -> bool:
    return "bookmarks" in cli.COMMANDS


@pytest.fixture
def trialtree(data_dir, reference_db, monkeypatch, capsys):
    """Run ``trialtree ARGS…`` in-process; returns (exit status, stdout, stderr)."""
    import desktop.cli as cli

    data_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy(reference_db, data_dir / "reference.db")  # current for the seeds: no rebuild
    if not _registered(cli):  # until desktop/cli.py registers the command (see cli_bookmarks)
        from desktop import cli_bookmarks

        build = cli.build_parser

        def build_parser():
            parser = build()
            cli_bookmarks.add_commands(parser._subparsers._group_actions[0])
            return parser

        monkeypatch.setattr(cli, "build_parser", build_parser)
        monkeypatch.setitem(cli.COMMANDS, "bookmarks", cli_bookmarks.run)

    def run(*args):
        code = cli.main(["bookmarks", *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_add_list_and_remove(trialtree, library):
    code, out, err = trialtree("add", STUDY, "--note", "ask my GP", "--tag", "B cells", "--tag", "GP")
    assert (code, err) == (0, "")
    assert out == f"bookmarked: {library.title_of(STUDY)} ({STUDY})\n"

    code, out, _ = trialtree("list")
    assert code == 0
    assert out == f"{STUDY}\tstudy\t{library.title_of(STUDY)}\tB cells, GP\task my GP\n"

    code, out, _ = trialtree("list", "--json")
    [entry] = json.loads(out)
    assert (entry["id"], entry["note"], entry["tags"], entry["in_data"]) == (
        STUDY, "ask my GP", ["B cells", "GP"], True)

    code, out, _ = trialtree("add", STUDY, "--tag", "later")
    assert out.startswith("updated the bookmark on:")
    assert json.loads(trialtree("list", "--json")[1])[0]["tags"] == ["B cells", "GP", "later"]

    assert trialtree("remove", STUDY)[:2] == (0, f"removed the bookmark on: "
                                                 f"{library.title_of(STUDY)} ({STUDY})\n")
    code, out, err = trialtree("list")
    assert (code, out) == (0, "") and "no bookmarks yet" in err


def test_an_unknown_id_is_refused_clearly(trialtree):
    code, out, err = trialtree("add", "no-such-trial")
    assert (code, out) == (1, "")
    assert err == ("trialtree: no record has the id 'no-such-trial', so it cannot be bookmarked "
                   "(try: trialtree search WORDS)\n")
    code, _, err = trialtree("remove", "no-such-trial")
    assert code == 1 and "'no-such-trial' is not bookmarked" in err
    assert err.count("\n") == 1  # one line, no traceback


def test_a_bookmark_whose_record_left_the_data_can_still_be_edited_and_is_shown_as_such(
        trialtree, data_dir):
    from desktop.data.bookmarks import BookmarkStore

    with BookmarkStore(data_dir / "user.db") as store:
        store.add("retired-trial", "study", "A trial that left the data", note="old note")
    assert trialtree("add", "retired-trial", "--note", "new note")[0] == 0
    code, out, _ = trialtree("list")
    assert out == ("retired-trial\tstudy\tA trial that left the data (no longer in the data)\t\t"
                   "old note new note\n")  # the new note is added below the old one
    assert json.loads(trialtree("list", "--json")[1])[0]["in_data"] is False


def test_export_to_the_screen_and_to_files_then_import_into_an_empty_profile(
        trialtree, data_dir, tmp_path, monkeypatch, library):
    trialtree("add", STUDY, "--note", "=cmd|' /C calc'!A0", "--tag", "@risky")
    trialtree("add", "daratumumab-pilot")

    code, out, _ = trialtree("export", "--format", "json")
    exported = json.loads(out)
    assert code == 0 and {b["id"] for b in exported["bookmarks"]} == {STUDY, "daratumumab-pilot"}

    code, out, _ = trialtree("export", "--format", "csv")
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(out))}
    assert rows[STUDY]["note"] == "'=cmd|' /C calc'!A0" and rows[STUDY]["tags"] == "'@risky"
    assert rows[STUDY]["status"].startswith(  # in words, with where it comes from (issue 12)
        STATUS_LABELS[library.record(STUDY).get("status")] + " (as the report of ")

    code, out, _ = trialtree("export", "--format", "md")
    assert out.startswith("# My reading list from TrialTree") and library.record(STUDY).title in out

    target = tmp_path / "mine.json"
    code, out, _ = trialtree("export", "--format", "json", "-o", str(target))
    assert (code, out) == (0, f"wrote 2 bookmarks to {target}\n")
    csv_file = tmp_path / "mine.csv"
    trialtree("export", "--format", "csv", "-o", str(csv_file))
    assert csv_file.read_bytes().startswith(b"\xef\xbb\xbfid,kind,title")

    # a second, empty profile
    monkeypatch.setenv("TRIALTREE_DATA_DIR", str(tmp_path / "other"))
    shutil.copytree(data_dir, tmp_path / "other", ignore=shutil.ignore_patterns("user.db*", "bookmark-*"))
    code, out, _ = trialtree("import", str(target))
    assert code == 0
    assert out.splitlines()[0] == "added 2 bookmarks"
    assert sorted(out.splitlines()[1:]) == ["  added: daratumumab-pilot", f"  added: {STUDY}"]
    mine = json.loads(trialtree("list", "--json")[1])
    assert {(b["id"], b["note"], tuple(b["tags"])) for b in mine} == {
        (STUDY, "=cmd|' /C calc'!A0", ("@risky",)), ("daratumumab-pilot", "", ())}

    code, out, _ = trialtree("import", str(target))
    assert out == "added 0 bookmarks; 2 you already had, unchanged\n"


def test_a_malformed_import_file_is_refused_and_changes_nothing(trialtree, tmp_path):
    trialtree("add", STUDY)
    before = trialtree("list", "--json")[1]
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "trialtree-bookmarks", "version": 1, "bookmarks": [{"id": 5}]}')
    code, out, err = trialtree("import", str(bad))
    assert (code, out) == (1, "")
    assert err == (f"trialtree: cannot import {bad}: bookmark 1 has no \"id\" (the record's id, "
                   "as text). Nothing was changed.\n")
    code, _, err = trialtree("import", str(tmp_path / "missing.json"))
    assert code == 1 and "there is no such file" in err
    assert trialtree("list", "--json")[1] == before


def test_export_to_a_folder_that_does_not_exist_is_explained(trialtree, tmp_path):
    code, _, err = trialtree("export", "-o", str(tmp_path / "no" / "such" / "folder" / "x.json"))
    assert code == 1 and err.startswith("trialtree: cannot write") and err.count("\n") == 1


def test_bookmarks_needs_an_action(trialtree, capsys):
    with pytest.raises(SystemExit) as exit_:
        trialtree()
    assert exit_.value.code == 2


def test_the_trialtree_command_offers_bookmarks(data_dir):
    import desktop.cli as cli

    if not _registered(cli):
        pytest.skip("desktop/cli.py does not register the bookmarks command yet")
    out = subprocess.run([sys.executable, "-m", "desktop", "bookmarks", "--help"],
                         capture_output=True, text=True)
    assert out.returncode == 0
    for action in ("add", "remove", "list", "export", "import"):
        assert action in out.stdout


def test_adding_a_note_to_a_bookmark_keeps_the_note_it_had(data_dir, capsys):
    from desktop.cli import main

    assert main(["bookmarks", "add", "rituxme-phase3-rct", "--note", "ask about dose"]) == 0
    assert main(["bookmarks", "add", "rituxme-phase3-rct", "--note", "and the 151 patients"]) == 0
    capsys.readouterr()
    assert main(["bookmarks", "list", "--json"]) == 0
    import json

    (bookmark,) = json.loads(capsys.readouterr().out)
    assert "ask about dose" in bookmark["note"] and "and the 151 patients" in bookmark["note"]
