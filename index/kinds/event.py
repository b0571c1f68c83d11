"""Events: what happened when, on the timeline."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import field
from typing import TYPE_CHECKING

from ..dates import PartialDate, year_text
from ..describe import Row, links, many, prose, row
from ..documents import id_words, join
from ..frozen import frozen
from ..origin import NOWHERE, Origin
from . import Kind

if TYPE_CHECKING:
    from ..model import Dataset
    from ..validate import Rule


@frozen(slots=True)
class Event:
    """A dated happening of the alliance's history (`[[event]]`)."""

    id: str
    date: PartialDate
    title: str
    summary: str
    sources: tuple[str, ...]
    members: tuple[str, ...] = ()
    projects: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    # A full date that orders a month- or year-only date after what it responds to.
    sort_as: PartialDate | None = None
    note: str = ""
    origin: Origin = field(default=NOWHERE, compare=False, repr=False)  # bookkeeping, not data

    kind: str = field(default="event", init=False, repr=False)

    @property
    def order(self) -> PartialDate:
        """The date it sorts by on the timeline."""
        return self.sort_as or self.date


def rules() -> Mapping[str, Rule]:
    from .. import validate as v

    return {
        "id": v.required(v.slug),
        "date": v.required(v.date),
        "sort_as": v.optional(v.date),
        "title": v.required(v.text),
        "summary": v.required(v.text),
        "members": v.optional(v.IDS),
        "projects": v.optional(v.IDS),
        "groups": v.optional(v.IDS),
        "tags": v.optional(v.TEXTS),
        "sources": v.required(v.URLS),
        "note": v.optional(v.text),
    }


def document(event: Event, dataset: Dataset) -> dict[str, object]:
    member_names = [m.name for m in map(dataset.member, event.members) if m]
    return {
        "label": event.title,
        "title": event.title,
        "names": join(event.title, id_words(event)),
        "prefix": event.title,
        "text": join(event.summary, " ".join(event.tags), event.note, *member_names),
        "body": event.summary,
        "year": year_text(event.date.year),
    }


def describe(event: Event, dataset: Dataset) -> list[Row]:
    rows = row("date", str(event.date))
    rows += row("title", event.title)
    rows += prose("summary", event.summary)
    rows += links("members", dataset, event.members)
    rows += links("projects", dataset, event.projects, ("project",))
    rows += links("groups", dataset, event.groups, ("group",))
    rows += many("tags", event.tags)
    rows += prose("note", event.note)
    return rows


def citation(event: Event, dataset: Dataset) -> str:
    return f"{event.date}: {event.title}. {event.summary}"


KIND = Kind(
    name="event",
    plural="events",
    title="Events",
    table="event",
    record=Event,
    rules=rules,
    document=document,
    describe=describe,
    links={"members": ("member",), "projects": ("project",), "groups": ("group",)},
    link_text=lambda event: f"{event.date}  {event.title}",
    citation=citation,
    sort_key=lambda event: event.order,
    columns=(("id", lambda e: e.id), ("date", lambda e: str(e.date)), ("title", lambda e: e.title)),
)
