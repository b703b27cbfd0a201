"""Where a record sits in each grouping tree, as the list of node keys from the top down.

The tree is lazy, so a record that is not loaded yet can only be found by walking down from the
top; these paths say which way to walk. They mirror the keys ``Library.tree_children`` builds
(``mechanism:ID``, ``mechanism:ID/treatment:ID/study:ID``, ``status:completed/study:ID`` …).
Pure Python over :class:`~desktop.data.records.Record`: no Qt, no SQL.
"""

from __future__ import annotations

from typing import Callable, Iterator

from desktop.data.records import Record
from desktop.data.schema import main_conditions

RecordOf = Callable[[str], Record]
MAX_PATHS = 24  # enough to find any real placement without reading hundreds of records


def tree_paths(grouping: str, record: Record, record_of: RecordOf) -> list[list[str]]:
    """Every path (up to MAX_PATHS) to ``record`` in ``grouping``, best first; [] if not there.

    Example: a study filed under mechanism ``autoantibodies`` (a child of ``autoimmunity``) that
    tests rituximab has, in the mechanism tree, the path ``mechanism:autoimmunity`` →
    ``mechanism:autoantibodies`` → ``mechanism:autoantibodies/treatment:rituximab`` →
    ``mechanism:autoantibodies/treatment:rituximab/study:rituxme-phase3-rct``.
    """
    finder = _FINDERS.get(grouping)
    if finder is None:
        return []
    paths: list[list[str]] = []
    for path in finder(record, record_of):
        if path not in paths:
            paths.append(path)
        if len(paths) >= MAX_PATHS:
            break
    return paths


def _ids(record: Record, link: str) -> list[str]:
    return [ref.id for ref in record.links.get(link, ())]


def _mechanism_chain(mechanism_id: str, record_of: RecordOf) -> list[str]:
    chain: list[str] = []
    current: str | None = mechanism_id
    while current and len(chain) < 64:
        chain.append(f"mechanism:{current}")
        parents = _ids(record_of(current), "parent")
        current = parents[0] if parents else None
    return chain[::-1]


def _study_under_mechanism(study: Record, mechanism_id: str, record_of: RecordOf) -> Iterator[list[str]]:
    chain = _mechanism_chain(mechanism_id, record_of)
    treatments = _ids(study, "treatments")
    if not treatments:
        yield chain + [f"mechanism:{mechanism_id}/study:{study.id}"]
    for treatment in treatments:
        node = f"mechanism:{mechanism_id}/treatment:{treatment}"
        yield chain + [node, f"{node}/study:{study.id}"]


def _by_mechanism(record: Record, record_of: RecordOf) -> Iterator[list[str]]:
    if record.kind == "mechanism":
        yield _mechanism_chain(record.id, record_of)
    elif record.kind == "study":
        mechanisms = _ids(record, "mechanisms")
        if not mechanisms:  # under "No mechanism stated"
            yield ["mechanism:", f"mechanism:/study:{record.id}"]
        for mechanism in mechanisms:
            yield from _study_under_mechanism(record, mechanism, record_of)
    elif record.kind == "treatment":
        for study_id in _ids(record, "studies")[:MAX_PATHS]:
            for mechanism in _ids(record_of(study_id), "mechanisms"):
                yield _mechanism_chain(mechanism, record_of) + [f"mechanism:{mechanism}/treatment:{record.id}"]


def _by_treatment(record: Record, record_of: RecordOf) -> Iterator[list[str]]:
    if record.kind == "treatment":
        yield [f"treatment:{record.id}"]
    elif record.kind == "study":
        for treatment in _ids(record, "treatments") or [""]:
            yield [f"treatment:{treatment}", f"treatment:{treatment}/study:{record.id}"]


def _by_condition(record: Record, record_of: RecordOf) -> Iterator[list[str]]:
    if record.kind == "study":
        for condition in main_conditions(record.get("conditions") or []) or [""]:
            yield [f"condition:{condition}", f"condition:{condition}/study:{record.id}"]


def _by_field(name: str) -> Callable[[Record, RecordOf], Iterator[list[str]]]:
    def finder(record: Record, record_of: RecordOf) -> Iterator[list[str]]:
        if record.kind == "study":
            value = record.get(name) or ""
            yield [f"{name}:{value}", f"{name}:{value}/study:{record.id}"]
    return finder


def _by_link(kind: str, link: str) -> Callable[[Record, RecordOf], Iterator[list[str]]]:
    def finder(record: Record, record_of: RecordOf) -> Iterator[list[str]]:
        if record.kind == kind:
            yield [f"{kind}:{record.id}"]
        elif record.kind == "study":
            for group in _ids(record, link):
                yield [f"{kind}:{group}", f"{kind}:{group}/study:{record.id}"]
    return finder


_FINDERS: dict[str, Callable[[Record, RecordOf], Iterator[list[str]]]] = {
    "mechanism": _by_mechanism,
    "condition": _by_condition,
    "treatment": _by_treatment,
    "status": _by_field("status"),
    "phase": _by_field("phase"),
    "person": _by_link("person", "people"),
    "institution": _by_link("institution", "institutions"),
}
