"""Where things live: the user data folder, the seeds and the resources.

No Qt here: the CLI and the data layer use it too.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "trialtree"
DATA_DIR_ENV = "TRIALTREE_DATA_DIR"
SEEDS_DIR_ENV = "TRIALTREE_SEEDS_DIR"

_PACKAGE = Path(__file__).resolve().parent
_BUNDLED = _PACKAGE / "_bundled"  # inside an installed wheel
_CHECKOUT = _PACKAGE.parent  # a source checkout or editable install

REFERENCE_DB_NAME = "reference.db"
USER_DB_NAME = "user.db"


class DataFolderUnavailable(OSError):
    """The data folder does not exist and cannot be made; the message says which and why."""


def data_dir() -> Path:
    """The folder for the databases: ``$TRIALTREE_DATA_DIR`` or the platform's user data folder."""
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        path = Path(override).expanduser()
    else:
        from platformdirs import user_data_dir

        path = Path(user_data_dir(APP_NAME, appauthor=False))
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        why = "no permission" if isinstance(error, PermissionError) else (error.strerror or error)
        raise DataFolderUnavailable(
            f"TrialTree cannot make its data folder {path} ({why}). Set {DATA_DIR_ENV} to a "
            f"folder you can write to.") from None
    return path


def reference_db_path() -> Path:
    return data_dir() / REFERENCE_DB_NAME


def user_db_path() -> Path:
    return data_dir() / USER_DB_NAME


def _first_existing(*candidates: Path) -> Path:
    for candidate in candidates:
        if candidate.is_dir():
            return candidate
    return candidates[-1]


def seeds_dir() -> Path:
    """The seed files: ``$TRIALTREE_SEEDS_DIR``, the wheel's bundled copy, or the checkout's."""
    override = os.environ.get(SEEDS_DIR_ENV)
    if override:
        return Path(override).expanduser()
    return _first_existing(_BUNDLED / "seeds", _CHECKOUT / "seeds")


def resources_dir() -> Path:
    return _first_existing(_BUNDLED / "resources", _CHECKOUT / "resources")


def folder_is_writable(folder: Path) -> bool:
    """Whether a file can be made in ``folder``: tried for real, because ``os.access`` says yes
    to root even on a read-only mount. Tests replace it to act out a read-only folder."""
    import tempfile

    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".trialtree-write-test-"):
            return True
    except OSError:
        return False
