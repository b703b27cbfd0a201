"""Checks that the seeds credit each fact to a source that really gives it (issue 14).

They need the texts the seeds were written from, which live beside the repository in
``shared/`` (``shared/source/*.txt``: the stored article; ``shared/facts/*.toml``: the vetted
registry and journal facts). The app ships seeds without that folder, so these checks do not run
when the app builds its database; they run in the tests and in ``validate --strict``, which find the
folder with :func:`find_shared_dir`.

Three rules, each reported as a :class:`~desktop.data.seeds.SeedError`:

1. A glossary term that cites a stored source must be a word that source uses: the term or one of
   its aliases appears in the source's text. A definition we wrote ourselves cites
   ``trialtree-editorial`` (or the paper or registry that uses the word) instead.
2. A number in a record's own prose (summary, detail, result, facts...) that the cited article does
   not contain must come from a page the record names: one of its external facts' addresses, or a
   source (paper) it cites whose DOI the facts files list. Otherwise the app would credit the
   article with a number only a facts file gives.
3. A word the article never uses but the glossary explains (preprint, open-label, in vitro...)
   in the prose of a record that cites only the article and names no other page: the same
   miscrediting, for words instead of numbers.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any, Iterator

from desktop.data.seeds import Seeds, SeedError, load_seeds

# Prose a record states on the authority of its cited sources (external facts carry their own url).
PROSE_FIELDS = ("summary", "summary_plain", "detail", "result", "facts", "caveats", "status_note",
                "design", "population", "duration", "primary_endpoint", "definition")
EXTERNAL_URL_FIELDS = ("identifiers", "publications", "external_facts", "cross_checks")
NUMBER = re.compile(r"(?<![\w\-/.])\d+(?:[,.]\d+)*(?![\w/])")
NUMBER_WORDS = {w: str(i) for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())}
DOI = re.compile(r"10\.\d{4,9}/[^\s\"'<>]+", re.I)
EDITORIAL_SOURCE = "trialtree-editorial"  # our own text (sources.toml): not a page that gives facts


def find_shared_dir(start: Path) -> Path | None:
    """The nearest folder named ``shared`` beside ``start`` or one of its parents that holds
    ``source/``: ``../shared`` for the main checkout, further up for a worktree."""
    for folder in (start.resolve(), *start.resolve().parents):
        candidate = folder / "shared"
        if (candidate / "source").is_dir():
            return candidate
    return None


def words(text: str) -> str:
    """Lowercase words joined by single spaces, padded, for whole-word 'in' tests."""
    return " " + " ".join(re.findall(r"[a-z0-9]+", text.lower())) + " "


def numbers(text: str, spelled: bool = False) -> set[str]:
    """Numbers written in digits; with ``spelled``, also 'six', 'nine'... (a source may spell a
    number our prose writes in digits)."""
    found = {n.replace(",", "") for n in NUMBER.findall(text)}
    if spelled:
        found |= {NUMBER_WORDS[w] for w in re.findall(r"[a-z]+", text.lower()) if w in NUMBER_WORDS}
    return found


def source_texts(seeds: Seeds, shared_dir: Path) -> dict[str, str]:
    """Source id -> stored text, for each source whose address appears in a stored text file."""
    texts = [p.read_text(encoding="utf-8") for p in sorted((shared_dir / "source").glob("*.txt"))]
    found = {}
    for source in seeds.records["source"]:
        url = source.get("url")
        for text in texts:
            if url and url in text:
                found[source["id"]] = text
    return found


def facts_by_url(shared_dir: Path) -> dict[str, str]:
    """Every address in the facts files -> the text of every entry that names it as its source."""
    by_url: dict[str, list[str]] = {}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            values = " ".join(str(v) for v in node.values() if not isinstance(v, (dict, list)))
            for key, value in node.items():
                if isinstance(value, str) and (key in ("source", "url") or key.endswith("_source")):
                    by_url.setdefault(value, []).append(values)
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    for path in sorted((shared_dir / "facts").glob("*.toml")):
        walk(tomllib.loads(path.read_text(encoding="utf-8")))
    return {url: " ".join(texts) for url, texts in by_url.items()}


def load_checked_seeds(seeds_dir: Path, shared_dir: Path | None) -> Seeds:
    """:func:`~desktop.data.seeds.load_seeds`, then, with ``shared_dir``, every check here."""
    seeds = load_seeds(seeds_dir)
    if shared_dir is not None:
        check_against_shared(seeds, shared_dir)
    return seeds


def check_against_shared(seeds: Seeds, shared_dir: Path) -> None:
    """Run every check; raise SeedError on the first record that breaks one."""
    texts = source_texts(seeds, shared_dir)
    facts = facts_by_url(shared_dir)
    check_terms_in_sources(seeds, texts)
    check_numbers_credited(seeds, texts, facts)
    check_words_credited(seeds, texts)


def check_terms_in_sources(seeds: Seeds, texts: dict[str, str]) -> None:
    for term in seeds.records["term"]:
        names = [term["term"], *term.get("aliases", [])]
        for position, citation in enumerate(term["sources"]):
            text = texts.get(citation["source"])
            if text is not None and not any(words(n) in words(text) for n in names):
                raise SeedError(seeds.origin[term["id"]],
                                f"cites '{citation['source']}', whose text never uses the term "
                                f"'{term['term']}' (or an alias): a definition we wrote cites "
                                f"'trialtree-editorial', or the paper or registry that uses the word",
                                term["id"], f"sources[{position}]")


def _prose(record: dict[str, Any]) -> Iterator[tuple[str, str]]:
    for name in PROSE_FIELDS:
        value = record.get(name)
        for item in value if isinstance(value, list) else [value] if value else []:
            yield name, item


def _named_urls(record: dict[str, Any], seeds: Seeds, facts: dict[str, str]) -> set[str]:
    """Addresses of the pages a record names besides the article: its external facts' urls, and
    the facts-file pages that give the DOI of a paper it cites."""
    urls = {item["url"] for name in EXTERNAL_URL_FIELDS for item in record.get(name, [])}
    if "registry_status" in record:
        urls.add(record["registry_status"]["url"])
    sources = seeds.by_id("source")
    for citation in record.get("sources", []):
        doi = DOI.search(sources.get(citation["source"], {}).get("url", "") or "")
        if doi:
            urls |= {url for url, text in facts.items() if doi.group(0).lower() in text.lower()}
    return urls


def check_numbers_credited(seeds: Seeds, texts: dict[str, str], facts: dict[str, str]) -> None:
    for records in seeds.records.values():
        for record in records:
            cited = [texts[c["source"]] for c in record.get("sources", []) if c["source"] in texts]
            if not cited:
                continue
            known = set().union(*(numbers(text, spelled=True) for text in cited))
            named = None
            for field_name, text in _prose(record):
                for number in sorted(numbers(text) - known):
                    if named is None:
                        named = set().union(*(numbers(facts[u], spelled=True) for u in _named_urls(record, seeds, facts)
                                              if u in facts))
                    if number not in named:
                        raise SeedError(seeds.origin[record["id"]],
                                        f"gives the number {number}, which the cited article does not "
                                        f"contain and no page this record names gives: cite the "
                                        f"paper or registry it came from", record["id"], field_name)


def check_words_credited(seeds: Seeds, texts: dict[str, str]) -> None:
    article = " ".join(texts.values())
    unused = [[t["term"], *t.get("aliases", [])] for t in seeds.records["term"]
              if not any(words(n) in words(article) for n in [t["term"], *t.get("aliases", [])])]
    editorial = {EDITORIAL_SOURCE}
    for kind, records in seeds.records.items():
        if kind in ("term", "source"):
            continue
        for record in records:
            cited = {c["source"] for c in record.get("sources", [])}
            if not cited & set(texts) or cited - set(texts) - editorial:
                continue
            if any(record.get(name) for name in (*EXTERNAL_URL_FIELDS, "registry_status")):
                continue
            for field_name, text in _prose(record):
                for names in unused:
                    hit = next((n for n in names if words(n) in words(text)), None)
                    if hit:
                        raise SeedError(seeds.origin[record["id"]],
                                        f"says '{hit}', a word the cited article never uses: cite "
                                        f"the paper or registry that says it", record["id"], field_name)
