"""The filter registry: one declaration makes a filter whole (parser, search, "did you mean", tips)."""

import sqlite3

import pytest

from desktop.data import filters, search
from desktop.data.filters import FilterSpec
from desktop.data.query import parse_query
from desktop.data.search_help import grammar_help, rows


def _outcomes(ctx):
    return [r[0] for r in ctx.conn.execute("SELECT DISTINCT outcome FROM studies WHERE outcome IS NOT NULL")]


def _outcome_condition(ctx, flt, value):
    known = [o for o in _outcomes(ctx) if o.startswith(value)]
    return (f"st.outcome IN ({', '.join('?' * len(known))})", known, True) if known else None


@pytest.fixture
def outcome_filter():
    """One more filter, declared here only: ``outcome:negative`` (the registry is put back after)."""
    by_name, aliases = dict(filters.BY_NAME), dict(filters.ALIASES)
    yield filters.register(FilterSpec(
        "outcome", ("result",), (("outcome:negative", "studies whose result was no benefit"),),
        _outcome_condition, _outcomes))
    filters.BY_NAME.clear()
    filters.BY_NAME.update(by_name)
    filters.ALIASES.clear()
    filters.ALIASES.update(aliases)


def test_a_filter_declared_once_is_parsed_searched_suggested_and_explained(
        library, seeds, outcome_filter):
    assert [(f.field, f.value) for f in parse_query("result:negative").filters] == [
        ("outcome", "negative")]
    negative = {s["id"] for s in seeds.records["study"] if s.get("outcome") == "negative"}
    assert negative, "the seeds have a study with a negative outcome"
    assert {h.id for h in library.search("outcome:negative", 200)} == negative
    assert library.suggest("outcome:negatve")[0] == "outcome:negative"
    assert "outcome:negative" in grammar_help()
    assert ("outcome:negative", "studies whose result was no benefit") in rows()


def test_every_declared_filter_has_help_and_a_unique_spelling():
    spellings = [s for spec in filters.filters() for s in (spec.name, *spec.aliases)]
    assert len(spellings) == len(set(spellings))
    for spec in filters.filters():
        assert spec.help and all(example and what for example, what in spec.help), spec.name
        assert spec.numeric == (spec.candidates is None), spec.name


def test_the_condition_help_shows_both_ways_to_write_a_condition():
    examples = [example for example, _ in filters.BY_NAME["condition"].help]
    assert examples == ["condition:me/cfs", 'condition:"long covid"']


@pytest.mark.parametrize("typed", ["condition:me/cfs", 'condition:"long covid"'])
def test_the_condition_examples_in_the_help_find_studies(library, typed):
    assert library.search(typed, 5)


def test_only_fts5_complaints_are_taken_for_a_bad_match_expression():
    assert search._is_match_error(sqlite3.OperationalError('fts5: syntax error near "x"'))
    assert not search._is_match_error(sqlite3.OperationalError("no such table: match_history"))
    assert not search._is_match_error(sqlite3.OperationalError("no such column: st.matches"))


def test_find_parses_what_was_typed_once(library, monkeypatch):
    calls = []
    real = search.parse_query

    def counting(text):
        calls.append(text)
        return real(text)

    monkeypatch.setattr(search, "parse_query", counting)
    library.find("rituxmab placebo zzzzq")
    assert calls.count("rituxmab placebo zzzzq") == 1


def test_each_library_keeps_its_own_search_context(reference_db):
    from desktop.data.library import Library

    first, second = Library(reference_db), Library(reference_db)
    try:
        assert first.search_context() is first.search_context()
        assert first.search_context() is not second.search_context()
        assert not hasattr(search, "_CACHE")  # nothing module-wide keeps a connection alive
    finally:
        first.close()
        second.close()
