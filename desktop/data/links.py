"""Canonical links built from identifiers themselves (never from a mirror's address).

Each builder checks the identifier's form first; an identifier that does not look right gets no
link rather than a wrong one.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

_REGISTRY_LINKS: dict[str, tuple[re.Pattern[str], str]] = {
    "clinicaltrials.gov": (re.compile(r"^NCT\d{8}$"), "https://clinicaltrials.gov/study/{}"),
    "eudract": (re.compile(r"^\d{4}-\d{6}-\d{2}$"),
                "https://www.clinicaltrialsregister.eu/ctr-search/search?query={}"),
    "jrct": (re.compile(r"^jRCT\d{10}$"), "https://jrct.niph.go.jp/latest-detail/{}"),
    "anzctr": (re.compile(r"^ACTRN\d{14}$"), "https://www.anzctr.org.au/{}.aspx"),
    "cristin project (norway)": (re.compile(r"^\d+$"), "https://app.cristin.no/projects/show.jsf?id={}"),
}
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_PMID = re.compile(r"^\d{1,9}$")
_PMCID = re.compile(r"^PMC\d+$")


def registry_link(system: str, value: str) -> str | None:
    """The registry's own page for ``value`` in ``system``, or None when we know no safe link."""
    entry = _REGISTRY_LINKS.get(system.strip().lower())
    if entry is None:
        if system.strip().lower().startswith("cristin"):
            entry = _REGISTRY_LINKS["cristin project (norway)"]
        else:
            return None
    pattern, template = entry
    if not pattern.fullmatch(value):
        return None
    return template.format(quote(value, safe=""))


def doi_link(doi: str) -> str | None:
    return f"https://doi.org/{quote(doi, safe='/:;()._-')}" if _DOI.fullmatch(doi) else None


def pubmed_link(pmid: str) -> str | None:
    return f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/" if _PMID.fullmatch(pmid) else None


def pmc_link(pmcid: str) -> str | None:
    return f"https://pmc.ncbi.nlm.nih.gov/articles/{pmcid}/" if _PMCID.fullmatch(pmcid) else None


# Pages of the registries, journals, indexes and institutions themselves. A fact seen anywhere
# else (a mirror, a proxy, a copy, a forum, an aggregator) names its site as plain text: a reader
# is never sent to an address we cannot vouch for.
OFFICIAL_SITES = (
    "clinicaltrials.gov", "clinicaltrialsregister.eu", "jrct.niph.go.jp", "anzctr.org.au",
    "app.cristin.no", "doi.org", "pubmed.ncbi.nlm.nih.gov", "pmc.ncbi.nlm.nih.gov", "europepmc.org",
    "frontiersin.org", "acpjournals.org", "medrxiv.org", "bmj.com", "helse-bergen.no",
    "ncnp.go.jp", "charite.de", "gesundheitsforschung-bmbf.de", "gesundheitsforschung-bmftr.de",
    "ccdresearch.med.ubc.ca", "research.uni-luebeck.de", "decodeme.org.uk", "medscape.com",
)
_IP_ADDRESS = re.compile(r"^[0-9.]+$|^\[")


def site_of(url: str) -> str:
    """The host name of ``url`` without "www.", for saying where a fact was seen."""
    host = (urlsplit(url).hostname or "").lower()
    return host.removeprefix("www.")


def source_link(url: str) -> str | None:
    """``url`` if it is an https page of an official site (OFFICIAL_SITES), else None."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or not host or _IP_ADDRESS.match(host) or parts.port:
        return None
    if any(host == site or host.endswith("." + site) for site in OFFICIAL_SITES):
        return url
    return None
