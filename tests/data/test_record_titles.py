"""A record's two title helpers, shared by the page, the comparison, the bookmarks and exports."""

from desktop.data.records import Record

OFFICIAL = "A Randomized Pilot Study of AXA1125 in Long COVID Fatigue"


def study(short):
    return Record("s1", "study", OFFICIAL, "", {"short_title": short} if short is not None else {})


def test_the_short_title_is_given_only_when_it_says_something_else():
    assert study("AXA1125 for long COVID fatigue (UK)").short_title() == "AXA1125 for long COVID fatigue (UK)"
    assert study(OFFICIAL.upper() + " ").short_title() == ""  # the same words: the heading is enough
    assert study(None).short_title() == "" and study("  ").short_title() == ""


def test_the_display_title_is_the_short_title_else_the_official_one():
    assert study(" AXA1125 (UK) ").display_title() == "AXA1125 (UK)"
    assert study(None).display_title() == OFFICIAL and study("").display_title() == OFFICIAL
