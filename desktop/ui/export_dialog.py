"""Where the export save dialog starts: the user's documents folder (or the folder they last
exported to) and the format they last chose, never the working directory the app started in.

A start folder that does not exist makes Qt's dialog fall back to the working directory, so
only existing folders are offered: the last export folder, Documents, then home.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from desktop import settings
from desktop.data.bookmark_exporters import DEFAULT_EXPORTER, EXPORTERS, by_suffix

EXPORT_FILTERS = {name: e.dialog_filter for name, e in EXPORTERS.items()}  # format → dialog filter
FILE_STEM = "trialtree-bookmarks"


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
