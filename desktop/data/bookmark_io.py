"""Bookmarks in and out: our JSON (backups, export, import), CSV and a Markdown reading list.

The JSON format round-trips everything and is also the backup format, so a backup file can be
imported like any export::

    {"format": "trialtree-bookmarks", "version": 1, "exported_at": "2026-05-01T09:30:00Z",
     "bookmarks": [{"id": "rituxme-phase3-rct", "kind": "study", "title": "…", "note": "…",
                    "tags": ["ask my GP"], "created_at": "…", "updated_at": "…"}]}

Import files are checked completely before anything is stored; a problem is reported as one
:class:`ImportFileError` in plain words naming what is wrong and where.
"""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterable, Protocol

from desktop.data.bookmarks import (MAX_BOOKMARKS, ORPHAN_LABEL, Bookmark, BookmarkStore,
                                    MergeResult, TooMuch, check_limits, clean_text,
                                    normalize_tags, utc_now)

FORMAT = "trialtree-bookmarks"
FORMAT_VERSION = 1
EXPORT_FORMATS = ("json", "csv", "md")
CSV_COLUMNS = ("id", "kind", "title", "status", "phase", "treatments", "tags", "note",
               "bookmarked on", "in the data")
_CSV_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Bigger than the largest backup the store's limits allow (see bookmarks.MAX_BOOKMARKS and
# tests/data/test_faults.py), so every backup can be imported back.
MAX_IMPORT_BYTES = 100 * 1024 * 1024
_MAX_IMPORT_BYTES = MAX_IMPORT_BYTES  # the old name
MAX_IMPORT_ENTRIES = MAX_BOOKMARKS * 5  # an export of every bookmark, repeated a few times


class ImportFileError(ValueError):
    """An import file we cannot use; the message says what is wrong in plain words."""


class RecordSource(Protocol):
    """What the CSV and Markdown exports ask of a Library."""

    def kind_of(self, record_id: str) -> str | None: ...

    def record(self, record_id: str) -> Any: ...


# ---- JSON ------------------------------------------------------------------------------------


def to_json(bookmarks: Iterable[Bookmark], exported_at: str | None = None) -> str:
    """Our JSON for ``bookmarks`` (every field; readable by :func:`parse_json`)."""
    document = {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "exported_at": exported_at or utc_now(),
        "bookmarks": [{"id": b.record_id, "kind": b.kind, "title": b.title, "note": b.note,
                       "tags": list(b.tags), "created_at": b.created_at,
                       "updated_at": b.updated_at} for b in bookmarks],
    }
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def parse_json(data: bytes | str) -> list[Bookmark]:
    """The bookmarks in one of our JSON files.

    :raises ImportFileError: the data is not such a file; the message says what is wrong.
    """
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise ImportFileError(f"the file is not UTF-8 text (a bad byte at position "
                                  f"{error.start})") from None
    try:
        document = json.loads(data)
    except json.JSONDecodeError as error:
        raise ImportFileError(f"the file is not valid JSON: {error.msg} at line {error.lineno}, "
                              f"column {error.colno}") from None
    except RecursionError:
        raise ImportFileError("the file is not valid JSON: it is nested too deeply") from None
    except ValueError:  # e.g. a number with more digits than Python converts
        raise ImportFileError("the file holds a number too long to read (thousands of digits)") \
            from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ImportFileError(f'this is not a TrialTree bookmarks file (it should be a JSON object '
                              f'with "format": "{FORMAT}", as written by "trialtree bookmarks '
                              f'export --format json")')
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ImportFileError('"version" must be a whole number (1 for this version of TrialTree)')
    if version > FORMAT_VERSION:
        raise ImportFileError(f"the file was made by a newer TrialTree (format version {version}); "
                              f"please update TrialTree to import it")
    entries = document.get("bookmarks")
    if not isinstance(entries, list):
        raise ImportFileError('"bookmarks" is missing or is not a list')
    if len(entries) > MAX_IMPORT_ENTRIES:
        raise ImportFileError(f"the file has {len(entries):,} bookmarks; TrialTree imports at most "
                              f"{MAX_IMPORT_ENTRIES:,} at a time")
    return [_parse_entry(entry, number) for number, entry in enumerate(entries, 1)]


def _parse_entry(entry: Any, number: int) -> Bookmark:
    from desktop.data.seeds import ID_PATTERN

    where = f"bookmark {number}"
    if not isinstance(entry, dict):
        raise ImportFileError(f"{where} is not a JSON object")
    record_id = entry.get("id")
    if not isinstance(record_id, str):
        raise ImportFileError(f'{where} has no "id" (the record\'s id, as text)')
    where += f" ({record_id!r})"
    if not ID_PATTERN.fullmatch(record_id):
        raise ImportFileError(f'{where}: "id" must be lowercase words joined by hyphens, '
                              f"e.g. 'rituxme-phase3-rct'")
    text = {}
    for name, required in (("kind", True), ("title", True), ("note", False),
                           ("created_at", False), ("updated_at", False)):
        value = entry.get(name)
        if value is None and not required:
            value = ""
        if not isinstance(value, str) or (required and not value.strip()):
            raise ImportFileError(f'{where}: "{name}" must be '
                                  f'{"some text" if required else "text"}')
        text[name] = value
    for name in ("created_at", "updated_at"):
        if text[name] and not _is_time(text[name]):
            raise ImportFileError(f'{where}: "{name}" must be a date and time like '
                                  f'"2026-05-01T09:30:00Z", not {text[name]!r}')
    tags = entry.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise ImportFileError(f'{where}: "tags" must be a list of text, e.g. ["ask my GP"]')
    now = utc_now()
    bookmark = Bookmark(record_id, clean_text(text["kind"]), clean_text(text["title"]),
                        clean_text(text["note"]), normalize_tags(tags),
                        text["created_at"] or now, text["updated_at"] or text["created_at"] or now)
    try:
        check_limits(bookmark)
    except TooMuch as error:
        raise ImportFileError(f"{where}: {error}") from None
    return bookmark


def _is_time(value: str) -> bool:
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
        return True
    except ValueError:
        return False


def read_import_file(path: Path) -> list[Bookmark]:
    """The bookmarks in the JSON file at ``path``.

    :raises ImportFileError: the file is missing, unreadable or not one of our files.
    """
    path = Path(path)
    try:
        if path.stat().st_size > MAX_IMPORT_BYTES:
            raise ImportFileError(f"the file is too big to be a bookmarks file (over "
                                  f"{MAX_IMPORT_BYTES // 2**20} MB)")
        data = path.read_bytes()
    except FileNotFoundError:
        raise ImportFileError("there is no such file") from None
    except IsADirectoryError:
        raise ImportFileError("that is a folder, not a file") from None
    except OSError as error:
        raise ImportFileError(f"the file cannot be read ({error.strerror or error})") from None
    return parse_json(data)


def import_file(store: BookmarkStore, path: Path) -> MergeResult:
    """Merge the bookmarks of a JSON export (or backup) into ``store``: all or nothing.

    :raises ImportFileError: the file cannot be used; nothing was changed.
    """
    bookmarks = read_import_file(path)
    try:
        return store.merge(bookmarks)
    except TooMuch as error:
        raise ImportFileError(str(error)) from None


# ---- CSV -------------------------------------------------------------------------------------


def neutralise_cell(text: str) -> str:
    """A CSV cell a spreadsheet will not run as a formula: text starting with = + - @, a tab or
    a carriage return (also after leading spaces) gets a leading apostrophe."""
    if text.startswith(_CSV_TRIGGERS) or text.lstrip(" ").startswith(_CSV_TRIGGERS):
        return "'" + text
    return text


def _facts(bookmark: Bookmark, library: RecordSource | None) -> dict[str, str]:
    """Title, status, phase, treatments and a one-line summary from the data, if still there."""
    if library is None or library.kind_of(bookmark.record_id) is None:
        status = ORPHAN_LABEL if library is not None else ""
        return {"title": bookmark.title, "status": status, "phase": "", "treatments": "",
                "summary": "", "in_data": "no" if library is not None else ""}
    record = library.record(bookmark.record_id)
    treatments = "; ".join(ref.title for ref in record.links.get("treatments", ()))
    return {"title": record.title, "status": str(record.get("status") or ""),
            "phase": str(record.get("phase") or ""), "treatments": treatments,
            "summary": " ".join(str(record.summary or "").split()), "in_data": "yes"}


def to_csv(bookmarks: Iterable[Bookmark], library: RecordSource | None = None) -> str:
    """One row a bookmark with the record's key fields (no web addresses); every cell is
    neutralised against spreadsheet formulas."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for b in bookmarks:
        facts = _facts(b, library)
        row = (b.record_id, b.kind, facts["title"], facts["status"], facts["phase"],
               facts["treatments"], "; ".join(b.tags), b.note, b.created_at[:10], facts["in_data"])
        writer.writerow([neutralise_cell(cell) for cell in row])
    return out.getvalue()


# ---- Markdown --------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _md(text: str) -> str:
    """Plain text made safe for Markdown: no control characters, no raw HTML."""
    return _CONTROL.sub("", text.replace("\r\n", "\n")).replace("<", "\\<")


def to_markdown(bookmarks: Iterable[Bookmark], library: RecordSource | None = None,
                today: date | None = None) -> str:
    """A reading list a patient can hand to a clinician: for each bookmark its title, a one-line
    summary, its status and phase, its treatments and the person's own note."""
    today = today or date.today()
    bookmarks = list(bookmarks)
    lines = ["# My reading list from TrialTree", "",
             f"Made on {today.day} {today:%B %Y}. {len(bookmarks)} "
             f"{'item' if len(bookmarks) == 1 else 'items'} I saved, with my own notes. "
             "The facts come from TrialTree's offline data; please check the original sources "
             "for the latest news.", ""]
    for number, b in enumerate(bookmarks, 1):
        facts = _facts(b, library)
        lines += [f"## {number}. {_md(' '.join(facts['title'].split()))}", ""]
        if facts["summary"]:
            lines += [_md(facts["summary"]), ""]
        status = facts["status"]
        if status == ORPHAN_LABEL:
            status = f"{ORPHAN_LABEL} (this is the title I saved)"
        details = [("Status", status), ("Phase", facts["phase"]),
                   ("Treatments", facts["treatments"]), ("My tags", ", ".join(b.tags))]
        lines += [f"- **{label}:** {_md(value)}" for label, value in details if value]
        lines.append("")
        note = _md(b.note).strip("\n")
        if note.strip():
            lines += ["**My note:**", ""]
            lines += [f"> {line}".rstrip() for line in note.split("\n")]
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def export_text(bookmarks: Iterable[Bookmark], fmt: str, library: RecordSource | None = None) -> str:
    """``bookmarks`` in one of :data:`EXPORT_FORMATS`."""
    if fmt == "json":
        return to_json(bookmarks)
    if fmt == "csv":
        return to_csv(bookmarks, library)
    if fmt == "md":
        return to_markdown(bookmarks, library)
    raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")
