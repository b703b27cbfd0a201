"""Turn the user's imported registry studies into study records for the reference build.

One code path: the build writes imported studies exactly like seed studies, so the tree, search,
bookmarks and exports see them the same way. What differs is kept in three extra study columns
(:data:`IMPORT_COLUMNS`): where the study came from, the registry's own words (labelled, never in
our summary) and the changes recorded by re-imports. A download whose NCT or EudraCT number is
a curated study's attaches to that study (cross-checks where the registry differs) instead of
becoming a second record. Filing follows ``seeds/filing.toml`` and the user's own choices.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from desktop.data.ctgov import RegistryStudy
from desktop.data.filing import FilingRules, file_study
from desktop.data.import_store import Change, StoredStudy
from desktop.data.schema import CONDITIONS, IMPORT_COLUMNS, JSON_IMPORT_COLUMNS  # noqa: F401 (re-exported)
from desktop.data.schema import study_id  # noqa: F401 (re-exported)
from desktop.data.vocabulary import REGISTRY_WORDS_LABEL, readable_date  # noqa: F401 (re-exported)

IMPORTED_SUMMARY = ("A study imported from a ClinicalTrials.gov download. TrialTree has not "
                    "summarised it; the registry's own description is shown separately, labelled.")
STATUS_FROM_REGISTRY = {
    "RECRUITING": "enrolling", "ENROLLING_BY_INVITATION": "enrolling", "NOT_YET_RECRUITING": "planned",
    "ACTIVE_NOT_RECRUITING": "ongoing", "COMPLETED": "completed", "TERMINATED": "stopped",
    "WITHDRAWN": "stopped", "SUSPENDED": "stopped",
}
_PHASE = {"EARLY_PHASE1": "early 1", "PHASE1": "1", "PHASE2": "2", "PHASE3": "3", "PHASE4": "4"}


def imported_from(stored: StoredStudy) -> str:
    return (f"ClinicalTrials.gov download, imported {readable_date(stored.imported_on)}; "
            f"last registry update {readable_date(stored.study.last_update)}")


def conditions_once(names: Iterable[str]) -> list[str]:
    """Each condition once, whatever its case ("long COVID" and the registry's "Long COVID"),
    in first-seen order; TrialTree's own names (schema.CONDITIONS) win over a registry spelling."""
    canonical = {name.casefold(): name for name in CONDITIONS}
    kept: dict[str, str] = {}
    for name in names:
        name = name.strip()
        if name:
            folded = name.casefold()
            kept.setdefault(folded, canonical.get(folded, name))
    return list(kept.values())


def registry_record_url(nct_id: str) -> str:
    """The registry record's canonical address, built from its NCT number."""
    return f"https://clinicaltrials.gov/study/{nct_id.upper()}"


def download_file_name(origin: str) -> str:
    """The file a study was read from, without its folders or its place in a list:
    "/home/me/Downloads/page.json[3]" → "page.json"; a zip's entry stays named in the zip:
    "…/ctg-studies.zip/NCT1.json" → "ctg-studies.zip/NCT1.json"."""
    origin = re.sub(r"\[\d+\]$", "", origin or "")
    archive, zipped, entry = origin.partition(".zip/")
    return f"{Path(archive).name}.zip/{entry}" if zipped else Path(origin).name


def download_json(item: StoredStudy) -> dict[str, str]:
    """Where an imported study's facts come from: the file (its name only: a user's folders stay
    private), the date it was imported, and the registry record it copies."""
    nct_id = item.study.nctId.upper()
    return {k: v for k, v in {"file": download_file_name(item.origin),
                              "imported_on": item.imported_on, "registry_id": nct_id,
                              "url": registry_record_url(nct_id)}.items() if v}


def registry_numbers(study: RegistryStudy) -> tuple[str, ...]:
    return (study.nctId.upper(), *study.eudract_numbers)


def curated_numbers(studies: Iterable[dict[str, Any]]) -> dict[str, str]:
    """Registry number (upper case) → curated study id, from the seed studies' identifiers.

    An identifier noted as seen only on another trial's page is not the study's own number."""
    numbers: dict[str, str] = {}
    for record in studies:
        for identifier in record.get("identifiers", []):
            if "another" in (identifier.get("note") or ""):
                continue
            numbers.setdefault(identifier["id"].strip().upper(), record["id"])
    return numbers


def curated_numbers_in(reference_db: Path) -> dict[str, str]:
    """The same, read from a built reference database (for the import's summary)."""
    if not Path(reference_db).exists():
        return {}
    conn = sqlite3.connect(f"file:{reference_db}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT i.value, i.record_id, i.note FROM identifiers i "
                            "JOIN studies s ON s.id = i.record_id").fetchall()
    except sqlite3.Error:
        return {}
    finally:
        conn.close()
    numbers: dict[str, str] = {}
    for value, record_id, note in rows:
        if "another" not in (note or ""):
            numbers.setdefault(value.strip().upper(), record_id)
    return numbers


def attached_to(study: RegistryStudy, numbers: dict[str, str]) -> str | None:
    for number in registry_numbers(study):
        if number in numbers:
            return numbers[number]
    return None


def registry_text(study: RegistryStudy) -> dict[str, Any]:
    def outcomes(items):
        return [{k: v for k, v in asdict(o).items() if v} for o in items]

    text = {"label": REGISTRY_WORDS_LABEL, "brief_summary": study.briefSummary,
            "primary_outcomes": outcomes(study.primaryOutcomes),
            "secondary_outcomes": outcomes(study.secondaryOutcomes),
            "registry_conditions": list(study.conditions)}
    return {k: v for k, v in text.items() if v}


def change_json(change: Change) -> dict[str, Any]:
    return {"nct_id": change.nct_id, "field": change.field, "old": change.old, "new": change.new,
            "old_registry_update": change.old_update, "new_registry_update": change.new_update,
            "recorded_on": change.recorded_on, "seen": change.seen}


@dataclass(frozen=True)
class Merged:
    """What the imports add to a build: new study records, and curated records replaced."""

    new_studies: list[dict[str, Any]]
    replaced: dict[str, dict[str, Any]]  # curated id → its record with the attached download


def merge(seed_studies: list[dict[str, Any]], stored: list[StoredStudy], changes: list[Change],
          rules: FilingRules, mechanism_ids: set[str], treatment_ids: set[str]) -> Merged:
    """Study records for the imported studies (see the module's docstring)."""
    numbers = curated_numbers(seed_studies)
    by_id = {record["id"]: record for record in seed_studies}
    changes_of: dict[str, list[dict[str, Any]]] = {}
    for change in changes:
        changes_of.setdefault(change.nct_id, []).append(change_json(change))
    new: list[dict[str, Any]] = []
    replaced: dict[str, dict[str, Any]] = {}
    for item in stored:
        study = item.study
        curated = attached_to(study, numbers)
        if curated is not None:
            base = replaced.get(curated) or dict(by_id[curated])
            replaced[curated] = _attach(base, item, changes_of.get(study.nctId, []))
            continue
        new.append(_record(item, rules, mechanism_ids, treatment_ids, changes_of.get(study.nctId, [])))
    return Merged(new, replaced)


def _record(item: StoredStudy, rules: FilingRules, mechanism_ids: set[str], treatment_ids: set[str],
            changes: list[dict[str, Any]]) -> dict[str, Any]:
    study = item.study
    filing = file_study(study, rules)
    filed_under: dict[str, dict[str, str]] = {}
    for filed in filing.mechanisms:
        if filed.target in mechanism_ids:
            match = filed.because
            filed_under[filed.target] = {"mechanism": filed.target, "by": "rule", "rule": match.rule,
                                         "reason": f"{match.reason} Filed by a TrialTree rule: "
                                                   f"{match.explain()}."}
    for mechanism in item.user_mechanisms:
        if mechanism in mechanism_ids:
            filed_under[mechanism] = {"mechanism": mechanism, "by": "user",
                                      "reason": "Filed here by you (your own choice, not a rule)."}
    count = study.enrollmentInfo.count if study.enrollmentInfo else None
    phases = [_PHASE[p] for p in study.phases if p in _PHASE]
    record: dict[str, Any] = {
        "id": study_id(study.nctId),
        "sources": [],
        "title": study.briefTitle or study.officialTitle or study.nctId,
        "acronym": study.acronym,
        "kind": "observational" if study.studyType == "OBSERVATIONAL" else "trial",
        "status": STATUS_FROM_REGISTRY.get(study.overallStatus or "", "unknown"),
        "summary_plain": IMPORTED_SUMMARY,
        "phase": "/".join(phases) or None,
        "enrollment": count,
        "conditions": conditions_once([f.target for f in filing.conditions] + list(study.conditions)),
        "countries": list(study.countries),
        "treatments": [f.target for f in filing.treatments if f.target in treatment_ids],
        "mechanisms": list(filed_under),
        "filed_under": list(filed_under.values()),
        "funding": study.leadSponsor.name if study.leadSponsor else None,
        "registry_status": None,
        "imported_from": imported_from(item),
        "registry_text": registry_text(study),
        "changes": changes,
        "download": download_json(item),
    }
    return {k: v for k, v in record.items() if v is not None}


def _attach(record: dict[str, Any], item: StoredStudy, changes: list[dict[str, Any]]) -> dict[str, Any]:
    """A curated record with a registry download attached: where it differs, a cross-check."""
    study = item.study
    seen = item.imported_on
    provenance = {"url": registry_record_url(study.nctId),
                  "kind": f"registry download of {readable_date(study.last_update)}",
                  "confidence": "primary", "seen": seen}
    checks = list(record.get("cross_checks", []))
    registry_status = STATUS_FROM_REGISTRY.get(study.overallStatus or "")
    if study.overallStatus and registry_status != record.get("status"):
        checks.append({"article_says": f"TrialTree's record: status {record.get('status')}",
                       "source_says": f"ClinicalTrials.gov: status {study.overallStatus}", **provenance})
    count = study.enrollmentInfo.count if study.enrollmentInfo else None
    if count is not None and record.get("enrollment") is not None and count != record["enrollment"]:
        checks.append({"article_says": f"TrialTree's record: enrollment {record['enrollment']}",
                       "source_says": f"ClinicalTrials.gov: enrollment {count}", **provenance})
    attached = f"Registry download of {readable_date(study.last_update)} attached ({imported_from(item)})"
    return {**record, "cross_checks": checks, "imported_from": attached,
            "registry_text": registry_text(study), "changes": record.get("changes", []) + changes}

