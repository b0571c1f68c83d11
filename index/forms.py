"""Dates, numbers, country, language and type names in the interface's language.

English keeps the forms the explorer always had (`PartialDate.human`, the COUNTRIES table,
`f"{n:,}"`). Another language takes CLDR's forms through Babel: "5 déc. 2023", "juil. 2023",
"1 000 000" (with CLDR's narrow no-break space), "Suisse", "Émirats arabes unis", "anglais".
The build asks Babel for them once and keeps them in a small table (index/cldr.py), so
neither Babel nor its locale data load on the way to a first frame, in any language.

Type words (a member's `university`, a group's `chapter`) are the data's own values, the same
in every language in filters and JSON; `type_word` names them for people.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from .dates import PartialDate, year_text
from .i18n import language

# How each language of ours names the data's type values (French here: CLDR has no such
# words). Used to show them and to find them: "université" searches as "university".
TYPE_WORDS: dict[str, dict[str, str]] = {
    "fr": {
        "company": "entreprise",
        "university": "université",
        "research": "recherche",
        "nonprofit": "association",
        "government": "administration",
        "working-group": "groupe de travail",
        "focus-area": "domaine d’action",
        "chapter": "section",
        "managed": "géré",
        "supported": "soutenu",
        "member-run": "mené par un membre",
    },
}


@lru_cache(maxsize=4)
def _table(lang: str) -> dict[str, Any]:
    """CLDR's forms for `lang`, as the build extracted them from Babel (index/cldr.py)."""
    from .cldr import load_table

    return load_table(lang)


def human_date(date: PartialDate, lang: str | None = None) -> str:
    """'5 Dec 2023', 'May 2024', '2023'; in French '5 déc. 2023', 'mai 2024', '2023'.

    CLDR's 'd MMM' or 'LLL' then the year, always with 4 digits ('0999'), as the data writes
    them."""
    lang = lang or language()
    if lang == "en" or not date.month:
        return date.human()
    table = _table(lang)
    if date.day:
        return f"{date.day} {table['month_in_date'][str(date.month)]} {year_text(date.year)}"
    return f"{table['month_alone'][str(date.month)]} {year_text(date.year)}"


def number(value: int, lang: str | None = None) -> str:
    """'1,000,000'; in French '1 000 000' (CLDR's group separator, a narrow no-break space)."""
    lang = lang or language()
    if lang == "en":
        return f"{value:,}"
    table = _table(lang)
    digits, sign = str(abs(value)), "-" if value < 0 else ""
    primary, secondary = [*table["grouping"], 3, 3][:2]
    groups = [digits[-primary:]] if len(digits) > primary else [digits]
    rest = digits[:-primary] if len(digits) > primary else ""
    while rest:
        groups.insert(0, rest[-secondary:])
        rest = rest[:-secondary]
    return sign + table["group"].join(groups)


def country_name(code: str, lang: str | None = None) -> str:
    """The name of an ISO 3166-1 country: 'Switzerland'; in French 'Suisse' ('' for '')."""
    if not code:
        return ""
    lang = lang or language()
    if lang != "en":
        name = _table(lang)["territories"].get(code.upper())
        if name:
            return str(name)
    from .countries import COUNTRIES

    return COUNTRIES.get(code.upper(), code)


def language_name(code: str, lang: str | None = None) -> str:
    """The name of an ISO 639-1 language: 'French'; in French 'français' (the code if unknown)."""
    if not code:
        return ""
    lang = lang or language()
    if lang != "en":
        name = _table(lang)["languages"].get(code.lower())
        if name:
            return str(name)
    from .languages import LANGUAGES

    return LANGUAGES.get(code.lower(), code)


def type_word(value: str, lang: str | None = None) -> str:
    """A type value as people read it: 'university'; in French 'université'."""
    lang = lang or language()
    return TYPE_WORDS.get(lang, {}).get(value, value)


def type_value(word: str) -> str:
    """The data's type value for a word of any of our languages ('université', 'universite'
    and 'University' are 'university'); the word itself (lower case) if it names none."""
    folded = _fold(word)
    for words in TYPE_WORDS.values():
        for value, name in words.items():
            if _fold(name) == folded or _fold(name).replace(" ", "-") == folded:
                return value
    return word.lower()


def _fold(text: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))
