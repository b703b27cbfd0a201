"""``trialtree summary`` (issue 18): PDF or Markdown from bookmarks or ids; bad input is one line
and exit status 1. Run in-process, and once as a real process with no display."""

import os
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

STUDY = "rituxme-phase3-rct"
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def trialtree(data_dir, reference_db, capsys):
    """Run ``trialtree ARGS…`` in-process; returns (exit status, stdout, stderr)."""
    from desktop.cli import main

    data_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy(reference_db, data_dir / "reference.db")

    def run(*args):
        status = main(list(args))
        out, err = capsys.readouterr()
        return status, out, err

    return run


@pytest.fixture(autouse=True)
def _application(qapp):
    """pytest-qt's QApplication, so the summary's own (offscreen QGuiApplication) is not made
    here and the widget tests after these still get theirs."""
    return qapp


def _text(path) -> str:
    return " ".join(unicodedata.normalize("NFKC", " ".join(
        p.extract_text() for p in PdfReader(str(path)).pages)).split())


def test_bookmarks_to_pdf_with_the_notes_as_my_questions(trialtree, tmp_path):
    assert trialtree("bookmarks", "add", STUDY, "--note", "Is it safe for me?")[0] == 0
    assert trialtree("bookmarks", "add", "daratumumab-pilot")[0] == 0
    status, out, err = trialtree("summary", "--bookmarks", "-o", str(tmp_path / "s.pdf"))
    assert (status, err) == (0, "")
    assert "2 studies" in out and "s.pdf" in out
    text = _text(tmp_path / "s.pdf")
    assert "RituxME" in text and "Daratumumab pilot" in text
    assert "My questions: Is it safe for me?" in text and "not medical advice" in text


def test_ids_to_markdown_by_suffix_or_format(trialtree, tmp_path):
    status, out, _ = trialtree("summary", "NCT02229942", "-o", str(tmp_path / "s.md"))
    assert status == 0
    text = (tmp_path / "s.md").read_text(encoding="utf-8")
    assert text.startswith("# My trials and studies") and "NCT02229942" in text
    status, _, _ = trialtree("summary", STUDY, "--format", "md", "-o", str(tmp_path / "s.txt"))
    assert status == 0 and (tmp_path / "s.txt").read_text(encoding="utf-8") == text


@pytest.mark.parametrize(("args", "message"), [
    (("no-such-study",), "no record has the id 'no-such-study'"),
    (("--bookmarks",), "you have no bookmarked studies"),
    (("rituximab",), "not a study"),
    ((), "either --bookmarks or one or more study ids"),
])
def test_bad_input_is_one_line_and_exit_1(trialtree, tmp_path, args, message):
    status, out, err = trialtree("summary", *args, "-o", str(tmp_path / "s.pdf"))
    assert status == 1 and out == ""
    assert message in err and err.count("\n") == 1
    assert not (tmp_path / "s.pdf").exists()


def test_an_unwritable_path_is_one_line_and_exit_1(trialtree, tmp_path):
    target = tmp_path / "missing-folder" / "s.pdf"
    status, _, err = trialtree("summary", STUDY, "-o", str(target))
    assert status == 1 and err.startswith("trialtree: cannot write") and err.count("\n") == 1
    status, _, err = trialtree("summary", STUDY, "-o", str(tmp_path / "missing-folder" / "s.md"))
    assert status == 1 and err.startswith("trialtree: cannot write") and err.count("\n") == 1


def test_the_command_makes_a_pdf_with_no_display(data_dir, reference_db, tmp_path):
    data_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy(reference_db, data_dir / "reference.db")
    env = {k: v for k, v in os.environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    out = tmp_path / "s.pdf"
    done = subprocess.run([sys.executable, "-m", "desktop", "summary", STUDY, "-o", str(out)],
                          cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "RituxME" in _text(out)
