"""Every plain first line a tired reader sees is short and easy: Flesch-Kincaid grade at most 9
and at most 35 words (issue 14). Measured with textstat 0.7.3, which works offline (pyphen)."""

from pathlib import Path

import pytest

textstat = pytest.importorskip("textstat")

from desktop.data.seeds import load_seeds  # noqa: E402

SEEDS = Path(__file__).resolve().parents[2] / "seeds"
MAX_GRADE = 9.0
MAX_WORDS = 35
# The field that is the first line of each kind's page.
FIRST_LINE = {"study": "summary_plain", "mechanism": "summary", "treatment": "summary",
              "person": "summary"}


def plain_lines():
    seeds = load_seeds(SEEDS)
    for kind, name in FIRST_LINE.items():
        for record in seeds.records[kind]:
            if name in record:
                yield pytest.param(record[name], id=f"{kind}:{record['id']}")


def test_the_measure_tells_plain_from_dense():
    """The measure itself separates a plain line from a dense one, so the limits below mean something."""
    plain = "A trial in people with ME/CFS. It tests a drug against a dummy drug. There are no results yet."
    dense = ("An investigator-initiated, randomized, quadruple-masked, placebo-controlled phase II "
             "evaluation of immunomodulatory pharmacotherapeutic interventions in heterogeneous populations.")
    assert textstat.flesch_kincaid_grade(plain) <= MAX_GRADE < textstat.flesch_kincaid_grade(dense)


@pytest.mark.parametrize("text", list(plain_lines()))
def test_plain_first_line_is_short_and_easy(text):
    words = len(text.split())
    grade = textstat.flesch_kincaid_grade(text)
    assert words <= MAX_WORDS, f"{words} words (at most {MAX_WORDS}): {text}"
    assert grade <= MAX_GRADE, f"grade {grade} (at most {MAX_GRADE}): {text}"
