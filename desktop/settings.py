"""Every QSettings key the app uses, each declared once with its default (like Picard's options).

Widgets never spell a key themselves: they call :func:`read` and :func:`write` with one of the
:class:`Setting` constants below, so a key and its default live in exactly one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

ORGANIZATION = "TrialTree"
APPLICATION = "trialtree"


@dataclass(frozen=True)
class Setting:
    """One stored value: its key, its default and the Python type it is read back as."""

    key: str
    default: Any
    type: type


WINDOW_GEOMETRY = Setting("window/geometry", QByteArray(), QByteArray)
WINDOW_STATE = Setting("window/state", QByteArray(), QByteArray)  # toolbars
SPLITTER_STATE = Setting("window/splitter", QByteArray(), QByteArray)
LAST_RECORD = Setting("browse/last_record", "", str)
GROUPING = Setting("browse/grouping", "mechanism", str)
LAST_SCROLL = Setting("browse/last_scroll", 0.0, float)  # 0–1: how far down the open record
THEME = Setting("view/theme", "system", str)  # system | light | dark | low-stimulus
ZOOM = Setting("view/zoom", 100, int)  # text size in percent, 80–250
FOLDED_SECTIONS = Setting("view/folded_sections", "", str)  # section keys, comma-separated
BOOKMARKS_ORDER = Setting("bookmarks/order", "newest", str)  # newest | mechanism | title
SEARCH_HISTORY = Setting("search/history", "", str)  # recent searches, newest first, one a line
EXPORT_FORMAT = Setting("export/format", "json", str)  # json | csv | md, the last one chosen
EXPORT_FOLDER = Setting("export/folder", "", str)  # the folder of the last export ("" = Documents)

ALL = (WINDOW_GEOMETRY, WINDOW_STATE, SPLITTER_STATE, LAST_RECORD, GROUPING, LAST_SCROLL, THEME,
       ZOOM, FOLDED_SECTIONS, BOOKMARKS_ORDER, SEARCH_HISTORY, EXPORT_FORMAT, EXPORT_FOLDER)


def open_settings() -> QSettings:
    """The user's settings, found by the organisation and application names app.py sets."""
    return QSettings(ORGANIZATION, APPLICATION)


def read(store: QSettings, setting: Setting) -> Any:
    """The stored value of ``setting``, or its default when missing or unreadable."""
    value = store.value(setting.key, setting.default)
    if value is None:
        return setting.default
    if setting.type is QByteArray:
        return value if isinstance(value, QByteArray) else setting.default
    try:
        return setting.type(value)
    except (TypeError, ValueError):
        return setting.default


def write(store: QSettings, setting: Setting, value: Any) -> None:
    store.setValue(setting.key, value)
