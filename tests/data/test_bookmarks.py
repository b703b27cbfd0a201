"""Bookmarks and notes: the store, its persistence and its life beside the reference data."""

import sqlite3
import subprocess
import sys

import pytest

from desktop.data.bookmark_values import (ORDERS, Bookmark, NotBookmarked, UserDataUnavailable,
                                          normalize_tags)
from desktop.data.bookmarks import SCHEMA_VERSION, BookmarkStore

STUDY = "rituxme-phase3-rct"


@pytest.fixture
def store(tmp_path):
    with BookmarkStore(tmp_path / "user.db") as s:
        yield s


def reopen(store: BookmarkStore) -> BookmarkStore:
    store.close()
    return BookmarkStore(store.path)


def test_bookmark_note_and_tags_survive_a_restart(store):
    store.add(STUDY, "study", "Rituximab phase 3", note="ask about this", tags=["B cells", "GP"])
    store.add("daratumumab-pilot", "study", "Daratumumab pilot")
    store.set_note("daratumumab-pilot", "line one\nline two")
    store.set_tags("daratumumab-pilot", ["plasma cells"])
    store.add("ncnp-rituximab-phase2-rct", "study", "NCNP rituximab")
    store.remove("ncnp-rituximab-phase2-rct")

    store = reopen(store)
    try:
        rituxme = store.get(STUDY)
        assert (rituxme.kind, rituxme.title, rituxme.note, rituxme.tags) == (
            "study", "Rituximab phase 3", "ask about this", ("B cells", "GP"))
        assert rituxme.created_at.endswith("Z") and rituxme.updated_at >= rituxme.created_at
        assert store.get("daratumumab-pilot").note == "line one\nline two"
        assert store.get("daratumumab-pilot").tags == ("plasma cells",)
        assert store.get("ncnp-rituximab-phase2-rct") is None
        assert store.ids() == {STUDY, "daratumumab-pilot"}
        assert store.count() == 2
    finally:
        store.close()


def test_toggle_bookmarks_then_unbookmarks(store):
    assert store.toggle(STUDY, "study", "Rituximab") is True
    assert store.is_bookmarked(STUDY)
    assert store.toggle(STUDY, "study", "Rituximab") is False
    assert not store.is_bookmarked(STUDY)
    assert store.get(STUDY) is None


def test_adding_again_keeps_the_note_adds_tags_and_keeps_the_date(store):
    first = store.add(STUDY, "study", "Old title", note="mine", tags=["a"])
    again = store.add(STUDY, "study", "New title", tags=["b", "A"])
    assert (again.title, again.note, again.tags) == ("New title", "mine", ("a", "b"))
    assert again.created_at == first.created_at
    assert store.add(STUDY, "study", "New title", note="").note == ""


def test_note_and_tags_need_a_bookmark(store):
    with pytest.raises(NotBookmarked):
        store.set_note(STUDY, "x")
    with pytest.raises(NotBookmarked):
        store.set_tags(STUDY, ["x"])
    assert store.count() == 0


def test_saving_an_unchanged_note_writes_nothing(store):
    store.add(STUDY, "study", "T", note="same")
    version = store.version()
    store.set_note(STUDY, "same")
    store.set_tags(STUDY, [])
    assert store.version() == version
    store.set_note(STUDY, "different")
    assert store.version() == version + 1


def test_remove_returns_the_bookmark_so_it_can_be_undone(store):
    original = store.add(STUDY, "study", "T", note="keep me", tags=["x"])
    removed = store.remove(STUDY)
    assert removed == original
    assert store.remove(STUDY) is None
    store.put(removed)
    assert store.get(STUDY) == original


def test_tags_are_tidied_once(store):
    assert normalize_tags(["  ask  my\tGP ", "", "Ask my GP", "later"]) == ("ask my GP", "later")
    store.add(STUDY, "study", "T")
    assert store.set_tags(STUDY, [" a ", "A", "b"]) == ("a", "b")
    assert store.tags() == [("a", 1), ("b", 1)]


def test_list_orders_and_filters_by_tag(store):
    store.add("b-study", "study", "Beta", tags=["x"])
    store.add("a-study", "study", "Ålpha")
    store.add("c-study", "study", "Gamma", tags=["X"])
    store.set_note("b-study", "edited last")
    ids = lambda bookmarks: [b.record_id for b in bookmarks]  # noqa: E731
    assert ids(store.list("newest")) == ["c-study", "a-study", "b-study"]
    assert ids(store.list("oldest")) == ["b-study", "a-study", "c-study"]
    assert ids(store.list("updated"))[0] == "b-study"
    assert ids(store.list("title")) == ["a-study", "b-study", "c-study"]
    assert ids(store.list("oldest", tag="x")) == ["b-study", "c-study"]
    assert store.tags() == [("x", 2)]
    assert set(ORDERS) == {"newest", "oldest", "updated", "title"}
    with pytest.raises(ValueError, match="unknown order"):
        store.list("random")


def test_search_finds_notes_tags_and_titles_ignoring_case_and_accents(store):
    store.add(STUDY, "study", "Rituximab trial", note="Ask Dr Sørensen about B-cells")
    store.add("daratumumab-pilot", "study", "Daratumumab pilot", tags=["Plasma cells"])
    found = lambda text: {b.record_id for b in store.search(text)}  # noqa: E731
    assert found("sorensen") == {STUDY}
    assert found("PLASMA") == {"daratumumab-pilot"}
    assert found("rituximab ask") == {STUDY}
    assert found("pilot") == {"daratumumab-pilot"}
    assert found("nothing like this") == set()
    assert found("") == {STUDY, "daratumumab-pilot"}


def test_another_copy_of_the_app_sees_changes(tmp_path):
    with BookmarkStore(tmp_path / "user.db") as window_a, BookmarkStore(tmp_path / "user.db") as window_b:
        seen = window_b.version()
        window_a.add(STUDY, "study", "T")
        window_a.add("daratumumab-pilot", "study", "D")
        window_a.remove("daratumumab-pilot")
        assert window_b.changed_since(seen)
        changes = window_b.changes_since(seen)
        assert [b.record_id for b in changes.updated] == [STUDY]
        assert changes.removed == ("daratumumab-pilot",)
        assert not window_b.changed_since(changes.version)
        assert window_b.changes_since(changes.version).updated == ()


def test_two_copies_editing_one_bookmark_keep_both_changes(tmp_path):
    with BookmarkStore(tmp_path / "user.db") as a, BookmarkStore(tmp_path / "user.db") as b:
        a.add(STUDY, "study", "T")
        b.get(STUDY)  # b has read the old state
        a.set_note(STUDY, "note from window A")
        b.set_tags(STUDY, ["tag from window B"])
        b.add("daratumumab-pilot", "study", "D")
        a.toggle("ncnp-rituximab-phase2-rct", "study", "N")
        bookmark = a.get(STUDY)
        assert (bookmark.note, bookmark.tags) == ("note from window A", ("tag from window B",))
        assert a.ids() == b.ids() == {STUDY, "daratumumab-pilot", "ncnp-rituximab-phase2-rct"}


def test_user_database_uses_wal_and_a_busy_timeout(store):
    conn = store._conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_database_from_a_newer_trialtree_is_refused_not_touched(tmp_path):
    path = tmp_path / "user.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(UserDataUnavailable, match="newer version of TrialTree"):
        BookmarkStore(path)
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 99
    conn.close()


def test_odd_text_is_stored_as_given(store):
    note = "tab\tnul\x00 bell\x07 crlf\r\n emoji 🧪 rtl שלום"
    store.add(STUDY, "study", "T", note=note, tags=["\x1b[31m"])
    assert store.get(STUDY).note == note
    assert store.get(STUDY).tags == ("\x1b[31m",)
    store.set_note(STUDY, "lone \ud800 surrogate")
    assert store.get(STUDY).note == "lone \ufffd surrogate"


# ---- beside the reference data -----------------------------------------------------------


def _build(seeds_dir, data_dir):
    from desktop.data.build import ensure_reference_db
    from desktop.data.library import Library

    result = ensure_reference_db(seeds_dir, data_dir / "reference.db", force=True)
    return Library(result.path)


def test_bookmarks_are_untouched_by_a_reference_rebuild(seeds_copy, data_dir):
    library = _build(seeds_copy, data_dir)
    with BookmarkStore(data_dir / "user.db") as store:
        store.add(STUDY, library.kind_of(STUDY), library.title_of(STUDY), note="n", tags=["t"])
        before = store.list()
    library.close()
    library = _build(seeds_copy, data_dir)
    with BookmarkStore(data_dir / "user.db") as store:
        assert store.list() == before
        assert store.orphaned(library) == []
    assert (data_dir / "reference.db").exists() and (data_dir / "user.db").exists()
    library.close()


def _remove_a_study(seeds_dir):
    """Delete one study file that nothing else refers to; returns its id."""
    from desktop.data.seeds import SeedError, load_seeds

    preferred = ["resetme-daratumumab-phase2-rct", "daratumumab-pilot", "ncnp-rituximab-phase2-rct"]
    files = sorted((seeds_dir / "studies").glob("*.toml"),
                   key=lambda p: (p.stem not in preferred, preferred.index(p.stem)
                                  if p.stem in preferred else 0, p.stem))
    for path in files:
        text = path.read_text(encoding="utf-8")
        path.unlink()
        try:
            load_seeds(seeds_dir)
        except SeedError:
            path.write_text(text, encoding="utf-8")
            continue
        return path.stem
    pytest.skip("every study is referred to by another record")


def test_a_bookmark_on_a_record_that_left_the_seeds_is_kept(seeds_copy, data_dir):
    library = _build(seeds_copy, data_dir)
    with BookmarkStore(data_dir / "user.db") as store:
        for record_id in library.ids("study"):
            store.add(record_id, "study", library.title_of(record_id), note=f"note on {record_id}")
    library.close()
    gone = _remove_a_study(seeds_copy)

    library = _build(seeds_copy, data_dir)
    assert library.kind_of(gone) is None
    with BookmarkStore(data_dir / "user.db") as store:
        orphans = store.orphaned(library)
        assert [b.record_id for b in orphans] == [gone]
        assert orphans[0].note == f"note on {gone}" and orphans[0].title
        assert store.is_bookmarked(gone)
    library.close()


def test_refresh_titles_keeps_the_latest_title(store, library):
    store.add(STUDY, "study", "an old title")
    store.add("gone-from-the-data", "study", "saved title")
    assert store.refresh_titles(library) == 1
    assert store.get(STUDY).title == library.title_of(STUDY)
    assert store.get("gone-from-the-data").title == "saved title"
    assert store.refresh_titles(library) == 0


def test_the_bookmark_modules_import_neither_qt_nor_sqlite_utils():
    code = ("import sys, desktop.data.bookmarks, desktop.data.bookmark_io, desktop.cli_bookmarks; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'sqlite_utils')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_bookmark_values_are_frozen():
    bookmark = Bookmark(STUDY, "study", "T")
    with pytest.raises(AttributeError):
        bookmark.note = "x"  # type: ignore[misc]
