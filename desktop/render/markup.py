"""Already-escaped text as a type, and the small builders that make it (no Qt).

Record text is plain text: every string that comes from a record passes through :func:`esc`
before it becomes part of a page, so a ``<script>`` in it shows as those characters. What
:func:`esc` and the link builders return is :class:`Markup`, so a page builder can tell text it
must escape (plain ``str``) from markup that is already safe.
"""

from __future__ import annotations

import html
from typing import Any, Callable
from urllib.parse import urlsplit

SCHEME = "trialtree"
TOGGLE_SCHEME = "trialtree-toggle"
EXTERNAL_SCHEMES = ("http", "https")


class Markup(str):
    """A string that is already HTML: made by esc, the link builders and ``Markup(...)``
    around markup built from escaped parts. Joining gives a plain str again (say Markup
    once more when the result is safe), so nothing becomes "already escaped" by accident."""

    __slots__ = ()


def esc(value: Any) -> Markup:
    """Record text as HTML text: the only escaping function, used for every value shown.
    Markup passes through unchanged (it is escaped already)."""
    if isinstance(value, Markup):
        return value
    return Markup(html.escape(str(value), quote=True))


def as_markup(value: Any) -> Markup:
    """What a page builder does with a value: Markup stays, anything else is escaped."""
    return esc(value)


def record_href(record_id: str) -> str:
    return f"{SCHEME}:{record_id}"


def record_link(ref: Any) -> Markup:
    """A link to another record (anything with ``id`` and ``title``)."""
    return Markup(f'<a href="{esc(record_href(ref.id))}">{esc(ref.title)}</a>')


def is_external(url: str | None) -> bool:
    return bool(url) and urlsplit(url).scheme.lower() in EXTERNAL_SCHEMES


def external_link(url: str | None, text: str) -> Markup:
    """A link that opens in the web browser, or just the text if the address is not http(s)."""
    if not is_external(url):
        return esc(text)
    return Markup(f'<a href="{esc(url)}">{esc(text)}</a>&nbsp;↗')


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def capital_markup(markup: str) -> Markup:
    """The first letter of the visible text in capitals (markup may start with a tag)."""
    if markup.startswith("<a "):
        end = markup.index(">") + 1
        return Markup(markup[:end] + capital(markup[end:]))
    return Markup(capital(markup))


def term_tooltip(term: str, definition: str, width: int = 0) -> Markup:
    """The rich text shown on hover or focus of a glossary term (rich text wraps, plain text does
    not); ``width`` in pixels keeps long definitions from wrapping into a narrow column."""
    body = f"<b>{esc(term)}</b>: {esc(definition)}"
    if width <= 0:
        return Markup(f"<p>{body}</p>")
    return Markup(f'<table width="{int(width)}" cellspacing="0" cellpadding="0"><tr><td>{body}'
                  "</td></tr></table>")


def value_markups(value: Any, text: Callable[[Any], str] = esc) -> list[Markup]:
    """A field's value as items of markup: lists flattened, tables as 'key: value'."""
    if isinstance(value, (list, tuple)):
        return [m for item in value for m in value_markups(item, text)]
    if isinstance(value, dict):
        return [Markup(f"{esc(k.replace('_', ' '))}: {text(v)}") for k, v in value.items()
                if v not in (None, "")]
    return [Markup(text(value))]
