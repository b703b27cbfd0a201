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
