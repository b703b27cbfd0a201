"""Finding glossary terms in plain text, so the detail pane can explain its jargon.

Pure Python (no Qt, no HTML): :class:`Glossary` answers *where* terms occur; detail_view turns
the answer into escaped links. Matching follows how people write:

- whole words only: ``ME`` is found in "ME/CFS patients" but not in "member", and a hyphen
  joins words ("CD38" is not marked inside "HuMax-CD38", nor "antibody" in "antibody-making");
- ordinary words ignore case ("Placebo" and "placebo"), abbreviations do not: ``PEM``, ``ME``,
  ``IgG``, ``mAb`` and the ``COVID`` of "long COVID" match only as written, so the English word
  "me" is never taken for ME/CFS;
- the longest name wins where names overlap ("post-COVID ME/CFS" before "ME/CFS", "placebo-
  controlled" before "placebo").

>>> g = Glossary([("pem", "post-exertional malaise (PEM)", "Worse after effort.", ["PEM"]),
...               ("me-cfs", "ME/CFS", "An illness.", ["ME", "chronic fatigue syndrome"])])
>>> [(text[s:e], term) for text in ["PEM and me: Chronic Fatigue Syndrome (ME)"]
...  for s, e, term in g.find(text)]
[('PEM', 'pem'), ('Chronic Fatigue Syndrome', 'me-cfs'), ('ME', 'me-cfs')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Sequence

_PIECES = re.compile(r"[^\W\d_]+|\d+|\s+|.", re.UNICODE)
_START = r"(?<![\w-])"  # a name starts where no word (or hyphenated word) goes on before it
_END = r"(?![\w-])"  # and ends where none goes on after it


@dataclass(frozen=True)
class Term:
    id: str
    term: str
    definition: str
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.term, *self.aliases)


def is_abbreviation(word: str) -> bool:
    """A run of letters written to be matched exactly: ``PEM``, ``B``, ``IgG``, ``mAb``."""
    if not any(c.isupper() for c in word):
        return False
    return len(word) == 1 or any(c.isupper() for c in word[1:])


def name_pattern(name: str, whole: bool = True) -> str:
    """A regular expression for one name: words in any case, abbreviations exactly, any run of
    white space where the name has a space, and (``whole``) whole words only."""
    parts = []
    for piece in _PIECES.findall(name.strip()):
        if piece.isspace():
            parts.append(r"\s+")
        elif piece.isalpha() and not is_abbreviation(piece):
            parts.append(f"(?i:{re.escape(piece)})")
        else:
            parts.append(re.escape(piece))
    body = "".join(parts)
    return _START + body + _END if whole else body


class Glossary:
    """Every term with its names; :meth:`find` lists where they occur in a text."""

    def __init__(self, entries: Iterable[tuple[str, str, str, Sequence[str]] | Term]):
        self.terms: dict[str, Term] = {}
        for entry in entries:
            term = entry if isinstance(entry, Term) else Term(entry[0], entry[1], entry[2],
                                                              tuple(entry[3] or ()))
            self.terms[term.id] = term
        names: list[tuple[str, str]] = []  # (name, term id), longest first
        for term in self.terms.values():
            for name in dict.fromkeys(n for n in term.names if n and n.strip()):
                names.append((name, term.id))
        names.sort(key=lambda item: len(item[0]), reverse=True)
        # One pattern with one group per name (the group that matched says which term it was):
        # the word-start test once, then the names by their first letter (a quick look-ahead
        # skips every other letter's names), longest first within each. ~1 ms for a page.
        buckets: dict[str, list[tuple[str, str]]] = {}
        for name, term_id in names:
            buckets.setdefault(name.strip()[0].lower(), []).append((name, term_id))
        self._group_terms: list[str] = []
        branches = []
        for first, entries in buckets.items():
            letters = "".join(dict.fromkeys(first + first.upper()))
            alternatives = "|".join(f"({name_pattern(name, whole=False)}){_END}"
                                    for name, _ in entries)
            self._group_terms += [term_id for _, term_id in entries]
            branches.append(f"(?=[{re.escape(letters)}])(?:{alternatives})")
        self._any = re.compile(_START + "(?:" + "|".join(branches) + ")") if names else None

    def __len__(self) -> int:
        return len(self.terms)

    def __contains__(self, term_id: object) -> bool:
        return term_id in self.terms

    def definition(self, term_id: str) -> str:
        term = self.terms.get(term_id)
        return term.definition if term else ""

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """``(start, end, term id)`` of every term in ``text``, left to right, never overlapping."""
        if self._any is None or not text:
            return []
        return [(match.start(), match.end(), self._group_terms[match.lastindex - 1])
                for match in self._any.finditer(text)]
