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


def extra_forms(text: str) -> str:
    """The folded forms of the words in ``text`` that the FTS tokenizer would not fold itself."""
    forms = []
    for word in _WORD.findall(text):
        if word.translate(_SPECIAL) != word:
            forms.append(fold(word))
    return " ".join(dict.fromkeys(forms))
