"""Field-by-field rules that turn raw TOML tables into typed values.

Each rule takes a raw value and returns the converted value or raises
FieldError with a message for people. `check_table` applies a spec (field name
-> Rule) to one table and reports every problem with file, line, record id and
field, e.g. `data/members.toml:41: member 'nasa': country: 'USA' is not ...`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from .countries import ALPHA3, COUNTRIES
from .dates import PartialDate, parse_partial_date
from .languages import LANGUAGES
from .locate import TableLines
from .model import Figure
from .problems import Problem, did_you_mean

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# C0 controls except tab and newline, DEL, and C1 controls: all can drive a terminal.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Bidirectional embeddings, overrides and isolates: invisible, and able to make text
# read differently from what it holds ("Trojan Source"). Marks (U+200E/F) stay allowed.
BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")
_NAMES = {"\x1b": "escape", "\x9b": "control sequence introducer", "\x07": "bell"}


class FieldError(ValueError):
    """A value broke a rule; the message is for people."""


def _type_name(value: object) -> str:
    names = {str: "a string", bool: "a boolean", int: "an integer", float: "a number", list: "a list", dict: "a table"}
    return names.get(type(value), type(value).__name__)


def text(value: Any) -> str:
    if not isinstance(value, str):
        raise FieldError(f"expected a string, got {_type_name(value)}")
    if not value.strip():
        raise FieldError("is empty")
    return value


def boolean(value: Any) -> bool:
    if not isinstance(value, bool):
        hint = " (write true or false, without quotes)" if isinstance(value, str) else ""
        raise FieldError(f"expected true or false, got {_type_name(value)}{hint}")
    return value


def slug(value: Any) -> str:
    value = text(value)
    if not SLUG.match(value):
        suggestion = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
        hint = f" (did you mean {suggestion!r}?)" if suggestion and SLUG.match(suggestion) else ""
        raise FieldError(f"{value!r} is not a valid id: use lowercase letters, digits and hyphens{hint}")
    return value


def date(value: Any) -> PartialDate:
    try:
        return parse_partial_date(value)
    except ValueError as exc:
        raise FieldError(str(exc)) from None


def url(value: Any) -> str:
    value = text(value)
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or any(c.isspace() for c in value):
        raise FieldError(f"{value!r} is not an http(s) URL")
    return value


def list_of(rule: Callable[[Any], Any], *, non_empty: bool = False) -> Callable[[Any], tuple[Any, ...]]:
    def check(value: Any) -> tuple[Any, ...]:
        if not isinstance(value, list):
            raise FieldError(f"expected a list, got {_type_name(value)}")
        if non_empty and not value:
            raise FieldError("needs at least one entry")
        out = []
        for position, item in enumerate(value, start=1):
            try:
                out.append(rule(item))
            except FieldError as exc:
                raise FieldError(f"entry {position}: {exc}") from None
        return tuple(out)

    return check


def country(value: Any) -> str:
    value = text(value)
    if value in COUNTRIES:
        return value
    guess = ""
    if value.upper() in COUNTRIES:
        guess = value.upper()
    elif value.upper() in ALPHA3:
        guess = ALPHA3[value.upper()]
    else:
        by_name = {name.lower(): code for code, name in COUNTRIES.items()}
        guess = by_name.get(value.lower(), "")
    hint = f" (did you mean {guess!r}?)" if guess else ""
    raise FieldError(f"{value!r} is not an ISO 3166-1 alpha-2 code{hint}")


def one_of(values: tuple[str, ...], what: str) -> Callable[[Any], str]:
    """A text that must be one of `values` ("'school' is not a member type; use one of …")."""

    def check(value: Any) -> str:
        value = text(value)
        if value not in values:
            hint = did_you_mean(value.lower(), values)
            raise FieldError(f"{value!r} is not a {what}; use one of {', '.join(values)}{hint}")
        return value

    return check


def integer(value: Any) -> int:
    """A whole number, 0 or more (TOML integers only: 205, not "205" or 205.0)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise FieldError(f"expected a whole number, got {_type_name(value)}")
    if value < 0:
        raise FieldError(f"{value} is negative")
    return value


def language(value: Any) -> str:
    value = text(value)
    if value not in LANGUAGES:
        hint = f" (did you mean {value.lower()!r}?)" if value.lower() in LANGUAGES else ""
        raise FieldError(f"{value!r} is not an ISO 639-1 language code{hint}")
    return value


def translations(value: Any) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, dict):
        raise FieldError(f"expected a table of language = text, got {_type_name(value)}")
    out = []
    for lang, rendering in value.items():
        try:
            out.append((language(lang), text(rendering)))
        except FieldError as exc:
            raise FieldError(f"{lang}: {exc}") from None
    return tuple(out)


# What part of a text a rendering renders: `all`, `sentence 2`, `sentences 1-2`,
# `part of sentence 1` (sentences counted from 1 in the original).
_RENDERS = re.compile(r"all|sentence [1-9][0-9]*|sentences ([1-9][0-9]*)-([1-9][0-9]*)|part of sentence [1-9][0-9]*")


def rendered_part(value: Any) -> str:
    value = text(value)
    found = _RENDERS.fullmatch(value)
    if found is None:
        raise FieldError(
            f"{value!r} is not a part of the text; write all, sentence N, sentences N-M or part of sentence N"
        )
    if found.group(1) and int(found.group(1)) >= int(found.group(2)):
        raise FieldError(f"{value!r}: the first sentence must come before the last")
    return value


def renders(value: Any) -> tuple[tuple[str, str], ...]:
    """Which part of the original each rendering renders: a table of language = part."""
    if not isinstance(value, dict):
        raise FieldError(f"expected a table of language = part, got {_type_name(value)}")
    out = []
    for lang, part in value.items():
        try:
            out.append((language(lang), rendered_part(part)))
        except FieldError as exc:
            raise FieldError(f"{lang}: {exc}") from None
    return tuple(out)


def figures(value: Any) -> tuple[Figure, ...]:
    if not isinstance(value, dict):
        raise FieldError(f"expected a table of label = value, got {_type_name(value)}")
    out = []
    for label, item in value.items():
        try:
            if isinstance(item, dict):
                unknown = set(item) - {"value", "sources"}
                if unknown:
                    raise FieldError(f"unknown key {sorted(unknown)[0]!r}; a figure has value and sources")
                if "value" not in item:
                    raise FieldError("missing value")
                out.append(Figure(label, text(item["value"]), list_of(url)(item.get("sources", []))))
            else:
                out.append(Figure(label, text(item)))
        except FieldError as exc:
            raise FieldError(f"{label!r}: {exc}") from None
    return tuple(out)


@dataclass(frozen=True)
class Rule:
    check: Callable[[Any], Any]
    required: bool = True
    # A table of language = value whose languages must each have an entry in this other
    # field's table (a quote's `renders.fr` needs its `translations.fr`).
    keyed_by: str = ""


def required(check: Callable[[Any], Any]) -> Rule:
    return Rule(check, True)


def optional(check: Callable[[Any], Any]) -> Rule:
    return Rule(check, False)


def optional_keyed_by(check: Callable[[Any], Any], other: str) -> Rule:
    """An optional table of language = value, each language also in the field `other`."""
    return Rule(check, False, keyed_by=other)


URLS = list_of(url, non_empty=True)
TEXTS = list_of(text)
IDS = list_of(slug)

SECTION = {
    "id": required(slug),
    "title": required(text),
    "text": optional(text),
    "items": optional(TEXTS),
    "sources": required(URLS),
    "note": optional(text),
}

COUNT = {
    "date": required(date),
    "members": required(integer),
    "countries": optional(integer),
    "qualifier": optional(one_of(("about", "more than"), "count qualifier")),
    "sort_as": optional(date),
    "sources": required(URLS),
    "note": optional(text),
}

ALLIANCE = {
    "id": required(slug),
    "name": required(text),
    "founded": required(date),
    "founders": required(list_of(slug, non_empty=True)),
    "mission": required(text),
    "website": required(url),
    "as_of": required(date),
    "focus_areas": required(TEXTS),
    "objectives": required(TEXTS),
    "governance": required(text),
    "figures": required(figures),
    "sources": required(URLS),
    "note": optional(text),
}


def _describe_char(text: str) -> str | None:
    found = CONTROL.search(text)
    if found:
        char = found.group()
        name = _NAMES.get(char) or unicodedata.name(char, "control character").lower()
        return (
            f"contains control character U+{ord(char):04X} ({name}) at position {found.start() + 1}; "
            "control and escape characters are not allowed in text"
        )
    found = BIDI.search(text)
    if found:
        char = found.group()
        return (
            f"contains U+{ord(char):04X} ({unicodedata.name(char).lower()}) at position {found.start() + 1}; "
            "bidirectional override and isolate characters are not allowed in text"
        )
    return None


def control_characters(value: Any) -> str | None:
    """Describe the first forbidden character anywhere in value (any depth), or None.

    Iterative, so deeply nested junk cannot exhaust the stack.
    """
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            found = _describe_char(item)
            if found:
                return found
        elif isinstance(item, list):
            stack.extend(reversed(item))
        elif isinstance(item, dict):
            for key, inner in reversed(list(item.items())):
                stack.append(inner)
                stack.append(key)
    return None


def describe(kind: str, table: dict[str, Any], position: int) -> str:
    """How messages name a record: "member 'nasa'", or "member #3" without a usable id."""
    record_id = table.get("id")
    if isinstance(record_id, str) and record_id and not CONTROL.search(record_id):
        return f"{kind} {record_id!r}"
    return f"{kind} #{position}"


def check_table(
    kind: str,
    table: Any,
    spec: dict[str, Rule],
    *,
    file: str,
    where: TableLines,
    position: int,
    extra_keys: tuple[str, ...] = (),
) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Apply a spec to one raw table: converted values (None if any problem) and problems."""
    if not isinstance(table, dict):
        return None, [Problem(file, where.line, 0, f"{kind} #{position}: expected a table, got {_type_name(table)}")]
    name = describe(kind, table, position)
    problems: list[Problem] = []
    values: dict[str, Any] = {}
    for key, raw in table.items():
        if key in extra_keys:
            continue
        line = where.of(key)
        rule = spec.get(key)
        if rule is None:
            hint = did_you_mean(key, spec)
            problems.append(Problem(file, line, 0, f"{name}: unknown field {key!r}{hint}"))
            continue
        bad = control_characters(raw)
        if bad:
            problems.append(Problem(file, line, 0, f"{name}: {key}: {bad}"))
            continue
        try:
            values[key] = rule.check(raw)
        except FieldError as exc:
            problems.append(Problem(file, line, 0, f"{name}: {key}: {exc}"))
    for key, rule in spec.items():
        # Checked only when both fields are valid: a broken `translations` is its own problem.
        if rule.keyed_by and key in values and (rule.keyed_by in values or rule.keyed_by not in table):
            have = {lang for lang, _value in values.get(rule.keyed_by, ())}
            for lang, _value in values[key]:
                if lang not in have:
                    problems.append(
                        Problem(
                            file, where.of(key), 0, f"{name}: {key}: {lang}: no {rule.keyed_by}.{lang} to go with it"
                        )
                    )
    for key, rule in spec.items():
        if rule.required and key not in table:
            problems.append(Problem(file, where.line, 0, f"{name}: missing required field {key!r}"))
    return (None if problems else values), problems
