"""What one reference database tells every search, read once per database: its records'
names (for filter values), its trees, its synonyms and its indexed words (for "did you mean").

``Library`` owns one :class:`SearchContext` per open database and passes it to the search
functions; a bare connection gets a fresh one (see :func:`context_of`).
"""

from __future__ import annotations

import bisect
import json
import sqlite3
import threading
from dataclasses import dataclass
from typing import Any, Iterable

from desktop.data.text import words_of


@dataclass
class Named:
    """A record that filter values are matched against: its id and its folded names."""

    id: str
    names: tuple[str, ...]   # folded, words joined by single spaces
    label: str               # how to write it back in a suggestion
    haystack: str = ""       # " name | name | …": every word start is preceded by a space


class SearchContext:
    """Facts about one reference database that every search needs, read once."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.lock = threading.Lock()
        rows = lambda sql: conn.execute(sql).fetchall()  # noqa: E731
        self.treatments = [_named(r[0], [r[1], *json_list(r[2]), r[3], r[4]])
                           for r in rows("SELECT id, name, aliases, class, target FROM treatments")]
        self.mechanisms = [_named(r[0], [r[1], *json_list(r[2])])
                           for r in rows("SELECT id, name, aliases FROM mechanisms")]
        self.people = [_named(r[0], [r[1], *json_list(r[2])])
                       for r in rows("SELECT id, name, aliases FROM people")]
        self.institutions = [_named(r[0], [r[1], *json_list(r[2])])
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
        groups += [[r[0], *json_list(r[1])] for r in rows("SELECT term, aliases FROM glossary")]
        for table in ("treatments", "institutions", "people"):
            groups += [[r[0], *json_list(r[1])] for r in rows(f"SELECT name, aliases FROM {table}")
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
                gap = min(distance(word, candidate[:k])
                          for k in range(max(1, len(word) - 1), len(word) + 2))
            else:
                gap = distance(word, candidate)
            if gap <= allowed:
                scored.append((gap, -vocab.get(candidate, 0), candidate))
        return [c for _, _, c in sorted(scored)[:limit]]


def context_of(source: "sqlite3.Connection | SearchContext") -> SearchContext:
    """The context to search with: ``source`` itself, or a new one read from a connection."""
    return source if isinstance(source, SearchContext) else SearchContext(source)


def json_list(text: Any) -> list[str]:
    if not text:
        return []
    try:
        value = json.loads(text)
    except (TypeError, ValueError):
        return [str(text)]
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else [str(value)]


def norm(text: str) -> str:
    return " ".join(words_of(text))


def _named(record_id: str, names: Iterable[Any]) -> Named:
    texts = [n for n in names if isinstance(n, str) and n]
    folded = tuple(dict.fromkeys(n for n in [norm(record_id.replace("-", " ")), *map(norm, texts)] if n))
    return Named(record_id, folded, texts[0] if texts else record_id, " " + " | ".join(folded))


def _children(pairs: Iterable[tuple[str, str | None]]) -> dict[str, list[str]]:
    children: dict[str, list[str]] = {}
    for child, parent in pairs:
        if parent:
            children.setdefault(parent, []).append(child)
    return children


def distance(a: str, b: str) -> int:
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
