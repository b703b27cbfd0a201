"""Moved to :mod:`desktop.data.vocabulary` (the app's words in one place); kept for the modules
that still import it by this name."""

from desktop.data.vocabulary import MONTHS, OUTCOME_LABELS, STATUS_LABELS, long_date  # noqa: F401
