"""Links are built from identifiers in canonical form, never from a mirror's address."""

import pytest

from desktop.data.links import doi_link, pmc_link, pubmed_link, registry_link


@pytest.mark.parametrize("system, value, expected", [
    ("ClinicalTrials.gov", "NCT02229942", "https://clinicaltrials.gov/study/NCT02229942"),
    ("EudraCT", "2014-004029-41",
     "https://www.clinicaltrialsregister.eu/ctr-search/search?query=2014-004029-41"),
    ("jRCT", "jRCT2031240192", "https://jrct.niph.go.jp/latest-detail/jRCT2031240192"),
    ("ANZCTR", "ACTRN12624001162505", "https://www.anzctr.org.au/ACTRN12624001162505.aspx"),
    ("Cristin project (Norway)", "2538921", "https://app.cristin.no/projects/show.jsf?id=2538921"),
])
def test_registry_links_are_canonical(system, value, expected):
    assert registry_link(system, value) == expected


@pytest.mark.parametrize("system, value", [
    ("ClinicalTrials.gov", "NCT0222994"),  # too short
    ("ClinicalTrials.gov", 'NCT02229942"><script>'),
    ("EudraCT", "2014-004029"),
    ("sponsor protocol", "KTS-6-2014"),  # no public page of its own
    ("REK ethics approval (Norway)", "445176"),
])
def test_an_identifier_that_does_not_look_right_gets_no_link(system, value):
    assert registry_link(system, value) is None


def test_publication_links():
    assert doi_link("10.7326/M18-1451") == "https://doi.org/10.7326/M18-1451"
    assert doi_link("10.1016/j.autrev.2018.01.009") == "https://doi.org/10.1016/j.autrev.2018.01.009"
    assert pubmed_link("38740499") == "https://pubmed.ncbi.nlm.nih.gov/38740499/"
    assert pmc_link("PMC9294749") == "https://pmc.ncbi.nlm.nih.gov/articles/PMC9294749/"
    assert doi_link("not a doi") is None and pubmed_link("12a") is None and pmc_link("9294749") is None


def test_odd_characters_in_a_doi_are_escaped():
    link = doi_link('10.1234/a"b<c>')
    assert link is not None and '"' not in link and "<" not in link


CANONICAL_HOSTS = ("https://clinicaltrials.gov/", "https://www.clinicaltrialsregister.eu/",
                   "https://jrct.niph.go.jp/", "https://www.anzctr.org.au/", "https://app.cristin.no/",
                   "https://doi.org/", "https://pubmed.ncbi.nlm.nih.gov/", "https://pmc.ncbi.nlm.nih.gov/")


def test_every_link_in_the_data_goes_to_the_registry_or_journal_itself(library):
    seen = 0
    for kind in ("study", "treatment"):
        for record_id in library.ids(kind):
            record = library.record(record_id)
            links = [i.link for i in record.identifiers if i.link]
            links += [url for p in record.publications for _, url in p.links]
            for link in links:
                assert link.startswith(CANONICAL_HOSTS), link
                seen += 1
    assert seen > 10


@pytest.mark.parametrize("url", [
    "http://47.251.13.51:8081/37835071",  # a bare address, plain http
    "https://dyto08wqdmna.cloudfrontnetl.store/https://europepmc.org/articles/PMC7201056",
    "https://bmjopen-bmj-com.ezproxy.u-pec.fr/highwire/markup/319624",
    "https://evil.example/frontiersin.org/x",
    "https://notfrontiersin.org/x",
    "http://www.frontiersin.org/x",  # not https
])
def test_a_page_that_is_not_an_official_site_is_never_offered_as_a_link(url):
    from desktop.data.links import source_link

    assert source_link(url) is None


def test_official_pages_are_offered_as_links():
    from desktop.data.links import site_of, source_link

    url = "https://www.frontiersin.org/articles/10.3389/fmed.2020.00162/full"
    assert source_link(url) == url and site_of(url) == "frontiersin.org"
    assert source_link("https://pmc.ncbi.nlm.nih.gov/articles/PMC9294749") is not None
