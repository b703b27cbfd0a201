"""Issue 12, defect 7: an export lists the bookmarks in the Bookmarks panel's order, from the
window (any order the panel shows) and from the command line (the order the panel was left in)."""

from __future__ import annotations

import json

import pytest

from desktop.data.bookmark_exporters import export_text
from desktop.data.bookmark_order import ORDERS, mechanism_group
from desktop.data.bookmark_values import Bookmark
from desktop.models.bookmarks_model import ORDER_LABELS, BookmarksModel
from desktop.models.roles import Role

SAME_TIME = "2026-03-01T10:00:00Z"  # ties are broken the same way too


def _bookmarks(library) -> list[Bookmark]:
    ids = ["rituxme-phase3-rct", "daratumumab-pilot", "decodeme-gwas", "ncnp-rituximab-phase2-rct"]
    made = [Bookmark(i, "study", library.record(i).get("short_title") or library.record(i).title,
                     "", (), SAME_TIME if n % 2 else f"2026-0{n + 1}-01T00:00:00Z", SAME_TIME)
            for n, i in enumerate(ids)]
    made.append(Bookmark("gone-from-the-data", "study", "A removed study", "", (),
                         "2026-02-15T00:00:00Z", "2026-02-15T00:00:00Z"))
    return made


def test_the_data_layer_knows_every_order_the_panel_offers():
    assert tuple(ORDER_LABELS) == ORDERS


@pytest.mark.parametrize("order", ORDERS)
@pytest.mark.parametrize("fmt", ["json", "md"])
def test_an_export_lists_bookmarks_as_the_panel_does(library, order, fmt):
    bookmarks = _bookmarks(library)
    cache: dict[str, str] = {}
    model = BookmarksModel(order)
    model.set_bookmarks(reversed(bookmarks), orphaned={"gone-from-the-data"},
                        groups={b.record_id: mechanism_group(library.record, b.record_id, cache)
                                for b in bookmarks})
    panel = [model.data(model.index(row, 0), Role.Title) for row in range(model.rowCount())]
    text = export_text(bookmarks, fmt, library, order=order)
    if fmt == "json":
        exported = [b["record"]["title"] for b in json.loads(text)["bookmarks"]]
    else:
        exported = [line.split(". ", 1)[1] for line in text.splitlines() if line.startswith("## ")]
    assert exported == panel
    assert len(set(panel)) == len(bookmarks)


@pytest.mark.parametrize("order", ["newest", "title"])
def test_the_window_exports_in_the_order_its_panel_shows(qtbot, library, store, tmp_path,
                                                         monkeypatch, order):
    """Before issue 12 the window wrote its exports oldest first, whatever the panel showed."""
    from PySide6.QtWidgets import QFileDialog

    from desktop.data.bookmarks import BookmarkStore
    from desktop.ui.main_window import MainWindow

    bookmarks = BookmarkStore(tmp_path / "user" / "user.db")
    bookmarks.merge(_bookmarks(library)[:4])  # different times: oldest first is not newest first
    window = MainWindow(library, store, bookmarks=bookmarks)
    qtbot.addWidget(window)
    window.start(None)
    window.show()
    window.bookmarking.set_order(order)
    model = window.bookmarking.model
    panel = [model.data(model.index(row, 0), Role.RecordId) for row in range(model.rowCount())]
    target = tmp_path / "out.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *args, **kwargs: (str(target), "JSON"))
    window.bookmarking.export_action.trigger()
    written = json.loads(target.read_text(encoding="utf-8"))["bookmarks"]
    assert [b["id"] for b in written] == panel
    assert all(b["record"]["title"] for b in written)  # the record's facts ride along
    window.close()
    bookmarks.close()


def test_the_command_line_exports_in_the_order_the_panel_was_left_in(data_dir, reference_db,
                                                                     library, capsys):
    """Issue 12, defect 7: "the same from the window and the command line". The panel's order is
    a saved setting; `bookmarks export` follows it unless --order names another."""
    import shutil

    from desktop import cli, settings
    from desktop.data.bookmark_order import in_panel_order
    from desktop.data.bookmarks import BookmarkStore

    data_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy(reference_db, data_dir / "reference.db")
    # ids and titles sort differently: amp-518…, lift-…, temelimab-… vs AMP-518, GNC-501, LIFT
    for study in ("amp-518-rintatolimod-long-covid", "lift-pyridostigmine-ldn", "temelimab-gnc-501"):
        assert cli.main(["bookmarks", "add", study]) == 0
    capsys.readouterr()
    with BookmarkStore(data_dir / "user.db") as store:
        saved = store.list()
    expected = {order: [b.record_id for b in in_panel_order(saved, order, library)]
                for order in ("newest", "title")}
    assert expected["newest"] != expected["title"]

    def exported(*options):
        assert cli.main(["bookmarks", "export", "--format", "json", *options]) == 0
        return [b["id"] for b in json.loads(capsys.readouterr().out)["bookmarks"]]

    assert exported() == expected["newest"]  # the panel's default, before it was ever changed
    settings.write(settings.open_settings(), settings.BOOKMARKS_ORDER, "title")
    assert exported() == expected["title"]
    assert exported("--order", "newest") == expected["newest"]
    with pytest.raises(SystemExit) as refused:  # argparse names the choices in one line
        cli.main(["bookmarks", "export", "--order", "colour"])
    assert refused.value.code == 2 and "invalid choice: 'colour'" in capsys.readouterr().err
