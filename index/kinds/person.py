"""People: who runs, leads and speaks for the alliance, with their roles (`[[person]]`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from typing import TYPE_CHECKING

from ..describe import Row, links, many, prose, row
from ..documents import id_words, join, joined
from ..frozen import frozen
from ..origin import NOWHERE, Origin
from . import Kind

if TYPE_CHECKING:
    from ..model import Dataset
    from ..validate import Rule


@frozen(slots=True)
class Person:
    """Someone who runs, leads or speaks for the alliance, with their roles (`[[person]]`)."""

    id: str
    name: str
    roles: tuple[str, ...]  # each with its organisation and date, as the source gives it
    summary: str
    sources: tuple[str, ...]
    member: str = ""  # the member organisation they work or speak for
    note: str = ""
    origin: Origin = field(default=NOWHERE, compare=False, repr=False)  # bookkeeping, not data

    kind: str = field(default="person", init=False, repr=False)

    @property
    def title(self) -> str:
        return self.name


def rules() -> Mapping[str, Rule]:
    from .. import validate as v

    return {
        "id": v.required(v.slug),
        "name": v.required(v.text),
        "member": v.optional(v.slug),
        "roles": v.required(v.list_of(v.text, non_empty=True)),
        "summary": v.required(v.text),
        "sources": v.required(v.URLS),
        "note": v.optional(v.text),
    }


def document(person: Person, dataset: Dataset) -> dict[str, object]:
    member = dataset.member(person.member) if person.member else None
    names = join(person.name, id_words(person), joined(person.name))
    return {
        "label": person.name,
        "title": person.name,
        "names": names,
        "prefix": names,
        "text": join(person.summary, person.note, *person.roles, *((member.name, member.short_name) if member else ())),
        "body": person.summary,
    }


def describe(person: Person, dataset: Dataset) -> list[Row]:
    rows = row("name", person.name)
    if person.member:
        rows += links("member", dataset, (person.member,))
    rows += many("roles", person.roles)
    rows += prose("summary", person.summary)
    rows += prose("note", person.note)
    return rows


KIND = Kind(
    name="person",
    plural="people",
    title="People",
    table="person",
    record=Person,
    rules=rules,
    document=document,
    describe=describe,
    links={"member": ("member",)},
    columns=(("id", lambda p: p.id), ("name", lambda p: p.name), ("member", lambda p: p.member)),
)
