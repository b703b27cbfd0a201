"""Plain-word labels for record fields, each with the technical term kept beside it.

The detail pane shows the plain words first (for patients) and the term in small print (for
clinicians). These are our own constants, not record text; the renderer still escapes them.
"""

from __future__ import annotations

# The words for kinds and coded values live in desktop.data.vocabulary; the pane reads them here too.
from desktop.data.vocabulary import (KIND_LABELS, MONTHS, OUTCOME_LABELS, STATUS_LABELS,  # noqa: F401
                                    STUDY_KIND_LABELS)

REPORT_SOURCE = "medscape-2025-11-07"  # the conference report the app started from

# field name → (plain words, technical term or "" when the plain words are the term)
FIELD_LABELS: dict[str, tuple[str, str]] = {
    # studies
    "kind": ("Type", ""),
    "acronym": ("Short name", "acronym"),
    "year": ("Year", ""),
    "design": ("How it was set up", "design"),
    "phase": ("Stage of testing", "phase"),
    "blinding": ("Who knew who got what", "blinding"),
    "control": ("Compared against", "control"),
    "population": ("Who took part", "population"),
    "enrollment": ("How many took part", "enrolment"),
    "conditions": ("Illness studied", "conditions"),
    "duration": ("How long", "duration"),
    # One term throughout (issue 12): "outcome", as the registries say, never "endpoint".
    "primary_endpoint": ("What they measured first", "primary outcome"),
    "secondary_endpoints": ("Other things they measured", "secondary outcomes"),
    "status": ("Where it stands", "status"),
    "status_note": ("More about where it stands", "status note"),
    "result": ("What they found", "results"),
    "outcome": ("Overall result", "outcome"),
    "facts": ("More facts from the source", ""),
    "funding": ("Who paid for it", "funding"),
    "countries": ("Countries", ""),
    "caveats": ("Things to keep in mind", "caveats"),
    # mechanisms
    "detail": ("More detail", ""),
    "aliases": ("Also called", "aliases"),
    # treatments
    "class": ("What kind of treatment", "class"),
    "target": ("What it acts on", "target"),
    "route": ("How it is given", "route"),
    "approved_for": ("Already approved for", "approvals"),
    # people and institutions
    "title": ("Role", "title"),
    "degrees": ("Degrees", ""),
    "city": ("City", ""),
    "region": ("Region", ""),
    "country": ("Country", ""),
}

# link name (Record.links) → (plain words, technical term), per record kind
LINK_LABELS: dict[str, dict[str, tuple[str, str]]] = {
    "study": {
        "treatments": ("What was tested", "intervention"),
        "mechanisms": ("What it is aimed at", "mechanisms"),
        "people": ("Who led it", "investigators"),
        "institutions": ("Where it was run", "institutions"),
    },
    "mechanism": {
        "parent": ("Part of", "broader mechanism"),
        "children": ("Narrower mechanisms", "sub-mechanisms"),
        "linked": ("Linked to", "related mechanisms"),
        "treatments": ("Treatments aimed at it", ""),
        "studies": ("Trials and studies filed directly under it", ""),
    },
    "treatment": {
        "mechanisms": ("Mechanisms it acts on", ""),
        "studies": ("Trials testing it", ""),
    },
    "person": {
        "institutions": ("Works at", "affiliation"),
        "studies": ("Their trials and studies", ""),
    },
    "institution": {
        "parent": ("Part of", ""),
        "parts": ("Departments and units", ""),
        "people": ("People", ""),
        "studies": ("Their trials and studies", ""),
    },
    "term": {
        "see": ("See also", ""),
    },
}

PHASE_NOTES = {
    "1": "first tests of safety, in a small group",
    "2": "a first test of whether it helps, and of its safety",
    "2/3": "a test of whether it helps that grows into a large trial",
    "3": "a large test of whether it helps",
    "4": "follow-up after approval",
}

# A provenance's page kind (seeds/README.md, "External facts") → how the pane names that source,
# in the middle of a sentence ("From the trial registry", "A forum post says"). These name the
# official page; when the address is not an official site (desktop.data.links.source_link), the
# pane says SOURCE_COPY_LABELS instead, with the site's name as plain text and no link.
SOURCE_KIND_LABELS = {
    "registry": "the trial registry",
    "registry-mirror": "a copy of the registry entry",
    "publisher": "the published paper",
    "publisher-copy": "a copy of the published paper",
    "publisher-proxy": "a copy of the publisher's page",
    "journal-pdf-copy": "a copy of the paper's PDF",
    "pubmed": "PubMed",
    "pubmed-mirror": "a copy of the PubMed entry",
    "pmc": "PubMed Central",
    "institution": "the institution's own page",
    "funder": "the funder's page",
    "news": "a news report",
    "forum": "a forum post",
    "aggregator": "a summary or listing site",
}

# Official sites whose page kind alone would name them wrongly or vaguely: a research register
# is not "the institution's own page", a preprint is not "the published paper". Looked up by
# desktop.data.links.site_of (subdomains of a listed site count as it).
SITE_NAMES = {
    "app.cristin.no": "Norway's research register (Cristin)",
    "helse-bergen.no": "the hospital's own page (Helse Bergen)",
    "clinicaltrialsregister.eu": "the EU trial register",
    "jrct.niph.go.jp": "Japan's trial registry (jRCT)",
    "clinicaltrials.gov": "the trial registry ClinicalTrials.gov",
    "anzctr.org.au": "the Australian and New Zealand trial registry",
    "medrxiv.org": "the preprint on medRxiv",
}

# The official kinds above, for a page that is not on the official site: a copy, never the source.
SOURCE_COPY_LABELS = {
    "registry": "a copy of the registry entry",
    "publisher": "a copy of the published paper",
    "pubmed": "a copy of the PubMed entry",
    "pmc": "a copy of the PubMed Central article",
    "institution": "a copy of the institution's page",
    "funder": "a copy of the funder's page",
}

# Kinds that are always a copy of another page (a mirror, a proxy, a PDF passed around).
MIRROR_KINDS = frozenset({"registry-mirror", "publisher-copy", "publisher-proxy",
                          "journal-pdf-copy", "pubmed-mirror"})

# Headings of the foldable parts of a page, by the key stored in the settings when folded.
SECTION_HEADINGS = {
    "identifiers": "Identifiers: registry numbers",
    "publications": "Publications",
    "cross-checked": "Cross-checked: where sources differ",
    "external": "More from registries and journals",
    "filed-under": "Why it is filed here",
    "imported": "Where this study came from",
    "what-changed": "What changed",
    "registry-words": "The registry's own words",
    "how": "How the study worked",
    "who-took-part": "Who took part",
    "measured": "What was measured",
    "happened": "What happened",
    "tested": "What it tested",
    "who-ran-it": "Who ran it",
    "keep-in-mind": "Things to keep in mind",
    "about": "About",
    "connections": "Connections",
    "more": "More",
    "sources": "Where this comes from",
}
