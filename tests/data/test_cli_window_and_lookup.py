"""The command line (issue 12): queries starting with '-', `open` of an unknown id, no display,
`show` by registry number, DOI or acronym, and `tree` printing ids that `show` accepts."""

import pytest



def test_search_accepts_a_query_that_starts_with_a_dash(cli):
    status, out, err = cli("search", "-placebo")
    assert "usage:" not in err
    assert status in (0, 1) and "error" not in err


def test_search_with_an_exclusion_after_a_word_excludes(cli):
    _, with_all, _ = cli("search", "rituximab")
    status, out, err = cli("search", "rituximab", "-placebo", "--limit", "50")
    assert status == 0 and "usage:" not in err
    assert set(out.splitlines()) < set(cli("search", "rituximab", "--limit", "50")[1].splitlines())


def test_open_an_unknown_id_is_one_line_and_exit_1_without_a_window(cli, monkeypatch):
    import desktop.app

    monkeypatch.setattr(desktop.app, "run_app", lambda **_: pytest.fail("a window was opened"))
    status, out, err = cli("open", "nope")
    assert status == 1 and out == ""
    assert len(err.strip().splitlines()) == 1 and "nope" in err


def test_without_a_display_the_window_says_so_plainly(cli, monkeypatch):
    import desktop.app

    monkeypatch.setattr(desktop.app, "run_app", lambda **_: pytest.fail("Qt was started"))
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.setattr("sys.platform", "linux")
    status, _, err = cli("open", "rituxme-phase3-rct")
    assert status == 1
    assert "no display" in err.lower() and "DISPLAY" in err and "QT_QPA_PLATFORM=offscreen" in err
    status, _, err = cli()
    assert status == 1 and "no display" in err.lower()


@pytest.mark.parametrize("name", ["NCT02229942", "nct02229942", "RituxME", "rituxme"])
def test_show_accepts_a_registry_number_or_an_acronym(cli, name):
    status, out, err = cli("show", name)
    assert status == 0, err
    assert "rituxme-phase3-rct" in out.splitlines()[0]


def test_show_accepts_a_doi(cli, library):
    doi, record_id = library._rows("SELECT doi, record_id FROM publications WHERE doi != '' "
                                   "AND record_id IN (SELECT id FROM studies) LIMIT 1")[0]
    for text in (doi, f"https://doi.org/{doi}", f"doi:{doi.upper()}"):
        status, out, err = cli("show", text)
        assert status == 0, err
        assert record_id in out.splitlines()[0] or "several" in err


def test_tree_prints_ids_that_show_accepts(cli):
    status, out, _ = cli("tree")
    assert status == 0
    ids = [line.split("\t")[1] for line in out.splitlines() if "\t" in line]
    assert "rituxme-phase3-rct" in ids
    status, shown, err = cli("show", ids[-1])
    assert status == 0, err


from hypothesis import given, settings, strategies as st  # noqa: E402

from desktop.cli import _search_words_last, build_parser  # noqa: E402


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(min_size=1).filter(lambda w: w.strip() and "\x00" not in w), min_size=1,
                max_size=5),
       st.booleans(), st.one_of(st.none(), st.integers(1, 99)))
def test_any_search_words_parse_as_words_and_options_stay_options(words, as_json, limit):
    argv = ["search", *words] + (["--json"] if as_json else []) + (
        ["--limit", str(limit)] if limit else [])
    words_kept = [w for w in words if w.split("=", 1)[0] not in ("--json", "--limit", "-h",
                                                                 "--help", "--")]
    if len(words_kept) != len(words):
        return  # a word that is itself an option name: argparse's business
    args = build_parser().parse_args(_search_words_last(argv))
    assert args.query == words and args.json == as_json
    assert args.limit == (limit or 20)
