"""``trialtree bookmarks …``: add, remove, list, export and import bookmarks from a script.

Registered by :func:`add_commands` and run by :func:`run`, both called from ``desktop.cli``.
This module imports only argparse at load time (``desktop.cli`` imports it at start-up);
user mistakes raise ``desktop.cli_common.CliError`` (one line on stderr, exit status 1).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from desktop.cli_common import CliError, open_library
from desktop.data.bookmark_exporters import DEFAULT_EXPORTER, EXPORTERS
from desktop.data.bookmark_order import ORDERS

EXIT_OK = 0

# What a terminal would obey rather than print: C0 and C1 controls (ESC starts the sequences that
# clear the screen or retitle the window) and the bidirectional overrides that reorder text.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")

_UNPRINTABLE_IN_JSON = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")

# The same, but keeping tab, new line and carriage return (the layout of a CSV or Markdown text).
_UNPRINTABLE_ON_SCREEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def terminal_text(text: str) -> str:
    """``text`` safe to print: every control or bidi-override character is shown as a visible
    escape (``\\x1b``, ``\\u202e``) instead of being sent raw to the terminal."""
    return _UNPRINTABLE.sub(lambda m: repr(m.group())[1:-1] if ord(m.group()) < 0x100
                            else f"\\u{ord(m.group()):04x}", text)


def add_commands(subparsers: argparse._SubParsersAction) -> None:
    """Register ``bookmarks`` and its actions on the top-level ``subparsers``."""
    bookmarks = subparsers.add_parser(
        "bookmarks", help="add, remove, list, export or import bookmarks and notes",
        description="Your bookmarks and notes (kept in the data folder, beside the reference data).")
    actions = bookmarks.add_subparsers(dest="bookmarks_command", metavar="ACTION", required=True)

    add = actions.add_parser("add", help="bookmark a record (or change an existing bookmark)")
    add.add_argument("id", help="a record id, e.g. rituxme-phase3-rct")
    add.add_argument("--note", help="a note to keep with it (added below a note it already has)")
    add.add_argument("--replace-note", action="store_true",
                     help="with --note: replace the note it already has instead of adding below")
    add.add_argument("--tag", action="append", dest="tags", default=[], metavar="TAG",
                     help="a tag to add (repeat for more)")

    remove = actions.add_parser("remove", help="remove a bookmark and its note")
    remove.add_argument("id")

    list_ = actions.add_parser("list", help="print your bookmarks, newest first")
    list_.add_argument("--json", action="store_true", help="print JSON")

    formats = list(EXPORTERS.values())
    export = actions.add_parser("export", help="write your bookmarks as " + _either(
        [e.title for e in formats]))
    export.add_argument("--format", choices=list(EXPORTERS), default=DEFAULT_EXPORTER,
                        help=_either([f"{e.name} ({e.use})" for e in formats])
                        + f"; default {DEFAULT_EXPORTER}")
    export.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of the screen")
    export.add_argument("--order", choices=ORDERS,
                        help="the order to list them in; default: the order the Bookmarks panel "
                             "was last left in (newest first until it is changed)")

    import_ = actions.add_parser("import", help="add the bookmarks from a JSON export or backup")
    import_.add_argument("file", metavar="FILE")


def _either(words: list[str]) -> str:
    """"a, b or c"."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} or {words[-1]}"


def run(args: argparse.Namespace) -> int:
    """Run the ``bookmarks`` action chosen in ``args``."""
    handler = {"add": _add, "remove": _remove, "list": _list, "export": _export,
               "import": _import}[args.bookmarks_command]
    from desktop.data.bookmark_values import STORE_ERRORS, TooMuch

    store = _open_store()
    try:
        status = handler(args, store)
        _backup_after_change(store)
        return status
    except TooMuch as error:
        raise _error(f"{error}. Nothing was changed.") from None
    except STORE_ERRORS as error:
        raise _error(_store_problem(error)) from None
    finally:
        store.close()


def _store_problem(error: Exception) -> str:
    """One line for a disk, permission or lock problem while reading or writing bookmarks."""
    from desktop import paths

    text = str(getattr(error, "strerror", None) or error)
    if "locked" in text or "busy" in text:
        return ("another copy of TrialTree is busy writing your bookmarks (for example a large "
                "import); nothing was changed. Try again in a moment.")
    if "readonly" in text or "read-only" in text or "permission" in text.lower():
        return (f"your bookmarks file cannot be written (no permission) in {paths.data_dir()}; "
                "nothing was changed")
    return f"your bookmarks could not be read or saved ({text}); nothing was changed"


def _backup_after_change(store) -> None:
    """Write today's backup if the bookmarks changed, so a change made after the day's first
    backup survives a damaged user.db. A failure here is said, not fatal: the change is saved."""
    from desktop.data.bookmark_backups import backup_if_due

    try:
        backup_if_due(store)
    except OSError as error:
        print(f"trialtree: could not update today's backup of your bookmarks: "
              f"{error.strerror or error}", file=sys.stderr)


def _error(message: str) -> Exception:
    return CliError(message)


def _open_store():
    from desktop import paths
    from desktop.data.bookmark_backups import open_user_store
    from desktop.data.bookmark_values import STORE_ERRORS, UserDataUnavailable

    try:
        store, message = open_user_store(paths.data_dir())
    except (UserDataUnavailable, paths.DataFolderUnavailable) as error:
        raise _error(str(error)) from None
    except STORE_ERRORS as error:  # e.g. locked for longer than the busy timeout
        raise _error(_store_problem(error)) from None
    if message:
        print(f"trialtree: {message}", file=sys.stderr)
    return store


def _library():
    return open_library()[0]


def _add(args, store) -> int:
    library = _library()
    kind, title = library.kind_of(args.id), library.title_of(args.id)
    existing = store.get(args.id)
    if kind is None or title is None:
        if existing is None:
            raise _error(f"no record has the id {args.id!r}, so it cannot be bookmarked "
                         "(try: trialtree search WORDS)")
        kind, title = existing.kind, existing.title  # kept although it left the data
    if args.replace_note and args.note is None:
        raise _error("--replace-note needs --note TEXT (the note to keep instead)")
    # The old note is read inside the write transaction (upsert), never before it: a note
    # another copy saves meanwhile is kept.
    old, bookmark = store.upsert(args.id, kind, title, note=args.note, tags=args.tags,
                                 append_note=not args.replace_note)
    verb = "updated the bookmark on" if old else "bookmarked"
    print(f"{verb}: {terminal_text(bookmark.title)} ({bookmark.record_id})")
    if args.note is not None and old is not None and old.note.strip():
        if args.replace_note:
            print("replaced the note it had" if old.note != bookmark.note
                  else "the note was already exactly this")
        elif old.note == bookmark.note:
            print("the note already contains this text, so it was not added again")
        else:
            print("added below the existing note (to replace the note instead, "
                  "add --replace-note)")
    return EXIT_OK


def _remove(args, store) -> int:
    removed = store.remove(args.id)
    if removed is None:
        raise _error(f"{args.id!r} is not bookmarked, so there is nothing to remove "
                     "(see: trialtree bookmarks list)")
    print(f"removed the bookmark on: {terminal_text(removed.title)} ({removed.record_id})")
    return EXIT_OK


def _list(args, store) -> int:
    from desktop.data.bookmark_values import ORPHAN_LABEL

    bookmarks = store.list("newest")
    orphans = {b.record_id for b in store.orphaned(_library())} if bookmarks else set()
    if args.json:
        from desktop.data.import_flags import unseen_changes

        flagged = unseen_changes(_library(), [b.record_id for b in bookmarks if b.record_id not in orphans])
        text = json.dumps([{"id": b.record_id, "kind": b.kind, "title": b.title, "note": b.note,
                            "tags": list(b.tags), "created_at": b.created_at,
                            "updated_at": b.updated_at, "in_data": b.record_id not in orphans,
                            "changes_not_seen": flagged.get(b.record_id, [])}
                           for b in bookmarks], ensure_ascii=False, indent=2)
        # JSON escapes C0 controls itself; C1 controls and bidi overrides get \\u escapes here.
        print(_UNPRINTABLE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text))
        return EXIT_OK
    if not bookmarks:
        print("trialtree: no bookmarks yet (add one with: trialtree bookmarks add ID)",
              file=sys.stderr)
    for b in bookmarks:
        title = f"{b.title} ({ORPHAN_LABEL})" if b.record_id in orphans else b.title
        note = " ".join(b.note.split())
        print("\t".join(terminal_text(cell) for cell in (
            b.record_id, b.kind, title, ", ".join(b.tags),
            note if len(note) <= 80 else note[:79] + "…")))
    return EXIT_OK


def _export(args, store) -> int:
    from desktop.data.bookmark_backups import write_atomic
    from desktop.data.bookmark_exporters import exporter, export_text

    bookmarks = store.list("newest")
    library = _library()
    text = export_text(bookmarks, args.format, library, args.order or _panel_order())
    if not args.output:
        if args.format == "json":  # the same data, with C1 controls and bidi overrides escaped
            text = _UNPRINTABLE_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
        elif sys.stdout.isatty():  # a person reads it: nothing may act on the terminal
            text = _UNPRINTABLE_ON_SCREEN.sub(lambda m: terminal_text(m.group()), text)
        sys.stdout.write(text)
        return EXIT_OK
    output = Path(args.output).expanduser()
    try:
        write_atomic(output, text.encode(exporter(args.format).encoding))
    except OSError as error:
        raise _error(f"cannot write {output}: {error.strerror or error}") from None
    print(f"wrote {len(bookmarks)} bookmark{'' if len(bookmarks) == 1 else 's'} to {output}")
    return EXIT_OK


def _panel_order() -> str:
    """The order the window's Bookmarks panel was last left in (its saved setting), so an export
    from here lists the bookmarks as the window shows them."""
    from desktop import settings

    order = settings.read(settings.open_settings(), settings.BOOKMARKS_ORDER)
    return order if order in ORDERS else ORDERS[0]


def _import(args, store) -> int:
    from desktop.data.bookmark_io import ImportFileError, import_file

    try:
        result = import_file(store, Path(args.file).expanduser())
    except ImportFileError as error:
        raise _error(f"cannot import {args.file}: {error}. Nothing was changed.") from None
    parts = [f"added {len(result.added)} bookmark{'' if len(result.added) == 1 else 's'}"]
    if result.updated:
        parts.append(f"added notes or tags to {len(result.updated)} you already had")
    if result.unchanged:
        parts.append(f"{len(result.unchanged)} you already had, unchanged")
    print("; ".join(parts))
    for record_id in result.added:
        print(f"  added: {terminal_text(record_id)}")
    return EXIT_OK
