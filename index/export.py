"""A list of records as CSV, JSON or Markdown text, and the order `--sort FIELD[:desc]` asks for.

What `alliance list KIND --format csv|md|json` prints and what the explorer's export key
(`e`) writes to a file: pure functions, records in, text out. The columns are the kind's
`list` columns (index/kinds/), so a file has what `alliance list` shows; a list of several
kinds (search results) has `kind`, `id` and `title`. JSON has the objects of
`alliance list --json` (`to_json`), whatever the columns.

Data text is kept exact in CSV and JSON (the csv module quotes what needs quoting); in
Markdown, where text has meaning, it is made inert (see `md_cell`).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Sequence
from pathlib import PurePath
from typing import Any

from .kinds import Kind, get_kind
from .model import to_json

FORMATS = ("csv", "json", "md")
EXTENSIONS = {".csv": "csv", ".json": "json", ".md": "md", ".markdown": "md"}
DEFAULT_FORMAT = "csv"
# The columns of a list that holds several kinds.
MIXED_HEADINGS = ("kind", "id", "title")


class UnknownField(ValueError):
    """`--sort` named a field the kind has no column for; `fields` are the ones it has."""

    def __init__(self, field: str, fields: Sequence[str]) -> None:
        super().__init__(f"unknown field {field!r} to sort by; use one of {', '.join(fields)}")
        self.field = field
        self.fields = tuple(fields)


def format_for(path: str) -> str:
    """The format a file name asks for by its extension (.csv, .json, .md), else CSV."""
    return EXTENSIONS.get(PurePath(path).suffix.lower(), DEFAULT_FORMAT)


def _kind_of(records: Sequence[Any], kind: Kind | None) -> Kind | None:
    """The one kind of the records (or the one given); None for a list of several kinds."""
    if kind is not None:
        return kind
    names = {record.kind for record in records}
    return get_kind(names.pop()) if len(names) == 1 else None


def table(records: Sequence[Any], kind: Kind | None = None) -> tuple[tuple[str, ...], list[tuple[str, ...]]]:
    """(headings, one row of cells per record): the kind's `list` columns, or kind/id/title."""
    one = _kind_of(records, kind)
    if one is not None:
        return one.headings, [one.cells(record) for record in records]
    return MIXED_HEADINGS, [(record.kind, record.id, str(record.title)) for record in records]


def to_csv(records: Sequence[Any], kind: Kind | None = None) -> str:
    """A header line, then a line per record (fields with commas, quotes or line breaks quoted)."""
    headings, rows = table(records, kind)
    out = io.StringIO()
    writer = csv.writer(out)  # RFC 4180: CRLF ends a record (a bare CR in a field is then quoted too)
    writer.writerow(headings)
    writer.writerows(rows)
    return out.getvalue()


def to_json_text(records: Sequence[Any], kind: Kind | None = None) -> str:
    """The array `alliance list --json` prints: each record's TOML fields and its `kind`."""
    return json.dumps([to_json(record) for record in records], ensure_ascii=False, indent=2) + "\n"


# Markdown punctuation that could format, link or open HTML inside a table cell; a backslash
# makes any of them literal (CommonMark: every ASCII punctuation character may be escaped).
_MD_ACTIVE = re.compile(r"([\\|*_`\[\]<>~&!#])")
# Every line break of any reader (as tui/output.py's), and the tab.
_MD_BREAKS = re.compile(r"\r\n|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def md_cell(text: str) -> str:
    """Text as one Markdown table cell that shows it as written: `|` and other active
    punctuation escaped, each line break as `<br>` (the cell stays on its row), a tab a space."""
    return _MD_BREAKS.sub("<br>", _MD_ACTIVE.sub(r"\\\1", text).replace("\t", " "))


def to_markdown(records: Sequence[Any], kind: Kind | None = None) -> str:
    """A GitHub-flavoured Markdown table: the headings, the rule, a row per record."""
    headings, rows = table(records, kind)
    lines = ["| " + " | ".join(md_cell(h) for h in headings) + " |", "|" + "---|" * len(headings)]
    lines += ["| " + " | ".join(md_cell(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


_WRITERS: dict[str, Callable[[Sequence[Any], Kind | None], str]] = {
    "csv": to_csv,
    "json": to_json_text,
    "md": to_markdown,
}


def export_text(records: Sequence[Any], fmt: str, kind: Kind | None = None) -> str:
    """The records in format `fmt` (one of FORMATS). kind gives the columns of an empty list."""
    if fmt not in _WRITERS:
        raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    return _WRITERS[fmt](records, kind)


def sort_records(records: Sequence[Any], kind: Kind, spec: str) -> list[Any]:
    """The records sorted by `FIELD` or `FIELD:desc` (`FIELD:asc` too), FIELD one of the
    kind's columns: by the column's text, case-insensitively, empty values last either way;
    ties keep their order. An unknown field raises UnknownField (it lists the fields)."""
    field, _colon, direction = spec.partition(":")
    field, direction = field.strip().lower(), direction.strip().lower()
    if direction not in ("", "asc", "desc"):
        raise ValueError(f"unknown sort direction {direction!r} in {spec!r}; use FIELD, FIELD:asc or FIELD:desc")
    headings = kind.headings
    if field not in headings:
        raise UnknownField(field, headings)
    column = headings.index(field)
    keyed = [(kind.cells(record)[column], record) for record in records]
    filled = [(value, record) for value, record in keyed if value != ""]
    empty = [record for value, record in keyed if value == ""]
    # reverse=True keeps ties in their order too: Python's sort stays stable.
    filled.sort(key=lambda pair: (pair[0].casefold(), pair[0]), reverse=direction == "desc")
    return [record for _, record in filled] + empty
