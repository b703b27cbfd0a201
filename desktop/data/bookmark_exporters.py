"""The bookmark export formats, declared once: the command line (``trialtree bookmarks export
--format``) and the window's save dialog both read this table, so a new format is one entry here.

Light to import (the writers load :mod:`desktop.data.bookmark_io` when first used), so the
command-line parser and the window can list the formats without loading the export code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterable

if TYPE_CHECKING:
    from desktop.data.bookmark_io import RecordSource
    from desktop.data.bookmark_values import Bookmark


@dataclass(frozen=True)
class Exporter:
    """One export format."""

    name: str      # the --format value, and what the settings remember
    title: str     # its everyday name ("CSV")
    label: str     # the save dialog's line for it, before the "(*.suffix)" pattern
    use: str       # what it is for, in the command-line help
    suffix: str    # the file name ending, with its dot
    encoding: str  # how the text is written to a file
    write: Callable[[list[Bookmark], RecordSource | None], str]

    @property
    def dialog_filter(self) -> str:
        """The save dialog's filter line, e.g. ``CSV, for a spreadsheet (*.csv)``."""
        return f"{self.label} (*{self.suffix})"


def _json(bookmarks: list[Bookmark], library: RecordSource | None) -> str:
    from desktop.data.bookmark_io import to_json

    return to_json(bookmarks, library=library)


def _csv(bookmarks: list[Bookmark], library: RecordSource | None) -> str:
    from desktop.data.bookmark_io import to_csv

    return to_csv(bookmarks, library)


def _markdown(bookmarks: list[Bookmark], library: RecordSource | None) -> str:
    from desktop.data.bookmark_io import to_markdown

    return to_markdown(bookmarks, library)


EXPORTERS: dict[str, Exporter] = {e.name: e for e in (
    Exporter("json", "JSON", "JSON, everything, to import again later", "everything, for import",
             ".json", "utf-8", _json),
    # The byte order mark lets Excel read accented letters in a CSV file.
    Exporter("csv", "CSV", "CSV, for a spreadsheet", "a spreadsheet", ".csv", "utf-8-sig", _csv),
    Exporter("md", "Markdown", "Markdown, a reading list to share", "a reading list to share",
             ".md", "utf-8", _markdown),
)}
DEFAULT_EXPORTER = "json"


def exporter(name: str) -> Exporter:
    """The exporter called ``name``; a ValueError naming the choices if there is none."""
    try:
        return EXPORTERS[name]
    except KeyError:
        raise ValueError(f"unknown export format {name!r}; choose one of "
                         f"{', '.join(EXPORTERS)}") from None


def by_suffix(suffix: str) -> Exporter | None:
    """The exporter whose files end in ``suffix`` (any case), if any."""
    return next((e for e in EXPORTERS.values() if e.suffix == suffix.lower()), None)


def export_text(bookmarks: Iterable[Bookmark], fmt: str, library: RecordSource | None = None,
                order: str = "newest") -> str:
    """``bookmarks`` in the format ``fmt``, in the Bookmarks panel's ``order`` (see
    :mod:`desktop.data.bookmark_order`), so the window and the command line write the same."""
    from desktop.data.bookmark_order import in_panel_order

    chosen = exporter(fmt)
    return chosen.write(in_panel_order(bookmarks, order, library), library)


def export_bytes(bookmarks: Iterable[Bookmark], fmt: str, library: RecordSource | None = None,
                 order: str = "newest") -> bytes:
    """:func:`export_text` encoded as the format's files are."""
    return export_text(bookmarks, fmt, library, order).encode(exporter(fmt).encoding)
