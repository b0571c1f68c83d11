"""The `alliance` command: the explorer, and non-interactive subcommands for scripts.

Exit codes: 0 success, 1 nothing found, 2 bad usage or bad data, 3 internal error.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import os
import re
import sys
from typing import TYPE_CHECKING, Any, NoReturn

from . import __version__
from .messages import _MODULES, N_, _, counted, ngettext
from .messages import decimal as _decimal
from .messages import number as _number

if TYPE_CHECKING:
    from collections.abc import Callable

    from index import Dataset
    from index.filters import Filter
    from index.kinds import Kind

EXIT_OK, EXIT_NOTHING, EXIT_BAD, EXIT_INTERNAL = 0, 1, 2, 3

# How a child process runs this CLI. Not `python -m tui`: -m (like -c) puts the working
# directory first on sys.path, so a `tui.py` or `index.py` planted there would run. The
# code drops that entry (absent under PYTHONSAFEPATH) and puts first the folder our
# packages were imported from; -P would do it from 3.11, but 3.10 has no such option.
_CHILD_CODE = (
    "import sys; getattr(sys.flags, 'safe_path', False) or sys.path.pop(0); "
    "sys.path.insert(0, {root!r}); from tui.cli import run; run()"
)


def child_command(*args: str) -> list[str]:
    """argv that runs `alliance ARGS` in a child Python that never imports from its cwd."""
    from pathlib import Path

    root = str(Path(__file__).resolve().parent.parent)  # the folder holding `tui` and `index`
    return [sys.executable, "-c", _CHILD_CODE.format(root=root), *args]


class UsageError(Exception):
    """Bad usage found after argument parsing (exit 2)."""


_SPACES = re.compile(r"\s+", re.ASCII)


class _Formatter(argparse.HelpFormatter):
    """Help wrapped at spaces only: `focus-area` or `type:company|...|chapter` is one value,
    and a line break inside it would print a value that does not exist."""

    # textwrap and json are imported where used: a piped `list` or `show` needs neither, and
    # every module counts in a command that should answer as fast as a one-shot script.
    def __init__(self, prog: str, indent_increment: int = 2, max_help_position: int = 24, width: int | None = None):
        # The width argparse would take (shutil.get_terminal_size, less 2), without importing
        # shutil, and zlib, bz2 and lzma with it, for each of the parser's ~40 options.
        super().__init__(prog, indent_increment, max_help_position, _columns() - 2 if width is None else width)

    def _split_lines(self, text: str, width: int) -> list[str]:
        import textwrap

        return textwrap.wrap(_SPACES.sub(" ", text).strip(), width, break_on_hyphens=False, break_long_words=False)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        import textwrap

        text = _SPACES.sub(" ", text).strip()
        return textwrap.fill(
            text, width, initial_indent=indent, subsequent_indent=indent, break_on_hyphens=False, break_long_words=False
        )


def _columns() -> int:
    """shutil.get_terminal_size().columns: $COLUMNS if a positive number, else the width of
    the terminal on sys.__stdout__, else 80."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns > 0:
        return columns
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns or 80  # type: ignore[union-attr]
    except (AttributeError, ValueError, OSError):
        return 80


class _Parser(argparse.ArgumentParser):
    _fill: Callable[[argparse.ArgumentParser], None] | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)  # subcommands' parsers too (parser_class)
        super().__init__(*args, **kwargs)

    def fill_later(self, fill: Callable[[argparse.ArgumentParser], None]) -> None:
        """Add this parser's arguments (`fill(self)`) only when it parses or shows its help."""
        self._fill = fill

    def _filled(self) -> None:
        fill, self._fill = self._fill, None
        if fill is not None:
            fill(self)

    def parse_known_args(self, args: Any = None, namespace: Any = None) -> Any:
        self._filled()
        return super().parse_known_args(args, namespace)

    def format_usage(self) -> str:
        self._filled()
        return super().format_usage()

    def format_help(self) -> str:
        self._filled()
        return super().format_help()

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_BAD, _("{prog}: error: {message}").format(prog=self.prog, message=message) + "\n")


def _data_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--data",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help=_("dataset directory (default: $ALLIANCE_DATA, else the bundled dataset)"),
    )


def _filter_option(parser: argparse.ArgumentParser, spec: Filter, help: str | None = None) -> None:
    """`--name VALUE` for a search filter (index/filters.py); see _filter_values."""
    if spec.choices:
        values = _("one of {values}").format(values=", ".join(spec.choices))
    else:
        values = _("e.g. {example}").format(example=spec.example)
    what = help or _("only {what}").format(what=_(spec.help))
    parser.add_argument(
        f"--{spec.name}",
        dest=f"filter_{spec.name}",
        metavar=spec.name.upper() if spec.choices else spec.values,
        help=_("{what}: {values}").format(what=what, values=values),
    )


# What each search filter keeps (index/filters.py's `help`, English there), marked here for
# the catalog: the option's help translates it when shown.
_FILTER_HELP = (
    N_("one kind of record"),
    N_("members or groups of one type"),
    N_("members of one country (ISO 3166-1 alpha-2 code)"),
    N_("members who joined (or were listed), quotes, events, projects and groups started that year"),
    N_("founding members, or (no) those who joined later"),
    N_("projects of one status"),
    N_("quotes by a speaker (a name or its first letters)"),
    N_("quotes in (or translated to) a language (ISO 639-1 code)"),
)


def _filter_values(args: argparse.Namespace) -> dict[str, str]:
    """The filter options given, checked against their closed sets (exit 2 with the list)."""
    from index.filters import FILTERS

    given = {}
    for spec in FILTERS:
        value = getattr(args, f"filter_{spec.name}", None)
        if value is None:
            continue
        value = valid_unicode(value)  # bytes of argv that are not UTF-8 match nothing
        if spec.choices and value.lower() not in spec.choices:
            message = _("unknown {name} {value}; use one of {choices}")
            raise UsageError(message.format(name=spec.name, value=repr(value), choices=", ".join(spec.choices)))
        given[spec.name] = value
    return given


def build_parser(*, lazy: bool = False) -> argparse.ArgumentParser:
    """The `alliance` parser. With `lazy` (how main() runs), a subcommand's options are added
    when that subcommand is parsed or its help shown: a piped `show` builds no `search` or
    `index` options (nor imports the search filters). The same parser otherwise."""
    parser = _Parser(
        prog="alliance",
        description=_(
            "Explore the AI Alliance: members, quotes, timeline and search. "
            "Without a subcommand, opens the terminal explorer."
        ),
        epilog=_("Exit codes: 0 success, 1 nothing found, 2 bad usage or bad data, 3 internal error."),
    )
    parser.add_argument(
        "--version", action="version", version=f"alliance {__version__}", help=_("show the version and exit")
    )
    parser.add_argument("--debug", action="store_true", help=_("show tracebacks of unexpected errors"))
    parser.add_argument("--open", metavar="REF", help=_("open the explorer on a record, e.g. member:nasa"))
    parser.add_argument("--theme", metavar="NAME", help=_("explorer colour theme (remembered)"))
    parser.add_argument(
        "--lang",
        choices=LANGUAGE_CODES,
        help=_(
            "language of the interface: en or fr (default: $ALLIANCE_LANG, then the one chosen in the explorer,"
            " then the locale)"
        ),
    )
    _data_option(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def command(name: str, fill: Callable[[argparse.ArgumentParser], None], **kwargs: Any) -> None:
        subparser = sub.add_parser(name, **kwargs)
        if lazy:
            subparser.fill_later(fill)
        else:
            fill(subparser)

    command("validate", _data_option, help=_("check a dataset and print a summary"), description=_("Check a dataset."))
    command("list", _list_options, help=_("list records of one kind"), description=_("List records."))
    command("show", _show_options, help=_("show one record with its links"), description=_("Show one record."))
    command("search", _search_options, help=_("full-text search"))
    command("index", _index_options, help=_("manage the search index cache"), description=_("Manage the index cache."))
    command(
        "serve",
        _serve_options,
        help=_("serve the explorer over SSH or the web"),
        description=_(
            "Serve the explorer to people who install nothing: over SSH (ssh -p PORT host) or in a "
            "browser. Needs the serve extra: pip install 'alliance-explorer[serve]'."
        ),
    )
    return parser


def _listen_options(server: argparse.ArgumentParser, port: int) -> None:
    """--host and --port of a server: loopback unless told otherwise."""
    server.add_argument("--host", default="127.0.0.1", help=_("address to listen on (default 127.0.0.1)"))
    server.add_argument(
        "--port",
        type=int,
        default=port,
        help=_("port to listen on (default {port}; 0: any free port)").format(port=port),
    )


def _serve_options(serve: argparse.ArgumentParser) -> None:
    serve_sub = serve.add_subparsers(dest="serve_command", metavar="HOW", parser_class=_Parser, required=True)
    ssh = serve_sub.add_parser(
        "ssh",
        help=_("an SSH server: each session runs the explorer; exec runs search, show, list or validate"),
        description=_(
            "An SSH server whose sessions run the explorer (and whose exec requests run only "
            "search, show, list and validate). No shell, no forwarding, no file transfer, no passwords."
        ),
    )
    _listen_options(ssh, 2222)
    who = ssh.add_mutually_exclusive_group()
    who.add_argument("--authorized-keys", metavar="FILE", help=_("the public keys allowed in (OpenSSH format)"))
    who.add_argument("--open-access", action="store_true", help=_("let anyone in, with any key or none"))
    ssh.add_argument("--max-sessions", type=int, default=32, metavar="N", help=_("sessions at once (default 32)"))
    ssh.add_argument("--per-ip", type=int, default=4, metavar="N", help=_("sessions per client address (default 4)"))
    ssh.add_argument(
        "--idle-timeout",
        type=float,
        default=1800,
        metavar="S",
        help=_("close a session after S s without input (1800)"),
    )
    ssh.add_argument(
        "--login-timeout",
        type=float,
        default=30,
        metavar="S",
        help=_("close a connection not logged in after S s (30)"),
    )
    ssh.add_argument(
        "--session-memory", type=int, default=2048, metavar="MB", help=_("address space of each session (default 2048)")
    )
    ssh.add_argument("--log", metavar="FILE", help=_("also append the connection log to FILE"))
    _data_option(ssh)
    web = serve_sub.add_parser(
        "web",
        help=_("a web server: each browser tab runs the explorer (textual-serve)"),
        description=_(
            "The explorer in a browser, one process per tab. No authentication: binds to 127.0.0.1 "
            "unless told otherwise; put anything wider behind a reverse proxy that authenticates."
        ),
    )
    _listen_options(web, 8000)
    web.add_argument("--public-url", metavar="URL", help=_("the URL browsers reach it at (behind a proxy)"))
    web.add_argument("--max-sessions", type=int, default=32, metavar="N", help=_("browser tabs at once (default 32)"))
    _data_option(web)


def _list_options(lister: argparse.ArgumentParser) -> None:
    from index.filters import BY_NAME
    from index.kinds import kinds

    lister.add_argument("what", choices=[k.plural for k in kinds()], help=_("which records"))
    _filter_option(lister, BY_NAME["type"], _("members of one type"))
    _filter_option(lister, BY_NAME["country"], _(BY_NAME["country"].help))
    lister.add_argument("--founding", action="store_true", help=_("founding members only"))
    lister.add_argument(
        "--sort",
        metavar="FIELD[:desc]",
        help=_(
            "order by one of the kind's columns, e.g. name, country:desc (default: members by name, "
            "events by date, others in file order)"
        ),
    )
    shape = lister.add_mutually_exclusive_group()
    shape.add_argument("--json", action="store_true", help=_("JSON array of records (as --format json)"))
    shape.add_argument(
        "--format",
        choices=("tsv", "csv", "md", "json"),
        help=_("tsv (tab-separated, the default when piped), csv, md (a Markdown table) or json"),
    )
    _data_option(lister)


def _show_options(show: argparse.ArgumentParser) -> None:
    from index.kinds import kinds

    refs = ", ".join(k.name + ":ID" for k in kinds())
    show.add_argument("ref", metavar="REF", help=_("{refs}, or a bare id").format(refs=refs))
    show.add_argument("--json", action="store_true", help=_("JSON object with linked ids"))
    _data_option(show)


def _search_options(search: argparse.ArgumentParser) -> None:
    from index.filters import FILTERS, syntax_line

    search.description = _(
        "Search every record. Words are ANDed and the last one also matches as a prefix; "
        '"quoted phrases", OR, NOT and parentheses work; filters: {filters}. '
        "Each filter is an option too: --country CH is country:CH."
    ).format(filters=syntax_line())
    search.add_argument(
        "query", metavar="QUERY", nargs="+", help=_("what to look for: words (no quotes needed), or '' with filters")
    )
    for spec in FILTERS:
        _filter_option(search, spec)
    search.add_argument("--limit", type=int, default=20, metavar="N", help=_("at most N hits (default 20)"))
    search.add_argument("--json", action="store_true", help=_("JSON object with hits, facets and suggestion"))
    _data_option(search)


def _index_options(index: argparse.ArgumentParser) -> None:
    index_sub = index.add_subparsers(dest="index_command", metavar="ACTION", parser_class=_Parser, required=True)
    build = index_sub.add_parser("build", help=_("build the index now"), description=_("Build (or reuse) the index."))
    build.add_argument("--force", action="store_true", help=_("rebuild even if a current index exists"))
    build.add_argument(
        "--progress", action="store_true", help=_("print 'progress DONE TOTAL' lines (for the explorer)")
    )
    build.add_argument(
        "--serial",
        action="store_true",
        help=_("one writer process (by default 5,000+ records are indexed by two, ~1.9x faster)"),
    )
    build.add_argument(
        "--background",
        action="store_true",
        help=_("at low CPU priority, failing if the cache cannot hold the index (how the explorer builds)"),
    )
    _data_option(build)
    info = index_sub.add_parser(
        "info", help=_("where the index is and what it holds"), description=_("Show the index.")
    )
    _data_option(info)
    index_sub.add_parser("clear", help=_("delete every cached index"), description=_("Delete the cache."))


def _load(args: argparse.Namespace) -> Dataset:
    """The dataset for a read-only command (list, show): from the parsed-data snapshot in the
    private cache when the data files' fingerprint is unchanged, else parsed (and validated)
    and the snapshot written for the next call. At 100k records a parse takes ~12 s, reading
    the snapshot under 1 s. The cache is trusted only as index/trust.py allows (ours, private,
    no symlinks); an untrusted or unwritable one costs only speed."""
    from index.snapshot import load_cached

    dataset, _from_snapshot = load_cached(getattr(args, "data", None))
    return dataset


def _records(args: argparse.Namespace, kind: Kind) -> tuple[Any, ...]:
    """The records of one kind for `list`: only they are decoded from the snapshot (every
    kind's take ~0.3 s at 100k records); without a usable snapshot, as `_load`."""
    from index.snapshot import read_kind

    records = read_kind(getattr(args, "data", None), kind.name)
    return records if records is not None else _load(args).of(kind.name)


def _parsed(args: argparse.Namespace) -> Dataset:
    """The dataset parsed and validated from its files now (validate's very purpose)."""
    from index import load_dataset

    return load_dataset(getattr(args, "data", None))


def cmd_validate(args: argparse.Namespace) -> int:
    from .output import escaped

    dataset = _parsed(args)
    founding = sum(1 for m in dataset.members if m.founding)
    counts = []
    for plural, n in dataset.counts().items():
        if n or plural in ("members", "quotes", "events", "topics"):
            text = counted(plural, n)
            if plural == "members":
                text += " " + ngettext("({n} founding)", "({n} founding)", founding).format(n=founding)
            counts.append(text)
    files = len(dataset.files)
    summary = ngettext("ok: {counts} in {n} file ({root})", "ok: {counts} in {n} files ({root})", files)
    # A folder name may hold a newline or non-UTF-8 bytes: escaped.
    print(summary.format(counts=", ".join(counts), n=files, root=escaped(str(dataset.root))))
    return EXIT_OK


# The `list` options and the kinds they apply to; --type takes each kind's own types.
_LIST_TYPES = {"member": "MEMBER_TYPES", "group": "GROUP_TYPES"}
_LIST_OPTIONS = {"type": ("member", "group"), "country": ("member",), "founding": ("member",)}


def _filtered(of_kind: tuple[Any, ...], args: argparse.Namespace) -> list[Any]:
    import index

    kind = _kind_named(args.what)
    records: list[Any] = list(of_kind)
    if kind.sort_key is not None:  # the kind's list order: members by name, events by date
        records.sort(key=kind.sort_key)
    filters = {
        name: valid_unicode(value)
        for name in ("type", "country")
        if (value := getattr(args, f"filter_{name}", None)) is not None
    }
    if args.founding:
        filters["founding"] = "yes"
    for option in filters:
        if kind.name not in _LIST_OPTIONS[option]:
            kinds = " and ".join(_kind_named_by(k).plural for k in _LIST_OPTIONS[option])
            message = _("--{option} does not apply to {kind} (only to {kinds})")
            raise UsageError(message.format(option=option, kind=kind.plural, kinds=kinds))
    if "type" in filters:
        kept = filters["type"].lower()
        types = getattr(index, _LIST_TYPES[kind.name])
        if kept not in types:
            message = _("unknown {kind} type {value}; use one of {types}")
            raise UsageError(message.format(kind=kind.name, value=repr(filters["type"]), types=", ".join(types)))
        records = [r for r in records if r.type == kept]
    if "country" in filters:
        from index.validate import FieldError, country

        try:
            code = country(filters["country"].upper() if len(filters["country"]) == 2 else filters["country"])
        except FieldError as exc:
            raise UsageError(f"--country: {exc}") from None
        records = [r for r in records if r.country == code]
    if "founding" in filters:
        records = [r for r in records if r.founding]
    return records


def _kind_named_by(name: str) -> Kind:
    from index.kinds import get_kind

    kind = get_kind(name)
    assert kind is not None
    return kind


def _kind_named(plural: str) -> Kind:
    from index.kinds import kinds

    return next(k for k in kinds() if k.plural == plural)


def cmd_list(args: argparse.Namespace) -> int:
    from index import to_json

    from .output import print_list

    kind = _kind_named(args.what)
    records = _filtered(_records(args, kind), args)
    if args.sort is not None:
        from index.export import UnknownField, sort_records

        try:
            records = sort_records(records, kind, valid_unicode(args.sort))
        except UnknownField as exc:
            message = _("--sort: {kind} have no field {field}; use one of {fields}")
            raise UsageError(
                message.format(kind=kind.plural, field=repr(exc.field), fields=", ".join(exc.fields))
            ) from None
        except ValueError as exc:
            raise UsageError(f"--sort: {exc}") from None
    shape = "json" if args.json else args.format
    if shape == "json":
        _print_json([to_json(r) for r in records])
    elif shape in ("csv", "md"):
        from index.export import export_text

        _print_utf8(export_text(records, shape, kind))
    else:  # tab-separated when piped (or asked for), a table on a terminal
        print_list(kind, records, plain=shape == "tsv")
    return EXIT_OK if records else EXIT_NOTHING


def cmd_show(args: argparse.Namespace) -> int:
    from .output import print_record, record_json

    dataset = _load(args)
    found = dataset.resolve(args.ref)
    if not found:
        print(_("alliance: no record {ref}").format(ref=repr(args.ref)), file=sys.stderr)
        return EXIT_NOTHING
    if len(found) > 1:
        refs = ", ".join(f"{r.kind}:{r.id}" for r in found)
        raise UsageError(_("{ref} is ambiguous: use one of {refs}").format(ref=repr(args.ref), refs=refs))
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
            line = _("indexing {done}/{total}").format(done=done, total=total)
            print(f"\r{line}", end="" if done < total else "\n", file=sys.stderr, flush=True)

    # The CLI is single-threaded, so a large build may fork Whoosh's writer processes.
    parallel = not getattr(args, "serial", False)
    if getattr(args, "background", False):
        os.nice(10)  # the explorer's UI, which started this build, comes first
    # Built for the explorer, an index in this process's memory would be of no use to it: a
    # cache that cannot hold the index is reported (see cmd_index), not worked around.
    opened = open_index(
        getattr(args, "data", None),
        force=force,
        progress=progress,
        parallel=parallel,
        fallback=not getattr(args, "background", False),
    )
    if opened.notice:
        print(_("alliance: {message}").format(message=opened.notice), file=sys.stderr)
    return opened


def cmd_search(args: argparse.Namespace) -> int:
    from .output import print_search

    if args.limit < 1:
        raise UsageError(_("--limit must be at least 1"))
    filters = _filter_values(args)
    searcher = _open_index(args).searcher()
    # Bytes of argv that are not UTF-8 (decoded as lone surrogates) cannot match anything
    # and must not reach the output, which is UTF-8: each becomes U+FFFD.
    # `alliance search open source` is one query of two words, as `'open source'` is.
    result = searcher.search(valid_unicode(" ".join(args.query)), filters=filters, limit=args.limit)
    if args.json:
        _print_json(result.to_json())
    else:
        print_search(result)
    return EXIT_OK if result.hits else EXIT_NOTHING


def cmd_index(args: argparse.Namespace) -> int:
    from index import store

    if args.index_command == "clear":
        # Only what is provably ours goes; every path removed is listed, then the count.
        cleared = store.clear()
        if cleared.notice:
            print(_("alliance: {notice}; nothing removed").format(notice=cleared.notice), file=sys.stderr)
        for path in cleared.removed:
            print(_("removed {path}").format(path=path))
        for path, why in cleared.kept:
            print(_("alliance: {path}: {why}").format(path=path, why=why), file=sys.stderr)
        print(cleared.summary())
        return EXIT_OK
    if args.index_command == "build":
        try:
            opened = _open_index(args, force=args.force)
        except store.CacheUnwritable as exc:  # --background only
            if args.progress:
                print(f"unwritable {exc}", flush=True)
            print(_("alliance: {message}").format(message=exc), file=sys.stderr)
            return EXIT_INTERNAL
        info = opened.info
        if opened.built:
            done = _("built index of {n} documents in {seconds} s at {where}")
        else:
            done = _("reused index of {n} documents in {seconds} s at {where}")
        where = info.path or _("memory")
        seconds = _decimal(info.build_seconds, 2)
        print(done.format(n=_number(info.documents), seconds=seconds, where=where))
        return EXIT_OK
    opened = _open_index(args, quiet=True)
    info = opened.info
    import datetime as dt

    built = dt.datetime.fromtimestamp(info.built_at).isoformat(timespec="seconds")
    counts = ", ".join(counted(k, n) for k, n in info.counts.items())
    print(_("path: {path}").format(path=info.path or _("(in memory)")))
    print(_("data: {path}").format(path=info.data_dir))
    print(_("documents: {n} ({counts})").format(n=_number(info.documents), counts=counts))
    print(_("size: {n} KiB").format(n=_number(round(info.size_bytes / 1024))))
    print(_("fingerprint: {fingerprint}").format(fingerprint=info.fingerprint))
    print(_("built: {when} in {seconds} s").format(when=built, seconds=_decimal(info.build_seconds, 2)))
    print(_("engine: {engine}, schema {version}").format(engine=info.engine, version=info.schema_version))
    print(_("cache: {path}").format(path=store.cache_root()))
    return EXIT_OK


class NoRecord(Exception):
    """A REF names no record: "alliance: MESSAGE", exit 1 (nothing found)."""


# A record id as index.validate.SLUG defines it (a test checks they agree; importing the
# validator here would slow the explorer's start).
_ID = r"[a-z0-9][a-z0-9-]*"


def check_open_ref(ref: str | None) -> None:
    """--open must name a record, whatever the data's size: checked before anything starts.

    A REF is `kind:id`, for any registered kind, or a bare id. (A URL would be followed
    as a link, i.e. copied to the clipboard.)
    """
    from index.kinds import kind_names

    names = kind_names()
    if ref is not None and not re.fullmatch(rf"(?:(?:{'|'.join(map(re.escape, names))}):)?{_ID}", ref):
        message = _("--open {ref} is not a record: use kind:id ({kinds}) or an id, e.g. member:nasa")
        raise UsageError(message.format(ref=repr(ref), kinds=", ".join(names)))


def open_ref_error(ref: str, found: list[Any]) -> Exception | None:
    """What to report when --open's REF does not name exactly one of `found` (its matches)."""
    if len(found) == 1:
        return None
    if found:
        refs = ", ".join(f"{r.kind}:{r.id}" for r in found)
        return UsageError(_("--open {ref} is ambiguous: use one of {refs}").format(ref=repr(ref), refs=refs))
    return NoRecord(_("no record {ref}").format(ref=repr(ref)))


# Data files bigger than this (about 2,000 records) are parsed after the explorer shows,
# with progress in its header: 100,000 records take ~12 s to parse and validate.
LOAD_IN_BACKGROUND = 1_000_000


def cmd_explore(args: argparse.Namespace) -> int:
    from index.files import data_size
    from index.snapshot import load_cached

    check_open_ref(args.open)
    data_dir = getattr(args, "data", None)
    # Small data is loaded here (from its snapshot when the files are unchanged), so that bad
    # data is reported before the screen changes. Large data is loaded by the app behind its
    # first frame, even from a snapshot: decoding and checking 100,000 records takes ~0.5 s.
    dataset = None
    if data_size(data_dir) <= LOAD_IN_BACKGROUND:
        dataset, _snapshot = load_cached(data_dir)
    if dataset is not None and args.open:
        error = open_ref_error(args.open, dataset.resolve(args.open))
        if error is not None:
            raise error
    if args.theme:
        from textual.theme import BUILTIN_THEMES

        if args.theme not in BUILTIN_THEMES:
            message = _("unknown theme {theme}; themes: {themes}")
            raise UsageError(message.format(theme=repr(args.theme), themes=", ".join(sorted(BUILTIN_THEMES))))
    from .config import served

    # A browser tab of `alliance serve web`: Textual's web driver speaks over pipes.
    in_browser = served() and os.environ.get("TEXTUAL_DRIVER", "").startswith("textual.drivers.web_driver")
    if not in_browser and (not sys.stdin.isatty() or not sys.stdout.isatty()):
        raise UsageError(_("the explorer needs a terminal; for scripts use list, show or search"))
    from .terminal import encoding_notice, terminal_problem, ui_on_terminal

    problem = None if in_browser else terminal_problem()
    if problem:
        raise UsageError(problem)
    from .app import AllianceApp

    # The language chosen in the palette at an earlier run, unless this run names one.
    saved_language = not (getattr(args, "lang", None) or os.environ.get("ALLIANCE_LANG"))
    app = AllianceApp(dataset, data_dir=data_dir, open_ref=args.open, theme=args.theme, saved_language=saved_language)
    app.startup_notice = encoding_notice()
    with ui_on_terminal():  # drawn on the terminal even with `2>file`
        app.run()
    # What the background load found, reported now that the terminal is back to normal.
    if app.problems:
        from index import DataError

        raise DataError(app.problems)
    if app.load_error is not None:
        raise app.load_error
    return app.return_code or EXIT_OK


@functools.cache
def _surrogate() -> re.Pattern[str]:
    return re.compile(r"[\ud800-\udfff]")  # ~0.2 ms: compiled by the commands that check text


def valid_unicode(text: str) -> str:
    """text with each lone surrogate (an undecodable byte of argv or a file name) as U+FFFD."""
    return _surrogate().sub("\ufffd", text)


def _print_json(value: Any) -> None:
    """JSON in UTF-8 whatever the locale (RFC 8259), always valid: no lone surrogates."""
    import json

    _print_utf8(json.dumps(value, ensure_ascii=False, indent=2) + "\n")


def _print_utf8(text: str) -> None:
    """Text for files and programs (JSON, CSV, Markdown) in UTF-8 whatever the locale."""
    text = valid_unicode(text)
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # a text-only stream (a test's): it takes str
        sys.stdout.write(text)
        return
    sys.stdout.flush()  # whatever was printed before goes first
    buffer.write(text.encode("utf-8"))


def cmd_serve(args: argparse.Namespace) -> int:
    from .serve.commands import run

    return run(args)


COMMANDS = {
    "validate": cmd_validate,
    "list": cmd_list,
    "show": cmd_show,
    "search": cmd_search,
    "index": cmd_index,
    "serve": cmd_serve,
}


class OutputError(Exception):
    """Writing to stdout failed (reader gone, disk full, ...): told apart from other OSErrors."""

    def __init__(self, error: OSError) -> None:
        super().__init__(error.strerror or str(error))
        self.error = error


class _GuardedOutput:
    """A stream (sys.stdout, or its buffer) whose write failures raise OutputError."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, data: Any) -> int:
        try:
            return self._stream.write(data)
        except OSError as exc:
            raise OutputError(exc) from exc

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as exc:
            raise OutputError(exc) from exc

    @property
    def buffer(self) -> _GuardedOutput:
        return _GuardedOutput(self._stream.buffer)

    def __getattr__(self, name: str) -> Any:  # isatty, fileno, encoding...: the stream's own
        return getattr(self._stream, name)


def _reopen_closed_streams() -> None:
    """Make a standard stream the shell closed (`>&-`) /dev/null.

    Python leaves sys.stdout None then, and every write failed; worse, the next file we
    opened would get descriptor 1, where a child process's output would land.
    """
    for fd, name, mode in ((0, "stdin", "r"), (1, "stdout", "w"), (2, "stderr", "w")):
        try:
            os.fstat(fd)
        except OSError:
            devnull = os.open(os.devnull, os.O_RDWR)
            if devnull != fd:
                os.dup2(devnull, fd)
                os.close(devnull)
        if getattr(sys, name) is None:
            setattr(sys, name, open(fd, mode, encoding="utf-8", closefd=False))  # noqa: SIM115


def _output_failed(error: OSError, stdout: Any) -> int:
    """The output could not be written: quiet exit 0 if the reader went away (`| head`),
    else one line and exit 3 (disk full: a script must not take it for "nothing found")."""
    # What is still buffered goes to /dev/null: flushed at exit, it would fail again and
    # Python would print "Exception ignored ...".
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # no descriptor (a test's stream)
        pass
    if isinstance(error, BrokenPipeError):
        return EXIT_OK
    with contextlib.suppress(OSError):  # stderr may be no better: then the exit code says it
        print(_("alliance: cannot write the output: {reason}").format(reason=error.strerror or error), file=sys.stderr)
    return EXIT_INTERNAL


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `alliance` console script.

    Output errors end it quietly or with one line, never a traceback: everything printed
    is flushed here (also for --help and --version), not at interpreter exit.
    """
    _reopen_closed_streams()
    from .terminal import adapt_streams

    adapt_streams()  # a non-UTF-8 terminal gets ASCII look-alikes, not errors (terminal.py)
    stdout = sys.stdout
    sys.stdout = _GuardedOutput(stdout)  # type: ignore[assignment]
    try:
        try:
            code = _main(argv)
        finally:  # also on argparse's SystemExit
            sys.stdout.flush()
    except OutputError as exc:
        code = _output_failed(exc.error, stdout)
    except BrokenPipeError as exc:  # written around the guard (e.g. by a library)
        code = _output_failed(exc, stdout)
    finally:
        sys.stdout = stdout
    return code


LANGUAGE_CODES = ("en", "fr")  # index.i18n.LANGUAGES (tests/test_i18n.py holds them equal)


def _english_for_sure(option: str | None) -> bool:
    """No value that could choose a language (--lang, $ALLIANCE_LANG, the locale) names one
    but English (en…, C, POSIX): the messages are as written."""
    names = ("ALLIANCE_LANG", "LC_ALL", "LC_MESSAGES", "LANG")
    values = [option, *(os.environ.get(name) for name in names)]
    return all(not v or v.startswith(("en", "C", "POSIX")) for v in values)


def _lang_option(argv: list[str]) -> str | None:
    """The value of --lang in argv, read before the parser exists: its help is in that language."""
    for index, word in enumerate(argv):
        if word == "--":
            break
        if word == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
        if word.startswith("--lang="):
            return word.split("=", 1)[1]
    return None


def use_language(argv: list[str]) -> str:
    """Choose the interface's language (--lang, $ALLIANCE_LANG, the locale) and use it, in
    argparse's own messages too ("usage:", "the following arguments are required")."""
    option = _lang_option(argv)
    if _english_for_sure(option):
        i18n = _MODULES.get("index.i18n")
        if i18n is not None and i18n.language() != "en":
            i18n.set_language("en")  # a run before this one in the same process chose another
        return "en"
    from index.i18n import choose_language, language, set_language

    chosen = choose_language(option)
    if chosen != language():
        set_language(chosen)
    if chosen != "en":
        import index.i18n

        # argparse looks its messages up at call time in its module's `_` and `ngettext`.
        argparse._ = index.i18n._  # type: ignore[attr-defined]
        argparse.ngettext = index.i18n.ngettext  # type: ignore[attr-defined]
    return chosen


def _main(argv: list[str] | None) -> int:
    use_language(sys.argv[1:] if argv is None else argv)
    parser = build_parser(lazy=True)
    args = parser.parse_args(argv)
    if "data" in vars(args) and os.environ.get("ALLIANCE_SERVED") == "1":
        # A served session's data is the server's ($ALLIANCE_DATA); tui/serve/policy.py
        # already refuses --data in an exec request: this holds if that ever slips.
        print(_("alliance: --data is fixed by the server"), file=sys.stderr)
        return EXIT_BAD
    handler = COMMANDS.get(args.command or "", cmd_explore)
    from index import DataError

    try:
        return handler(args)
    except (OutputError, BrokenPipeError):
        raise  # see main
    except DataError as exc:
        from .output import escaped

        for problem in exc.problems:
            print(escaped(str(problem)), file=sys.stderr)  # a file name may hold a newline
        n = len(exc.problems)
        print(
            ngettext("alliance: {n} problem in the data", "alliance: {n} problems in the data", n).format(n=n),
            file=sys.stderr,
        )
        return EXIT_BAD
    except UsageError as exc:
        print(_("alliance: {message}").format(message=exc), file=sys.stderr)
        return EXIT_BAD
    except NoRecord as exc:
        print(_("alliance: {message}").format(message=exc), file=sys.stderr)
        return EXIT_NOTHING
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        if args.debug:
            raise
        message = _("alliance: unexpected error: {error} (rerun with --debug)")
        print(message.format(error=f"{type(exc).__name__}: {exc}"), file=sys.stderr)
        return EXIT_INTERNAL


def run() -> NoReturn:
    sys.exit(main())
