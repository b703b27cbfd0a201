"""The page builder (no Qt): collects one page's HTML, escaping every text it is given.

A page reads in small pieces (issue 6): the title, a one-line plain summary, a few key facts,
and only then the full record in sections whose headings fold and unfold them
(``trialtree-toggle:KEY`` links). Glossary terms in the text become links to their glossary
page, the definition riding along as the link's title. Facts from other pages are cited by a
small number; the pages are listed once at the end.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, Iterable, Sequence

from desktop.data.records import Provenance, Ref
from desktop.render.labels import FIELD_LABELS, SECTION_HEADINGS
from desktop.render.markup import (TOGGLE_SCHEME, Markup, as_markup, esc, record_href, value_markups,
                                   record_link)


class Page:
    """Collects the HTML of one page; every text it is given is escaped on the way in.

    Text given through :meth:`text` also has its glossary terms marked, the first time each
    term occurs in a section. A section whose key is folded shows only its heading.
    """

    def __init__(self, glossary: Any = None, folded: Iterable[str] = (),
                 own_id: str = "", compact: bool = False) -> None:
        self.parts: list[str] = []
        self.glossary = glossary
        self.folded = frozenset(folded)
        self.own_id = own_id
        self.compact = compact  # large text on a small screen: a tighter first screen
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
            self.seen[key] = (len(self.seen) + 1, seen_page(provenance))
        return Markup(f'<span class="note">[{self.seen[key][0]}]</span>')

    def html(self) -> str:
        return "<html><body>" + "".join(self.parts) + "</body></html>"

    def add(self, markup: str) -> None:
        if not self._hidden:
            self.parts.append(markup)

    def text(self, value: Any) -> Markup:
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
        return Markup("".join(out))

    def title(self, text: str, meta: Iterable[str] = (), official: str = "") -> None:
        """The heading; ``official`` (a study's registry title, when it has a shorter name) goes
        under it, smaller, before the meta line."""
        self.add(f"<h1>{esc(text)}</h1>")
        self.subtitle(official, meta)

    def subtitle(self, official: str = "", meta: Iterable[str] = (), css: str = "") -> None:
        """The official title and the meta line (under the heading, or after the key facts
        when the text is large); ``css``: a class added to the first of them."""
        first = f" {css}" if css else ""
        if official:
            self.add(f'<p class="official{first}">{esc(official)}</p>')
            first = ""
        meta = [m for m in meta if m]
        if meta:
            self.add(f'<p class="meta{first}">{" · ".join(esc(m) for m in meta)}</p>')

    def lead(self, text: str) -> None:
        """The plain summary, in a tinted box (a tighter one at large text sizes)."""
        if text:
            self._marked = set()
            self.add(f'<table width="100%" cellpadding="{4 if self.compact else 10}" cellspacing="0"><tr>'
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
        """A paragraph of Markup (built with esc/text/record_link/external_link); plain text
        is escaped."""
        attribute = f' class="{css}"' if css else ""
        self.add(f"<p{attribute}>{as_markup(markup)}</p>")

    def items(self, markups: Sequence[str]) -> None:
        """Items (Markup, or plain text to escape): one as a paragraph, several as a list."""
        if len(markups) == 1:
            self.paragraph(markups[0])
        elif markups:
            self.add("<ul>" + "".join(f"<li>{as_markup(m)}</li>" for m in markups) + "</ul>")

    def field(self, name: str, value: Any, label: tuple[str, str] | None = None) -> None:
        if value in (None, "", [], ()):
            return
        plain, term = label or FIELD_LABELS.get(name, (name.replace("_", " ").capitalize(), ""))
        self.label(plain, term)
        self.items(value_markups(value, self.text))

    def links(self, label: tuple[str, str], refs: Sequence[Ref]) -> None:
        if refs:
            self.label(*label)
            self.items([ref_markup(ref) for ref in refs])

    def facts_table(self, rows: Sequence[tuple[str, str]]) -> None:
        """Key facts as label/value rows; values are Markup (plain text is escaped).
        Compact (large text): tighter rows, and labels that wrap in a narrower column."""
        padding, width = (2, ' width="25%"') if self.compact else (4, "")
        if rows:
            self.add(f'<table cellspacing="0" cellpadding="{padding}">' + "".join(
                f'<tr><td class="fact" valign="top"{width}>{esc(label)}</td>'
                f'<td valign="top">{as_markup(value)}</td></tr>' for label, value in rows)
                + "</table>")


def ref_markup(ref: Ref) -> Markup:
    role = f' <span class="note">— {esc(ref.role)}</span>' if ref.role else ""
    return Markup(record_link(ref) + role)


def seen_page(provenance: Provenance) -> Markup:
    from desktop.render.sources import seen_page as line  # sources cite through a Page

    return line(provenance)
