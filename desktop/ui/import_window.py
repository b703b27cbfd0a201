"""File → Import registry download…: the window's side of importing ClinicalTrials.gov downloads.

The import runs in desktop.ui.import_worker (never touching widgets); this module shows its
progress (a cancel changes nothing; no moving bar in a still theme), then one calm summary, and
hands the refreshed reference data to the window through MainWindow.set_library, keeping the tree
and the open record. It also files an imported study under a mechanism, removes an import (the
bookmarks stay), and flags bookmarked studies whose registry record changed until they are seen.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QPoint, Qt, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (QDialog, QFileDialog, QLabel, QMenu, QMessageBox, QProgressBar,
                               QPushButton, QVBoxLayout)

from desktop.ui.import_worker import ImportPaths, ImportWorker

SHORTCUT = "Ctrl+Shift+I"
FILE_FILTER = "ClinicalTrials.gov downloads (*.json *.zip);;All files (*)"
_STATE = "_registry_imports"


class _State:
    """What the window keeps for imports: the paths, the running worker, changes seen this session."""

    def __init__(self, where: ImportPaths | None):
        self.where = where
        self.worker: ImportWorker | None = None
        self.progress: ImportProgress | None = None
        self.relay: QObject | None = None
        self.seen: set[str] = set()
        self.last_summary = None  # for tests and the "keep them" button
        self.last_message: QMessageBox | None = None


def state(window) -> _State:
    return getattr(window, _STATE)


def paths_of(window) -> ImportPaths:
    return state(window).where or ImportPaths.default()


def _still(window) -> bool:
    from desktop.ui.themes import is_still

    return is_still(window.themes.theme) if hasattr(window.themes, "theme") else False


class ImportProgress(QDialog):
    """How far the import has got, with Cancel. In a still theme only words change, never a bar."""

    def __init__(self, window, still: bool):
        super().__init__(window)
        self.setWindowTitle("Importing registry downloads")
        self.setModal(True)
        self.label = QLabel("Reading the downloaded files…", self)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 1)
        self.bar.setValue(0)
        self.bar.setVisible(not still)
        self.cancel_button = QPushButton("Cancel import", self)
        self.cancel_button.setToolTip("Stop now: nothing is changed")
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button, alignment=Qt.AlignmentFlag.AlignRight)
        self.setMinimumWidth(420)

    def show_progress(self, done: int, total: int) -> None:
        self.label.setText(f"Working through the downloads: {done} of {total} done…" if total
                           else "Reading the downloaded files…")
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(min(done, max(total, 1)))

    def reject(self) -> None:  # Escape is Cancel, too
        self.cancel_button.click()


# ---- importing -----------------------------------------------------------------------------


class _Relay(QObject):
    """Lives in the window's thread: the worker's signals reach the widgets through its slots
    (queued connections), never from the worker's thread."""

    def __init__(self, window, files: list[Path], progress: ImportProgress | None):
        super().__init__(window)
        self.window, self.files, self.progress = window, files, progress

    def attach(self, worker: ImportWorker) -> None:
        worker.progress.connect(self.on_progress)
        worker.done.connect(self.on_done)
        worker.cancelled.connect(self.on_cancelled)
        worker.failed.connect(self.on_failed)

    @Slot(int, int)
    def on_progress(self, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress.show_progress(done, total)

    @Slot(object, str)
    def on_done(self, summary, path: str) -> None:
        if summary is None:  # a refresh after filing or removing
            _stop_worker(self.window)
            hand_over(self.window, Path(path))
        else:
            _finished(self.window, self.files, summary, path)

    @Slot()
    def on_cancelled(self) -> None:
        _ended(self.window, "The import was cancelled. Nothing was changed.")

    @Slot(str)
    def on_failed(self, line: str) -> None:
        _ended(self.window, line, problem=True)


def choose_and_import(window) -> None:
    """Ask for one or more downloads, then import them."""
    files, _ = QFileDialog.getOpenFileNames(window, "Import ClinicalTrials.gov downloads", "", FILE_FILTER)
    if files:
        start_import(window, [Path(f) for f in files])


def start_import(window, files: list[Path], keep_other_conditions: bool = False) -> ImportWorker | None:
    """Import ``files`` in the worker, showing progress; None if one is running already."""
    kept = state(window)
    if kept.worker is not None:
        return None
    for file in files:
        if not file.is_file():
            _calm_message(window, "Nothing was imported",
                          f"{file.name}: {'no such file' if not file.exists() else 'not a file'}")
            return None
    worker = ImportWorker(files, paths_of(window), keep_other_conditions)
    progress = ImportProgress(window, _still(window))
    kept.worker, kept.progress = worker, progress
    kept.relay = _Relay(window, files, progress)
    kept.relay.attach(worker)
    progress.cancel_button.clicked.connect(lambda: _cancel(progress, worker))
    progress.show()
    worker.start()
    return worker


def _cancel(progress: ImportProgress, worker: ImportWorker) -> None:
    progress.label.setText("Stopping… nothing will be changed.")
    progress.cancel_button.setEnabled(False)
    worker.cancel()


def _stop_worker(window) -> None:
    kept = state(window)
    if kept.worker is not None:
        kept.worker.wait()
    if kept.progress is not None:
        kept.progress.hide()
        kept.progress.deleteLater()
    if kept.relay is not None:
        kept.relay.deleteLater()
    kept.worker = kept.progress = kept.relay = None


def _ended(window, line: str, problem: bool = False) -> None:
    _stop_worker(window)
    if problem:
        _calm_message(window, "Nothing was imported", line)
    else:
        window.show_message(line)


def _finished(window, files: list[Path], summary, reference_path: str) -> None:
    _stop_worker(window)
    state(window).last_summary = summary
    if summary.studies_read == 0:
        line = summary.skipped[0] if len(summary.skipped) == 1 else \
            "Nothing in these files could be imported; each problem is listed below."
        _calm_message(window, "Nothing was imported", line, "\n".join(summary.skipped))
        return
    hand_over(window, Path(reference_path))
    _summary_message(window, files, summary)


def hand_over(window, reference_path: Path) -> None:
    """Open the refreshed reference data here (this thread) and give it to the window through
    set_library, keeping the tree's grouping and the open record."""
    from desktop.data.library import Library

    old = window.library
    record = window.detail.record
    window.set_library(Library(reference_path))
    if record is not None and window.library.kind_of(record.id) is not None:
        fresh = window.library.record(record.id)  # shown afresh from the new data, same place
        scroll = window.detail.scroll_fraction() if hasattr(window.detail, "scroll_fraction") else None
        window.detail.show_record(fresh)
        if scroll is not None:
            window.detail.set_scroll_fraction(scroll)
        window.tree.follow(fresh, window.library.record)
    if old is not None:
        old.close()
    refresh_flags(window)


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def summary_lines(summary) -> list[str]:
    """The summary in short plain lines (what was imported, updated, attached, skipped, refused)."""
    attached = set(summary.attached)
    new = sum(1 for n in summary.imported if n not in attached)
    lines = [f"Imported: {_count(new, 'new study', 'new studies')}.",
             f"Updated: {len(summary.updated)} (unchanged: {len(summary.unchanged)}).",
             f"Attached to TrialTree's own study records: {len(summary.attached)}."]
    if summary.skipped:
        lines.append(f"Skipped: {len(summary.skipped)} (the reasons are under “Show Details”).")
    if summary.refused_by_condition:
        lines.append(f"Not kept: {_count(len(summary.refused_by_condition), 'study', 'studies')} of "
                     "neither ME/CFS nor long COVID.")
    return lines


def _summary_message(window, files: list[Path], summary) -> None:
    details = [f"Skipped: {line}" for line in summary.skipped]
    details += [f"Not kept (neither condition): {nct}" for nct in summary.refused_by_condition]
    box = QMessageBox(QMessageBox.Icon.Information, "Import finished", "\n".join(summary_lines(summary)),
                      QMessageBox.StandardButton.Ok, window)
    box.setTextFormat(Qt.TextFormat.PlainText)
    if details:
        box.setDetailedText("\n".join(details))
    keep = None
    if summary.refused_by_condition:
        keep = box.addButton("Keep those too", QMessageBox.ButtonRole.AcceptRole)
    state(window).last_message = box
    box.finished.connect(lambda _: _after_summary(window, box, keep, files))
    box.open()
    window.show_message(" ".join(summary_lines(summary)[:2]))


def _after_summary(window, box: QMessageBox, keep, files: list[Path]) -> None:
    if keep is not None and box.clickedButton() is keep:
        start_import(window, files, keep_other_conditions=True)


def _calm_message(window, title: str, line: str, details: str = "") -> None:
    box = QMessageBox(QMessageBox.Icon.Information, title, line, QMessageBox.StandardButton.Ok, window)
    box.setTextFormat(Qt.TextFormat.PlainText)
    if details:
        box.setDetailedText(details)
    state(window).last_message = box
    box.open()
    if hasattr(window, "show_message"):
        window.show_message(line)


# ---- filing and removing an imported study ---------------------------------------------------


def is_imported(window, record_id: str) -> bool:
    """True for a study the user imported (not a curated study with a download attached)."""
    from desktop.render.imported import is_imported as imported

    library = window.library
    if library is None or library.kind_of(record_id) != "study":
        return False
    return imported(library.record(record_id))


def _refresh_after(window, change) -> bool:
    """Apply ``change(store)`` to the imports, then refresh the reference data in the worker."""
    from desktop.data.import_store import ImportStore, ImportsUnreadable, UnknownImport

    kept = state(window)
    if kept.worker is not None:
        window.show_message("An import is still running; try again when it has finished.")
        return False
    try:
        with ImportStore(paths_of(window).imports_db) as store:
            change(store)
    except (ImportsUnreadable, UnknownImport) as error:
        _calm_message(window, "Nothing was changed", str(error))
        return False
    worker = ImportWorker([], paths_of(window))
    kept.worker = worker
    kept.relay = _Relay(window, [], None)
    kept.relay.attach(worker)
    worker.start()
    return True


def file_under(window, record_id: str, mechanism_id: str | None = None) -> bool:
    """File an imported study under a mechanism (asked for in a dialog when not given); kept
    across re-imports and rebuilds. The pane's "File under a mechanism" link calls this."""
    from desktop.ui.file_under_dialog import FileUnderDialog

    if not is_imported(window, record_id):
        window.show_message("Only a study you imported can be filed by you.")
        return False
    library = window.library
    if mechanism_id is None:
        names = [(m, library.title_of(m) or m) for m in library.ids("mechanism")]
        dialog = FileUnderDialog(library.title_of(record_id) or record_id, names, window)
        if dialog.exec() != QDialog.DialogCode.Accepted or dialog.chosen() is None:
            return False
        mechanism_id = dialog.chosen()
    title = library.title_of(mechanism_id) or mechanism_id
    if _refresh_after(window, lambda store: store.file_under(record_id, mechanism_id)):
        window.show_message(f"Filed under {title}. Your choice is kept when you import again.")
        return True
    return False


def remove_import(window, record_id: str, confirm: bool = True) -> bool:
    """Remove an imported study; bookmarks on it stay, shown as no longer in the data. The pane's
    "Remove this imported study" link calls this."""
    if not is_imported(window, record_id):
        window.show_message("Only a study you imported can be removed.")
        return False
    if confirm and QMessageBox.question(
            window, "Remove the imported study",
            f"Remove {record_id.upper()} from your imported studies? A bookmark on it is kept.") \
            != QMessageBox.StandardButton.Yes:
        return False
    if _refresh_after(window, lambda store: store.remove(record_id)):
        window.show_message(f"Removed {record_id.upper()}. Bookmarks on it are kept.")
        return True
    return False


def tree_menu(window, at: QPoint) -> QMenu | None:
    """The tree's context menu on an imported study (None elsewhere)."""
    from desktop.models.roles import Role

    index = window.tree.view.indexAt(at)
    record_id = index.data(Role.RecordId) if index.isValid() else None
    if not record_id or not is_imported(window, record_id):
        return None
    menu = QMenu(window.tree.view)
    menu.addAction("File under a mechanism…", lambda: file_under(window, record_id))
    menu.addAction("Remove this imported study…", lambda: remove_import(window, record_id))
    return menu


def _on_tree_menu(window, at: QPoint) -> None:
    menu = tree_menu(window, at)
    if menu is not None:
        menu.exec(window.tree.view.viewport().mapToGlobal(at))


# ---- changes flagged on bookmarks ---------------------------------------------------------------


def refresh_flags(window) -> dict[str, str]:
    """Mark bookmarked studies with registry changes not yet seen in the Bookmarks panel (after
    the first paint: it reads every bookmarked study)."""
    if not _started(window):
        return {}
    from desktop.data.import_flags import unseen_changes

    model = window.bookmarking.model
    library = window.library
    flagged = {} if library is None else unseen_changes(library, model.ids())
    flags = {}
    if flagged:
        from desktop.render.imported import changed_fields_line

        flags = {rid: changed_fields_line(c) for rid, c in flagged.items() if rid not in state(window).seen}
    model.set_change_flags(flags)
    return flags


def after_shown(window, record_id: str) -> None:
    """A study has been shown: its changes are seen now (the flag goes)."""
    from desktop.data.import_flags import mark_seen

    kept = state(window)
    if window.library is None or not window.bookmarking.model.change_flag(record_id):
        return
    try:
        mark_seen(window.library, paths_of(window).imports_db, record_id)
    except Exception as error:  # noqa: BLE001 - the flag stays; the user is told why in one line
        window.show_message(f"The changes could not be marked as seen: {error}")
        return
    kept.seen.add(record_id)
    refresh_flags(window)
    summary = getattr(window, "summary", None)
    if summary is not None:  # the panel's "what changed" line (issue 18) forgets them too
        summary.refresh_changed()


# ---- wiring ----------------------------------------------------------------------------------


def install(window, where: ImportPaths | None = None) -> None:
    """File → Import registry download… (Ctrl+Shift+I), the tree's menu on imported studies, and
    the Bookmarks panel's change flags. ``where``: other paths than the data folder's (tests)."""
    setattr(window, _STATE, _State(where))
    window.import_registry_action = QAction("Import registry &download…", window)
    window.import_registry_action.setShortcut(QKeySequence(SHORTCUT))
    window.import_registry_action.setStatusTip("Bring in studies downloaded from ClinicalTrials.gov "
                                               "(JSON or zip)")
    window.import_registry_action.triggered.connect(lambda: choose_and_import(window))
    window.addAction(window.import_registry_action)
    menus = {action.text().replace("&", ""): action.menu() for action in window.menuBar().actions()}
    file_menu = menus.get("File")
    if file_menu is not None:
        actions = file_menu.actions()
        bookmarks_import = getattr(window.bookmarking, "import_action", None)
        after = actions[actions.index(bookmarks_import) + 1] if bookmarks_import in actions[:-1] else None
        file_menu.insertAction(after, window.import_registry_action) if after is not None \
            else file_menu.addAction(window.import_registry_action)
    view = window.tree.view
    view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    view.customContextMenuRequested.connect(lambda at: _on_tree_menu(window, at))
    model = window.bookmarking.model
    model.modelReset.connect(lambda: refresh_flags(window))
    model.rowsInserted.connect(lambda *args: refresh_flags(window))
    if hasattr(window, "record_shown"):
        window.record_shown.connect(lambda rid: after_shown(window, rid))
    if hasattr(window, "startup_done"):
        window.startup_done.connect(lambda: refresh_flags(window))
    refresh_flags(window)


def _started(window) -> bool:
    """Whether the window's first paint is past (a window without that notion: always)."""
    return getattr(window, "startup_finished", True)
