"""The `alliance` command: the explorer, and non-interactive subcommands for scripts.

Exit codes: 0 success, 1 nothing found, 2 bad usage or bad data, 3 internal error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import TYPE_CHECKING, Any, NoReturn

from . import __version__

if TYPE_CHECKING:
    from index import Dataset

EXIT_OK, EXIT_NOTHING, EXIT_BAD, EXIT_INTERNAL = 0, 1, 2, 3


class UsageError(Exception):
    """Bad usage found after argument parsing (exit 2)."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD, f"{self.prog}: error: {message}\n")


def _data_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="dataset directory (default: $ALLIANCE_DATA, else the bundled dataset)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="alliance",
        description="Explore the AI Alliance: members, quotes, timeline and search. "
        "Without a subcommand, opens the terminal explorer.",
        epilog="Exit codes: 0 success, 1 nothing found, 2 bad usage or bad data, 3 internal error.",
    )
    parser.add_argument("--version", action="version", version=f"alliance {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks of unexpected errors")
    parser.add_argument("--open", metavar="REF", help="open the explorer on a record, e.g. member:nasa")
    parser.add_argument("--theme", metavar="NAME", help="explorer colour theme (remembered)")
    _data_option(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    validate = sub.add_parser("validate", help="check a dataset and print a summary", description="Check a dataset.")
    _data_option(validate)

    lister = sub.add_parser("list", help="list members, quotes or events", description="List records.")
    lister.add_argument("what", choices=["members", "quotes", "events", "topics"], help="which records")
    lister.add_argument("--type", metavar="T", help="member type: company, university, research, nonprofit, government")
    lister.add_argument("--country", metavar="CC", help="ISO 3166-1 alpha-2 country code, e.g. CH")
    lister.add_argument("--founding", action="store_true", help="founding members only")
    lister.add_argument("--json", action="store_true", help="JSON array of records")
    _data_option(lister)

    show = sub.add_parser("show", help="show one record with its links", description="Show one record.")
    show.add_argument("ref", metavar="REF", help="member:ID, quote:ID, event:ID, topic:ID, or a bare id")
    show.add_argument("--json", action="store_true", help="JSON object with linked ids")
    _data_option(show)

    search = sub.add_parser(
        "search",
        help="full-text search",
        description="Search every record. Words are ANDed and the last one also matches as a prefix; "
        '"quoted phrases", OR, NOT and parentheses work; filters: kind:member|quote|event|topic, '
        "type:university, country:CH, year:2024, founding:yes|no, speaker:NAME, lang:fr.",
    )
    search.add_argument("query", metavar="QUERY", help="what to look for (quote it in the shell)")
    search.add_argument("--kind", choices=["member", "quote", "event", "topic"], help="only this kind of record")
    search.add_argument("--limit", type=int, default=20, metavar="N", help="at most N hits (default 20)")
    search.add_argument("--json", action="store_true", help="JSON object with hits, facets and suggestion")
    _data_option(search)

    index = sub.add_parser("index", help="manage the search index cache", description="Manage the index cache.")
    index_sub = index.add_subparsers(dest="index_command", metavar="ACTION", parser_class=_Parser, required=True)
    build = index_sub.add_parser("build", help="build the index now", description="Build (or reuse) the index.")
    build.add_argument("--force", action="store_true", help="rebuild even if a current index exists")
    build.add_argument("--progress", action="store_true", help="print 'progress DONE TOTAL' lines (for the explorer)")
    build.add_argument(
        "--serial",
        action="store_true",
        help="one writer process (by default 5,000+ records are indexed by two, ~1.9x faster)",
    )
    build.add_argument(
        "--background",
        action="store_true",
        help="at low CPU priority (how the explorer builds while you browse)",
    )
    _data_option(build)
    info = index_sub.add_parser("info", help="where the index is and what it holds", description="Show the index.")
    _data_option(info)
    index_sub.add_parser("clear", help="delete every cached index", description="Delete the cache.")
    return parser


def _load(args: argparse.Namespace) -> Dataset:
    from index import load_dataset

    return load_dataset(getattr(args, "data", None))


def cmd_validate(args: argparse.Namespace) -> int:
    dataset = _load(args)
    counts = dataset.counts()
    founding = sum(1 for m in dataset.members if m.founding)
    print(
        f"ok: {counts['members']} members ({founding} founding), {counts['quotes']} quotes, "
        f"{counts['events']} events, {counts['topics']} topics in {len(dataset.files)} files ({dataset.root})"
    )
    return EXIT_OK


def _filtered(dataset: Dataset, args: argparse.Namespace) -> list[Any]:
    records: list[Any] = list(getattr(dataset, args.what))
    if args.type:
        from index import MEMBER_TYPES

        if args.type not in MEMBER_TYPES:
            raise UsageError(f"unknown type {args.type!r}; use one of {', '.join(MEMBER_TYPES)}")
        records = [r for r in records if getattr(r, "type", args.type) == args.type]
    if args.country:
        code = args.country.upper()
        records = [r for r in records if getattr(r, "country", code) == code]
    if args.founding:
        records = [r for r in records if getattr(r, "founding", True)]
    return records


def cmd_list(args: argparse.Namespace) -> int:
    from index import to_json

    from .output import print_list

    dataset = _load(args)
    records = _filtered(dataset, args)
    if args.json:
        _print_json([to_json(r) for r in records])
    else:
        print_list(args.what, records, dataset)
    return EXIT_OK if records else EXIT_NOTHING


def cmd_show(args: argparse.Namespace) -> int:
    from .output import print_record, record_json

    dataset = _load(args)
    found = dataset.resolve(args.ref)
    if not found:
        print(f"alliance: no record {args.ref!r}", file=sys.stderr)
        return EXIT_NOTHING
    if len(found) > 1:
        refs = ", ".join(f"{r.kind}:{r.id}" for r in found)
        raise UsageError(f"{args.ref!r} is ambiguous: use one of {refs}")
    if args.json:
        _print_json(record_json(found[0], dataset))
    else:
        print_record(found[0], dataset)
    return EXIT_OK


def _open_index(args: argparse.Namespace, *, force: bool = False, quiet: bool = False) -> Any:
    from index.store import open_index

    progress = None
    if getattr(args, "progress", False):

        def progress(done: int, total: int) -> None:
            print(f"progress {done} {total}", flush=True)

    elif not quiet and sys.stderr.isatty():

        def progress(done: int, total: int) -> None:
            print(f"\rindexing {done}/{total}", end="" if done < total else "\n", file=sys.stderr, flush=True)

    # The CLI is single-threaded, so a large build may fork Whoosh's writer processes.
    parallel = not getattr(args, "serial", False)
    if getattr(args, "background", False):
        os.nice(10)  # the explorer's UI, which started this build, comes first
    opened = open_index(getattr(args, "data", None), force=force, progress=progress, parallel=parallel)
    if opened.notice:
        print(f"alliance: {opened.notice}", file=sys.stderr)
    return opened


def cmd_search(args: argparse.Namespace) -> int:
    from index.search import Searcher

    from .output import print_search

    if args.limit < 1:
        raise UsageError("--limit must be at least 1")
    searcher = Searcher(_open_index(args).ix)
    result = searcher.search(args.query, kind=args.kind, limit=args.limit)
    if args.json:
        _print_json(result.to_json())
    else:
        print_search(result)
    return EXIT_OK if result.hits else EXIT_NOTHING


def cmd_index(args: argparse.Namespace) -> int:
    from index import store

    if args.index_command == "clear":
        removed = store.clear()
        print(f"removed {removed} index folder{'s' if removed != 1 else ''} from {store.cache_root()}")
        return EXIT_OK
    if args.index_command == "build":
        opened = _open_index(args, force=args.force)
        info = opened.info
        verb = "built" if opened.built else "reused"
        where = info.path or "memory"
        print(f"{verb} index of {info.documents} documents in {info.build_seconds:.2f} s at {where}")
        return EXIT_OK
    opened = _open_index(args, quiet=True)
    info = opened.info
    import datetime as dt

    built = dt.datetime.fromtimestamp(info.built_at).isoformat(timespec="seconds")
    counts = ", ".join(f"{n} {k}" for k, n in info.counts.items())
    print(f"path: {info.path or '(in memory)'}")
    print(f"data: {info.data_dir}")
    print(f"documents: {info.documents} ({counts})")
    print(f"size: {info.size_bytes / 1024:.0f} KiB")
    print(f"fingerprint: {info.fingerprint}")
    print(f"built: {built} in {info.build_seconds:.2f} s")
    print(f"engine: {info.engine}, schema {info.schema_version}")
    print(f"cache: {store.cache_root()}")
    return EXIT_OK


# Data files bigger than this (about 2,000 records) are parsed after the explorer shows,
# with progress in its header: 100,000 records take ~12 s to parse and validate.
LOAD_IN_BACKGROUND = 1_000_000


def cmd_explore(args: argparse.Namespace) -> int:
    from index.files import data_size
    from index.snapshot import load_cached, read_snapshot

    data_dir = getattr(args, "data", None)
    # The explorer starts from a parsed snapshot when the data files are unchanged. Without
    # one, small data is checked here, so that bad data is reported before the screen changes.
    dataset = read_snapshot(data_dir)
    if dataset is None and data_size(data_dir) <= LOAD_IN_BACKGROUND:
        dataset, _ = load_cached(data_dir)
    if dataset is not None and args.open and len(dataset.resolve(args.open)) != 1:
        found = dataset.resolve(args.open)
        if found:
            refs = ", ".join(f"{r.kind}:{r.id}" for r in found)
            raise UsageError(f"--open {args.open!r} is ambiguous: use one of {refs}")
        print(f"alliance: no record {args.open!r}", file=sys.stderr)
        return EXIT_NOTHING
    if args.theme:
        from textual.theme import BUILTIN_THEMES

        if args.theme not in BUILTIN_THEMES:
            raise UsageError(f"unknown theme {args.theme!r}; themes: {', '.join(sorted(BUILTIN_THEMES))}")
    if not sys.stdin.isatty() or not sys.stdout.isatty():
        raise UsageError("the explorer needs a terminal; for scripts use list, show or search")
    from .app import AllianceApp

    app = AllianceApp(dataset, data_dir=data_dir, open_ref=args.open, theme=args.theme)
    app.run()
    # What the background load found, reported now that the terminal is back to normal.
    if app.problems:
        from index import DataError

        raise DataError(app.problems)
    if app.load_error is not None:
        raise app.load_error
    return app.return_code or EXIT_OK


def _print_json(value: Any) -> None:
    json.dump(value, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


COMMANDS = {
    "validate": cmd_validate,
    "list": cmd_list,
    "show": cmd_show,
    "search": cmd_search,
    "index": cmd_index,
}


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `alliance` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler = COMMANDS.get(args.command or "", cmd_explore)
    from index import DataError

    try:
        return handler(args)
    except DataError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        n = len(exc.problems)
        print(f"alliance: {n} problem{'s' if n != 1 else ''} in the data", file=sys.stderr)
        return EXIT_BAD
    except UsageError as exc:
        print(f"alliance: {exc}", file=sys.stderr)
        return EXIT_BAD
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): stop quietly, without a second error at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:
        if args.debug:
            raise
        print(f"alliance: unexpected error: {type(exc).__name__}: {exc} (rerun with --debug)", file=sys.stderr)
        return EXIT_INTERNAL


def run() -> NoReturn:
    sys.exit(main())
