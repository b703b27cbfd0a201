"""Bookmarks in and out: our JSON (backups, export, import), CSV and a Markdown reading list.

The JSON format round-trips everything and is also the backup format, so a backup file can be
imported like any export::

    {"format": "trialtree-bookmarks", "version": 1, "exported_at": "2026-05-01T09:30:00Z",
     "bookmarks": [{"id": "rituxme-phase3-rct", "kind": "study", "title": "…", "note": "…",
                    "tags": ["ask my GP"], "created_at": "…", "updated_at": "…"}]}

Every export (issue 12) says for each bookmark what a clinician needs to find the study: the
short and the official title, registry numbers and DOIs with their canonical links, the status in
words with where it comes from (and a status seen on a registry or other page, with its date),
the result, and the person's own tags and note; in the Bookmarks panel's order
(:mod:`desktop.data.bookmark_order`). User text never becomes Markdown syntax, and no export writes
control or bidi-override characters.

Import files are checked completely before anything is stored; a problem is reported as one
:class:`ImportFileError` in plain words naming what is wrong and where.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterable, Protocol

from desktop.data.bookmark_values import (MAX_BOOKMARKS, ORPHAN_LABEL, Bookmark, MergeResult,
                                          TooMuch, check_limits, clean_text, normalize_tags,
                                          utc_now)
from desktop.data.bookmarks import BookmarkStore
from desktop.data.links import doi_link, site_of, source_link
from desktop.data.vocabulary import OUTCOME_LABELS, STATUS_LABELS, long_date

FORMAT = "trialtree-bookmarks"
FORMAT_VERSION = 1
CSV_COLUMNS = ("id", "kind", "title", "official title", "status", "status seen online", "phase",
               "result", "what they found", "treatments", "registry numbers", "DOIs", "tags",
               "note", "bookmarked on", "in the data")
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


def to_json(bookmarks: Iterable[Bookmark], exported_at: str | None = None,
            library: RecordSource | None = None) -> str:
    """Our JSON for ``bookmarks`` (every field; readable by :func:`parse_json`). With a
    ``library``, each bookmark also carries what the data says about its record (``record``:
    titles, registry numbers with links, DOIs, status, result), which an import ignores.

    User text is kept exactly (this is also the backup format), but control and bidi-override
    characters are written as ``\\uXXXX`` escapes, so no viewer reorders or hides the text."""
    entries = []
    for b in bookmarks:
        entry = {"id": b.record_id, "kind": b.kind, "title": b.title, "note": b.note,
                 "tags": list(b.tags), "created_at": b.created_at, "updated_at": b.updated_at}
        if library is not None:
            entry["record"] = _record_json(record_facts(b, library))
        entries.append(entry)
    document = {"format": FORMAT, "version": FORMAT_VERSION,
                "exported_at": exported_at or utc_now(), "bookmarks": entries}
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


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


# ---- what every export writes ------------------------------------------------------------


# Characters no export writes: C0/C1 controls (a newline and, in CSV, a tab stay), and the bidi
# embedding, override and isolate marks (U+202A-U+202E, U+2066-U+2069, U+200E/U+200F, U+061C),
# which can make text read in another order than it is stored ("Trojan Source").
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}]")


def plain(text: str) -> str:
    """``text`` for an export: line ends as ``\\n``, without control or bidi-override characters."""
    return _UNSAFE.sub("", str(text).replace("\r\n", "\n").replace("\r", "\n"))


@dataclass(frozen=True)
class RecordFacts:
    """What an export says about one bookmark's record (all plain text, "" when unknown)."""

    title: str  # the short title when there is one, else the title
    official_title: str  # the full (registry) title when it differs from ``title``
    kind: str
    summary: str = ""
    status: str = ""  # in words ("Completed"), with where it comes from in ``status_seen``
    status_seen: str = ""
    registry_status: str = ""
    registry_status_seen: str = ""
    registry_status_link: str = ""
    phase: str = ""
    result: str = ""
    findings: str = ""
    treatments: str = ""
    registry_numbers: tuple[tuple[str, str, str, bool], ...] = ()  # system, number, link, unconfirmed
    dois: tuple[tuple[str, str], ...] = ()  # doi, link
    in_data: str = ""


def record_facts(bookmark: Bookmark, library: RecordSource | None) -> RecordFacts:
    """The facts the data holds for ``bookmark``'s record; only the saved title when it is gone."""
    if library is None or library.kind_of(bookmark.record_id) is None:
        return RecordFacts(bookmark.title, "", bookmark.kind,
                           status=ORPHAN_LABEL if library is not None else "",
                           in_data="no" if library is not None else "")
    record = library.record(bookmark.record_id)
    official = record.title if record.short_title() else ""
    status = record.get("status")
    report = next((c for c in record.citations if c.date), None)
    registry = record.registry_status
    numbers: dict[tuple[str, str], list[Any]] = {}
    for i in record.identifiers:
        numbers.setdefault((i.system, i.value), []).append(i)
    return RecordFacts(
        title=record.display_title(), official_title=official, kind=record.kind,
        summary=" ".join(str(record.summary or "").split()),
        status=STATUS_LABELS.get(status, str(status or "")),
        status_seen=(f"as the report of {long_date(report.date)} says" if status and report
                     else ""),
        registry_status=registry.text if registry else "",
        registry_status_seen=(f"as seen on {long_date(registry.provenance.seen)} at "
                              f"{site_of(registry.provenance.url)}" if registry else ""),
        registry_status_link=(source_link(registry.provenance.url) or "") if registry else "",
        phase=str(record.get("phase") or ""),
        result=OUTCOME_LABELS.get(record.get("outcome"), str(record.get("outcome") or "")),
        findings=" ".join(str(record.get("result") or "").split()),
        treatments="; ".join(ref.title for ref in record.links.get("treatments", ())),
        registry_numbers=tuple(
            (system, value, next((i.link for i in group if i.link), None) or "",
             all(i.provenance.confidence != "primary" for i in group))
            for (system, value), group in numbers.items()),
        dois=tuple(dict.fromkeys((p.doi, doi_link(p.doi) or "") for p in record.publications
                                 if p.doi)),
        in_data="yes")


def _record_json(facts: RecordFacts) -> dict[str, Any]:
    return {"title": facts.title, "official_title": facts.official_title,
            "summary": facts.summary,
            "status": {"text": facts.status, "source": facts.status_seen},
            "registry_status": ({"text": facts.registry_status, "seen": facts.registry_status_seen,
                                 "url": facts.registry_status_link}
                                if facts.registry_status else None),
            "phase": facts.phase, "result": facts.result, "findings": facts.findings,
            "treatments": facts.treatments,
            "registry_numbers": [{"system": s, "number": n, "url": link, "unconfirmed": u}
                                 for s, n, link, u in facts.registry_numbers],
            "dois": [{"doi": d, "url": link} for d, link in facts.dois],
            "in_data": facts.in_data}


# ---- CSV -------------------------------------------------------------------------------------


def neutralise_cell(text: str) -> str:
    """A CSV cell a spreadsheet will not run as a formula: text starting with = + - @, a tab or
    a carriage return (also after leading spaces) gets a leading apostrophe."""
    if text.startswith(_CSV_TRIGGERS) or text.lstrip(" ").startswith(_CSV_TRIGGERS):
        return "'" + text
    return text


def _numbers_text(facts: RecordFacts) -> str:
    return "; ".join(f"{s} {n}" + (f" <{link}>" if link else "") + (" (unconfirmed)" if u else "")
                     for s, n, link, u in facts.registry_numbers)


def _status_text(facts: RecordFacts) -> str:
    return f"{facts.status} ({facts.status_seen})" if facts.status_seen else facts.status


def _registry_status_text(facts: RecordFacts) -> str:
    if not facts.registry_status:
        return ""
    link = f" <{facts.registry_status_link}>" if facts.registry_status_link else ""
    return f"{facts.registry_status} ({facts.registry_status_seen}){link}"


def to_csv(bookmarks: Iterable[Bookmark], library: RecordSource | None = None) -> str:
    """One row a bookmark with the record's key facts, its registry numbers and DOIs with their
    canonical links; every cell is neutralised against spreadsheet formulas and stripped of
    control and bidi-override characters."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for b in bookmarks:
        f = record_facts(b, library)
        row = (b.record_id, f.kind, f.title, f.official_title, _status_text(f),
               _registry_status_text(f), f.phase, f.result, f.findings, f.treatments,
               _numbers_text(f), "; ".join(f"{d} <{link}>" if link else d for d, link in f.dois),
               "; ".join(b.tags), b.note, b.created_at[:10], f.in_data)
        writer.writerow([neutralise_cell(plain(cell)) for cell in row])
    return out.getvalue()


# ---- Markdown --------------------------------------------------------------------------------

_MD_ANYWHERE = re.compile(r"([\\`*_\[\]<>!|~&])")  # links, images, autolinks, HTML, emphasis
_MD_LINE_START = re.compile(r"^(\s*)([#+=-])", re.MULTILINE)  # headings, lists, rules
_MD_SCHEME = re.compile(r"(?i)(javascript|vbscript|data|file)(\s*):")


def _md(text: str) -> str:
    """Plain text that stays plain in Markdown: what Markdown could read as a link, an image, an
    autolink, raw HTML, emphasis, a heading or a list is escaped with a backslash, a
    ``javascript:`` (or ``data:``, ``file:``) scheme loses its colon's meaning, and control and
    bidi-override characters are dropped."""
    text = _MD_ANYWHERE.sub(r"\\\1", plain(text).replace("\t", " "))
    text = _MD_LINE_START.sub(r"\1\\\2", text)
    return _MD_SCHEME.sub(r"\1\2\\:", text)


def _md_link(text: str, url: str) -> str:
    """A link we built ourselves (https, canonical); anything else is written as plain text."""
    if url.startswith("https://") and not _UNSAFE.search(url) and not re.search(r"[\s<>()]", url):
        return f"[{_md(text)}]({url})"
    return _md(text)


def to_markdown(bookmarks: Iterable[Bookmark], library: RecordSource | None = None,
                today: date | None = None) -> str:
    """A reading list a patient can hand to a clinician: for each bookmark its short and official
    titles, a one-line summary, its status (with where and when it was seen), the result, registry
    numbers and DOIs with links, the treatments, and the person's own tags and note."""
    today = today or date.today()
    bookmarks = list(bookmarks)
    lines = ["# My reading list from TrialTree", "",
             f"Made on {today.day} {today:%B %Y}. {len(bookmarks)} "
             f"{'item' if len(bookmarks) == 1 else 'items'} I saved, with my own notes. "
             "The facts come from TrialTree's offline data; please check the original sources "
             "for the latest news.", ""]
    for number, b in enumerate(bookmarks, 1):
        f = record_facts(b, library)
        lines += [f"## {number}. {_md(' '.join(f.title.split()))}", ""]
        if f.official_title:
            lines += [f"Official title: {_md(f.official_title)}", ""]
        if f.summary:
            lines += [_md(f.summary), ""]
        status = _md(_status_text(f))
        if f.status == ORPHAN_LABEL:
            status = _md(f"{ORPHAN_LABEL} (this is the title I saved)")
        registry = ""
        if f.registry_status:
            registry = _md(f"{f.registry_status} ({f.registry_status_seen})")
            if f.registry_status_link:
                registry += " " + _md_link("page", f.registry_status_link)
        numbers = "; ".join(
            f"{_md(s)} " + _md_link(n, link) + (" (unconfirmed)" if u else "")
            for s, n, link, u in f.registry_numbers)
        dois = "; ".join(_md_link(d, link) for d, link in f.dois)
        details = [("Status", status), ("Status seen online", registry), ("Phase", _md(f.phase)),
                   ("Result", _md(f.result)), ("What they found", _md(f.findings)),
                   ("Treatments", _md(f.treatments)), ("Registry numbers", numbers),
                   ("DOI", dois), ("My tags", _md(", ".join(b.tags)))]
        lines += [f"- **{label}:** {value}" for label, value in details if value.strip()]
        lines.append("")
        note = _md(b.note).strip("\n")
        if note.strip():
            lines += ["**My note:**", ""]
            lines += [f"> {line}".rstrip() for line in note.split("\n")]
            lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
