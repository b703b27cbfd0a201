"""The app's words for coded values, in one place (Qt-free): record kinds, a study's status and
outcome, the tree's "none stated" nodes, dates and plurals. The detail pane, the tree, the results
list and the exports all read them here, so a status reads "Completed" everywhere (never the
seed's "completed")."""

from __future__ import annotations

from datetime import date

STATUS_LABELS = {
    "completed": "Completed",
    "ongoing": "Ongoing (running now)",
    "enrolling": "Enrolling (looking for participants)",
    "planned": "Planned (not started yet)",
    "stopped": "Stopped early",
    "published": "Published",
    "preprint": "Preprint (results posted, not yet peer reviewed)",
    "unknown": "Status not known (no source shows it)",
}

# The tree's status groups ("By status"): shorter than the detail pane's words above.
STATUS_GROUP_LABELS = {
    "enrolling": "Enrolling",
    "ongoing": "Ongoing",
    "planned": "Planned",
    "completed": "Completed",
    "stopped": "Stopped",
    "published": "Published (reviews and studies)",
    "unknown": "Status not known",
    "preprint": "Preprint (results posted, not yet peer reviewed)",
}


def short_status(status: str) -> str:
    """A status in a word or two, for a tree row's detail line: "Status not known"."""
    return STATUS_GROUP_LABELS.get(status, status).split(" (")[0]


# The tree's nodes for studies that state no value of a grouping.
NO_MECHANISM = "No mechanism stated"
NOT_YET_FILED_LABEL = "Not yet filed"  # imported studies no rule or user filed
NO_CONDITION = "Condition not stated"
NO_TREATMENT = "(no single treatment)"
NO_PHASE = "(no phase)"

OUTCOME_LABELS = {
    "positive": "Encouraging: the results pointed to a benefit",
    "early-signal": "Early signal: promising, but not yet tested against placebo",
    "negative": "Not successful: no benefit was shown",
    "mixed": "Mixed: some results pointed to a benefit, others did not",
    "pending": "Waiting for results",
    "not-applicable": "No yes-or-no result: not a single test of one treatment",
}

# A record's kind: as a page's heading word, as a word inside a sentence, as a results-row tag.
KIND_LABELS = {
    "study": "Trial or study",
    "mechanism": "Mechanism",
    "treatment": "Treatment",
    "person": "Person",
    "institution": "Institution",
    "term": "Glossary term",
    "source": "Source",
}
KIND_WORDS = {
    "study": "trial or study",
    "mechanism": "mechanism",
    "treatment": "treatment",
    "person": "person",
    "institution": "institution",
    "term": "glossary term",
    "source": "source",
    "bookmark": "your bookmark",  # a bookmark whose title, note or tags match a search
}
SHORT_KIND_LABELS = {
    "study": "Study",
    "mechanism": "Mechanism",
    "treatment": "Treatment",
    "person": "Person",
    "institution": "Institution",
    "term": "Term",
    "source": "Source",
    "bookmark": "Bookmark",
}

# Said of every study of the kind, so only what the kind itself guarantees: an observational
# study may follow people who are treated as part of their care, and a laboratory study may use
# blood or tissue given by people.
STUDY_KIND_LABELS = {
    "trial": "Clinical trial (tests a treatment in people)",
    "pilot": "Pilot study (a small first test)",
    "observational": "Observational study (the study did not assign a treatment)",
    "genetic": "Genetic study (compares people's genes)",
    "review": "Review of earlier research",
    "platform": "Trial platform (runs several trials)",
    "laboratory": "Laboratory study (measurements on cells or samples in the lab)",
}

# A study where another source differs from the report (issue 9): a mark before its title, words
# in its tooltip and for screen readers (the mark alone would be read as "not equal to").
CROSSCHECK_MARK = "≠ "  # before the title: long titles are cut at the end
CROSSCHECK_NOTE = "≠ Other sources differ from the report: see “Cross-checked” in its details."
CROSSCHECK_LEGEND = "≠: other sources differ from the report on that study."
CROSSCHECK_SPOKEN = ", other sources differ from the report"


def plural(count: int, one: str, many: str) -> str:
    """``3 trials``: the count with the word that fits it.

    >>> plural(1, "bookmark", "bookmarks"), plural(0, "bookmark", "bookmarks")
    ('1 bookmark', '0 bookmarks')
    """
    return f"{count} {one if count == 1 else many}"


def trials_and_studies(count: int) -> str:
    """How many trials and studies a tree node holds, in words."""
    if count == 0:
        return "no trials or studies yet"
    return plural(count, "trial or study", "trials and studies")


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")


def long_date(value: str) -> str:
    """``2026-11-29`` → ``29 November 2026`` (any other text as it is).

    >>> long_date("2026-11-29"), long_date("2025")
    ('29 November 2026', '2025')
    """
    try:
        day = date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


# An imported study's registry text is shown as the registry's words, never as ours (issue 17).
REGISTRY_WORDS_LABEL = "The registry's own words (ClinicalTrials.gov), not a TrialTree summary"


def readable_date(text: str | None) -> str:
    """'2024-05-07' → '7 May 2024'; '2024-05' → 'May 2024'."""
    if not text:
        return "not given"
    parts = [int(p) for p in text.split("-")]
    month = date(parts[0], parts[1], 1).strftime("%b")
    return f"{parts[2]} {month} {parts[0]}" if len(parts) == 3 else f"{month} {parts[0]}"
