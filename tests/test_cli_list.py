"""`alliance list`: whole text when piped, members by name, `--format csv|md|json` and
`--sort FIELD[:desc]` (issue 14). Run in-process (tests/cli_runner.py)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from index import load_dataset
from index.kinds import get_kind
from tests.builders import BUNDLED, replace
from tests.test_cli import alliance
from tui.output import flat

MEMBER_FIELDS = "id, name, type, country, founding"


def lines(result) -> list[str]:
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_piped_quotes_are_whole_one_per_line() -> None:
    dataset = load_dataset(BUNDLED)
    out = lines(alliance("list", "quotes", "--data", str(BUNDLED)))
    assert len(out) == len(dataset.quotes)
    texts = {line.split("\t")[0]: line.split("\t")[3] for line in out}
    for quote in dataset.quotes:
        assert texts[quote.id] == flat(quote.text)  # not its first 12 words and "…"


def test_members_are_listed_by_name() -> None:
    dataset = load_dataset(BUNDLED)
    out = lines(alliance("list", "members", "--data", str(BUNDLED)))
    expected = [m.id for m in sorted(dataset.members, key=lambda m: m.name.casefold())]
    assert [line.split("\t")[0] for line in out] == expected
    assert expected != [m.id for m in dataset.members]  # file order would not pass


@pytest.fixture
def awkward(minimal_dataset: Path) -> Path:
    """The minimal dataset with a member name holding a pipe, a comma, quotes and a line break."""
    replace(
        minimal_dataset,
        "members.toml",
        'name = "Ecole Polytechnique Federale de Lausanne"',
        'name = "EPFL | \\"Ecole\\", *Lausanne*\\nCH"',
    )
    return minimal_dataset


def test_csv_has_the_columns_and_the_exact_text(awkward: Path) -> None:
    result = alliance("list", "members", "--format", "csv", "--data", str(awkward))
    assert result.returncode == 0 and result.stderr == ""
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == MEMBER_FIELDS.split(", ")
    assert rows[1:] == [
        ["epfl", 'EPFL | "Ecole", *Lausanne*\nCH', "university", "CH", "founding"],
        ["ibm", "International Business Machines", "company", "US", "founding"],
        ["nasa", "National Aeronautics and Space Administration", "government", "US", "later"],
    ]


def test_markdown_is_a_table_with_inert_text(awkward: Path) -> None:
    result = alliance("list", "members", "--format", "md", "--data", str(awkward))
    assert result.returncode == 0
    assert result.stdout.splitlines() == [
        "| id | name | type | country | founding |",
        "|---|---|---|---|---|",
        '| epfl | EPFL \\| "Ecole", \\*Lausanne\\*<br>CH | university | CH | founding |',
        "| ibm | International Business Machines | company | US | founding |",
        "| nasa | National Aeronautics and Space Administration | government | US | later |",
    ]


def test_format_json_is_list_json(minimal_dataset: Path) -> None:
    by_format = alliance("list", "quotes", "--format", "json", "--data", str(minimal_dataset))
    by_flag = alliance("list", "quotes", "--json", "--data", str(minimal_dataset))
    assert by_format.returncode == by_flag.returncode == 0
    assert by_format.stdout == by_flag.stdout
    assert json.loads(by_format.stdout)[0]["text"] == "Open innovation wins."


def test_format_tsv_is_the_piped_form(minimal_dataset: Path) -> None:
    tsv = alliance("list", "members", "--format", "tsv", "--data", str(minimal_dataset))
    piped = alliance("list", "members", "--data", str(minimal_dataset))
    assert tsv.stdout == piped.stdout and tsv.stdout.count("\t") == 12


@pytest.mark.parametrize(
    ("sort", "ids"),
    [
        ("name", ["epfl", "ibm", "nasa"]),
        ("name:desc", ["nasa", "ibm", "epfl"]),
        ("NAME:DESC", ["nasa", "ibm", "epfl"]),
        ("id:asc", ["epfl", "ibm", "nasa"]),
        ("country", ["epfl", "ibm", "nasa"]),  # ties keep the default order (by name)
        ("country:desc", ["ibm", "nasa", "epfl"]),
        ("founding:desc", ["nasa", "epfl", "ibm"]),
    ],
)
def test_sort(minimal_dataset: Path, sort: str, ids: list[str]) -> None:
    for shape in ([], ["--format", "csv"], ["--json"]):
        result = alliance("list", "members", "--sort", sort, *shape, "--data", str(minimal_dataset))
        assert result.returncode == 0, result.stderr
        if shape == ["--json"]:
            found = [r["id"] for r in json.loads(result.stdout)]
        elif shape:
            found = [row[0] for row in csv.reader(io.StringIO(result.stdout))][1:]
        else:
            found = [line.split("\t")[0] for line in result.stdout.splitlines()]
        assert found == ids, (sort, shape)


def test_sort_by_date_of_events(minimal_dataset: Path) -> None:
    out = lines(alliance("list", "events", "--sort", "date:desc", "--data", str(minimal_dataset)))
    assert [line.split("\t")[1] for line in out] == ["2024-05-03", "2024-05", "2023-12-05"]


def test_sort_by_an_unknown_field_names_the_fields(minimal_dataset: Path) -> None:
    result = alliance("list", "members", "--sort", "joined", "--data", str(minimal_dataset))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr == f"alliance: --sort: members have no field 'joined'; use one of {MEMBER_FIELDS}\n"
    quotes = alliance("list", "quotes", "--sort", "name", "--data", str(minimal_dataset))
    assert quotes.returncode == 2
    assert ", ".join(get_kind("quote").headings) in quotes.stderr


def test_sort_with_a_bad_direction_is_bad_usage(minimal_dataset: Path) -> None:
    result = alliance("list", "members", "--sort", "name:up", "--data", str(minimal_dataset))
    assert (result.returncode, result.stdout) == (2, "")
    assert "FIELD:desc" in result.stderr


def test_json_and_format_together_is_bad_usage(minimal_dataset: Path) -> None:
    result = alliance("list", "members", "--json", "--format", "csv", "--data", str(minimal_dataset))
    assert (result.returncode, result.stdout) == (2, "")
    assert "not allowed with" in result.stderr


def test_an_unknown_format_is_bad_usage(minimal_dataset: Path) -> None:
    result = alliance("list", "members", "--format", "xlsx", "--data", str(minimal_dataset))
    assert result.returncode == 2 and "invalid choice" in result.stderr


def test_nothing_found_in_csv_is_the_header_and_exit_1(minimal_dataset: Path) -> None:
    result = alliance("list", "members", "--country", "NZ", "--format", "csv", "--data", str(minimal_dataset))
    assert (result.returncode, result.stdout) == (1, "id,name,type,country,founding\r\n")
