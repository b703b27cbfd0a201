"""Fixtures for the data-layer and command-line tests."""

import pytest

from desktop.cli import main


@pytest.fixture
def cli(data_dir, capsys):
    """Run ``trialtree ARGS`` in-process against a fresh data folder; return (status, out, err)."""

    def run(*args):
        status = main(list(args))
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    return run
