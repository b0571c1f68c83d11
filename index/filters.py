"""The search filters people type before a colon (`country:CH`), as one table.

The query parser (index/search.py), the options of `alliance search`, the explorer's
search help and the README's syntax list are all built from `FILTERS`; a test checks
that each filter names a field of the schema and that the README lists them all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from .dates import year_text
from .frozen import frozen
from .kinds import kind_names
from .model import GROUP_TYPES, MEMBER_TYPES, PROJECT_STATUSES

# How people may write yes and no (founding:true, founding:later, ...).
_YES_NO = {"yes": "yes", "true": "yes", "1": "yes", "no": "no", "false": "no", "0": "no", "later": "no"}


def _lower(value: str) -> str:
    return value.lower()


def _type(value: str) -> str:
    """A type as indexed: the data's value, also when typed in French (`type:université`)."""
    from .forms import type_value

    return type_value(value)


def _yes_no(value: str) -> str:
    return _YES_NO.get(value.lower(), value.lower())


def _year(value: str) -> str:
    # Years are indexed with 4 digits: year:1 is 0001 (see dates.year_text).
    if value.isascii() and value.isdigit() and len(value) <= 4:
        return year_text(int(value))
    return value


def _kinds() -> tuple[str, ...]:
    return kind_names()  # as registered now: a kind added later is a value too


def _types() -> tuple[str, ...]:
    return (*MEMBER_TYPES, *GROUP_TYPES)


def _statuses() -> tuple[str, ...]:
    return PROJECT_STATUSES


def _yes_no_values() -> tuple[str, ...]:
    return ("yes", "no")


@frozen
class Filter:
    """One `name:value` filter: what it matches and how to say it."""

    name: str  # typed before the colon; also the CLI option (--name)
    field: str  # the index field searched (index/schema.py)
    example: str  # a value that works on the bundled data
    help: str  # what it keeps, in a few words
    hint: str = ""  # what an open set of values looks like, as help shows it: "CC", "YYYY"
    closed: Callable[[], tuple[str, ...]] | None = None  # a closed set of values (the CLI checks them)
    normalise: Callable[[str], str] = _lower  # the value as indexed
    prefix: bool = False  # from 2 letters a value also matches as a prefix

    @property
    def choices(self) -> tuple[str, ...]:
        """The values it takes, if they are a closed set (else ())."""
        return self.closed() if self.closed is not None else ()

    @property
    def values(self) -> str:
        """What it takes, as help shows it: "member|quote|event|topic" or "CC"."""
        return "|".join(self.choices) if self.closed is not None else self.hint

    @property
    def syntax(self) -> str:
        """`name:values`, as the help lists it."""
        return f"{self.name}:{self.values}"


FILTERS: tuple[Filter, ...] = (
    Filter("kind", "kind", "member", "one kind of record", closed=_kinds),
    Filter("type", "type", "university", "members or groups of one type", closed=_types, normalise=_type),
    Filter("country", "country", "CH", "members of one country (ISO 3166-1 alpha-2 code)", hint="CC"),
    Filter(
        "year",
        "year",
        "2024",
        "members who joined (or were listed), quotes, events, projects and groups started that year",
        hint="YYYY",
        normalise=_year,
    ),
    Filter(
        "founding",
        "founding",
        "yes",
        "founding members, or (no) those who joined later",
        closed=_yes_no_values,
        normalise=_yes_no,
    ),
    Filter("status", "status", "managed", "projects of one status", closed=_statuses, normalise=_type),
    Filter(
        "speaker", "speaker", "howard", "quotes by a speaker (a name or its first letters)", hint="NAME", prefix=True
    ),
    Filter("lang", "lang", "fr", "quotes in (or translated to) a language (ISO 639-1 code)", hint="CODE"),
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
    # A | inside a cell, even in code, ends the cell unless escaped.
    rows += [f"| `{f.syntax.replace('|', chr(92) + '|')}` | {f.help} | `{f.name}:{f.example}` |" for f in filters]
    return "\n".join(rows)
