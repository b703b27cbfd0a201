"""Parts of a study's pane that say why it is filed where it is and what is not known (issue 16).

"Why it is filed here" gives, for each mechanism the study sits under, the reason in plain words
and who says so: a source (linked only when it is an official page, like every other source on
the pane; a mirror or news site is named as plain text, and a secondary one is marked
unconfirmed in words) or "TrialTree's own classification". A study that states no mechanism says
so. A thin record (a title and a number, little else) says what is not known instead of leaving
gaps. Kept apart from the record page so that it only calls in here.
"""

from __future__ import annotations

from typing import Any, Callable

from desktop.data.links import site_of, source_link
from desktop.data.records import FiledUnder, Record, Ref
from desktop.render.imported import is_imported
from desktop.render.labels import REPORT_SOURCE
from desktop.render.markup import Markup, esc, external_link, record_link

HEADING = "Why it is filed here"
EDITORIAL = "TrialTree's own classification"
USER_CHOICE = "Your own choice: you filed this imported study here."
RULE_CHOICE = ("TrialTree's own classification, by a filing rule (seeds/filing.toml); "
               "not the registry's.")
NO_MECHANISM = ("No mechanism is stated for this study, so TrialTree does not file it under one; "
                "it is listed under “No mechanism stated”.")
NOT_YET_FILED = ("No filing rule matched this imported study, and you have not filed it yet; "
                 "it is listed under “Not yet filed”.")
NOT_IN_REPORT = "Not given in the report"
NOT_IN_SOURCES = "Not found in the sources seen"
# What a reader wants to know of a trial, and how to name it when it is missing.
THIN_FIELDS = (("design", "how the study is designed"), ("enrollment", "how many people take part"),
               ("primary_endpoint", "what it measures"), ("result", "what it found"))
WAITING = ("ongoing", "enrolling", "planned")  # no result expected yet: not counted as missing
# An imported study: what the registry's own words (shown below, labelled) give for a field.
REGISTRY_GIVES = {"primary_endpoint": ("primary_outcomes", "secondary_outcomes")}


def not_given_text(record: Record) -> str:
    """What the key facts say for a missing value: the conference report's studies are based on
    the report; the registered trials on registry and journal pages."""
    if any(c.source_id == REPORT_SOURCE for c in record.citations):
        return NOT_IN_REPORT
    return NOT_IN_SOURCES


def add_filing(page: Any, record: Record) -> None:
    """Add the "Why it is filed here" section (and the thin-record note) to a study's page.

    :param page: the page builder (desktop.render.page.Page) (``section``, ``items``, ``paragraph``, ``text``).
    """
    if record.kind != "study":
        return
    missing = not_known(record)
    if missing:  # right under the key facts, whose gaps it explains
        # its own top margin: a bare paragraph right after a table is laid out over the
        # table's last pixels by Qt (the page-layout test caught it)
        note = thin_note(missing, is_imported(record))
        page.paragraph(Markup('<span class="note">' + esc(note) + "</span>"),
                       "after-table")
    page.section("filed-under", HEADING)
    if record.filed_under:
        page.items([filed_under_markup(entry, page.text, page.cite) for entry in record.filed_under])
    elif not record.links.get("mechanisms"):  # the tree's group for it says the same
        page.paragraph(NOT_YET_FILED if is_imported(record) else NO_MECHANISM)
    else:
        page.paragraph(Markup('<span class="note">No reason is recorded yet for where this study '
                              'is filed.</span>'))


def filed_under_markup(entry: FiledUnder, text: Callable[[Any], str] | None = None,
                       cite: Callable[[Any], str] | None = None) -> Markup:
    """One mechanism: its link, the reason, and who states it (as escaped markup)."""
    text = text or esc
    mechanism = record_link(Ref(entry.mechanism, "mechanism", entry.mechanism_name))
    return Markup(f"{mechanism}: {text(entry.reason)}<br>"
                  f"<span class=\"note\">{who_says(entry, cite)}</span>")


def who_says(entry: FiledUnder, cite: Callable[[Any], str] | None = None) -> Markup:
    """``stated by <source>`` (markup) or TrialTree's own classification. ``cite`` numbers the
    page a source was seen on (the pane's list of pages, issue 12); without it, the date is said."""
    from desktop.render.sources import is_unconfirmed as unsure, seen_on, source_mention

    if entry.by == "user":  # issue 17: an imported study the user filed
        return esc(USER_CHOICE)
    if entry.by == "rule":  # issue 17: a filing rule (seeds/filing.toml) matched the download
        return esc(RULE_CHOICE)
    if entry.by != "source":
        return esc(EDITORIAL + ".")
    if entry.citation is not None:
        c = entry.citation
        link = source_link(c.url) if c.url else None
        name = external_link(link, c.title)
        if link is None and c.url and site_of(c.url):
            name += f" ({esc(site_of(c.url))})"
        return Markup(f"Stated by {name}, section “{esc(c.section)}”.")
    if entry.provenance is not None:
        p = entry.provenance
        unconfirmed = unsure(p)
        when = f" {cite(p)}" if cite else f", as seen on {esc(seen_on(p.seen))}"
        said = f"Stated by {source_mention(p, unconfirmed)}{when}."
        if unconfirmed:
            return Markup('<span class="unconfirmed">Unconfirmed:</span> ' + said
                    + " A secondary source, not the original.")
        return Markup(said)
    return esc("Stated by a source.")


def not_known(record: Record) -> list[str]:
    """What a thin study record does not say ([] when it is not thin)."""
    if record.kind != "study" or record.publications:
        return []
    asked = [(name, words) for name, words in THIN_FIELDS
             if not (name == "result" and (record.get("status") in WAITING or record.get("outcome")))]
    missing = [words for name, words in asked if not _given(record, name)]
    return missing if len(missing) >= len(asked) - 1 else []  # at most one of them known


def _given(record: Record, name: str) -> bool:
    """The record has it, or (an imported study) the registry's own words on the page give it."""
    if record.get(name) not in (None, "", []):
        return True
    words = record.get("registry_text")
    return isinstance(words, dict) and any(words.get(key) for key in REGISTRY_GIVES.get(name, ()))


def thin_note(missing: list[str], imported: bool = False) -> str:
    listed = ", ".join(missing[:-1]) + (" or " if len(missing) > 1 else "") + missing[-1]
    seen = "The registry download says" if imported else "The pages seen say"
    return (f"{seen} little about this study. {'It does' if imported else 'They do'} not say "
            f"{listed}; TrialTree leaves these out rather than guess.")
