"""The French catalog against the code (issue 16): every marked message is translated.

Babel extracts the messages marked in `tui/` and `index/` (`_`, `ngettext`, `pgettext`,
`N_`), as `pybabel extract` would; each must be in the French catalog, translated, not
fuzzy, with the same `{placeholders}` and `%` directives as its English.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

babel = pytest.importorskip("babel", reason="Babel is a dependency of the package (pyproject.toml)")

from babel.messages.extract import extract_from_dir  # noqa: E402
from babel.messages.pofile import read_po  # noqa: E402

from index.i18n import catalog_path, compile_po  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}
FIELDS = re.compile(r"\{[^{}]*\}|%(?:\([^)]*\))?[#0 +-]*\d*(?:\.\d+)?[sdrifx%]")


def extracted() -> dict[tuple[str, str | None], tuple[str, int]]:
    """(msgid, context) -> (file, line) of every message marked in the code."""
    found: dict[tuple[str, str | None], tuple[str, int]] = {}
    for package in ("tui", "index"):
        for filename, line, message, _comments, context in extract_from_dir(
            ROOT / package, method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            msgid = message[0] if isinstance(message, tuple) else message
            if msgid:
                found.setdefault((msgid, context), (f"{package}/{filename}", line))
    return found


@pytest.fixture(scope="module")
def french():  # type: ignore[no-untyped-def]
    with catalog_path("fr", ".po").open("rb") as file:
        return read_po(file, locale="fr")


def test_the_code_marks_messages(french) -> None:  # type: ignore[no-untyped-def]
    assert len(extracted()) >= 30  # the extraction itself works (a broken one finds nothing)


def test_every_marked_message_is_in_the_french_catalog(french) -> None:  # type: ignore[no-untyped-def]
    missing = [
        f"{where[0]}:{where[1]}: {msgid!r}"
        for (msgid, context), where in sorted(extracted().items(), key=lambda kv: kv[1])
        if french.get(msgid, context) is None
    ]
    assert not missing, "not in index/locales/fr/LC_MESSAGES/alliance.po:\n" + "\n".join(missing)


def test_every_french_message_is_translated_and_not_fuzzy(french) -> None:  # type: ignore[no-untyped-def]
    assert french.plural_forms == "nplurals=2; plural=(n > 1);"
    bad = []
    for message in french:
        if not message.id:
            continue  # the header
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(strings):
            bad.append(f"{message.id!r}: {'fuzzy' if message.fuzzy else 'empty'}")
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        allowed = [sorted(FIELDS.findall(msgid)) for msgid in ids]  # singular or plural
        for string in strings:
            if sorted(FIELDS.findall(string)) not in allowed:
                bad.append(f"{message.id!r}: placeholders {FIELDS.findall(string)}, not {allowed}")
    assert not bad, "\n".join(bad)


def test_the_catalog_compiles(tmp_path: Path) -> None:
    import gettext
    import io

    translations = gettext.GNUTranslations(io.BytesIO(compile_po(catalog_path("fr", ".po"))))
    assert translations.ngettext("{n} member", "{n} members", 1) == "{n} membre"
    assert translations.ngettext("{n} member", "{n} members", 0) == "{n} membre"  # French: 0 is singular
    assert translations.ngettext("{n} member", "{n} members", 2) == "{n} membres"


def test_the_catalog_holds_no_message_the_code_no_longer_has(french) -> None:  # type: ignore[no-untyped-def]
    """An unused translation misleads whoever edits the catalog: each message is marked in
    the code, or is one of argparse's own (extracted from the argparse module running)."""
    import argparse

    from babel.messages.extract import extract_from_file

    known = set(extracted())
    for _line, message, _comments, context in extract_from_file("python", argparse.__file__, keywords=KEYWORDS):
        known.add((message[0] if isinstance(message, tuple) else message, context))
    stale = [
        repr(message.id)
        for message in french
        if message.id
        and ((message.id[0] if isinstance(message.id, tuple) else message.id), message.context) not in known
    ]
    assert not stale, "no longer in the code:\n" + "\n".join(stale)


def test_french_typography_puts_a_no_break_space_before_double_punctuation(french) -> None:  # type: ignore[no-untyped-def]
    """ "Membres : 85", not "Membres : 85": a plain space lets a line break before the colon."""
    bad = []
    for message in french:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for string in strings:
            if message.id and re.search(r"\S [:;?!»]|« |\d %", string):
                bad.append(f"{message.id!r}: {string!r}")
    assert not bad, "\n".join(bad)
