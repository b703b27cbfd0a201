"""Pages that are not records (no Qt): a message, the glossary, a reference sheet."""

from __future__ import annotations

from typing import Any, Sequence

from desktop.data.records import Ref
from desktop.render.markup import Markup, esc, record_href
from desktop.render.page import Page, ref_markup


def message_html(title: str, text: str, links: Sequence[Ref] = ()) -> str:
    """A calm page for something that is not a record: a welcome, a group, a problem."""
    page = Page()
    page.title(title)
    for paragraph in text.split("\n\n"):
        page.paragraph(esc(paragraph))
    page.items([ref_markup(ref) for ref in links])
    return page.html()


def glossary_html(glossary: Any) -> str:
    """Every glossary term with its plain definition; each term links to its own page."""
    page = Page()
    page.title("Glossary", ["Plain words for the terms the pages use"])
    page.paragraph(Markup('<span class="note">In the pages, these terms are marked: point at '
                          "one, or move to it with Tab, to see what it means.</span>"))
    terms = sorted(glossary.terms.values(), key=lambda t: t.term.casefold())
    page.add("".join(f'<p><a href="{esc(record_href(t.id))}"><b>{esc(t.term)}</b></a>: '
                     f"{esc(t.definition)}</p>" for t in terms))
    return page.html()


def sheet_html(title: str, intro: str, groups: Sequence[tuple[str, Sequence[tuple[str, str]]]]) -> str:
    """A reference sheet: per group, rows of (keys, what they do) — e.g. the keyboard shortcuts.
    One table for all groups, so the columns line up."""
    page = Page()
    page.title(title)
    if intro:
        page.paragraph(esc(intro))
    rows = []
    for heading, entries in groups:
        if entries:
            rows.append(f'<tr><td colspan="2" class="group">{esc(heading)}</td></tr>')
            rows += [f'<tr><td class="fact" valign="top">{esc(keys)}</td><td valign="top">'
                     f"{esc(what)}</td></tr>" for keys, what in entries]
    page.add('<table cellspacing="0" cellpadding="4">' + "".join(rows) + "</table>")
    return page.html()


# ---- the widget ----------------------------------------------------------------------------
