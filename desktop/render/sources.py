"""Where a page's facts come from (no Qt): the report, registry and journal pages, copies and
mirrors, each named in words; a link only to an official page (``desktop.data.links``).

A fact seen on a mirror, a proxy, a copy or any other site names that site as plain text, with
no link, and a copy of an official page is called a copy. Facts from registries and journals
(issue 9) say where and when they were seen; those from secondary sources say in words that
they are unconfirmed.
"""

from __future__ import annotations

import ipaddress
import re
from collections import OrderedDict
from typing import TYPE_CHECKING, Sequence
from urllib.parse import urlsplit

from desktop.data.links import site_of, source_link
from desktop.data.records import (Citation, CrossCheck, ExternalFact, Identifier, Provenance,
                                  Publication, Record)
from desktop.data.vocabulary import long_date
from desktop.render.imported import DOWNLOAD_LABEL, download_lines
from desktop.render.labels import (MIRROR_KINDS, REPORT_SOURCE, SITE_NAMES, SOURCE_COPY_LABELS,
                                    SOURCE_KIND_LABELS)
from desktop.render.markup import (Markup, capital, capital_markup, esc, external_link,
                                    value_markups)

if TYPE_CHECKING:
    from desktop.render.page import Page

# Kinds of page run by the body itself: on a site name of its own, it is that body's page.
OWN_SITE_KINDS = frozenset({"institution", "funder"})
FIGURES = re.compile(r"\d+(?:[.,]\d+)*%?")  # the figures a fact gives: 151, 26.0%, 0.22
RESTATABLE_FIELDS = ("result", "design", "duration", "primary_endpoint", "secondary_endpoints")


def seen_on(value: str) -> str:
    """``2026-11-29`` → ``29 November 2026`` (any other text as it is)."""
    return long_date(value)


def source_kind(kind: str) -> str:
    """How a page kind is named mid-sentence: ``news`` → ``a news report``."""
    return SOURCE_KIND_LABELS.get(kind, f"a {kind.replace('-', ' ')} page")


def _on_its_own_site(provenance: Provenance) -> bool:
    """An institution's or funder's page served under a site name (not a bare IP address) is on
    that body's own site: who runs a site is what the kind records. A registry, a journal or
    PubMed has one known home (OFFICIAL_SITES), so a page of theirs elsewhere is a copy."""
    host = site_of(provenance.url) if provenance.url else ""
    if provenance.kind not in OWN_SITE_KINDS or not host:
        return False
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return True
    return False


def _claims_another_home(provenance: Provenance) -> bool:
    """A page of an official kind that is neither on the official site nor on its own."""
    return (provenance.kind in SOURCE_COPY_LABELS and source_link(provenance.url) is None
            and not _on_its_own_site(provenance))


def is_copy(provenance: Provenance) -> bool:
    """True when the page is a copy of another one: a mirror, a proxy or a passed-on PDF, or a
    page of an official kind (``pmc``, ``publisher``…) whose address is not the official site."""
    return provenance.kind in MIRROR_KINDS or _claims_another_home(provenance)


def source_name(provenance: Provenance) -> str:
    """The page a fact was seen on, named mid-sentence, without its address: ``the trial
    registry``, or ``a copy of the PubMed Central article`` when the page only claims to be one."""
    if _claims_another_home(provenance):
        return SOURCE_COPY_LABELS[provenance.kind]
    if source_link(provenance.url) is not None:
        site = site_of(provenance.url)
        for known, name in SITE_NAMES.items():
            if site == known or site.endswith("." + known):
                return name
    return source_kind(provenance.kind)


def source_mention(provenance: Provenance, unconfirmed_said: bool = False,
                   note: str = "") -> Markup:
    """Where a fact was seen, as markup: a link to an official page, else the page named with its
    site as plain text (``a copy of the registry entry at meddatax.com (unconfirmed)``), never a
    link to an address we cannot vouch for. ``unconfirmed_said``: the sentence already says it;
    ``note``: a few words about the page, put in the same brackets."""
    name = source_name(provenance)
    link = source_link(provenance.url) if provenance.url else None
    asides = [note] if note else []
    if link is not None:
        markup = external_link(link, name)
    else:
        site = site_of(provenance.url) if provenance.url else ""
        markup = esc(f"{name} at {site}" if site else name)
        # A verbatim copy that the fact file vetted as primary is named, not doubted.
        if is_copy(provenance) and is_unconfirmed(provenance) and not unconfirmed_said:
            asides.insert(0, "unconfirmed")
    return Markup(markup + (f" ({esc('; '.join(asides))})" if asides else ""))



def _citation(citation: Citation) -> Markup:
    parts = [citation.outlet, citation.author, citation.date]
    link = source_link(citation.url) if citation.url else None
    if link is None and citation.url and site_of(citation.url):
        parts.append(site_of(citation.url))  # where it is, as words (no link to an unknown site)
    details = ", ".join(esc(x) for x in parts if x)
    title = external_link(link, citation.title)
    where = f" ({details})" if details else ""
    return Markup(f"{title}{where}<br><span class=\"note\">Section: “{esc(citation.section)}”</span>")


# ---- facts from registries and journals (issue 9) -------------------------------------------


def is_unconfirmed(provenance: Provenance) -> bool:
    return provenance.confidence != "primary"


def seen_page(provenance: Provenance) -> Markup:
    """One line of the list of pages: the page named (linked when official, its site otherwise)
    and the day it was seen."""
    where = source_mention(provenance, False)
    if source_link(provenance.url) is not None:
        where += f' <span class="note">({esc(site_of(provenance.url))})</span>'
    return Markup(f"{capital_markup(where)}, seen on {esc(seen_on(provenance.seen))}.")


def provenance_note(page: Page, provenance: Provenance) -> Markup:
    """The number of the page a fact was seen on, and, in words, when it is unconfirmed."""
    number = page.cite(provenance)
    if is_unconfirmed(provenance):
        return Markup(f'<span class="unconfirmed">Unconfirmed:</span> <span class="note">a '
                      f'secondary source, not the original</span> {number}')
    return number


def _identifier_groups(identifiers: Sequence[Identifier]) -> list[list[Identifier]]:
    """Identifiers grouped by (system, value): one number seen on two pages is shown once."""
    groups: OrderedDict[tuple[str, str], list[Identifier]] = OrderedDict()
    for identifier in identifiers:
        key = (identifier.system.strip().lower(), identifier.value.strip())
        groups.setdefault(key, []).append(identifier)
    return list(groups.values())


def _identifier_markup(page: Page, group: list[Identifier]) -> Markup:
    first = group[0]
    link = next((i.link for i in group if i.link), None)  # built from the number, canonical
    number = external_link(link, first.value)
    unconfirmed = all(is_unconfirmed(i.provenance) for i in group)
    cited = " ".join(dict.fromkeys(page.cite(i.provenance) for i in group))
    notes = [n for n in dict.fromkeys(i.note for i in group if i.note)]  # each note once
    note = f' <span class="note">({esc("; ".join(notes))})</span>' if notes else ""
    if unconfirmed:
        status = (f'<br><span class="unconfirmed">Unconfirmed:</span> <span class="note">seen only '
                  f'on a secondary source</span> {cited}')
    else:
        status = f" {cited}"
    return Markup(f"<b>{esc(first.system)}</b>: {number}{note}{status}")


def _publication(page: Page, p: Publication) -> Markup:
    head = f"<b>{esc(p.title)}</b>" if p.title else esc(p.type or "Publication")
    where = ", ".join(esc(x) for x in (p.journal, p.year, p.volume, p.pages) if x)
    parts = [head]
    if where:
        parts.append(where)
    if p.authors:
        parts.append(f'<span class="note">{esc(p.authors)}</span>')
    if p.note:
        parts.append(f'<span class="note">{page.text(p.note)}</span>')
    if p.link_note:  # how this paper was tied to the trial (issue 16)
        parts.append(f'<span class="note">How it is linked to this trial: '
                     f'{page.text(p.link_note)}</span>')
    numbers = {"DOI": p.doi, "PubMed": p.pmid, "PMC": p.pmcid}
    links = " · ".join(external_link(url, f"{label} {numbers.get(label) or ''}".strip())
                       for label, url in p.links)
    if links:
        parts.append(links)
    parts[-1] += " " + provenance_note(page, p.provenance)
    return Markup("<br>".join(parts))


def _cross_check(page: Page, record: Record, check: CrossCheck) -> Markup:
    other = capital(source_name(check.provenance))
    return Markup('<table width="100%" cellspacing="4" cellpadding="8"><tr>'
                  f'<td class="side" width="50%" valign="top"><p class="label">The report says</p>'
                  f"<p>{page.text(check.article_says)}</p></td>"
                  f'<td class="side" width="50%" valign="top"><p class="label">{esc(other)} says</p>'
                  f"<p>{page.text(check.source_says)} {provenance_note(page, check.provenance)}</p></td>"
                  "</tr></table>")


def restated_by(record: Record) -> dict[str, list[ExternalFact]]:
    """Facts from registries and journals that only restate a field's figures, by field: the
    page states those figures once, in the field, with the pages they were also seen on."""
    restated: dict[str, list[ExternalFact]] = {}
    for fact in record.external_facts:
        figures = FIGURES.findall(fact.claim)
        if is_unconfirmed(fact.provenance) or len(figures) < 2:
            continue
        for name in RESTATABLE_FIELDS:
            value = " ".join(str(v) for v in value_markups(record.get(name) or []))
            if value and all(re.search(rf"(?<![\d.]){re.escape(f)}(?![\d.])", value)
                             for f in figures):
                restated.setdefault(name, []).append(fact)
                break
    return restated


def external_records(page: Page, record: Record, skip: Sequence[ExternalFact] = ()) -> None:
    """Identifiers, publications, cross-checks and other facts from registries and journals."""
    groups = _identifier_groups(record.identifiers)
    # A study's key facts already give both statuses side by side (see facts._two_statuses),
    # the registry's in full unless a compact page quoted only its first words.
    in_key_facts = record.kind == "study" and bool(record.get("status"))
    status_here = record.registry_status is not None and (not in_key_facts or (
        page.compact and " (" in record.registry_status.text))
    if groups or status_here:
        page.section("identifiers")
        if status_here:
            status = record.registry_status
            # Named from the page it was seen on: a hospital's page or a forum is no registry.
            page.label(f"Status as seen on {source_name(status.provenance)}")
            said = is_unconfirmed(status.provenance)
            mark = '<span class="unconfirmed">Unconfirmed:</span> ' if said else ""
            page.paragraph(Markup(f"{mark}“{page.text(status.text)}”<br><span class=\"note\">"
                           f"Seen on {esc(seen_on(status.provenance.seen))}; it may have changed "
                           f"since.</span> {page.cite(status.provenance)}"))
        if groups:
            page.label("Registry numbers", "identifiers")
            page.items([_identifier_markup(page, group) for group in groups])
    if record.publications:
        page.section("publications")
        page.items([_publication(page, p) for p in record.publications])
    if record.cross_checks:
        page.section("cross-checked")
        page.paragraph(Markup('<span class="note">Where another source differs from, or adds '
                              'to, the report this page is based on, both are shown side by '
                              'side.</span>'))
        for check in record.cross_checks:
            page.add(_cross_check(page, record, check))
    if any(f not in skip for f in record.external_facts):
        page.section("external")
        page.items([Markup(f"{page.text(f.claim)} {provenance_note(page, f.provenance)}")
                    for f in record.external_facts if f not in skip])


def sources(page: Page, record: Record) -> None:
    """The report the page is based on, then every page a fact was seen on, once, by number."""
    seen = list(page.seen.values())
    download = download_lines(record)  # an imported study: the file and the registry record
    if record.citations or seen or download:
        page.section("sources")
    if record.citations:
        page.label(sources_heading(record))
        page.items([_citation(c) for c in record.citations])
    if download:
        page.label(DOWNLOAD_LABEL)
        page.items(download)
    if seen:
        page.label("Pages the numbered facts were seen on")
        lines = _told_apart([(key[0], markup) for key, (number, markup) in page.seen.items()])
        page.add("<p>" + "<br>".join(f"[{number}] {line}" for (number, _), line
                                     in zip(seen, lines)) + "</p>")


def _told_apart(pages: list[tuple[str, str]]) -> list[str]:
    """The lines of the pages list, (address, line) each; lines that would read the same (two
    pages of one site) say which page: the site named with the page's path, shortened."""
    shown = [re.sub(r"<[^>]+>", "", line) for _, line in pages]  # what the reader sees
    told = [line for _, line in pages]
    for index, (url, line) in enumerate(pages):
        site = esc(site_of(url)) if url else ""
        if site and shown.count(shown[index]) > 1 and site in line:
            twins = {u for (u, _), text in zip(pages, shown) if text == shown[index]}
            short = {short_path(u) for u in twins}
            path = short_path(url) if len(short) == len(twins) else urlsplit(url).path
            before, _, after = line.rpartition(site)  # the site as read, not in the link
            told[index] = before + esc(site_of(url) + path) + after
    return told


def short_path(url: str, limit: int = 40) -> str:
    """The part of ``url`` after the site; when longer than ``limit`` characters, only its last
    part (what tells two pages of one site apart): "/…/paxlc-study"."""
    path = urlsplit(url).path.rstrip("/") or "/"
    if len(path) <= limit:
        return path
    return "/…/" + path.rsplit("/", 1)[-1]


def sources_heading(record: Record) -> str:
    """What the citations are: the conference report when the record cites it, else sources."""
    if any(c.source_id == REPORT_SOURCE for c in record.citations):
        return "The report this page is based on"
    return "The sources this page is based on"
