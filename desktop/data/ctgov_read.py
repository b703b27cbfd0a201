"""Read ClinicalTrials.gov downloads in every shape a user gets, without trusting them.

Shapes: one v2 study object, an API page ``{"studies": [...], "nextPageToken": ...}``, a JSON
array of studies, several files at once, and a ``.zip`` of per-study JSON files (the website's
bulk download). A file that cannot be read at all raises :class:`RegistryImportError` with one
line naming the file and the problem; a study that cannot be used is *skipped* with its reason
and the rest of the download is kept (:class:`ReadResult`). Sizes are bounded before anything is
unpacked, and zip entries are read in memory, never extracted to disk.
"""

from __future__ import annotations

import gc
import json
import posixpath
import re
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from desktop.data.ctgov import RegistryStudy, StudyProblem, is_study_object, study_from_json

MB = 1_000_000
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


@dataclass(frozen=True)
class Limits:
    """Bounds on what one import will read; a download beyond them is refused, not truncated."""

    max_file_bytes: int = 100 * MB  # one JSON file, or one zip entry once unpacked
    max_unpacked_bytes: int = 2_000 * MB  # all entries of one zip together
    max_zip_entries: int = 200_000
    max_compression_ratio: int = 200  # deflate of real JSON is ~5-20×; far more is a zip bomb


DEFAULT_LIMITS = Limits()


def one_line(text: str) -> str:
    """``text`` with control characters (newlines in a crafted file name, say) made visible as '?'."""
    return _CONTROL.sub("?", text)


class RegistryImportError(Exception):
    """A whole file that cannot be read: ``str()`` is one line naming the file and the problem."""

    def __init__(self, file: str, problem: str):
        self.file, self.problem = one_line(file), one_line(problem)
        super().__init__(f"{self.file}: {self.problem}")


@dataclass(frozen=True)
class Skipped:
    """A study (or a file) that was left out, and why, in one line."""

    origin: str  # the file, or "download.zip/entry.json", plus "[3]" for the 4th study of a list
    reason: str
    nctId: str | None = None

    @property
    def message(self) -> str:
        who = f" ({self.nctId})" if self.nctId else ""
        return one_line(f"{self.origin}{who}: {self.reason}")


@dataclass(frozen=True)
class ReadResult:
    """The usable studies of a download, each NCT number once, and what was skipped."""

    studies: tuple[RegistryStudy, ...]
    skipped: tuple[Skipped, ...]


# ---- JSON text → study objects ------------------------------------------------------------


@contextmanager
def collector_paused():
    """Pause the cyclic garbage collector while a download is decoded and mapped.

    Decoding makes millions of small acyclic objects; each one counts towards a collection, and
    every full collection walks the whole document again (measured: most of the mapping time at
    10,000 studies). Reference counting still frees everything as usual.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _decode(data: bytes, name: str) -> Any:
    if not data.strip():
        raise RegistryImportError(name, "the file is empty")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise RegistryImportError(name, "not JSON: the file is not UTF-8 text") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        if not text[exc.pos:].strip() or exc.msg.startswith("Unterminated string"):
            raise RegistryImportError(
                name, "the file ends too early (a truncated or interrupted download?)") from None
        hint = " (choose the JSON format when downloading)" if _looks_like_csv(text) else ""
        raise RegistryImportError(
            name, f"not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}{hint}") from None
    except RecursionError:
        raise RegistryImportError(name, "not a ClinicalTrials.gov download: JSON nested too deeply") from None
    except ValueError as exc:  # e.g. an integer with thousands of digits
        raise RegistryImportError(name, f"not usable JSON: {str(exc)[:80]}") from None


def _looks_like_csv(text: str) -> bool:
    first = text.lstrip()[:200].split("\n", 1)[0]
    return "," in first and not first.startswith(("{", "["))


def _study_objects(document: Any, name: str) -> list[tuple[str, Any]]:
    """The study objects of one parsed JSON document, each with where it sits in the file."""
    if is_study_object(document):
        return [(name, document)]
    if isinstance(document, dict) and "studies" in document:
        studies = document["studies"]
        if not isinstance(studies, list):
            raise RegistryImportError(name, "not a ClinicalTrials.gov download: 'studies' is not a list")
        return [(f"{name}[{index}]", item) for index, item in enumerate(studies)]
    if isinstance(document, list):
        return [(f"{name}[{index}]", item) for index, item in enumerate(document)]
    if isinstance(document, dict):
        raise RegistryImportError(
            name, "JSON, but not a ClinicalTrials.gov study (no protocolSection or studies list)")
    raise RegistryImportError(name, "JSON, but not a ClinicalTrials.gov study (a single value)")


def read_json_bytes(data: bytes, name: str) -> ReadResult:
    """Read one JSON download (study, page or array). Raises only :class:`RegistryImportError`."""
    with collector_paused():
        return _read_json_document(data, name)


def _read_json_document(data: bytes, name: str) -> ReadResult:
    document = _decode(data, name)
    objects = _study_objects(document, name)
    studies, skipped = [], []
    for origin, obj in objects:
        try:
            studies.append(study_from_json(obj, origin))
        except StudyProblem as problem:
            skipped.append(Skipped(origin, str(problem), _nct_id_of(obj)))
    if objects and not studies and not any(is_study_object(obj) for _, obj in objects):
        raise RegistryImportError(name, "JSON, but none of its items is a ClinicalTrials.gov study")
    return ReadResult(tuple(studies), tuple(skipped))


def _nct_id_of(obj: Any) -> str | None:
    try:
        value = obj["protocolSection"]["identificationModule"]["nctId"]
    except (KeyError, TypeError, IndexError):
        return None
    return value[:40] if isinstance(value, str) and value.strip() else None


# ---- zip archives -------------------------------------------------------------------------


def _safe_entry_name(name: str) -> bool:
    """Whether a zip entry's path stays inside the archive (no absolute path, drive or '..')."""
    if not name or name.startswith(("/", "\\")) or "\\" in name or ":" in name.split("/", 1)[0]:
        return False
    normal = posixpath.normpath(name)
    return not (normal == ".." or normal.startswith("../"))


def read_zip_bytes(data: bytes, name: str, limits: Limits = DEFAULT_LIMITS) -> ReadResult:
    """Read a zip of per-study JSON files. Raises only :class:`RegistryImportError`."""
    import io

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = [info for info in archive.infolist() if not info.is_dir()]
    except Exception:  # zipfile raises many kinds (BadZipFile, struct.error, …) on a damaged archive
        raise RegistryImportError(name, "not a readable zip archive (damaged or truncated?)") from None
    if len(entries) > limits.max_zip_entries:
        raise RegistryImportError(name, f"the archive holds {len(entries):,} files; at most "
                                        f"{limits.max_zip_entries:,} are read")
    for info in entries:
        if not _safe_entry_name(info.filename):
            raise RegistryImportError(name, f"entry '{info.filename[:80]}' has a path outside the archive; "
                                            "nothing was read from this file")
    unpacked = sum(info.file_size for info in entries)
    if unpacked > limits.max_unpacked_bytes:
        raise RegistryImportError(name, f"unpacked it would be {unpacked / MB:,.0f} MB, more than the "
                                        f"{limits.max_unpacked_bytes / MB:,.0f} MB limit; nothing was read")
    studies, skipped = [], []
    for info in entries:
        origin = f"{name}/{info.filename}"
        if not info.filename.lower().endswith(".json"):
            skipped.append(Skipped(origin, "not a .json file; left out"))
            continue
        try:
            part = _read_entry(archive, info, origin, limits)
            result = read_json_bytes(part, origin)
        except RegistryImportError as error:
            skipped.append(Skipped(origin, error.problem))
            continue
        studies.extend(result.studies)
        skipped.extend(result.skipped)
    return ReadResult(tuple(studies), tuple(skipped))


def _read_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, origin: str, limits: Limits) -> bytes:
    if info.file_size > limits.max_file_bytes:
        raise RegistryImportError(origin, f"{info.file_size / MB:,.0f} MB unpacked, more than the "
                                          f"{limits.max_file_bytes / MB:,.0f} MB limit")
    if info.compress_size and info.file_size > 1 * MB and \
            info.file_size / info.compress_size > limits.max_compression_ratio:
        raise RegistryImportError(origin, "packed far more tightly than any real download (a zip bomb?)")
    try:
        with archive.open(info) as stream:
            data = stream.read(limits.max_file_bytes + 1)  # the header's size may lie
    except Exception as exc:  # damaged data, unsupported compression or encryption
        raise RegistryImportError(origin, f"cannot be unpacked ({str(exc)[:60] or 'damaged'})") from None
    if len(data) > limits.max_file_bytes:
        raise RegistryImportError(origin, f"more than the {limits.max_file_bytes / MB:,.0f} MB limit unpacked")
    return data


# ---- files on disk ------------------------------------------------------------------------

ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"


def read_bytes(data: bytes, name: str, limits: Limits = DEFAULT_LIMITS) -> ReadResult:
    """Read one download from memory, a zip or JSON judged by its content, not its name."""
    if len(data) > limits.max_file_bytes:
        raise RegistryImportError(name, f"the file is larger than the {limits.max_file_bytes / MB:,.0f} MB limit")
    if data.startswith((ZIP_MAGIC, EMPTY_ZIP_MAGIC)):
        return read_zip_bytes(data, name, limits)
    return read_json_bytes(data, name)


def read_file(path: Path, limits: Limits = DEFAULT_LIMITS) -> ReadResult:
    """Read one downloaded file; the size is checked before a byte is read."""
    name = Path(path).name
    try:
        size = Path(path).stat().st_size
        if size > limits.max_file_bytes:
            raise RegistryImportError(name, f"the file is {size / MB:,.0f} MB, larger than the "
                                            f"{limits.max_file_bytes / MB:,.0f} MB limit; download fewer studies per file")
        data = Path(path).read_bytes()
    except IsADirectoryError:
        raise RegistryImportError(name, "is a folder, not a downloaded file") from None
    except FileNotFoundError:
        raise RegistryImportError(name, "no such file") from None
    except OSError as exc:
        raise RegistryImportError(name, f"cannot be read ({exc.strerror or exc})") from None
    return read_bytes(data, name, limits)


def read_download(paths: Iterable[Path], limits: Limits = DEFAULT_LIMITS) -> ReadResult:
    """Read several downloaded files as one import: a file that fails is listed, the others are kept.

    A study found more than once (two pages overlapping, or an older and a newer download) is kept
    once: the copy with the latest ``lastUpdatePostDate``; the other copy is listed as skipped.
    """
    kept: dict[str, RegistryStudy] = {}
    skipped: list[Skipped] = []
    for path in paths:
        try:
            result = read_file(Path(path), limits)
        except RegistryImportError as error:
            skipped.append(Skipped(error.file, error.problem))
            continue
        skipped.extend(result.skipped)
        for study in result.studies:
            earlier = kept.get(study.nctId)
            if earlier is None:
                kept[study.nctId] = study
                continue
            newer, older = (study, earlier) if (study.last_update or "") > (earlier.last_update or "") \
                else (earlier, study)
            kept[study.nctId] = newer
            skipped.append(Skipped(older.origin, f"the same study again; kept the copy from {newer.origin}"
                                                 f" (registry update {newer.last_update or 'not given'})",
                                   older.nctId))
    return ReadResult(tuple(kept.values()), tuple(skipped))
