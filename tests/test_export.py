"""index/export.py: records as CSV, JSON and Markdown text, and `--sort FIELD[:desc]`.

Any text survives CSV and JSON exactly (hypothesis), and stays one inert cell in Markdown.
Each property runs a few dozen examples in the fast lane and more in its `slow` twin."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from index import PartialDate, load_dataset, to_json
from index.export import (
    FORMATS,
    MIXED_HEADINGS,
    UnknownField,
    export_text,
    format_for,
    md_cell,
    sort_records,
    table,
    to_csv,
    to_json_text,
    to_markdown,
)
from index.kinds import get_kind
from index.kinds.member import Member
from index.kinds.quote import Quote
from tests.builders import BUNDLED

MEMBER = get_kind("member")
QUOTE = get_kind("quote")
SETTINGS = {"deadline": None, "database": None, "suppress_health_check": [HealthCheck.too_slow]}


def member(name: str = "Acme", *, id: str = "acme", country: str = "US", founding: bool = True, **kw) -> Member:
    return Member(
        id=id,
        name=name,
        type=kw.pop("type", "company"),
        founding=founding,
        summary=kw.pop("summary", "Builds things."),
        sources=("https://example.org/acme",),
        country=country,
        **kw,
    )


def quote(text: str, id: str = "q") -> Quote:
    return Quote(
        id=id,
        text=text,
        speaker="Ada",
        role="CEO",
        date=PartialDate(2024, 5),
        lang="en",
        sources=("https://example.org/q",),
    )


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def md_unescape(cell: str) -> str:
    """What a Markdown reader shows for a cell md_cell wrote (`<br>` as a line break)."""
    return re.sub(r"\\(.)", r"\1", cell.replace("<br>", "\n"))


def md_cells(line: str) -> list[str]:
    """A table row's cells: split at the pipes no backslash escapes."""
    assert line.startswith("| ") and line.endswith(" |"), line
    return [c.strip(" ") for c in re.split(r"(?<!\\)((?:\\\\)*)\|", line[2:-2]) if c is not None][::2]


# -- formats ---------------------------------------------------------------------


def test_csv_has_the_kind_columns() -> None:
    records = [member("Acme, Inc."), member("Zeta", id="zeta", country="", founding=False)]
    assert csv_rows(to_csv(records)) == [
        ["id", "name", "type", "country", "founding"],
        ["acme", "Acme, Inc.", "company", "US", "founding"],
        ["zeta", "Zeta", "company", "", "later"],
    ]


def test_a_quote_is_exported_whole() -> None:
    text = " ".join(f"word{i}" for i in range(40))  # `list` once cut it at 12 words
    rows = csv_rows(to_csv([quote(text)]))
    assert rows == [["id", "date", "speaker", "text"], ["q", "2024-05", "Ada", text]]


def test_json_is_the_list_json_objects() -> None:
    records = [member(), quote("Hello")]
    assert json.loads(to_json_text(records)) == [to_json(r) for r in records]
    assert to_json_text([]) == "[]\n"


def test_several_kinds_share_kind_id_title() -> None:
    records = [member(), quote("Open source is the backbone.")]
    headings, rows = table(records)
    assert headings == MIXED_HEADINGS
    assert rows == [("member", "acme", "Acme"), ("quote", "q", "Ada: Open source is the backbone.")]


def test_an_empty_list_keeps_the_kind_headings() -> None:
    assert to_csv([], MEMBER) == "id,name,type,country,founding\r\n"
    assert to_markdown([], MEMBER) == "| id | name | type | country | founding |\n|---|---|---|---|---|\n"


def test_markdown_escapes_pipes_markup_and_line_breaks() -> None:
    assert md_cell("a|b") == "a\\|b"
    assert md_cell("one\ntwo\r\nthree\u2028four") == "one<br>two<br>three<br>four"
    assert md_cell("*bold* _it_ `code` [link](x) <b>&amp; \\") == (
        "\\*bold\\* \\_it\\_ \\`code\\` \\[link\\](x) \\<b\\>\\&amp; \\\\"
    )
    assert md_cell("tab\there") == "tab here"


def test_export_text_dispatches_and_refuses_unknown_formats() -> None:
    records = [member()]
    assert export_text(records, "csv") == to_csv(records)
    assert export_text(records, "json") == to_json_text(records)
    assert export_text(records, "md") == to_markdown(records)
    with pytest.raises(ValueError, match="xlsx"):
        export_text(records, "xlsx")
    assert FORMATS == ("csv", "json", "md")


@pytest.mark.parametrize(
    ("path", "fmt"),
    [
        ("members.csv", "csv"),
        ("out/Quotes.JSON", "json"),
        ("~/list.md", "md"),
        ("notes.markdown", "md"),
        ("members", "csv"),
        ("members.txt", "csv"),
        (".md", "csv"),  # a hidden file named ".md" has no extension
    ],
)
def test_format_for_a_file_name(path: str, fmt: str) -> None:
    assert format_for(path) == fmt


# -- sort ------------------------------------------------------------------------


def test_sort_by_a_column_both_ways_with_empty_values_last() -> None:
    records = [member("b", id="b", country="US"), member("a", id="a", country=""), member("c", id="c", country="CH")]
    assert [r.id for r in sort_records(records, MEMBER, "country")] == ["c", "b", "a"]
    assert [r.id for r in sort_records(records, MEMBER, "country:desc")] == ["b", "c", "a"]
    assert [r.id for r in sort_records(records, MEMBER, "name:asc")] == ["a", "b", "c"]


def test_sort_ignores_case_and_keeps_ties_in_order() -> None:
    records = [member("beta", id="x1"), member("Alpha", id="x2"), member("beta", id="x3")]
    assert [r.id for r in sort_records(records, MEMBER, "name")] == ["x2", "x1", "x3"]
    assert [r.id for r in sort_records(records, MEMBER, "name:desc")] == ["x1", "x3", "x2"]


def test_sort_by_an_unknown_field_lists_the_fields() -> None:
    with pytest.raises(UnknownField) as caught:
        sort_records([member()], MEMBER, "joined")
    assert caught.value.fields == ("id", "name", "type", "country", "founding")
    assert "use one of id, name, type, country, founding" in str(caught.value)
    with pytest.raises(ValueError, match="direction"):
        sort_records([member()], MEMBER, "name:sideways")


def test_bundled_members_sorted_by_country_descending() -> None:
    dataset = load_dataset(BUNDLED)
    countries = [m.country for m in sort_records(dataset.members, MEMBER, "country:desc")]
    filled = [c for c in countries if c]
    assert filled == sorted(filled, reverse=True)
    assert countries[len(filled) :] == [""] * (len(countries) - len(filled))


# -- any text --------------------------------------------------------------------

# Any text but lone surrogates (a dataset is UTF-8 TOML: it cannot hold them).
texts = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)


def _round_trips(name: str, summary: str, words: str) -> None:
    records = [member(name, summary=summary), quote(words or "x")]
    rows = csv_rows(to_csv(records[:1]))
    assert rows[1][1] == name
    assert csv_rows(to_csv(records[1:]))[1][3] == (words or "x")
    assert json.loads(to_json_text(records)) == [to_json(r) for r in records]
    assert json.loads(to_json_text(records))[0]["summary"] == summary
    lines = to_markdown(records[:1]).split("\n")
    assert len(lines) == 4 and lines[3] == ""  # headings, rule, one row: no line break got out
    cells = md_cells(lines[2])
    assert len(cells) == 5, lines[2]
    shown = re.sub(r"\r\n|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]", "\n", name).replace("\t", " ")
    assert md_unescape(cells[1]) == shown.strip(" ")


@settings(max_examples=60, **SETTINGS)
@given(name=texts, summary=texts, words=texts)
def test_any_text_round_trips(name: str, summary: str, words: str) -> None:
    _round_trips(name, summary, words)


@pytest.mark.slow
@settings(max_examples=600, **SETTINGS)
@given(name=texts, summary=texts, words=texts)
def test_any_text_round_trips_full(name: str, summary: str, words: str) -> None:
    _round_trips(name, summary, words)
