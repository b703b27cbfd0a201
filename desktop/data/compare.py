"""Two to four studies side by side: one row per key fact, with the rows where they differ marked.

Plain Python (no Qt), so the compare window, ``trialtree compare`` and the tests read the same
table. The words are the pane's: status and result labels come from vocabulary, dates are
written out, and a status seen on a registry page says where and when it was seen.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from desktop.data.links import site_of
from desktop.data.records import Record
from desktop.data.vocabulary import OUTCOME_LABELS, STATUS_LABELS, long_date

MIN_STUDIES, MAX_STUDIES = 2, 4
# The pane's wording for a missing fact (desktop.ui.filing_section.NOT_IN_SOURCES).
NOT_GIVEN = "Not found in the sources seen"
# (key, row label): the order a reader weighs a trial in.
FACTS: tuple[tuple[str, str], ...] = (
    ("tested", "What is tested"),
    ("control", "Compared against"),
    ("whom", "In whom"),
    ("how_many", "How many took part"),
    ("design", "Design and stage of testing (phase)"),
    ("status", "Where it stands"),
    ("primary_outcome", "What they measured first (primary outcome)"),
    ("result", "What they found"),
    ("mechanism", "What it is aimed at, and why it is filed there"),
    ("registry", "Registry numbers"),
    ("sources", "Sources"),
)


class CompareError(ValueError):
    """The studies asked for cannot be compared (too few, too many, not studies)."""


@dataclass(frozen=True)
class CompareRow:
    key: str
    label: str
    values: tuple[str, ...]  # one per study, in column order; NOT_GIVEN when missing
    differs: bool


@dataclass(frozen=True)
class Comparison:
    ids: tuple[str, ...]
    titles: tuple[str, ...]  # short titles, for column headers
    rows: tuple[CompareRow, ...]

    def to_json(self) -> dict:
        return {"studies": [{"id": i, "title": t} for i, t in zip(self.ids, self.titles)],
                "rows": [{"key": r.key, "label": r.label, "differs": r.differs,
                          "values": list(r.values)} for r in self.rows]}


def compare(records: Sequence[Record]) -> Comparison:
    """The comparison of ``records`` (2 to 4 studies, in the order given)."""
    if not MIN_STUDIES <= len(records) <= MAX_STUDIES:
        raise CompareError(f"compare needs {MIN_STUDIES} to {MAX_STUDIES} studies, "
                           f"not {len(records)}")
    for record in records:
        if record.kind != "study":
            raise CompareError(f"{record.id!r} is a {record.kind}, not a study")
    if len({r.id for r in records}) != len(records):
        raise CompareError("the same study is named twice")
    cells = [study_facts(r) for r in records]
    rows = []
    for key, label in FACTS:
        values = tuple(c[key] or NOT_GIVEN for c in cells)
        rows.append(CompareRow(key, label, values, differs=_differ(values)))
    return Comparison(tuple(r.id for r in records), tuple(r.display_title() for r in records),
                      tuple(rows))


def _differ(values: Sequence[str]) -> bool:
    return len({" ".join(v.split()).casefold() for v in values}) > 1


def study_facts(record: Record) -> dict[str, str]:
    """Each key fact of one study as plain text ("" when the sources do not give it)."""
    treatments = record.links.get("treatments", ())
    population = record.get("population") or ""
    conditions = record.get("conditions") or []
    if not population and conditions:
        population = "People with " + " or ".join(conditions)
    design = record.get("design") or ""
    phase = record.get("phase")
    if phase:
        design = "; ".join(p for p in (design, f"phase {phase}") if p)
    enrollment = record.get("enrollment")
    return {
        "tested": ", ".join(ref.title for ref in treatments),
        "control": str(record.get("control") or ""),
        "whom": population,
        "how_many": f"{enrollment} people" if enrollment else "",
        "design": design,
        "status": _status(record),
        "primary_outcome": str(record.get("primary_endpoint") or ""),
        "result": _result(record),
        "mechanism": _filing(record),
        "registry": "\n".join(dict.fromkeys(f"{i.system} {i.value}" for i in record.identifiers)),
        "sources": "\n".join(_citation(c) for c in record.citations),
    }


def _status(record: Record) -> str:
    status = record.get("status")
    lines = []
    if status:
        said = STATUS_LABELS.get(status, status)
        report = next((c for c in record.citations if c.date), None)
        if record.registry_status is not None:
            said += ", according to the report" + (f" ({long_date(report.date)})" if report else "")
        lines.append(said)
    seen = record.registry_status
    if seen is not None:
        where = site_of(seen.provenance.url) or seen.provenance.kind
        unconfirmed = " (unconfirmed)" if seen.provenance.confidence != "primary" else ""
        lines.append(f"As seen on {where}{unconfirmed} on {long_date(seen.provenance.seen)}: "
                     f"“{seen.text}”")
    return "\n".join(lines)


def _result(record: Record) -> str:
    outcome = record.get("outcome")
    parts = [OUTCOME_LABELS.get(outcome, outcome)] if outcome else []
    if record.get("result"):
        parts.append(str(record.get("result")))
    return "\n".join(parts)


def _filing(record: Record) -> str:
    if record.filed_under:
        lines = []
        for entry in record.filed_under:
            who = ("TrialTree's own classification" if entry.by == "editorial" else
                   f"per {entry.citation.title}" if entry.citation is not None else
                   f"per {site_of(entry.provenance.url)}" if entry.provenance is not None else "")
            lines.append(f"{entry.mechanism_name}: {entry.reason}" + (f" ({who})" if who else ""))
        return "\n".join(lines)
    return ", ".join(ref.title for ref in record.links.get("mechanisms", ()))


def _citation(citation) -> str:
    where = ", ".join(part for part in (citation.outlet, long_date(citation.date)
                                        if citation.date else None) if part)
    return citation.title + (f" ({where})" if where else "")


def as_text(comparison: Comparison) -> str:
    """The comparison as plain text for a terminal: per row, the label, then each study's value;
    rows that differ say so in words."""
    out = [f"Comparing {len(comparison.ids)} studies:"]
    out += [f"  [{n}] {title} ({rid})" for n, (rid, title)
            in enumerate(zip(comparison.ids, comparison.titles), 1)]
    for row in comparison.rows:
        out.append("")
        out.append(row.label + ("  (differs)" if row.differs else "  (the same)"))
        for n, value in enumerate(row.values, 1):
            text = value.replace("\n", "\n      ")
            out.append(f"  [{n}] {text}")
    return "\n".join(out)
