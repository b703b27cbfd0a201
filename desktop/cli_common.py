"""What every command-line module shares: the one-line error and opening the reference library.

Its own module so that ``desktop.cli`` and the command modules it registers (``cli_bookmarks``)
both import it, and neither imports the other back (``cli_compare`` and ``cli_import`` too).
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


def resolve(library, name: str) -> str:
    """The one record id ``name`` names (id, registry number, DOI, acronym), or a CliError."""
    ids = library.resolve(name)
    if not ids:
        raise CliError(f"no record has the id {name!r}, nor that registry number, DOI or "
                       "acronym (try: trialtree search WORDS)")
    if len(ids) > 1:
        raise CliError(f"{name!r} names several records: {', '.join(ids)}")
    return ids[0]
