"""The data model: frozen records and the Dataset that links them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import MISSING, field, fields
from functools import cached_property
from typing import Any

from .dates import PartialDate
from .frozen import frozen
from .kinds import get_kind, kinds
from .kinds.event import Event
from .kinds.group import GROUP_TYPES, Group
from .kinds.member import MEMBER_TYPES, Member
from .kinds.person import Person
from .kinds.project import PROJECT_STATUSES, Project
from .kinds.quote import Quote
from .kinds.topic import Topic
from .origin import NOWHERE, Origin

__all__ = [
    "GROUP_TYPES",
    "MEMBER_TYPES",
    "PROJECT_STATUSES",
    "Alliance",
    "Count",
    "Dataset",
    "Event",
    "Figure",
    "Group",
    "Member",
    "Origin",
    "Person",
    "Project",
    "Quote",
    "Record",
    "Section",
    "Topic",
    "to_json",
]


@frozen(slots=True)
class Figure:
    """One of the alliance's figures (`[alliance.figures]`: label = value, or a table with sources)."""

    label: str
    value: str
    sources: tuple[str, ...] = ()


@frozen(slots=True)
class Section:
    """A titled section of text about the alliance (`[[alliance.section]]`)."""

    id: str
    title: str
    text: str = ""
    items: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    note: str = ""
    origin: Origin = field(default=NOWHERE, compare=False, repr=False)  # bookkeeping, not data


@frozen(slots=True)
class Count:
    """The alliance's own reported size on a date (`[[alliance.count]]`)."""

    date: PartialDate
    members: int
    sources: tuple[str, ...]
    countries: int | None = None
    qualifier: str = ""  # "about", "more than"; "" for an exact count
    sort_as: PartialDate | None = None  # a full date that orders a month- or year-only date
    note: str = ""
    origin: Origin = field(default=NOWHERE, compare=False, repr=False)  # bookkeeping, not data

    @property
    def order(self) -> PartialDate:
        return self.sort_as or self.date

    def human(self) -> str:
        """'more than 140 members in 23 countries'."""
        qualifier = f"{self.qualifier} " if self.qualifier else ""
        countries = f" in {self.countries} countries" if self.countries else ""
        return f"{qualifier}{self.members} members{countries}"


@frozen(slots=True)
class Alliance:
    """The alliance itself (`[alliance]`): what it is, who founded it, its figures and counts."""

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
    counts: tuple[Count, ...] = ()  # in date order (sort_as where given)
    origin: Origin = field(default=NOWHERE, compare=False, repr=False)  # bookkeeping, not data


Record = Any  # a record of any registered kind (index/kinds/): id, title, sources, kind, origin


@frozen
class Dataset:
    """A validated dataset with lookups between its records."""

    alliance: Alliance
    # Kind name -> its records in file order; every registered kind has an entry.
    records: dict[str, tuple[Any, ...]]
    root: str = ""
    files: tuple[str, ...] = ()
    # The data fingerprint (index/cache.py) of exactly the bytes these records were parsed
    # from; the snapshot and the index are stored under it. "" for a hand-made dataset.
    fingerprint: str = field(default="", compare=False)

    def of(self, kind: str) -> tuple[Any, ...]:
        """The records of one kind, in file order (none for an unknown kind)."""
        return self.records.get(kind, ())

    @property
    def members(self) -> tuple[Member, ...]:
        return self.of("member")

    @property
    def quotes(self) -> tuple[Quote, ...]:
        return self.of("quote")

    @property
    def events(self) -> tuple[Event, ...]:
        return self.of("event")

    @property
    def topics(self) -> tuple[Topic, ...]:
        return self.of("topic")

    @property
    def projects(self) -> tuple[Project, ...]:
        return self.of("project")

    @property
    def groups(self) -> tuple[Group, ...]:
        return self.of("group")

    @property
    def people(self) -> tuple[Person, ...]:
        return self.of("person")

    def _table(self, kind: str) -> dict[str, Record]:
        """One kind's records by id, made when first asked for (`alliance show member:x` at
        100k records needs the members' and a few ids of other kinds, not every table)."""
        tables: dict[str, dict[str, Record]] = self.__dict__.setdefault("_tables", {})
        table = tables.get(kind)
        if table is None:
            table = tables[kind] = {r.id: r for r in self.records.get(kind, ())}
        return table

    @cached_property
    def _by_kind(self) -> dict[str, dict[str, Record]]:
        return {name: self._table(name) for name in self.records}

    def get(self, kind: str, record_id: str) -> Record | None:
        """The record of that kind and id, or None."""
        return self._table(kind).get(record_id)

    def member(self, member_id: str) -> Member | None:
        found = self._table("member").get(member_id)
        return found if isinstance(found, Member) else None

    def find(self, record_id: str) -> list[Record]:
        """Every record, of any kind, with that id."""
        return [table[record_id] for table in self._by_kind.values() if record_id in table]

    def resolve(self, ref: str) -> list[Record]:
        """Records a REF names: 'kind:id', or a bare id (possibly ambiguous)."""
        kind, sep, record_id = ref.partition(":")
        if sep and kind in self.records:
            found = self.get(kind, record_id)
            return [found] if found else []
        return self.find(ref)

    @cached_property
    def _linking(self) -> dict[tuple[str, str, str], tuple[Record, ...]]:
        """(kind linking, kind linked, id linked) -> the records of the first kind that link to it."""
        index: dict[tuple[str, str, str], list[Record]] = defaultdict(list)
        for kind in kinds():
            for record in self.of(kind.name):
                seen = set()
                for field_name, targets in kind.links.items():
                    value = getattr(record, field_name)
                    for target_id in (value,) if isinstance(value, str) else value:
                        for target in targets:
                            if target_id and self.get(target, target_id) is not None:
                                key = (kind.name, target, target_id)
                                if key not in seen:  # once, however many fields name it
                                    seen.add(key)
                                    index[key].append(record)
                                break
        return {k: tuple(v) for k, v in index.items()}

    def linking(self, kind: str, record: Record) -> tuple[Record, ...]:
        """Records of `kind` that name `record` in a link field, in dataset order."""
        if "_linking" not in self.__dict__:
            found = self._linking_one(kind, record)
            if found is not None:
                return found
        return self._linking.get((kind, record.kind, record.id), ())

    def _linking_one(self, kind: str, record: Record) -> tuple[Record, ...] | None:
        """What `linking` answers, by a scan of `kind`'s records for this one record, or None
        once the scans have read as many records as the dataset holds.

        The map of every record's back-links (`_linking`) takes ~0.3 s at 100k records:
        `alliance show` wants one record's, which a scan of each linking kind gives for a
        tenth of that. A caller that asks for many records' (the explorer moving from record
        to record) soon spends the budget, and from then on the map answers.
        """
        linker = get_kind(kind)
        if linker is None or kind not in self.records:
            return ()  # the map holds registered kinds' records only
        target_id = record.id
        # A linked id names the first of the field's kinds that has a record with it (as in
        # `_linking`): the fields whose first such kind is this record's can name it.
        names = [
            field_name
            for field_name, targets in linker.links.items()
            if target_id and next((t for t in targets if self.get(t, target_id) is not None), None) == record.kind
        ]
        if not names:
            return ()
        records = self.records[kind]
        scanned = self.__dict__.get("_scanned", 0) + len(records)
        if scanned > sum(map(len, self.records.values())):
            return None
        self.__dict__["_scanned"] = scanned
        found = []
        for candidate in records:
            for field_name in names:
                value = getattr(candidate, field_name)
                if value == target_id if isinstance(value, str) else target_id in value:
                    found.append(candidate)
                    break
        return tuple(found)

    def quotes_of(self, member_id: str) -> tuple[Quote, ...]:
        """Quotes spoken for that member, in dataset order."""
        return self._linking.get(("quote", "member", member_id), ())

    def events_of(self, member_id: str) -> tuple[Event, ...]:
        """Events that name that member, in dataset order."""
        return self._linking.get(("event", "member", member_id), ())

    def topics_of(self, member_id: str) -> tuple[Topic, ...]:
        """Open questions that name that member."""
        return self._linking.get(("topic", "member", member_id), ())

    def members_by_type(self) -> dict[str, tuple[Member, ...]]:
        """Members grouped by type, in MEMBER_TYPES order (empty types left out)."""
        groups = _group(self.members, lambda m: m.type)
        return {t: groups[t] for t in MEMBER_TYPES if t in groups}

    def members_by_country(self) -> dict[str, tuple[Member, ...]]:
        """Members grouped by country code, largest group first ("" for not established)."""
        groups = _group(self.members, lambda m: m.country)
        return dict(sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0] == "", kv[0])))

    def counts(self) -> dict[str, int]:
        """How many records of each kind, by plural name ("members": 141, ...)."""
        return {kind.plural: len(self.of(kind.name)) for kind in kinds() if kind.name in self.records}

    def reported(self) -> Count | None:
        """The alliance's newest reported size, if the data has one."""
        return self.alliance.counts[-1] if self.alliance.counts else None


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
    if get_kind(getattr(record, "kind", "")) is not None:
        out["kind"] = record.kind
    for f in fields(record):
        if f.name in ("origin", "kind"):
            continue
        value = getattr(record, f.name)
        if f.default is not MISSING and value == f.default:
            continue
        name = _JSON_NAMES.get(f.name, f.name)
        if f.name in ("translations", "renders", "names"):  # {language: text}, as in the TOML
            out[name] = dict(value)
        elif f.name == "figures":
            out[name] = {fig.label: to_json(fig) for fig in value}
        else:
            out[name] = to_json(value)
    return out


# Model attributes whose TOML name differs (the TOML uses singular table names).
_JSON_NAMES = {"sections": "section", "counts": "count"}
