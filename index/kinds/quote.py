"""Quotes: what the alliance's people said, verbatim, with who, when and where."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import field
from typing import TYPE_CHECKING, Any

from ..dates import PartialDate, year_text
from ..describe import Row, links, prose, row
from ..documents import join
from ..frozen import frozen
from ..i18n import N_
from ..languages import LANGUAGES
from ..origin import NOWHERE, Origin
from . import Kind

if TYPE_CHECKING:
    from ..model import Dataset
    from ..validate import Rule


@frozen(slots=True)
class Quote:
    """Words a person said, verbatim as printed on the cited page (`[[quote]]`)."""

    id: str
    text: str
    speaker: str
    role: str
    date: PartialDate
    lang: str
    sources: tuple[str, ...]
    member: str = ""
    translations: tuple[tuple[str, str], ...] = ()
    # Which part of `text` each rendering renders, by language: ("fr", "sentence 1").
    renders: tuple[tuple[str, str], ...] = ()
    sort_as: PartialDate | None = None  # a full date that orders a month- or year-only date
    note: str = ""
    origin: Origin = field(default=NOWHERE, compare=False, repr=False)  # bookkeeping, not data

    kind: str = field(default="quote", init=False, repr=False)

    @property
    def title(self) -> str:
        words = self.text.split()
        head = " ".join(words[:8])
        return f"{self.speaker}: {head}{'…' if len(words) > 8 else ''}"

    @property
    def order(self) -> PartialDate:
        """The date it sorts by."""
        return self.sort_as or self.date


def rules() -> Mapping[str, Rule]:
    from .. import validate as v

    return {
        "id": v.required(v.slug),
        "text": v.required(v.text),
        "speaker": v.required(v.text),
        "role": v.required(v.text),
        "member": v.optional(v.slug),
        "date": v.required(v.date),
        "sort_as": v.optional(v.date),
        "lang": v.required(v.language),
        "translations": v.optional(v.translations),
        "renders": v.optional_keyed_by(v.renders, "translations"),
        "sources": v.required(v.URLS),
        "note": v.optional(v.text),
    }


def document(quote: Quote, dataset: Dataset) -> dict[str, object]:
    member = dataset.member(quote.member) if quote.member else None
    # The member's names go in the text, not in `names`: a search for "nasa"
    # should rank NASA itself above the quotes of NASA people.
    member_names = join(member.name, member.short_name) if member else ""
    french = join(*(text for lang, text in quote.translations if lang == "fr"))
    other = [text for lang, text in quote.translations if lang != "fr"]
    return {
        "label": quote.title,
        "title": quote.speaker,  # not the first words: those must not outrank a member's name
        "names": quote.speaker,
        "prefix": quote.speaker,
        "text": join(quote.text, quote.role, member_names, quote.note, *other),
        "text_fr": french,
        "body": quote.text,
        "body_fr": french,
        "year": year_text(quote.date.year),
        "speaker": quote.speaker,
        "lang": " ".join([quote.lang, *(lang for lang, _ in quote.translations)]),
        # A quote's words are the thing itself; a summary elsewhere only reports them.
        "_text_boost": 1.3,
    }


def rendering(quote: Quote, lang: str) -> tuple[str, str] | None:
    """The rendering of `quote` in `lang` and the part it renders ('' when not said)."""
    text = dict(quote.translations).get(lang)
    if text is None:
        return None
    return text, dict(quote.renders).get(lang, "")


def describe(quote: Quote, dataset: Dataset) -> list[Row]:
    rows = prose("text", quote.text)
    rows += row("speaker", quote.speaker)
    rows += row("role", quote.role)
    if quote.member:
        rows += links("member", dataset, (quote.member,))
    rows += row("date", str(quote.date))
    rows += row("language", f"{LANGUAGES.get(quote.lang, quote.lang)} ({quote.lang})")
    for lang, text in quote.translations:
        rows += prose(f"translation ({lang})", text)
    rows += prose("note", quote.note)
    return rows


def _names_in(member: Any, text: str) -> bool:
    """True when text names the member: its name, short name or an alias, as whole words
    ("Chief Science Data Officer, NASA" names NASA; "Penn" is not in "Pennsylvania")."""
    names = (member.name, member.short_name, *member.aliases, *(name for _lang, name in member.names))
    return any(re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text) for name in names if name)


def citation(quote: Quote, dataset: Dataset) -> str:
    member = dataset.member(quote.member) if quote.member else None
    # The organisation once: not after a role that already names it.
    org = f" ({member.name})" if member and not _names_in(member, quote.role) else ""
    return f"“{quote.text}” — {quote.speaker}, {quote.role}{org}, {quote.date}."


KIND = Kind(
    name="quote",
    plural="quotes",
    title=N_("Quotes"),
    table="quote",
    record=Quote,
    rules=rules,
    document=document,
    describe=describe,
    links={"member": ("member",)},
    citation=citation,
    columns=(
        ("id", lambda q: q.id),
        ("date", lambda q: str(q.date)),
        ("speaker", lambda q: q.speaker),
        ("text", lambda q: q.text),  # whole: a terminal's table shortens it (tui/output.py)
    ),
)
