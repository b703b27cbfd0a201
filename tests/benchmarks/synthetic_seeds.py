"""A synthetic seeds folder of N studies, in the real seed format, for the search benchmark.

The text is made to look like the real records: titles of 8–12 words, plain summaries of 60–100
words, drug names, people (some with Ø, é, ü, ß), institutions, countries, conditions,
mechanisms in a tree, glossary terms with aliases, registry identifiers on about a third of the
studies and cross-checks on a few. Word frequencies follow a Zipf curve over a medical lexicon
plus a long tail of made-up words, so common and rare words both exist, as in real text.

    python tests/benchmarks/synthetic_seeds.py OUT_DIR [--trials N] [--seed S]

writes OUT_DIR/seeds (validated by desktop.data.seeds like the real ones) and, with --build,
OUT_DIR/reference.db built by desktop.data.build.build_reference_db (the real schema).
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import sys
import time
from pathlib import Path

GENERATOR_VERSION = 2
SOURCE = "synthetic-source"
CITE = [{"source": SOURCE, "section": "main"}]

LEXICON = """
patients people participants study trial placebo group groups treatment treated dose doses weeks
months year years fatigue symptoms symptom severity score scores scale measured measure outcome
outcomes primary secondary endpoint endpoints improved improvement improvements worse worsening
change changes baseline follow-up randomized randomised double-blind controlled open-label pilot
phase cohort observational analysis data results result effect effects response responders
nonresponders significant difference differences compared comparison healthy controls control
immune system immunity antibodies autoantibodies antibody cells cell b-cells plasma t-cells
natural killer nk function functional activity reduced increased levels level blood serum
plasma samples sample marker markers biomarker biomarkers inflammation neuroinflammation
mitochondria mitochondrial energy metabolism metabolic exercise exertion post-exertional malaise
orthostatic intolerance heart rate blood pressure autonomic nervous brain cognitive sleep pain
muscle viral virus infection infections epstein-barr covid-19 sars-cov-2 long covid post-covid
syndrome disease illness chronic condition conditions criteria diagnosis diagnosed onset duration
women men adults children adolescents age aged years-old hospital clinic clinics centre center
university department researchers team investigators funding funded grant safety safe tolerated
adverse events side serious infusion infusions injection injections intravenous oral subcutaneous
weekly monthly daily tablets capsules milligrams drug drugs therapy therapies intervention
interventions receptor receptors channel channels ion calcium trpm3 gpcr beta-adrenergic
muscarinic cd20 cd19 cd38 depletion targeting genes genetic variants gwas association
questionnaire physical activity steps wearable self-reported quality life sf-36 fatigue-scale
recruitment enrolling enrolled completed ongoing planned stopped published protocol registered
registry subgroup subgroups heterogeneity responders lessons evidence hypothesis mechanism
mechanisms pathways pathway signalling signaling cytokines interferon interleukin microbiome gut
vascular endothelial perfusion hypoperfusion cerebral blood-flow oxygen lactate exercise-test
cardiopulmonary two-day cpet tilt-table small fibre neuropathy skin biopsy
""".split()

STOPWORDS = "the of and in a to with for was were is are on at by from that this as or not their".split()

DRUGS_REAL = [("Rituximab", "anti-CD20 monoclonal antibody", "CD20 on B cells", []),
              ("Daratumumab", "anti-CD38 monoclonal antibody", "CD38", []),
              ("Ublituximab", "anti-CD20 antibody", "CD20", []),
              ("Inebilizumab", "anti-CD19 antibody", "CD19", []),
              ("Cyclophosphamide", "alkylating agent", "B cells", []),
              ("Low-dose naltrexone", "opioid antagonist", "TRPM3 ion channel function", ["LDN"]),
              ("Immunoadsorption", "extracorporeal procedure", "immunoglobulins", ["IA"]),
              ("Nirmatrelvir", "protease inhibitor", "SARS-CoV-2 protease", ["Paxlovid"]),
              ("Aripiprazole", "antipsychotic", "dopamine receptors", ["low-dose aripiprazole"]),
              ("Rintatolimod", "TLR3 agonist", "toll-like receptor 3", ["Ampligen"]),
              ("Coenzyme Q10", "supplement", "mitochondria", ["CoQ10", "ubiquinone"]),
              ("Pyridostigmine", "cholinesterase inhibitor", "acetylcholinesterase", ["Mestinon"]),
              ("Ivabradine", "heart-rate lowering drug", "HCN channel", []),
              ("BC007", "aptamer", "GPCR autoantibodies", ["rovunaptabin"]),
              ("Efgartigimod", "FcRn blocker", "FcRn", []),
              ("Valganciclovir", "antiviral", "herpesviruses", [])]
SUFFIXES = ["mab", "zumab", "ximab", "nib", "tide", "stat", "pril", "olol", "vir", "pine"]
MECHANISMS = {
    "immune-dysregulation": None, "autoimmunity": "immune-dysregulation",
    "autoantibodies": "autoimmunity", "gpcr-autoantibodies": "autoantibodies",
    "beta-adrenergic-receptor-autoantibodies": "gpcr-autoantibodies",
    "b-cells-and-plasma-cells": "autoimmunity", "b-cell-depletion": "b-cells-and-plasma-cells",
    "plasma-cell-targeting": "b-cells-and-plasma-cells", "antiviral-immunity": "immune-dysregulation",
    "ebv-reactivation": "antiviral-immunity", "nk-cell-dysfunction": "immune-dysregulation",
    "nervous-system-dysfunction": None, "neuroinflammation": "nervous-system-dysfunction",
    "autonomic-dysfunction": "nervous-system-dysfunction",
    "sympathetic-overactivity": "autonomic-dysfunction",
    "small-fibre-neuropathy": "nervous-system-dysfunction", "energy-metabolism": None,
    "mitochondrial-function": "energy-metabolism", "lactate-metabolism": "energy-metabolism",
    "vascular-dysregulation": None, "hypoperfusion": "vascular-dysregulation",
    "endothelial-dysfunction": "vascular-dysregulation", "ion-channels": None,
    "trpm3": "ion-channels", "genetics": None, "gut-microbiome": None, "endocrine": None,
}
FIRST = ["Øystein", "Carmen", "Luis", "Wakiro", "Sonya", "Olav", "Kari", "Ingrid", "José", "Zoë",
         "Jürgen", "Gößmann", "Anne", "Mady", "Nancy", "David", "Maria", "Elena", "Hiroshi", "Yuki",
         "Ana", "Łukasz", "Søren", "Åsa", "François", "Chloé", "Amélie", "Björn", "Ulrike", "Peter",
         "Simon", "Lucinda", "Jonas", "Jae-Hyun", "Priya", "Ahmed", "Fatima", "Olga", "Ivan", "Mei"]
LAST = ["Fluge", "Scheibenbogen", "Nacul", "Sato", "Marshall-Gradisnik", "Mella", "Sotzny",
        "Wirth", "Hornig", "Klimas", "Ponting", "Rekeland", "Tronstad", "Bansal", "Müller",
        "Straße", "García", "Núñez", "Lévesque", "Søgaard", "Østergaard", "Kowalski", "Yamada",
        "Tanaka", "Kim", "Nguyen", "Smith", "Jones", "Brown", "Wilson", "Taylor", "Dubois",
        "Rossi", "Bianchi", "Larsen", "Hansen", "Nilsson", "Novák", "Horváth", "Papadopoulos"]
COUNTRIES = ["Norway", "Germany", "Japan", "Australia", "England", "Canada", "United States",
             "Sweden", "Denmark", "Netherlands", "Spain", "Italy", "France", "Belgium", "Poland",
             "Czechia", "Ireland", "Scotland", "Switzerland", "Austria", "New Zealand", "Brazil"]
CITIES = ["Bergen", "Oslo", "Berlin", "Tokyo", "Gold Coast", "London", "Vancouver", "New York",
          "Stockholm", "Copenhagen", "Amsterdam", "Madrid", "Milan", "Paris", "Leuven", "Warsaw",
          "Prague", "Dublin", "Edinburgh", "Zürich", "Vienna", "Auckland", "São Paulo"]
INSTITUTION_KINDS = ["University", "University Hospital", "Institute", "Research Centre", "Clinic"]
CONDITIONS = ["ME/CFS", "long COVID", "post-COVID syndrome", "post-COVID ME/CFS", "fibromyalgia",
              "POTS", "Gulf War illness", "multiple sclerosis", "post-COVID fatigue syndrome"]
GLOSSARY = [("ME/CFS", ["myalgic encephalomyelitis", "chronic fatigue syndrome", "CFS"]),
            ("long COVID", ["post-COVID", "post-COVID syndrome", "PCS", "post-COVID condition"]),
            ("post-exertional malaise", ["PEM"]), ("natural killer cell", ["NK cell"]),
            ("postural orthostatic tachycardia syndrome", ["POTS"]),
            ("genome-wide association study", ["GWAS"]), ("randomized controlled trial", ["RCT"]),
            ("Epstein-Barr virus", ["EBV"]), ("cardiopulmonary exercise test", ["CPET"]),
            ("G-protein coupled receptor", ["GPCR"]), ("monoclonal antibody", ["mAb"])]
STUDY_KINDS = ["trial"] * 6 + ["pilot", "observational", "observational", "genetic", "review",
                               "laboratory"]
STATUSES = ["completed"] * 4 + ["ongoing"] * 2 + ["enrolling", "planned", "stopped", "published"]
PHASES = ["1", "2", "2", "2", "3", "1/2", "2/3"]
DESIGNS = ["randomized, double-blind, placebo-controlled", "open-label, single-arm",
           "randomized, placebo-controlled, crossover", "prospective cohort", "case-control"]


class Text:
    """Zipf-distributed words over the lexicon plus a long tail of made-up words."""

    def __init__(self, rng: random.Random, tail: int = 6000):
        syllables = ["ka", "lo", "mi", "ne", "ro", "ta", "vi", "sen", "dor", "lin", "pra", "sto",
                     "gen", "fil", "cor", "ber", "tum", "zan", "qui", "pho", "rex", "mal", "tis"]
        made_up = {"".join(rng.choice(syllables) for _ in range(rng.randint(2, 4)))
                   for _ in range(tail)}
        self.words = LEXICON + sorted(made_up)
        self.cumulative = list(itertools.accumulate(1.0 / (rank + 8) for rank in range(len(self.words))))
        self.rng = rng

    def words_(self, n: int) -> list[str]:
        return self.rng.choices(self.words, cum_weights=self.cumulative, k=n)

    def sentence(self, n: int, names: list[str] = ()) -> str:
        words = self.words_(n)
        for i in range(0, n, 4):  # function words, as in prose
            words.insert(i, self.rng.choice(STOPWORDS))
        for name in names:
            words.insert(self.rng.randrange(len(words) + 1), name)
        return (" ".join(words)).capitalize() + "."


def _drug_names(rng: random.Random, n: int) -> list[tuple[str, str, str, list[str]]]:
    drugs = list(DRUGS_REAL)
    syllables = ["ri", "tu", "xi", "da", "ra", "ub", "li", "ne", "bi", "zu", "to", "ce", "mo", "la"]
    seen = {d[0].lower() for d in drugs}
    while len(drugs) < n:
        name = ("".join(rng.choice(syllables) for _ in range(rng.randint(2, 3)))
                + rng.choice(SUFFIXES)).capitalize()
        if name.lower() in seen:
            continue
        seen.add(name.lower())
        target = rng.choice(["CD20", "CD19", "CD38", "IL-6", "TNF", "FcRn", "TLR3", "HCN", "NMDA"])
        aliases = [f"{name[:3].upper()}-{rng.randint(100, 999)}"] if rng.random() < 0.4 else []
        drugs.append((name, f"anti-{target} drug" if name.endswith("mab") else "small molecule",
                      target, aliases))
    return drugs


def write_seeds(out: Path, trials: int, seed: int = 7) -> Path:
    """Write a complete seeds folder under ``out`` and return its path."""
    rng = random.Random(seed)
    text = Text(rng)
    seeds = out / "seeds"
    (seeds / "studies").mkdir(parents=True, exist_ok=True)

    _write(seeds / "sources.toml", "source", [{
        "id": SOURCE, "title": "Synthetic benchmark source", "kind": "other",
        "sections": [{"key": "main", "heading": "Main"}]}])

    mechanisms = [{"id": mid, "name": mid.replace("-", " ").capitalize(),
                   "summary": text.sentence(14), **({"parent": parent} if parent else {}),
                   "sources": CITE} for mid, parent in MECHANISMS.items()]
    mechanisms[1]["aliases"] = ["autoimmune disease"]
    _write(seeds / "mechanisms.toml", "mechanism", mechanisms)
    parents = set(MECHANISMS.values())
    leaves = [m for m in MECHANISMS if m not in parents]

    drugs = _drug_names(rng, 300)
    treatments = []
    for name, klass, target, aliases in drugs:
        record = {"id": _slug(name), "name": name, "kind": "drug", "class": klass,
                  "target": target, "summary": text.sentence(rng.randint(20, 35), [name]),
                  "mechanisms": [rng.choice(leaves)], "sources": CITE}
        if aliases:
            record["aliases"] = aliases
        treatments.append(record)
    _write(seeds / "treatments.toml", "treatment", treatments)

    institutions = []
    for i in range(600):
        city_index = rng.randrange(len(CITIES))
        name = f"{CITIES[city_index]} {rng.choice(INSTITUTION_KINDS)} {i}"
        institutions.append({"id": f"inst-{i}", "name": name, "kind": "university",
                             "city": CITIES[city_index],
                             "country": COUNTRIES[city_index % len(COUNTRIES)], "sources": CITE})
    institutions[0].update(name="Charité Hospital", city="Berlin", country="Germany",
                           aliases=["Charité", "Charite"])
    _write(seeds / "institutions.toml", "institution", institutions)

    people = []
    for i in range(3000):
        name = f"{FIRST[i % len(FIRST)]} {LAST[(i // len(FIRST) + i) % len(LAST)]}"
        people.append({"id": f"person-{i}", "name": name, "summary": text.sentence(15),
                       "institutions": [f"inst-{rng.randrange(600)}"], "sources": CITE})
    _write(seeds / "people.toml", "person", people)

    terms = [{"id": f"term-{i}", "term": term, "aliases": aliases, "definition": text.sentence(20),
              "sources": CITE} for i, (term, aliases) in enumerate(GLOSSARY)]
    terms += [{"id": f"term-x{i}", "term": word, "definition": text.sentence(18), "sources": CITE}
              for i, word in enumerate(rng.sample(text.words[200:], 140))]
    _write(seeds / "glossary.toml", "term", terms)

    batch: list[dict] = []
    for i in range(trials):
        batch.append(_study(rng, text, i, drugs, leaves))
        if len(batch) == 5000 or i == trials - 1:
            _write(seeds / "studies" / f"synthetic-{i // 5000:03d}.toml", "study", batch)
            batch = []
    return seeds


def _study(rng: random.Random, text: Text, i: int, drugs, leaves) -> dict:
    # a fifth of the studies test a well-known drug (rituximab in about 6% of all studies, as
    # the most studied drugs are in registries), the rest any of 300 drugs
    drug = (DRUGS_REAL[min(int(rng.paretovariate(0.5)) - 1, len(DRUGS_REAL) - 1)]
            if rng.random() < 0.2 else rng.choice(drugs))
    more = [drugs[rng.randrange(len(drugs))]] if rng.random() < 0.2 else []
    condition = rng.choice(CONDITIONS)
    person_ids = rng.sample(range(3000), rng.randint(1, 3))
    title_words = text.words_(rng.randint(6, 10))
    title_words.insert(rng.randrange(len(title_words)), drug[0])
    title_words.insert(rng.randrange(len(title_words)), condition)
    study = {
        "id": f"study-{i:06d}",
        "title": " ".join(title_words).capitalize(),
        "kind": rng.choice(STUDY_KINDS),
        "status": rng.choice(STATUSES),
        "summary_plain": " ".join(text.sentence(rng.randint(10, 16), [drug[0]] if j == 0 else [])
                                  for j in range(rng.randint(5, 7))),
        "design": rng.choice(DESIGNS),
        "population": f"{rng.randint(8, 400)} adults with {condition}",
        "conditions": [condition] + ([rng.choice(CONDITIONS)] if rng.random() < 0.3 else []),
        "countries": rng.sample(COUNTRIES, rng.randint(1, 2)),
        "treatments": list(dict.fromkeys(_slug(d[0]) for d in [drug, *more])),
        "mechanisms": rng.sample(leaves, rng.randint(1, 2)),
        "people": [{"person": f"person-{p}", "role": rng.choice(["principal investigator",
                                                                 "co-investigator", "author"])}
                   for p in person_ids],
        "institutions": list(dict.fromkeys(f"inst-{rng.randrange(600)}" for _ in range(rng.randint(1, 2)))),
        "result": text.sentence(rng.randint(12, 20)),
        "year": rng.randint(2010, 2026),
        "sources": CITE,
    }
    if study["kind"] in ("trial", "pilot"):
        study["phase"] = rng.choice(PHASES)
        study["enrollment"] = rng.randint(8, 400)
    if rng.random() < 0.1:
        study["acronym"] = (drug[0][:5] + rng.choice(["ME", "COV", "FAT", "CFS"]) + str(i % 100))
    provenance = {"url": "https://example.org/x", "kind": "registry", "confidence": "primary",
                  "seen": "2025-11-20"}
    if rng.random() < 0.33:
        study["identifiers"] = [{"system": "ClinicalTrials.gov", "id": f"NCT{10_000_000 + i:08d}",
                                 **provenance}]
    if rng.random() < 0.02:
        study["cross_checks"] = [{"article_says": text.sentence(8), "source_says": text.sentence(8),
                                  **provenance}]
    return study


def _slug(name: str) -> str:
    import re

    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # JSON strings are TOML basic strings
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(value)


def _write(path: Path, array: str, records: list[dict]) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        for record in records:
            handle.write(f"[[{array}]]\n")
            for key, value in record.items():
                handle.write(f"{key} = {_toml_value(value)}\n")
            handle.write("\n")


def default_dir(trials: int) -> Path:
    """Where the benchmarks keep (and share) the synthetic database of ``trials`` studies."""
    import tempfile

    return Path(tempfile.gettempdir()) / f"trialtree-search-bench-{trials}"


def build(out: Path, trials: int, seed: int = 7, log=print) -> Path:
    """Seeds + reference.db for ``trials`` studies under ``out``; reused when already built."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from desktop.data import schema
    from desktop.data.build import build_reference_db
    from desktop.data.seeds import load_seeds

    target = out / "reference.db"
    stamp = out / "built.json"
    wanted = {"trials": trials, "seed": seed, "generator": GENERATOR_VERSION,
              "schema": schema.SCHEMA_VERSION, "columns": list(schema.SEARCH_COLUMNS)}
    if target.exists() and stamp.exists() and json.loads(stamp.read_text()) == wanted:
        log(f"using the synthetic database in {target}")
        return target
    started = time.perf_counter()
    seeds_dir = write_seeds(out, trials, seed)
    log(f"wrote {trials:,} synthetic studies in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    seeds = load_seeds(seeds_dir)
    log(f"validated the seeds in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    build_reference_db(seeds, target)
    log(f"built {target} ({target.stat().st_size / 1e6:.0f} MB) in "
        f"{time.perf_counter() - started:.1f} s")
    stamp.write_text(json.dumps(wanted))
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--trials", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--build", action="store_true", help="also build reference.db")
    args = parser.parse_args(argv)
    if args.build:
        build(args.out, args.trials, args.seed)
    else:
        write_seeds(args.out, args.trials, args.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
