"""The detail pane: a record rendered as HTML for a QTextBrowser.

This is the one place where record text becomes markup, so it is the one place that escapes it:
every string that comes from a record passes through :func:`esc` (seed text is plain text, and a
``<script>`` in it must show as those characters). Links to other records use the internal
``trialtree:ID`` scheme; http(s) links open in the system browser and never load here. Colours
come from the widget's palette, so a theme only has to change the palette.

A page reads in small pieces (issue 6): the title, a one-line plain summary, a few key facts,
and only then the full record in sections whose headings fold and unfold them
(``trialtree-toggle:KEY`` links; the folded keys are remembered by the window). Glossary terms
in the text become links to their glossary page, with the plain definition on hover and on
keyboard focus. Facts from registries and journals (issue 9) say where and when they were seen,
and those from secondary sources say in words that they are unconfirmed.

A link to the web goes only to an official page (``desktop.data.links.source_link``) or to an
address built from an identifier; a fact seen on a mirror, a proxy, a copy or any other site
names that site as plain text, with no link, and a copy of an official page is called a copy.
"""

from __future__ import annotations

import html
import re
from collections import OrderedDict
from typing import Any, Callable, Iterable, Sequence

from PySide6.QtCore import QEvent, QPoint, QRect, Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import (QColor, QCursor, QDesktopServices, QFocusEvent, QFontMetrics,
                           QGuiApplication, QHelpEvent, QPalette, QTextCharFormat, QTextCursor)
from PySide6.QtWidgets import QApplication, QTextBrowser, QToolTip, QWidget

from desktop.data.links import site_of, source_link
from desktop.data.records import (Citation, CrossCheck, ExternalFact, Identifier, Provenance,
                                  Publication, Record, Ref)
from desktop.ui.field_labels import (FIELD_LABELS, KIND_LABELS, LINK_LABELS, MIRROR_KINDS,
                                     OUTCOME_LABELS, PHASE_NOTES, SECTION_HEADINGS,
                                     SITE_NAMES, SOURCE_COPY_LABELS, SOURCE_KIND_LABELS,
                                     STATUS_LABELS,
                                     STUDY_KIND_LABELS)
from desktop.ui.filing_section import add_filing, not_given_text
from desktop.data.study_words import long_date
from desktop.ui.glossary_marker import Glossary

SCHEME = "trialtree"
TOGGLE_SCHEME = "trialtree-toggle"
EXTERNAL_SCHEMES = ("http", "https")

# Study fields in reading order, by section (the summary and the key facts come first).
STUDY_SECTIONS: list[tuple[str, tuple[str, ...]]] = [
    ("how", ("design", "phase", "blinding", "control", "duration")),
    ("who-took-part", ("population", "enrollment", "conditions")),
    ("measured", ("primary_endpoint", "secondary_endpoints")),
    ("happened", ("status", "status_note", "result", "outcome", "facts")),
]
STUDY_AFTER = ("kind", "funding", "countries", "caveats", "acronym", "year", "short_title")
HIDDEN_FIELDS = ("kind", "studies_beneath")  # shown in their own way, never as a plain field
TEXT_SCALE = 1.15  # the pane reads a little larger than the lists around it
COMPACT_ZOOM = 1.75  # from this text size on, the pane is laid out compactly
TERM_TINT = 0.16  # how much of the accent colour tints a glossary term's background
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    "mechanism": ("detail", "aliases"),
    "treatment": ("kind", "class", "target", "route", "approved_for", "aliases"),
    "person": ("title", "degrees", "aliases"),
    "institution": ("kind", "city", "region", "country", "aliases"),
    "term": ("aliases",),
}
TOOLTIP_CHARACTERS = 50  # a definition's tooltip wraps at about this many characters
TIP_GAP = 4  # pixels between a focused link and the tooltip kept off it
NOT_GIVEN = "Not given in the report"
NOT_KNOWN_YET = "Not known yet"
SEE_BELOW = "See “What happened” below"
OTHER_SOURCES_GIVE = "Not in the report; other sources give a number below"
# A number of people, as the seeds write it: "15,579 people", "10 patients", "80 people with…".
HEADCOUNT = re.compile(r"\b\d[\d,]*\s+(?:[\w-]+\s+){0,3}?(?:people|patients|participants|adults|"
                       r"women|men|controls|cases|volunteers|children)\b", re.IGNORECASE)
WAITING_STATUSES = ("ongoing", "enrolling", "planned")
FIGURES = re.compile(r"\d+(?:[.,]\d+)*%?")  # the figures a fact gives: 151, 26.0%, 0.22
RESTATABLE_FIELDS = ("result", "design", "duration", "primary_endpoint", "secondary_endpoints")


def esc(value: Any) -> str:
    """Record text as HTML text: the only escaping function, used for every value shown."""
    return html.escape(str(value), quote=True)


def record_href(record_id: str) -> str:
    return f"{SCHEME}:{record_id}"


def record_link(ref: Ref) -> str:
    return f'<a href="{esc(record_href(ref.id))}">{esc(ref.title)}</a>'


def is_external(url: str | None) -> bool:
    return bool(url) and QUrl(url).scheme().lower() in EXTERNAL_SCHEMES


def external_link(url: str | None, text: str) -> str:
    """A link that opens in the web browser, or just the text if the address is not http(s)."""
    if not is_external(url):
        return esc(text)
    return f'<a href="{esc(url)}">{esc(text)}</a>&nbsp;↗'


def seen_on(value: str) -> str:
    """``2026-11-29`` → ``29 November 2026`` (any other text as it is)."""
    return long_date(value)


def source_kind(kind: str) -> str:
    """How a page kind is named mid-sentence: ``news`` → ``a news report``."""
    return SOURCE_KIND_LABELS.get(kind, f"a {kind.replace('-', ' ')} page")


def is_copy(provenance: Provenance) -> bool:
    """True when the page is a copy of another one: a mirror, a proxy or a passed-on PDF, or a
    page of an official kind (``pmc``, ``publisher``…) whose address is not the official site."""
    return provenance.kind in MIRROR_KINDS or (provenance.kind in SOURCE_COPY_LABELS
                                                and source_link(provenance.url) is None)


def source_name(provenance: Provenance) -> str:
    """The page a fact was seen on, named mid-sentence, without its address: ``the trial
    registry``, or ``a copy of the PubMed Central article`` when the page only claims to be one."""
    if provenance.kind in SOURCE_COPY_LABELS and source_link(provenance.url) is None:
        return SOURCE_COPY_LABELS[provenance.kind]
    if source_link(provenance.url) is not None:
        site = site_of(provenance.url)
        for known, name in SITE_NAMES.items():
            if site == known or site.endswith("." + known):
                return name
    return source_kind(provenance.kind)


def source_mention(provenance: Provenance, unconfirmed_said: bool = False, note: str = "") -> str:
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
        if is_copy(provenance) and _unconfirmed(provenance) and not unconfirmed_said:
            asides.insert(0, "unconfirmed")
    return markup + (f" ({esc('; '.join(asides))})" if asides else "")


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def term_tooltip(term: str, definition: str, width: int = 0) -> str:
    """The rich text shown on hover or focus of a glossary term (rich text wraps, plain text does
    not); ``width`` in pixels keeps long definitions from wrapping into a narrow column."""
    body = f"<b>{esc(term)}</b>: {esc(definition)}"
    if width <= 0:
        return f"<p>{body}</p>"
    return (f'<table width="{int(width)}" cellspacing="0" cellpadding="0"><tr><td>{body}</td>'
            "</tr></table>")


# ---- styles from the palette ---------------------------------------------------------------


def _blend(one: QColor, other: QColor, amount: float) -> str:
    """``amount`` of ``one`` over ``other``: a tint that stays readable in every theme."""
    mix = [round(a * amount + b * (1 - amount)) for a, b in
           zip(one.getRgb()[:3], other.getRgb()[:3])]
    return QColor(*mix).name()


def _zoom_factor(font) -> float:
    """How many times larger ``font`` is than the application's font at 100%."""
    from desktop.ui.zoom import base_font

    base = base_font()
    if font.pointSizeF() > 0 and base.pointSizeF() > 0:
        return font.pointSizeF() / base.pointSizeF()
    if font.pixelSize() > 0 and base.pixelSize() > 0:
        return font.pixelSize() / base.pixelSize()
    return 1.0


def stylesheet(palette: QPalette, compact: bool = False) -> str:
    """CSS for the pane, every colour taken from ``palette`` (so themes only set palettes).
    ``compact`` (large text): headings and the summary no larger than the text, tighter gaps, so
    the title, the plain summary and the key facts still fit on a 1280x800 screen at 200%."""
    role = QPalette.ColorRole
    text = palette.color(role.Text).name()
    muted = palette.color(role.PlaceholderText).name()
    link = palette.color(role.Link).name()
    lead_bg = palette.color(role.AlternateBase).name()
    term_bg = _blend(palette.color(role.Accent), palette.color(role.Base), TERM_TINT)
    css = f"""
body {{ color: {text}; }}
a {{ color: {link}; }}
a.gloss {{ color: {text}; background-color: {term_bg}; text-decoration: none; }}
a.toggle {{ color: {text}; text-decoration: none; }}
h1 {{ font-size: large; font-weight: 700; margin-top: 4px; margin-bottom: 2px; }}
h2 {{ font-size: medium; font-weight: 700; margin-top: 18px; margin-bottom: 4px; }}
p {{ margin-top: 2px; margin-bottom: 6px; }}
ul {{ margin-top: 0px; margin-bottom: 6px; }}
li {{ margin-bottom: 6px; }}
.official {{ font-size: medium; margin-top: 0px; margin-bottom: 4px; }}
.meta {{ color: {muted}; margin-bottom: 10px; }}
.lead {{ font-size: large; background-color: {lead_bg}; padding: 8px; }}
.label {{ font-weight: 600; margin-top: 8px; margin-bottom: 0px; }}
.term {{ color: {muted}; font-weight: normal; font-size: small; }}
.note {{ color: {muted}; }}
.unconfirmed {{ font-weight: 600; }}
.after-table {{ margin-top: 12px; }}
.fact {{ font-weight: 600; padding-right: 12px; }}
.side {{ background-color: {lead_bg}; }}
.folded {{ color: {muted}; font-weight: normal; font-size: medium; }}
.group {{ font-size: large; font-weight: 700; padding-top: 16px; }}
"""
    if compact:  # later rules win
        css += """
h1 { font-size: medium; margin-top: 0px; }
h2 { margin-top: 10px; }
.official { font-size: small; }
.meta { font-size: small; margin-bottom: 4px; }
.lead { font-size: medium; padding: 2px; }
.fact { padding-right: 4px; }
"""
    return css


# ---- building pages ------------------------------------------------------------------------


class _Page:
    """Collects the HTML of one page; every text it is given is escaped on the way in.

    Text given through :meth:`text` also has its glossary terms marked, the first time each
    term occurs in a section. A section whose key is folded shows only its heading.
    """

    def __init__(self, glossary: Glossary | None = None, folded: Iterable[str] = (),
                 own_id: str = "") -> None:
        self.parts: list[str] = []
        self.glossary = glossary
        self.folded = frozenset(folded)
        self.own_id = own_id
        self._hidden = False
        self._marked: set[str] = set()
        # Pages facts were seen on, numbered in the order first cited: key → (number, markup).
        self.seen: OrderedDict[tuple[str, str, str, str], tuple[int, str]] = OrderedDict()

    def cite(self, provenance: Provenance) -> str:
        """A small ``[n]`` naming the page ``provenance`` was seen on; the pages are listed once,
        numbered, at the end of the page (issue 12: a source note under every fact crowded it)."""
        if self._hidden:
            return ""
        key = (provenance.url, provenance.kind, provenance.confidence, provenance.seen)
        if key not in self.seen:
            self.seen[key] = (len(self.seen) + 1, _seen_page(provenance))
        return f'<span class="note">[{self.seen[key][0]}]</span>'

    def html(self) -> str:
        return "<html><body>" + "".join(self.parts) + "</body></html>"

    def add(self, markup: str) -> None:
        if not self._hidden:
            self.parts.append(markup)

    def text(self, value: Any) -> str:
        """``value`` escaped, with the first mention of each glossary term (in this section) as a
        link to its page; the definition rides along as the link's title."""
        text = str(value)
        if self.glossary is None or self._hidden:
            return esc(text)
        out, position = [], 0
        for start, end, term_id in self.glossary.find(text):
            if term_id == self.own_id or term_id in self._marked:
                continue
            self._marked.add(term_id)
            term = self.glossary.terms[term_id]
            out.append(esc(text[position:start]))
            out.append(f'<a class="gloss" href="{esc(record_href(term_id))}" '
                       f'title="{esc(term.term)}: {esc(term.definition)}">'
                       f"{esc(text[start:end])}</a>")
            position = end
        out.append(esc(text[position:]))
        return "".join(out)

    def title(self, text: str, meta: Iterable[str] = (), official: str = "") -> None:
        """The heading; ``official`` (a study's registry title, when it has a shorter name) goes
        under it, smaller, before the meta line."""
        self.add(f"<h1>{esc(text)}</h1>")
        if official:
            self.add(f'<p class="official">{esc(official)}</p>')
        meta = [m for m in meta if m]
        if meta:
            self.add(f'<p class="meta">{" · ".join(esc(m) for m in meta)}</p>')

    def lead(self, text: str) -> None:
        if text:
            self._marked = set()
            self.add(f'<table width="100%" cellpadding="10" cellspacing="0"><tr>'
                     f'<td class="lead">{self.text(text)}</td></tr></table>')

    def section(self, key: str, heading: str | None = None) -> None:
        """Start a section: ``key`` names it in the settings when folded; a key that is not in
        SECTION_HEADINGS (such as the key facts) gives a heading that does not fold."""
        self._hidden = False
        self._marked = set()
        heading = heading or SECTION_HEADINGS.get(key, key)
        if key not in SECTION_HEADINGS:
            self.add(f"<h2>{esc(heading)}</h2>")
            return
        folded = key in self.folded
        mark, hint = ("▸", "Show this section") if folded else ("▾", "Hide this section")
        more = ' <span class="folded">(hidden)</span>' if folded else ""
        self.add(f'<h2><a class="toggle" href="{esc(TOGGLE_SCHEME)}:{esc(key)}" '
                 f'title="{esc(hint)}">{mark}&nbsp;{esc(heading)}</a>{more}</h2>')
        self._hidden = folded

    def label(self, plain: str, term: str = "") -> None:
        extra = f' <span class="term">· {esc(term)}</span>' if term else ""
        self.add(f'<p class="label">{esc(plain)}{extra}</p>')

    def paragraph(self, markup: str, css: str = "") -> None:
        """``markup`` must already be escaped (built with esc/text/record_link/external_link)."""
        attribute = f' class="{css}"' if css else ""
        self.add(f"<p{attribute}>{markup}</p>")

    def items(self, markups: Sequence[str]) -> None:
        """Already-escaped items: one as a paragraph, several as a list."""
        if len(markups) == 1:
            self.paragraph(markups[0])
        elif markups:
            self.add("<ul>" + "".join(f"<li>{m}</li>" for m in markups) + "</ul>")

    def field(self, name: str, value: Any, label: tuple[str, str] | None = None) -> None:
        if value in (None, "", [], ()):
            return
        plain, term = label or FIELD_LABELS.get(name, (name.replace("_", " ").capitalize(), ""))
        self.label(plain, term)
        self.items(_value_markups(value, self.text))

    def links(self, label: tuple[str, str], refs: Sequence[Ref]) -> None:
        if refs:
            self.label(*label)
            self.items([_ref_markup(ref) for ref in refs])

    def facts_table(self, rows: Sequence[tuple[str, str]]) -> None:
        """Key facts as label/value rows; values are already-escaped markup."""
        if rows:
            self.add('<table cellspacing="0" cellpadding="4">' + "".join(
                f'<tr><td class="fact" valign="top">{esc(label)}</td><td valign="top">{value}</td></tr>'
                for label, value in rows) + "</table>")


def _value_markups(value: Any, text: Callable[[Any], str] = esc) -> list[str]:
    if isinstance(value, (list, tuple)):
        return [m for item in value for m in _value_markups(item, text)]
    if isinstance(value, dict):
        return [f"{esc(k.replace('_', ' '))}: {text(v)}" for k, v in value.items()
                if v not in (None, "")]
    return [text(value)]


def _ref_markup(ref: Ref) -> str:
    role = f' <span class="note">— {esc(ref.role)}</span>' if ref.role else ""
    return record_link(ref) + role


def _field_value(record: Record, name: str) -> Any:
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


def _citation(citation: Citation) -> str:
    parts = [citation.outlet, citation.author, citation.date]
    link = source_link(citation.url) if citation.url else None
    if link is None and citation.url and site_of(citation.url):
        parts.append(site_of(citation.url))  # where it is, as words (no link to an unknown site)
    details = ", ".join(esc(x) for x in parts if x)
    title = external_link(link, citation.title)
    where = f" ({details})" if details else ""
    return f"{title}{where}<br><span class=\"note\">Section: “{esc(citation.section)}”</span>"


# ---- facts from registries and journals (issue 9) -------------------------------------------


def _unconfirmed(provenance: Provenance) -> bool:
    return provenance.confidence != "primary"


def _seen_page(provenance: Provenance) -> str:
    """One line of the list of pages: the page named (linked when official, its site otherwise)
    and the day it was seen."""
    where = source_mention(provenance, False)
    if source_link(provenance.url) is not None:
        where += f' <span class="note">({esc(site_of(provenance.url))})</span>'
    return f"{_capital_markup(where)}, seen on {esc(seen_on(provenance.seen))}."


def _capital_markup(markup: str) -> str:
    """The first letter of the visible text in capitals (markup may start with a tag)."""
    if markup.startswith("<a "):
        end = markup.index(">") + 1
        return markup[:end] + _capital(markup[end:])
    return _capital(markup)


def _provenance_note(page: _Page, provenance: Provenance) -> str:
    """The number of the page a fact was seen on, and, in words, when it is unconfirmed."""
    number = page.cite(provenance)
    if _unconfirmed(provenance):
        return (f'<span class="unconfirmed">Unconfirmed:</span> <span class="note">a secondary '
                f'source, not the original</span> {number}')
    return number


def _identifier_groups(identifiers: Sequence[Identifier]) -> list[list[Identifier]]:
    """Identifiers grouped by (system, value): one number seen on two pages is shown once."""
    groups: OrderedDict[tuple[str, str], list[Identifier]] = OrderedDict()
    for identifier in identifiers:
        key = (identifier.system.strip().lower(), identifier.value.strip())
        groups.setdefault(key, []).append(identifier)
    return list(groups.values())


def _identifier_markup(page: _Page, group: list[Identifier]) -> str:
    first = group[0]
    link = next((i.link for i in group if i.link), None)  # built from the number, canonical
    number = external_link(link, first.value)
    unconfirmed = all(_unconfirmed(i.provenance) for i in group)
    cited = " ".join(dict.fromkeys(page.cite(i.provenance) for i in group))
    notes = [n for n in dict.fromkeys(i.note for i in group if i.note)]  # each note once
    note = f' <span class="note">({esc("; ".join(notes))})</span>' if notes else ""
    if unconfirmed:
        status = (f'<br><span class="unconfirmed">Unconfirmed:</span> <span class="note">seen only '
                  f'on a secondary source</span> {cited}')
    else:
        status = f" {cited}"
    return f"<b>{esc(first.system)}</b>: {number}{note}{status}"


def _publication(page: _Page, p: Publication) -> str:
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
    parts[-1] += " " + _provenance_note(page, p.provenance)
    return "<br>".join(parts)


def _cross_check(page: _Page, record: Record, check: CrossCheck) -> str:
    other = _capital(source_name(check.provenance))
    return ('<table width="100%" cellspacing="4" cellpadding="8"><tr>'
            f'<td class="side" width="50%" valign="top"><p class="label">The report says</p>'
            f"<p>{page.text(check.article_says)}</p></td>"
            f'<td class="side" width="50%" valign="top"><p class="label">{esc(other)} says</p>'
            f"<p>{page.text(check.source_says)} {_provenance_note(page, check.provenance)}</p></td>"
            "</tr></table>")


def _restated_by(record: Record) -> dict[str, list[ExternalFact]]:
    """Facts from registries and journals that only restate a field's figures, by field: the
    page states those figures once, in the field, with the pages they were also seen on."""
    restated: dict[str, list[ExternalFact]] = {}
    for fact in record.external_facts:
        figures = FIGURES.findall(fact.claim)
        if _unconfirmed(fact.provenance) or len(figures) < 2:
            continue
        for name in RESTATABLE_FIELDS:
            value = " ".join(str(v) for v in _value_markups(record.get(name) or []))
            if value and all(re.search(rf"(?<![\d.]){re.escape(f)}(?![\d.])", value)
                             for f in figures):
                restated.setdefault(name, []).append(fact)
                break
    return restated


def _external_records(page: _Page, record: Record, skip: Sequence[ExternalFact] = ()) -> None:
    """Identifiers, publications, cross-checks and other facts from registries and journals."""
    groups = _identifier_groups(record.identifiers)
    # A study's key facts already give both statuses side by side (see _two_statuses).
    status_here = record.registry_status is not None and not (
        record.kind == "study" and record.get("status"))
    if groups or status_here:
        page.section("identifiers")
        if status_here:
            status = record.registry_status
            # Named from the page it was seen on: a hospital's page or a forum is no registry.
            page.label(f"Status as seen on {source_name(status.provenance)}")
            said = _unconfirmed(status.provenance)
            unconfirmed = '<span class="unconfirmed">Unconfirmed:</span> ' if said else ""
            page.paragraph(f"{unconfirmed}“{page.text(status.text)}”<br><span class=\"note\">"
                           f"Seen on {esc(seen_on(status.provenance.seen))}; it may have changed "
                           f"since.</span> {page.cite(status.provenance)}")
        if groups:
            page.label("Registry numbers", "identifiers")
            page.items([_identifier_markup(page, group) for group in groups])
    if record.publications:
        page.section("publications")
        page.items([_publication(page, p) for p in record.publications])
    if record.cross_checks:
        page.section("cross-checked")
        page.paragraph('<span class="note">Where another source differs from, or adds to, the '
                       'report this page is based on, both are shown side by side.</span>')
        for check in record.cross_checks:
            page.add(_cross_check(page, record, check))
    if any(f not in skip for f in record.external_facts):
        page.section("external")
        page.items([f"{page.text(f.claim)} {_provenance_note(page, f.provenance)}"
                    for f in record.external_facts if f not in skip])


def _sources(page: _Page, record: Record) -> None:
    """The report the page is based on, then every page a fact was seen on, once, by number."""
    seen = list(page.seen.values())
    if record.citations or seen:
        page.section("sources")
    if record.citations:
        page.label("The report this page is based on")
        page.items([_citation(c) for c in record.citations])
    if seen:
        page.label("Pages the numbered facts were seen on")
        page.add("<p>" + "<br>".join(f"[{number}] {markup}" for number, markup in seen) + "</p>")


# ---- the key facts -------------------------------------------------------------------------


def _study_facts(page: _Page, record: Record) -> list[tuple[str, str]]:
    """What, in whom, how many, where it stands, and what it found."""
    not_given = not_given_text(record)  # "in the report", or in the registry pages seen
    treatments = record.links.get("treatments", ())
    if treatments:
        what = ", ".join(record_link(ref) for ref in treatments)
        if record.get("control"):
            what += f", compared with {page.text(record.get('control'))}"
    else:
        what = esc(STUDY_KIND_LABELS.get(record.get("kind"), KIND_LABELS["study"]))
    population = record.get("population")
    conditions = record.get("conditions") or []
    if population:
        whom = page.text(population)
    elif conditions:
        whom = "People with " + page.text(" or ".join(conditions))
    else:
        whom = esc(not_given)
    status = record.get("status")
    where = esc(STATUS_LABELS.get(status, status or not_given))
    if status and record.registry_status:  # two statuses: say whose each is, and when
        where = _two_statuses(page, record, where)
    outcome = record.get("outcome")
    if outcome:
        result = esc(OUTCOME_LABELS.get(outcome, outcome))
    elif record.get("result"):
        result = esc(SEE_BELOW)
    elif status in WAITING_STATUSES:
        result = esc(NOT_KNOWN_YET)
    else:
        result = esc(not_given)
    rows = [("What", what), ("In whom", whom)]
    many = _how_many(record, not_given)
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


def _two_statuses(page: _Page, record: Record, status: str) -> str:
    """The report's status and the one a registry (or other page) showed, each with its source
    and date, so a reader sees which is which instead of two facts that seem to disagree."""
    from desktop.ui.filing_section import REPORT_SOURCE

    report = next((c for c in record.citations if c.source_id == REPORT_SOURCE), None)
    if report is None:  # a registered trial (issue 16): no report speaks of it
        said = f"{status}, according to the pages seen"
    else:
        said = f"{status}, according to the report"
        if report.date:
            said += f" ({esc(seen_on(report.date))})"
    seen = record.registry_status
    unconfirmed = " (unconfirmed)" if _unconfirmed(seen.provenance) else ""
    where = esc(_capital(source_name(seen.provenance)) + unconfirmed)
    return (f"{said}.<br>{where}, seen on {esc(seen_on(seen.provenance.seen))}: "
            f"“{esc(seen.text)}” {page.cite(seen.provenance)}")


def _count(refs: Sequence[Ref], one: str, many: str) -> str:
    return f"{len(refs)} {one if len(refs) == 1 else many}"


def _treatment_facts(page: _Page, record: Record) -> list[tuple[str, str]]:
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
    rows.append(("Tested in", esc(_count(studies, "trial or study", "trials and studies")
                                  + " here" if studies else "No trial here yet")))
    return rows


def _mechanism_facts(page: _Page, record: Record) -> list[tuple[str, str]]:
    rows = []
    parent = record.links.get("parent", ())
    if parent:
        rows.append(("Part of", record_link(parent[0])))
    treatments = record.links.get("treatments", ())
    rows.append(("Treatments aimed at it", esc(_count(treatments, "treatment", "treatments"))))
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
    area = _count(range(beneath), "trial or study", "trials and studies") + " in this area"
    if direct == beneath:
        return area
    under = "none" if direct == 0 else str(direct)
    return f"{area} ({under} filed directly under it)"


KEY_FACTS = {"study": _study_facts, "treatment": _treatment_facts, "mechanism": _mechanism_facts}
KEY_FACT_FIELDS = {"study": ("population", "enrollment", "status", "outcome"),
                   "treatment": ("class", "target", "route", "approved_for")}


# ---- whole pages ---------------------------------------------------------------------------


def record_html(record: Record, glossary: Glossary | None = None,
                folded: Iterable[str] = ()) -> str:
    """The whole page for one record of any kind: summary, key facts, then the full record.

    :param glossary: terms to mark in the text (none marked without it).
    :param folded: keys of the sections to show folded (see SECTION_HEADINGS).
    """
    page = _Page(glossary, folded, own_id=record.id if record.kind == "term" else "")
    kind_label = KIND_LABELS.get(record.kind, record.kind)
    if record.kind == "study":
        short = short_title(record)
        page.title(short or record.title, _study_meta(record),
                   official=record.title if short else "")
    else:
        page.title(record.title, [kind_label])
    page.lead(record.summary)
    if record.kind in KEY_FACTS:
        page.section("key-facts", "At a glance")
        page.facts_table(KEY_FACTS[record.kind](page, record))
    shown = set(KEY_FACT_FIELDS.get(record.kind, ()))
    if record.kind == "study":
        add_filing(page, record)  # why it is filed here; what is not known (issue 16)
        restated = _restated_by(record)
        _external_records(page, record, skip=[f for facts in restated.values() for f in facts])
        for key, names in STUDY_SECTIONS:
            names = tuple(n for n in names if n not in shown)
            if any(record.get(n) not in (None, "", []) for n in names):
                page.section(key)
                for name in names:
                    page.field(name, _field_value(record, name))
                    if name in restated and record.get(name):
                        cites = " ".join(dict.fromkeys(page.cite(f.provenance)
                                                       for f in restated[name]))
                        page.paragraph(f'<span class="note">The same figures were seen on '
                                       f"{cites}.</span>")
            shown.update(names)
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
            page.items(_value_markups(record.get("caveats"), page.text))
        shown.update(STUDY_AFTER)
        _rest(page, record, shown)
    else:
        names = tuple(n for n in KIND_FIELDS.get(record.kind, ()) if n not in shown)
        if any(record.get(n) for n in names):
            page.section("about")
            for name in names:
                page.field(name, _field_value(record, name))
        _links(page, record, tuple(LINK_LABELS.get(record.kind, {})), "connections")
        _rest(page, record, shown | set(names))
        _external_records(page, record)
    _sources(page, record)
    return page.html()


def short_title(record: Record) -> str:
    """A study's short title when it differs from the official one ("" otherwise): the page's
    heading, the name the lists use."""
    short = (record.get("short_title") or "").strip()
    return "" if short.casefold() == record.title.strip().casefold() else short


def _study_meta(record: Record) -> list[str]:
    """The line under a study's titles: kind, status, phase, year and acronym, each only once
    (the acronym not when the short title already says it)."""
    acronym = record.get("acronym") or ""
    if acronym and acronym.casefold() in short_title(record).casefold():
        acronym = ""
    return [STUDY_KIND_LABELS.get(record.get("kind"), KIND_LABELS["study"]),
            STATUS_LABELS.get(record.get("status"), "").split(" (")[0],
            f"Phase {record.get('phase')}" if record.get("phase") else "",
            str(record.get("year") or ""), acronym]


def _links(page: _Page, record: Record, names: tuple[str, ...], key: str) -> None:
    labels = LINK_LABELS.get(record.kind, {})
    if not any(record.links.get(n) for n in names):
        return
    page.section(key)
    for name in names:
        page.links(labels.get(name, (name.capitalize(), "")), record.links.get(name, ()))
    for name, refs in record.links.items():  # a link kind we have no label for yet
        if name not in labels:
            page.links((name.replace("_", " ").capitalize(), ""), refs)


def _rest(page: _Page, record: Record, shown: set[str]) -> None:
    """Any field without a place above still shows, so nothing in the seeds is hidden."""
    rest = [n for n in record.fields if n not in shown and n not in HIDDEN_FIELDS
            and record.get(n) not in (None, "", [])]
    if rest:
        page.section("more")
        for name in rest:
            page.field(name, _field_value(record, name))


def message_html(title: str, text: str, links: Sequence[Ref] = ()) -> str:
    """A calm page for something that is not a record: a welcome, a group, a problem."""
    page = _Page()
    page.title(title)
    for paragraph in text.split("\n\n"):
        page.paragraph(esc(paragraph))
    page.items([_ref_markup(ref) for ref in links])
    return page.html()


def glossary_html(glossary: Glossary) -> str:
    """Every glossary term with its plain definition; each term links to its own page."""
    page = _Page()
    page.title("Glossary", ["Plain words for the terms the pages use"])
    page.paragraph('<span class="note">In the pages, these terms are marked: point at one, or move '
                   "to it with Tab, to see what it means.</span>")
    terms = sorted(glossary.terms.values(), key=lambda t: t.term.casefold())
    page.add("".join(f'<p><a href="{esc(record_href(t.id))}"><b>{esc(t.term)}</b></a>: '
                     f"{esc(t.definition)}</p>" for t in terms))
    return page.html()


def sheet_html(title: str, intro: str, groups: Sequence[tuple[str, Sequence[tuple[str, str]]]]) -> str:
    """A reference sheet: per group, rows of (keys, what they do) — e.g. the keyboard shortcuts.
    One table for all groups, so the columns line up."""
    page = _Page()
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


class DetailView(QTextBrowser):
    """Shows one page; asks for records by id when a ``trialtree:`` link is followed."""

    record_requested = Signal(str)  # a record id
    link_hovered = Signal(str)  # plain words for the status bar, "" when the pointer leaves
    folded_changed = Signal(list)  # the keys of the folded sections, after a heading was toggled

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setAccessibleName("Details")
        self.setAccessibleDescription("The open entry. Tab moves from link to link; a link to a "
                                      "glossary term tells what the term means.")
        self.document().setDocumentMargin(16)
        self._html = ""
        self._record: Record | None = None
        self._render: Callable[[], str] | None = None
        self._glossary: Glossary | None = None
        self._folded: list[str] = []
        self._pending_fraction: float | None = None
        self._said = ""  # the last words sent to the status bar about a link
        self._compact = False  # large text: a compact page (see stylesheet)
        self._kept: tuple[int, int] | None = None  # the focused link while the focus is away
        self.verticalScrollBar().rangeChanged.connect(self._scroll_to_pending)
        self.verticalScrollBar().actionTriggered.connect(self._forget_pending_scroll)
        self._apply_font()
        self.anchorClicked.connect(self._on_anchor)
        self.highlighted.connect(self._on_highlighted)  # the pointer over a link
        self._apply_palette()

    # ---- what is shown -------------------------------------------------------------------

    @property
    def record(self) -> Record | None:
        return self._record

    @property
    def glossary(self) -> Glossary | None:
        return self._glossary

    @property
    def folded(self) -> list[str]:
        return list(self._folded)

    def set_glossary(self, entries: Iterable[Any] | Glossary | None) -> None:
        """The terms to explain in every page: ``Library.glossary()`` rows, or a Glossary."""
        if entries is None or isinstance(entries, Glossary):
            self._glossary = entries
        else:
            self._glossary = Glossary(entries)
        self._rerender()

    def set_folded(self, keys: Iterable[str]) -> None:
        """Fold these sections (keys of SECTION_HEADINGS) in every page."""
        self._folded = [k for k in dict.fromkeys(keys) if k in SECTION_HEADINGS]
        self._rerender()

    def show_record(self, record: Record) -> None:
        self._record = record
        self._show(lambda: record_html(record, self._glossary, self._folded))

    def show_message(self, title: str, text: str, links: Sequence[Ref] = ()) -> None:
        self._record = None
        self._show(lambda: message_html(title, text, links))

    def show_glossary(self) -> None:
        self._record = None
        glossary = self._glossary or Glossary([])
        self._show(lambda: glossary_html(glossary))

    def show_sheet(self, title: str, intro: str,
                   groups: Sequence[tuple[str, Sequence[tuple[str, str]]]]) -> None:
        self._record = None
        self._show(lambda: sheet_html(title, intro, groups))

    def _show(self, render: Callable[[], str]) -> None:
        self._pending_fraction = None
        self._render = render
        self._set_page(render())
        QToolTip.hideText()  # what was said about the last page's links no longer applies
        self._say("")

    def _set_page(self, markup: str, position: int = 0) -> None:
        self._html = markup
        self._kept = None
        self._load(markup)
        self.verticalScrollBar().setValue(position)

    def _load(self, markup: str) -> None:
        """Put the page in the document, then give glossary terms the dotted underline that
        says "explained here" (Qt's CSS has no dotted underline, so it is set on the format)."""
        self.setHtml(markup)
        if self._glossary is None:
            return
        marked = []
        block = self.document().begin()
        while block.isValid():
            iterator = block.begin()
            while not iterator.atEnd():
                fragment = iterator.fragment()
                fmt = fragment.charFormat()
                if (fmt.isAnchor() and fmt.background().style() != Qt.BrushStyle.NoBrush
                        and self._term_of(fmt.anchorHref())):
                    marked.append((fragment.position(), fragment.length()))
                iterator += 1
            block = block.next()
        underline = QTextCharFormat()
        underline.setUnderlineStyle(QTextCharFormat.UnderlineStyle.DotLine)
        underline.setUnderlineColor(self.palette().color(QPalette.ColorRole.PlaceholderText))
        cursor = QTextCursor(self.document())
        cursor.beginEditBlock()
        for position, length in marked:
            cursor.setPosition(position)
            cursor.setPosition(position + length, QTextCursor.MoveMode.KeepAnchor)
            cursor.mergeCharFormat(underline)
        cursor.endEditBlock()
        self.document().markContentsDirty(0, self.document().characterCount())

    def _rerender(self, focus_href: str = "") -> None:
        """Build the current page again (new glossary or folds), keeping the reading place."""
        if self._render is None:
            return
        self._set_page(self._render(), self.verticalScrollBar().value())
        if focus_href:
            self.focus_anchor(focus_href)

    # ---- the reading position ------------------------------------------------------------

    def scroll_fraction(self) -> float:
        """How far down the page the reader is, 0 (top) to 1 (bottom)."""
        bar = self.verticalScrollBar()
        return bar.value() / bar.maximum() if bar.maximum() > 0 else 0.0

    def set_scroll_fraction(self, fraction: float) -> None:
        """Scroll to ``fraction`` of the page, and keep it there while the page is laid out
        (the window may not even be shown yet), until the reader scrolls or opens another page."""
        self._pending_fraction = max(0.0, min(1.0, float(fraction)))
        self._scroll_to_pending()

    @Slot()
    def _scroll_to_pending(self) -> None:
        bar = self.verticalScrollBar()
        if self._pending_fraction is not None and bar.maximum() > 0:
            bar.setValue(round(self._pending_fraction * bar.maximum()))

    @Slot()
    def _forget_pending_scroll(self) -> None:
        self._pending_fraction = None

    def focus_anchor(self, href: str) -> bool:
        """Put the keyboard focus on the link to ``href`` (as Tab would); True if found."""
        block = self.document().begin()
        while block.isValid():
            iterator = block.begin()
            while not iterator.atEnd():
                fragment = iterator.fragment()
                if fragment.isValid() and fragment.charFormat().anchorHref() == href:
                    cursor = QTextCursor(self.document())
                    cursor.setPosition(fragment.position())
                    cursor.setPosition(fragment.position() + fragment.length(),
                                       QTextCursor.MoveMode.KeepAnchor)
                    self.setTextCursor(cursor)
                    self.ensureCursorVisible()
                    return True
                iterator += 1
            block = block.next()
        return False

    # ---- looks: palette and text size ----------------------------------------------------

    def _apply_palette(self) -> None:
        self.document().setDefaultStyleSheet(stylesheet(self.palette(), self._compact))
        if self._html:
            position = self.verticalScrollBar().value()
            self._load(self._html)
            self.verticalScrollBar().setValue(position)

    def _apply_font(self) -> None:
        """The pane's text: the application's size (which zoom sets), a little larger."""
        font = QApplication.font()
        zoom = _zoom_factor(font)
        # The extra scale fades out as the text grows: at 200% the pane is as large as the
        # rest of the window, not 2.3 times the normal size (issue 12, defect 2).
        scale = max(1.0, TEXT_SCALE - (TEXT_SCALE - 1.0) * (zoom - 1.0) / (COMPACT_ZOOM - 1.0))
        if font.pointSizeF() > 0:
            font.setPointSizeF(font.pointSizeF() * scale)
        else:
            font.setPixelSize(round(font.pixelSize() * scale))
        compact = zoom >= COMPACT_ZOOM - 0.01
        if font != self.font() or compact != self._compact:
            self._compact = compact
            self.setFont(font)
            self._apply_palette()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_palette()
        super().changeEvent(event)

    def event(self, event: QEvent) -> bool:
        # A new application font (zoom) arrives as ApplicationFontChange, or, when the
        # application has a style sheet, only with the repolish that follows (StyleChange).
        if event.type() in (QEvent.Type.ApplicationFontChange, QEvent.Type.StyleChange):
            self._apply_font()
        return super().event(event)

    def viewportEvent(self, event: QEvent) -> bool:
        """Hovering a glossary term shows its definition as a wrapped tooltip."""
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            tip = self._tooltip_for(self.anchorAt(event.pos()))
            if tip:
                QToolTip.showText(event.globalPos(), tip, self.viewport())
                return True
        return super().viewportEvent(event)

    def loadResource(self, kind: int, name: QUrl) -> Any:
        """Nothing is ever loaded into the pane: no images, no files, no network."""
        return None

    # ---- links ---------------------------------------------------------------------------

    def _term_of(self, href: str) -> str | None:
        url = QUrl(href)
        if url.scheme().lower() == SCHEME and self._glossary is not None and url.path() in self._glossary:
            return url.path()
        return None

    def _tooltip_for(self, href: str) -> str:
        term_id = self._term_of(href) if href else None
        if term_id is None:
            return ""
        term = self._glossary.terms[term_id]
        characters = min(len(term.term) + len(term.definition) + 2, TOOLTIP_CHARACTERS)
        width = QFontMetrics(QToolTip.font()).averageCharWidth() * characters
        return term_tooltip(term.term, term.definition, width)

    @Slot(QUrl)
    def _on_anchor(self, url: QUrl) -> None:
        scheme = url.scheme().lower()
        if scheme == SCHEME:
            self.record_requested.emit(url.path())
        elif scheme == TOGGLE_SCHEME:
            self.toggle_section(url.path())
        elif scheme in EXTERNAL_SCHEMES:
            QDesktopServices.openUrl(url)

    def toggle_section(self, key: str) -> None:
        """Fold the section ``key`` if open, open it if folded; the focus stays on its heading."""
        if key not in SECTION_HEADINGS:
            return
        if key in self._folded:
            self._folded.remove(key)
        else:
            self._folded.append(key)
        self._rerender(focus_href=f"{TOGGLE_SCHEME}:{key}")
        self.folded_changed.emit(self.folded)

    def _say(self, words: str) -> None:
        """Tell the status bar about a link; "" clears only what this pane said before."""
        if words or self._said:
            self._said = words
            self.link_hovered.emit(words)

    def focusInEvent(self, event: QFocusEvent) -> None:
        """Coming back by keyboard, the link that had the focus has it again; arriving by Tab
        (or Shift+Tab) with none, the first (or last) link in view takes it at once, so the first
        key press shows where the focus went, not only the pane's border."""
        super().focusInEvent(event)
        reason = event.reason()
        if reason in (Qt.FocusReason.MouseFocusReason, Qt.FocusReason.PopupFocusReason):
            self._kept = None
            return
        if self._kept is not None and not self.focused_href():
            start, end = self._kept
            cursor = QTextCursor(self.document())
            cursor.setPosition(min(start, self.document().characterCount() - 1))
            cursor.setPosition(min(end, self.document().characterCount() - 1),
                               QTextCursor.MoveMode.KeepAnchor)
            self.setTextCursor(cursor)
        elif (reason in (Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason)
                and not self.focused_href()):
            super().focusNextPrevChild(reason == Qt.FocusReason.TabFocusReason)
        self._kept = None
        self._mark_focused_link()
        # Said once the focus has settled: a tooltip shown during a focus change is hidden at once.
        QTimer.singleShot(0, self._on_cursor_moved)

    def focusOutEvent(self, event: QEvent) -> None:
        """The focused link stops looking selected while the focus is elsewhere (it comes back
        with the focus); a pop-up menu over the pane keeps it."""
        QToolTip.hideText()
        super().focusOutEvent(event)
        cursor = self.textCursor()
        if self.focused_href() and event.reason() != Qt.FocusReason.PopupFocusReason:
            self._kept = (cursor.selectionStart(), cursor.selectionEnd())
            cursor.clearSelection()
            self.setTextCursor(cursor)

    def focusNextPrevChild(self, next: bool) -> bool:
        """Tab and Shift+Tab move from link to link; say what the new one does."""
        moved = super().focusNextPrevChild(next)
        self._on_cursor_moved()
        return moved

    def focused_href(self) -> str:
        """The address of the link the keyboard has selected ("" for none)."""
        cursor = self.textCursor()
        return cursor.charFormat().anchorHref() if cursor.hasSelection() else ""

    def _mark_focused_link(self) -> None:
        """Show the link under the keyboard focus as selected text, in the palette's highlight
        colours (Qt marks a link reached by Tab only with a faint dotted box; making its cursor
        the text cursor again turns that into an ordinary selection, which Enter still opens)."""
        if self.hasFocus() and self.focused_href():
            self.setTextCursor(QTextCursor(self.textCursor()))

    def _on_cursor_moved(self) -> None:
        """A link selected by the keyboard (QTextBrowser does not report it as ``highlighted``)."""
        href = self.focused_href()
        if href:
            self._mark_focused_link()
            self._on_highlighted(QUrl(href))

    @Slot(QUrl)
    def _on_highlighted(self, url: QUrl) -> None:
        """A link under the pointer or under the keyboard focus: say what it does."""
        if url.isEmpty():
            self._say("")
            QToolTip.hideText()
            return
        scheme = url.scheme().lower()
        href = url.toString()
        term_id = self._term_of(href)
        if term_id is not None:
            term = self._glossary.terms[term_id]
            self._show_tip(href, self._tooltip_for(href))
            self._say(f"{term.term}: {term.definition}")
            return
        QToolTip.hideText()  # a definition shown for the link before would cover this one
        if scheme == TOGGLE_SCHEME:
            hidden = url.path() in self._folded
            self._say("Show this section" if hidden else "Hide this section")
        elif scheme in EXTERNAL_SCHEMES:
            self._say(f"Opens in your web browser: {href}")
        elif scheme == SCHEME and self.focused_href() == href:
            self._say(f"Press Enter to open “{self.textCursor().selectedText()}”")
        else:
            self._say("")

    def _pointer_on(self, href: str) -> bool:
        viewport = self.viewport()
        pointer = viewport.mapFromGlobal(QCursor.pos())
        return viewport.rect().contains(pointer) and self.anchorAt(pointer) == href

    def _tip_position(self, href: str) -> QPoint:
        """Where the tooltip goes: at the pointer when it is on the link, else under the link
        that has the keyboard focus."""
        if self._pointer_on(href):
            return QCursor.pos()
        return self.viewport().mapToGlobal(self.focused_link_rect().bottomLeft())

    def focused_link_rect(self) -> QRect:
        """The keyboard-selected link's lines, in viewport coordinates."""
        cursor = self.textCursor()
        start, end = QTextCursor(cursor), QTextCursor(cursor)
        start.setPosition(cursor.selectionStart())
        end.setPosition(cursor.selectionEnd())
        return self.cursorRect(start).united(self.cursorRect(end))

    def _show_tip(self, href: str, text: str) -> None:
        """Show a tooltip for ``href``; for the keyboard-selected link, keep it off the link's
        lines (below them, or above them when the screen has no room below)."""
        QToolTip.showText(self._tip_position(href), text, self.viewport())
        if self._pointer_on(href):
            return
        tip = next((w for w in QApplication.topLevelWidgets()
                    if w.inherits("QTipLabel") and w.isVisible()), None)
        if tip is None:
            return
        link = self.focused_link_rect()
        link = QRect(self.viewport().mapToGlobal(link.topLeft()), link.size())
        if not tip.geometry().intersects(link):
            return
        screen = QGuiApplication.screenAt(link.center()) or QGuiApplication.primaryScreen()
        area = screen.availableGeometry() if screen else QRect()
        below = link.bottom() + TIP_GAP
        if area.isNull() or below + tip.height() <= area.bottom():
            tip.move(tip.x(), below)
        else:
            tip.move(tip.x(), link.top() - TIP_GAP - tip.height())
