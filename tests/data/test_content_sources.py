"""Each fact is credited to a source that gives it (issue 14): the checks in seed_checks, on small
made-up seeds (so each rule is seen to fail), and on the real seeds against ../shared."""

from pathlib import Path

import pytest

from desktop.cli import main
from desktop.data.seed_checks import find_shared_dir, load_checked_seeds
from desktop.data.seeds import SeedError, load_seeds

REPO = Path(__file__).resolve().parents[2]
SHARED = find_shared_dir(REPO)
ARTICLE_URL = "https://example.org/article"
PAPER_URL = "https://example.org/paper-page"

ARTICLE = f"""A Report
Researchers gave a drug to 20 patients and nine of them improved.
Treatment targets autoantibodies in ME/CFS.
To read the full article go to {ARTICLE_URL}
"""
FACTS = f"""
[paper]
publications = [{{ doi = "10.1234/abc.5", source = "{PAPER_URL}" }}]
facts = [{{ claim = "Open-label study in 40 patients; results as a preprint.", source = "{PAPER_URL}" }}]
"""
SOURCES = f"""
[[source]]
id = "article"
title = "A Report"
kind = "news"
url = "{ARTICLE_URL}"
sections = [{{ key = "introduction", heading = "Introduction" }}]

[[source]]
id = "trialtree-editorial"
title = "TrialTree's own plain-language text"
kind = "other"
sections = [{{ key = "definition", heading = "Our own definition" }}]

[[source]]
id = "paper"
title = "A paper"
kind = "journal"
url = "https://doi.org/10.1234/abc.5"
sections = [{{ key = "abstract", heading = "Abstract" }}]
"""
ARTICLE_CITE = '[{ source = "article", section = "introduction" }]'
PAPER_CITE = '{ source = "paper", section = "abstract" }'
EDITORIAL_CITE = '[{ source = "trialtree-editorial", section = "definition" }]'


def make_seeds(root: Path, treatment_summary: str, treatment_sources: str = ARTICLE_CITE,
               term_sources: str = EDITORIAL_CITE) -> Path:
    seeds = root / "seeds"
    (seeds / "studies").mkdir(parents=True)
    (seeds / "sources.toml").write_text(SOURCES, encoding="utf-8")
    (seeds / "mechanisms.toml").write_text(
        f'[[mechanism]]\nid = "autoantibodies"\nname = "Autoantibodies"\n'
        f'summary = "Antibodies against the body itself."\nsources = {ARTICLE_CITE}\n', encoding="utf-8")
    (seeds / "treatments.toml").write_text(
        f'[[treatment]]\nid = "drug"\nname = "Drug"\nkind = "drug"\nsummary = "{treatment_summary}"\n'
        f'sources = {treatment_sources}\n', encoding="utf-8")
    (seeds / "glossary.toml").write_text(
        f'[[term]]\nid = "preprint"\nterm = "preprint"\ndefinition = "A paper shared before review."\n'
        f'sources = {term_sources}\n', encoding="utf-8")
    for name, _array in (("people.toml", "person"), ("institutions.toml", "institution")):
        (seeds / name).write_text("", encoding="utf-8")
    shared = root / "shared"
    (shared / "source").mkdir(parents=True)
    (shared / "facts").mkdir()
    (shared / "source" / "000_article.txt").write_text(ARTICLE, encoding="utf-8")
    (shared / "facts" / "external.toml").write_text(FACTS, encoding="utf-8")
    return seeds


def test_honest_seeds_pass(tmp_path):
    seeds = make_seeds(tmp_path, "Given to 20 patients; nine improved.")
    assert load_checked_seeds(seeds, find_shared_dir(seeds)).by_id("treatment")["drug"]


def test_a_term_citing_an_article_that_never_uses_it_is_refused(tmp_path):
    seeds = make_seeds(tmp_path, "Given to 20 patients.", term_sources=ARTICLE_CITE)
    with pytest.raises(SeedError) as caught:
        load_checked_seeds(seeds, find_shared_dir(seeds))
    assert (caught.value.record, caught.value.field) == ("preprint", "sources[0]")
    assert "never uses the term 'preprint'" in str(caught.value)


def test_a_number_only_a_facts_file_gives_needs_its_source(tmp_path):
    seeds = make_seeds(tmp_path, "Tested in 40 patients.")
    with pytest.raises(SeedError) as caught:
        load_checked_seeds(seeds, find_shared_dir(seeds))
    assert (caught.value.record, caught.value.field) == ("drug", "summary")
    assert "number 40" in str(caught.value)


def test_citing_the_paper_that_gives_the_number_passes(tmp_path):
    seeds = make_seeds(tmp_path, "Tested in 40 patients.",
                       treatment_sources=f'[{{ source = "article", section = "introduction" }}, {PAPER_CITE}]')
    assert load_checked_seeds(seeds, find_shared_dir(seeds))


def test_a_word_the_article_never_uses_needs_another_source(tmp_path):
    seeds = make_seeds(tmp_path, "Results so far are a preprint.")
    with pytest.raises(SeedError) as caught:
        load_checked_seeds(seeds, find_shared_dir(seeds))
    assert (caught.value.record, caught.value.field) == ("drug", "summary")
    assert "'preprint'" in str(caught.value)


def test_the_app_build_does_not_need_the_shared_folder(tmp_path):
    """Without shared/ (an installed app) the seeds still load; only the strict path checks."""
    seeds = make_seeds(tmp_path, "Tested in 40 patients.")
    assert load_seeds(seeds).by_id("treatment")["drug"]["summary"] == "Tested in 40 patients."


@pytest.mark.skipif(SHARED is None, reason="shared/ (source texts, facts files) not beside the repo")
def test_the_real_seeds_credit_each_fact_to_its_source():
    assert load_checked_seeds(REPO / "seeds", SHARED).records["term"]


@pytest.mark.skipif(SHARED is None, reason="shared/ (source texts, facts files) not beside the repo")
def test_validate_strict_says_it_checked_against_the_sources(capsys):
    assert main(["validate", "--strict"]) == 0
    assert "checked against the sources in shared/" in capsys.readouterr().out
