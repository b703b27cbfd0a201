"""``trialtree summary [--bookmarks | ID...] -o FILE.pdf``: the printable summary for an
appointment (issue 18), as a PDF (A4 or Letter from the locale) or, with ``-o FILE.md`` or
``--format md``, as Markdown for e-mail. Works with no display (Qt runs offscreen)."""

from __future__ import annotations

import argparse
from pathlib import Path

EXIT_OK = 0
FORMATS = ("pdf", "md")


def add_command(commands) -> None:
    parser = commands.add_parser("summary", help="write a one-page summary of studies (PDF or "
                                                 "Markdown) to take to an appointment")
    parser.add_argument("ids", nargs="*", metavar="ID",
                        help="study ids, registry numbers or acronyms, as for show")
    parser.add_argument("--bookmarks", action="store_true",
                        help="every bookmarked study, with your notes as 'My questions'")
    parser.add_argument("-o", "--output", required=True, metavar="FILE",
                        help="where to write it: FILE.pdf or FILE.md")
    parser.add_argument("--format", choices=FORMATS,
                        help="pdf or md (default: from the file name, else pdf)")


def run(args: argparse.Namespace) -> int:
    from desktop.cli_common import CliError
    from desktop.cli_common import open_library as _library
    from desktop.cli_common import resolve as _resolve

    if bool(args.ids) == bool(args.bookmarks):
        raise CliError("summary needs either --bookmarks or one or more study ids, not both")
    fmt = args.format or ("md" if Path(args.output).suffix.lower() in (".md", ".markdown") else "pdf")
    library, _ = _library()
    store = _open_store()
    try:
        if args.bookmarks:
            marks = [b for b in store.list("oldest") if library.kind_of(b.record_id) == "study"]
            if not marks:
                raise CliError("you have no bookmarked studies to summarise "
                               "(bookmark some first: trialtree bookmarks add ID)")
            ids, notes = [b.record_id for b in marks], {b.record_id: b.note for b in marks}
        else:
            ids = list(dict.fromkeys(_resolve(library, name) for name in args.ids))
            for record_id in ids:
                if library.kind_of(record_id) != "study":
                    raise CliError(f"{record_id!r} is a {library.kind_of(record_id)}, not a study: "
                                   "a summary lists trials and studies")
            notes = {i: (store.get(i).note if store.get(i) else "") for i in ids}
        text = _summary(library, store, ids, notes, fmt, args.output)
    finally:
        library.close()
        store.close()
    print(text)
    return EXIT_OK


def _open_store():
    from desktop.cli_bookmarks import _open_store as open_store

    return open_store()


def _summary(library, store, ids, notes, fmt: str, output: str) -> str:
    """Write the summary; the line to print about it. A file that cannot be written is a CliError."""
    from desktop.cli_common import CliError
    from desktop.data.seen_facts import latest_data_date, what_changed
    from desktop.render.summary import (SummaryStudy, footer_text, print_stylesheet,
                                        summary_html, summary_markdown)

    changed = what_changed(library, store, ids)
    records = [library.record(i) for i in ids]
    studies = [SummaryStudy(r, notes.get(r.id, ""), tuple(changed.get(r.id, ()))) for r in records]
    data_date = latest_data_date(records)
    try:
        if fmt == "md":
            Path(output).write_text(summary_markdown(studies, data_date), encoding="utf-8")
            return f"wrote a summary of {_studies(len(studies))} to {output} (Markdown)"
        from datetime import date

        from desktop.ui.print_summary import write_pdf

        pages = write_pdf(summary_html(studies, data_date, footer=False), print_stylesheet(),
                          footer_text(data_date, date.today()), output)
    except OSError as error:
        raise CliError(f"cannot write {output}: {error.strerror or error}") from None
    return (f"wrote a summary of {_studies(len(studies))} to {output} "
            f"({pages} {'page' if pages == 1 else 'pages'})")



def _studies(count: int) -> str:
    return f"{count} {'study' if count == 1 else 'studies'}"
