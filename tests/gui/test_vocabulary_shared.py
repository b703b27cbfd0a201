"""The models and the detail pane read their words from desktop.data.vocabulary."""

from desktop.data import vocabulary


def test_the_models_and_the_pane_read_the_same_words():
    from desktop.models import results_model, tree_model
    from desktop.render import labels as field_labels

    assert field_labels.KIND_LABELS is vocabulary.KIND_LABELS
    assert field_labels.STATUS_LABELS is vocabulary.STATUS_LABELS
    assert results_model.KIND_LABELS is vocabulary.KIND_WORDS
    assert tree_model.CROSSCHECK_NOTE is vocabulary.CROSSCHECK_NOTE
