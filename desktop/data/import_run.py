"""One import of registry downloads, start to finish, for the command line and the window's worker.

Read the files (bad ones listed, good studies kept), refuse studies in neither condition unless
asked, store the rest in one transaction, and say what happened. ``progress`` and ``cancelled``
let a worker thread report and stop; a cancelled import changes nothing. The reference database
notices the new imports revision and refreshes the next time it is opened.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from desktop.data.ctgov_read import (
    DEFAULT_LIMITS,
    Limits,
    collector_paused,
    read_download,
)
from desktop.data.filing import file_study, load_rules
from desktop.data.import_merge import attached_to, curated_numbers_in
from desktop.data.import_store import ImportCancelled, ImportStore, ImportSummary


def run_import(files: Iterable[Path], *, seeds_dir: Path, reference_db: Path, imports_db: Path,
               keep_other_conditions: bool = False,
               progress: Callable[[int, int], None] | None = None,
               cancelled: Callable[[], bool] | None = None,
               limits: Limits = DEFAULT_LIMITS) -> ImportSummary:
    """Import ``files`` into ``imports_db``.

    :raises desktop.data.seeds.SeedError: the filing rules are broken.
    :raises desktop.data.import_store.ImportCancelled: ``cancelled`` said yes; nothing changed.

    ``progress(done, total)`` counts files while reading, then studies while storing.
    """
    rules = load_rules(Path(seeds_dir) / "filing.toml")
    numbers = curated_numbers_in(reference_db)
    files = list(files)

    def watched():  # reading is reported and can be stopped file by file
        for done, file in enumerate(files):
            if cancelled is not None and cancelled():
                raise ImportCancelled("the import was cancelled; nothing was changed")
            if progress is not None:
                progress(done, len(files))
            yield file

    with collector_paused():
        result = read_download(watched(), limits)
    summary = ImportSummary(skipped=[s.message for s in result.skipped], studies_read=len(result.studies))

    def keep(study) -> bool:
        if attached_to(study, numbers) is not None:
            summary.attached.append(study.nctId)
            return True
        return keep_other_conditions or not file_study(study, rules).in_neither_condition

    with ImportStore(imports_db) as store:
        return store.import_studies(result.studies, keep=keep, progress=progress,
                                    cancelled=cancelled, summary=summary)
