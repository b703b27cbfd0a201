"""One ClinicalTrials.gov API v2 study object → a plain frozen :class:`RegistryStudy`.

Field names are the registry's own v2 names (``nctId``, ``briefTitle``, ``lastUpdatePostDateStruct``,
…) so that anyone can trace a value back to the registry's data structure
(https://clinicaltrials.gov/data-api/about-api/study-data-structure). Only the fields TrialTree
shows or files by are carried. A value of the wrong type is a problem of that one study
(:class:`StudyProblem`, naming the v2 path); the readers in :mod:`desktop.data.ctgov_read` turn it
into a skipped study and go on with the rest of the download.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

NCT_ID = re.compile(r"^NCT\d{8}$")
# v2 dates are ISO dates, sometimes without the day ("2024-05").
PARTIAL_DATE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")
EUDRACT_TYPE = "EUDRACT_NUMBER"
EUDRACT_NUMBER = re.compile(r"(?<!\d)\d{4}-\d{6}-\d{2}(?!\d)")


class StudyProblem(Exception):
    """One study object that cannot be used; ``path`` is the v2 field at fault."""

    def __init__(self, path: str, problem: str):
        self.path, self.problem = path, problem
        super().__init__(f"{path}: {problem}" if path else problem)


@dataclass(frozen=True)
class IdInfo:
    """``orgStudyIdInfo`` or one of ``secondaryIdInfos`` (type e.g. EUDRACT_NUMBER, CTIS, REGISTRY)."""

    id: str
    type: str | None = None
    domain: str | None = None


@dataclass(frozen=True)
class DateStruct:
    """A v2 ``…DateStruct``: the date and whether it is ACTUAL or ESTIMATED."""

    date: str
    type: str | None = None


@dataclass(frozen=True)
class Organization:
    """``leadSponsor`` or one of ``collaborators``; ``class_`` is the v2 ``class`` (INDUSTRY, NIH, …)."""

    name: str
    class_: str | None = None


@dataclass(frozen=True)
class EnrollmentInfo:
    count: int | None
    type: str | None = None  # ACTUAL or ESTIMATED


@dataclass(frozen=True)
class Intervention:
    type: str | None
    name: str
    otherNames: tuple[str, ...] = ()


@dataclass(frozen=True)
class Outcome:
    measure: str
    description: str | None = None
    timeFrame: str | None = None


@dataclass(frozen=True)
class Official:
    """One of ``overallOfficials``."""

    name: str
    affiliation: str | None = None
    role: str | None = None


@dataclass(frozen=True)
class Reference:
    """One of ``referencesModule.references``; type is BACKGROUND, RESULT or DERIVED."""

    pmid: str | None
    type: str | None = None
    citation: str | None = None


@dataclass(frozen=True)
class RegistryStudy:
    """The registry's own record of one study, as downloaded; nothing here is TrialTree's wording."""

    # identificationModule
    nctId: str
    briefTitle: str | None = None
    officialTitle: str | None = None
    acronym: str | None = None
    orgStudyIdInfo: IdInfo | None = None
    secondaryIdInfos: tuple[IdInfo, ...] = ()
    # statusModule
    overallStatus: str | None = None
    startDateStruct: DateStruct | None = None
    primaryCompletionDateStruct: DateStruct | None = None
    completionDateStruct: DateStruct | None = None
    lastUpdatePostDateStruct: DateStruct | None = None
    # sponsorCollaboratorsModule
    leadSponsor: Organization | None = None
    collaborators: tuple[Organization, ...] = ()
    # descriptionModule
    briefSummary: str | None = None
    # conditionsModule
    conditions: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    # designModule
    studyType: str | None = None
    phases: tuple[str, ...] = ()
    allocation: str | None = None  # designInfo.allocation
    masking: str | None = None  # designInfo.maskingInfo.masking
    enrollmentInfo: EnrollmentInfo | None = None
    # armsInterventionsModule
    interventions: tuple[Intervention, ...] = ()
    # outcomesModule
    primaryOutcomes: tuple[Outcome, ...] = ()
    secondaryOutcomes: tuple[Outcome, ...] = ()
    # contactsLocationsModule
    overallOfficials: tuple[Official, ...] = ()
    countries: tuple[str, ...] = ()  # locations[].country, each once, in registry order
    # referencesModule
    references: tuple[Reference, ...] = ()
    hasResults: bool = False
    # where this record was read from: "file.json" or "download.zip/NCT01234567.json"
    origin: str = ""

    @property
    def eudract_numbers(self) -> tuple[str, ...]:
        """The EudraCT numbers among ``secondaryIdInfos`` (used to find a curated study).

        Newer records type them EUDRACT_NUMBER; older ones often write "EudraCT 2014-004029-41"
        into an id of type OTHER, so the number is also taken from there.
        """
        numbers = []
        for info in self.secondaryIdInfos:
            found = EUDRACT_NUMBER.search(info.id)
            if found and (info.type == EUDRACT_TYPE or "eudract" in info.id.lower()):
                numbers.append(found.group())
        return tuple(dict.fromkeys(numbers))

    @property
    def result_pmids(self) -> tuple[str, ...]:
        """PMIDs of the papers the registry lists as reporting this study's results."""
        return tuple(ref.pmid for ref in self.references if ref.type == "RESULT" and ref.pmid)

    @property
    def last_update(self) -> str | None:
        """``lastUpdatePostDateStruct.date``: the registry date an update is judged by."""
        return self.lastUpdatePostDateStruct.date if self.lastUpdatePostDateStruct else None


# ---- typed access to the JSON -------------------------------------------------------------


def _describe(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "true/false", type(None): "null",
            int: "a number", float: "a number"}.get(type(value), type(value).__name__)


def _object(parent: dict, key: str, path: str) -> dict:
    value = parent.get(key)
    if type(value) is dict:  # the common case first: this runs ~50 times per study
        return value
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise StudyProblem(f"{path}.{key}", f"expected an object, found {_describe(value)}")
    return value


def _text(parent: dict, key: str, path: str) -> str | None:
    value = parent.get(key)
    if type(value) is str:
        return value.strip() or None
    if value is None:
        return None
    if not isinstance(value, str):
        raise StudyProblem(f"{path}.{key}", f"expected text, found {_describe(value)}")
    return value.strip() or None


def _objects(parent: dict, key: str, path: str) -> list[tuple[str, dict]]:
    value = parent.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise StudyProblem(f"{path}.{key}", f"expected a list, found {_describe(value)}")
    items = []
    for index, item in enumerate(value):
        where = f"{path}.{key}[{index}]"
        if not isinstance(item, dict):
            raise StudyProblem(where, f"expected an object, found {_describe(item)}")
        items.append((where, item))
    return items


def _texts(parent: dict, key: str, path: str) -> tuple[str, ...]:
    value = parent.get(key)
    if value is None:
        return ()
    if not isinstance(value, list):
        raise StudyProblem(f"{path}.{key}", f"expected a list, found {_describe(value)}")
    for index, item in enumerate(value):
        if not isinstance(item, str):
            raise StudyProblem(f"{path}.{key}[{index}]", f"expected text, found {_describe(item)}")
    return tuple(dict.fromkeys(item.strip() for item in value if item.strip()))


def _required_text(parent: dict, key: str, path: str) -> str:
    value = _text(parent, key, path)
    if value is None:
        raise StudyProblem(f"{path}.{key}", "missing")
    return value


def _date(parent: dict, key: str, path: str) -> DateStruct | None:
    struct = _object(parent, key, path)
    date = _text(struct, "date", f"{path}.{key}")
    if date is None:
        return None
    if not PARTIAL_DATE.match(date):
        raise StudyProblem(f"{path}.{key}.date", f"expected a date like 2024-05-07, found '{date[:40]}'")
    return DateStruct(date, _text(struct, "type", f"{path}.{key}"))


def _id_info(item: dict, where: str) -> IdInfo | None:
    value = _text(item, "id", where)
    if value is None:
        return None
    return IdInfo(value, _text(item, "type", where), _text(item, "domain", where))


def _organization(item: dict, where: str) -> Organization | None:
    name = _text(item, "name", where)
    return Organization(name, _text(item, "class", where)) if name else None


def _outcomes(module: dict, key: str, path: str) -> tuple[Outcome, ...]:
    return tuple(Outcome(_required_text(item, "measure", where), _text(item, "description", where),
                         _text(item, "timeFrame", where))
                 for where, item in _objects(module, key, path))


def _enrollment(design: dict, path: str) -> EnrollmentInfo | None:
    info = _object(design, "enrollmentInfo", path)
    if not info:
        return None
    count = info.get("count")
    if count is not None and (isinstance(count, bool) or not isinstance(count, int) or count < 0):
        raise StudyProblem(f"{path}.enrollmentInfo.count", f"expected a whole number, found {_describe(count)}")
    return EnrollmentInfo(count, _text(info, "type", f"{path}.enrollmentInfo"))


# ---- one study ----------------------------------------------------------------------------


def is_study_object(value: Any) -> bool:
    """Whether ``value`` looks like a v2 study (it has a ``protocolSection``)."""
    return isinstance(value, dict) and "protocolSection" in value


def study_from_json(study: Any, origin: str = "") -> RegistryStudy:
    """Map one v2 study object; raises :class:`StudyProblem` if it is not a usable study."""
    if not isinstance(study, dict):
        raise StudyProblem("", f"not a study (found {_describe(study)} instead of an object)")
    if "protocolSection" not in study:
        raise StudyProblem("", "not a ClinicalTrials.gov study (no protocolSection)")
    protocol = _object(study, "protocolSection", "")
    p = "protocolSection"
    ident = _object(protocol, "identificationModule", p)
    ip = f"{p}.identificationModule"
    nct_id = _text(ident, "nctId", ip)
    if nct_id is None:
        raise StudyProblem(f"{ip}.nctId", "no NCT number; a study cannot be imported without one")
    if not NCT_ID.match(nct_id):
        raise StudyProblem(f"{ip}.nctId", f"'{nct_id[:40]}' is not an NCT number (NCT and 8 digits)")
    org_id = _object(ident, "orgStudyIdInfo", ip)
    status = _object(protocol, "statusModule", p)
    sp = f"{p}.statusModule"
    sponsors = _object(protocol, "sponsorCollaboratorsModule", p)
    so = f"{p}.sponsorCollaboratorsModule"
    design = _object(protocol, "designModule", p)
    dp = f"{p}.designModule"
    design_info = _object(design, "designInfo", dp)
    arms = _object(protocol, "armsInterventionsModule", p)
    outcomes = _object(protocol, "outcomesModule", p)
    contacts = _object(protocol, "contactsLocationsModule", p)
    cp = f"{p}.contactsLocationsModule"
    conditions = _object(protocol, "conditionsModule", p)
    has_results = study.get("hasResults", False)
    if not isinstance(has_results, bool):
        raise StudyProblem("hasResults", f"expected true/false, found {_describe(has_results)}")
    countries = (_text(item, "country", where) for where, item in _objects(contacts, "locations", cp))
    return RegistryStudy(
        nctId=nct_id,
        briefTitle=_text(ident, "briefTitle", ip),
        officialTitle=_text(ident, "officialTitle", ip),
        acronym=_text(ident, "acronym", ip),
        orgStudyIdInfo=_id_info(org_id, f"{ip}.orgStudyIdInfo"),
        secondaryIdInfos=tuple(info for where, item in _objects(ident, "secondaryIdInfos", ip)
                               if (info := _id_info(item, where))),
        overallStatus=_text(status, "overallStatus", sp),
        startDateStruct=_date(status, "startDateStruct", sp),
        primaryCompletionDateStruct=_date(status, "primaryCompletionDateStruct", sp),
        completionDateStruct=_date(status, "completionDateStruct", sp),
        lastUpdatePostDateStruct=_date(status, "lastUpdatePostDateStruct", sp),
        leadSponsor=_organization(_object(sponsors, "leadSponsor", so), f"{so}.leadSponsor"),
        collaborators=tuple(org for where, item in _objects(sponsors, "collaborators", so)
                            if (org := _organization(item, where))),
        briefSummary=_text(_object(protocol, "descriptionModule", p), "briefSummary", f"{p}.descriptionModule"),
        conditions=_texts(conditions, "conditions", f"{p}.conditionsModule"),
        keywords=_texts(conditions, "keywords", f"{p}.conditionsModule"),
        studyType=_text(design, "studyType", dp),
        phases=_texts(design, "phases", dp),
        allocation=_text(design_info, "allocation", f"{dp}.designInfo"),
        masking=_text(_object(design_info, "maskingInfo", f"{dp}.designInfo"), "masking",
                      f"{dp}.designInfo.maskingInfo"),
        enrollmentInfo=_enrollment(design, dp),
        interventions=tuple(
            Intervention(_text(item, "type", where), _required_text(item, "name", where),
                         _texts(item, "otherNames", where))
            for where, item in _objects(arms, "interventions", f"{p}.armsInterventionsModule")),
        primaryOutcomes=_outcomes(outcomes, "primaryOutcomes", f"{p}.outcomesModule"),
        secondaryOutcomes=_outcomes(outcomes, "secondaryOutcomes", f"{p}.outcomesModule"),
        overallOfficials=tuple(
            Official(_required_text(item, "name", where), _text(item, "affiliation", where),
                     _text(item, "role", where))
            for where, item in _objects(contacts, "overallOfficials", cp)),
        countries=tuple(dict.fromkeys(country for country in countries if country)),
        references=tuple(
            Reference(_text(item, "pmid", where), _text(item, "type", where), _text(item, "citation", where))
            for where, item in _objects(_object(protocol, "referencesModule", p), "references",
                                        f"{p}.referencesModule")),
        hasResults=has_results,
        origin=origin,
    )
