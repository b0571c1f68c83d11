"""Finding 16 (years): years before 1000 are shown and indexed with 4 digits, as written.

Before: the timeline showed "999", the index held year "999" and "1", so `year:0001`
(the form the data and `show` use) found nothing. Now `year:1`, `year:0001`, `year:999`
and `year:0999` all find their records, and every place shows "0999".

The command runs in-process; the dataset and its index cache are made once for the module.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from index import PartialDate, load_dataset
from tests.builders import MINIMAL_FILES, toml_table, write_files
from tui.render import timeline_entries

from .helpers import alliance_in_process, assert_no_traceback

EARLY_EVENTS = [
    {
        "id": "first-light",
        "date": date(1, 3, 4),
        "title": "First light",
        "summary": "An event on a day of year one.",
        "sources": ["https://example.org/first"],
    },
    {
        "id": "millennium-eve",
        "date": "0999",
        "title": "Millennium eve",
        "summary": "An event known only to the year 999.",
        "sources": ["https://example.org/eve"],
    },
    {
        "id": "early-month",
        "date": "0042-07",
        "title": "Early month",
        "summary": "An event known to the month.",
        "sources": ["https://example.org/month"],
    },
]


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the module's runs keep their cache and config (the index is built once)."""
    return tmp_path_factory.mktemp("early-years")


@pytest.fixture(scope="module")
def data(home: Path) -> Path:
    events = "\n".join([MINIMAL_FILES["events.toml"], *(toml_table("event", e) for e in EARLY_EVENTS)])
    return write_files(home / "data", {**MINIMAL_FILES, "events.toml": events})


def cli_json(*args: str, data: Path, tmp: Path) -> object:
    done = alliance_in_process(*args, "--json", "--data", str(data), tmp=tmp)
    assert_no_traceback(done.stderr)
    return json.loads(done.stdout)


def test_human_dates_pad_the_year() -> None:
    assert PartialDate(999).human() == "0999"
    assert PartialDate(42, 7).human() == "Jul 0042"
    assert PartialDate(1, 3, 4).human() == "4 Mar 0001"
    assert str(PartialDate(1, 3, 4)) == "0001-03-04"
    assert PartialDate(2024, 5).human() == "May 2024"


def test_list_and_show(data: Path, home: Path) -> None:
    done = alliance_in_process("list", "events", "--data", str(data), tmp=home)
    rows = {line.split("\t")[0]: line.split("\t")[1] for line in done.stdout.decode().splitlines()}
    assert rows["first-light"] == "0001-03-04"
    assert rows["millennium-eve"] == "0999"
    assert rows["early-month"] == "0042-07"
    shown = alliance_in_process("show", "event:millennium-eve", "--data", str(data), tmp=home).stdout.decode()
    assert "date: 0999\n" in shown
    events = {e["id"]: e["date"] for e in cli_json("list", "events", data=data, tmp=home)}  # type: ignore[union-attr]
    assert events["millennium-eve"] == "0999" and events["first-light"] == "0001-03-04"


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("year:0001", "first-light"),
        ("year:1", "first-light"),
        ("year:999", "millennium-eve"),
        ("year:0999", "millennium-eve"),
        ("year:42", "early-month"),
        ("year:0042 kind:event", "early-month"),
        ("light year:0001", "first-light"),
    ],
)
def test_year_filter(query: str, found: str, data: Path, home: Path) -> None:
    result = cli_json("search", query, data=data, tmp=home)
    assert [h["id"] for h in result["hits"]] == [found], result  # type: ignore[index]


def test_year_facet_is_padded(data: Path, home: Path) -> None:
    result = cli_json("search", "event", data=data, tmp=home)
    years = result["facets"]["year"]  # type: ignore[index]
    assert {"0001", "0042", "0999"} <= set(years), years
    assert not {"1", "42", "999"} & set(years)


def test_other_years_unchanged(data: Path, home: Path) -> None:
    result = cli_json("search", "year:2024", data=data, tmp=home)
    assert {h["id"] for h in result["hits"]} >= {"may", "may-day"}  # type: ignore[index]


def test_timeline_headings(data: Path) -> None:
    dataset = load_dataset(data)
    headings = [e.text.plain for e in timeline_entries(dataset.events) if not e.selectable]
    assert headings[:3] == ["0001", "0042", "0999"], headings
    rows = [e.text.plain for e in timeline_entries(dataset.events) if e.ref == "event:millennium-eve"]
    assert rows and rows[0].startswith("0999 "), rows
