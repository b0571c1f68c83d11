"""The interface's language: gettext catalogs, one language per process (the palette may switch it).

User-visible text is marked where it is written: `_("Members")`, `ngettext("1 member", "{n}
members", n)`, and `N_("…")` for text kept in a constant and translated when shown (key
descriptions, pane names). The sources of the catalogs are `index/locales/<lang>/LC_MESSAGES/
alliance.po` (Babel extracts and checks them: tests/test_i18n_catalog.py); the build compiles
them to `.mo` files (hatch_build.py), which a source checkout without them replaces by
compiling the `.po` in memory at first use.

The language comes from `--lang`, else `$ALLIANCE_LANG`, else the locale (`LC_ALL`, then
`LC_MESSAGES`, then `LANG`: the first one set decides, as for any POSIX program); English
where none names a language of ours, and for any message a catalog lacks.

UI-free, like the rest of `index`: the CLI and the explorer both use it.
"""

from __future__ import annotations

import gettext as _gettext
import io
import os
import re
from collections.abc import Mapping
from pathlib import Path

DOMAIN = "alliance"
LOCALES = Path(__file__).with_name("locales")
DEFAULT = "en"
LANGUAGES: dict[str, str] = {"en": "English", "fr": "Français"}  # each in its own language

_language = DEFAULT
_catalog: _gettext.NullTranslations = _gettext.NullTranslations()

# "fr", "fr_FR", "fr_FR.UTF-8", "fr-CA", "fr_FR@euro": the language is what precedes _ - . @
_LOCALE = re.compile(r"([A-Za-z]{2,3})(?:[_\-.@].*)?")


def language_of(value: str | None) -> str | None:
    """Our language named by a locale or language value (`fr_FR.UTF-8` is `fr`; `C` and
    `POSIX` are English), None when it names none of ours."""
    if not value:
        return None
    value = value.strip()
    if value in ("C", "POSIX") or value.startswith(("C.", "POSIX.")):
        return DEFAULT
    match = _LOCALE.fullmatch(value)
    if match is None:
        return None
    code = match.group(1).lower()
    return code if code in LANGUAGES else None


def choose_language(option: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """`--lang`, then `$ALLIANCE_LANG`, then the first of `LC_ALL`, `LC_MESSAGES`, `LANG`
    that is set (a locale of another language means English); English if none is."""
    env = os.environ if environ is None else environ
    for value in (option, env.get("ALLIANCE_LANG")):
        chosen = language_of(value)
        if chosen is not None:
            return chosen
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(name)
        if value:
            return language_of(value) or DEFAULT
    return DEFAULT


def catalog_path(language: str, suffix: str = ".mo") -> Path:
    return LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}{suffix}"


def _load(language: str) -> _gettext.NullTranslations:
    if language == DEFAULT:
        return _gettext.NullTranslations()  # the messages are English
    compiled, source = catalog_path(language), catalog_path(language, ".po")
    try:
        built = compiled.stat().st_mtime
    except OSError:
        built = None
    if not source.is_file():
        if built is None:
            return _gettext.NullTranslations()
    elif built is None or built + 2 < source.stat().st_mtime:
        # No .mo (a source checkout), or one older than its .po: edited since the build. (An
        # installer may give both the same time, or the .po a moment later: 2 s of slack.)
        return _gettext.GNUTranslations(io.BytesIO(compile_po(source)))
    with compiled.open("rb") as file:
        return _gettext.GNUTranslations(file)


def compile_po(source: Path) -> bytes:
    """A `.po` file as `.mo` bytes (Babel's reader and writer; fuzzy entries left out, as
    msgfmt does)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with source.open("rb") as file:
        catalog = read_po(file, domain=DOMAIN)
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def set_language(language: str) -> None:
    """Translate from now on into `language` (one of LANGUAGES; anything else is English)."""
    global _language, _catalog
    language = language if language in LANGUAGES else DEFAULT
    _catalog = _load(language)
    _language = language


def language() -> str:
    """The language messages are translated into now."""
    return _language


def _(message: str) -> str:
    """`message` in the current language (itself when the catalog lacks it)."""
    return _catalog.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a message for `n` (French: 0 and 1 take the singular)."""
    return _catalog.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """`message` as meant in `context` (one English word, two French ones)."""
    return _catalog.pgettext(context, message)


def N_(message: str) -> str:
    """Mark `message` for the catalog, untranslated: a constant translated when shown."""
    return message
