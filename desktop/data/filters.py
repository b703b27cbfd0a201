"""The search filters (``phase:2``, ``drug:ritux`` …), one declaration each.

A :class:`FilterSpec` says the filter's name and the other spellings a user may type, the rows it
adds to the search tips, whether its value is a number, how a value becomes an SQL condition
(``resolve``) and which known values a misspelt one is compared with (``candidates``). The parser
(:mod:`desktop.data.query`), the search (:mod:`desktop.data.search`), "did you mean" and the
search tips all read :data:`BY_NAME`, so a new filter is one declaration here (or one
:func:`register` call).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Sequence

from desktop.data.search_context import Named, SearchContext, norm
from desktop.data.text import fold

# (SQL condition, its parameters, whether only a study can meet it), or None: nothing matches
Condition = tuple[str, list[Any], bool] | None
MAX_INT = 2 ** 62


@dataclass(frozen=True)
class FilterSpec:
    """One filter: ``name:value`` (or ``name>value`` when numeric)."""

    name: str
    aliases: tuple[str, ...]                       # other spellings: drug → treatment, drugs …
    help: tuple[tuple[str, str], ...]              # (what to type, what it does) for the tips
    resolve: Callable[[SearchContext, Any, str], Condition]  # (context, Filter, folded value)
    candidates: Callable[[SearchContext], Iterable[str]] | None = None  # for "did you mean"
    numeric: bool = False


STATUS_SYNONYMS = {
    "recruiting": ("enrolling",), "active": ("ongoing", "enrolling"), "running": ("ongoing",),
    "underway": ("ongoing",), "finished": ("completed",), "done": ("completed",),
    "complete": ("completed",), "terminated": ("stopped",), "halted": ("stopped",),
    "withdrawn": ("stopped",), "future": ("planned",), "proposed": ("planned",),
}
COUNTRY_SYNONYMS = {
    "uk": ("united kingdom", "england", "scotland", "wales", "northern ireland"),
    "britain": ("united kingdom", "england", "scotland", "wales"),
    "us": ("united states",), "usa": ("united states",), "america": ("united states",),
    "holland": ("netherlands",), "deutschland": ("germany",), "norge": ("norway",),
}
ROMAN = {"i": "1", "ii": "2", "iii": "3", "iv": "4"}
RECORD_KIND_WORDS = {
    "study": "study", "studies": "study", "trial": None, "treatment": "treatment",
    "treatments": "treatment", "drug": "treatment", "drugs": "treatment",
    "mechanism": "mechanism", "mechanisms": "mechanism", "person": "person", "people": "person",
    "institution": "institution", "institutions": "institution", "term": "term",
    "terms": "term", "glossary": "term",
}
HAS_VALUES = {  # has:<value> -> (table with record_id, or a study column that must be filled)
    "crosscheck": ("cross_checks", None), "identifier": ("identifiers", None),
    "publication": ("publications", None), "fact": ("external_facts", None),
    "result": (None, "result"), "enrollment": (None, "enrollment"), "phase": (None, "phase"),
}
_HAS_ALIASES = {"crosschecks": "crosscheck", "cross": "crosscheck", "check": "crosscheck",
                "checks": "crosscheck", "id": "identifier", "ids": "identifier",
                "identifiers": "identifier", "registry": "identifier", "doi": "publication",
                "paper": "publication", "publications": "publication", "pmid": "publication",
                "results": "result", "facts": "fact", "n": "enrollment"}


def _in(column: str, values: Sequence[Any] | set) -> str:
    return f"{column} IN ({', '.join('?' * len(values))})"


def _loosely(value: str, name: str) -> bool:
    """Does the folded ``value`` start a word run of ``name``? ('flu' → 'oystein fluge')."""
    return (" " + value) in " " + norm(name)


def _matching(value: str, records: Sequence[Named]) -> list[str]:
    """Ids of the records one of whose names ``value`` loosely matches."""
    needle = " " + value
    return [r.id for r in records if needle in r.haystack]


def with_descendants(ids: Iterable[str], children: dict[str, list[str]]) -> list[str]:
    """``ids`` and everything beneath them in a tree (parent → children)."""
    seen: dict[str, None] = {}
    stack = list(ids)
    while stack:
        current = stack.pop()
        if current not in seen:
            seen[current] = None
            stack.extend(children.get(current, ()))
    return list(seen)


def _json_or_links(column: str, values: list[str], institutions: list[str]) -> Condition:
    parts, params = [], []
    for value in values:
        parts.append(f"instr({column}, ?) > 0")
        params.append(json.dumps(value, ensure_ascii=False))
    if institutions:
        parts.append(f"st.id IN (SELECT study_id FROM study_institutions WHERE "
                     f"{_in('institution_id', institutions)})")
        params += institutions
    return ("(" + " OR ".join(parts) + ")", params, True) if parts else None


# ---- how each filter resolves ----------------------------------------------------------------


def _number(column: str):
    def resolve(ctx: SearchContext, flt: Any, value: str) -> Condition:
        number = flt.number()
        if number is None:
            return None
        op = {":": "=", ">": ">", "<": "<", ">=": ">=", "<=": "<="}[flt.op]
        return f"{column} {op} ?", [max(-MAX_INT, min(MAX_INT, number))], True
    return resolve


def _phase(ctx: SearchContext, flt: Any, value: str) -> Condition:
    wanted = ROMAN.get(value, value).replace(" ", "/")
    phases = [p for p in ctx.phases if norm(p).replace(" ", "/") == wanted
              or ROMAN.get(value, value) in re.split(r"[^0-9a-z]+", fold(p))]
    return (_in("st.phase", phases), phases, True) if phases else None


def _status(ctx: SearchContext, flt: Any, value: str) -> Condition:
    wanted = STATUS_SYNONYMS.get(value, ())
    statuses = [s for s in ctx.statuses if s.startswith(value) or s in wanted]
    return (_in("st.status", statuses), statuses, True) if statuses else None


def _kind(ctx: SearchContext, flt: Any, value: str) -> Condition:
    record_kinds = {k for word, k in RECORD_KIND_WORDS.items() if k and word.startswith(value)}
    study_kinds = [k for k in ctx.study_kinds if k.startswith(value)]
    if value in RECORD_KIND_WORDS and RECORD_KIND_WORDS[value]:
        record_kinds, study_kinds = {RECORD_KIND_WORDS[value]}, []
    elif value in ctx.study_kinds:
        record_kinds, study_kinds = set(), [value]
    parts, params = [], []
    if record_kinds:
        parts.append(_in("s.kind", record_kinds))
        params += sorted(record_kinds)
    if study_kinds:
        parts.append(_in("st.kind", study_kinds))
        params += study_kinds
    return ("(" + " OR ".join(parts) + ")", params, False) if parts else None


def _has(ctx: SearchContext, flt: Any, value: str) -> Condition:
    key = _HAS_ALIASES.get(value, value)
    key = next((k for k in HAS_VALUES if k.startswith(key)), key)
    if key not in HAS_VALUES:
        return None
    table, column = HAS_VALUES[key]
    if table:
        return f"EXISTS (SELECT 1 FROM {table} x WHERE x.record_id = s.id)", [], False
    return f"(st.{column} IS NOT NULL AND st.{column} != '')", [], True


def _linked(link: str, column: str, records: str, children: str | None = None):
    """Studies linked through ``link`` to a record whose name the value starts; with
    ``children`` (the context's tree), to anything beneath such a record too."""
    def resolve(ctx: SearchContext, flt: Any, value: str) -> Condition:
        ids = _matching(value, getattr(ctx, records))
        if children:
            ids = with_descendants(ids, getattr(ctx, children))
        return (f"st.id IN (SELECT study_id FROM {link} WHERE {_in(column, ids)})",
                ids, True) if ids else None
    return resolve


def _country(ctx: SearchContext, flt: Any, value: str) -> Condition:
    wanted = [value, *COUNTRY_SYNONYMS.get(value, ())]
    countries = [c for c in ctx.json_values("countries") if any(_loosely(w, c) for w in wanted)]
    places = [i for i, c in ctx.institution_country.items() if any(_loosely(w, c) for w in wanted)]
    return _json_or_links("st.countries", countries, places)


def _condition(ctx: SearchContext, flt: Any, value: str) -> Condition:
    wanted = [value, *(" ".join(a) for a in ctx.synonyms.get(tuple(value.split()), ()))]
    conditions = [c for c in ctx.json_values("conditions") if any(_loosely(w, c) for w in wanted)]
    return _json_or_links("st.conditions", conditions, [])


def _labels(records: str):
    return lambda ctx: [r.label for r in getattr(ctx, records)]


# ---- the filters, in the order the tips list them ----------------------------------------------

_DECLARED = (
    FilterSpec("phase", (), (("phase:2", "phased trials in phase 2 (2/3 counts too)"),),
               _phase, lambda ctx: ctx.phases),
    FilterSpec("status", (), (("status:planned",
                                "completed, ongoing, enrolling, planned, stopped, published or unknown"),),
               _status, lambda ctx: ctx.statuses),
    FilterSpec("drug", ("treatment", "treatments", "drugs"),
               (("drug:rituximab", "studies of a treatment (name, alias or class: drug:ldn, "
                                   "drug:anti-cd20)"),),
               _linked("study_treatments", "treatment_id", "treatments"), _labels("treatments")),
    FilterSpec("mechanism", ("mech", "mechanisms"),
               (("mechanism:autoimmunity", "studies of a mechanism or anything under it"),),
               _linked("study_mechanisms", "mechanism_id", "mechanisms", "mechanism_children"),
               _labels("mechanisms")),
    FilterSpec("person", ("people", "author", "researcher"),
               (("person:fluge", "studies a person worked on"),),
               _linked("study_people", "person_id", "people"), _labels("people")),
    FilterSpec("institution", ("inst", "org", "site"),
               (("institution:charite", "studies at an institution (or any of its parts)"),),
               _linked("study_institutions", "institution_id", "institutions",
                       "institution_children"), _labels("institutions")),
    FilterSpec("country", (), (("country:japan", "studies in a country"),), _country,
               lambda ctx: sorted({*ctx.json_values("countries"), *ctx.institution_country.values()})),
    FilterSpec("condition", ("disease",),
               (("condition:me/cfs", "studies in people with ME/CFS"),
                ('condition:"long covid"', "studies in people with long COVID (or another condition)")),
               _condition, lambda ctx: ctx.json_values("conditions")),
    FilterSpec("n", ("enrollment", "participants"),
               (("n>20  n<=100  n:30", "number of participants"),),
               _number("st.enrollment"), numeric=True),
    FilterSpec("year", (), (("year>2020", "the study's year (also year<2015, year:2024)"),),
               _number("st.year"), numeric=True),
    FilterSpec("has", (), (("has:crosscheck", "studies with a cross-check against a registry or "
                                              "paper (also has:identifier, has:publication, "
                                              "has:result)"),),
               _has, lambda ctx: list(HAS_VALUES)),
    FilterSpec("kind", ("type",),
               (("kind:study  kind:term", "one kind of record (or a kind of study: kind:trial, "
                                          "kind:pilot)"),),
               _kind, lambda ctx: sorted({*(k for k in RECORD_KIND_WORDS.values() if k),
                                          *ctx.study_kinds})),
)
BY_NAME: dict[str, FilterSpec] = {}   # every filter by its name, in the order the tips list them
ALIASES: dict[str, str] = {}          # every spelling a user may type → the filter's name


def register(spec: FilterSpec) -> FilterSpec:
    """Add a filter: the parser, the search, "did you mean" and the tips all follow."""
    BY_NAME[spec.name] = spec
    ALIASES.update((spelling, spec.name) for spelling in (spec.name, *spec.aliases))
    return spec


def filters() -> tuple[FilterSpec, ...]:
    return tuple(BY_NAME.values())


for _spec in _DECLARED:
    register(_spec)
