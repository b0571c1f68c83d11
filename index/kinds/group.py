"""Groups: working groups, focus areas and regional chapters (`[[group]]`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from typing import TYPE_CHECKING

from ..dates import PartialDate, year_text
from ..describe import Row, date_row, links, many, prose, row
from ..documents import id_words, join, joined
from ..frozen import frozen
from ..origin import NOWHERE, Origin
from . import Kind

if TYPE_CHECKING:
    from ..model import Dataset
    from ..validate import Rule

GROUP_TYPES = ("working-group", "focus-area", "chapter")


@frozen(slots=True)
class Group:
    """A working group, focus area or regional chapter of the alliance (`[[group]]`)."""

    id: str
    name: str
    type: str
    summary: str
    sources: tuple[str, ...]
    started: PartialDate | None = None
    members: tuple[str, ...] = ()  # member ids
    lead: tuple[str, ...] = ()  # member or person ids
    people: tuple[str, ...] = ()  # "Name (role, organisation)"
    projects: tuple[str, ...] = ()  # project ids
    note: str = ""
    origin: Origin = field(default=NOWHERE, compare=False, repr=False)  # bookkeeping, not data

    kind: str = field(default="group", init=False, repr=False)

    @property
    def title(self) -> str:
        return self.name


def rules() -> Mapping[str, Rule]:
    from .. import validate as v

    return {
        "id": v.required(v.slug),
        "name": v.required(v.text),
        "type": v.required(v.one_of(GROUP_TYPES, "group type")),
        "started": v.optional(v.date),
        "members": v.optional(v.IDS),
        "lead": v.optional(v.IDS),
        "people": v.optional(v.TEXTS),
        "summary": v.required(v.text),
        "projects": v.optional(v.IDS),
        "sources": v.required(v.URLS),
        "note": v.optional(v.text),
    }


def document(group: Group, dataset: Dataset) -> dict[str, object]:
    from .. import forms  # only when indexing

    organisations = [m.name for m in map(dataset.member, group.members) if m]
    leads = [r.title for i in group.lead for r in (dataset.get("member", i) or dataset.get("person", i),) if r]
    names = join(group.name, id_words(group), joined(group.name))
    return {
        "label": group.name,
        "title": group.name,
        "names": names,
        "prefix": names,
        "text": join(group.summary, group.note, group.type.replace("-", " "), *group.people, *leads, *organisations),
        "text_fr": forms.type_word(group.type, "fr"),  # "groupe de travail", "section"
        "body": group.summary,
        "type": group.type,
        "year": year_text(group.started.year) if group.started else "",
    }


def describe(group: Group, dataset: Dataset) -> list[Row]:
    rows = row("name", group.name)
    rows += row("type", group.type.replace("-", " "))
    rows += date_row("started", group.started)
    rows += prose("summary", group.summary)
    rows += links("lead", dataset, group.lead, ("person", "member"))
    rows += links("members", dataset, group.members)
    rows += many("people", group.people)
    rows += links("projects", dataset, group.projects, ("project",))
    rows += prose("note", group.note)
    return rows


KIND = Kind(
    name="group",
    plural="groups",
    title="Groups and chapters",
    table="group",
    record=Group,
    rules=rules,
    document=document,
    describe=describe,
    links={"lead": ("person", "member"), "members": ("member",), "projects": ("project",)},
    backlink_title="groups",
    columns=(("id", lambda g: g.id), ("name", lambda g: g.name), ("type", lambda g: g.type)),
)
