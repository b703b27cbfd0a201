"""Filing imported registry studies by the rules in seeds/filing.toml: never silent, never guessed."""

import re
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.data.ctgov import Intervention, RegistryStudy
from desktop.data.ctgov_read import read_file
from desktop.data.filing import (
    file_study,
    load_rules,
    normalize,
    rules_from_document,
)
from desktop.data.seeds import SeedError

REPO = Path(__file__).resolve().parents[2]
RULES_FILE = REPO / "seeds" / "filing.toml"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ctgov"
NEW_MECHANISMS = {"viral-persistence", "immune-activation"}  # created on branch i16-code


def agreed_treatment_ids() -> set[str]:
    """Existing treatments plus the ids agreed for issue 16 (they exist once those branches merge)."""
    existing = {t["id"] for t in tomllib.loads((REPO / "seeds" / "treatments.toml").read_text())["treatment"]}
    agreed = {"nirmatrelvir-ritonavir", "rintatolimod", "rovunaptabin", "efgartigimod",
              "intravenous-immunoglobulin", "plasma-exchange", "baricitinib", "colchicine", "2-hoba",
              "temelimab", "pyridostigmine", "cognitive-training", "transcranial-direct-current-stimulation",
              "vagus-nerve-stimulation", "ivabradine", "axa1125", "coenzyme-q10", "coq10-nadh",
              "oxaloacetate", "hyperbaric-oxygen"}
    return existing | agreed


def mechanism_ids() -> set[str]:
    mechanisms = tomllib.loads((REPO / "seeds" / "mechanisms.toml").read_text())["mechanism"]
    return {m["id"] for m in mechanisms} | NEW_MECHANISMS


@pytest.fixture(scope="module")
def rules():
    return load_rules(RULES_FILE, agreed_treatment_ids(), mechanism_ids())


def study(conditions=(), interventions=(), title=None) -> RegistryStudy:
    return RegistryStudy(nctId="NCT99990100", briefTitle=title, conditions=tuple(conditions),
                         interventions=tuple(Intervention("DRUG", name, tuple(other))
                                             for name, *other in interventions))


def targets(filed) -> list[str]:
    return [f.target for f in filed]


# ---- the project's rules file ---------------------------------------------------------------


def test_the_rules_file_is_valid_against_the_seed_ids(rules):
    assert {r.kind for r in rules.rules} == {"condition", "intervention", "drug_class"}
    assert {r.condition for r in rules.rules if r.kind == "condition"} == {"ME/CFS", "long COVID"}


@pytest.mark.parametrize("condition, expected", [
    ("ME/CFS", "ME/CFS"), ("Myalgic Encephalomyelitis", "ME/CFS"), ("Chronic Fatigue Syndrome", "ME/CFS"),
    ("CFS", "ME/CFS"), ("Fatigue Syndrome, Chronic", "ME/CFS"), ("ME-CFS", "ME/CFS"),
    ("Long COVID", "long COVID"), ("Long-COVID-19", "long COVID"), ("Post-COVID-19 Syndrome", "long COVID"),
    ("Post COVID Condition", "long COVID"), ("PASC", "long COVID"),
    ("Post-Acute Sequelae of SARS-CoV-2 Infection", "long COVID"), ("Post-acute COVID-19 syndrome", "long COVID"),
])
def test_condition_names_are_filed_under_me_cfs_or_long_covid(rules, condition, expected):
    assert targets(file_study(study([condition]), rules).conditions) == [expected]


@pytest.mark.parametrize("condition", ["COVID-19", "Chronic Fatigue", "Fatigue", "Knee Osteoarthritis",
                                       "Multiple Sclerosis", "CFSX", "MECP2 disorder"])
def test_other_conditions_are_in_neither(rules, condition):
    result = file_study(study([condition]), rules)
    assert result.conditions == () and result.in_neither_condition


def test_a_long_covid_title_files_a_study_whose_conditions_say_only_covid(rules):
    result = file_study(study(["COVID-19"], title="Paxlovid for Long COVID"), rules)
    (filed,) = result.conditions
    assert filed.target == "long COVID" and filed.because.field == "identificationModule.briefTitle"


@pytest.mark.parametrize("name, treatment, mechanisms", [
    ("Efgartigimod alfa", "efgartigimod", ["autoantibodies"]),
    ("Immunoadsorption", "immunoadsorption", ["autoantibodies"]),
    ("Therapeutic Plasma Exchange", "plasma-exchange", ["autoantibodies"]),
    ("Plasmapheresis", "plasma-exchange", ["autoantibodies"]),
    ("Nirmatrelvir/ritonavir", "nirmatrelvir-ritonavir", ["viral-persistence"]),
    ("BC007", "rovunaptabin", ["autoantibodies"]),
    ("BC 007", "rovunaptabin", ["autoantibodies"]),
    ("Rituximab", "rituximab", ["b-cell-depletion", "autoantibodies"]),
    ("2-HOBA", "2-hoba", ["immune-activation"]),
    ("Coenzyme Q10 plus NADH", "coq10-nadh", ["energy-metabolism"]),
    ("Hyperbaric oxygen therapy", "hyperbaric-oxygen", []),
])
def test_intervention_names_file_treatments_and_mechanisms(rules, name, treatment, mechanisms):
    result = file_study(study(["ME/CFS"], [(name,)]), rules)
    assert targets(result.treatments) == [treatment]
    assert targets(result.mechanisms) == mechanisms


def test_other_names_file_too_and_say_so(rules):
    result = file_study(study(["Long COVID"], [("Study drug", "Vyvgart")]), rules)
    (mechanism,) = result.mechanisms
    assert mechanism.target == "autoantibodies"
    assert mechanism.because.rule == "rule-efgartigimod"
    assert mechanism.because.field == "armsInterventionsModule.interventions.otherNames"
    assert mechanism.because.explain() == 'intervention "Vyvgart" matches "Vyvgart" (rule rule-efgartigimod)'
    assert "FcRn blocker" in mechanism.because.reason


def test_matching_ignores_case_and_accents():
    assert normalize("EFGARTIGIMÓD") == normalize("efgartigimod")
    assert normalize("Post_COVID  syndrome") == "post covid syndrome"


def test_a_drug_class_files_a_mechanism_without_a_treatment(rules):
    result = file_study(study(["ME/CFS"], [("Investigational FcRn antagonist",)]), rules)
    assert result.treatments == ()
    assert targets(result.mechanisms) == ["autoantibodies"]
    assert result.mechanisms[0].because.rule == "class-fcrn-blocker"


def test_terms_match_whole_words_only(rules):
    # "LDN" inside another word and "naltrexone" alone (a full dose) are not low-dose naltrexone.
    result = file_study(study(["ME/CFS"], [("Naltrexone",), ("ALDNX-1",), ("Colchicinoid",)]), rules)
    assert result.treatments == () and result.not_yet_filed


def test_the_longest_overlapping_term_wins(rules):
    result = file_study(study(["ME/CFS"], [("CoQ10 + NADH",)]), rules)
    assert targets(result.treatments) == ["coq10-nadh"]


def test_placebo_and_sham_arms_file_nothing(rules):
    result = file_study(study(["Long COVID"], [("Placebo to match efgartigimod",), ("Sham immunoadsorption",)]),
                        rules)
    assert result.treatments == () and result.mechanisms == ()


def test_a_study_no_rule_matches_is_not_yet_filed_never_guessed(rules):
    result = file_study(study(["Chronic Fatigue Syndrome"], [("Activity diary",)]), rules)
    assert result.not_yet_filed and result.mechanisms == () and result.treatments == ()


def test_the_fixture_downloads_are_filed_with_their_rules(rules):
    (single,) = read_file(FIXTURES / "study_single.json").studies
    result = file_study(single, rules)
    assert targets(result.conditions) == ["long COVID"]
    assert result.conditions[0].because.text == "Post-COVID-19 Syndrome"
    assert targets(result.treatments) == ["efgartigimod"]
    knee = read_file(FIXTURES / "array.json").studies[1]
    assert file_study(knee, rules).in_neither_condition


# ---- validation: errors name the file, the rule and the field --------------------------------

GOOD = {"id": "rule-x", "match": ["drugx"], "treatment": "rituximab", "mechanisms": ["autoantibodies"],
        "reason": "Made-up."}


@pytest.mark.parametrize("change, field, words", [
    ({"id": "Rule X"}, "id", "lowercase words"),
    ({"match": []}, "match", "the list is empty"),
    ({"match": "drugx"}, "match", "list of non-empty texts"),
    ({"match": ["x"]}, "match", "too short"),
    ({"match": ["Drug X", "drug-x"]}, "match", "listed twice in this rule"),
    ({"treatment": "no-such-drug"}, "treatment", "unknown treatment id 'no-such-drug'"),
    ({"mechanisms": ["no-such-mechanism"]}, "mechanisms", "unknown mechanism id"),
    ({"reason": ""}, "reason", "expected plain text"),
    ({"colour": "red"}, "colour", "unknown field"),
])
def test_a_bad_intervention_rule_names_file_rule_and_field(change, field, words):
    entry = {**GOOD, **change}
    with pytest.raises(SeedError) as caught:
        rules_from_document({"intervention": [entry]}, "seeds/filing.toml", {"rituximab"}, {"autoantibodies"})
    assert caught.value.file == "seeds/filing.toml" and caught.value.field == field
    assert caught.value.record in ("rule-x", "Rule X")
    assert words in str(caught.value)


def test_a_missing_required_field_is_named():
    entry = {k: v for k, v in GOOD.items() if k != "reason"}
    with pytest.raises(SeedError, match=r"seeds/filing.toml: record 'rule-x', field 'reason': required"):
        rules_from_document({"intervention": [entry]}, "seeds/filing.toml")


def test_a_term_in_two_rules_is_refused():
    other = {**GOOD, "id": "rule-y", "match": ["DRUG-X"]}
    with pytest.raises(SeedError, match=r"record 'rule-y', field 'match': term 'DRUG-X' is listed in rule 'rule-x'"):
        rules_from_document({"intervention": [GOOD, other]}, "seeds/filing.toml")


def test_a_condition_rule_files_only_the_two_conditions():
    with pytest.raises(SeedError, match=r"record 'c', field 'condition': expected one of ME/CFS, long COVID"):
        rules_from_document({"condition": [{"id": "c", "condition": "MS", "match": ["multiple sclerosis"]}]}, "f")


def test_a_drug_class_needs_a_mechanism():
    entry = {"id": "class-x", "match": ["x blocker"], "mechanisms": [], "reason": "Made-up."}
    with pytest.raises(SeedError, match=r"record 'class-x', field 'mechanisms': the list is empty"):
        rules_from_document({"drug_class": [entry]}, "f")


def test_unknown_sections_and_bad_toml_are_named(tmp_path):
    with pytest.raises(SeedError, match=r"unexpected top-level key\(s\) \['rule'\]"):
        rules_from_document({"rule": []}, "f")
    (tmp_path / "filing.toml").write_text("[[intervention]\nid = ")
    with pytest.raises(SeedError, match=r"^seeds/filing.toml: TOML syntax error"):
        load_rules(tmp_path / "filing.toml")


def test_duplicate_rule_ids_are_refused():
    with pytest.raises(SeedError, match=r"record 'rule-x', field 'id': duplicate rule id"):
        rules_from_document({"intervention": [GOOD, {**GOOD, "match": ["other"]}]}, "f")


# ---- arbitrary registry text never breaks filing ----------------------------------------------


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(max_size=40), max_size=4), st.lists(st.text(min_size=1, max_size=40), max_size=4))
def test_arbitrary_registry_text_files_or_leaves_unfiled_but_never_raises(conditions, names):
    rules = load_rules(RULES_FILE)
    result = file_study(study(conditions, [(name,) for name in names]), rules)
    for filed in result.conditions + result.treatments + result.mechanisms:
        # every filing is explained by a term that really occurs, as a whole word, in the text
        term = re.escape(normalize(filed.because.term)).replace(r"\ ", " ?")
        assert re.search(rf"(?<!\w){term}(?!\w)", normalize(filed.because.text))
    assert result.not_yet_filed == (result.mechanisms == ())
