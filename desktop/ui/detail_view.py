"""The detail pane: a record rendered as HTML for a QTextBrowser.

This is the one place where record text becomes markup, so it is the one place that escapes it:
every string that comes from a record passes through :func:`esc` (seed text is plain text, and a
``<script>`` in it must show as those characters). Links to other records use the internal
``trialtree:ID`` scheme; http(s) links open in the system browser and never load here. Colours
come from the widget's palette, so a theme only has to change the palette.
"""

from __future__ import annotations

import html
from typing import Any, Iterable, Sequence

from PySide6.QtCore import QEvent, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices, QPalette
from PySide6.QtWidgets import QTextBrowser, QWidget

from desktop.data.records import Citation, Provenance, Record, Ref
from desktop.ui.field_labels import (FIELD_LABELS, KIND_LABELS, LINK_LABELS, OUTCOME_LABELS,
                                     PHASE_NOTES, STATUS_LABELS, STUDY_KIND_LABELS)

SCHEME = "trialtree"
EXTERNAL_SCHEMES = ("http", "https")

# Study fields in reading order, by section (the summary comes first, on its own).
STUDY_SECTIONS: list[tuple[str, tuple[str, ...]]] = [
    ("How the study worked", ("design", "phase", "blinding", "control", "duration")),
    ("Who took part", ("population", "enrollment", "conditions")),
    ("What was measured", ("primary_endpoint", "secondary_endpoints")),
    ("What happened", ("status", "status_note", "result", "outcome", "facts")),
]
STUDY_AFTER = ("kind", "funding", "countries", "caveats", "acronym", "year")
TEXT_SCALE = 1.15  # the pane reads a little larger than the lists around it
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    "mechanism": ("detail", "aliases"),
    "treatment": ("kind", "class", "target", "route", "approved_for", "aliases"),
    "person": ("title", "degrees", "aliases"),
    "institution": ("kind", "city", "region", "country", "aliases"),
    "term": ("aliases",),
}


def esc(value: Any) -> str:
    """Record text as HTML text: the only escaping function, used for every value shown."""
    return html.escape(str(value), quote=True)


def record_href(record_id: str) -> str:
    return f"{SCHEME}:{record_id}"


def record_link(ref: Ref) -> str:
    return f'<a href="{esc(record_href(ref.id))}">{esc(ref.title)}</a>'


def external_link(url: str | None, text: str) -> str:
    """A link that opens in the web browser, or just the text if the address is not http(s)."""
    if not url or QUrl(url).scheme().lower() not in EXTERNAL_SCHEMES:
        return esc(text)
    return f'<a href="{esc(url)}">{esc(text)}</a>&nbsp;↗'


# ---- styles from the palette ---------------------------------------------------------------


def stylesheet(palette: QPalette) -> str:
    """CSS for the pane, every colour taken from ``palette`` (so themes only set palettes)."""
    role = QPalette.ColorRole
    text = palette.color(role.Text).name()
    muted = palette.color(role.PlaceholderText).name()
    link = palette.color(role.Link).name()
    lead_bg = palette.color(role.AlternateBase).name()
    return f"""
body {{ color: {text}; }}
a {{ color: {link}; }}
h1 {{ font-size: x-large; font-weight: 600; margin-top: 4px; margin-bottom: 2px; }}
h2 {{ font-size: large; font-weight: 600; margin-top: 18px; margin-bottom: 4px; }}
p {{ margin-top: 2px; margin-bottom: 6px; }}
ul {{ margin-top: 0px; margin-bottom: 6px; }}
li {{ margin-bottom: 2px; }}
.meta {{ color: {muted}; margin-bottom: 10px; }}
.lead {{ font-size: large; background-color: {lead_bg}; padding: 8px; }}
.label {{ font-weight: 600; margin-top: 8px; margin-bottom: 0px; }}
.term {{ color: {muted}; font-weight: normal; font-size: small; }}
.note {{ color: {muted}; }}
.unconfirmed {{ font-weight: 600; color: {muted}; }}
"""


# ---- building pages ------------------------------------------------------------------------


class _Page:
    """Collects the HTML of one page; every text it is given is escaped on the way in."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def html(self) -> str:
        return "<html><body>" + "".join(self.parts) + "</body></html>"

    def title(self, text: str, meta: Iterable[str] = ()) -> None:
        self.parts.append(f"<h1>{esc(text)}</h1>")
        meta = [m for m in meta if m]
        if meta:
            self.parts.append(f'<p class="meta">{" · ".join(esc(m) for m in meta)}</p>')

    def lead(self, text: str) -> None:
        if text:
            self.parts.append(f'<table width="100%" cellpadding="10" cellspacing="0"><tr>'
                              f'<td class="lead">{esc(text)}</td></tr></table>')

    def section(self, heading: str) -> None:
        self.parts.append(f"<h2>{esc(heading)}</h2>")

    def label(self, plain: str, term: str = "") -> None:
        extra = f' <span class="term">· {esc(term)}</span>' if term else ""
        self.parts.append(f'<p class="label">{esc(plain)}{extra}</p>')

    def paragraph(self, markup: str, css: str = "") -> None:
        """``markup`` must already be escaped (built with esc/record_link/external_link)."""
        attribute = f' class="{css}"' if css else ""
        self.parts.append(f"<p{attribute}>{markup}</p>")

    def items(self, markups: Sequence[str]) -> None:
        """Already-escaped items: one as a paragraph, several as a list."""
        if len(markups) == 1:
            self.paragraph(markups[0])
        elif markups:
            self.parts.append("<ul>" + "".join(f"<li>{m}</li>" for m in markups) + "</ul>")

    def field(self, name: str, value: Any, label: tuple[str, str] | None = None) -> None:
        if value in (None, "", [], ()):
            return
        plain, term = label or FIELD_LABELS.get(name, (name.replace("_", " ").capitalize(), ""))
        self.label(plain, term)
        self.items(_value_markups(value))

    def links(self, label: tuple[str, str], refs: Sequence[Ref]) -> None:
        if refs:
            self.label(*label)
            self.items([_ref_markup(ref) for ref in refs])


def _value_markups(value: Any) -> list[str]:
    if isinstance(value, (list, tuple)):
        return [m for item in value for m in _value_markups(item)]
    if isinstance(value, dict):
        return [f"{esc(k.replace('_', ' '))}: {esc(v)}" for k, v in value.items() if v not in (None, "")]
    return [esc(value)]


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


def _provenance_note(provenance: Provenance) -> str:
    """'as seen on <date>', a link to where, and a visible mark when only a secondary source says so."""
    parts = [external_link(provenance.url, f"as seen on {provenance.seen}")]
    if provenance.confidence == "secondary":
        parts.append('<span class="unconfirmed">unconfirmed</span> '
                     '<span class="note">(from a secondary source)</span>')
    return '<span class="note">' + " · ".join(parts) + "</span>"


def _citation(citation: Citation) -> str:
    details = ", ".join(esc(x) for x in (citation.outlet, citation.author, citation.date) if x)
    title = external_link(citation.url, citation.title)
    where = f" ({details})" if details else ""
    return f"{title}{where}<br><span class=\"note\">Section: “{esc(citation.section)}”</span>"


def _external_records(page: _Page, record: Record) -> None:
    """Registry status, identifiers, publications, external facts and cross-checks, simply."""
    if not (record.registry_status or record.identifiers or record.publications
            or record.external_facts or record.cross_checks):
        return
    page.section("Registries and publications")
    if record.registry_status:
        page.label("Status in the trial registry", "registry status")
        page.paragraph(f"{esc(record.registry_status.text)}<br>"
                       f"{_provenance_note(record.registry_status.provenance)}")
    if record.identifiers:
        page.label("Registry numbers", "identifiers")
        page.items([f"{esc(i.system)}: {external_link(i.link, i.value)}"
                    + (f' <span class="note">— {esc(i.note)}</span>' if i.note else "")
                    + f"<br>{_provenance_note(i.provenance)}" for i in record.identifiers])
    if record.publications:
        page.label("Published papers", "publications")
        page.items([_publication(p) for p in record.publications])
    if record.external_facts:
        page.label("More facts from other sources", "external facts")
        page.items([f"{esc(f.claim)}<br>{_provenance_note(f.provenance)}"
                    for f in record.external_facts])
    if record.cross_checks:
        page.label("Where sources differ", "cross-checks")
        page.items([f"The article says: {esc(c.article_says)}<br>"
                    f"The other source says: {esc(c.source_says)}<br>{_provenance_note(c.provenance)}"
                    for c in record.cross_checks])


def _publication(p) -> str:
    head = esc(p.title) if p.title else esc(p.type or "Publication")
    where = ", ".join(esc(x) for x in (p.authors, p.journal, p.year, p.volume, p.pages) if x)
    links = " · ".join(external_link(url, label) for label, url in p.links)
    parts = [head + (f" <span class=\"note\">({where})</span>" if where else "")]
    if p.note:
        parts.append(f'<span class="note">{esc(p.note)}</span>')
    if links:
        parts.append(links)
    parts.append(_provenance_note(p.provenance))
    return "<br>".join(parts)


def _sources(page: _Page, record: Record) -> None:
    if record.citations:
        page.section("Where this comes from")
        page.items([_citation(c) for c in record.citations])


def record_html(record: Record) -> str:
    """The whole page for one record of any kind."""
    page = _Page()
    kind_label = KIND_LABELS.get(record.kind, record.kind)
    if record.kind == "study":
        page.title(record.title, [STUDY_KIND_LABELS.get(record.get("kind"), kind_label),
                                  STATUS_LABELS.get(record.get("status"), "").split(" (")[0],
                                  f"Phase {record.get('phase')}" if record.get("phase") else "",
                                  str(record.get("year") or ""), record.get("acronym") or ""])
        page.lead(record.summary)
        shown = set()
        for heading, names in STUDY_SECTIONS:
            if any(record.get(n) not in (None, "", []) for n in names):
                page.section(heading)
                for name in names:
                    page.field(name, _field_value(record, name))
                shown.update(names)
        _links(page, record, ("treatments", "mechanisms"), "What it tested")
        people, places = record.links.get("people", ()), record.links.get("institutions", ())
        if people or places or record.get("funding") or record.get("countries"):
            page.section("Who ran it")
            page.links(LINK_LABELS["study"]["people"], people)
            page.links(LINK_LABELS["study"]["institutions"], places)
            page.field("countries", record.get("countries"))
            page.field("funding", record.get("funding"))
        if record.get("caveats"):
            page.section("Things to keep in mind")
            page.items(_value_markups(record.get("caveats")))
        shown.update(STUDY_AFTER)
        _rest(page, record, shown)
    else:
        page.title(record.title, [kind_label])
        page.lead(record.summary)
        names = KIND_FIELDS.get(record.kind, ())
        if any(record.get(n) for n in names):
            page.section("About")
            for name in names:
                page.field(name, _field_value(record, name))
        _links(page, record, tuple(LINK_LABELS.get(record.kind, {})), "Connections")
        _rest(page, record, set(names))
    _external_records(page, record)
    _sources(page, record)
    return page.html()


def _links(page: _Page, record: Record, names: tuple[str, ...], heading: str) -> None:
    labels = LINK_LABELS.get(record.kind, {})
    if not any(record.links.get(n) for n in names):
        return
    page.section(heading)
    for name in names:
        page.links(labels.get(name, (name.capitalize(), "")), record.links.get(name, ()))
    for name, refs in record.links.items():  # a link kind we have no label for yet
        if name not in labels:
            page.links((name.replace("_", " ").capitalize(), ""), refs)


def _rest(page: _Page, record: Record, shown: set[str]) -> None:
    """Any field without a place above still shows, so nothing in the seeds is hidden."""
    rest = [n for n in record.fields if n not in shown and n not in ("kind",)
            and record.get(n) not in (None, "", [])]
    if rest:
        page.section("More")
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


# ---- the widget ----------------------------------------------------------------------------


class DetailView(QTextBrowser):
    """Shows one page; asks for records by id when a ``trialtree:`` link is followed."""

    record_requested = Signal(str)  # a record id
    link_hovered = Signal(str)  # plain words for the status bar, "" when the pointer leaves

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setAccessibleName("Details")
        self.document().setDocumentMargin(16)
        font = self.font()
        font.setPointSizeF(font.pointSizeF() * TEXT_SCALE)
        self.setFont(font)
        self._html = ""
        self._record: Record | None = None
        self.anchorClicked.connect(self._on_anchor)
        self.highlighted.connect(self._on_highlighted)
        self._apply_palette()

    @property
    def record(self) -> Record | None:
        return self._record

    def show_record(self, record: Record) -> None:
        self._record = record
        self._set_page(record_html(record))

    def show_message(self, title: str, text: str, links: Sequence[Ref] = ()) -> None:
        self._record = None
        self._set_page(message_html(title, text, links))

    def _set_page(self, markup: str) -> None:
        self._html = markup
        self.setHtml(markup)
        self.verticalScrollBar().setValue(0)

    def _apply_palette(self) -> None:
        self.document().setDefaultStyleSheet(stylesheet(self.palette()))
        if self._html:
            position = self.verticalScrollBar().value()
            self.setHtml(self._html)
            self.verticalScrollBar().setValue(position)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_palette()
        super().changeEvent(event)

    def loadResource(self, kind: int, name: QUrl) -> Any:
        """Nothing is ever loaded into the pane: no images, no files, no network."""
        return None

    @Slot(QUrl)
    def _on_anchor(self, url: QUrl) -> None:
        scheme = url.scheme().lower()
        if scheme == SCHEME:
            self.record_requested.emit(url.path())
        elif scheme in EXTERNAL_SCHEMES:
            QDesktopServices.openUrl(url)

    @Slot(QUrl)
    def _on_highlighted(self, url: QUrl) -> None:
        if url.isEmpty():
            self.link_hovered.emit("")
        elif url.scheme().lower() in EXTERNAL_SCHEMES:
            self.link_hovered.emit(f"Opens in your web browser: {url.toString()}")
        else:
            self.link_hovered.emit("")
