"""Members: the organisations of the alliance, founding or joined later."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from typing import TYPE_CHECKING

from ..dates import PartialDate, year_text
from ..describe import Row, country_name, many, prose, row
from ..documents import id_words, join, joined
from ..frozen import frozen
from ..i18n import N_
from ..origin import NOWHERE, Origin
from . import Kind

if TYPE_CHECKING:
    from ..model import Dataset
    from ..validate import Rule

MEMBER_TYPES = ("company", "university", "research", "nonprofit", "government")


@frozen(slots=True)
class Member:
    """An organisation in the alliance, founding or joined later (`[[member]]`)."""

    id: str
    name: str
    type: str
    founding: bool
    summary: str
    sources: tuple[str, ...]
    country: str = ""  # ISO 3166-1 alpha-2; "" where no source establishes it
    joined: PartialDate | None = None  # only where a dated source says when it joined
    listed: PartialDate | None = None  # the newest source that lists it as a member
    short_name: str = ""
    aliases: tuple[str, ...] = ()
    # The name in other languages, by language, as a cited source gives it: ("fr", "Fondation Simons").
    names: tuple[tuple[str, str], ...] = ()
    region: str = ""
    website: str = ""
    note: str = ""
    origin: Origin = field(default=NOWHERE, compare=False, repr=False)  # bookkeeping, not data

    kind: str = field(default="member", init=False, repr=False)

    @property
    def title(self) -> str:
        return self.name

    @property
    def since(self) -> PartialDate | None:
        """When it is first known to be a member: joined, else listed."""
        return self.joined or self.listed


def rules() -> Mapping[str, Rule]:
    from .. import validate as v

    return {
        "id": v.required(v.slug),
        "name": v.required(v.text),
        "short_name": v.optional(v.text),
        "aliases": v.optional(v.TEXTS),
        "names": v.optional(v.translations),
        "type": v.required(v.one_of(MEMBER_TYPES, "member type")),
        "country": v.optional(v.country),
        "region": v.optional(v.text),
        "founding": v.required(v.boolean),
        "joined": v.optional(v.date),
        "listed": v.optional(v.date),
        "website": v.optional(v.url),
        "summary": v.required(v.text),
        "sources": v.required(v.URLS),
        "note": v.optional(v.text),
    }


def document(member: Member, dataset: Dataset) -> dict[str, object]:
    from .. import forms  # only when indexing: a piped `show` never needs country names

    others = (*member.aliases, *(name for _lang, name in member.names))
    names = join(
        member.name,
        member.short_name,
        *others,
        id_words(member),
        joined(member.name, member.short_name, *others),
    )
    since = member.since
    return {
        "label": display_name(member),
        "title": join(member.name, member.short_name),
        "names": names,
        "prefix": names,
        # The country and the type by name, in English and (stemmed as French) in French:
        # "switzerland", "suisse", "université", "universités" find members.
        "text": join(member.summary, member.note, member.region, member.type, country_name(member.country)),
        "text_fr": join(forms.country_name(member.country, "fr"), forms.type_word(member.type, "fr")),
        "body": member.summary,
        "type": member.type,
        "country": member.country.lower(),
        "year": year_text(since.year) if since else "",
        "founding": "yes" if member.founding else "no",
        "rank": 0 if member.founding else 1,
        # Members are what people look up by name: ahead of a quote whose speaker is
        # "a Meta spokesperson" when someone types "meta".
        "_names_boost": 1.5,
        "_prefix_boost": 1.5,
        "_title_boost": 1.5,
    }


def describe(member: Member, dataset: Dataset) -> list[Row]:
    rows = row("name", member.name)
    rows += row("short name", member.short_name)
    rows += many("aliases", member.aliases)
    for lang, name in member.names:
        rows += row(f"name ({lang})", name)
    rows += row("type", member.type)
    rows += row("country", country_name(member.country))
    rows += row("region", member.region)
    rows += row("membership", "founding member" if member.founding else "joined later")
    rows += row("joined", str(member.joined) if member.joined else "not known")
    rows += row("listed", str(member.listed) if member.listed else "")
    rows += row("website", member.website)
    rows += prose("summary", member.summary)
    rows += prose("note", member.note)
    return rows


def name_in(member: Member, lang: str) -> str:
    """The member's name in `lang` where the data gives one, else ''."""
    return dict(member.names).get(lang, "")


def display_name(member: Member) -> str:
    """The name with the short name in parentheses, unless the name already holds it
    ("Agency for Science, Technology and Research (A*STAR)", "Dell Technologies")."""
    if not member.short_name or member.short_name in member.name:
        return member.name
    return f"{member.name} ({member.short_name})"


def citation(member: Member, dataset: Dataset) -> str:
    where = f", {country_name(member.country)}" if member.country else ""
    # The dataset's own title: another --data is not the AI Alliance.
    alliance = dataset.alliance.name
    status = f"{alliance} founding member" if member.founding else f"{alliance} member"
    if member.joined:
        status = f"{status} since {member.joined}"
    elif member.listed:
        status = f"{alliance} member, listed on {member.listed}"
    return f"{display_name(member)}: {member.type}{where}; {status}."


KIND = Kind(
    name="member",
    plural="members",
    title=N_("Members"),
    table="member",
    record=Member,
    rules=rules,
    document=document,
    describe=describe,
    citation=citation,
    sort_key=lambda m: m.name.casefold(),  # as the Members pane sorts by name
    columns=(
        ("id", lambda m: m.id),
        ("name", lambda m: m.name),
        ("type", lambda m: m.type),
        ("country", lambda m: m.country),
        ("founding", lambda m: "founding" if m.founding else "later"),
    ),
)
