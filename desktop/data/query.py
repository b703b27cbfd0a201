"""The search grammar: what a user types, parsed once into a :class:`Query` (pure; no database).

Words are matched against every record; ``field:value`` filters narrow the results to studies
with those properties. Worked examples (the folded words are what FTS5 is asked for):

>>> q = parse_query('daratu')
>>> q.terms
(Term(words=('daratu',), negated=False, prefix=True, quoted=False, either=False),)
>>> to_fts_match(q)
'"daratu"*'

A word the user is still typing (the last one, with no space after it) is a prefix; a finished
word, a quoted phrase or a word shorter than MIN_PREFIX letters is matched whole:

>>> to_fts_match(parse_query('rituximab '))
'"rituximab"'
>>> to_fts_match(parse_query('"natural killer" Charité'))
'"natural killer" AND "charite"*'

Words that FTS5 would split (hyphens, slashes, registry numbers, DOIs) stay together as a phrase:

>>> to_fts_match(parse_query('anti-CD20 10.7326/M18-1451 '))
'"anti cd20" AND "10 7326 m18 1451"'

A leading ``-`` excludes a word or phrase; FTS5 operators and column names are only words:

>>> to_fts_match(parse_query('placebo -"phase 3" NEAR( title:x'))
'"placebo" AND "near" AND "title x" NOT "phase 3"'

Capital ``OR`` between words means either; ``AND`` is implied; ``NOT word`` is ``-word``:

>>> to_fts_match(parse_query('rituximab OR daratumumab placebo NOT pilot '))
'("rituximab" OR "daratumumab") AND "placebo" NOT "pilot"'

Filters (see GRAMMAR_HELP); repeating a field means either value, different fields must all hold:

>>> q = parse_query('phase:2 status:planned condition:"long covid" n>=20 -has:crosscheck')
>>> [(f.field, f.op, f.value, f.negated) for f in q.filters]
[('phase', ':', '2', False), ('status', ':', 'planned', False), ('condition', ':', 'long covid', False), ('n', '>=', '20', False), ('has', ':', 'crosscheck', True)]
>>> q.terms
()

Field names have a few aliases (``drug``/``treatment``, ``person``/``author``, ``kind``/``type``,
``n``/``enrollment``); an unknown ``name:value`` is searched as words, so ``doi:10.1/x`` and
``IL-6: levels`` still find text:

>>> [(f.field, f.value) for f in parse_query('treatment:LDN author:fluge').filters]
[('drug', 'LDN'), ('person', 'fluge')]
>>> to_fts_match(parse_query('foo:bar'))
'"foo bar"*'

Synonyms (from the glossary and the records' aliases, looked up by desktop.data.search) are
passed in as a mapping from folded word tuples to alternatives:

>>> to_fts_match(parse_query('LDN trial '), {('ldn',): [('low', 'dose', 'naltrexone')]})
'("ldn" OR "low dose naltrexone") AND "trial"'
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, Mapping, Sequence

from desktop.data.filters import ALIASES, BY_NAME
from desktop.data.search_help import GRAMMAR_HELP  # noqa: F401  (the grammar, for the CLI and tests)
from desktop.data.text import MAX_PHRASE_WORDS, words_of  # noqa: F401

SEARCH_LIMIT = 50           # hits a search lists at most (the window says when it reached this)
MAX_QUERY_CHARS = 1000      # anything longer is cut: nobody types more into a search box
MAX_TERMS = 24              # words/phrases per query (FTS5 cost grows with every term)
MAX_FILTERS = 16
MIN_PREFIX = 2              # a word being typed becomes a prefix search from this many letters
MAX_ALTERNATIVES = 8        # synonyms per group

# user spelling -> canonical field (the filters are declared in desktop.data.filters)
FIELD_ALIASES: dict[str, str] = ALIASES
# name:value pairs whose value is an identifier searched as text (doi:10.1/x finds the DOI)
ID_FIELDS = frozenset({"id", "doi", "pmid", "pmcid", "pmc", "registry"})


_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"',
                         "＂": '"', "−": "-", "–": "-"})
_TOKEN = re.compile(r"""
    (?P<neg>-(?=\S))?
    (?:
        (?P<field>[^\W\d_]+)(?P<op>>=|<=|:|>|<|=)[ \t]*(?:"(?P<fquoted>[^"]*)"?|(?P<fvalue>[^\s"]*))
      | "(?P<phrase>[^"]*)"?
      | (?P<word>[^\s"]+)
    )""", re.VERBOSE)
_INT = re.compile(r"^[+]?\d{1,9}$")


@dataclass(frozen=True)
class Term:
    """A word or phrase to match: its folded words, in order."""

    words: tuple[str, ...]
    negated: bool = False
    prefix: bool = False   # the last word may be the start of a longer word
    quoted: bool = False   # the user wrote it in quotes
    either: bool = False   # joined to the term before it by OR

    def text(self) -> str:
        return " ".join(self.words)


@dataclass(frozen=True)
class Filter:
    """``field op value``: ``field`` is canonical (see desktop.data.filters); ``value`` as typed, unfolded."""

    field: str
    op: str
    value: str
    negated: bool = False

    def number(self) -> int | None:
        """The value as a whole number (numeric fields), or None if it is not one."""
        return int(self.value) if _INT.match(self.value.strip()) else None

    def to_text(self) -> str:
        value = f'"{self.value}"' if re.search(r"\s", self.value) else self.value
        return f"{'-' if self.negated else ''}{self.field}{self.op}{value}"


@dataclass(frozen=True)
class Query:
    """A parsed search: words and phrases to match, filters to apply, and what was left out."""

    terms: tuple[Term, ...] = ()
    filters: tuple[Filter, ...] = ()
    ignored: tuple[str, ...] = field(default=())  # unfinished or invalid pieces, as typed

    @property
    def positive(self) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if not t.negated)

    @property
    def negative(self) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if t.negated)

    @property
    def is_empty(self) -> bool:
        return not self.terms and not self.filters

    def to_text(self) -> str:
        """The query written back in the grammar (used to offer a corrected query)."""
        parts = [("OR " if t.either else "") + _term_text(t) for t in self.terms]
        parts += [f.to_text() for f in self.filters]
        return " ".join(parts)


def _term_text(term: Term) -> str:
    text = term.text()
    if term.quoted or (len(term.words) > 1 and not term.prefix):
        text = f'"{text}"'
    return ("-" if term.negated else "") + text


def _clean(text: str) -> str:
    text = text.encode("utf-8", "ignore").decode("utf-8")  # drops lone surrogates
    text = "".join(c if c.isprintable() else " " for c in text[:MAX_QUERY_CHARS])
    return text.translate(_QUOTES)


def parse_query(text: str) -> Query:
    """Parse what a user typed into a :class:`Query`; never raises (see the module examples)."""
    if not isinstance(text, str):
        return Query()
    text = _clean(text)
    terms: list[Term] = []
    filters: list[Filter] = []
    ignored: list[str] = []
    ends_open = bool(text) and not text[-1].isspace()
    matches = list(_TOKEN.finditer(text))
    pending: str | None = None  # an AND / OR / NOT waiting for the next term
    for index, match in enumerate(matches):
        last = index == len(matches) - 1
        negated = bool(match.group("neg"))
        name = match.group("field")
        if name is not None:
            canonical = FIELD_ALIASES.get(name.casefold())
            value = match.group("fquoted")
            quoted = value is not None
            if value is None:
                value = match.group("fvalue") or ""
            value = " ".join(value.split())
            op = match.group("op")
            if canonical is not None:
                numeric = BY_NAME[canonical].numeric
                if not numeric and op not in (":", "="):
                    canonical = None  # phase>2: not a filter we know, search it as words
                elif op == "=":
                    op = ":"
            if canonical is not None:
                if not value or (BY_NAME[canonical].numeric and not _INT.match(value)):
                    ignored.append(match.group(0))
                elif len(filters) < MAX_FILTERS:
                    filters.append(Filter(canonical, op, value, negated))
                continue
            prefix = last and ends_open and not quoted and value[-1:].isalnum()
            if name.casefold() in ID_FIELDS:
                words = words_of(value)  # doi:10.7326/M18-1451 searches the DOI itself
            elif quoted or re.search(r"\s", match.group(0)):
                # 'note: some words': the name is a word of its own, then the value
                name_words = words_of(name)
                if name_words and len(terms) < MAX_TERMS:
                    terms.append(Term(name_words, negated))
                negated = False
                words = words_of(value)
            else:
                # 'foo:bar' is a phrase, as FTS5 splits such text in the records
                words = words_of(f"{name} {value}")
        elif match.group("phrase") is not None:
            words = words_of(match.group("phrase"))
            quoted, prefix = True, False
        else:
            raw = match.group("word")
            if raw in ("AND", "OR", "NOT") and not negated:  # operators, in capitals only
                pending = raw
                continue
            words = words_of(raw)
            quoted = False
            prefix = raw.endswith("*") or (last and ends_open and raw[-1:].isalnum())
        if not words:
            continue
        if prefix and len(words[-1]) < MIN_PREFIX:
            prefix = False
        negated = negated or pending == "NOT"
        prefix = prefix and not negated
        either = pending == "OR" and not negated and bool(terms) and not terms[-1].negated
        pending = None
        if len(terms) < MAX_TERMS:
            terms.append(Term(words, negated, prefix, quoted, either))
    return Query(tuple(terms), tuple(filters), tuple(ignored))


# ---- FTS5 -----------------------------------------------------------------------------------

Synonyms = Mapping[tuple[str, ...], Sequence[tuple[str, ...]]]


def _phrase(words: Sequence[str], prefix: bool = False) -> str:
    # Words hold letters and digits only (no quotes), so quoting cannot be broken out of.
    return '"' + " ".join(words) + '"' + ("*" if prefix else "")


def _narrowest(key: tuple[str, ...], alternatives: Sequence[tuple[str, ...]]) -> list[tuple[str, ...]]:
    """Alternatives without those that contain another one: "post covid syndrome" adds nothing
    to "post covid" (every record with the first has the second), and costs FTS5 time.

    >>> _narrowest(('long', 'covid'), [('post', 'covid', 'syndrome'), ('post', 'covid'), ('pcs',)])
    [('post', 'covid'), ('pcs',)]
    """
    kept: list[tuple[str, ...]] = []
    every = [key, *alternatives]
    for alternative in dict.fromkeys(alternatives):
        if alternative == key:
            continue
        if any(other != alternative and _contains(alternative, other) for other in every):
            continue
        kept.append(alternative)
    return kept


def _contains(longer: tuple[str, ...], shorter: tuple[str, ...]) -> bool:
    n = len(shorter)
    return n <= len(longer) and any(longer[i:i + n] == shorter for i in range(len(longer) - n + 1))


def _groups(terms: Sequence[Term], synonyms: Synonyms) -> list[str]:
    """FTS5 expressions for a run of terms (ANDed by the caller), with synonyms and OR folded in."""
    longest = max((len(k) for k in synonyms), default=0)
    groups: list[tuple[str, bool]] = []  # (expression, joined to the one before by OR)
    i = 0
    while i < len(terms):
        span, alternatives = 1, ()
        for size in range(min(len(terms) - i, longest), 0, -1):
            run = terms[i:i + size]
            if any(t.quoted for t in run) or any(t.either for t in run[1:]):
                continue  # quotes mean exactly these words: no synonyms
            found = synonyms.get(tuple(w for t in run for w in t.words))
            if found:
                span, alternatives = size, found
                break
        run = terms[i:i + span]
        key = tuple(w for t in run for w in t.words)
        own = _phrase(key, run[-1].prefix)
        others = [_phrase(a) for a in _narrowest(key, alternatives)][:MAX_ALTERNATIVES]
        groups.append(("(" + " OR ".join([own, *others]) + ")" if others else own, run[0].either))
        i += span
    merged: list[list[str]] = []
    for expression, either in groups:
        if either and merged:
            merged[-1].append(expression)
        else:
            merged.append([expression])
    return [parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")" for parts in merged]


def to_fts_match(query: Query, synonyms: Synonyms | None = None) -> str | None:
    """The FTS5 MATCH expression for the words of ``query``, or None if it has no positive words.

    Every word is quoted, so nothing a user types is read as FTS5 syntax. Excluded terms come last
    as ``NOT``; FTS5 cannot match on exclusions alone, so those queries return None here and the
    caller excludes with :func:`to_fts_exclusion`.
    """
    synonyms = synonyms or {}
    positive = _groups(query.positive, synonyms)
    if not positive:
        return None
    expression = " AND ".join(positive)  # FTS5 allows implicit AND between phrases only
    for group in _groups(query.negative, synonyms):
        expression += f" NOT {group}"
    return expression


def to_fts_exclusion(query: Query, synonyms: Synonyms | None = None) -> str | None:
    """An FTS5 expression matching any excluded term (for queries of exclusions only), or None."""
    groups = _groups(query.negative, synonyms or {})
    return " OR ".join(groups) if groups else None


def highlight_words(query: Query, synonyms: Synonyms | None = None) -> tuple[set[str], set[str]]:
    """(whole words, prefixes) worth marking in a snippet for ``query``."""
    whole: set[str] = set()
    prefixes: set[str] = set()
    synonyms = synonyms or {}
    for term in query.positive:
        *init, last = term.words
        whole.update(init)
        (prefixes if term.prefix else whole).add(last)
    keys: Iterable[tuple[str, ...]] = [t.words for t in query.positive if not t.quoted]
    for key in keys:
        for alternative in synonyms.get(key, ()):
            whole.update(alternative)
    return whole, prefixes
