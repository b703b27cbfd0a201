"""The search grammar (desktop.data.query): pure parsing, no database but an in-memory FTS5 table."""

import doctest
import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.data import query as query_module
from desktop.data.query import (FIELD_ALIASES, GRAMMAR_HELP, Filter, Query, Term, parse_query,
                                to_fts_exclusion, to_fts_match)


def test_worked_examples_in_the_docstring_hold():
    result = doctest.testmod(query_module)
    assert result.attempted > 10 and result.failed == 0


def test_last_word_being_typed_is_a_prefix():
    assert parse_query("daratu").terms == (Term(("daratu",), prefix=True),)
    assert parse_query("daratu ").terms == (Term(("daratu",)),)
    assert parse_query("rituximab placebo").terms[0].prefix is False


def test_one_letter_is_never_a_prefix():
    assert parse_query("rituximab p").terms[-1] == Term(("p",))


def test_explicit_star_is_a_prefix():
    assert to_fts_match(parse_query("ritux* trial ")) == '"ritux"* AND "trial"'


def test_words_are_folded():
    assert parse_query("CHARITÉ Øystein straße ").terms == (
        Term(("charite",)), Term(("oystein",)), Term(("strasse",)))


def test_punctuated_tokens_stay_together_as_phrases():
    assert to_fts_match(parse_query("2014-004029-41 jRCT2031240192 ME/CFS ")) == \
        '"2014 004029 41" AND "jrct2031240192" AND "me cfs"'


def test_identifier_being_typed_is_a_phrase_prefix():
    assert to_fts_match(parse_query("2014-0040")) == '"2014 0040"*'


def test_quoted_phrase_and_exclusions():
    q = parse_query('"natural killer" -placebo -"phase 3"')
    assert [t.text() for t in q.positive] == ["natural killer"]
    assert [t.text() for t in q.negative] == ["placebo", "phase 3"]
    assert to_fts_match(q) == '"natural killer" NOT "placebo" NOT "phase 3"'


def test_exclusions_alone_have_no_match_but_an_exclusion():
    q = parse_query("-placebo")
    assert to_fts_match(q) is None
    assert to_fts_exclusion(q) == '"placebo"'


def test_capital_or_joins_words_and_lowercase_or_is_a_word():
    assert to_fts_match(parse_query("rituximab OR daratumumab pilot ")) == \
        '("rituximab" OR "daratumumab") AND "pilot"'
    assert to_fts_match(parse_query("rituximab or pilot ")) == '"rituximab" AND "or" AND "pilot"'


def test_fts_operators_and_column_names_are_words():
    q = parse_query('title:x NEAR(a b) body : "AND" ^c *')
    match = to_fts_match(q)
    assert "NEAR(" not in match and "^" not in match and ":" not in match


@pytest.mark.parametrize("text, expected", [
    ("phase:2", Filter("phase", ":", "2")),
    ("Phase=2/3", Filter("phase", ":", "2/3")),
    ("status:planned", Filter("status", ":", "planned")),
    ("drug:rituximab", Filter("drug", ":", "rituximab")),
    ("treatment:LDN", Filter("drug", ":", "LDN")),
    ("mechanism:autoimmunity", Filter("mechanism", ":", "autoimmunity")),
    ("person:fluge", Filter("person", ":", "fluge")),
    ("author:Øystein", Filter("person", ":", "Øystein")),
    ("country:japan", Filter("country", ":", "japan")),
    ('condition:"long covid"', Filter("condition", ":", "long covid")),
    ('condition:"long   covid', Filter("condition", ":", "long covid")),
    ("status: planned", Filter("status", ":", "planned")),
    ("n>20", Filter("n", ">", "20")),
    ("n>=20", Filter("n", ">=", "20")),
    ("enrollment<100", Filter("n", "<", "100")),
    ("n:30", Filter("n", ":", "30")),
    ("year>2020", Filter("year", ">", "2020")),
    ("has:crosscheck", Filter("has", ":", "crosscheck")),
    ("kind:study", Filter("kind", ":", "study")),
    ("type:term", Filter("kind", ":", "term")),
    ("-status:completed", Filter("status", ":", "completed", negated=True)),
])
def test_filters(text, expected):
    q = parse_query(text)
    assert q.filters == (expected,) and q.terms == ()


def test_filters_combine_with_words():
    q = parse_query("phase:2 status:planned daratumumab ")
    assert [f.field for f in q.filters] == ["phase", "status"]
    assert q.terms == (Term(("daratumumab",)),)


@pytest.mark.parametrize("text", ["phase:", "n>", "n>abc", "n>99999999999999999999", "status:  "])
def test_unfinished_or_invalid_filters_are_ignored_not_searched(text):
    q = parse_query(text)
    assert q.filters == () and q.terms == () and q.ignored


def test_unknown_fields_and_comparisons_are_searched_as_words():
    assert to_fts_match(parse_query("foo:bar ")) == '"foo bar"'
    assert to_fts_match(parse_query("phase>2 ")) == '"phase 2"'
    assert to_fts_match(parse_query("note: fatigue ")) == '"note" AND "fatigue"'


def test_identifier_fields_search_the_identifier():
    assert to_fts_match(parse_query("doi:10.7326/M18-1451 ")) == '"10 7326 m18 1451"'
    assert to_fts_match(parse_query("pmid:12345 ")) == '"12345"'


def test_synonyms_become_or_groups_over_word_runs():
    synonyms = {("long", "covid"): [("post", "covid")], ("post", "covid"): [("long", "covid")],
                ("ldn",): [("low", "dose", "naltrexone")]}
    assert to_fts_match(parse_query("long covid ldn "), synonyms) == \
        '("long covid" OR "post covid") AND ("ldn" OR "low dose naltrexone")'
    assert to_fts_match(parse_query("post-COVID "), synonyms) == '("post covid" OR "long covid")'
    assert to_fts_match(parse_query("-ldn x "), synonyms) == '"x" NOT ("ldn" OR "low dose naltrexone")'


def test_to_text_round_trips():
    text = 'rituximab "natural killer" -placebo OR x phase:2 condition:"long covid" -has:crosscheck'
    q = parse_query(text + " ")
    assert parse_query(q.to_text() + " ") == q


def test_grammar_help_names_every_field():
    for field in set(FIELD_ALIASES.values()):
        assert f"{field}" in GRAMMAR_HELP.replace("n>20", "n>20 n")


def test_non_text_is_an_empty_query():
    assert parse_query(None) == Query()  # type: ignore[arg-type]


# ---- properties ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def fts():
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE t USING fts5(a, b, tokenize='unicode61 remove_diacritics 2')")
    conn.execute("INSERT INTO t VALUES ('rituximab trial in me/cfs', 'long covid 2014-004029-41')")
    yield conn
    conn.close()


FIELD_NAMES = sorted(FIELD_ALIASES) + ["doi", "title", "body", "foo", "NEAR", "AND"]
filter_like = st.lists(
    st.one_of(
        st.builds(lambda n, o, v: f"{n}{o}{v}", st.sampled_from(FIELD_NAMES),
                  st.sampled_from([":", ">", "<", ">=", "<=", "=", ": ", ":-"]),
                  st.one_of(st.text(max_size=12), st.integers().map(str),
                            st.text(max_size=12).map(lambda v: f'"{v}"'))),
        st.sampled_from(['"', "-", "*", "(", ")", "OR", "AND", "NOT", "NEAR", "^", "+", ":", "\x00",
                         "\ud800", "ø", "-\"a b\"", "--x", "n>", "phase:"]),
        st.text(max_size=10),
    ),
    max_size=12,
).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=300), filter_like))
def test_any_text_parses_into_a_valid_fts5_expression(fts, text):
    q = parse_query(text)
    assert isinstance(q, Query)
    for expression in (to_fts_match(q), to_fts_exclusion(q)):
        if expression is not None:
            fts.execute("SELECT count(*) FROM t WHERE t MATCH ?", (expression,)).fetchone()
    q.to_text()


def test_ten_kilobytes_of_junk_is_cut_short(fts):
    q = parse_query('"(*NEAR:' * 1300)
    assert len(q.terms) <= query_module.MAX_TERMS
    expression = to_fts_match(q)
    if expression:
        fts.execute("SELECT count(*) FROM t WHERE t MATCH ?", (expression,)).fetchone()
