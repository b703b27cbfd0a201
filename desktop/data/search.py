"""Search over the reference database: ranked words, filters, snippets and "did you mean".

The grammar lives in :mod:`desktop.data.query` (pure); this module runs a parsed query:

- words go to the FTS5 index ``search_fts`` as quoted phrases (never raw FTS5 syntax), ranked
  with the BM25 column weights the build set (title > aliases > folded extras > body), with
  synonyms from the glossary and the records' aliases folded in as ``OR`` groups;
- filters (``phase:2``, ``drug:ritux`` …) are matched loosely against the normal tables and
  become SQL conditions on the same query;
- :func:`suggest` proposes corrected queries from the index's own vocabulary (an ``fts5vocab``
  table and a trigram index of it, both created in the connection's TEMP schema on first use, so
  a read-only database is fine).

Public API: :func:`search`, :func:`suggest`, :func:`find`, :data:`GRAMMAR_HELP`, the markers
:data:`MARK_START`/:data:`MARK_END`. Nothing here raises on user text.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from dataclasses import dataclass, replace
from typing import Any, Iterable, Sequence

from desktop.data import schema
from desktop.data.query import (GRAMMAR_HELP, Filter, Query, Term, highlight_words,
                                parse_query, to_fts_exclusion, to_fts_match, words_of)
from desktop.data.records import SearchHit
from desktop.data.text import fold

__all__ = ["GRAMMAR_HELP", "MARK_END", "MARK_START", "SearchResult", "find", "parse_query",
           "search", "suggest", "to_fts_match", "words_of"]

MARK_START, MARK_END = "\x02", "\x03"  # snippet markers: never in seed text, easy to escape around
SNIPPET_TOKENS = 14
FEW_HITS = 3  # below this many hits, find() also offers suggestions
RERANK_WINDOW = 30  # rows fetched by BM25 rank before records named by the query move up

# Columns a snippet may come from, best first (the title is shown anyway).
_SNIPPET_COLUMNS = [schema.SEARCH_INDEXED.index(c) for c in ("summary", "body")
                    if c in schema.SEARCH_INDEXED]  # aliases are short: marked here, not by FTS5
_SNIPPETS_SQL = ", ".join(f"snippet(search_fts, {c}, ?, ?, '…', {SNIPPET_TOKENS})"
                          for c in _SNIPPET_COLUMNS)
_LISTING_TEXT = "s.summary" if "summary" in schema.SEARCH_COLUMNS else "s.body"

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
_MAX_INT = 2 ** 62


@dataclass(frozen=True)
class SearchResult:
    """What :func:`find` returns: the hits, and what to offer the user next.

    ``corrected`` is set when the query as typed found nothing and the hits are those of the
    first suggestion instead ("showing results for …"); ``suggestions`` are whole queries to offer.
    """

    query: str
    hits: tuple[SearchHit, ...]
    suggestions: tuple[str, ...] = ()
    corrected: str | None = None


# ---- what the database knows, cached per connection ---------------------------------------


@dataclass
class _Named:
    """A record that filter values are matched against: its id and its folded names."""

    id: str
    names: tuple[str, ...]   # folded, words joined by single spaces
    label: str               # how to write it back in a suggestion
    haystack: str = ""       # " name | name | …": every word start is preceded by a space


class _Context:
    """Facts about one reference database that every search needs, read once."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.lock = threading.Lock()
        rows = lambda sql: conn.execute(sql).fetchall()  # noqa: E731
        self.treatments = [_named(r[0], [r[1], *_json_list(r[2]), r[3], r[4]])
                           for r in rows("SELECT id, name, aliases, class, target FROM treatments")]
        self.mechanisms = [_named(r[0], [r[1], *_json_list(r[2])])
                           for r in rows("SELECT id, name, aliases FROM mechanisms")]
        self.people = [_named(r[0], [r[1], *_json_list(r[2])])
                       for r in rows("SELECT id, name, aliases FROM people")]
        self.institutions = [_named(r[0], [r[1], *_json_list(r[2])])
                             for r in rows("SELECT id, name, aliases FROM institutions")]
        self.mechanism_children = _children(rows("SELECT id, parent_id FROM mechanisms"))
        self.institution_children = _children(rows("SELECT id, parent_id FROM institutions"))
        self.institution_country = {r[0]: r[1] for r in rows(
            "SELECT id, country FROM institutions WHERE country IS NOT NULL")}
        self.phases = [r[0] for r in rows("SELECT DISTINCT phase FROM studies WHERE phase IS NOT NULL")]
        self.study_kinds = [r[0] for r in rows("SELECT DISTINCT kind FROM studies")]
        self.statuses = [r[0] for r in rows("SELECT DISTINCT status FROM studies")]
        self._conditions: list[str] | None = None
        self._countries: list[str] | None = None
        self.synonyms = self._synonyms(rows)
        self._vocab: dict[str, int] | None = None
        self.resolved: dict[tuple[str, str, str], Any] = {}  # filter → SQL, as typing repeats them
        self._sorted_vocab: list[str] = []

    @staticmethod
    def _synonyms(rows) -> dict[tuple[str, ...], list[tuple[str, ...]]]:
        groups: list[list[str]] = []
        groups += [[r[0], *_json_list(r[1])] for r in rows("SELECT term, aliases FROM glossary")]
        for table in ("treatments", "institutions", "people"):
            groups += [[r[0], *_json_list(r[1])] for r in rows(f"SELECT name, aliases FROM {table}")
                       if r[1] and r[1] != "[]"]
        synonyms: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
        for group in groups:
            forms = list(dict.fromkeys(w for w in (words_of(text) for text in group if text) if w))
            for form in forms:
                known = synonyms.setdefault(form, [])
                known += [f for f in forms if f != form and f not in known]
        return {k: v for k, v in synonyms.items() if v}

    def json_values(self, column: str) -> list[str]:
        """Every distinct value in a JSON-list column of studies (conditions, countries)."""
        attr = f"_{column}"
        if getattr(self, attr) is None:
            values = [r[0] for r in self.conn.execute(
                f"SELECT DISTINCT j.value FROM studies, json_each(studies.{column}) j "
                f"WHERE studies.{column} IS NOT NULL AND json_valid(studies.{column})")]
            setattr(self, attr, [v for v in values if isinstance(v, str)])
        return getattr(self, attr)

    # -- vocabulary for suggestions --

    def vocabulary(self) -> dict[str, int]:
        """Every indexed word without digits, with the number of records it is in."""
        with self.lock:
            if self._vocab is None:
                self.conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.tt_search_vocab "
                                  "USING fts5vocab(main, search_fts, row)")
                self._vocab = {term: count for term, count in self.conn.execute(
                    "SELECT term, doc FROM temp.tt_search_vocab WHERE term NOT GLOB '*[0-9]*'")}
                self.conn.execute("DROP TABLE IF EXISTS temp.tt_vocab_trigrams")
                self.conn.execute("CREATE VIRTUAL TABLE temp.tt_vocab_trigrams USING "
                                  "fts5(term, tokenize='trigram')")
                self.conn.execute("INSERT INTO temp.tt_vocab_trigrams(term) SELECT term FROM "
                                  "temp.tt_search_vocab WHERE term NOT GLOB '*[0-9]*' "
                                  "AND length(term) > 2")
                self._sorted_vocab = sorted(self._vocab)
        return self._vocab

    def has_prefix(self, prefix: str) -> bool:
        import bisect

        self.vocabulary()
        i = bisect.bisect_left(self._sorted_vocab, prefix)
        return i < len(self._sorted_vocab) and self._sorted_vocab[i].startswith(prefix)

    def similar(self, word: str, prefix: bool, limit: int = 5) -> list[str]:
        """Indexed words close to ``word`` in spelling, nearest and most common first."""
        vocab = self.vocabulary()
        grams = {word[i:i + 3] for i in range(len(word) - 2)}
        if not grams:
            return []
        match = " OR ".join(f'"{g}"' for g in sorted(grams))
        candidates = [r[0] for r in self.conn.execute(
            "SELECT term FROM temp.tt_vocab_trigrams WHERE tt_vocab_trigrams MATCH ? "
            "ORDER BY rank LIMIT 60", (match,))]
        if len(word) <= 7:
            # short words share few trigrams with their slips ('flgue' and 'fluge' share none):
            # also try the words that start with the same two letters
            import bisect

            start = bisect.bisect_left(self._sorted_vocab, word[:2])
            for term in self._sorted_vocab[start:start + 3000]:
                if not term.startswith(word[:2]):
                    break
                if abs(len(term) - len(word)) <= 1 or (prefix and len(term) > len(word)):
                    candidates.append(term)
        allowed = 1 if len(word) <= 4 else 2 if len(word) <= 9 else 3
        scored = []
        for candidate in candidates:
            if candidate == word:
                continue
            if prefix and len(candidate) > len(word):
                distance = min(_distance(word, candidate[:k])
                               for k in range(max(1, len(word) - 1), len(word) + 2))
            else:
                distance = _distance(word, candidate)
            if distance <= allowed:
                scored.append((distance, -vocab.get(candidate, 0), candidate))
        return [c for _, _, c in sorted(scored)[:limit]]


_CACHE: dict[int, tuple[sqlite3.Connection, str, _Context]] = {}
_CACHE_LOCK = threading.Lock()


def _context(conn: sqlite3.Connection) -> _Context:
    row = conn.execute("SELECT value FROM meta WHERE key = 'built_at'").fetchone()
    stamp = row[0] if row else ""
    with _CACHE_LOCK:
        entry = _CACHE.get(id(conn))
        if entry is not None and entry[0] is conn and entry[1] == stamp:
            return entry[2]
    context = _Context(conn)
    with _CACHE_LOCK:
        if len(_CACHE) >= 8:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[id(conn)] = (conn, stamp, context)
    return context


def _json_list(text: Any) -> list[str]:
    if not text:
        return []
    try:
        value = json.loads(text)
    except (TypeError, ValueError):
        return [str(text)]
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else [str(value)]


def _norm(text: str) -> str:
    return " ".join(words_of(text))


def _named(record_id: str, names: Iterable[Any]) -> _Named:
    texts = [n for n in names if isinstance(n, str) and n]
    folded = tuple(dict.fromkeys(n for n in [_norm(record_id.replace("-", " ")), *map(_norm, texts)] if n))
    return _Named(record_id, folded, texts[0] if texts else record_id, " " + " | ".join(folded))


def _children(pairs: Iterable[tuple[str, str | None]]) -> dict[str, list[str]]:
    children: dict[str, list[str]] = {}
    for child, parent in pairs:
        if parent:
            children.setdefault(parent, []).append(child)
    return children


# field → (link table, its column, the Context's records to match, the Context's tree or None)
_LINK_FILTERS = {
    "drug": ("study_treatments", "treatment_id", "treatments", None),
    "mechanism": ("study_mechanisms", "mechanism_id", "mechanisms", "mechanism_children"),
    "person": ("study_people", "person_id", "people", None),
    "institution": ("study_institutions", "institution_id", "institutions", "institution_children"),
}


def _with_descendants(ids: Iterable[str], children: dict[str, list[str]]) -> list[str]:
    seen: dict[str, None] = {}
    stack = list(ids)
    while stack:
        current = stack.pop()
        if current not in seen:
            seen[current] = None
            stack.extend(children.get(current, ()))
    return list(seen)


def _loosely(value: str, names: Iterable[str]) -> bool:
    """Does the folded ``value`` start a word run of one of ``names``? ('flu' → 'oystein fluge')."""
    needle = " " + value
    return any(needle in " " + name for name in names)


def _matching(value: str, records: Sequence[_Named]) -> list[str]:
    """Ids of the records one of whose names ``value`` loosely matches (see _loosely)."""
    needle = " " + value
    return [r.id for r in records if needle in r.haystack]


def _distance(a: str, b: str) -> int:
    """Optimal-string-alignment edit distance (a transposition counts as one edit)."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = ca != cb
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


# ---- filters -> SQL -------------------------------------------------------------------------

_NOTHING = ("0", [])  # a condition no row meets


@dataclass
class _Conditions:
    where: list[str]
    params: list[Any]
    needs_study: bool = False      # join the studies table (as st)
    only_studies: bool = False     # a study filter: every hit is a study
    impossible: bool = False       # a filter matched no value at all: no hits
    unmatched: tuple[Filter, ...] = ()


def _filter_condition(ctx: _Context, flt: Filter) -> tuple[str, list[Any], bool] | None:
    """(SQL condition, params, is a study-only filter) for one filter; None: it matches nothing."""
    key = (flt.field, flt.op, flt.value)
    if key not in ctx.resolved:
        if len(ctx.resolved) > 256:
            ctx.resolved.clear()
        ctx.resolved[key] = _resolve_filter(ctx, flt)
    return ctx.resolved[key]


def _resolve_filter(ctx: _Context, flt: Filter) -> tuple[str, list[Any], bool] | None:
    value = _norm(flt.value)
    field = flt.field
    if field in ("n", "year"):
        number = flt.number()
        if number is None:
            return None
        column = "st.enrollment" if field == "n" else "st.year"
        op = {":": "=", ">": ">", "<": "<", ">=": ">=", "<=": "<="}[flt.op]
        return f"{column} {op} ?", [max(-_MAX_INT, min(_MAX_INT, number))], True
    if not value:
        return None
    if field == "phase":
        wanted = ROMAN.get(value, value).replace(" ", "/")
        phases = [p for p in ctx.phases if _norm(p).replace(" ", "/") == wanted
                  or ROMAN.get(value, value) in re.split(r"[^0-9a-z]+", fold(p))]
        return (_in("st.phase", phases), phases, True) if phases else None
    if field == "status":
        wanted = STATUS_SYNONYMS.get(value, ())
        statuses = [s for s in ctx.statuses if s.startswith(value) or s in wanted]
        return (_in("st.status", statuses), statuses, True) if statuses else None
    if field == "kind":
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
    if field == "has":
        key = _HAS_ALIASES.get(value, value)
        key = next((k for k in HAS_VALUES if k.startswith(key)), key)
        if key not in HAS_VALUES:
            return None
        table, column = HAS_VALUES[key]
        if table:
            return f"EXISTS (SELECT 1 FROM {table} x WHERE x.record_id = s.id)", [], False
        return f"(st.{column} IS NOT NULL AND st.{column} != '')", [], True
    if field in _LINK_FILTERS:
        link, column, records, children = _LINK_FILTERS[field]
        ids = _matching(value, getattr(ctx, records))
        if children:  # a mechanism or institution includes everything under it
            ids = _with_descendants(ids, getattr(ctx, children))
        return (f"st.id IN (SELECT study_id FROM {link} WHERE {_in(column, ids)})",
                ids, True) if ids else None
    if field == "country":
        wanted = [value, *COUNTRY_SYNONYMS.get(value, ())]
        countries = [c for c in ctx.json_values("countries")
                     if any(_loosely(w, [_norm(c)]) for w in wanted)]
        places = [i for i, c in ctx.institution_country.items()
                  if any(_loosely(w, [_norm(c)]) for w in wanted)]
        return _json_or_links("st.countries", countries, places)
    if field == "condition":
        wanted = [value, *(" ".join(a) for a in ctx.synonyms.get(tuple(value.split()), ()))]
        conditions = [c for c in ctx.json_values("conditions")
                      if any(_loosely(w, [_norm(c)]) for w in wanted)]
        return _json_or_links("st.conditions", conditions, [])
    return None


def _json_or_links(column: str, values: list[str], institutions: list[str]):
    parts, params = [], []
    for value in values:
        parts.append(f"instr({column}, ?) > 0")
        params.append(json.dumps(value, ensure_ascii=False))
    if institutions:
        ids = _with_descendants(institutions, {})
        parts.append(f"st.id IN (SELECT study_id FROM study_institutions WHERE "
                     f"{_in('institution_id', ids)})")
        params += ids
    return ("(" + " OR ".join(parts) + ")", params, True) if parts else None


def _in(column: str, values: Sequence[Any] | set) -> str:
    return f"{column} IN ({', '.join('?' * len(values))})"


def _conditions(ctx: _Context, filters: Sequence[Filter]) -> _Conditions:
    result = _Conditions([], [])
    by_field: dict[str, list[tuple[str, list[Any]]]] = {}
    unmatched = []
    for flt in filters:
        found = _filter_condition(ctx, flt)
        if flt.field not in ("kind", "has"):
            result.needs_study = True
        if found is None:
            unmatched.append(flt)
            if not flt.negated:
                result.impossible = True
            continue
        sql, params, study_only = found
        result.needs_study = result.needs_study or study_only or "st." in sql
        if flt.negated:
            result.where.append(f"NOT coalesce(({sql}), 0)")
            result.params += params
        else:
            by_field.setdefault(flt.field, []).append((sql, params))
    for alternatives in by_field.values():
        # plain conditions (no coalesce) so that SQLite can use an index for them
        result.where.append("(" + " OR ".join(f"({sql})" for sql, _ in alternatives) + ")")
        result.params += [p for _, params in alternatives for p in params]
    if result.needs_study and any(f.field not in ("kind", "has") for f in filters):
        result.where.insert(0, "s.kind = 'study'")
        result.only_studies = True
    result.unmatched = tuple(unmatched)
    return result


# ---- search ---------------------------------------------------------------------------------


def search(conn: sqlite3.Connection, text: str, limit: int = 50) -> list[SearchHit]:
    """Ranked hits for what a user typed (see GRAMMAR_HELP); [] when nothing matches.

    Never raises on user text: every word is quoted for FTS5 and every filter value is a
    parameter. Snippets hold the matched words between MARK_START and MARK_END.

    :param conn: a connection to a reference database (read-only is fine).
    :param limit: at most this many hits.
    """
    return _run(conn, parse_query(text), limit)


def match_expression(conn: sqlite3.Connection, text: str) -> str | None:
    """The FTS5 MATCH expression :func:`search` sends for ``text`` (synonyms included), or None.

    For debugging and for the benchmark, which times raw FTS5 on the very same expression.
    """
    return to_fts_match(parse_query(text), _context(conn).synonyms)


def _run(conn: sqlite3.Connection, query: Query, limit: int) -> list[SearchHit]:
    if query.is_empty or limit < 1:
        return []
    ctx = _context(conn)
    conditions = _conditions(ctx, query.filters)
    if conditions.impossible:
        return []
    match = to_fts_match(query, ctx.synonyms)
    join = ("" if not conditions.needs_study else "JOIN studies st ON st.id = s.id "
            if conditions.only_studies else "LEFT JOIN studies st ON st.id = s.id ")
    where = "".join(f" AND {w}" for w in conditions.where)
    limit = min(int(limit), 10_000)
    try:
        if match is not None:
            rows = conn.execute(
                f"SELECT s.id, s.kind, s.title, search_fts.rank, s.aliases, {_SNIPPETS_SQL} "
                f"FROM search_fts JOIN search s ON s.rowid = search_fts.rowid "
                f"{join}WHERE search_fts MATCH ?{where} ORDER BY search_fts.rank LIMIT ?",
                [*[MARK_START, MARK_END] * len(_SNIPPET_COLUMNS), match, *conditions.params,
                 max(limit, RERANK_WINDOW)],
            ).fetchall()
            rows = _names_first(query, ctx.synonyms, rows)[:limit]
        else:
            if not conditions.where and not query.negative:
                return []
            exclusion = to_fts_exclusion(query, ctx.synonyms)
            params = [*conditions.params]
            if exclusion is not None:
                where += " AND s.rowid NOT IN (SELECT rowid FROM search_fts WHERE search_fts MATCH ?)"
                params.append(exclusion)
            rows = conn.execute(
                f"SELECT s.id, s.kind, s.title, 0.0, NULL, substr({_LISTING_TEXT}, 1, 240) "
                f"FROM search s {join}WHERE 1{where} ORDER BY s.rowid LIMIT ?",
                [*params, limit]).fetchall()
    except sqlite3.OperationalError as error:
        if _is_match_error(error):
            return []
        raise
    whole, prefixes = highlight_words(query, ctx.synonyms)
    return [SearchHit(r[0], r[1], r[2], _snippet([*r[5:], r[4]], whole, prefixes, match is None),
                      float(r[3] or 0.0)) for r in rows]


def _names_first(query: Query, synonyms, rows: list) -> list:
    """Rows re-ordered so that records *named* by the query come first, BM25 order otherwise.

    Tier 0: the title or an alias is the query (the last word may be unfinished): ``daratu`` →
    Daratumumab, ``ldn`` → the treatment whose alias is LDN. Tier 1: the title holds every word.
    Only the rows already fetched are re-ordered, so this costs no extra query.
    """
    terms = query.positive
    if not terms or any(t.either for t in terms):
        return rows
    words = tuple(w for t in terms for w in t.words)
    prefix = terms[-1].prefix
    exact = [words] + [a for a in synonyms.get(words, ()) if not any(t.quoted for t in terms)]

    def same(name: tuple[str, ...], wanted: tuple[str, ...], open_end: bool) -> bool:
        if len(name) != len(wanted) or not wanted:
            return False
        if open_end:
            return name[:-1] == wanted[:-1] and name[-1].startswith(wanted[-1])
        return name == wanted

    def tier(row) -> int:
        names = [words_of(row[2] or "")] + [words_of(a) for a in (row[4] or "").split(" · ") if a]
        if any(same(n, w, prefix and w is words) for n in names for w in exact):
            return 0
        title = set(names[0])
        if all(w in title for w in words[:-1]) and (
                words[-1] in title or (prefix and any(t.startswith(words[-1]) for t in title))):
            return 1
        return 2

    return sorted(rows, key=lambda r: (tier(r), r[3]))


def _is_match_error(error: sqlite3.OperationalError) -> bool:
    """An FTS5 complaint about a MATCH expression: never shown raw (and not expected at all)."""
    message = str(error).lower()
    return "fts5" in message or "match" in message


_TOKEN = re.compile(r"\w+")


def _snippet(snippets: Sequence[str | None], whole: set[str], prefixes: set[str],
             listing: bool) -> str:
    """The first snippet with a marked match; else the first non-empty one, marked here."""
    if listing:
        text = " ".join((snippets[0] or "").split())
        if len(text) >= 240 and " " in text:
            text = text[:text.rfind(" ")] + " …"
        return text
    for snippet in snippets[:-1]:
        if snippet and MARK_START in snippet:
            return snippet
    # FTS5 marks only what its tokenizer folds (Ø, ß and friends are marked here), and the
    # aliases (last) come unmarked.
    for snippet in snippets:
        marked = _mark(snippet or "", whole, prefixes)
        if MARK_START in marked:
            return marked
    return next((s for s in snippets if s), "")


def _mark(text: str, whole: set[str], prefixes: set[str]) -> str:
    def wrap(match: re.Match) -> str:
        word = match.group(0)
        word = word.lower() if word.isascii() else fold(word)
        if word in whole or any(word.startswith(p) for p in prefixes):
            return MARK_START + match.group(0) + MARK_END
        return match.group(0)

    return _TOKEN.sub(wrap, text)


# ---- suggestions ----------------------------------------------------------------------------


def suggest(conn: sqlite3.Connection, text: str, limit: int = 5) -> list[str]:
    """Whole queries to offer when ``text`` finds nothing or little ("did you mean …?").

    Misspelt words are replaced by the nearest indexed words (``rituxmab`` → ``rituximab``;
    a word still being typed is compared with the start of longer words), filter values that
    match nothing by the nearest known value (``drug:rituxmab`` → ``drug:rituximab``), and when
    every word is known but together they find nothing, the query without one of its parts.
    Best first; [] when there is nothing better to offer.
    """
    query = parse_query(text)
    if query.is_empty or limit < 1:
        return []
    try:
        return _suggest(conn, query, limit)
    except sqlite3.OperationalError as error:
        if _is_match_error(error):
            return []
        raise


def _suggest(conn: sqlite3.Connection, query: Query, limit: int) -> list[str]:
    ctx = _context(conn)
    vocab = ctx.vocabulary()
    options: list[list[Term | Filter]] = []  # per part: itself first, then replacements
    changed = False
    for term in query.terms:
        replacements: list[Term] = []
        if not term.negated and len(term.words) == 1 and len(term.words[0]) >= 3:
            word = term.words[0]
            known = ctx.has_prefix(word) if term.prefix else word in vocab
            if not known:
                replacements = [replace(term, words=(w,), prefix=False)
                                for w in ctx.similar(word, term.prefix, limit)]
            elif not term.prefix and vocab.get(word, 0) <= 2:
                common = [w for w in ctx.similar(word, False, 3)
                          if _distance(word, w) == 1 and vocab.get(w, 0) >= 10 * max(1, vocab[word])]
                replacements = [replace(term, words=(w,)) for w in common]
        elif not term.negated and len(term.words) > 1:
            words = list(term.words)
            for i, word in enumerate(words):
                if len(word) >= 3 and word not in vocab and not (term.prefix and i == len(words) - 1):
                    near = ctx.similar(word, False, 1)
                    if near:
                        words[i] = near[0]
            if tuple(words) != term.words:
                replacements = [replace(term, words=tuple(words))]
        changed = changed or bool(replacements)
        options.append([term, *replacements] if not replacements else replacements)
    for flt in query.filters:
        replacements_f = [replace(flt, value=v) for v in _near_values(ctx, flt, limit)]
        changed = changed or bool(replacements_f)
        options.append(replacements_f or [flt])
    suggestions: list[str] = []
    if changed:
        best = [choices[0] for choices in options]
        for index, choices in enumerate(options):
            for choice in choices if len(choices) > 1 else []:
                suggestions.append(_text(best[:index] + [choice] + best[index + 1:]))
        suggestions.insert(0, _text(best))
        suggestions = [s for s in dict.fromkeys(suggestions) if s != query.to_text()]
        suggestions = [s for s in suggestions if _run(conn, parse_query(s + " "), 1)]
    if not suggestions and _run(conn, query, 1) == []:
        suggestions = _relaxations(conn, query)
    return suggestions[:limit]


def _text(parts: Sequence[Term | Filter]) -> str:
    terms = tuple(p for p in parts if isinstance(p, Term))
    filters = tuple(p for p in parts if isinstance(p, Filter))
    return Query(terms, filters).to_text()


def _relaxations(conn: sqlite3.Connection, query: Query) -> list[str]:
    """The query with one part left out, for each such query that finds something."""
    parts: list[Term | Filter] = [*query.terms, *query.filters]
    if len(parts) < 2:
        return []
    found = []
    for index in range(len(parts)):
        rest = parts[:index] + parts[index + 1:]
        text = _text(rest)
        if _run(conn, parse_query(text + " "), 1):
            found.append(text)
    return found


def _near_values(ctx: _Context, flt: Filter, limit: int) -> list[str]:
    """Known values close to a filter value that matches nothing ([] if it matches something)."""
    if flt.negated or _filter_condition(ctx, flt) is not None or flt.field in ("n", "year"):
        return []
    import difflib

    value = _norm(flt.value)
    if flt.field == "has":
        labels = list(HAS_VALUES)
    elif flt.field == "kind":
        labels = sorted({*(k for k in RECORD_KIND_WORDS.values() if k), *ctx.study_kinds})
    elif flt.field == "status":
        labels = ctx.statuses
    elif flt.field == "phase":
        labels = ctx.phases
    elif flt.field == "country":
        labels = sorted({*ctx.json_values("countries"), *ctx.institution_country.values()})
    elif flt.field == "condition":
        labels = ctx.json_values("conditions")
    else:
        records = {"drug": ctx.treatments, "mechanism": ctx.mechanisms, "person": ctx.people,
                   "institution": ctx.institutions}[flt.field]
        labels = [r.label for r in records]
    # Compare with every word run of each label, so 'flgue' can become 'fluge'.
    forms: dict[str, str] = {}
    for label in labels:
        words = _norm(label).split()
        for i in range(len(words)):
            forms.setdefault(" ".join(words[i:i + len(value.split())]), label)
    near = difflib.get_close_matches(value, list(forms), n=limit, cutoff=0.7)
    result = []
    for form in near:
        result.append(form)
    return list(dict.fromkeys(result))


# ---- search with a fallback -----------------------------------------------------------------


def find(conn: sqlite3.Connection, text: str, limit: int = 50) -> SearchResult:
    """Search, and when that finds little, suggest; when it finds nothing, show the best suggestion.

    The one call a search box or the CLI needs: ``result.hits`` to list, ``result.corrected``
    to say "showing results for …", ``result.suggestions`` to offer ("did you mean …?").
    """
    hits = search(conn, text, limit)
    if len(hits) >= FEW_HITS:
        return SearchResult(text, tuple(hits))
    suggestions = tuple(suggest(conn, text))
    if hits or not suggestions:
        return SearchResult(text, tuple(hits), suggestions)
    corrected = suggestions[0]
    typed = parse_query(text)
    shown = parse_query(corrected)
    if {*shown.terms, *shown.filters} <= {*typed.terms, *typed.filters}:
        others = suggestions[1:]  # the query less one part: the other parts are as near
    else:  # a respelling: only other spellings near the one shown
        others = tuple(s for s in suggestions[1:] if close_to(s, corrected))
    return SearchResult(text, tuple(search(conn, corrected + " ", limit)), others, corrected)


def close_to(suggestion: str, corrected: str) -> bool:
    """Whether ``suggestion`` is a slip or two from ``corrected`` (the query already shown in
    its place): after "rituximb" became "rituximab", "rituxme" is another drug, not a near word."""
    allowed = 1 if len(corrected) <= 4 else 2 if len(corrected) <= 9 else 3
    return _distance(_norm(suggestion), _norm(corrected)) <= allowed
