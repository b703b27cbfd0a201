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
- insert floor: ``executemany`` of the rows the store keeps, already made, into a new SQLite file
  with the store's own table;
- whole import: ``run_import`` into a new imports.db, as ``trialtree import`` runs it (read, refuse
  by condition, compare with what is stored, one transaction).

Then, once: a rebuild of the reference database with the imports merged in, and the tree and
search over the seeds plus every imported study (best of R).

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
from desktop.data.filing import file_study, load_rules  # noqa: E402
from desktop.data.import_run import run_import  # noqa: E402
from desktop.data.import_store import ImportStore, study_to_json, today  # noqa: E402

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


# ---- the rows the store keeps --------------------------------------------------------------


def row(study: RegistryStudy, on: str) -> tuple:
    return (study.nctId, study_to_json(study), study.last_update, on, study.origin)


def insert(rows: list[tuple], folder: Path) -> None:
    target = folder / "floor.db"
    target.unlink(missing_ok=True)
    ImportStore(target).close()  # the same table, made beforehand: only the insert is timed
    conn = sqlite3.connect(target)
    with conn:
        conn.executemany("INSERT INTO studies (nct_id, data, last_update, imported_on, origin) "
                         "VALUES (?, ?, ?, ?, ?)", rows)
    conn.close()


def best_of(rounds: int, step) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        step()
        times.append(time.perf_counter() - started)
    return min(times)


def reference_with_imports(path: Path, folder: Path, rounds: int) -> None:
    """Rebuild the reference data with the imports merged in; time tree and search over it."""
    from desktop.data.build import ensure_reference_db
    from desktop.data.library import Library

    target = folder / "with-imports" / "reference.db"
    target.parent.mkdir(exist_ok=True)
    imports = target.with_name("imports.db")
    imports.unlink(missing_ok=True)
    run_import([path], seeds_dir=REPO / "seeds", reference_db=target, imports_db=imports,
               keep_other_conditions=True)  # all of them, the worst case for tree and search
    started = time.perf_counter()
    result = ensure_reference_db(REPO / "seeds", target, force=True)
    print(f"\nrebuild of the reference data with {ImportStore(imports).count():,} imports: "
          f"{time.perf_counter() - started:.2f} s")
    library = Library(result.path)
    roots = library.tree_roots("mechanism")
    waiting = next(node for node in roots if node.title == "Not yet filed")
    steps = {
        "tree: mechanism roots": lambda: library.tree_roots("mechanism"),
        "tree: condition roots": lambda: library.tree_roots("condition"),
        "tree: first 200 not yet filed": lambda: library.tree_children("mechanism", waiting, 0, 200),
        "search 'efgartigimod'": lambda: library.search("efgartigimod"),
        "search 'fatigue exertion'": lambda: library.search("fatigue exertion"),
        "open one imported study": lambda: library.record("nct80000042"),
    }
    print(f"{library.count('study'):,} studies; 'Not yet filed' holds {waiting.count:,}")
    for name, step in steps.items():
        print(f"{name:<32}{best_of(rounds, step) * 1000:>9.1f} ms (best of {rounds})")
    library.close()


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
    on = today()
    rows = [row(s, on) for s in result.studies]
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
        insert(rows, args.dir)

    def whole_import():
        store = args.dir / "imports.db"
        store.unlink(missing_ok=True)
        run_import([path], seeds_dir=REPO / "seeds", reference_db=args.dir / "none.db", imports_db=store)

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
    reference_with_imports(path, args.dir, args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
