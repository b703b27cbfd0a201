"""``trialtree compare ID ID [ID...] [--json]``: two to four studies side by side, the same table
the compare window shows (desktop.data.compare)."""

from __future__ import annotations

import argparse
import json

EXIT_OK = 0


def add_command(commands) -> None:
    parser = commands.add_parser("compare", help="print 2 to 4 studies side by side")
    parser.add_argument("ids", nargs="+", metavar="ID",
                        help="2 to 4 study ids, registry numbers or acronyms, as for show")
    parser.add_argument("--json", action="store_true", help="print JSON")


def run(args: argparse.Namespace) -> int:
    from desktop.cli_common import CliError, resolve as _resolve
    from desktop.cli_common import open_library as _library
    from desktop.data.compare import (
        MAX_STUDIES,
        MIN_STUDIES,
        CompareError,
        as_text,
        compare,
    )

    if not MIN_STUDIES <= len(args.ids) <= MAX_STUDIES:
        raise CliError(f"compare needs {MIN_STUDIES} to {MAX_STUDIES} study ids, "
                       f"not {len(args.ids)}")
    library, _ = _library()
    try:
        records = [library.record(_resolve(library, name)) for name in args.ids]
        comparison = compare(records)
    except CompareError as error:
        raise CliError(str(error)) from None
    finally:
        library.close()
    if args.json:
        print(json.dumps(comparison.to_json(), ensure_ascii=False, indent=2))
    else:
        print(as_text(comparison))
    return EXIT_OK
