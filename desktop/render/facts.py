"""A record's key facts (no Qt): the few rows under the summary ("At a glance") that say what a
study tested, in whom, how many, where it stands and what it found, or what a treatment or a
mechanism is. The result itself is said once, in full, under "What happened" (issue 12)."""

from __future__ import annotations

import re

from desktop.data.records import Record
from desktop.data.vocabulary import (KIND_LABELS, OUTCOME_LABELS, STATUS_LABELS,
                                     STUDY_KIND_LABELS, plural)
from desktop.render.filing import not_given_text
from desktop.render.labels import REPORT_SOURCE
from desktop.render.markup import Markup, capital, esc, record_link
from desktop.render.page import Page
from desktop.render.sources import is_unconfirmed, seen_on, source_name

NOT_KNOWN_YET = "Not known yet"
SEE_BELOW = "See “What happened” below"
OTHER_SOURCES_GIVE = "Not in the report; other sources give a number below"
# A number of people, as the seeds write it: "15,579 people", "10 patients", "80 people with…".
HEADCOUNT = re.compile(r"\b\d[\d,]*\s+(?:[\w-]+\s+){0,3}?(?:people|patients|participants|adults|"
                       r"women|men|controls|cases|volunteers|children)\b", re.IGNORECASE)
WAITING_STATUSES = ("ongoing", "enrolling", "planned")


def _study_facts(page: Page, record: Record) -> list[tuple[str, Markup]]:
    """What, in whom, how many, where it stands, and what it found."""
    not_given = not_given_text(record)  # "in the report", or in the registry pages seen
    treatments = record.links.get("treatments", ())
    if treatments:
        what = Markup(", ".join(record_link(ref) for ref in treatments))
        if record.get("control"):
            what = Markup(f"{what}, compared with {page.text(record.get('control'))}")
    else:
        what = esc(STUDY_KIND_LABELS.get(record.get("kind"), KIND_LABELS["study"]))
    population = record.get("population")
    conditions = record.get("conditions") or []
    if population:
        whom = page.text(population)
    elif conditions:
        whom = Markup("People with " + page.text(" or ".join(conditions)))
    else:
        whom = esc(not_given)
    status = record.get("status")
    where = esc(STATUS_LABELS.get(status, status or not_given))
    if status and record.registry_status:  # two statuses: say whose each is, and when
        where = _two_statuses(page, record, where)
    outcome = record.get("outcome")
    if outcome and record.get("result"):  # the result itself is said once, under What happened
        label = OUTCOME_LABELS.get(outcome, outcome).split(":")[0]
        result = esc(f"{label} — see “What happened”")
    elif outcome:
        result = esc(OUTCOME_LABELS.get(outcome, outcome))
    elif record.get("result"):
        result = esc(SEE_BELOW)
    elif status in WAITING_STATUSES:
        result = esc(NOT_KNOWN_YET)
    else:
        result = esc(not_given)
    rows = [("What", what), ("In whom", whom)]
    many = _how_many(record, not_given)
    if page.compact and many and _says_how_many(str(record.get("population") or ""), many):
        many = ""  # large text: "In whom" already gives the number; the first screen is full
    if many:
        rows.append(("How many", esc(many)))
    return rows + [("Where it stands", where), ("Result", result)]


def _how_many(record: Record, not_given: str) -> str:
    """How many took part, or "" when "In whom" already gives the numbers (never "not given"
    for a number the page states elsewhere)."""
    if record.get("enrollment"):
        return f"{record.get('enrollment')} people"
    if HEADCOUNT.search(str(record.get("population") or "")):
        return ""
    elsewhere = [record.registry_status.text] if record.registry_status else []
    elsewhere += [fact.claim for fact in record.external_facts]
    if any(HEADCOUNT.search(text) for text in elsewhere):
        return OTHER_SOURCES_GIVE
    return not_given


def _says_how_many(population: str, many: str) -> bool:
    """True when ``population`` states the number ``many`` gives ("151 adults…", "151 people")."""
    number = many.split()[0]
    return number[:1].isdigit() and any(m.group(0).startswith(number + " ")
                                        for m in HEADCOUNT.finditer(population))


def _two_statuses(page: Page, record: Record, status: str) -> Markup:
    """The report's status and the one a registry (or other page) showed, each with its source
    and date, so a reader sees which is which instead of two facts that seem to disagree."""
    report = next((c for c in record.citations if c.source_id == REPORT_SOURCE), None)
    if report is None:  # a registered trial (issue 16): no report speaks of it
        said = f"{status}, according to the pages seen"
    else:
        said = f"{status}, according to the report"
        if report.date:
            said += f" ({esc(seen_on(report.date))})"
    seen = record.registry_status
    doubt = " (unconfirmed)" if is_unconfirmed(seen.provenance) else ""
    where = esc(capital(source_name(seen.provenance)) + doubt)
    # A compact page (large text) quotes the status's first words; the whole line is under the
    # registry numbers (see sources.external_records), so the key facts fit the first screen.
    quoted = brief_status(seen.text) if page.compact else seen.text
    return Markup(f"{said}.<br>{where}, seen on {esc(seen_on(seen.provenance.seen))}: "
                  f"“{esc(quoted)}” {page.cite(seen.provenance)}")


def brief_status(text: str) -> str:
    """A registry status line's first words: "Completed (first posted …)" → "Completed"."""
    return text.split(" (")[0].strip() or text


def _treatment_facts(page: Page, record: Record) -> list[tuple[str, Markup]]:
    rows = []
    what = record.get("class") or record.get("kind")
    if what:
        rows.append(("What it is", page.text(what)))
    if record.get("target"):
        rows.append(("What it acts on", page.text(record.get("target"))))
    if record.get("route"):
        rows.append(("How it is given", page.text(record.get("route"))))
    if record.get("approved_for"):
        rows.append(("Already approved for", page.text(", ".join(record.get("approved_for")))))
    studies = record.links.get("studies", ())
    rows.append(("Tested in", esc(plural(len(studies), "trial or study", "trials and studies")
                                  + " here" if studies else "No trial here yet")))
    return rows


def _mechanism_facts(page: Page, record: Record) -> list[tuple[str, Markup]]:
    rows = []
    parent = record.links.get("parent", ())
    if parent:
        rows.append(("Part of", record_link(parent[0])))
    treatments = record.links.get("treatments", ())
    rows.append(("Aimed at it", esc(plural(len(treatments), "treatment", "treatments"))))
    rows.append(("Trials and studies", esc(mechanism_studies_text(record))))
    return rows


def mechanism_studies_text(record: Record) -> str:
    """The count the tree shows beside a mechanism (every study in its area, narrower mechanisms
    included), and how many are filed directly under it (the list under "Connections")."""
    direct = len(record.links.get("studies", ()))
    beneath = record.get("studies_beneath")
    beneath = direct if beneath is None else int(beneath)
    if beneath == 0:
        return "None here yet"
    area = plural(beneath, "trial or study", "trials and studies") + " in this area"
    if direct == beneath:
        return area
    under = "none" if direct == 0 else str(direct)
    return f"{area} ({under} filed directly under it)"


KEY_FACTS = {"study": _study_facts, "treatment": _treatment_facts, "mechanism": _mechanism_facts}
KEY_FACT_FIELDS = {"study": ("population", "enrollment", "status", "outcome"),
                   "treatment": ("class", "target", "route", "approved_for")}


# ---- whole pages ---------------------------------------------------------------------------
