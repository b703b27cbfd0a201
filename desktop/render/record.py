"""A whole record as a page (no Qt): the title, the plain summary, the key facts, then the full
record in folding sections, and at the end where it all comes from. Every field of the seeds
shows somewhere, so nothing in them is hidden."""

from __future__ import annotations

from typing import Any, Iterable

from desktop.data.records import Record
from desktop.data.vocabulary import KIND_LABELS, OUTCOME_LABELS, STATUS_LABELS, STUDY_KIND_LABELS
from desktop.data.evidence import Evidence
from desktop.render.evidence import add_evidence
from desktop.render.facts import KEY_FACT_FIELDS, KEY_FACTS
from desktop.render.filing import add_filing
from desktop.render.imported import add_provenance, add_registry_words
from desktop.render.labels import LINK_LABELS, PHASE_NOTES
from desktop.render.markup import Markup
from desktop.render.markup import value_markups
from desktop.render.page import Page
from desktop.render.sources import external_records, restated_by, sources

# Study fields in reading order, by section (the summary and the key facts come first).
STUDY_SECTIONS: list[tuple[str, tuple[str, ...]]] = [
    ("how", ("design", "phase", "blinding", "control", "duration")),
    ("who-took-part", ("population", "enrollment", "conditions")),
    ("measured", ("primary_endpoint", "secondary_endpoints")),
    ("happened", ("status", "status_note", "result", "outcome", "facts")),
]
STUDY_AFTER = ("kind", "funding", "countries", "caveats", "acronym", "year", "short_title")
HIDDEN_FIELDS = ("kind", "studies_beneath",  # shown in their own way, never as a plain field
                 "imported_from", "registry_text", "changes", "download")  # render.imported
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    "mechanism": ("detail", "aliases"),
    "treatment": ("kind", "class", "target", "route", "approved_for", "aliases"),
    "person": ("title", "degrees", "aliases"),
    "institution": ("kind", "city", "region", "country", "aliases"),
    "term": ("aliases",),
}


def field_value(record: Record, name: str) -> Any:
    """A field's value as shown: a few coded values get their plain words."""
    value = record.get(name)
    if value is None:
        return None
    if name == "kind" and record.kind == "study":
        return STUDY_KIND_LABELS.get(value, value)
    if name == "status":
        return STATUS_LABELS.get(value, value)
    if name == "outcome":
        return OUTCOME_LABELS.get(value, value)
    if name == "phase":
        note = PHASE_NOTES.get(str(value))
        return f"Phase {value}" + (f" — {note}" if note else "")
    if name == "enrollment":
        return f"{value} people"
    return value



def record_html(record: Record, glossary: Any = None, folded: Iterable[str] = (),
                compact: bool = False, evidence: Evidence | None = None) -> str:
    """The whole page for one record of any kind: summary, key facts, then the full record.

    :param glossary: terms to mark in the text (none marked without it): anything with ``find``
        and ``terms`` like ``desktop.ui.glossary_marker.Glossary``.
    :param folded: keys of the sections to show folded (see SECTION_HEADINGS).
    :param compact: large text on a small screen: a study's official title and meta line go
        after the key facts, and the key facts are tighter, so the heading, the summary and the
        key facts fit on the first screen (issue 12, defect 2).
    :param evidence: a mechanism's evidence at a glance (issue 19), shown under its summary.
    """
    page = Page(glossary, folded, own_id=record.id if record.kind == "term" else "",
                compact=compact)
    kind_label = KIND_LABELS.get(record.kind, record.kind)
    if record.kind == "study":
        short = record.short_title()
        official, meta = (record.title if short else ""), _study_meta(record)
        page.title(short or record.title, *(() if compact else (meta, official)))
    else:
        page.title(record.title, [kind_label])
    page.lead(record.summary)
    if evidence is not None:  # a mechanism: its key facts merged in, each count said once
        add_evidence(page, evidence, record if record.kind == "mechanism" else None)
    if record.kind in KEY_FACTS and not (evidence is not None and record.kind == "mechanism"):
        page.section("key-facts", "At a glance")
        page.facts_table(KEY_FACTS[record.kind](page, record))
    if record.kind == "study" and compact:
        page.subtitle(official, meta, "after-table")  # its own top margin (see add_filing)
    shown = set(KEY_FACT_FIELDS.get(record.kind, ()))
    if record.kind == "study":
        add_filing(page, record)  # why it is filed here; what is not known (issue 16)
        add_provenance(page, record)  # an imported study: where from, what changed (issue 17)
        restated = restated_by(record)
        external_records(page, record, skip=[f for facts in restated.values() for f in facts])
        for key, names in STUDY_SECTIONS:
            names = tuple(n for n in names if n not in shown)
            if any(record.get(n) not in (None, "", []) for n in names):
                page.section(key)
                for name in names:
                    page.field(name, field_value(record, name))
                    if name in restated and record.get(name):
                        cites = " ".join(dict.fromkeys(page.cite(f.provenance)
                                                       for f in restated[name]))
                        page.paragraph(Markup(f'<span class="note">The same figures were '
                                              f"seen on {cites}.</span>"))
            shown.update(names)
        add_registry_words(page, record)  # labelled, apart from our own text (issue 17)
        _links(page, record, ("treatments", "mechanisms"), "tested")
        people, places = record.links.get("people", ()), record.links.get("institutions", ())
        if people or places or record.get("funding") or record.get("countries"):
            page.section("who-ran-it")
            page.links(LINK_LABELS["study"]["people"], people)
            page.links(LINK_LABELS["study"]["institutions"], places)
            page.field("countries", record.get("countries"))
            page.field("funding", record.get("funding"))
        if record.get("caveats"):
            page.section("keep-in-mind")
            page.items(value_markups(record.get("caveats"), page.text))
        shown.update(STUDY_AFTER)
        _rest(page, record, shown)
    else:
        names = tuple(n for n in KIND_FIELDS.get(record.kind, ()) if n not in shown)
        if any(record.get(n) for n in names):
            page.section("about")
            for name in names:
                page.field(name, field_value(record, name))
        _links(page, record, tuple(LINK_LABELS.get(record.kind, {})), "connections")
        _rest(page, record, shown | set(names))
        external_records(page, record)
    sources(page, record)
    return page.html()


def _study_meta(record: Record) -> list[str]:
    """The line under a study's titles: kind, status, phase, year and acronym, each only once
    (the acronym not when the short title already says it)."""
    acronym = record.get("acronym") or ""
    if acronym and acronym.casefold() in record.short_title().casefold():
        acronym = ""
    return [STUDY_KIND_LABELS.get(record.get("kind"), KIND_LABELS["study"]),
            STATUS_LABELS.get(record.get("status"), "").split(" (")[0],
            f"Phase {record.get('phase')}" if record.get("phase") else "",
            str(record.get("year") or ""), acronym]


def _links(page: Page, record: Record, names: tuple[str, ...], key: str) -> None:
    labels = LINK_LABELS.get(record.kind, {})
    if not any(record.links.get(n) for n in names):
        return
    page.section(key)
    for name in names:
        page.links(labels.get(name, (name.capitalize(), "")), record.links.get(name, ()))
    for name, refs in record.links.items():  # a link kind we have no label for yet
        if name not in labels:
            page.links((name.replace("_", " ").capitalize(), ""), refs)


def _rest(page: Page, record: Record, shown: set[str]) -> None:
    """Any field without a place above still shows, so nothing in the seeds is hidden."""
    rest = [n for n in record.fields if n not in shown and n not in HIDDEN_FIELDS
            and record.get(n) not in (None, "", [])]
    if rest:
        page.section("more")
        for name in rest:
            page.field(name, field_value(record, name))
