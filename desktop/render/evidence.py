"""Evidence at a glance on a mechanism's page, and the page listing the studies behind a count
(no Qt). Issue 19: a tired reader sees at the top what is known (how many trials, how many
people, which phases, what the results were) and each number opens the studies behind it.

Each count is a link whose text says what it counts ("3 did not help", not "3"), so Tab and a
screen reader name it; the address (``trialtree:evidence/MECHANISM/KEY``) opens a short list
page that Back leaves again, like any record.
"""

from __future__ import annotations

from typing import Sequence

from desktop.data.evidence import Count, Evidence, count_for, list_id
from desktop.data.records import Record, Ref
from desktop.render.markup import Markup, esc, record_href, record_link
from desktop.render.page import Page, ref_markup

MAP_SCHEME = "trialtree-map"  # trialtree-map:MECHANISM opens the map focused on it
EVIDENCE_HEADING = "Evidence at a glance"


def map_href(mechanism_id: str) -> str:
    return f"{MAP_SCHEME}:{mechanism_id}"


def _plural(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def _count_link(evidence: Evidence, key: str, text: str) -> Markup:
    """A link to the studies behind the count ``key``; plain text when it counts none."""
    count = count_for(evidence, key)
    if count is None or not count.study_ids:
        return esc(text)
    return Markup(f'<a href="{esc(record_href(list_id(evidence.mechanism_id, key)))}">{esc(text)}</a>')


def evidence_rows(evidence: Evidence) -> list[tuple[str, Markup]]:
    """The block's rows (label, markup): what is beneath, people enrolled, phases, results."""
    if not evidence.study_ids:
        return [("Beneath it", esc("No trials or studies are filed here yet"))]
    trials, other = len(evidence.trial_ids), len(evidence.other_ids)
    beneath = Markup(f"{_count_link(evidence, 'trials', _plural(trials, 'trial', 'trials'))} and "
                     f"{_count_link(evidence, 'other', _plural(other, 'other study', 'other studies'))}"
                     f" ({_count_link(evidence, 'all', f'{evidence.total:,} in all')})")
    rows = [("Beneath it", beneath)]
    known, unknown = len(evidence.enrollment_known), len(evidence.enrollment_unknown)
    if known:
        people = Markup(f"{esc(_plural(evidence.enrolled, 'person', 'people'))} in "
                        f"{_count_link(evidence, 'enrolled', _plural(known, 'study', 'studies'))}")
    else:
        people = _count_link(evidence, "no-number", "No study here gives a number")
    if unknown and known:
        text = _plural(unknown, "study gives", "studies give") + " no number"
        people = Markup(f"{people}; {_count_link(evidence, 'no-number', text)}")
    rows.append(("People enrolled", people))
    rows.append(("By phase", _joined(evidence, [(f"phase-{c.key}", _phase_text(c))
                                                 for c in evidence.by_phase])))
    rows.append(("By result", _joined(evidence, [(f"result-{c.key}", f"{c.count:,} {_result_words(c)}")
                                                  for c in evidence.by_result])))
    return rows


def _phase_text(count: Count) -> str:
    return f"{count.label}: {_plural(count.count, 'study', 'studies')}"


# A result's words after a number (singular, plural); a result not listed uses its label.
RESULT_WORDS = {"early-signal": ("early signal", "early signals"),
                "mixed": ("mixed result", "mixed results"),
                "not-a-treatment-test": ("not a test of a treatment", "not tests of a treatment")}


def _result_words(count: Count) -> str:
    """'did not help', '3 early signals'... in words that follow a number."""
    one, many = RESULT_WORDS.get(count.key, (count.label.lower(),) * 2)
    return one if count.count == 1 else many


def _joined(evidence: Evidence, parts: Sequence[tuple[str, str]]) -> Markup:
    return Markup(" · ".join(_count_link(evidence, key, text) for key, text in parts))


def mechanism_rows(record: Record, evidence: Evidence) -> list[tuple[str, Markup]]:
    """The evidence rows with what the older key facts said that they do not (what the mechanism
    is part of, how many studies are filed directly under it, the treatments aimed at it), so
    the page says each count once (issue 19 follow-up)."""
    rows = evidence_rows(evidence)
    direct = len(record.links.get("studies", ()))
    if evidence.study_ids and direct != evidence.total:
        label, beneath = rows[0]
        directly = "none" if direct == 0 else f"{direct:,}"
        rows[0] = (label, Markup(f"{beneath}; {esc(directly)} filed directly under it"))
    parent = record.links.get("parent", ())
    if parent:
        rows.insert(0, ("Part of", record_link(parent[0])))
    treatments = len(record.links.get("treatments", ()))
    rows.append(("Aimed at it", esc(_plural(treatments, "treatment", "treatments")
                                    if treatments else "None here yet")))
    return rows


def add_evidence(page: Page, evidence: Evidence, record: Record | None = None) -> None:
    """The block under a mechanism's plain summary (with its key facts merged in when
    ``record`` is given), and the way to the map."""
    page.section("evidence", EVIDENCE_HEADING)
    page.facts_table(evidence_rows(evidence) if record is None else mechanism_rows(record, evidence))
    to_map = f'<a href="{esc(map_href(evidence.mechanism_id))}">Show on the map</a>'
    if evidence.study_ids:
        page.paragraph(Markup('<span class="note">Counts include narrower mechanisms. '
                              f"Each number opens the studies behind it.</span> · {to_map}"),
                       "after-table")
    else:
        page.paragraph(Markup(to_map), "after-table")


def study_list_html(mechanism_title: str, count: Count, studies: Sequence[Ref]) -> str:
    """The page behind one count: which mechanism, what was counted, and the studies (each a
    link to its page). Back returns to the mechanism."""
    page = Page()
    page.title(f"{mechanism_title}: {count.label[:1].lower()}{count.label[1:]}",
               [_plural(count.count, "study", "studies")])
    page.paragraph(esc(f"The {_plural(count.count, 'study', 'studies')} behind this count on the page "
                       f"for {mechanism_title} (narrower mechanisms included). Alt+Left goes back."))
    page.items([ref_markup(ref) for ref in studies])
    return page.html()
