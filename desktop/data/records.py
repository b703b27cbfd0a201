"""Plain values passed between the layers: records, links, tree nodes and search hits.

They are frozen and hold only Python values (no sqlite rows, no Qt types), so the CLI, the Qt
models and the tests all see the same thing.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Ref:
    """A link to another record, with the role it plays here (e.g. 'principal investigator')."""

    id: str
    kind: str
    title: str
    role: str = ""


@dataclass(frozen=True)
class Citation:
    """Where a record's facts come from: a source and the section of it."""

    source_id: str
    title: str
    outlet: str | None
    author: str | None
    date: str | None
    url: str | None
    section: str


@dataclass(frozen=True)
class Provenance:
    """Where an external fact was seen, how sure it is, and when."""

    url: str
    kind: str
    confidence: str
    seen: str


@dataclass(frozen=True)
class Identifier:
    system: str
    value: str
    note: str | None
    link: str | None  # built from the identifier itself, never a mirror's address
    provenance: Provenance


@dataclass(frozen=True)
class Publication:
    title: str | None
    type: str | None
    authors: str | None
    journal: str | None
    year: int | None
    volume: str | None
    pages: str | None
    doi: str | None
    pmid: str | None
    pmcid: str | None
    note: str | None
    links: tuple[tuple[str, str], ...]  # (label, url) built from doi/pmid/pmcid
    provenance: Provenance
    link_note: str | None = None  # how the paper was tied to the trial, when not by its number


@dataclass(frozen=True)
class FiledUnder:
    """Why a study sits under one of its mechanisms, and who says so (issue 16).

    ``by`` is "source" (then ``citation`` or ``provenance`` names it) or "editorial" (TrialTree's
    own classification, with neither)."""

    mechanism: str
    mechanism_name: str
    reason: str
    by: str
    citation: Citation | None = None
    provenance: Provenance | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"mechanism": self.mechanism, "mechanism_name": self.mechanism_name,
                                "reason": self.reason, "by": self.by}
        if self.citation is not None:
            data.update(source=self.citation.source_id, source_title=self.citation.title,
                        section=self.citation.section, url=self.citation.url)
        if self.provenance is not None:
            data.update(asdict(self.provenance))
        return data


@dataclass(frozen=True)
class ExternalFact:
    claim: str
    provenance: Provenance


@dataclass(frozen=True)
class CrossCheck:
    article_says: str
    source_says: str
    provenance: Provenance


@dataclass(frozen=True)
class RegistryStatus:
    text: str
    provenance: Provenance


@dataclass(frozen=True)
class Record:
    """Any record: its own fields in ``fields`` (seed field name → value) plus everything linked.

    ``fields`` keeps the seed names (``phase``, ``primary_endpoint``…) so the CLI's JSON and the
    detail pane speak the same vocabulary as the seed files.
    """

    id: str
    kind: str
    title: str
    summary: str
    fields: dict[str, Any]
    links: dict[str, tuple[Ref, ...]] = field(default_factory=dict)
    citations: tuple[Citation, ...] = ()
    identifiers: tuple[Identifier, ...] = ()
    publications: tuple[Publication, ...] = ()
    external_facts: tuple[ExternalFact, ...] = ()
    cross_checks: tuple[CrossCheck, ...] = ()
    registry_status: RegistryStatus | None = None
    filed_under: tuple[FiledUnder, ...] = ()

    def get(self, name: str, default: Any = None) -> Any:
        return self.fields.get(name, default)

    def short_title(self) -> str:
        """A study's short title when it differs from the official one ("" otherwise): the
        page's heading shows the official title under it only then."""
        short = (self.get("short_title") or "").strip()
        return "" if short.casefold() == self.title.strip().casefold() else short

    def display_title(self) -> str:
        """The name lists, columns and bookmarks use: the short title, else the official one."""
        return (self.get("short_title") or "").strip() or self.title

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict, the shape ``trialtree show --json`` prints."""
        data = asdict(self)
        data["links"] = {name: [asdict(ref) for ref in refs] for name, refs in self.links.items()}
        data["identifiers"] = [
            {"system": i.system, "id": i.value, "url": i.link, "note": i.note,
             "confidence": i.provenance.confidence, "source": asdict(i.provenance)}
            for i in self.identifiers]
        data["publications"] = [
            {"title": p.title, "type": p.type, "journal": p.journal, "year": p.year, "doi": p.doi,
             "pmid": p.pmid, "pmcid": p.pmcid, "url": p.links[0][1] if p.links else None,
             "link_note": p.link_note, "confidence": p.provenance.confidence, "source": asdict(p.provenance)}
            for p in self.publications]
        data["cross_checks"] = [
            {"article_says": c.article_says, "source_says": c.source_says,
             "source": c.provenance.url, "confidence": c.provenance.confidence,
             "kind": c.provenance.kind, "seen": c.provenance.seen}
            for c in self.cross_checks]
        data["filed_under"] = [entry.to_json() for entry in self.filed_under]
        return data


@dataclass(frozen=True)
class TreeNode:
    """One row of a grouping tree. ``key`` is unique in its tree and says how to find children."""

    key: str
    kind: str  # mechanism | treatment | study | person | institution | group
    title: str
    record_id: str | None
    count: int  # studies beneath this node (0 for a study)
    has_children: bool
    detail: str = ""  # a short second line, e.g. a study's status and phase
    crosschecked: bool = False  # a study where a primary source differs from the report


@dataclass(frozen=True)
class SearchHit:
    id: str
    kind: str
    title: str
    snippet: str  # plain text with matches between the markers in desktop.data.search
    score: float
