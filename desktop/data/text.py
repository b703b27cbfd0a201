"""Text folding shared by the index and the queries, so both sides match the same way.

SQLite's ``unicode61 remove_diacritics 2`` folds é→e but not ø, æ, ß and a few others (see
TECH-NOTES): :func:`fold` handles those too, and :func:`extra_forms` lists the folded spellings of
words the tokenizer would otherwise miss.
"""

from __future__ import annotations

import re
import unicodedata

_SPECIAL = str.maketrans({
    "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ß": "ss", "đ": "d", "Đ": "D",
    "ł": "l", "Ł": "L", "þ": "th", "Þ": "TH", "ı": "i", "ð": "d", "Ð": "D",
    "‘": "'", "’": "'", "“": '"', "”": '"',
})
_WORD = re.compile(r"\w+", re.UNICODE)


def fold(text: str) -> str:
    """Lower-case ``text`` and strip accents and special letters: 'Øystein Charité' → 'oystein charite'."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


# A letter that unicode61 does not fold; most texts have none, and then there is nothing to do.
_SPECIAL_LETTER = re.compile("[" + "".join(chr(c) for c in _SPECIAL if chr(c).isalpha()) + "]")


def extra_forms(text: str) -> str:
    """The folded forms of the words in ``text`` that the FTS tokenizer would not fold itself."""
    if not _SPECIAL_LETTER.search(text):
        return ""
    return " ".join(dict.fromkeys(fold(word) for word in _WORD.findall(text)
                                  if _SPECIAL_LETTER.search(word)))


MAX_PHRASE_WORDS = 12
_FTS_WORD = re.compile(r"[^\W_]+")


def words_of(text: str) -> tuple[str, ...]:
    """The folded words of ``text`` as FTS5's tokenizer splits them ('Anti-CD20' → anti, cd20)."""
    folded = text.lower() if text.isascii() else fold(text)  # the same, faster, for ASCII
    return tuple(_FTS_WORD.findall(folded))[:MAX_PHRASE_WORDS]
