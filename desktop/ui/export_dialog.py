"""Exporting and importing bookmarks from the window (File menu), loaded when first asked for.

The save dialog starts in the user's documents folder (or the folder they last exported to) with
the format they last chose, never in the working directory the app started in.

A start folder that does not exist makes Qt's dialog fall back to the working directory, so
only existing folders are offered: the last export folder, Documents, then home.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from desktop import settings
from desktop.data.bookmark_values import STORE_ERRORS, MergeResult
from desktop.data.bookmark_exporters import DEFAULT_EXPORTER, EXPORTERS, by_suffix
from desktop.data.vocabulary import plural

EXPORT_FILTERS = {name: e.dialog_filter for name, e in EXPORTERS.items()}  # format → dialog filter
FILE_STEM = "trialtree-bookmarks"
IMPORT_FILTER = "TrialTree bookmarks (*.json);;All files (*)"

if TYPE_CHECKING:
    from desktop.ui.bookmarks_controller import Bookmarking


def documents_folder() -> Path:
    """The user's documents folder if it exists, else their home folder."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(folder) if folder and Path(folder).is_dir() else Path.home()


def export_start(store: QSettings) -> tuple[Path, str]:
    """(the file name the dialog proposes, the format selected first)."""
    fmt = settings.read(store, settings.EXPORT_FORMAT)
    fmt = fmt if fmt in EXPORTERS else DEFAULT_EXPORTER
    last = settings.read(store, settings.EXPORT_FOLDER)
    folder = Path(last) if last and Path(last).is_absolute() and Path(last).is_dir() else None
    return (folder or documents_folder()) / f"{FILE_STEM}{EXPORTERS[fmt].suffix}", fmt


def choose_export_file(parent: QWidget, store: QSettings) -> tuple[Path, str] | None:
    """Ask where to export: (path with its format's suffix, format), or None if cancelled.
    The folder and the format chosen are remembered for the next export."""
    start, fmt = export_start(store)
    path, chosen = QFileDialog.getSaveFileName(parent, "Export bookmarks", str(start),
                                               ";;".join(EXPORT_FILTERS.values()),
                                               EXPORT_FILTERS[fmt])
    if not path:
        return None
    target = Path(path)
    by_name = by_suffix(target.suffix)
    if by_name is not None:
        fmt = by_name.name
    else:
        fmt = next((f for f, label in EXPORT_FILTERS.items() if label == chosen), DEFAULT_EXPORTER)
        target = target.with_name(f"{target.name}{EXPORTERS[fmt].suffix}")
    settings.write(store, settings.EXPORT_FORMAT, fmt)
    settings.write(store, settings.EXPORT_FOLDER, str(target.parent))
    return target, fmt


def import_summary(result: MergeResult, name: str) -> str:
    """What an import did, in plain words."""
    if not (result.added or result.updated or result.unchanged):
        return f"“{name}” holds no bookmarks, so nothing was added."
    parts = []
    if result.added:
        parts.append(f"Added {plural(len(result.added), 'bookmark', 'bookmarks')} "
                     f"from “{name}”.")
    else:
        parts.append(f"“{name}” added no new bookmarks.")
    if result.updated:
        parts.append(f"{plural(len(result.updated), 'bookmark you already had', 'bookmarks you already had')} "
                     "got notes or tags from the file (your own notes were kept).")
    if result.unchanged:
        verb = "was" if len(result.unchanged) == 1 else "were"
        parts.append(f"{plural(len(result.unchanged), 'other', 'others')} {verb} already here, "
                     "unchanged.")
    return " ".join(parts)


def export_bookmarks(bookmarking: Bookmarking) -> None:
    """File → Export bookmarks…: JSON (everything), CSV or a Markdown reading list."""
    if bookmarking.store is None:
        return
    from desktop.data.bookmark_backups import write_atomic
    from desktop.data.bookmark_exporters import export_bytes

    bookmarking.bar.flush()
    window = bookmarking.window
    chosen = choose_export_file(window, window.store)  # remembers the folder and the format
    if chosen is None:
        return
    target, fmt = chosen
    try:
        bookmarks = bookmarking.store.list()
        write_atomic(target, export_bytes(bookmarks, fmt, bookmarking.library,
                                          order=bookmarking.model.order))  # as listed
    except OSError as error:
        bookmarking.show_notice(f"Your bookmarks could not be saved to {target}: "
                         f"{error.strerror or error}. Please choose another folder.")
        return
    window.show_message(f"Saved {plural(len(bookmarks), 'bookmark', 'bookmarks')} "
                             f"to {target}.")

def import_bookmarks(bookmarking: Bookmarking) -> None:
    """File → Import bookmarks…: add the bookmarks of a JSON export or backup."""
    if bookmarking.store is None:
        return
    from desktop.data.bookmark_io import ImportFileError, import_file

    bookmarking.bar.flush()
    path, _ = QFileDialog.getOpenFileName(bookmarking.window, "Import bookmarks",
                                          str(documents_folder()), IMPORT_FILTER)
    if not path:
        return
    name = Path(path).name
    try:
        result = import_file(bookmarking.store, Path(path))
    except ImportFileError as error:
        bookmarking.show_notice(f"“{name}” could not be imported: {error}. Nothing was changed.")
        return
    except STORE_ERRORS as error:
        bookmarking.show_notice(f"“{name}” could not be imported ({error}). Nothing was changed.")
        return
    bookmarking.show_notice(import_summary(result, name))
    bookmarking.sync()
