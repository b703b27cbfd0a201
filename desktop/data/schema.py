"""The reference database's layout in one place: its version, tables and search index.

Bump SCHEMA_VERSION whenever the tables, the FTS columns or what goes into them change: every
existing reference database is then rebuilt on the next launch (user data lives elsewhere).
"""

SCHEMA_VERSION = 5

# The single full-text index over every kind of record (table "search", FTS5 "search_fts"):
# kind and id are stored, not indexed; the rest are matched.
SEARCH_COLUMNS = ("kind", "id", "title", "aliases", "summary", "body", "extra")
SEARCH_INDEXED = ("title", "aliases", "summary", "body", "extra")
# BM25 weights, one per column above (title > aliases > extra > summary > body).
SEARCH_WEIGHTS = (0.0, 0.0, 10.0, 6.0, 3.0, 1.0, 4.0)
SEARCH_TOKENIZE = "unicode61 remove_diacritics 2"
SEARCH_BODY_COLUMN = SEARCH_COLUMNS.index("body")

# Tables whose rows are records that a user can open, with their kind.
RECORD_TABLES = {
    "mechanism": "mechanisms",
    "treatment": "treatments",
    "study": "studies",
    "person": "people",
    "institution": "institutions",
    "term": "glossary",
    "source": "sources",
}

# The conditions the tree groups studies by (a study in both is under both). The seeds write them
# exactly so; a study's other wording of them is matched case-blind.
CONDITIONS = ("ME/CFS", "long COVID")


def main_conditions(conditions: list[str]) -> list[str]:
    """Which of CONDITIONS a study's conditions name (case-blind), in CONDITIONS order."""
    folded = {c.strip().casefold() for c in conditions if isinstance(c, str)}
    return [c for c in CONDITIONS if c.casefold() in folded]


# Groups worked out once at build time, so a tree over 100,000 studies need not scan them all:
# study_groups lists (grouping, value, study) and group_counts their sizes. Groupings stored
# there: "condition" (value: one of CONDITIONS, or "" for none of them) and "mechanism" (value ""
# only: studies that state no mechanism; NOT_YET_FILED: imported studies no rule or user filed).
STORED_GROUPINGS = ("condition", "mechanism")
NOT_YET_FILED = "(not yet filed)"  # never a valid id, so never a mechanism's
# Extra columns of the studies table for imported registry downloads (see import_merge): where the
# study came from, the registry's own words (JSON), the changes re-imports recorded (JSON) and
# the download itself: file, import date, registry number and record link (JSON).
IMPORT_COLUMNS = ("imported_from", "registry_text", "changes", "download")
JSON_IMPORT_COLUMNS = ("registry_text", "changes", "download")


def study_id(nct_id: str) -> str:
    """The record id of an imported study: its NCT number in lower case (seed ids are lower case)."""
    return nct_id.lower()
