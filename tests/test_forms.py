"""French forms from CLDR through Babel (issue 16), and English as it always was."""

from __future__ import annotations

import subprocess
import sys

import pytest

from index.dates import PartialDate
from index.forms import country_name, human_date, language_name, number, type_value, type_word

NNBSP = "\u202f"  # CLDR's French group separator: a narrow no-break space


@pytest.mark.parametrize(
    ("date", "english", "french"),
    [
        (PartialDate(2023, 12, 5), "5 Dec 2023", "5 déc. 2023"),
        (PartialDate(2023, 7), "Jul 2023", "juil. 2023"),
        (PartialDate(2024, 5), "May 2024", "mai 2024"),
        (PartialDate(2024, 2, 29), "29 Feb 2024", "29 févr. 2024"),
        (PartialDate(2024), "2024", "2024"),
        (PartialDate(999, 1, 1), "1 Jan 0999", "1 janv. 0999"),  # years as the data writes them
    ],
)
def test_dates(date: PartialDate, english: str, french: str) -> None:
    assert human_date(date, "en") == english
    assert human_date(date, "fr") == french


def test_numbers() -> None:
    assert number(1_000_000, "en") == "1,000,000"
    assert number(1_000_000, "fr") == f"1{NNBSP}000{NNBSP}000"
    assert number(85, "fr") == "85"


@pytest.mark.parametrize(
    ("code", "english", "french"),
    [("CH", "Switzerland", "Suisse"), ("AE", "United Arab Emirates", "Émirats arabes unis"), ("JP", "Japan", "Japon")],
)
def test_country_names(code: str, english: str, french: str) -> None:
    assert country_name(code, "en") == english
    assert country_name(code, "fr") == french
    assert country_name(code.lower(), "fr") == french
    assert country_name("", "fr") == ""


def test_language_names() -> None:
    assert language_name("fr", "en") == "French"
    assert language_name("en", "fr") == "anglais"
    assert language_name("fr", "fr") == "français"
    assert language_name("zz", "fr") == "zz"


def test_type_words_both_ways() -> None:
    assert type_word("university", "fr") == "université"
    assert type_word("university", "en") == "university"
    for typed in ("université", "Universite", "UNIVERSITÉ", "university"):
        assert type_value(typed) == "university"
    assert type_value("groupe-de-travail") == "working-group"
    assert type_value("groupe de travail") == "working-group"
    assert type_value("nonsense") == "nonsense"


def test_english_never_imports_babel() -> None:
    code = (
        "import sys\nfrom index.forms import human_date, number, country_name\nfrom index.dates import PartialDate\n"
        "human_date(PartialDate(2023, 12, 5), 'en'); number(5, 'en'); country_name('CH', 'en')\n"
        "print('babel' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip() == "False", done.stderr
