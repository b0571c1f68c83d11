"""The command line's messages, translated without importing the translations in English.

index.i18n is imported only when a language other than English may be wanted (see
tui.cli.use_language): importing it runs `index/__init__` (the model, about 50 ms), which
`--help`, `--version`, an English error and a piped English command need not pay. These
functions use it once something has imported it, and are the identity in English before.
The explorer's modules use index.i18n directly (the explorer imports `index` anyway).
"""

from __future__ import annotations

import sys


def N_(message: str) -> str:
    """Mark a constant for the catalog; it is translated where shown (index.i18n.N_)."""
    return message


_MODULES = sys.modules


def _(message: str) -> str:
    i18n = _MODULES.get("index.i18n")
    return message if i18n is None else i18n._(message)  # type: ignore[no-any-return]


def ngettext(singular: str, plural: str, n: int) -> str:
    i18n = _MODULES.get("index.i18n")
    if i18n is None:
        return singular if n == 1 else plural
    return i18n.ngettext(singular, plural, n)  # type: ignore[no-any-return]


def language() -> str:
    """The interface's language ("en" while index.i18n is not even imported)."""
    i18n = _MODULES.get("index.i18n")
    return "en" if i18n is None else i18n.language()  # type: ignore[no-any-return]


def number(n: int) -> str:
    """A count as the interface writes it: as ever in English ("1000"), "1 000" in French."""
    if language() == "en":
        return str(n)
    from index.forms import number

    return number(n)


def decimal(value: float, places: int | None = None) -> str:
    """'0.25' in English, '0,25' in French (seconds and the like): `places` decimals, or
    as few as the value needs ('30', '0.05') when None."""
    text = f"{value:g}" if places is None else f"{value:.{places}f}"
    return text if language() == "en" else text.replace(".", ",")


def pgettext(context: str, message: str) -> str:
    i18n = _MODULES.get("index.i18n")
    return message if i18n is None else i18n.pgettext(context, message)  # type: ignore[no-any-return]


# How many of a kind, by its plural name (Dataset.counts): each language has its forms.
_COUNTED = {
    "members": lambda n: ngettext("{n} member", "{n} members", n),
    "quotes": lambda n: ngettext("{n} quote", "{n} quotes", n),
    "events": lambda n: ngettext("{n} event", "{n} events", n),
    "topics": lambda n: ngettext("{n} topic", "{n} topics", n),
    "projects": lambda n: ngettext("{n} project", "{n} projects", n),
    "groups": lambda n: ngettext("{n} group", "{n} groups", n),
    "people": lambda n: ngettext("{n} person", "{n} people", n),
}


def counted(plural: str, n: int) -> str:
    """ "85 members", "1 membre": a count of records of one kind, in the interface's language
    (a kind the table lacks, from a registry extension, keeps its English plural)."""
    form = _COUNTED.get(plural)
    return form(n).format(n=number(n)) if form is not None else f"{n} {plural}"


def field_labels() -> dict[str, str]:
    """Records' row labels (index/kinds' describe rows, backlink titles, `list`'s headings),
    written in English there, in the interface's language: for `show` and the explorer's
    detail alike. Built when shown (the language can change); a label not here stays as is."""
    return {
        "id": pgettext("field", "id"),
        "name": pgettext("field", "name"),
        "short name": pgettext("field", "short name"),
        "aliases": pgettext("field", "aliases"),
        "type": pgettext("field", "type"),
        "country": pgettext("field", "country"),
        "region": pgettext("field", "region"),
        "membership": pgettext("field", "membership"),
        "joined": pgettext("field", "joined"),
        "listed": pgettext("field", "listed"),
        "website": pgettext("field", "website"),
        "summary": pgettext("field", "summary"),
        "note": pgettext("field", "note"),
        "date": pgettext("field", "date"),
        "title": pgettext("field", "title"),
        "members": pgettext("field", "members"),
        "projects": pgettext("field", "projects"),
        "groups": pgettext("field", "groups"),
        "tags": pgettext("field", "tags"),
        "started": pgettext("field", "started"),
        "lead": pgettext("field", "lead"),
        "people": pgettext("field", "people"),
        "status": pgettext("field", "status"),
        "repository": pgettext("field", "repository"),
        "member": pgettext("field", "member"),
        "roles": pgettext("field", "roles"),
        "text": pgettext("field", "text"),
        "speaker": pgettext("field", "speaker"),
        "role": pgettext("field", "role"),
        "language": pgettext("field", "language"),
        "sources": pgettext("field", "sources"),
        "quotes": pgettext("field", "quotes"),
        "events": pgettext("field", "events"),
        "open questions": pgettext("field", "open questions"),
        "founding": pgettext("field", "founding"),
        "translation": pgettext("field", "translation"),
        "text (fr)": pgettext("field", "text (fr)"),
        "original (en)": pgettext("field", "original (en)"),
    }
