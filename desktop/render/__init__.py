"""Records as pages, with no Qt at all: the one place where record text becomes HTML.

Every string from a record passes through :func:`esc` (seed text is plain text); what is already
escaped is a :class:`Markup`. The pane (``desktop.ui.detail_view``) shows these pages in a
QTextBrowser; a printable summary, an export or a read-aloud text can use the same pages.
Colours come in as plain values (:class:`Colours`), so a theme only changes values.

- markup: Markup, esc and the link builders;  style: the stylesheet from colours;
- page: the page builder;  sources: where facts come from;  facts: the key facts;
- filing: why a study is filed where it is;  record: a whole record;  sheets: other pages;
- labels: the plain words for fields, sections and page kinds.
"""

from desktop.render.markup import Markup, esc, external_link, record_href, record_link
from desktop.render.record import record_html
from desktop.render.sheets import glossary_html, message_html, sheet_html
from desktop.render.style import Colours, stylesheet

__all__ = ["Colours", "Markup", "esc", "external_link", "glossary_html", "message_html",
           "record_href", "record_html", "record_link", "sheet_html", "stylesheet"]
