"""A printable one-page summary of chosen studies, for an appointment (issue 18; no Qt).

Built from the same pieces as the pane (the Page builder, the key facts, short titles, plain
labels, source names) with a print stylesheet: black on white whatever the theme, large plain
type, every registry number and DOI printed with its full address, since a printed link must be
readable. ``desktop.ui.print_summary`` lays it out on A4 or Letter paper; the Markdown for
e-mail (:func:`summary_markdown`) says the same in plain text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Sequence

from desktop.data.links import doi_link
from desktop.data.records import Provenance, Record
from desktop.data.vocabulary import OUTCOME_LABELS, STATUS_LABELS, long_date
from desktop.render.facts import KEY_FACTS, OTHER_SOURCES_GIVE
from desktop.render.labels import FIELD_LABELS, REPORT_SOURCE
from desktop.render.markup import Markup, capital, esc
from desktop.render.page import Page
from desktop.render.sources import source_name
from desktop.render.style import Colours, stylesheet

TITLE = "My trials and studies"
NOT_ADVICE = ("This is not medical advice. It is a summary of published and registered facts, "
              "to discuss with a clinician.")
MY_QUESTIONS = "My questions"
CHANGED = "Changed since you last looked"
# Later rules win over the pane's stylesheet: plain type, no tints, no underlined links.
PRINT_CSS = """
body { color: %(text)s; background-color: %(base)s; }
a { color: %(text)s; text-decoration: none; }
h1 { font-size: 16pt; margin-top: 0px; margin-bottom: 2px; }
h2 { font-size: 13pt; margin-top: 2px; margin-bottom: 0px; }
hr { margin-top: 4px; margin-bottom: 0px; }
p { margin-top: 0px; margin-bottom: 2px; }
.fact { font-weight: 700; padding-right: 8px; }
.footer { margin-top: 12px; font-size: 10pt; }
"""


@dataclass(frozen=True)
class SummaryStudy:
    """One study to print: its record, the user's note and what changed since they looked."""

    record: Record
    note: str = ""
    changes: Sequence[Any] = field(default_factory=tuple)  # desktop.data.seen_facts.FactChange


class _PrintPage(Page):
    """A Page that cites nothing: a printed page has no list of sources to point to."""

    def cite(self, provenance: Provenance) -> str:
        return ""


def one_line(text: str) -> str:
    """The first sentence of a plain summary, on one line."""
    text = " ".join(str(text or "").split())
    end = text.find(". ")
    return text[:end + 1] if end > 0 else text


def status_as_seen(record: Record) -> str:
    """Where the study stands, with whose word it is and when: the registry's status when a
    registry page was seen, else the report's, with its date."""
    status = STATUS_LABELS.get(record.get("status"), str(record.get("status") or ""))
    seen = record.registry_status
    if seen is not None:
        said = (f"{capital(source_name(seen.provenance))}, seen {long_date(seen.provenance.seen)}: "
                f"“{seen.text}”")
        return f"{status}. {said}" if status else said
    report = next((c for c in record.citations if c.date), None)
    if status and report is not None:
        whose = "the report" if report.source_id == REPORT_SOURCE else report.title
        return f"{status} (according to {whose} of {long_date(report.date)})"
    return status or "Not given"


def result_text(record: Record) -> str:
    """The overall result and the first sentence of what they found ("" when the sources give
    neither): the page keeps to about six studies; the pane has the rest."""
    outcome = OUTCOME_LABELS.get(record.get("outcome"), str(record.get("outcome") or ""))
    found = one_line(record.get("result") or "")
    return " — ".join(part for part in (outcome, found) if part)


def registry_numbers(record: Record) -> list[str]:
    """Each registry number once, with its full address when it has one."""
    lines: dict[str, str] = {}
    for identifier in record.identifiers:
        key = f"{identifier.system} {identifier.value}"
        if identifier.link or key not in lines:
            lines[key] = f"{key} — {identifier.link}" if identifier.link else key
    return list(lines.values())


def dois(record: Record) -> list[str]:
    """Each paper's DOI once, with its full https://doi.org address."""
    found = dict.fromkeys(p.doi for p in record.publications if p.doi)
    return [f"doi:{d} — {doi_link(d)}" if doi_link(d) else f"doi:{d}" for d in found]


def _fact_rows(page: Page, record: Record) -> list[tuple[str, Markup]]:
    """The pane's key facts, with the status as seen (dated) and the result said in full."""
    rows = [(label, value) for label, value in KEY_FACTS["study"](page, record)
            if label not in ("Where it stands", "Result") and value != OTHER_SOURCES_GIVE]
    rows.append(("Where it stands", esc(status_as_seen(record))))
    rows.append((FIELD_LABELS["result"][0], esc(result_text(record) or "Not known yet")))
    return rows


def _numbers(record: Record) -> list[tuple[str, list[str]]]:
    """Registry numbers and DOIs, each with its full address."""
    return [(label, lines) for label, lines in (("Registry numbers", registry_numbers(record)),
                                                ("Papers (DOI)", dois(record))) if lines]


def footer_text(data_date: str, made_on: date) -> str:
    when = f"Facts as last checked in the sources: {long_date(data_date)}. " if data_date else ""
    return f"{when}Made with TrialTree on {long_date(made_on.isoformat())}. {NOT_ADVICE}"


def summary_html(studies: Sequence[SummaryStudy], data_date: str, made_on: date | None = None,
                 footer: bool = True) -> str:
    """The whole summary as HTML for a QTextDocument; ``footer``: the data date and "not
    medical advice" at the end (off when the printer draws it on every page instead)."""
    made_on = made_on or date.today()
    page = _PrintPage(compact=True)  # tighter rows: about six studies to a page
    page.add(f"<h1>{esc(TITLE)}</h1>")
    for item in studies:
        record = item.record
        page.add(f"<hr><h2>{esc(record.display_title())}</h2>")
        if record.summary:
            page.paragraph(esc(one_line(record.summary)))
        page.facts_table(_fact_rows(page, record))
        for label, lines in _numbers(record):  # full width: a long address on one line
            page.paragraph(Markup(f"<b>{esc(label)}:</b> " + " · ".join(esc(n) for n in lines)))
        if item.changes:
            page.paragraph(Markup(f"<b>{esc(CHANGED)}:</b><br>" + "<br>".join(
                esc(change.sentence()) for change in item.changes)))
        if item.note.strip():
            lines = "<br>".join(esc(line) for line in item.note.strip().splitlines())
            page.paragraph(Markup(f"<b>{esc(MY_QUESTIONS)}:</b> {lines}"))
    if footer:
        page.paragraph(esc(footer_text(data_date, made_on)), css="footer")
    return page.html()


def print_colours() -> Colours:
    """Black on white, from resources/print_colours.toml (colours live in resource files)."""
    import tomllib

    from desktop import paths

    with open(paths.resources_dir() / "print_colours.toml", "rb") as file:
        return Colours(**tomllib.load(file))


def print_stylesheet() -> str:
    """The pane's stylesheet in the print colours, with larger plain print type."""
    colours = print_colours()
    return stylesheet(colours) + PRINT_CSS % {"text": colours.text, "base": colours.base}


def summary_markdown(studies: Sequence[SummaryStudy], data_date: str,
                     made_on: date | None = None) -> str:
    """The same summary as Markdown, for e-mail: the same facts, addresses written out."""
    made_on = made_on or date.today()
    lines = [f"# {TITLE}", ""]
    for item in studies:
        record = item.record
        lines += [f"## {_md(record.display_title())}", ""]
        if record.summary:
            lines += [_md(one_line(record.summary)), ""]
        page = _PrintPage()
        for label, value in _fact_rows(page, record):
            lines.append(f"- **{label}:** {_md(_plain(value))}")
        for label, numbers in _numbers(record):
            lines.append(f"- **{label}:** " + "; ".join(_md(n) for n in numbers))
        lines.append("")
        if item.changes:
            lines += [f"**{CHANGED}:**", ""] + [f"- {_md(c.sentence())}" for c in item.changes] + [""]
        if item.note.strip():
            lines += [f"**{MY_QUESTIONS}:**", ""]
            lines += [f"> {_md(line)}".rstrip() for line in item.note.strip().splitlines()] + [""]
    lines += ["---", "", _md(footer_text(data_date, made_on))]
    return "\n".join(lines) + "\n"


def _plain(markup: str) -> str:
    """Markup from the fact builders as plain text (tags dropped, entities read)."""
    import html
    import re

    text = re.sub(r"<br\s*/?>", "; ", markup)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", text)).split())


def _md(text: str) -> str:
    """Plain text that Markdown shows as written (its markup characters escaped)."""
    out = []
    for char in str(text):
        out.append("\\" + char if char in "\\`*_[]<>#|" else char)
    return "".join(out)
