"""The ``trialtree`` command: the window with no arguments, subcommands for scripts.

Every subcommand answers from the same data layer as the window. Errors are one clear line on
stderr and exit status 1, never a traceback.
"""

from __future__ import annotations

import json
import os
import sys
from typing import TYPE_CHECKING, Sequence

from desktop.cli_common import CliError
from desktop.cli_common import open_library as _library
from desktop.cli_common import resolve as _resolve

if TYPE_CHECKING:  # the bare window needs no parser: argparse is imported when one is built
    import argparse

EXIT_OK, EXIT_ERROR = 0, 1
PLURALS = {"source": "sources", "mechanism": "mechanisms", "treatment": "treatments",
           "study": "studies", "person": "people", "institution": "institutions",
           "term": "glossary terms"}


def build_parser() -> argparse.ArgumentParser:
    import argparse

    from desktop.cli_bookmarks import add_commands as add_bookmark_commands
    from desktop.cli_compare import add_command as add_compare_command
    from desktop.cli_import import add_command as add_import_command
    from desktop.cli_summary import add_command as add_summary_command

    parser = argparse.ArgumentParser(
        prog="trialtree",
        description="Browse ME/CFS and long COVID mechanisms, treatments and trials offline. "
                    "With no command, opens the window.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    search = commands.add_parser("search", help="print ranked search hits")
    search.add_argument("query", nargs="+", help="words to search for")
    search.add_argument("--json", action="store_true", help="print JSON")
    search.add_argument("--limit", type=int, default=20, help="at most this many hits (default 20)")

    show = commands.add_parser("show", help="print one record with everything linked to it")
    show.add_argument("id", help="a record id (e.g. rituxme-phase3-rct), a registry number "
                                 "(NCT02229942), a DOI or an acronym (RituxME)")
    show.add_argument("--json", action="store_true", help="print JSON")

    tree = commands.add_parser("tree", help="print a grouping tree (default: by mechanism)")
    tree.add_argument("--json", action="store_true", help="print JSON")
    tree.add_argument("--by", default="mechanism", help="mechanism, treatment, status, phase, "
                                                        "person or institution")

    commands.add_parser("rebuild", help="rebuild the reference database from the seeds")
    validate = commands.add_parser("validate", help="check the seed files and report the first problem")
    validate.add_argument("--strict", action="store_true",
                          help="also check each fact against the source texts in ../shared")

    open_ = commands.add_parser("open", help="open the window on one record")
    open_.add_argument("id", help="a record id, registry number, DOI or acronym, as for show")

    add_bookmark_commands(commands)
    add_compare_command(commands)
    add_import_command(commands)
    add_summary_command(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if not argv:  # the window: no parser to build, nothing to import before the first paint
            return _window(None)
        args = build_parser().parse_args(_search_words_last(argv))
        if args.command in (None, "open"):
            return _window(getattr(args, "id", None))
        return COMMANDS[args.command](args)
    except CliError as error:
        print(f"trialtree: {error}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:  # e.g. `trialtree tree | head`
        return EXIT_OK


SEARCH_OPTIONS = {"--json": 0, "--limit": 1, "-h": 0, "--help": 0}


def _search_words_last(argv: list[str]) -> list[str]:
    """``search`` arguments with its options first and the query words after ``--``, so a word
    that starts with '-' (``-placebo``, the search syntax for "without") is a word, not an option."""
    if not argv or argv[0] != "search" or "--" in argv:
        return argv
    options, words, rest = [], [], argv[1:]
    while rest:
        arg = rest.pop(0)
        name = arg.split("=", 1)[0]
        if name in SEARCH_OPTIONS:
            options.append(arg)
            if "=" not in arg and SEARCH_OPTIONS[name] and rest:
                options.append(rest.pop(0))
        else:
            words.append(arg)
    return ["search", *options, "--", *words] if words else ["search", *options]


NO_DISPLAY = ("no display found: the window needs a graphical desktop. Run it from a desktop "
              "session, or set DISPLAY (e.g. DISPLAY=:0), or QT_QPA_PLATFORM=offscreen to run "
              "it with no visible window; search, show, tree and bookmarks need no display")


def _has_display() -> bool:
    """Whether Qt can show a window here: a platform chosen by hand, a Wayland or X display
    (a local X display only if its socket exists), or a system that is not X11-based."""
    if os.environ.get("QT_QPA_PLATFORM", "").split(":")[0] not in ("", "xcb", "wayland"):
        return True
    if not sys.platform.startswith("linux") and "bsd" not in sys.platform:
        return True
    if os.environ.get("WAYLAND_DISPLAY"):
        return True
    display = os.environ.get("DISPLAY", "")
    if not display:
        return False
    host, _, number = display.partition(":")
    if host or not number.split(".")[0].isdigit():
        return True  # a remote display: let Qt try
    return os.path.exists(f"/tmp/.X11-unix/X{number.split('.')[0]}")


def _window(name: str | None) -> int:
    """Open the window (on the record ``name`` names, if given): the display and the record are
    checked first, so a mistake is one line here rather than a Qt abort or an empty window."""
    if not _has_display():
        shown = os.environ.get("DISPLAY", "")
        raise CliError(NO_DISPLAY if not shown else
                       NO_DISPLAY.replace("no display found", f"no display found at DISPLAY={shown}"))
    open_id = None
    if name is not None:
        library, _ = _library()
        open_id = _resolve(library, name)
        library.close()
    from desktop.app import run_app

    return run_app(open_id=open_id)


def cmd_search(args: argparse.Namespace) -> int:
    from desktop.data.search import MARK_END, MARK_START

    if args.limit < 1:
        raise CliError("--limit must be at least 1")
    library, _ = _library()
    query = " ".join(args.query)
    result = library.find(query, limit=args.limit)
    hits = list(result.hits)
    if result.corrected:
        print(f"trialtree: nothing found for {query!r}; showing results for {result.corrected!r}",
              file=sys.stderr)
    elif result.suggestions:
        print("trialtree: did you mean: " + " | ".join(result.suggestions), file=sys.stderr)
    if args.json:
        print(json.dumps([{"id": h.id, "kind": h.kind, "title": h.title,
                           "snippet": h.snippet.replace(MARK_START, "[").replace(MARK_END, "]"),
                           "score": h.score} for h in hits], ensure_ascii=False, indent=2))
    else:
        for hit in hits:
            snippet = " ".join(hit.snippet.replace(MARK_START, "[").replace(MARK_END, "]").split())
            print(f"{hit.id}\t{hit.kind}\t{hit.title}\t{snippet}")
    if not hits:
        print(f"trialtree: nothing found for {query!r}", file=sys.stderr)
        return EXIT_ERROR
    return EXIT_OK


def cmd_show(args: argparse.Namespace) -> int:
    from desktop.data.library import UnknownRecord

    library, _ = _library()
    try:
        record = library.record(_resolve(library, args.id))
    except UnknownRecord:
        raise CliError(f"no record has the id {args.id!r} (try: trialtree search WORDS)") from None
    if args.json:
        data = record.to_json()
        if record.kind == "mechanism":  # issue 19: evidence at a glance
            from desktop.data.evidence import for_library
            data["evidence"] = for_library(library, record.id).to_json()
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return EXIT_OK
    print(f"{record.title}  [{record.kind}: {record.id}]")
    if record.summary:
        print(f"\n{record.summary}\n")
    for name, value in record.fields.items():
        if isinstance(value, list):
            value = "; ".join(str(v) for v in value)
        print(f"{name.replace('_', ' ')}: {value}")
    for name, refs in record.links.items():
        print(f"{name}: " + "; ".join(f"{r.title} ({r.id}{', ' + r.role if r.role else ''})"
                                       for r in refs))
    for entry in record.filed_under:  # why it sits under each mechanism (issue 16)
        print(f"filed under: {entry.mechanism_name} ({entry.mechanism}): {entry.reason} "
              f"({_who_says(entry)})")
    for system, value in dict.fromkeys((i.system, i.value) for i in record.identifiers):
        print(f"identifier: {system} {value}")
    for pub in record.publications:
        print(f"publication: {pub.title or ''} {pub.journal or ''} {pub.year or ''} "
              f"{'doi:' + pub.doi if pub.doi else ''}".strip())
    for check in record.cross_checks:
        print(f"cross-check: the report says: {check.article_says}\n"
              f"  {check.provenance.kind} ({check.provenance.confidence}, seen "
              f"{check.provenance.seen}) says: {check.source_says}")
    for citation in record.citations:
        where = ", ".join(part for part in (citation.outlet, citation.date) if part)
        print(f"source: {citation.title}{f' ({where})' if where else ''}, section: {citation.section}")
    return EXIT_OK


def _who_says(entry) -> str:
    if entry.citation is not None:
        return f"stated by {entry.citation.title}, section: {entry.citation.section}"
    if entry.provenance is not None:
        p = entry.provenance
        return f"stated by {p.url} ({p.kind}, {p.confidence}, seen {p.seen})"
    return "TrialTree's own classification" if entry.by != "source" else "stated by a source"


def cmd_tree(args: argparse.Namespace) -> int:
    from desktop.data.library import GROUPINGS

    if args.by not in GROUPINGS:
        raise CliError(f"unknown grouping {args.by!r}; choose one of {', '.join(GROUPINGS)}")
    library, _ = _library()

    def walk(parent):
        return [{"key": n.key, "kind": n.kind, "id": n.record_id, "title": n.title,
                 "count": n.count, "children": walk(n) if n.has_children else []}
                for n in library.tree_children(args.by, parent)]

    tree = walk(None)
    if args.json:
        print(json.dumps(tree, ensure_ascii=False, indent=2))
        return EXIT_OK

    def show(nodes, depth):  # each line: indented title, then a tab and the id for `show`
        for node in nodes:
            count = f" ({node['count']})" if node["kind"] != "study" else ""
            record_id = f"\t{node['id']}" if node["id"] else ""
            print(f"{'  ' * depth}{node['title']}{count}{record_id}")
            show(node["children"], depth + 1)

    show(tree, 0)
    return EXIT_OK


def cmd_rebuild(args: argparse.Namespace) -> int:
    library, result = _library(force_rebuild=True)
    if result.warning:
        raise CliError("the seeds have an error, the database was not rebuilt")
    print(f"rebuilt {result.path}: " + ", ".join(
        f"{library.count(kind)} {PLURALS[kind]}" for kind in ("mechanism", "treatment", "study",
                                                             "person", "institution", "term")))
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    from desktop import paths
    from desktop.data.seed_checks import find_shared_dir, load_checked_seeds
    from desktop.data.seeds import SeedError

    shared = None
    if args.strict:
        shared = find_shared_dir(paths.seeds_dir())
        if shared is None:
            raise CliError("--strict needs the shared/ folder (source texts and facts files) beside "
                           "the repository; it was not found")
    try:
        seeds = load_checked_seeds(paths.seeds_dir(), shared)
    except SeedError as error:
        raise CliError(str(error)) from None
    print("seeds are valid" + (" (checked against the sources in shared/)" if shared else "") + ": "
          + ", ".join(f"{len(v)} {PLURALS[k]}" for k, v in seeds.records.items()))
    return EXIT_OK


def cmd_bookmarks(args: argparse.Namespace) -> int:
    from desktop.cli_bookmarks import run

    return run(args)


def cmd_compare(args: argparse.Namespace) -> int:
    from desktop.cli_compare import run

    return run(args)


def cmd_import(args: argparse.Namespace) -> int:
    from desktop.cli_import import run

    return run(args)


def cmd_summary(args: argparse.Namespace) -> int:
    from desktop.cli_summary import run

    return run(args)


COMMANDS = {"search": cmd_search, "show": cmd_show, "tree": cmd_tree, "rebuild": cmd_rebuild,
            "validate": cmd_validate, "bookmarks": cmd_bookmarks, "compare": cmd_compare,
            "import": cmd_import, "summary": cmd_summary}
