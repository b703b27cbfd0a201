"""An imported study's parts of the page (no Qt, issue 17): where it came from, what changed
since an earlier download, and the registry's own words, labelled as theirs and kept apart from
our summary. An imported study also gets two actions ("File under a mechanism…", "Remove this
imported study…") as ``trialtree-import:ACTION/ID`` links, which the pane hands to the window.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from desktop.data.schema import study_id
from desktop.data.vocabulary import REGISTRY_WORDS_LABEL, readable_date
from desktop.data.records import Record
from desktop.render.markup import Markup, esc, external_link

IMPORT_SCHEME = "trialtree-import"
ACTIONS = {"file": "File under a mechanism…", "remove": "Remove this imported study…"}
PROVENANCE_HEADING = "Where this study came from"
CHANGES_HEADING = "What changed"
WORDS_HEADING = "The registry's own words"
UNSEEN = "new since you last looked"
IMPORTED_ORIGIN = "ClinicalTrials.gov download"  # how an imported study's origin line begins


def import_href(action: str, record_id: str) -> str:
    return f"{IMPORT_SCHEME}:{action}/{record_id}"


def parse_import_href(path: str) -> tuple[str, str] | None:
    """``file/nct…`` → ("file", "nct…"); None for anything else."""
    action, _, record_id = path.partition("/")
    return (action, record_id) if action in ACTIONS and record_id else None


def is_imported(record: Record) -> bool:
    """A study the user imported (not a curated study with a registry download attached)."""
    origin = str(record.get("imported_from") or "")
    return (record.kind == "study" and origin.startswith(IMPORTED_ORIGIN)
            and record.id == study_id(record.id))


def changed_fields_line(changes: Sequence[Mapping[str, Any]]) -> str:
    """Plain words for the Bookmarks panel: "Changed since you last looked: status, enrollment"."""
    fields = list(dict.fromkeys(str(c.get("field", "")) for c in changes if c.get("field")))
    return f"Changed since you last looked: {', '.join(fields)}" if fields else ""


def _value(text: Any) -> Markup:
    return esc(text) if text not in (None, "") else Markup('<span class="note">not given</span>')


def _registry_dates(change: Mapping[str, Any]) -> Markup:
    return esc(f"{readable_date(change.get('old_registry_update'))} → "
               f"{readable_date(change.get('new_registry_update'))}")


def changes_table(changes: Sequence[Mapping[str, Any]]) -> Markup:
    """Field, before, after and both registry dates, a change not yet seen flagged in words."""
    rows = []
    for change in changes:
        flag = "" if change.get("seen") else f'<br><span class="unconfirmed">{esc(UNSEEN)}</span>'
        rows.append(f'<tr><td class="fact" valign="top">{esc(change.get("field", ""))}{flag}</td>'
                    f'<td valign="top">{_value(change.get("old"))}</td>'
                    f'<td valign="top">{_value(change.get("new"))}</td>'
                    f'<td valign="top">{_registry_dates(change)}</td></tr>')
    head = ('<tr><td class="fact">Field</td><td class="fact">Before</td><td class="fact">After</td>'
            '<td class="fact">Registry updates (before → after)</td></tr>')
    return Markup('<table cellspacing="0" cellpadding="4">' + head + "".join(rows) + "</table>")


def add_provenance(page: Any, record: Record) -> None:
    """Where the study (or its attached download) came from, any changes a newer download made,
    and, for an imported study, the ways to file it or remove it."""
    origin = record.get("imported_from")
    if record.kind != "study" or not origin:
        return
    changes = [c for c in record.get("changes") or [] if isinstance(c, Mapping)]
    page.section("imported", PROVENANCE_HEADING)
    page.paragraph(esc(f"{origin}."))
    unseen = sum(1 for c in changes if not c.get("seen"))
    if unseen:
        page.paragraph(Markup('<span class="unconfirmed">'
                              + esc(f"{unseen} change{'s' if unseen > 1 else ''} {UNSEEN}")
                              + "</span> (see “What changed”)."))
    if is_imported(record):
        page.paragraph(Markup(" · ".join(f'<a href="{esc(import_href(key, record.id))}">{esc(text)}</a>'
                                         for key, text in _actions(record))))
    if changes:
        page.section("what-changed", CHANGES_HEADING)
        page.paragraph(Markup('<span class="note">A newer registry download changed these fields. '
                              "The dates are the registry's own last-update dates, before and "
                              "after.</span>"))
        page.add(changes_table(changes))


def _actions(record: Record) -> list[tuple[str, str]]:
    """Filing is offered while the study is not filed, or filed by the user (to change it); a
    study a rule filed can still be filed under another mechanism too."""
    by = {entry.by for entry in record.filed_under}
    filing = ACTIONS["file"] if not by or by == {"user"} else "File under another mechanism too…"
    return [("file", filing), ("remove", ACTIONS["remove"])]


def add_registry_words(page: Any, record: Record) -> None:
    """The registry's brief summary, outcome measures and conditions, under a heading and a
    label that say they are the registry's words, not ours."""
    text = record.get("registry_text")
    if record.kind != "study" or not isinstance(text, Mapping) or not text:
        return
    page.section("registry-words", WORDS_HEADING)
    page.paragraph(Markup(f'<span class="note">{esc(text.get("label") or REGISTRY_WORDS_LABEL)}. '
                          "Quoted as the registry gives it.</span>"))
    if text.get("brief_summary"):
        page.label("Brief summary (registry's words)")
        page.add(f'<table width="100%" cellpadding="6" cellspacing="0"><tr><td class="side">'
                 f"{esc(text['brief_summary'])}</td></tr></table>")
    for key, label in (("primary_outcomes", "Primary outcome measures (registry's words)"),
                       ("secondary_outcomes", "Secondary outcome measures (registry's words)")):
        items = [_outcome(o) for o in text.get(key) or [] if isinstance(o, Mapping) and o.get("measure")]
        if items:
            page.label(label)
            page.items(items)
    if text.get("registry_conditions"):
        page.label("Conditions (registry's words)")
        page.paragraph(esc(", ".join(map(str, text["registry_conditions"]))))


DOWNLOAD_LABEL = "The registry download this page is based on"


def download_lines(record: Record) -> list[Markup]:
    """An imported study's sources, for "Where this comes from": the file the user imported and
    when, and the registry record it copies (its canonical link); [] for any other record."""
    download = record.get("download")
    if record.kind != "study" or not isinstance(download, Mapping) or not download:
        return []
    lines = []
    when = f", imported {readable_date(download['imported_on'])}" if download.get("imported_on") else ""
    if download.get("file"):
        lines.append(esc(f"Your ClinicalTrials.gov download “{download['file']}”{when}."))
    elif when:
        lines.append(esc(f"A ClinicalTrials.gov download{when}."))
    if download.get("registry_id"):
        lines.append(Markup("The registry record: "
                            + external_link(download.get("url"),
                                            f"ClinicalTrials.gov {download['registry_id']}")))
    return lines


def _outcome(outcome: Mapping[str, Any]) -> Markup:
    when = f' <span class="note">— {esc(outcome["timeFrame"])}</span>' if outcome.get("timeFrame") else ""
    return Markup(esc(outcome["measure"]) + when)
