"""``trialtree import …``: bring ClinicalTrials.gov downloads in, file, remove, mark changes seen.

Registered by :func:`add_command` and run by :func:`run`, both called from ``desktop.cli``. Only
argparse is imported at load time. User mistakes raise ``desktop.cli_common.CliError`` (one line on
stderr, exit status 1).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_OK = 0


def add_command(subparsers: argparse._SubParsersAction) -> None:
    command = subparsers.add_parser(
        "import", help="import ClinicalTrials.gov downloads (JSON or zip), or manage imported studies",
        description="Import studies downloaded from ClinicalTrials.gov (JSON, one study, an API page, "
                    "an array, or the website's zip). They are kept in your data folder and shown "
                    "beside the curated studies, filed by mechanism.")
    command.add_argument("files", nargs="*", metavar="FILE", help="downloaded .json or .zip files")
    command.add_argument("--keep-other-conditions", action="store_true",
                         help="also keep studies of neither ME/CFS nor long COVID")
    command.add_argument("--remove", metavar="ID", action="append", default=[],
                         help="remove an imported study (NCT number); bookmarks on it are kept")
    command.add_argument("--file-under", nargs=2, metavar=("ID", "MECHANISM"), action="append",
                         default=[], help="file an imported study under a mechanism (your choice "
                                          "is kept across re-imports and rebuilds)")
    command.add_argument("--mark-seen", metavar="ID", action="append", default=[],
                         help="mark the changes recorded on a study as seen")


def _error(message: str) -> Exception:
    from desktop.cli_common import CliError

    return CliError(message)


def run(args: argparse.Namespace) -> int:
    from desktop.data.import_store import ImportsUnreadable

    try:
        return _run(args)
    except ImportsUnreadable as error:
        raise _error(str(error)) from None


def _run(args: argparse.Namespace) -> int:
    from desktop import paths
    from desktop.cli_common import open_library as _library
    from desktop.data.ctgov_read import RegistryImportError
    from desktop.data.import_store import IMPORTS_DB_NAME, ImportStore, UnknownImport
    from desktop.data.seeds import SeedError

    if not (args.files or args.remove or args.file_under or args.mark_seen):
        raise _error("give downloaded files to import, or --remove, --file-under or --mark-seen "
                     "(see: trialtree import --help)")
    imports_db = paths.data_dir() / IMPORTS_DB_NAME
    if args.files:
        _import_files(args, imports_db, RegistryImportError, SeedError)
    if args.remove or args.file_under:
        library, _ = _library()
        mechanisms = set(library.ids("mechanism"))
        if not imports_db.exists():
            raise _error("no studies have been imported yet (import some with: trialtree import FILE)")
        with ImportStore(imports_db) as store:
            for name in args.remove:
                try:
                    store.remove(name)
                except UnknownImport:
                    raise _error(f"{name!r} is not an imported study (imported: trialtree search "
                                 "'ClinicalTrials.gov download')") from None
                print(f"removed the imported study {name.upper()}; bookmarks on it are kept")
            for name, mechanism in args.file_under:
                if mechanism not in mechanisms:
                    raise _error(f"{mechanism!r} is not a mechanism id (see: trialtree tree)")
                try:
                    store.file_under(name, mechanism)
                except UnknownImport:
                    raise _error(f"{name!r} is not an imported study") from None
                print(f"filed {name.upper()} under {library.title_of(mechanism)} ({mechanism})")
        library.close()
    for name in args.mark_seen:
        from desktop.cli_common import resolve as _resolve
        from desktop.data.import_flags import mark_seen

        library, _ = _library()
        count = mark_seen(library, imports_db, _resolve(library, name))
        print(f"marked {count} change(s) on {name} as seen")
    _library()  # refresh the reference data now, so the next command finds it ready
    return EXIT_OK


def _import_files(args, imports_db: Path, RegistryImportError, SeedError) -> None:
    from desktop import paths
    from desktop.data.import_run import run_import

    files = [Path(f) for f in args.files]
    for file in files:  # a file named but missing or unreadable is the user's mistake: say so
        if not file.is_file():
            raise _error(f"{file.name}: {'no such file' if not file.exists() else 'not a file'}")
    try:
        summary = run_import(files, seeds_dir=paths.seeds_dir(), reference_db=paths.reference_db_path(),
                             imports_db=imports_db, keep_other_conditions=args.keep_other_conditions)
    except SeedError as error:
        raise _error(f"the filing rules have an error: {error}") from None
    if not summary.studies_read and len(files) == 1 and len(summary.skipped) == 1:
        raise _error(summary.skipped[0])  # one bad file: one clear line, exit 1
    print(summary.line())
    for line in summary.skipped:
        print(f"  skipped: {line}", file=sys.stderr)
    if summary.refused_by_condition:
        print(f"  refused: {', '.join(summary.refused_by_condition[:20])}"
              f"{' …' if len(summary.refused_by_condition) > 20 else ''}", file=sys.stderr)
    if not summary.studies_read:
        raise _error("nothing was imported: every file or study above was skipped")
