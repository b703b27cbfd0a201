"""Reading and filing a ClinicalTrials.gov download at scale, against the floor of json.load.

    python tests/benchmarks/ctgov_import_benchmark.py [--studies N] [--rounds R] [--dir DIR]

Writes (once, then reuses) an API-style page of N synthetic studies (default 10,000; seeded
random) in the real v2 shape, with the modules TrialTree does not carry too (eligibility, arm
groups, locations, derived section), so the file is about as large as a real download. Then times,
R rounds each, interleaved, best and median:

- floor: ``json.load`` of the file, as a plain implementation calls it, and with the cyclic
  garbage collector paused (as the reader does: it makes json.load ~2-3× faster on a big file);
- read: ``read_download`` (decode, validate, map to RegistryStudy, one copy per NCT number);
- read + file: the same plus ``file_study`` with seeds/filing.toml for every study;
- insert floor: ``executemany`` of the already mapped rows into an in-memory SQLite table;
- whole import: read + file + build the rows + ``executemany``, collector paused (the storage step is later work:
  the table here is a stand-in with the mapped columns).

Issue 17's target: the whole import at most 2× (json.load + executemany of the same rows).
Not part of the pass/fail test run (pytest skips tests/benchmarks).
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(REPO))

from desktop.data.ctgov import RegistryStudy  # noqa: E402
from desktop.data.ctgov_read import collector_paused, read_download  # noqa: E402
from desktop.data.filing import FilingResult, file_study, load_rules  # noqa: E402

CONDITIONS = [["Myalgic Encephalomyelitis/Chronic Fatigue Syndrome"], ["ME/CFS"], ["Chronic Fatigue Syndrome"],
              ["Long COVID"], ["Post-COVID-19 Syndrome"], ["PASC", "Post-Acute COVID-19 Syndrome"],
              ["COVID-19"], ["Fibromyalgia"], ["Postural Orthostatic Tachycardia Syndrome"]]
DRUGS = [("Efgartigimod alfa", ["ARGX-113"]), ("Nirmatrelvir/ritonavir", ["Paxlovid"]), ("Rituximab", []),
         ("Immunoadsorption", []), ("Naltrexone", ["LDN"]), ("Coenzyme Q10", ["CoQ10"]), ("Ivabradine", []),
         ("Study compound XY-{n}", []), ("Graded walking programme", []), ("Investigational FcRn antagonist", []),
         ("Baricitinib", ["Olumiant"]), ("Vitamin D3", ["Cholecalciferol"]), ("Transcranial direct current stimulation", ["tDCS"])]
STATUSES = ["RECRUITING", "COMPLETED", "NOT_YET_RECRUITING", "ACTIVE_NOT_RECRUITING", "TERMINATED"]
PHASES = [["PHASE1"], ["PHASE2"], ["PHASE2", "PHASE3"], ["PHASE3"], ["NA"]]
COUNTRIES = ["Norway", "Germany", "United States", "United Kingdom", "Netherlands", "Canada", "Japan"]
WORDS = "fatigue exertion symptom score participants baseline week randomized placebo orthostatic cognitive".split()


def _words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def _date(rng: random.Random) -> str:
    return f"{rng.randint(2015, 2026)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def synthetic_study(rng: random.Random, n: int) -> dict:
    """One made-up study in the v2 shape (NCT numbers NCT8xxxxxxx: not real)."""
    drugs = rng.sample(DRUGS, rng.randint(1, 3))
    interventions = [{"type": "DRUG", "name": name.format(n=n), "description": _words(rng, 12),
                      "armGroupLabels": [f"Arm {i}"], "otherNames": other} for i, (name, other) in enumerate(drugs)]
    interventions.append({"type": "DRUG", "name": "Placebo", "armGroupLabels": ["Placebo"]})
    return {
        "protocolSection": {
            "identificationModule": {
                "nctId": f"NCT8{n:07d}", "orgStudyIdInfo": {"id": f"ORG-{n}"},
                "secondaryIdInfos": [{"id": f"20{rng.randint(10, 24)}-{n:06d}-{rng.randint(10, 99)}",
                                      "type": "EUDRACT_NUMBER"}] if rng.random() < 0.3 else [],
                "organization": {"fullName": f"Synthetic Hospital {n % 500}", "class": "OTHER"},
                "briefTitle": f"Synthetic study {n}: {_words(rng, 6)}", "officialTitle": _words(rng, 20),
                "acronym": f"SYN{n}" if rng.random() < 0.4 else None,
            },
            "statusModule": {
                "statusVerifiedDate": _date(rng)[:7], "overallStatus": rng.choice(STATUSES),
                "startDateStruct": {"date": _date(rng), "type": "ACTUAL"},
                "primaryCompletionDateStruct": {"date": _date(rng)[:7], "type": "ESTIMATED"},
                "completionDateStruct": {"date": _date(rng), "type": "ESTIMATED"},
                "studyFirstSubmitDate": _date(rng), "lastUpdateSubmitDate": _date(rng),
                "lastUpdatePostDateStruct": {"date": _date(rng), "type": "ACTUAL"},
            },
            "sponsorCollaboratorsModule": {
                "responsibleParty": {"type": "SPONSOR"},
                "leadSponsor": {"name": f"Synthetic Hospital {n % 500}", "class": "OTHER"},
                "collaborators": [{"name": f"Synthetic Pharma {n % 40}", "class": "INDUSTRY"}],
            },
            "descriptionModule": {"briefSummary": _words(rng, 60), "detailedDescription": _words(rng, 200)},
            "conditionsModule": {"conditions": rng.choice(CONDITIONS), "keywords": rng.sample(WORDS, 3)},
            "designModule": {
                "studyType": "INTERVENTIONAL", "phases": rng.choice(PHASES),
                "designInfo": {"allocation": "RANDOMIZED", "interventionModel": "PARALLEL",
                               "primaryPurpose": "TREATMENT",
                               "maskingInfo": {"masking": "DOUBLE", "whoMasked": ["PARTICIPANT", "INVESTIGATOR"]}},
                "enrollmentInfo": {"count": rng.randint(10, 900), "type": "ESTIMATED"},
            },
            "armsInterventionsModule": {
                "armGroups": [{"label": f"Arm {i}", "type": "EXPERIMENTAL", "description": _words(rng, 15)}
                              for i in range(len(drugs))],
                "interventions": interventions,
            },
            "outcomesModule": {
                "primaryOutcomes": [{"measure": _words(rng, 6), "description": _words(rng, 25), "timeFrame": "Week 12"}],
                "secondaryOutcomes": [{"measure": _words(rng, 5), "timeFrame": "Week 24"} for _ in range(3)],
            },
            "eligibilityModule": {"eligibilityCriteria": _words(rng, 150), "sex": "ALL", "minimumAge": "18 Years"},
            "contactsLocationsModule": {
                "overallOfficials": [{"name": f"Investigator {n}", "affiliation": f"Synthetic Hospital {n % 500}",
                                      "role": "PRINCIPAL_INVESTIGATOR"}],
                "locations": [{"facility": f"Site {i}", "city": "City", "country": rng.choice(COUNTRIES),
                               "geoPoint": {"lat": 59.9, "lon": 10.7}} for i in range(rng.randint(1, 6))],
            },
            "referencesModule": {"references": [{"pmid": str(30000000 + n), "type": rng.choice(["RESULT", "BACKGROUND"]),
                                                 "citation": _words(rng, 15)}] if rng.random() < 0.3 else []},
        },
        "derivedSection": {"conditionBrowseModule": {"meshes": [{"id": "D000000", "term": "Synthetic"}]}},
        "hasResults": rng.random() < 0.2,
    }


def write_download(path: Path, count: int) -> None:
    rng = random.Random(17)
    page = {"studies": [synthetic_study(rng, n) for n in range(count)], "nextPageToken": "SYNTHETIC"}
    path.write_text(json.dumps(page), encoding="utf-8")


# ---- the rows an import would store -------------------------------------------------------

CREATE = ("CREATE TABLE imported (nct_id TEXT PRIMARY KEY, brief_title TEXT, official_title TEXT, acronym TEXT,"
          " status TEXT, start_date TEXT, completion_date TEXT, last_update TEXT, enrollment INTEGER,"
          " phases TEXT, has_results INTEGER, brief_summary TEXT, conditions TEXT, eudract TEXT, filed TEXT)")
INSERT = "INSERT INTO imported VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"


def row(study: RegistryStudy, filing: FilingResult) -> tuple:
    filed = "|".join(f"{f.target}:{f.because.rule}" for f in filing.conditions + filing.treatments + filing.mechanisms)
    return (study.nctId, study.briefTitle, study.officialTitle, study.acronym, study.overallStatus,
            study.startDateStruct.date if study.startDateStruct else None,
            study.completionDateStruct.date if study.completionDateStruct else None, study.last_update,
            study.enrollmentInfo.count if study.enrollmentInfo else None, ",".join(study.phases),
            int(study.hasResults), study.briefSummary, "|".join(study.conditions),
            ",".join(study.eudract_numbers), filed)


def insert(rows: list[tuple]) -> None:
    conn = sqlite3.connect(":memory:")
    conn.execute(CREATE)
    with conn:
        conn.executemany(INSERT, rows)
    conn.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--studies", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "trialtree-ctgov-bench")
    args = parser.parse_args(argv)
    args.dir.mkdir(parents=True, exist_ok=True)
    path = args.dir / f"ctgov-page-{args.studies}.json"
    if not path.exists():
        started = time.perf_counter()
        write_download(path, args.studies)
        print(f"wrote {path} in {time.perf_counter() - started:.1f} s")
    rules = load_rules(REPO / "seeds" / "filing.toml")
    print(f"{args.studies:,} synthetic studies, {path.stat().st_size / 1e6:.1f} MB, {len(rules.rules)} filing rules")

    result = read_download([path])
    filings = [file_study(study, rules) for study in result.studies]
    rows = [row(s, f) for s, f in zip(result.studies, filings)]
    assert len(rows) == args.studies and not result.skipped, result.skipped[:3]
    unfiled = sum(f.not_yet_filed for f in filings)
    neither = sum(f.in_neither_condition for f in filings)
    print(f"filed under a mechanism: {args.studies - unfiled:,}; not yet filed: {unfiled:,}; "
          f"in neither condition: {neither:,}")

    def floor_load():
        with open(path, encoding="utf-8") as handle:
            json.load(handle)

    def floor_load_paused():
        with collector_paused(), open(path, encoding="utf-8") as handle:
            json.load(handle)

    def read():
        read_download([path])

    def read_and_file():
        for study in read_download([path]).studies:
            file_study(study, rules)

    def floor_insert():
        insert(rows)

    def whole_import():
        with collector_paused():  # as the import worker should run it
            studies = read_download([path]).studies
            insert([row(study, file_study(study, rules)) for study in studies])

    timings: dict[str, list[float]] = {name: [] for name in (
        "json.load (floor)", "json.load, gc paused", "read", "read + file", "executemany (floor)", "whole import")}
    steps = list(zip(timings, (floor_load, floor_load_paused, read, read_and_file, floor_insert, whole_import)))
    cpu: dict[str, list[float]] = {name: [] for name in timings}
    for _ in range(args.rounds):
        for name, step in steps:
            started, started_cpu = time.perf_counter(), time.process_time()
            step()
            timings[name].append(time.perf_counter() - started)
            cpu[name].append(time.process_time() - started_cpu)

    # CPU time is printed too: on a shared machine it is much steadier than wall time.
    print(f"\n{'step':<24}{'best s':>9}{'median s':>10}{'best CPU s':>12}")
    for name, values in timings.items():
        print(f"{name:<24}{min(values):>9.3f}{statistics.median(values):>10.3f}{min(cpu[name]):>12.3f}")
    best = {name: min(values) for name, values in cpu.items()}
    print("\nratios on best CPU time:")
    floor = best["json.load (floor)"] + best["executemany (floor)"]
    paused_floor = best["json.load, gc paused"] + best["executemany (floor)"]
    print(f"\nread + file ÷ json.load: {best['read + file'] / best['json.load (floor)']:.2f}×")
    print(f"whole import ÷ (json.load + executemany): {best['whole import'] / floor:.2f}× (target ≤ 2×)")
    print(f"whole import ÷ (json.load with gc paused + executemany): {best['whole import'] / paused_floor:.2f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
