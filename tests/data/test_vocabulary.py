"""One vocabulary: the tree, the results list and the pages name kinds and statuses alike."""

from desktop.data import vocabulary
from desktop.data.seeds import STUDY_STATUSES
from desktop.data.vocabulary import STATUS_GROUP_LABELS, STATUS_LABELS, plural, short_status


def test_every_status_has_its_page_words_its_group_words_and_a_short_form():
    for status in STUDY_STATUSES:
        assert STATUS_LABELS[status] and STATUS_GROUP_LABELS[status]
        assert short_status(status) == STATUS_GROUP_LABELS[status].split(" (")[0]
    assert short_status("unknown") == "Status not known"


def test_the_tree_groups_and_rows_use_the_vocabulary(library, seeds):
    titles = {node.key: node.title for node in library.tree_roots("status")}
    for status in {s["status"] for s in seeds.records["study"]}:
        assert titles[f"status:{status}"] == STATUS_GROUP_LABELS[status]
    node = library.tree_children("status", library.tree_roots("status")[0])[0]
    study = library.record(node.record_id)
    assert node.detail.startswith(short_status(study.get("status")))


def test_plurals_fit_the_count():
    assert plural(1, "trial", "trials") == "1 trial"
    assert plural(2, "trial", "trials") == "2 trials"
    assert vocabulary.trials_and_studies(0) == "no trials or studies yet"
    assert vocabulary.trials_and_studies(1) == "1 trial or study"

