"""What changed since the user last looked (issue 18, item 3): snapshots in user.db, compared
with the record after a seed update, with both dates. No Qt."""

import dataclasses

from desktop.data.bookmarks import BookmarkStore
from desktop.data.records import Publication, Provenance
from desktop.data.seen_facts import changes_since_seen, data_date, key_facts, remember, what_changed

STUDY = "rituxme-phase3-rct"


def _updated(record, **fields):
    """The same study as a newer seed version would give it."""
    return dataclasses.replace(record, fields={**record.fields, **fields})


def test_a_status_changed_in_a_seed_update_is_reported_with_old_new_and_both_dates(library, tmp_path):
    store = BookmarkStore(tmp_path / "user.db")
    before = library.record(STUDY)
    remember(store, before, now="2026-03-02T10:00:00Z")
    after = _updated(before, status="ongoing", outcome="positive")
    changes = changes_since_seen(store, after)
    by_field = {c.field: c for c in changes}
    assert set(by_field) == {"Where it stands", "Overall result"}
    status = by_field["Where it stands"]
    assert status.old == "Completed" and status.new.startswith("Ongoing")
    assert status.seen_at.startswith("2026-03-02") and status.data_date == data_date(after)
    sentence = status.sentence()
    assert "was Completed" in sentence and "you last looked on 2 March 2026" in sentence
    assert data_date(after) and "data of " in sentence


def test_a_new_paper_is_a_change(library, tmp_path):
    store = BookmarkStore(tmp_path / "user.db")
    before = library.record(STUDY)
    remember(store, before)
    paper = Publication("A follow-up", "article", None, "J", 2026, None, None, "10.9999/new.1",
                        None, None, None, (), Provenance("https://doi.org/10.9999/new.1",
                                                         "publisher", "primary", "2026-12-01"))
    after = dataclasses.replace(before, publications=before.publications + (paper,))
    [change] = changes_since_seen(store, after)
    assert change.field == "Papers" and "10.9999/new.1" in change.new
    assert "10.9999/new.1" not in change.old
    assert change.data_date == "2026-12-01"  # the new paper is the newest fact


def test_looking_again_clears_the_changes_and_nothing_changed_says_nothing(library, tmp_path):
    store = BookmarkStore(tmp_path / "user.db")
    before = library.record(STUDY)
    remember(store, before)
    assert changes_since_seen(store, before) == []
    after = _updated(before, status="ongoing")
    assert changes_since_seen(store, after)
    remember(store, after)  # the user opened it
    assert changes_since_seen(store, after) == []


def test_the_first_look_is_a_baseline_and_snapshots_survive_reopening(library, tmp_path):
    path = tmp_path / "user.db"
    with BookmarkStore(path) as store:
        store.add(STUDY, "study", "RituxME")
        assert what_changed(library, store, [STUDY, "no-such-record"]) == {}
        assert store.seen_facts(STUDY)[0] == key_facts(library.record(STUDY))
    with BookmarkStore(path) as store:  # kept in user.db, the bookmark untouched
        assert store.seen_facts(STUDY) is not None and store.get(STUDY).title == "RituxME"
        assert store.version() == 1  # a snapshot is not a bookmark change


def test_an_old_user_database_is_upgraded_with_its_bookmarks_kept(tmp_path):
    import sqlite3

    path = tmp_path / "user.db"
    with BookmarkStore(path) as store:
        store.add(STUDY, "study", "RituxME", note="my note")
    conn = sqlite3.connect(path)
    conn.execute("DROP TABLE seen_facts")
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()
    with BookmarkStore(path) as store:
        assert store.get(STUDY).note == "my note"
        store.save_seen_facts(STUDY, {"status": "x"}, "2026-01-01", "2026-01-02T00:00:00Z")
        assert store.seen_facts(STUDY) == ({"status": "x"}, "2026-01-01", "2026-01-02T00:00:00Z")


class _OneStudy:
    """A library holding one study, as the reference data gives it."""

    def __init__(self, record):
        self._record = record

    def kind_of(self, record_id):
        return "study" if record_id == self._record.id else None

    def record(self, record_id):
        return self._record


def test_an_imported_studys_re_import_change_is_said_once_and_forgotten_when_seen(library, tmp_path):
    # An imported study's status is the registry's: the re-import log says the change (with both
    # registry dates), so the snapshot's "Where it stands" is not said a second time; and once the
    # window has marked it seen, it is gone before the next build shows it.
    store = BookmarkStore(tmp_path / "user.db")
    before = _updated(library.record(STUDY), imported_from="ClinicalTrials.gov download",
                      changes=[])
    remember(store, before)
    change = {"field": "status", "old": "RECRUITING", "new": "COMPLETED", "nct_id": "NCT02229942",
              "recorded_on": "2026-11-30", "seen": False}
    after = _updated(before, status="ongoing", changes=[change])
    assert changes_since_seen(store, after)  # the snapshot alone does see a change
    [said] = what_changed(_OneStudy(after), store, [STUDY])[STUDY]
    assert said.field == "Status on the registry" and said.old == "RECRUITING"
    assert what_changed(_OneStudy(after), store, [STUDY], imports_seen=[STUDY]) == {}
