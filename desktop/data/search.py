"""Search over the reference database: ranked words, filters, snippets and "did you mean".

The grammar lives in :mod:`desktop.data.query` (pure); this module runs a parsed query:

- words go to the FTS5 index ``search_fts`` as quoted phrases (never raw FTS5 syntax), ranked
  with the BM25 column weights the build set (title > aliases > folded extras > body), with
  synonyms from the glossary and the records' aliases folded in as ``OR`` groups;
- filters (``phase:2``, ``drug:ritux`` …) are matched loosely against the normal tables and
  become SQL conditions on the same query, each as its declaration in
  :mod:`desktop.data.filters` says;
- :func:`suggest` proposes corrected queries from the index's own vocabulary (an ``fts5vocab``
  table and a trigram index of it, both created in the connection's TEMP schema on first use, so
  a read-only database is fine).

What a database tells every search (names, trees, synonyms, vocabulary) is read once into a
:class:`~desktop.data.search_context.SearchContext`, which ``Library`` keeps; the functions here
take that context or a bare connection (then they read a fresh one).

Public API: :func:`search`, :func:`suggest`, :func:`find`, :data:`GRAMMAR_HELP`, the markers
:data:`MARK_START`/:data:`MARK_END`. Nothing here raises on user text.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, replace
from typing import Any, Sequence

from desktop.data import schema
from desktop.data.filters import BY_NAME, Condition
from desktop.data.query import (GRAMMAR_HELP, SEARCH_LIMIT, Filter, Query, Term, highlight_words,
                                parse_query, to_fts_exclusion, to_fts_match, words_of)
from desktop.data.records import SearchHit
from desktop.data.search_context import SearchContext, context_of, distance, norm
from desktop.data.text import fold

Source = sqlite3.Connection | SearchContext  # a connection, or Library's context for it
_distance = distance  # the name the suggestion tests know

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


# ---- filters -> SQL -------------------------------------------------------------------------

@dataclass
class _Conditions:
    where: list[str]
    params: list[Any]
    needs_study: bool = False      # join the studies table (as st)
    only_studies: bool = False     # a study filter: every hit is a study
    impossible: bool = False       # a filter matched no value at all: no hits
    unmatched: tuple[Filter, ...] = ()


def _filter_condition(ctx: SearchContext, flt: Filter) -> Condition:
    """(SQL condition, params, is a study-only filter) for one filter; None: it matches nothing.

    Each filter resolves as its declaration in desktop.data.filters says; the answer is kept,
    as typing repeats the same filters keystroke after keystroke.
    """
    key = (flt.field, flt.op, flt.value)
    if key not in ctx.resolved:
        if len(ctx.resolved) > 256:
            ctx.resolved.clear()
        spec = BY_NAME.get(flt.field)
        value = norm(flt.value)
        ctx.resolved[key] = (None if spec is None or not (value or spec.numeric)
                             else spec.resolve(ctx, flt, value))
    return ctx.resolved[key]


def _conditions(ctx: SearchContext, filters: Sequence[Filter]) -> _Conditions:
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


def search(source: Source, text: str | Query, limit: int = SEARCH_LIMIT) -> list[SearchHit]:
    """Ranked hits for what a user typed (see GRAMMAR_HELP); [] when nothing matches.

    Never raises on user text: every word is quoted for FTS5 and every filter value is a
    parameter. Snippets hold the matched words between MARK_START and MARK_END.

    :param source: a connection to a reference database (read-only is fine), or its context.
    :param text: what the user typed, or that text already parsed.
    :param limit: at most this many hits.
    """
    return _run(context_of(source), _parsed(text), limit)


def _parsed(text: str | Query) -> Query:
    return text if isinstance(text, Query) else parse_query(text)


def match_expression(source: Source, text: str) -> str | None:
    """The FTS5 MATCH expression :func:`search` sends for ``text`` (synonyms included), or None.

    For debugging and for the benchmark, which times raw FTS5 on the very same expression.
    """
    return to_fts_match(parse_query(text), context_of(source).synonyms)


def _run(ctx: SearchContext, query: Query, limit: int) -> list[SearchHit]:
    if query.is_empty or limit < 1:
        return []
    conn = ctx.conn
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
    """FTS5's complaint about a MATCH expression (never shown raw, and not expected at all:
    every word is quoted). Any other error, such as a missing table, is a real fault."""
    message = str(error).lower()
    return message.startswith("fts5:") or "malformed match expression" in message


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


def suggest(source: Source, text: str | Query, limit: int = 5) -> list[str]:
    """Whole queries to offer when ``text`` finds nothing or little ("did you mean …?").

    Misspelt words are replaced by the nearest indexed words (``rituxmab`` → ``rituximab``;
    a word still being typed is compared with the start of longer words), filter values that
    match nothing by the nearest known value (``drug:rituxmab`` → ``drug:rituximab``), and when
    every word is known but together they find nothing, the query without one of its parts.
    Best first; [] when there is nothing better to offer.
    """
    query = _parsed(text)
    if query.is_empty or limit < 1:
        return []
    try:
        return _suggest(context_of(source), query, limit)
    except sqlite3.OperationalError as error:
        if _is_match_error(error):
            return []
        raise


def _suggest(ctx: SearchContext, query: Query, limit: int) -> list[str]:
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
                          if distance(word, w) == 1 and vocab.get(w, 0) >= 10 * max(1, vocab[word])]
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
        suggestions = [s for s in suggestions if _run(ctx, parse_query(s + " "), 1)]
    if not suggestions and _run(ctx, query, 1) == []:
        suggestions = _relaxations(ctx, query)
    return suggestions[:limit]


def _text(parts: Sequence[Term | Filter]) -> str:
    terms = tuple(p for p in parts if isinstance(p, Term))
    filters = tuple(p for p in parts if isinstance(p, Filter))
    return Query(terms, filters).to_text()


def _relaxations(ctx: SearchContext, query: Query) -> list[str]:
    """The query with one part left out, for each such query that finds something."""
    parts: list[Term | Filter] = [*query.terms, *query.filters]
    if len(parts) < 2:
        return []
    found = []
    for index in range(len(parts)):
        rest = parts[:index] + parts[index + 1:]
        text = _text(rest)
        if _run(ctx, parse_query(text + " "), 1):
            found.append(text)
    return found


def _near_values(ctx: SearchContext, flt: Filter, limit: int) -> list[str]:
    """Known values close to a filter value that matches nothing ([] if it matches something,
    or if the filter declares no candidates, as the numeric ones do)."""
    spec = BY_NAME.get(flt.field)
    if flt.negated or spec is None or spec.candidates is None or _filter_condition(ctx, flt) is not None:
        return []
    import difflib

    value = norm(flt.value)
    # Compare with every word run of each known value, so 'flgue' can become 'fluge'.
    forms: dict[str, str] = {}
    for label in spec.candidates(ctx):
        words = norm(label).split()
        for i in range(len(words)):
            forms.setdefault(" ".join(words[i:i + len(value.split())]), label)
    return difflib.get_close_matches(value, list(forms), n=limit, cutoff=0.7)


# ---- search with a fallback -----------------------------------------------------------------


def find(source: Source, text: str, limit: int = SEARCH_LIMIT) -> SearchResult:
    """Search, and when that finds little, suggest; when it finds nothing, show the best suggestion.

    The one call a search box or the CLI needs: ``result.hits`` to list, ``result.corrected``
    to say "showing results for …", ``result.suggestions`` to offer ("did you mean …?").
    What was typed is parsed once for all of that.
    """
    ctx = context_of(source)
    typed = parse_query(text)
    hits = _run(ctx, typed, limit)
    if len(hits) >= FEW_HITS:
        return SearchResult(text, tuple(hits))
    suggestions = tuple(suggest(ctx, typed))
    if hits or not suggestions:
        return SearchResult(text, tuple(hits), suggestions)
    corrected = suggestions[0]
    shown = parse_query(corrected)
    if {*shown.terms, *shown.filters} <= {*typed.terms, *typed.filters}:
        others = suggestions[1:]  # the query less one part: the other parts are as near
    else:  # a respelling: only other spellings near the one shown
        others = tuple(s for s in suggestions[1:] if close_to(s, corrected))
    return SearchResult(text, tuple(_run(ctx, parse_query(corrected + " "), limit)), others, corrected)


def close_to(suggestion: str, corrected: str) -> bool:
    """Whether ``suggestion`` is a slip or two from ``corrected`` (the query already shown in
    its place): after "rituximb" became "rituximab", "rituxme" is another drug, not a near word."""
    allowed = 1 if len(corrected) <= 4 else 2 if len(corrected) <= 9 else 3
    return distance(norm(suggestion), norm(corrected)) <= allowed
