"""A registered study whose status no source shows can say so ("unknown") instead of being given
a status nobody saw (issue 16: PLEXCOVIL and the 2-HOBA trial are known by title and number only)."""

from desktop.data.build import build_reference_db
from desktop.data.library import Library
from desktop.data.seeds import load_seeds

SOURCE = '''
[[source]]
id = "a-registry-record"
title = "A registry record"
kind = "registry"
sections = [{ key = "record", heading = "Registry record" }]
'''

STUDY = '''
[[study]]
id = "{id}"
title = "A registered trial known by its title only"
kind = "trial"
status = "{status}"
summary_plain = "Only the title and number are known."
sources = [{{ source = "a-registry-record", section = "record" }}]
'''


def _seeds(tmp_path):
    folder = tmp_path / "seeds"
    (folder / "studies").mkdir(parents=True)
    for name in ("mechanisms", "treatments", "people", "institutions", "glossary"):
        (folder / f"{name}.toml").write_text("", encoding="utf-8")
    (folder / "sources.toml").write_text(SOURCE, encoding="utf-8")
    (folder / "studies" / "thin.toml").write_text(
        STUDY.format(id="thin-trial", status="unknown") + STUDY.format(id="done-trial", status="completed"),
        encoding="utf-8")
    return folder


def test_a_study_may_say_its_status_is_not_known(tmp_path):
    seeds = load_seeds(_seeds(tmp_path))
    assert seeds.by_id("study")["thin-trial"]["status"] == "unknown"


def test_the_status_tree_groups_unknown_statuses_under_a_plain_label(tmp_path):
    database = tmp_path / "reference.db"
    build_reference_db(load_seeds(_seeds(tmp_path)), database)
    library = Library(database)
    try:
        roots = {node.key: node for node in library.tree_roots("status")}
        assert roots["status:unknown"].title == "Status not known"
        assert roots["status:unknown"].count == 1
        assert [n.record_id for n in library.tree_children("status", roots["status:unknown"])] == ["thin-trial"]
    finally:
        library.close()
