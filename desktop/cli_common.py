"""What every command-line module shares: the one-line error and opening the reference library.

Its own module so that ``desktop.cli`` and the command modules it registers (``cli_bookmarks``)
both import it, and neither imports the other back.
"""

from __future__ import annotations

import sys


class CliError(Exception):
    """A problem to report to the user in one line."""


def open_library(force_rebuild: bool = False):
    """(library, build result) for a command; a reference database that cannot be built is a
    :class:`CliError`, a warning from the build goes to stderr."""
    from desktop.data.build import ReferenceUnavailable
    from desktop.data.reference import open_reference

    try:
        library, result = open_reference(force_rebuild)
    except ReferenceUnavailable as error:
        raise CliError(str(error)) from None
    if result.warning:
        print(f"trialtree: warning: {result.warning}", file=sys.stderr)
    return library, result
