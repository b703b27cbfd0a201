"""Qt-free HTML blocks for an imported study's pane: where it came from, and what changed.

The pane calls these once the renderer split lands (see the report of branch i17-ui). Every value
is escaped with html.escape; the registry's own words are labelled as such, never mixed with ours.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

from desktop.data.import_merge import REGISTRY_WORDS_LABEL, readable_date

CHANGES_HEADING = "What changed"
PROVENANCE_HEADING = "Where this study came from"


def _value(text: Any) -> str:
    return escape(str(text)) if text not in (None, "") else "<i>not given</i>"


def changed_fields_line(changes: Sequence[Mapping[str, Any]]) -> str:
    """Plain words for the Bookmarks panel: "Changed since you last looked: status, enrollment"."""
    fields = list(dict.fromkeys(str(c.get("field", "")) for c in changes if c.get("field")))
    return f"Changed since you last looked: {', '.join(fields)}" if fields else ""


def changes_block(changes: Sequence[Mapping[str, Any]]) -> str:
    """A "What changed" table (field, before, after, both registry dates); "" with no changes.
    ``changes`` are the record's ``changes`` (import_merge.change_json), seen or not."""
    if not changes:
        return ""
    rows = []
    for change in changes:
        marker = "" if change.get("seen") else " <b>(new to you)</b>"
        rows.append(
            "<tr>"
            f"<td>{escape(str(change.get('field', '')))}{marker}</td>"
            f"<td>{_value(change.get('old'))}</td>"
            f"<td>{_value(change.get('new'))}</td>"
            f"<td>{escape(readable_date(change.get('old_registry_update')))} → "
            f"{escape(readable_date(change.get('new_registry_update')))}</td>"
            "</tr>")
    return (f"<h3>{CHANGES_HEADING}</h3>"
            "<p>A newer registry download changed these fields. The dates are the registry's "
            "own last-update dates, before and after.</p>"
            "<table><tr><th>Field</th><th>Before</th><th>After</th><th>Registry updates</th></tr>"
            + "".join(rows) + "</table>")


def provenance_block(fields: Mapping[str, Any]) -> str:
    """Where an imported study (or an attached download) came from, then the registry's own words,
    labelled; "" for a record with no ``imported_from``. ``fields`` is ``Record.fields``."""
    origin = fields.get("imported_from")
    if not origin:
        return ""
    parts = [f"<h3>{PROVENANCE_HEADING}</h3>", f"<p>{escape(str(origin))}.</p>"]
    text = fields.get("registry_text") or {}
    words = []
    if text.get("brief_summary"):
        words.append(f"<p><b>Brief summary:</b> {escape(str(text['brief_summary']))}</p>")
    for key, label in (("primary_outcomes", "Primary outcomes"), ("secondary_outcomes", "Secondary outcomes")):
        items = [o.get("measure") for o in text.get(key) or [] if isinstance(o, Mapping) and o.get("measure")]
        if items:
            words.append(f"<p><b>{label}:</b></p><ul>"
                         + "".join(f"<li>{escape(str(m))}</li>" for m in items) + "</ul>")
    if text.get("registry_conditions"):
        words.append(f"<p><b>Conditions:</b> {escape(', '.join(map(str, text['registry_conditions'])))}</p>")
    if words:
        parts.append(f"<blockquote><p><i>{escape(str(text.get('label') or REGISTRY_WORDS_LABEL))}</i></p>"
                     + "".join(words) + "</blockquote>")
    return "".join(parts)
