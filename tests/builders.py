"""Small datasets for the tests: records as Python values, written as the TOML of data/README.md.

One builder for every suite (tests/conftest.py, tests/search/helpers.py, tests/tui/tui_helpers.py,
tests/hostile/helpers.py): `toml_table` writes one record, `dataset_files` a whole dataset (file
name -> TOML text), `write_files` puts it in a directory. A record's fields are written in the
order of data/README.md, whatever order they are given in, so two datasets built from the same
records are the same text, line for line (tests look lines up by their content and number).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from index import DataError, bundled_data_dir, load_dataset

BUNDLED = bundled_data_dir()

# The fields of each table, in the order data/README.md lists them (and records are written).
FIELD_ORDER: dict[str, tuple[str, ...]] = {
    "alliance": (
        "id",
        "name",
        "founded",
        "founders",
        "mission",
        "website",
        "as_of",
        "focus_areas",
        "objectives",
        "governance",
        "figures",
        "sources",
        "note",
    ),
    "alliance.section": ("id", "title", "text", "sources", "note"),
    "alliance.topic": ("id", "title", "summary", "members", "sources", "note"),
    "member": (
        "id",
        "name",
        "short_name",
        "aliases",
        "type",
        "country",
        "region",
        "founding",
        "joined",
        "website",
        "summary",
        "sources",
        "note",
    ),
    "quote": ("id", "text", "speaker", "role", "member", "date", "lang", "translations", "sources", "note"),
    "event": ("id", "date", "title", "summary", "members", "tags", "sources", "note"),
}

# What a test dataset's alliance says unless told otherwise (the fields no test looks at).
ALLIANCE_DEFAULTS: dict[str, Any] = {
    "founded": date(2023, 12, 5),
    "website": "https://example.org",
    "as_of": date(2024, 6, 1),
    "sources": ["https://example.org/about"],
}

_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t"}
_BARE_KEY = re.compile(r"[a-z0-9_-]+")


def toml_string(value: str) -> str:
    """A TOML basic string; control characters (C0, DEL, C1) as \\uXXXX escapes, the only way
    TOML lets them into a string; every other character as itself."""
    out = []
    for char in value:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def toml_key(key: str) -> str:
    """A key of an inline table: field names (lowercase) bare, display labels ("Members") quoted."""
    return key if _BARE_KEY.fullmatch(key) else toml_string(key)


def toml_value(value: Any) -> str:
    """A TOML value: strings, booleans, integers, dates, lists, and dicts as inline tables."""
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, date):  # a TOML date; a partial one ("2024-05") is a string
        return value.isoformat()
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items()) + " }"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    raise TypeError(f"no TOML for {value!r}")


def toml_table(table: str, fields: Mapping[str, Any], *, array: bool = True) -> str:
    """One record as `[[table]]` (or `[table]`) and its `key = value` lines, in FIELD_ORDER.

    `sources` defaults to ["https://example.org/<id>"], the alliance's fields to
    ALLIANCE_DEFAULTS; fields set to None are left out; `translations` is written as dotted
    keys (`translations.fr = "..."`), as data/ does.
    """
    order = FIELD_ORDER[table]
    unknown = set(fields) - set(order)
    assert not unknown, f"{table}: no field {sorted(unknown)} in data/README.md"
    defaults = ALLIANCE_DEFAULTS if table == "alliance" else {"sources": [f"https://example.org/{fields['id']}"]}
    values = {**defaults, **fields}
    lines = [f"[[{table}]]" if array else f"[{table}]"]
    for key in order:
        value = values.get(key)
        if value is None:
            continue
        if key == "translations":
            lines += [f"translations.{lang} = {toml_string(text)}" for lang, text in value.items()]
        else:
            lines.append(f"{key} = {toml_value(value)}")
    return "\n".join(lines) + "\n"


def dataset_files(
    alliance: Mapping[str, Any],
    *,
    sections: Iterable[Mapping[str, Any]] = (),
    topics: Iterable[Mapping[str, Any]] = (),
    members: Iterable[Mapping[str, Any]] = (),
    quotes: Iterable[Mapping[str, Any]] = (),
    events: Iterable[Mapping[str, Any]] = (),
    comments: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """A dataset as {file name: TOML text}: alliance.toml (with its sections and topics),
    members.toml, quotes.toml, events.toml; a file for a kind without records is left out.

    comments: a first line per file name ("# Three members."), for readers of the files.
    """
    tables = {
        "alliance.toml": [toml_table("alliance", alliance, array=False)]
        + [toml_table("alliance.section", s) for s in sections]
        + [toml_table("alliance.topic", t) for t in topics],
        "members.toml": [toml_table("member", m) for m in members],
        "quotes.toml": [toml_table("quote", q) for q in quotes],
        "events.toml": [toml_table("event", e) for e in events],
    }
    comments = comments or {}
    return {
        name: (f"{comments[name]}\n" if name in comments else "") + "\n".join(texts)
        for name, texts in tables.items()
        if texts
    }


def write(directory: Path, name: str, text: str | bytes) -> Path:
    """Write text (UTF-8, kept byte for byte) or bytes to directory/name; return the path."""
    path = Path(directory) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def write_files(directory: Path, files: Mapping[str, str | bytes]) -> Path:
    """Write every file of `files` (name -> text or bytes; names may hold folders) into
    directory, which is created; return directory."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        write(directory, name, content)
    return directory


def replace(directory: Path, name: str, old: str, new: str) -> Path:
    """Replace the single occurrence of old in directory/name (which must contain it once)."""
    path = Path(directory) / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {name}"
    return write(directory, name, text.replace(old, new))


def problems(directory: Path) -> list[str]:
    """Load directory, expecting DataError; the problems as printed (str), in reported order."""
    with pytest.raises(DataError) as caught:
        load_dataset(directory)
    return [str(problem) for problem in caught.value.problems]


# A small valid dataset. Tests derive broken datasets from it with `replace`, so keep it
# stable: tests look lines up by their content and messages by their line number.
MINIMAL_FILES = dataset_files(
    {
        "id": "test-alliance",
        "name": "Test Alliance",
        "founders": ["ibm", "epfl"],
        "mission": "Test the loader.",
        "focus_areas": ["Testing"],
        "objectives": ["Find bugs"],
        "governance": "A board.",
        "figures": {"Members": "3", "Budget": {"value": "$1", "sources": ["https://example.org/budget"]}},
    },
    sections=[{"id": "history", "title": "History", "text": "It began."}],
    topics=[
        {"id": "openness", "title": "How open is open?", "summary": "Members disagree.", "members": ["ibm", "nasa"]}
    ],
    members=[
        {
            "id": "ibm",
            "name": "International Business Machines",
            "short_name": "IBM",
            "type": "company",
            "country": "US",
            "founding": True,
            "joined": date(2023, 12, 5),
            "summary": "Co-founder of the alliance.",
        },
        {
            "id": "epfl",
            "name": "Ecole Polytechnique Federale de Lausanne",
            "short_name": "EPFL",
            "type": "university",
            "country": "CH",
            "founding": True,
            "joined": date(2023, 12, 5),
            "summary": "Swiss university.",
        },
        {
            "id": "nasa",
            "name": "National Aeronautics and Space Administration",
            "type": "government",
            "country": "US",
            "founding": False,
            "joined": "2024-05",
            "summary": "Space agency.",
        },
    ],
    quotes=[
        {
            "id": "ibm-open",
            "text": "Open innovation wins.",
            "speaker": "Arvind Krishna",
            "role": "IBM Chairman and CEO",
            "member": "ibm",
            "date": date(2023, 12, 5),
            "lang": "en",
            "translations": {"fr": "L'innovation ouverte gagne."},
            "sources": ["https://example.org/quote"],
        }
    ],
    # In file order the day-precise May event comes before the month-only one.
    events=[
        {
            "id": "launch",
            "date": date(2023, 12, 5),
            "title": "Alliance launched",
            "summary": "IBM and EPFL launch the alliance.",
            "members": ["ibm", "epfl"],
            "tags": ["launch"],
        },
        {
            "id": "may-day",
            "date": date(2024, 5, 3),
            "title": "NASA workshop",
            "summary": "A workshop on a known day.",
            "members": ["nasa"],
            "sources": ["https://example.org/workshop"],
        },
        {
            "id": "may",
            "date": "2024-05",
            "title": "NASA joins",
            "summary": "Known only to the month.",
            "members": ["nasa"],
            "sources": ["https://example.org/joins"],
        },
    ],
    comments={"alliance.toml": "# The alliance itself.", "members.toml": "# Three members: two founding, one later."},
)
EVENTS_TOML = MINIMAL_FILES["events.toml"]
