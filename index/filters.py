"""The search filters people type before a colon (`country:CH`), as one table.

The query parser (index/search.py), the options of `alliance search`, the explorer's
search help and the README's syntax list are all built from `FILTERS`; a test checks
that each filter names a field of the schema and that the README lists them all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .dates import year_text
from .model import KINDS, MEMBER_TYPES

# How people may write yes and no (founding:true, founding:later, ...).
_YES_NO = {"yes": "yes", "true": "yes", "1": "yes", "no": "no", "false": "no", "0": "no", "later": "no"}


def _lower(value: str) -> str:
    return value.lower()


def _yes_no(value: str) -> str:
    return _YES_NO.get(value.lower(), value.lower())


def _year(value: str) -> str:
    # Years are indexed with 4 digits: year:1 is 0001 (see dates.year_text).
    if value.isascii() and value.isdigit() and len(value) <= 4:
        return year_text(int(value))
    return value


@dataclass(frozen=True)
class Filter:
    """One `name:value` filter: what it matches and how to say it."""

    name: str  # typed before the colon; also the CLI option (--name)
    field: str  # the index field searched (index/schema.py)
    values: str  # what it takes, as help shows it: "member|quote|event|topic", "CC"
    example: str  # a value that works on the bundled data
    help: str  # what it keeps, in a few words
    choices: tuple[str, ...] = ()  # a closed set of values (the CLI checks them)
    normalise: Callable[[str], str] = _lower  # the value as indexed
    prefix: bool = False  # from 2 letters a value also matches as a prefix

    @property
    def syntax(self) -> str:
        """`name:values`, as the help lists it."""
        return f"{self.name}:{self.values}"


FILTERS: tuple[Filter, ...] = (
    Filter("kind", "kind", "|".join(KINDS), "member", "one kind of record", choices=KINDS),
    Filter("type", "type", "|".join(MEMBER_TYPES), "university", "members of one type", choices=MEMBER_TYPES),
    Filter("country", "country", "CC", "CH", "members of one country (ISO 3166-1 alpha-2 code)"),
    Filter("year", "year", "YYYY", "2024", "members who joined, quotes and events dated that year", normalise=_year),
    Filter(
        "founding",
        "founding",
        "yes|no",
        "yes",
        "founding members, or (no) those who joined later",
        choices=("yes", "no"),
        normalise=_yes_no,
    ),
    Filter("speaker", "speaker", "NAME", "howard", "quotes by a speaker (a name or its first letters)", prefix=True),
    Filter("lang", "lang", "CODE", "fr", "quotes in (or translated to) a language (ISO 639-1 code)"),
)

BY_NAME: dict[str, Filter] = {f.name: f for f in FILTERS}
BY_FIELD: dict[str, Filter] = {f.field: f for f in FILTERS}


def syntax_line(filters: Iterable[Filter] = FILTERS) -> str:
    """One line for help texts: `kind:member|quote|event|topic, type:…, country:CC, …`."""
    return ", ".join(f.syntax for f in filters)


def examples_line(filters: Iterable[Filter] = FILTERS) -> str:
    """Typed as people would: `kind:member type:university country:CH …`."""
    return " ".join(f"{f.name}:{f.example}" for f in filters)


def markdown_table(filters: Iterable[Filter] = FILTERS) -> str:
    """The README's list of filters (tests/test_filters.py checks the README holds it)."""
    rows = ["| filter | keeps | example |", "|---|---|---|"]
    rows += [f"| `{f.syntax}` | {f.help} | `{f.name}:{f.example}` |" for f in filters]
    return "\n".join(rows)
