"""Load a data directory into a Dataset, or fail with every problem at once."""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import validate as v
from .cache import DataHasher
from .files import SourceFile, discover, display_path, file_size, read_source, resolve_data_dir
from .kinds import Kind, by_table, kinds
from .locate import TableLines, locate
from .model import Alliance, Count, Dataset, Origin, Section
from .problems import DataError, Problem, did_you_mean

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

# progress(done, total): how far a long load has come, for a status line.
Progress = Callable[[int, int], None]
# The arrays inside [alliance] that are not record kinds.
ALLIANCE_PARTS = {"section": v.SECTION, "count": v.COUNT}


def _top_level() -> tuple[str, ...]:
    """Table names a file may hold: [alliance] and every kind's top-level array."""
    return ("alliance", *(k.table for k in kinds() if "." not in k.table))


def _alliance_arrays() -> tuple[str, ...]:
    """Arrays inside [alliance]: sections, counts and the kinds written there (topics)."""
    return (*ALLIANCE_PARTS, *(k.table.split(".", 1)[1] for k in kinds() if k.table.startswith("alliance.")))


_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


def parse_toml(source: SourceFile) -> tuple[dict[str, Any] | None, Problem | None]:
    """Parse one file; a syntax error becomes a Problem with line and column."""
    try:
        return tomllib.loads(source.text), None
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        line = getattr(exc, "lineno", 0) or 0
        column = getattr(exc, "colno", 0) or 0
        match = _POSITION.search(message)
        if match:
            line, column = int(match.group(1)), int(match.group(2))
            message = _POSITION.sub("", message).strip()
        elif "(at end of document)" in message:
            # Older tomllib gives no position here: point at the document's end.
            lines = source.text.split("\n")
            line, column = len(lines), len(lines[-1]) + 1
            message = message.replace("(at end of document)", "").strip()
        msg = (getattr(exc, "msg", None) or message).replace("(at end of document)", "").strip()
        return None, Problem(source.shown, line, column, f"TOML syntax error: {msg}")
    except RecursionError:
        return None, Problem(source.shown, _deepest_line(source.text), 0, "TOML syntax error: nesting is too deep")


@dataclass
class _Collected:
    """Records gathered from every file before cross-checks."""

    alliance: list[tuple[dict[str, Any], Origin]] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    counts: list[Count] = field(default_factory=list)
    records: dict[str, list[Any]] = field(default_factory=lambda: {k.name: [] for k in kinds()})
    problems: list[Problem] = field(default_factory=list)
    root: str = ""
    # Raw facts for the reference check, gathered from valid and invalid records alike,
    # so a broken record's links are still checked and a broken record is not "missing".
    ids: dict[str, set[str]] = field(default_factory=lambda: {k.name: set() for k in kinds()})
    # (where, record described, field, kinds it may name, ids named)
    references: list[tuple[Origin, str, str, tuple[str, ...], tuple[str, ...]]] = field(default_factory=list)
    unparsed: bool = False  # some file could not be read: its ids are unknown


def _deepest_line(text: str, limit: int = 100) -> int:
    """The line where bracket nesting first passes `limit` (where 'too deep' starts)."""
    depth = 0
    for number, line in enumerate(text.split("\n"), start=1):
        for char in line:
            depth += char in "[{"
            depth -= char in "]}"
            if depth > limit:
                return number
    return 0


def _occurrence(lines: dict[str, list[TableLines]], name: str, position: int, parent: str = "") -> TableLines:
    found = lines.get(name, [])
    if position <= len(found):
        return found[position - 1]
    if position == 1:  # only dotted sub-tables were written: [junk.a.b]
        nested = [t for table, occurrences in lines.items() if table.startswith(name + ".") for t in occurrences]
        if nested:
            return min(nested, key=lambda t: t.line)
    # Inline tables or arrays: point at the key in the parent table, or line 1.
    parents = lines.get(parent or "", [])
    key = name.rsplit(".", 1)[-1]
    for table in parents:
        if key in table.keys:
            return TableLines(table.keys[key])
    return TableLines(lines[""][0].keys.get(key, 1))


def _array(raw: Any, name: str, source: SourceFile, out: _Collected) -> list[Any]:
    if isinstance(raw, list):
        return raw
    out.problems.append(
        Problem(source.shown, 1, 0, f"{name} must be an array of tables: write [[{name}]] before each record")
    )
    return []


def _collect_file(
    source: SourceFile, data: dict[str, Any], lines: dict[str, list[TableLines]], out: _Collected
) -> None:
    top_level = _top_level()
    for key in data:
        if key not in top_level:
            line = _occurrence(lines, key, 1).line
            out.problems.append(Problem(source.shown, line, 0, f"unknown table {key!r}{did_you_mean(key, top_level)}"))
    for table, kind in by_table().items():
        if table in data:
            for position, raw in enumerate(_array(data[table], table, source, out), start=1):
                _collect_record(kind, raw, _occurrence(lines, table, position), source, out, position)
    if "alliance" in data:
        _collect_alliance(source, data["alliance"], lines, out)


def _collect_record(
    kind: Kind, raw: Any, where: TableLines, source: SourceFile, out: _Collected, position: int
) -> None:
    origin = Origin(source.shown, where.line)
    _note_references(out, kind, raw, origin, position)
    values, problems = v.check_table(kind.name, raw, kind.rules(), file=source.shown, where=where, position=position)
    out.problems.extend(problems)
    if values is not None:
        out.records[kind.name].append(kind.record(**values, origin=origin))


def _note_references(out: _Collected, kind: Kind | str, table: Any, origin: Origin, position: int) -> None:
    """Note the record's id and the ids it names (checked once every file is read)."""
    if not isinstance(table, dict):
        return
    if isinstance(kind, Kind):
        name, link_fields = kind.name, kind.links
        if isinstance(table.get("id"), str):
            out.ids[kind.name].add(table["id"])
    else:  # the [alliance] table: its founders are members
        name, link_fields = kind, {"founders": ("member",)}
    for field_name, targets in link_fields.items():
        if field_name not in table:
            continue
        value = table[field_name]
        refs = (value,) if isinstance(value, str) else value if isinstance(value, list) else ()
        refs = tuple(r for r in refs if isinstance(r, str) and v.SLUG.match(r))
        if refs:
            out.references.append((origin, v.describe(name, table, position), field_name, targets, refs))


def _collect_alliance(source: SourceFile, raw: Any, lines: dict[str, list[TableLines]], out: _Collected) -> None:
    where = _occurrence(lines, "alliance", 1)
    if not isinstance(raw, dict):
        out.problems.append(Problem(source.shown, where.line, 0, "alliance must be a table: write [alliance]"))
        return
    arrays = _alliance_arrays()
    tables = by_table()
    for sub in arrays:
        name = f"alliance.{sub}"
        for position, table in enumerate(_array(raw.get(sub, []), name, source, out), start=1):
            at = _occurrence(lines, name, position, "alliance")
            kind = tables.get(name)
            if kind is not None:
                _collect_record(kind, table, at, source, out, position)
                continue
            values, problems = v.check_table(
                sub, table, ALLIANCE_PARTS[sub], file=source.shown, where=at, position=position
            )
            out.problems.extend(problems)
            if values is not None:
                part = Section if sub == "section" else Count
                target: list[Any] = out.sections if sub == "section" else out.counts
                target.append(part(**values, origin=Origin(source.shown, at.line)))
    # A file may hold only topics, sections or counts; it then adds to the one [alliance].
    extra = set(raw) - set(arrays)
    if extra & set(v.ALLIANCE):
        out.alliance.append((raw, Origin(source.shown, where.line)))
    else:  # only unknown keys ([alliance.x.y]): name them, it is not a second [alliance]
        for key in sorted(extra):
            line = _occurrence(lines, f"alliance.{key}", 1, "alliance").line
            hint = did_you_mean(key, [*v.ALLIANCE, *arrays])
            out.problems.append(Problem(source.shown, line, 0, f"alliance: unknown field {key!r}{hint}"))


def _check_alliance(out: _Collected, lines_of: dict[str, dict[str, list[TableLines]]]) -> Alliance | None:
    if not out.alliance:
        out.problems.append(Problem(out.root, 0, 0, "no [alliance] table in any file: a dataset needs exactly one"))
        return None
    (raw, origin), *others = out.alliance
    for _first, extra in others:
        out.problems.append(
            Problem(extra.file, extra.line, 0, f"second [alliance] table (first at {origin}); only one allowed")
        )
    where = _occurrence(lines_of[origin.file], "alliance", 1)
    _note_references(out, "alliance", raw, origin, 1)
    values, problems = v.check_table(
        "alliance", raw, v.ALLIANCE, file=origin.file, where=where, position=1, extra_keys=_alliance_arrays()
    )
    out.problems.extend(problems)
    if values is None:
        return None
    counts = tuple(sorted(out.counts, key=lambda c: c.order))
    return Alliance(**values, sections=tuple(out.sections), counts=counts, origin=origin)


def _check_unique(out: _Collected) -> None:
    groups: dict[str, list[Any]] = {**out.records, "section": out.sections}
    for kind, records in groups.items():
        first: dict[str, Origin] = {}
        for record in records:
            if record.id in first:
                out.problems.append(
                    Problem(
                        record.origin.file,
                        record.origin.line,
                        0,
                        f"{kind} {record.id!r}: id: duplicate id (first defined at {first[record.id]})",
                    )
                )
            else:
                first[record.id] = record.origin


def _check_references(out: _Collected) -> None:
    """Every id named anywhere must exist (skipped when a file could not be read)."""
    if out.unparsed:
        return
    for origin, label, field_name, targets, refs in out.references:
        known = set().union(*(out.ids.get(t, set()) for t in targets))
        for ref in refs:
            if ref not in known:
                hint = did_you_mean(ref, known)
                what = " or ".join(targets)
                out.problems.append(
                    Problem(origin.file, origin.line, 0, f"{label}: {field_name}: no {what} with id {ref!r}{hint}")
                )


def load_dataset(data_dir: str | Path | None = None, *, progress: Progress | None = None) -> Dataset:
    """Load and validate every *.toml file under data_dir (see resolve_data_dir).

    `progress(bytes_done, total_bytes)` is called as each file starts and at the end. Raises DataError
    listing every problem, sorted by file and line.
    """
    root = resolve_data_dir(data_dir)
    paths, problems = discover(root)
    sizes = [file_size(path) for path in paths] if progress else []
    total, done = sum(sizes), 0
    out = _Collected(problems=list(problems), root=display_path(root))
    lines_of: dict[str, dict[str, list[TableLines]]] = {}
    # Hash the very bytes parsed: the files may change while we read them.
    hasher = DataHasher(root)
    shown_files: list[str] = []
    for number, path in enumerate(paths):
        if progress:
            progress(done, total)
            done += sizes[number]
        source, problem = read_source(path)
        hasher.add(path, source.raw if source is not None else None)
        if problem:
            out.problems.append(problem)
            out.unparsed = True
            continue
        assert source is not None
        data, problem = parse_toml(source)
        if problem:
            out.problems.append(problem)
            out.unparsed = True
            continue
        assert data is not None
        shown_files.append(source.shown)
        lines_of[source.shown] = locate(source.text)
        _collect_file(source, data, lines_of[source.shown], out)
    if progress:
        progress(total, total)
    alliance = None
    # Without an [alliance] and with a file unreadable, that file probably held it: say nothing more.
    if out.alliance or (paths and len(shown_files) == len(paths)):
        alliance = _check_alliance(out, lines_of)
    _check_unique(out)
    _check_references(out)
    if out.problems:
        raise DataError(out.problems)
    assert alliance is not None
    return Dataset(
        alliance=alliance,
        records={name: tuple(records) for name, records in out.records.items()},
        root=display_path(root),
        files=tuple(shown_files),
        fingerprint=hasher.hexdigest(),
    )
