"""Line numbers for TOML tables and keys.

tomllib returns plain dicts without positions, so this light scanner finds the
line of each table header (and the n-th `[[member]]` header for the n-th member)
and of each key inside it, for error messages that point at the right line.
It is a locator, not a parser: if it is confused it gives a nearby line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_ARRAY_HEADER = re.compile(r"^\s*\[\[\s*([^\[\]]+?)\s*\]\]")
_TABLE_HEADER = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]")
_KEY = re.compile(r"""^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_\-]+)\s*[.=]""")


@dataclass
class TableLines:
    """The header line of one table occurrence and the first line of each key."""

    line: int
    keys: dict[str, int] = field(default_factory=dict)

    def of(self, key: str) -> int:
        return self.keys.get(key, self.line)


def _norm(name: str) -> str:
    parts = [p.strip().strip("\"'") for p in name.split(".")]
    return ".".join(parts)


def locate(text: str) -> dict[str, list[TableLines]]:
    """Map each table name ('member', 'alliance', 'alliance.topic', '' for the
    root) to its occurrences in file order."""
    tables: dict[str, list[TableLines]] = {"": [TableLines(1)]}
    current = tables[""][0]
    in_multiline: str | None = None
    for number, line in enumerate(text.split("\n"), start=1):  # TOML lines end at \n only
        if in_multiline:
            if line.count(in_multiline) % 2 == 1:
                in_multiline = None
            continue
        match = _ARRAY_HEADER.match(line) or _TABLE_HEADER.match(line)
        if match:
            current = TableLines(number)
            tables.setdefault(_norm(match.group(1)), []).append(current)
            continue
        key = _KEY.match(line)
        if key:
            current.keys.setdefault(key.group(1).strip("\"'"), number)
        for delim in ('"""', "'''"):
            if line.count(delim) % 2 == 1:
                in_multiline = delim
                break
    return tables
