"""One call that gives a ready Library: build or rebuild the reference database if needed."""

from __future__ import annotations

from desktop import paths
from desktop.data.build import EnsureResult, ReferenceUnavailable, ensure_reference_db
from desktop.data.library import Library


def open_reference(force_rebuild: bool = False) -> tuple[Library, EnsureResult]:
    """Ensure the reference database in the data folder is current, then open it.

    :raises desktop.data.build.ReferenceUnavailable: bad seeds and no older database to fall back on.
    """
    try:
        result = ensure_reference_db(paths.seeds_dir(), paths.reference_db_path(), force=force_rebuild)
    except paths.DataFolderUnavailable as error:
        raise ReferenceUnavailable(str(error)) from None
    return Library(result.path), result
