"""The tree groupings, one declaration each: what the tree shows at the top, beneath each node,
and where a record sits in it.

A :class:`Grouping` says its name, its menu label, its column header, how to read its top level
(``roots``) and the children of a node (``children``), and which node keys lead to a record
(``paths``). ``Library.tree_children``, the tree's header, the grouping menu and the
"show in tree" walk all read :data:`REGISTRY`, so a new grouping is one :func:`register` call.

Node keys are ``grouping:value`` at the top and ``key/kind:id`` beneath (``status:completed/
study:ID``, ``mechanism:ID/treatment:ID/study:ID``); ``grouping:`` (an empty value) is the
"none stated" node. Pure Python: no Qt.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Iterator, Protocol, Sequence

from desktop.data.records import Record, TreeNode
from desktop.data.schema import CONDITIONS, NOT_YET_FILED, main_conditions
from desktop.data.seeds import STUDY_STATUSES
from desktop.data.vocabulary import (NO_CONDITION, NO_MECHANISM, NO_PHASE, NO_TREATMENT,
                                     NOT_YET_FILED_LABEL,
                                     STATUS_GROUP_LABELS)

Page = tuple[int, int]  # (limit, offset); a negative limit: all from offset
RecordOf = Callable[[str], Record]
MAX_PATHS = 24  # enough to find any real placement without reading hundreds of records


class GroupSource(Protocol):
    """What a grouping asks of the reference database (``Library`` has it)."""

    def rows(self, sql: str, params: tuple = ()) -> list[Any]: ...
    def study_nodes(self, key: str, sql: str, params: tuple, page: Page) -> list[TreeNode]: ...
    def stored_group(self, key: str, grouping: str, value: str, page: Page) -> list[TreeNode]: ...
    def group_counts(self, grouping: str) -> dict[str, int]: ...
    def mechanism_study_count(self, mechanism_id: str) -> int: ...
    def remembered(self, key: str, compute: Callable[[], Any]) -> Any: ...


# What a study node shows: its title, where it stands, and whether it was cross-checked.
STUDY_COLUMNS = ("s.id, coalesce(s.short_title, s.title) AS title, s.status, s.phase, "
                 "EXISTS (SELECT 1 FROM cross_checks c WHERE c.record_id = s.id) AS crosschecked")
STUDIES = f"SELECT {STUDY_COLUMNS} FROM studies s "


@dataclass(frozen=True)
class Grouping:
    """One way to group the tree."""

    name: str
    label: str        # the menu entry: "By status"
    header: str       # the tree's column header: "Where the trials stand → trial"
    roots: Callable[[GroupSource], list[TreeNode]]
    children: Callable[[GroupSource, str, Page], list[TreeNode]]  # beneath a node key
    paths: Callable[[Record, RecordOf], Iterator[list[str]]]

    def node_key(self, value: str) -> str:
        """The key of a top-level node: ``status:completed``."""
        return f"{self.name}:{value}"


REGISTRY: dict[str, Grouping] = {}


def register(grouping: Grouping) -> Grouping:
    """Add a grouping to the tree (menu, header, children and paths all follow)."""
    REGISTRY[grouping.name] = grouping
    return grouping


def get(name: str) -> Grouping:
    """The grouping called ``name``; ValueError naming the choices if there is none."""
    if name not in REGISTRY:
        raise ValueError(f"unknown grouping {name!r}; choose one of {', '.join(REGISTRY)}")
    return REGISTRY[name]


def names() -> tuple[str, ...]:
    return tuple(REGISTRY)


def tree_paths(grouping: str, record: Record, record_of: RecordOf) -> list[list[str]]:
    """Every path (up to MAX_PATHS) to ``record`` in ``grouping``, best first; [] if not there.

    Example: a study filed under mechanism ``autoantibodies`` (a child of ``autoimmunity``) that
    tests rituximab has, in the mechanism tree, the path ``mechanism:autoimmunity`` →
    ``mechanism:autoantibodies`` → ``mechanism:autoantibodies/treatment:rituximab`` →
    ``mechanism:autoantibodies/treatment:rituximab/study:rituxme-phase3-rct``.
    """
    declared = REGISTRY.get(grouping)
    if declared is None:
        return []
    paths: list[list[str]] = []
    for path in declared.paths(record, record_of):
        if path not in paths:
            paths.append(path)
        if len(paths) >= MAX_PATHS:
            break
    return paths


def _ids(record: Record, link: str) -> list[str]:
    return [ref.id for ref in record.links.get(link, ())]


def _study_path(name: str, value: str, study_id: str) -> list[str]:
    return [f"{name}:{value}", f"{name}:{value}/study:{study_id}"]


def _value(key: str) -> str:
    return key.split(":", 1)[1]


# ---- a study column: status, phase -------------------------------------------------------


def by_column(name: str, label: str, header: str, column: str,
              title: Callable[[str], str], order: Callable[[str], Any] = lambda v: v) -> Grouping:
    """Studies grouped by the value of one column (an empty value: the "not stated" node)."""

    def roots(source: GroupSource) -> list[TreeNode]:
        rows = source.rows(f"SELECT coalesce({column}, '') AS value, count(*) AS n FROM studies "
                           "GROUP BY 1")
        return [TreeNode(f"{name}:{r[0]}", "group", title(r[0]), None, r[1], True)
                for r in sorted(rows, key=lambda r: order(r[0]))]

    def children(source: GroupSource, key: str, page: Page) -> list[TreeNode]:
        value = _value(key)
        where = f"WHERE s.{column} = ?" if value else f"WHERE coalesce(s.{column}, '') = ?"
        return source.study_nodes(key, STUDIES + where, (value,), page)

    def paths(record: Record, record_of: RecordOf) -> Iterator[list[str]]:
        if record.kind == "study":
            yield _study_path(name, record.get(column) or "", record.id)

    return Grouping(name, label, header, roots, children, paths)


# ---- a linked record: treatment, person, institution -------------------------------------


def by_link(name: str, label: str, header: str, table: str, link_table: str, column: str,
            link: str, order: str = "g.name", none_title: str | None = None) -> Grouping:
    """Studies grouped by a record they link to (``link_table.column``); ``link`` is the name of
    those links on a study's Record. With ``none_title``, studies linking none get a node too."""

    def roots(source: GroupSource) -> list[TreeNode]:
        nodes = [TreeNode(f"{name}:{r[0]}", name, r[1], r[0], r[2], True)
                 for r in source.rows(f"SELECT g.id, g.name, count(x.study_id) AS n FROM {table} g "
                                      f"JOIN {link_table} x ON x.{column} = g.id "
                                      f"GROUP BY g.id ORDER BY {order}")]
        if none_title is not None:
            lone = source.rows(f"SELECT count(*) FROM studies s WHERE NOT EXISTS (SELECT 1 FROM "
                               f"{link_table} x WHERE x.study_id = s.id)")[0][0]
            if lone:
                nodes.append(TreeNode(f"{name}:", "group", none_title, None, lone, True))
        return nodes

    def children(source: GroupSource, key: str, page: Page) -> list[TreeNode]:
        value = _value(key)
        if not value:
            return source.study_nodes(key, STUDIES + f"WHERE NOT EXISTS (SELECT 1 FROM {link_table} x "
                                      "WHERE x.study_id = s.id)", (), page)
        return source.study_nodes(key, STUDIES + f"JOIN {link_table} x ON x.study_id = s.id "
                                  f"WHERE x.{column} = ?", (value,), page)

    def paths(record: Record, record_of: RecordOf) -> Iterator[list[str]]:
        if record.kind == name:
            yield [f"{name}:{record.id}"]
        elif record.kind == "study":
            for value in _ids(record, link) or ([""] if none_title is not None else []):
                yield _study_path(name, value, record.id)

    return Grouping(name, label, header, roots, children, paths)


# ---- groups worked out at build time: condition (see schema.STORED_GROUPINGS) --------------


def by_stored_group(name: str, label: str, header: str, values: Sequence[str],
                    none_title: str, values_of: Callable[[Record], list[str]]) -> Grouping:
    """Studies grouped by the build's ``study_groups`` table (``values`` in order, then none)."""

    def roots(source: GroupSource) -> list[TreeNode]:
        counts = source.group_counts(name)
        return [TreeNode(f"{name}:{v}", "group", v or none_title, None, counts[v], True)
                for v in (*values, "") if counts.get(v)]

    def children(source: GroupSource, key: str, page: Page) -> list[TreeNode]:
        return source.stored_group(key, name, _value(key), page)

    def paths(record: Record, record_of: RecordOf) -> Iterator[list[str]]:
        if record.kind == "study":
            for value in values_of(record) or [""]:
                yield _study_path(name, value, record.id)

    return Grouping(name, label, header, roots, children, paths)


# ---- the mechanism tree: mechanism → sub-mechanism → treatment → study --------------------

_STUDIES_OF_MECHANISM = STUDIES + "JOIN study_mechanisms m ON m.study_id = s.id AND m.mechanism_id = ? "


def _mechanism_children(source: GroupSource, key: str, page: Page) -> list[TreeNode]:
    parts = dict(part.split(":", 1) for part in key.split("/")) if key else {}
    if "treatment" in parts:
        return source.study_nodes(key, _STUDIES_OF_MECHANISM + "JOIN study_treatments t ON "
                                  "t.study_id = s.id AND t.treatment_id = ?",
                                  (parts["mechanism"], parts["treatment"]), page)
    mechanism = parts.get("mechanism")
    if mechanism in ("", NOT_YET_FILED):  # "No mechanism stated" / imported, "Not yet filed"
        return source.stored_group(key, "mechanism", mechanism, page)
    # Qt asks for a long group page after page on one click: the sub-mechanisms and treatments
    # (counted over every study filed here) are worked out once per database, not per page.
    head = source.remembered(f"mechanism-head:{key}", lambda: _mechanism_head(source, key, mechanism))
    if mechanism is None:
        return page_of(head, page)
    # Then the studies filed here that test no single treatment (reviews, genetics…), paged.
    limit, offset = page
    nodes = page_of(head, page)
    if limit >= 0 and len(nodes) >= limit:
        return nodes
    study_page = (-1 if limit < 0 else limit - len(nodes), max(0, offset - len(head)))
    return nodes + source.study_nodes(key, _STUDIES_OF_MECHANISM + "WHERE NOT EXISTS (SELECT 1 "
                                      "FROM study_treatments x WHERE x.study_id = s.id)",
                                      (mechanism,), study_page)


def _mechanism_head(source: GroupSource, key: str, mechanism: str | None) -> list[TreeNode]:
    """A mechanism's sub-mechanisms, then its treatments (the top: the mechanisms, then the
    "No mechanism stated" and "Not yet filed" groups)."""
    head = [TreeNode(f"mechanism:{r[0]}", "mechanism", r[1], r[0],
                     source.mechanism_study_count(r[0]), True)
            for r in source.rows("SELECT id, name FROM mechanisms WHERE parent_id IS ? "
                                 "ORDER BY position", (mechanism,))]
    if mechanism is None:
        unfiled = source.group_counts("mechanism").get("", 0)
        if unfiled:
            head.append(TreeNode("mechanism:", "group", NO_MECHANISM, None, unfiled, True))
        waiting = source.group_counts("mechanism").get(NOT_YET_FILED, 0)
        if waiting:
            head.append(TreeNode(f"mechanism:{NOT_YET_FILED}", "group", NOT_YET_FILED_LABEL, None,
                                 waiting, True))
        return head
    return head + [TreeNode(f"{key}/treatment:{r[0]}", "treatment", r[1], r[0], r[2], True)
             for r in source.rows(
                 "SELECT t.id, t.name, count(*) AS n FROM study_mechanisms m "
                 "JOIN study_treatments x ON x.study_id = m.study_id "
                 "JOIN treatments t ON t.id = x.treatment_id WHERE m.mechanism_id = ? "
                 "GROUP BY t.id ORDER BY t.position", (mechanism,))]


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


def _mechanism_paths(record: Record, record_of: RecordOf) -> Iterator[list[str]]:
    if record.kind == "mechanism":
        yield _mechanism_chain(record.id, record_of)
    elif record.kind == "study":
        mechanisms = _ids(record, "mechanisms")
        if not mechanisms:  # under "No mechanism stated", or an import's "Not yet filed"
            group = NOT_YET_FILED if record.get("imported_from") else ""
            yield [f"mechanism:{group}", f"mechanism:{group}/study:{record.id}"]
        for mechanism in mechanisms:
            yield from _study_under_mechanism(record, mechanism, record_of)
    elif record.kind == "treatment":
        for study_id in _ids(record, "studies")[:MAX_PATHS]:
            for mechanism in _ids(record_of(study_id), "mechanisms"):
                yield _mechanism_chain(mechanism, record_of) + [f"mechanism:{mechanism}/treatment:{record.id}"]


def page_of(nodes: list[TreeNode], page: Page) -> list[TreeNode]:
    limit, offset = page
    return nodes[offset:] if limit < 0 else nodes[offset:offset + limit]


# ---- the groupings, in menu order ----------------------------------------------------------

register(Grouping("mechanism", "By mechanism", "Mechanism → treatment → trial",
                  lambda source: _mechanism_children(source, "", (-1, 0)),
                  _mechanism_children, _mechanism_paths))
register(by_stored_group("condition", "By condition", "ME/CFS or long COVID → trial", CONDITIONS,
                         NO_CONDITION, lambda study: main_conditions(study.get("conditions") or [])))
register(by_link("treatment", "By treatment", "Treatment → trial", "treatments", "study_treatments",
                 "treatment_id", "treatments", order="g.position", none_title=NO_TREATMENT))
register(by_column("status", "By status", "Where the trials stand → trial", "status",
                   lambda v: STATUS_GROUP_LABELS.get(v, v),
                   order=lambda v: STUDY_STATUSES.index(v) if v in STUDY_STATUSES else len(STUDY_STATUSES)))
register(by_column("phase", "By phase", "Stage of testing → trial", "phase",
                   lambda v: f"Phase {v}" if v else NO_PHASE, order=lambda v: (v == "", v)))
register(by_link("person", "By person", "Researcher → trial", "people", "study_people", "person_id",
                 "people"))
register(by_link("institution", "By institution", "Institution → trial", "institutions",
                 "study_institutions", "institution_id", "institutions"))
