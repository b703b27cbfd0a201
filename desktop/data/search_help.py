"""The search tips, written from the filter declarations: the same rows for the text shown by
``trialtree search --help``/GRAMMAR_HELP and for the window's search-tips sheet."""

from __future__ import annotations

import textwrap

from desktop.data.filters import filters

INTRO = ("Type words to search every record: trials, treatments, mechanisms, people, institutions "
         "and the glossary. Capitals and accents do not matter (charite finds Charité), the last "
         "word may be unfinished (daratu finds daratumumab), and abbreviations find what they "
         "stand for (LDN finds low-dose naltrexone).")
WORD_ROWS = (
    ('"natural killer"', "exactly these words in this order (a phrase; no synonyms)"),
    ("-placebo", 'leave out records with this word (or -"a phrase")'),
    ("rituximab OR daratumumab", "either word (OR in capitals)"),
)
CLOSING = ("Filters can be combined with words and with each other: phase:2 status:planned "
           "daratumumab. The same field twice means either value (phase:2 phase:3); put - before "
           "a filter to exclude it (-status:completed). Values may be shortened: person:flu, "
           "drug:ritux.")
EXAMPLE_WIDTH = 23  # the descriptions start after this many characters (plus the indent)
WIDTH = 96


def rows() -> list[tuple[str, str]]:
    """(what to type, what it does) for the words and then every filter, in order."""
    return [*WORD_ROWS, *(row for spec in filters() for row in spec.help)]


def grammar_help() -> str:
    """The tips as plain text in two columns (for the CLI and the docs)."""
    lines = []
    indent = " " * (2 + EXAMPLE_WIDTH)
    for example, description in rows():
        head = f"  {example:<{EXAMPLE_WIDTH - 1}} " if len(example) < EXAMPLE_WIDTH else f"  {example}  "
        lines += textwrap.wrap(description, WIDTH, initial_indent=head, subsequent_indent=indent)
    paragraphs = [textwrap.fill(INTRO, WIDTH), "\n".join(lines), textwrap.fill(CLOSING, WIDTH)]
    return "\n\n".join(paragraphs) + "\n"


GRAMMAR_HELP = grammar_help()
