"""Evidence at a glance for one mechanism: what sits beneath it, by phase and by result.

Counts the studies filed under a mechanism or any mechanism below it, exactly as the tree does
(each study once). Every count keeps the ids of the studies behind it, so a reader can go from a
number to the studies. Plain Python, no Qt: the map, the mechanism pane and the CLI share it.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

# A study's `outcome` (seeds/README.md) put in plain words. A small or uncontrolled promising
# study is an "early signal", never "helped"; a review, a platform or a genetic study tests no
# treatment, so it gets a bucket of its own instead of being counted as a result.
RESULTS = (
    ("helped", "Helped", ("positive",)),
    ("early-signal", "Early signal", ("early-signal",)),
    ("mixed", "Mixed result", ("mixed",)),
    ("did-not-help", "Did not help", ("negative",)),
    ("no-result-yet", "No result yet", ("pending", None)),
    ("not-a-treatment-test", "Not a test of a treatment (reviews, genetic and other studies)", ("not-applicable",)),
)
TRIAL_KINDS = ("trial", "pilot")  # tests of a treatment in people; the rest are "other studies"
NO_PHASE = "No phase given"

_BENEATH = ("WITH RECURSIVE sub(id) AS (SELECT ? UNION SELECT m.id FROM mechanisms m JOIN sub "
            "ON m.parent_id = sub.id) SELECT s.id, s.kind, s.phase, s.enrollment, s.outcome "
            "FROM studies s WHERE s.id IN (SELECT study_id FROM study_mechanisms "
            "WHERE mechanism_id IN (SELECT id FROM sub)) ORDER BY s.position")


@dataclass(frozen=True)
class Count:
    """One line of the evidence: a label and the studies behind it."""

    key: str
    label: str
    study_ids: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.study_ids)

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "label": self.label, "count": self.count, "studies": list(self.study_ids)}


@dataclass(frozen=True)
class Evidence:
    """What the studies beneath one mechanism add up to."""

    mechanism_id: str
    study_ids: tuple[str, ...]          # every study beneath, once (the tree's count)
    trial_ids: tuple[str, ...]          # of those, trials and pilot trials in people
    other_ids: tuple[str, ...]          # reviews, genetic, observational, lab studies, platforms
    enrolled: int                       # people enrolled, summed over the studies that say
    enrollment_known: tuple[str, ...]
    enrollment_unknown: tuple[str, ...]
    by_phase: tuple[Count, ...]
    by_result: tuple[Count, ...]

    @property
    def total(self) -> int:
        return len(self.study_ids)

    def enrolled_text(self) -> str:
        """'412 people enrolled (2 studies give no number)' or that no study gives a number."""
        if not self.enrollment_known:
            return "No study here gives a number of people enrolled" if self.study_ids else ""
        text = f"{self.enrolled:,} people enrolled in {_studies(len(self.enrollment_known))}"
        missing = len(self.enrollment_unknown)
        if missing:
            text += f" ({_studies(missing)} give{'s' if missing == 1 else ''} no number)"
        return text

    def to_json(self) -> dict[str, Any]:
        return {
            "studies_beneath": self.total, "studies": list(self.study_ids),
            "trials": {"count": len(self.trial_ids), "studies": list(self.trial_ids)},
            "other_studies": {"count": len(self.other_ids), "studies": list(self.other_ids)},
            "enrolled": {"total": self.enrolled, "studies_with_number": list(self.enrollment_known),
                         "studies_without_number": list(self.enrollment_unknown)},
            "by_phase": [c.to_json() for c in self.by_phase],
            "by_result": [c.to_json() for c in self.by_result],
        }


def _studies(n: int) -> str:
    return "1 study" if n == 1 else f"{n} studies"


def mechanism_evidence(conn: sqlite3.Connection, mechanism_id: str) -> Evidence:
    """The evidence beneath ``mechanism_id`` (empty if nothing is filed there)."""
    rows = conn.execute(_BENEATH, (mechanism_id,)).fetchall()
    ids = tuple(r[0] for r in rows)
    phases: dict[str, list[str]] = {}
    for sid, _, phase, _, _ in rows:
        phases.setdefault(phase or "", []).append(sid)
    by_phase = tuple(Count(p or "none", f"Phase {p}" if p else NO_PHASE, tuple(phases[p]))
                     for p in sorted(phases, key=lambda p: (p == "", p)))
    by_result = tuple(Count(key, label, tuple(r[0] for r in rows if r[4] in outcomes))
                      for key, label, outcomes in RESULTS)
    by_result = tuple(c for c in by_result if c.study_ids)
    known = tuple(r[0] for r in rows if r[3] is not None)
    return Evidence(
        mechanism_id=mechanism_id, study_ids=ids,
        trial_ids=tuple(r[0] for r in rows if r[1] in TRIAL_KINDS),
        other_ids=tuple(r[0] for r in rows if r[1] not in TRIAL_KINDS),
        enrolled=sum(int(r[3]) for r in rows if r[3] is not None),
        enrollment_known=known,
        enrollment_unknown=tuple(sid for sid in ids if sid not in known),
        by_phase=by_phase, by_result=by_result)


def for_library(library, mechanism_id: str) -> Evidence:
    """The evidence from an open :class:`desktop.data.library.Library`."""
    return mechanism_evidence(library._conn, mechanism_id)  # read-only; the library owns the connection


def evidence_line(evidence: Evidence) -> str:
    """One plain line: trials, people enrolled, results (for a tooltip or a status line)."""
    if not evidence.study_ids:
        return "No trials or studies filed here yet."
    parts = [f"{len(evidence.trial_ids)} trials, {len(evidence.other_ids)} other studies"]
    if evidence.enrolled_text():
        parts.append(evidence.enrolled_text())
    parts.append("results: " + ", ".join(f"{c.label.lower()} {c.count}" for c in evidence.by_result))
    return "; ".join(parts) + "."


# ---- the studies behind each count, by address -----------------------------------------------

LIST_PREFIX = "evidence/"  # a page listing the studies behind one count: evidence/MECHANISM/KEY


def linked_counts(evidence: Evidence) -> tuple[Count, ...]:
    """Every count the mechanism pane links, each keyed so an address can name it: the key
    finds the same studies again (:func:`count_for`), so a number always leads to its studies."""
    return (Count("all", "Trials and studies", evidence.study_ids),
            Count("trials", "Trials", evidence.trial_ids),
            Count("other", "Other studies", evidence.other_ids),
            Count("enrolled", "Studies that give a number of people enrolled", evidence.enrollment_known),
            Count("no-number", "Studies that give no number of people enrolled",
                  evidence.enrollment_unknown),
            *(Count(f"phase-{c.key}", f"Studies in {c.label.lower()}" if c.key != "none"
                    else "Studies with no phase given", c.study_ids) for c in evidence.by_phase),
            *(Count(f"result-{c.key}", f"Studies with the result “{c.label}”", c.study_ids)
              for c in evidence.by_result))


def count_for(evidence: Evidence, key: str) -> Count | None:
    """The count ``key`` names (see :func:`linked_counts`), or None if there is no such count."""
    return next((c for c in linked_counts(evidence) if c.key == key), None)


def list_id(mechanism_id: str, key: str) -> str:
    """The address of the page listing the studies behind one count (kept in the history like a
    record id, so Back returns to it)."""
    return f"{LIST_PREFIX}{mechanism_id}/{key}"


def parse_list_id(text: str) -> tuple[str, str] | None:
    """(mechanism id, count key) from :func:`list_id`'s address; None for anything else."""
    if not text.startswith(LIST_PREFIX):
        return None
    mechanism_id, _, key = text[len(LIST_PREFIX):].partition("/")
    return (mechanism_id, key) if mechanism_id and key else None
