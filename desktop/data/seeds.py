"""Load and validate the hand-edited seed files (seeds/*.toml).

Every problem is reported as one :class:`SeedError` naming the file, the record and the field, so
that the person editing the seeds knows exactly what to fix. The format is documented in
``seeds/README.md``; the field tables below are its executable form.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# Anchored with \Z, not $ ("$" also matches before a final new line); use with fullmatch.
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*\Z")
DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}\Z")
MAX_TEXT_CHARS = 10_000  # per text field: search cost grows with text (the longest today is ~800)
MAX_ID_CHARS = 120

STUDY_KINDS = ("trial", "pilot", "observational", "genetic", "review", "platform", "laboratory")
STUDY_STATUSES = ("completed", "ongoing", "enrolling", "planned", "stopped", "published", "preprint",
                  "unknown")
OUTCOMES = ("positive", "early-signal", "negative", "mixed", "pending", "not-applicable")
CONFIDENCES = ("primary", "secondary")


class SeedError(Exception):
    """A seed file that cannot be used, with where and what."""

    def __init__(self, file: str, message: str, record: str | None = None, field: str | None = None):
        self.file, self.record, self.field, self.message = file, record, field, message
        where = file
        if record:
            where += f": record '{record}'"
        if field:
            where += f", field '{field}'"
        super().__init__(f"{where}: {message}")


# ---- field types ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Ref:
    """A reference to the id of a record of ``kind``."""

    kind: str


@dataclass(frozen=True)
class Enum:
    values: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    """An inline table with its own fields."""

    fields: dict[str, tuple[Any, bool]]


@dataclass(frozen=True)
class ListOf:
    item: Any


TEXT, INT, DATE = "text", "integer", "date"

SOURCE_CITATION = Table({"source": (Ref("source"), True), "section": (TEXT, True)})

# Provenance every external fact carries (see the header of shared/facts/external.toml).
PROVENANCE = {
    "url": (TEXT, True),
    "kind": (TEXT, True),
    "confidence": (Enum(CONFIDENCES), True),
    "seen": (DATE, True),
}
IDENTIFIER = Table({"system": (TEXT, True), "id": (TEXT, True), "note": (TEXT, False), **PROVENANCE})
PUBLICATION = Table(
    {
        **{name: (TEXT, False) for name in (
            "title", "type", "authors", "first_author", "last_author", "journal", "volume", "pages",
            "article", "doi", "pmid", "pmcid", "note", "published", "online", "version",
            "link_note")},
        "year": (INT, False),
        **PROVENANCE,
    }
)
EXTERNAL_FACT = Table({"claim": (TEXT, True), **PROVENANCE})
CROSS_CHECK = Table({"article_says": (TEXT, True), "source_says": (TEXT, True), **PROVENANCE})
REGISTRY_STATUS = Table({"text": (TEXT, True), **PROVENANCE})
# Why a study sits under one of its mechanisms (issue 16): stated by a source, cited either as a
# seeds source with a section or as an external page, or TrialTree's own (editorial) filing.
FILED_BY = ("source", "editorial")
FILED_UNDER = Table({
    "mechanism": (Ref("mechanism"), True),
    "by": (Enum(FILED_BY), True),
    "reason": (TEXT, True),
    "source": (Ref("source"), False),
    "section": (TEXT, False),
    **{name: (kind, False) for name, (kind, _) in PROVENANCE.items()},
})

EXTERNAL_FIELDS = {
    "identifiers": (ListOf(IDENTIFIER), False),
    "publications": (ListOf(PUBLICATION), False),
    "external_facts": (ListOf(EXTERNAL_FACT), False),
    "cross_checks": (ListOf(CROSS_CHECK), False),
}

COMMON = {"id": (TEXT, True), "sources": (ListOf(SOURCE_CITATION), True)}

FIELDS: dict[str, dict[str, tuple[Any, bool]]] = {
    "source": {
        "id": (TEXT, True),
        "title": (TEXT, True),
        "kind": (Enum(("news", "registry", "journal", "other")), True),
        "outlet": (TEXT, False),
        "author": (TEXT, False),
        "date": (DATE, False),
        "url": (TEXT, False),
        "sections": (ListOf(Table({"key": (TEXT, True), "heading": (TEXT, True)})), False),
    },
    "mechanism": {
        **COMMON,
        "name": (TEXT, True),
        "summary": (TEXT, True),
        "parent": (Ref("mechanism"), False),
        "detail": (TEXT, False),
        "aliases": (ListOf(TEXT), False),
        "links": (ListOf(Table({"to": (Ref("mechanism"), True), "relation": (TEXT, True)})), False),
    },
    "treatment": {
        **COMMON,
        "name": (TEXT, True),
        "kind": (Enum(("drug", "procedure", "other")), True),
        "summary": (TEXT, True),
        "class": (TEXT, False),
        "target": (TEXT, False),
        "route": (TEXT, False),
        "approved_for": (ListOf(TEXT), False),
        "aliases": (ListOf(TEXT), False),
        "mechanisms": (ListOf(Ref("mechanism")), False),
        **EXTERNAL_FIELDS,
    },
    "study": {
        **COMMON,
        "title": (TEXT, True),
        "kind": (Enum(STUDY_KINDS), True),
        "status": (Enum(STUDY_STATUSES), True),
        "summary_plain": (TEXT, True),
        **{name: (TEXT, False) for name in (
            "short_title", "acronym", "phase", "design", "blinding", "control", "population", "duration",
            "primary_endpoint", "status_note", "result", "funding")},
        "enrollment": (INT, False),
        "year": (INT, False),
        "outcome": (Enum(OUTCOMES), False),
        "conditions": (ListOf(TEXT), False),
        "secondary_endpoints": (ListOf(TEXT), False),
        "caveats": (ListOf(TEXT), False),
        "countries": (ListOf(TEXT), False),
        "facts": (ListOf(TEXT), False),
        "treatments": (ListOf(Ref("treatment")), False),
        "mechanisms": (ListOf(Ref("mechanism")), False),
        "filed_under": (ListOf(FILED_UNDER), False),
        "people": (ListOf(Table({"person": (Ref("person"), True), "role": (TEXT, True)})), False),
        "institutions": (ListOf(Ref("institution")), False),
        "registry_status": (REGISTRY_STATUS, False),
        **EXTERNAL_FIELDS,
    },
    "person": {
        **COMMON,
        "name": (TEXT, True),
        "degrees": (TEXT, False),
        "title": (TEXT, False),
        "summary": (TEXT, False),
        "aliases": (ListOf(TEXT), False),
        "institutions": (ListOf(Ref("institution")), False),
        "external_facts": EXTERNAL_FIELDS["external_facts"],
    },
    "institution": {
        **COMMON,
        "name": (TEXT, True),
        "kind": (Enum(("university", "hospital", "research-centre", "funder", "society",
                       "government", "company", "other")), False),
        "city": (TEXT, False),
        "region": (TEXT, False),
        "country": (TEXT, False),
        "parent": (Ref("institution"), False),
        "aliases": (ListOf(TEXT), False),
        "external_facts": EXTERNAL_FIELDS["external_facts"],
    },
    "term": {
        **COMMON,
        "term": (TEXT, True),
        "definition": (TEXT, True),
        "aliases": (ListOf(TEXT), False),
        "see": (ListOf(Ref("any")), False),
    },
}

# kind -> (file or folder under seeds/, TOML array name)
LOCATIONS: dict[str, tuple[str, str]] = {
    "source": ("sources.toml", "source"),
    "mechanism": ("mechanisms.toml", "mechanism"),
    "treatment": ("treatments.toml", "treatment"),
    "study": ("studies", "study"),
    "person": ("people.toml", "person"),
    "institution": ("institutions.toml", "institution"),
    "term": ("glossary.toml", "term"),
}
KINDS = tuple(LOCATIONS)


@dataclass
class Seeds:
    """Validated seed records, by kind, in file order; ``origin`` maps each id to its file."""

    records: dict[str, list[dict[str, Any]]] = field(default_factory=lambda: {k: [] for k in KINDS})
    origin: dict[str, str] = field(default_factory=dict)
    kind_of: dict[str, str] = field(default_factory=dict)
    fingerprint: str = ""

    def by_id(self, kind: str) -> dict[str, dict[str, Any]]:
        return {record["id"]: record for record in self.records[kind]}


def seed_files(seeds_dir: Path) -> list[tuple[str, Path]]:
    """Every seed file as (kind, path), in a stable order."""
    files: list[tuple[str, Path]] = []
    for kind, (location, _) in LOCATIONS.items():
        target = seeds_dir / location
        if location.endswith(".toml"):
            files.append((kind, target))
        else:
            files.extend((kind, path) for path in sorted(target.glob("*.toml")))
    return files


def seeds_fingerprint(seeds_dir: Path) -> str:
    """A hash of every seed file's name and bytes (filing rules too): it changes whenever any seed changes."""
    import hashlib  # imported on use, like tomllib: most importers only want the field tables

    digest = hashlib.sha256()
    for path in [path for _, path in seed_files(seeds_dir)] + [seeds_dir / "filing.toml"]:
        digest.update(path.relative_to(seeds_dir).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"<missing>")
        digest.update(b"\0")
    return digest.hexdigest()


def load_seeds(seeds_dir: Path) -> Seeds:
    """Read and validate every seed file; raise :class:`SeedError` on the first problem.

    Checking each fact against the source texts beside the repository (absent from an installed
    app) is :func:`desktop.data.seed_checks.load_checked_seeds`."""
    import tomllib  # only a build reads the files

    seeds = Seeds()
    if not seeds_dir.is_dir():
        raise SeedError(str(seeds_dir), "the seeds folder does not exist")
    for kind, path in seed_files(seeds_dir):
        name = path.relative_to(seeds_dir.parent).as_posix() if seeds_dir.parent else str(path)
        array = LOCATIONS[kind][1]
        if not path.is_file():
            raise SeedError(name, "file is missing")
        try:
            document = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise SeedError(name, f"TOML syntax error: {exc}") from None
        except UnicodeDecodeError:
            raise SeedError(name, "file is not UTF-8 text") from None
        unknown = set(document) - {array}
        if unknown:
            raise SeedError(name, f"unexpected top-level key(s) {sorted(unknown)}; expected [[{array}]]")
        entries = document.get(array, [])
        if not isinstance(entries, list):
            raise SeedError(name, f"'{array}' must be an array of tables: write [[{array}]]")
        for index, entry in enumerate(entries):
            record = _validate_record(kind, entry, name, index)
            record_id = record["id"]
            if record_id in seeds.origin:
                raise SeedError(name, f"duplicate id (first defined in {seeds.origin[record_id]})",
                                record_id, "id")
            seeds.origin[record_id] = name
            seeds.kind_of[record_id] = kind
            seeds.records[kind].append(record)
    _check_references(seeds)
    _check_mechanism_cycles(seeds)
    _check_most_specific_mechanisms(seeds)
    seeds.fingerprint = seeds_fingerprint(seeds_dir)
    return seeds


def _validate_record(kind: str, entry: Any, file: str, index: int) -> dict[str, Any]:
    label = f"#{index + 1}"
    if not isinstance(entry, dict):
        raise SeedError(file, f"entry {label} is not a table")
    record_id = entry.get("id")
    if isinstance(record_id, str):
        label = record_id
    spec = FIELDS[kind]
    _check_fields(spec, entry, file, label, prefix="")
    if not ID_PATTERN.fullmatch(entry["id"]) or len(entry["id"]) > MAX_ID_CHARS:
        raise SeedError(file, "ids are lowercase words joined by hyphens, e.g. 'rituximab-phase3'",
                        label, "id")
    if kind == "study":
        _check_filed_under(entry, file, label)
    if kind != "source" and not entry["sources"] and not _has_external_provenance(entry):
        raise SeedError(file, "every record needs at least one source (or an external fact with a url)",
                        label, "sources")
    return entry


_CITED_AS_SOURCE = ("source", "section")
_CITED_AS_PAGE = tuple(PROVENANCE)


def _check_filed_under(entry: dict[str, Any], file: str, record: str) -> None:
    """One ``filed_under`` entry per listed mechanism, each saying who files it there: a source
    (a seeds source and section, or a page with its provenance) or TrialTree itself."""
    if "filed_under" not in entry:
        return
    listed = entry.get("mechanisms", [])
    filed: list[str] = []
    for position, item in enumerate(entry["filed_under"]):
        where = f"filed_under[{position}]"
        mechanism = item["mechanism"]
        if mechanism not in listed:
            raise SeedError(file, f"'{mechanism}' is not in this study's mechanisms: give a reason "
                                  f"only for a mechanism the study lists", record, f"{where}.mechanism")
        if mechanism in filed:
            raise SeedError(file, f"'{mechanism}' has two reasons: give one entry per mechanism",
                            record, f"{where}.mechanism")
        filed.append(mechanism)
        given = [name for name in (*_CITED_AS_SOURCE, *_CITED_AS_PAGE) if name in item]
        if item["by"] == "editorial":
            if given:
                raise SeedError(file, f"an editorial reason cites no source; remove "
                                      f"{', '.join(given)} or write by = \"source\"", record, where)
            continue
        as_source = all(name in item for name in _CITED_AS_SOURCE)
        as_page = all(name in item for name in _CITED_AS_PAGE)
        mixed = set(given) - set(_CITED_AS_SOURCE if as_source and not as_page else
                                 _CITED_AS_PAGE if as_page and not as_source else ())
        if not (as_source or as_page) or mixed:
            raise SeedError(file, "a reason stated by a source cites either source and section, or "
                                  "url, kind, confidence and seen", record, where)
    missing = [m for m in listed if m not in filed]
    if missing:
        raise SeedError(file, f"no reason given for mechanism(s) {', '.join(missing)}: add one "
                              f"entry per mechanism", record, "filed_under")


def _has_external_provenance(entry: dict[str, Any]) -> bool:
    return any(entry.get(name) for name in EXTERNAL_FIELDS)


def _check_fields(spec: dict[str, tuple[Any, bool]], entry: dict[str, Any], file: str, record: str,
                  prefix: str) -> None:
    for name in entry:
        if name not in spec:
            raise SeedError(file, f"unknown field (known: {', '.join(sorted(spec))})", record,
                            prefix + name)
    for name, (kind, required) in spec.items():
        if name not in entry:
            if required:
                raise SeedError(file, "required field is missing", record, prefix + name)
            continue
        _check_value(kind, entry[name], file, record, prefix + name)


def _check_value(kind: Any, value: Any, file: str, record: str, where: str) -> None:
    def fail(expected: str) -> None:
        raise SeedError(file, f"expected {expected}, got {type(value).__name__} {value!r}"[:300],
                        record, where)

    if kind == TEXT or isinstance(kind, Ref):
        if not isinstance(value, str):
            fail("text" if kind == TEXT else "an id (text)")
        if not value.strip():
            raise SeedError(file, "must not be empty (leave the field out instead)", record, where)
        if len(value) > MAX_TEXT_CHARS:
            raise SeedError(file, f"is {len(value):,} characters long; at most {MAX_TEXT_CHARS:,} "
                                  f"are allowed (split it or shorten it)", record, where)
    elif kind == INT:
        if not isinstance(value, int) or isinstance(value, bool):
            fail("a whole number")
    elif kind == DATE:
        if not isinstance(value, str) or not DATE_PATTERN.fullmatch(value):
            fail("a date written as YYYY-MM-DD in quotes")
    elif isinstance(kind, Enum):
        if value not in kind.values:
            fail("one of " + ", ".join(kind.values))
    elif isinstance(kind, ListOf):
        if not isinstance(value, list):
            fail("a list [ … ]")
        for position, item in enumerate(value):
            _check_value(kind.item, item, file, record, f"{where}[{position}]")
    elif isinstance(kind, Table):
        if not isinstance(value, dict):
            fail("a table { … }")
        _check_fields(kind.fields, value, file, record, prefix=f"{where}.")
    else:  # pragma: no cover - a mistake in the tables above
        raise AssertionError(f"unknown field type {kind!r}")


def _references(kind: Any, value: Any, where: str):
    """Yield (field path, target kind, id) for every reference inside a value."""
    if isinstance(kind, Ref):
        yield where, kind.kind, value
    elif isinstance(kind, ListOf):
        for position, item in enumerate(value):
            yield from _references(kind.item, item, f"{where}[{position}]")
    elif isinstance(kind, Table):
        for name, (sub, _) in kind.fields.items():
            if name in value:
                yield from _references(sub, value[name], f"{where}.{name}")


def _check_references(seeds: Seeds) -> None:
    sections = {s["id"]: [section["key"] for section in s.get("sections", [])]
                for s in seeds.records["source"]}
    for kind in KINDS:
        for record in seeds.records[kind]:
            cited = [(f"sources[{i}]", c) for i, c in enumerate(record.get("sources", []))]
            cited += [(f"filed_under[{i}]", c) for i, c in enumerate(record.get("filed_under", []))
                      if "source" in c]
            for where, citation in cited:
                known = sections.get(citation["source"])
                if known and citation["section"] not in known:
                    raise SeedError(seeds.origin[record["id"]],
                                    f"section '{citation['section']}' is not one of the source's "
                                    f"section keys ({', '.join(known)})",
                                    record["id"], f"{where}.section")
            for name, (field_kind, _) in FIELDS[kind].items():
                if name not in record:
                    continue
                for where, target, ref in _references(field_kind, record[name], name):
                    actual = seeds.kind_of.get(ref)
                    if actual is None:
                        raise SeedError(seeds.origin[record["id"]], f"refers to unknown id '{ref}'",
                                        record["id"], where)
                    if target != "any" and actual != target:
                        raise SeedError(seeds.origin[record["id"]],
                                        f"'{ref}' is a {actual}, expected a {target}",
                                        record["id"], where)


def _mechanism_parents(seeds: Seeds) -> dict[str, str | None]:
    return {m["id"]: m.get("parent") for m in seeds.records["mechanism"]}


def _check_mechanism_cycles(seeds: Seeds) -> None:
    """No mechanism is its own ancestor (the tree would never end)."""
    parents = _mechanism_parents(seeds)
    for start in parents:
        seen, current = {start}, parents[start]
        while current:
            if current in seen:
                raise SeedError(seeds.origin[start], "the parent chain loops back on itself",
                                start, "parent")
            seen.add(current)
            current = parents.get(current)


def _check_most_specific_mechanisms(seeds: Seeds) -> None:
    """A study or treatment lists only its most specific mechanisms: the tree already counts it
    under every ancestor, and listing both would show it twice in one branch."""
    parents = _mechanism_parents(seeds)
    for kind in ("study", "treatment"):
        for record in seeds.records[kind]:
            listed = record.get("mechanisms", [])
            for mechanism in listed:
                ancestor = parents.get(mechanism)
                while ancestor:
                    if ancestor in listed:
                        raise SeedError(
                            seeds.origin[record["id"]],
                            f"'{ancestor}' is a parent of '{mechanism}', which is also listed: "
                            f"list only the most specific mechanism (the tree counts it under "
                            f"its parents)", record["id"], f"mechanisms[{listed.index(ancestor)}]")
                    ancestor = parents.get(ancestor)
