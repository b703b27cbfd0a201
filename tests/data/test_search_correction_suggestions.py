"""After a corrected search, further suggestions stay close to the corrected words (issue 12 #11)."""

import pytest




@pytest.mark.parametrize("typed", ["rituximb", "rituxmab", "daratumumb", "ldn naltrexne",
                                   "immunoadsorbtion"])
def test_suggestions_after_a_correction_are_close_to_the_corrected_query(library, typed):
    from desktop.data.search import close_to

    result = library.find(typed)
    if result.corrected is None:
        pytest.skip(f"{typed!r} found something as typed")
    for suggestion in result.suggestions:
        assert close_to(suggestion, result.corrected), (typed, result.corrected, suggestion)


def test_rituximb_is_corrected_to_rituximab_without_offering_rituxme(library):
    result = library.find("rituximb")
    assert result.corrected == "rituximab"
    assert "rituxme" not in result.suggestions


@pytest.mark.parametrize("a, b, close", [("rituximab", "rituxme", False),
                                         ("rituximab", "rituxan", False),
                                         ("rituximab", "rituximb", True),
                                         ("ldn naltrexone", "ldn naltrexon", True),
                                         ("ldn naltrexone", "ldn", False)])
def test_close_to_allows_a_slip_or_two_per_word_length(a, b, close):
    from desktop.data.search import _distance, close_to

    assert close_to(b, a) is close
    assert _distance(a, a) == 0
