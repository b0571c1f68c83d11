"""The CLDR forms the interface uses, for one language, as a small table read at start.

index/forms.py writes dates, numbers, country and language names from CLDR. Babel holds
CLDR, but importing it and loading a locale costs about 30 ms, which a French first frame
(the Overview shows dates and countries) cannot pay within 1.15x of a bare Textual app. So
the build (hatch_build.py) asks Babel once for what the forms need and writes it next to the
catalogs, as `index/locales/<lang>/cldr.json` (not committed, like the `.mo` files); the
interface reads that table. Without it (a source checkout never built), the same table is
asked of Babel at first use.

Standalone on purpose (no imports from the package): the build hook loads it by path, in
an environment that has Babel and nothing else of ours.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

# Bump when the table's shape changes: a table of another version is asked of Babel again.
VERSION = 1
LOCALES = Path(__file__).with_name("locales")


def table_path(lang: str) -> Path:
    return LOCALES / lang / "cldr.json"


def from_babel(lang: str) -> dict[str, Any]:
    """What index/forms.py needs of CLDR for `lang`, from Babel."""
    from babel import Locale

    locale = Locale.parse(lang)
    months = locale.months
    grouping = locale.decimal_formats[None].grouping  # (primary, secondary) group sizes
    symbols: Any = locale.number_symbols
    return {
        "version": VERSION,
        "lang": lang,
        # 'MMM' in a date ("5 déc.") and 'LLL' alone ("déc. 2023" is written LLL y)
        "month_in_date": {str(m): str(name) for m, name in months["format"]["abbreviated"].items()},
        "month_alone": {str(m): str(name) for m, name in months["stand-alone"]["abbreviated"].items()},
        "group": str(symbols.get("latn", symbols)["group"]),  # keyed by numbering system since Babel 2.14
        "grouping": list(grouping),
        "territories": {code: str(name) for code, name in locale.territories.items() if len(code) == 2},
        "languages": {code: str(name) for code, name in locale.languages.items() if len(code) == 2},
    }


def write_table(lang: str, path: Path | None = None) -> Path:
    """Write `lang`'s table (the build's step); returns where."""
    path = path or table_path(lang)
    text = json.dumps(from_babel(lang), ensure_ascii=False, sort_keys=True, indent=0)
    if not path.is_file() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return path


def load_table(lang: str) -> dict[str, Any]:
    """`lang`'s table as the build wrote it; asked of Babel if there is none (or an old one)."""
    try:
        table = json.loads(table_path(lang).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        table = None
    if not isinstance(table, dict) or table.get("version") != VERSION or table.get("lang") != lang:
        table = from_babel(lang)
    return table
