"""Projects: what the alliance builds, who leads it and who takes part (`[[project]]`)."""

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

# Managed ("core"): owned by the alliance; supported: run by a member under the alliance's
# governance; member-run: a member's own project the alliance lists; ended.
PROJECT_STATUSES = ("managed", "supported", "member-run", "ended")


@frozen(slots=True)
class Project:
    """Something the alliance builds, who leads it and who takes part (`[[project]]`)."""

    id: str
    name: str
    summary: str
    status: str
    lead: tuple[str, ...]  # member ids
    sources: tuple[str, ...]
    started: PartialDate | None = None
    members: tuple[str, ...] = ()  # participating member ids
    people: tuple[str, ...] = ()  # "Name (role, organisation)"
    tags: tuple[str, ...] = ()
    website: str = ""
    repository: str = ""
    note: str = ""
    origin: Origin = field(default=NOWHERE, compare=False, repr=False)  # bookkeeping, not data

    kind: str = field(default="project", init=False, repr=False)

    @property
    def title(self) -> str:
        return self.name


def rules() -> Mapping[str, Rule]:
    from .. import validate as v

    return {
        "id": v.required(v.slug),
        "name": v.required(v.text),
        "summary": v.required(v.text),
        "status": v.required(v.one_of(PROJECT_STATUSES, "project status")),
        "started": v.optional(v.date),
        "lead": v.required(v.list_of(v.slug, non_empty=True)),
        "members": v.optional(v.IDS),
        "people": v.optional(v.TEXTS),
        "tags": v.optional(v.TEXTS),
        "website": v.optional(v.url),
        "repository": v.optional(v.url),
        "sources": v.required(v.URLS),
        "note": v.optional(v.text),
    }


def document(project: Project, dataset: Dataset) -> dict[str, object]:
    organisations = [m.name for m in map(dataset.member, (*project.lead, *project.members)) if m]
    names = join(project.name, id_words(project), joined(project.name))
    return {
        "label": project.name,
        "title": project.name,
        "names": names,
        "prefix": names,
        "text": join(project.summary, project.note, " ".join(project.tags), *project.people, *organisations),
        "body": project.summary,
        "status": project.status,
        "year": year_text(project.started.year) if project.started else "",
    }


def describe(project: Project, dataset: Dataset) -> list[Row]:
    rows = row("name", project.name)
    rows += row("status", project.status)
    rows += date_row("started", project.started)
    rows += prose("summary", project.summary)
    rows += links("lead", dataset, project.lead)
    rows += links("members", dataset, project.members)
    rows += many("people", project.people)
    rows += many("tags", project.tags)
    rows += row("website", project.website)
    rows += row("repository", project.repository)
    rows += prose("note", project.note)
    return rows


KIND = Kind(
    name="project",
    plural="projects",
    title="Projects",
    table="project",
    record=Project,
    rules=rules,
    document=document,
    describe=describe,
    links={"lead": ("member",), "members": ("member",)},
    columns=(
        ("id", lambda p: p.id),
        ("name", lambda p: p.name),
        ("status", lambda p: p.status),
        ("lead", lambda p: ", ".join(p.lead)),
    ),
)
