"""The data model: frozen records and the Dataset that links them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import MISSING, dataclass, field, fields
from functools import cached_property
from typing import Any, Literal, Union

from .dates import PartialDate

MEMBER_TYPES = ("company", "university", "research", "nonprofit", "government")
KINDS = ("member", "quote", "event", "topic")
Kind = Literal["member", "quote", "event", "topic"]


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a record was written: file (as shown to users) and line."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


_NOWHERE = Origin("", 0)


@dataclass(frozen=True, slots=True)
class Figure:
    label: str
    value: str
    sources: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    title: str
    text: str = ""
    items: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    note: str = ""
    origin: Origin = field(default=_NOWHERE, compare=False, repr=False)  # bookkeeping, not data


@dataclass(frozen=True, slots=True)
class Topic:
    id: str
    title: str
    summary: str
    members: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    note: str = ""
    origin: Origin = field(default=_NOWHERE, compare=False, repr=False)  # bookkeeping, not data

    kind: Kind = field(default="topic", init=False, repr=False)


@dataclass(frozen=True, slots=True)
class Alliance:
    id: str
    name: str
    founded: PartialDate
    founders: tuple[str, ...]
    mission: str
    website: str
    as_of: PartialDate
    focus_areas: tuple[str, ...]
    objectives: tuple[str, ...]
    governance: str
    figures: tuple[Figure, ...]
    sources: tuple[str, ...]
    note: str = ""
    sections: tuple[Section, ...] = ()
    topics: tuple[Topic, ...] = ()
    origin: Origin = field(default=_NOWHERE, compare=False, repr=False)  # bookkeeping, not data


@dataclass(frozen=True, slots=True)
class Member:
    id: str
    name: str
    type: str
    country: str
    founding: bool
    joined: PartialDate
    summary: str
    sources: tuple[str, ...]
    short_name: str = ""
    aliases: tuple[str, ...] = ()
    region: str = ""
    website: str = ""
    note: str = ""
    origin: Origin = field(default=_NOWHERE, compare=False, repr=False)  # bookkeeping, not data

    kind: Kind = field(default="member", init=False, repr=False)

    @property
    def title(self) -> str:
        return self.name


@dataclass(frozen=True, slots=True)
class Quote:
    id: str
    text: str
    speaker: str
    role: str
    date: PartialDate
    lang: str
    sources: tuple[str, ...]
    member: str = ""
    translations: tuple[tuple[str, str], ...] = ()
    note: str = ""
    origin: Origin = field(default=_NOWHERE, compare=False, repr=False)  # bookkeeping, not data

    kind: Kind = field(default="quote", init=False, repr=False)

    @property
    def title(self) -> str:
        words = self.text.split()
        head = " ".join(words[:8])
        return f"{self.speaker}: {head}{'…' if len(words) > 8 else ''}"


@dataclass(frozen=True, slots=True)
class Event:
    id: str
    date: PartialDate
    title: str
    summary: str
    sources: tuple[str, ...]
    members: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    note: str = ""
    origin: Origin = field(default=_NOWHERE, compare=False, repr=False)  # bookkeeping, not data

    kind: Kind = field(default="event", init=False, repr=False)


Record = Union[Member, Quote, Event, Topic]  # noqa: UP007 (a runtime alias; `|` needs 3.10 objects)


@dataclass(frozen=True)
class Dataset:
    """A validated dataset with lookups between its records."""

    alliance: Alliance
    members: tuple[Member, ...]
    quotes: tuple[Quote, ...]
    events: tuple[Event, ...]
    root: str = ""
    files: tuple[str, ...] = ()
    # The data fingerprint (index/cache.py) of exactly the bytes these records were parsed
    # from; the snapshot and the index are stored under it. "" for a hand-made dataset.
    fingerprint: str = field(default="", compare=False)

    @property
    def topics(self) -> tuple[Topic, ...]:
        return self.alliance.topics

    @cached_property
    def _by_kind(self) -> dict[str, dict[str, Record]]:
        return {
            "member": {m.id: m for m in self.members},
            "quote": {q.id: q for q in self.quotes},
            "event": {e.id: e for e in self.events},
            "topic": {t.id: t for t in self.topics},
        }

    def get(self, kind: str, record_id: str) -> Record | None:
        """The record of that kind and id, or None."""
        return self._by_kind.get(kind, {}).get(record_id)

    def member(self, member_id: str) -> Member | None:
        found = self._by_kind["member"].get(member_id)
        return found if isinstance(found, Member) else None

    def find(self, record_id: str) -> list[Record]:
        """Every record, of any kind, with that id."""
        return [table[record_id] for table in self._by_kind.values() if record_id in table]

    def resolve(self, ref: str) -> list[Record]:
        """Records a REF names: 'kind:id', or a bare id (possibly ambiguous)."""
        kind, sep, record_id = ref.partition(":")
        if sep and kind in KINDS:
            found = self.get(kind, record_id)
            return [found] if found else []
        return self.find(ref)

    @cached_property
    def _quotes_by_member(self) -> dict[str, tuple[Quote, ...]]:
        index: dict[str, list[Quote]] = defaultdict(list)
        for quote in self.quotes:
            if quote.member:
                index[quote.member].append(quote)
        return {k: tuple(v) for k, v in index.items()}

    @cached_property
    def _events_by_member(self) -> dict[str, tuple[Event, ...]]:
        index: dict[str, list[Event]] = defaultdict(list)
        for event in self.events:
            for member_id in dict.fromkeys(event.members):
                index[member_id].append(event)
        return {k: tuple(v) for k, v in index.items()}

    @cached_property
    def _topics_by_member(self) -> dict[str, tuple[Topic, ...]]:
        index: dict[str, list[Topic]] = defaultdict(list)
        for topic in self.topics:
            for member_id in dict.fromkeys(topic.members):
                index[member_id].append(topic)
        return {k: tuple(v) for k, v in index.items()}

    def quotes_of(self, member_id: str) -> tuple[Quote, ...]:
        """Quotes spoken for that member, in dataset order."""
        return self._quotes_by_member.get(member_id, ())

    def events_of(self, member_id: str) -> tuple[Event, ...]:
        """Events that name that member, in dataset order."""
        return self._events_by_member.get(member_id, ())

    def topics_of(self, member_id: str) -> tuple[Topic, ...]:
        """Open questions that name that member."""
        return self._topics_by_member.get(member_id, ())

    def members_by_type(self) -> dict[str, tuple[Member, ...]]:
        """Members grouped by type, in MEMBER_TYPES order (empty types left out)."""
        groups = _group(self.members, lambda m: m.type)
        return {t: groups[t] for t in MEMBER_TYPES if t in groups}

    def members_by_country(self) -> dict[str, tuple[Member, ...]]:
        """Members grouped by country code, largest group first."""
        groups = _group(self.members, lambda m: m.country)
        return dict(sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0])))

    def counts(self) -> dict[str, int]:
        return {
            "members": len(self.members),
            "quotes": len(self.quotes),
            "events": len(self.events),
            "topics": len(self.topics),
        }


def _group(records: Iterable[Member], key: Any) -> dict[str, tuple[Member, ...]]:
    groups: dict[str, list[Member]] = defaultdict(list)
    for record in records:
        groups[key(record)].append(record)
    return {k: tuple(v) for k, v in groups.items()}


def to_json(record: Any) -> Any:
    """A JSON-ready form using the TOML field names; dates as ISO strings.

    Optional fields left empty are omitted, as they would be in the TOML.
    """
    if isinstance(record, PartialDate):
        return str(record)
    if isinstance(record, Figure):
        return {"value": record.value, "sources": list(record.sources)}
    if isinstance(record, (list, tuple)):
        return [to_json(item) for item in record]
    if not hasattr(record, "__dataclass_fields__"):
        return record
    out: dict[str, Any] = {}
    if isinstance(record, (Member, Quote, Event, Topic)):
        out["kind"] = record.kind
    for f in fields(record):
        if f.name in ("origin", "kind"):
            continue
        value = getattr(record, f.name)
        if f.default is not MISSING and value == f.default:
            continue
        name = _JSON_NAMES.get(f.name, f.name)
        if f.name == "translations":
            out[name] = dict(value)
        elif f.name == "figures":
            out[name] = {fig.label: to_json(fig) for fig in value}
        else:
            out[name] = to_json(value)
    return out


# Model attributes whose TOML name differs (the TOML uses singular table names).
_JSON_NAMES = {"sections": "section", "topics": "topic"}
