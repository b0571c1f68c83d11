"""The CLDR table the build writes (index/cldr.py) gives exactly Babel's forms, and keeps
Babel off the French first frame."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from index import cldr, forms
from index.dates import PartialDate

babel = pytest.importorskip("babel", reason="Babel is a dependency of the package (pyproject.toml)")

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(params=["table", "babel"])
def table(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[str]:
    """The forms from the build's table, then with no table (asked of Babel at first use)."""
    forms._table.cache_clear()
    built = request.param == "table"
    path = cldr.write_table("fr", tmp_path / "cldr.json") if built else tmp_path / "none.json"
    monkeypatch.setattr(cldr, "table_path", lambda lang: path)
    yield request.param
    forms._table.cache_clear()


def test_dates_are_babels(table: str) -> None:
    from babel.dates import format_date

    for month in range(1, 13):
        day = PartialDate(2023, month, 5)
        assert forms.human_date(day, "fr") == f"{format_date(date(2023, month, 5), 'd MMM', locale='fr')} 2023"
        alone = PartialDate(2024, month, None)
        assert forms.human_date(alone, "fr") == f"{format_date(date(2024, month, 1), 'LLL', locale='fr')} 2024"


@pytest.mark.parametrize("value", [0, 7, 999, 1000, 1234, 99999, 100000, 1234567, -4321])
def test_numbers_are_babels(table: str, value: int) -> None:
    from babel.numbers import format_decimal

    assert forms.number(value, "fr") == format_decimal(value, locale="fr")


def test_names_are_babels(table: str) -> None:
    from babel import Locale

    locale = Locale.parse("fr")
    for code in ("CH", "AE", "US", "JP", "FR"):
        assert forms.country_name(code, "fr") == locale.territories[code]
    for code in ("en", "fr", "de", "ja"):
        assert forms.language_name(code, "fr") == locale.languages[code]


def test_an_old_table_is_asked_of_babel_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "cldr.json"
    path.write_text(json.dumps({"version": 0, "lang": "fr", "month_in_date": {}}), encoding="utf-8")
    monkeypatch.setattr(cldr, "table_path", lambda lang: path)
    assert cldr.load_table("fr")["month_in_date"]["12"] == "déc."


PROBE = """
import asyncio, sys
from index.i18n import set_language
set_language("fr")
from index import bundled_data_dir, load_dataset
from tui.app import AllianceApp
first = []
class Probe(AllianceApp):
    CSS_PATH = AllianceApp.CSS_PATH
    def _display(self, screen, renderable):
        if not first:
            first.append(any(name == "babel" or name.startswith("babel.") for name in sys.modules))
        return super()._display(screen, renderable)
async def main():
    app = Probe(load_dataset(bundled_data_dir()), build_index=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.2)
        shown = " ".join(e.text.plain for e in app.pane("overview").list.entries)
    print("babel at first frame:", first[0], "|", "déc. 2023" in shown)
asyncio.run(main())
"""


def test_the_french_first_frame_does_not_import_babel(tmp_path: Path) -> None:
    """With the table the build writes, a French explorer draws its dates without Babel."""
    cldr.write_table("fr")  # what the build does (hatch_build.py)
    done = subprocess.run(
        [sys.executable, "-c", PROBE.replace("AllianceApp.CSS_PATH", repr(str(REPO / "tui" / "app.tcss")))],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "babel at first frame: False | True" in done.stdout, done.stdout + done.stderr[-2000:]
