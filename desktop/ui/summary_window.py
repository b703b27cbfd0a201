"""The summary in the window (issue 18): File → Print summary… and Export summary as PDF…, and
what changed on bookmarked studies since the user last looked, in the Bookmarks panel.

Only shows and forwards: the pages come from desktop.render.summary, the paper from
desktop.ui.print_summary, the snapshots and changes from desktop.data.seen_facts.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QFileDialog, QMenu

from desktop.data.bookmark_values import STORE_ERRORS
from desktop.data.seen_facts import FactChange, latest_data_date, remember, what_changed
from desktop.render.summary import (SummaryStudy, footer_text, print_stylesheet, summary_html)

NO_STUDIES = "Bookmark some trials or studies first: the summary lists your bookmarked studies."


def changed_words(changes: list[FactChange]) -> tuple[str, str]:
    """(short words for the Bookmarks panel's line, full sentences for its tooltip)."""
    fields = ", ".join(dict.fromkeys(c.field.lower() for c in changes))
    return (f"Changed since you last looked: {fields}",
            "Changed since you last looked:\n" + "\n".join(c.sentence() for c in changes))


class SummaryController(QObject):
    """The two File menu entries, and the snapshots taken when a bookmarked study is opened."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.print_action = QAction("&Print summary…", window)
        self.print_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Print))
        self.print_action.setStatusTip("Print a summary of your bookmarked studies, with your notes")
        self.pdf_action = QAction("Export summary as PD&F…", window)
        self.pdf_action.setStatusTip("Save a summary of your bookmarked studies as a PDF")
        self.print_action.triggered.connect(self.print_summary)
        self.pdf_action.triggered.connect(self.export_pdf)
        window.addAction(self.print_action)

    # ---- what the summary holds -----------------------------------------------------------

    def _parts(self) -> tuple[str, str, str] | None:
        """(html, stylesheet, footer) for every bookmarked study, or None (with a message)."""
        window, store = self.window, self.window.bookmarking.store
        library = window.library
        if library is None or store is None:
            window.show_message("The summary needs the data and your bookmarks.")
            return None
        marks = [b for b in store.list("oldest") if library.kind_of(b.record_id) == "study"]
        if not marks:
            window.show_message(NO_STUDIES)
            return None
        changed = what_changed(library, store, [b.record_id for b in marks])
        records = [library.record(b.record_id) for b in marks]
        studies = [SummaryStudy(r, b.note, tuple(changed.get(r.id, ())))
                   for r, b in zip(records, marks)]
        data_date = latest_data_date(records)
        return (summary_html(studies, data_date, footer=False), print_stylesheet(),
                footer_text(data_date, date.today()))

    @Slot()
    def print_summary(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        from desktop.ui.print_summary import page_size_for, print_to

        parts = self._parts()
        if parts is None:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(page_size_for())
        dialog = QPrintDialog(printer, self.window)
        dialog.setWindowTitle("Print summary")
        if dialog.exec() == QDialog.DialogCode.Accepted:
            pages = print_to(printer, *parts)
            self.window.show_message(f"Summary sent to the printer ({pages} "
                                     f"{'page' if pages == 1 else 'pages'}).")

    @Slot()
    def export_pdf(self) -> None:
        from desktop.ui.print_summary import write_pdf

        parts = self._parts()
        if parts is None:
            return
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        start = str(Path(folder or Path.home()) / "trialtree-summary.pdf")
        path, _ = QFileDialog.getSaveFileName(self.window, "Export summary as PDF", start,
                                              "PDF (*.pdf)")
        if not path:
            return
        try:
            pages = write_pdf(*parts, path)
        except OSError as error:
            self.window.show_message(f"The summary could not be saved: {error.strerror or error}")
            return
        self.window.show_message(f"Summary saved to {path} ({pages} "
                                 f"{'page' if pages == 1 else 'pages'}).")

    # ---- what changed ---------------------------------------------------------------------

    @Slot()
    def on_page(self) -> None:
        """A bookmarked study shown in the pane has been looked at: its facts become the snapshot,
        and the panel stops saying it changed."""
        record, store = self.window.detail.record, self.window.bookmarking.store
        if record is None or store is None or record.kind != "study":
            return
        try:
            if not store.is_bookmarked(record.id):
                return
            remember(store, record)
        except STORE_ERRORS:  # a locked or closed user.db: the snapshot waits for next time
            return
        self.refresh_changed()

    @Slot()
    def refresh_changed(self) -> None:
        """Tell the Bookmarks panel which bookmarked studies changed since the user looked
        (after the first paint: it reads every bookmarked study)."""
        window, store = self.window, self.window.bookmarking.store
        if window.library is None or store is None or not window.startup_finished:
            return
        model = window.bookmarking.model
        try:
            changed = what_changed(window.library, store, model.ids(), imports_seen(window))
        except STORE_ERRORS:
            return
        model.set_changed({i: changed_words(c) for i, c in changed.items()})


def imports_seen(window) -> set[str]:
    """Studies whose re-import changes this session already marked seen (issue 17's flags)."""
    from desktop.ui import import_window

    try:
        return set(import_window.state(window).seen)
    except AttributeError:  # the import menu is not installed (some tests build bare windows)
        return set()


def install(window) -> SummaryController:
    """Add the entries to the File menu (before Quit) and follow the pages and the bookmarks."""
    controller = SummaryController(window)
    file_menu: QMenu = next(a.menu() for a in window.menuBar().actions()
                            if a.menu() is not None and a.menu().title() == "&File")
    quit_action = window.quit_action
    file_menu.insertAction(quit_action, controller.print_action)
    file_menu.insertAction(quit_action, controller.pdf_action)
    file_menu.insertSeparator(quit_action)
    window.detail.textChanged.connect(controller.on_page)
    model = window.bookmarking.model
    model.modelReset.connect(controller.refresh_changed)
    model.rowsInserted.connect(controller.refresh_changed)
    window.startup_done.connect(controller.refresh_changed)
    controller.refresh_changed()
    return controller
