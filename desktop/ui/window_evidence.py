"""The window's side of issue 19's evidence block: a mechanism's page gets its evidence, a
count's link opens the list of studies behind it (kept in the history, so Back works), and
"Show on the map" opens the map on that mechanism."""

from __future__ import annotations

from desktop.data.evidence import count_for, for_library, parse_list_id
from desktop.data.records import Ref
from desktop.render.evidence import study_list_html
from desktop.render.markup import SCHEME
from desktop.ui.window_status import APP_TITLE


def evidence_of(library, record):
    """The evidence block's data for a mechanism's page; None for other kinds."""
    return for_library(library, record.id) if record.kind == "mechanism" else None


def is_study_list(address: str) -> bool:
    return parse_list_id(address) is not None


def show_study_list(window, address: str, add_to_history: bool = True) -> bool:
    """Show the studies behind one count (``evidence/MECHANISM/KEY``); True if shown."""
    mechanism_id, key = parse_list_id(address)
    library = window.library
    title = library.title_of(mechanism_id) if library.kind_of(mechanism_id) == "mechanism" else None
    count = count_for(for_library(library, mechanism_id), key) if title else None
    if count is None:
        window.show_message(f"There is no list of studies at “{address}”.")
        return False
    refs = [Ref(sid, "study", library.title_of(sid) or sid) for sid in count.study_ids]
    window.detail.show_page(lambda: study_list_html(title, count, refs))
    window._study_list_shown = address
    if add_to_history:
        window.history.visit(address)
    window.setWindowTitle(f"{title}: {count.label[:1].lower()}{count.label[1:]} — {APP_TITLE}")
    window.record_label.setText(f"Studies behind a count: {title}")
    window._update_actions()
    return True


def back_on_mechanism(window, record) -> None:
    """Back from a list of studies to its mechanism: the count that opened it has the keyboard
    focus again, so the reader goes on from where they were."""
    address = getattr(window, "_study_list_shown", "")
    window._study_list_shown = ""
    listed = parse_list_id(address) if address else None
    if listed and listed[0] == record.id:
        window.detail.focus_anchor(f"{SCHEME}:{address}")


def connect(window) -> None:
    """Pane links to the map open it focused on that mechanism (built on first use)."""
    from desktop.ui import mechanism_map

    window.detail.map_requested.connect(
        lambda mechanism_id: mechanism_map.open_map(window, focus_mechanism_id=mechanism_id))
