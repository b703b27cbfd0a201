"""File an imported registry study under conditions, treatments and mechanisms by the rules in
``seeds/filing.toml``, keeping the rule that matched so the reader can see why.

Filing is never guessed: a study that no rule files under a mechanism is "Not yet filed" (the
tree's words for it are :data:`desktop.data.vocabulary.NOT_YET_FILED_LABEL`). Terms match whole
words, ignoring case and accents (:func:`desktop.data.text.fold`); spaces, hyphens and underscores
between words count as the same, and may be left out ("BC 007" matches "BC007"). Where terms
overlap in one text the longest wins ("CoQ10 plus NADH" is not also "CoQ10").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from desktop.data.ctgov import RegistryStudy
from desktop.data.schema import CONDITIONS
from desktop.data.seeds import ID_PATTERN, SeedError
from desktop.data.text import fold

RULE_KINDS = ("condition", "intervention", "drug_class")
# Interventions named like these are comparison arms, not the treatment a study tests.
_COMPARATOR = re.compile(r"(?<!\w)(placebo|sham)(?!\w)")
_SEPARATORS = re.compile(r"[\s\-_]+")


def normalize(text: str) -> str:
    """Folded text with every run of spaces, hyphens and underscores made one space."""
    folded = text.lower() if text.isascii() else fold(text)  # most registry text is ASCII: skip NFKD
    return _SEPARATORS.sub(" ", folded).strip()


def _key(normalized: str) -> str:
    return normalized.replace(" ", "")


@dataclass(frozen=True)
class Rule:
    """One filing rule: its terms and what a match files the study under."""

    id: str
    kind: str  # "condition" | "intervention" | "drug_class"
    terms: tuple[str, ...]
    condition: str | None = None
    treatment: str | None = None
    mechanisms: tuple[str, ...] = ()
    reason: str | None = None


@dataclass(frozen=True)
class RuleMatch:
    """Why a study is filed somewhere: the rule, the registry field and text, the term that matched."""

    rule: str
    field: str  # v2 path, e.g. "armsInterventionsModule.interventions.otherNames"
    text: str  # the registry's text, as written
    term: str  # the rule's term that matched
    reason: str | None = None

    def explain(self) -> str:
        """One plain line for the reader, e.g. 'intervention "Vyvgart" matches "Vyvgart" (rule …)'."""
        what = {"conditionsModule.conditions": "condition", "identificationModule.briefTitle": "title",
                "identificationModule.officialTitle": "official title"}.get(self.field, "intervention")
        return f'{what} "{self.text}" matches "{self.term}" (rule {self.rule})'


@dataclass(frozen=True)
class Filed:
    """One condition, treatment or mechanism id a study is filed under, with the first match that put it there."""

    target: str
    because: RuleMatch


@dataclass(frozen=True)
class FilingResult:
    conditions: tuple[Filed, ...]
    treatments: tuple[Filed, ...]
    mechanisms: tuple[Filed, ...]

    @property
    def not_yet_filed(self) -> bool:
        """No rule files the study under a mechanism: it waits for the user, never for a guess."""
        return not self.mechanisms

    @property
    def in_neither_condition(self) -> bool:
        """Neither ME/CFS nor long COVID: refused on import unless the user asks to keep it."""
        return not self.conditions


def _trie_pattern(node: dict) -> str:
    """A regular expression for the terms in a character trie; a space may be left out.

    Longer continuations are tried first (greedy), so the longest term wins where several start
    at the same place.
    """
    branches = [(" ?" if char == " " else re.escape(char)) + _trie_pattern(child)
                for char, child in sorted(node.items()) if char]
    ends_here = "" in node
    if not branches:
        return ""
    if len(branches) == 1 and not ends_here:
        return branches[0]
    return "(?:" + "|".join(branches) + ")" + ("?" if ends_here else "")


class _Matcher:
    """One regular expression for all terms of some rules; finds (rule, term) in a text."""

    def __init__(self, rules: Iterable[Rule]):
        self.by_key: dict[str, tuple[Rule, str]] = {}
        self.seen: dict[str, list[tuple[Rule, str]]] = {}
        trie: dict = {}
        for rule in rules:
            for term in rule.terms:
                normalized = normalize(term)
                self.by_key[_key(normalized)] = (rule, term)
                node = trie
                for char in normalized:
                    node = node.setdefault(char, {})
                node[""] = {}
        # One trie-shaped expression: at each position the engine follows one branch instead of
        # trying every term in turn, as a plain alternation of ~100 terms would.
        self.regex = re.compile(r"(?<!\w)" + _trie_pattern(trie) + r"(?!\w)") if trie else None

    def find(self, text: str) -> list[tuple[Rule, str]]:
        found = self.seen.get(text)
        if found is None:
            found = [] if self.regex is None else \
                [self.by_key[_key(m.group())] for m in self.regex.finditer(normalize(text))]
            if len(self.seen) < 50_000:  # a download repeats its condition and drug names
                self.seen[text] = found
        return found


@dataclass(frozen=True)
class FilingRules:
    rules: tuple[Rule, ...]

    def __post_init__(self):
        object.__setattr__(self, "_conditions", _Matcher(r for r in self.rules if r.kind == "condition"))
        object.__setattr__(self, "_interventions", _Matcher(r for r in self.rules if r.kind != "condition"))


def file_study(study: RegistryStudy, rules: FilingRules) -> FilingResult:
    """Where the rules file ``study``, each place with the rule that matched; nothing is guessed."""
    conditions: dict[str, Filed] = {}
    treatments: dict[str, Filed] = {}
    mechanisms: dict[str, Filed] = {}
    texts = [("conditionsModule.conditions", text) for text in study.conditions]
    texts += [(f"identificationModule.{name}", text) for name in ("briefTitle", "officialTitle")
              if (text := getattr(study, name))]
    for field, text in texts:
        for rule, term in rules._conditions.find(text):
            conditions.setdefault(rule.condition, Filed(rule.condition, RuleMatch(rule.id, field, text, term)))
    for intervention in study.interventions:
        if _COMPARATOR.search(normalize(intervention.name)):
            continue
        names = [("armsInterventionsModule.interventions.name", intervention.name)]
        names += [("armsInterventionsModule.interventions.otherNames", other) for other in intervention.otherNames]
        for field, text in names:
            for rule, term in rules._interventions.find(text):
                match = RuleMatch(rule.id, field, text, term, rule.reason)
                if rule.treatment:
                    treatments.setdefault(rule.treatment, Filed(rule.treatment, match))
                for mechanism in rule.mechanisms:
                    mechanisms.setdefault(mechanism, Filed(mechanism, match))
    ordered = sorted(conditions.values(), key=lambda filed: CONDITIONS.index(filed.target))
    return FilingResult(tuple(ordered), tuple(treatments.values()), tuple(mechanisms.values()))


# ---- loading and validating the rules file -----------------------------------------------

_FIELDS = {  # field: required
    "condition": {"id": True, "condition": True, "match": True},
    "intervention": {"id": True, "match": True, "treatment": True, "mechanisms": True, "reason": True},
    "drug_class": {"id": True, "match": True, "mechanisms": True, "reason": True},
}


def _text_list(value: Any, file: str, rule: str, field: str, allow_empty: bool) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise SeedError(file, "expected a list of non-empty texts", rule, field)
    if not value and not allow_empty:
        raise SeedError(file, "the list is empty", rule, field)
    return tuple(item.strip() for item in value)


def _check_ids(values: Iterable[str], known: set[str] | None, what: str, file: str, rule: str, field: str):
    for value in values:
        if not ID_PATTERN.match(value):
            raise SeedError(file, f"'{value}' is not a valid {what} id", rule, field)
        if known is not None and value not in known:
            raise SeedError(file, f"unknown {what} id '{value}'", rule, field)


def rules_from_document(document: dict, file: str, treatment_ids: set[str] | None = None,
                        mechanism_ids: set[str] | None = None) -> FilingRules:
    """Validate a parsed rules document; the first problem raises :class:`SeedError`."""
    unknown = set(document) - set(RULE_KINDS)
    if unknown:
        raise SeedError(file, f"unexpected top-level key(s) {sorted(unknown)}; expected "
                              "[[condition]], [[intervention]] or [[drug_class]]")
    rules: list[Rule] = []
    seen_ids: set[str] = set()
    term_owner: dict[tuple[bool, str], str] = {}
    for kind in RULE_KINDS:
        entries = document.get(kind, [])
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            raise SeedError(file, f"'{kind}' must be an array of tables: write [[{kind}]]")
        for index, entry in enumerate(entries):
            rule_id = entry.get("id")
            label = rule_id if isinstance(rule_id, str) and rule_id else f"{kind} #{index + 1}"
            fields = _FIELDS[kind]
            for name in entry:
                if name not in fields:
                    raise SeedError(file, f"unknown field for a {kind} rule", label, name)
            for name, required in fields.items():
                if required and name not in entry:
                    raise SeedError(file, "required field is missing", label, name)
            if not isinstance(rule_id, str) or not ID_PATTERN.match(rule_id):
                raise SeedError(file, "rule ids are lowercase words joined by hyphens", label, "id")
            if rule_id in seen_ids:
                raise SeedError(file, "duplicate rule id", label, "id")
            seen_ids.add(rule_id)
            terms = _text_list(entry["match"], file, label, "match", allow_empty=False)
            for term in terms:
                key = _key(normalize(term))
                if len(key) < 2:
                    raise SeedError(file, f"term '{term}' is too short to match safely", label, "match")
                owner = term_owner.setdefault((kind == "condition", key), rule_id)
                if owner != rule_id:
                    raise SeedError(file, f"term '{term}' is listed in rule '{owner}' already", label, "match")
            if len({_key(normalize(term)) for term in terms}) < len(terms):
                raise SeedError(file, "a term is listed twice in this rule (ignoring case, accents, "
                                      "spaces and hyphens)", label, "match")
            reason = entry.get("reason")
            if "reason" in entry and (not isinstance(reason, str) or not reason.strip()):
                raise SeedError(file, "expected plain text", label, "reason")
            if kind == "condition":
                if entry["condition"] not in CONDITIONS:
                    raise SeedError(file, f"expected one of {', '.join(CONDITIONS)}", label, "condition")
                rules.append(Rule(rule_id, kind, terms, condition=entry["condition"]))
                continue
            mechanisms = _text_list(entry["mechanisms"], file, label, "mechanisms",
                                    allow_empty=kind == "intervention")
            _check_ids(mechanisms, mechanism_ids, "mechanism", file, label, "mechanisms")
            treatment = entry.get("treatment")
            if kind == "intervention":
                if not isinstance(treatment, str):
                    raise SeedError(file, "expected a treatment id", label, "treatment")
                _check_ids([treatment], treatment_ids, "treatment", file, label, "treatment")
            rules.append(Rule(rule_id, kind, terms, treatment=treatment, mechanisms=mechanisms,
                              reason=reason.strip()))
    return FilingRules(tuple(rules))


def load_rules(path: Path, treatment_ids: set[str] | None = None,
               mechanism_ids: set[str] | None = None) -> FilingRules:
    """Read and validate ``seeds/filing.toml``; ids are checked against the given sets when given."""
    import tomllib

    name = f"seeds/{Path(path).name}"
    try:
        document = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SeedError(name, "file is missing") from None
    except tomllib.TOMLDecodeError as exc:
        raise SeedError(name, f"TOML syntax error: {exc}") from None
    except UnicodeDecodeError:
        raise SeedError(name, "file is not UTF-8 text") from None
    return rules_from_document(document, name, treatment_ids, mechanism_ids)
