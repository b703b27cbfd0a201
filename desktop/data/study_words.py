"""The words for a study's coded values (status, outcome) and for dates, shared by the detail
pane and the exports, so a status reads "Completed" in both (never the seed's "completed")."""

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
