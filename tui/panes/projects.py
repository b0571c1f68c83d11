"""Projects: what the alliance builds, by status, then its groups and chapters and its people."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from index import PROJECT_STATUSES
from index.describe import member_label

from ..render import GROUP_ORDER, Facet, blank, glance_entries, group_row, heading, person_row, project_row
from ..widgets.line_list import Entry
from .base import EMPTY_DETAIL, ListDetailPane, narrow_at

STATUS_TITLES = {
    "managed": "Managed by the alliance",
    "supported": "Supported (run by a member)",
    "member-run": "Run by members",
    "ended": "Ended",
}
GROUP_TITLES = {"chapter": "Regional chapters", "working-group": "Working groups", "focus-area": "Focus areas"}


def facet(key: str, title: str, values: Iterable[str], label=str) -> Facet:
    """One chart of the at-a-glance detail: values by how often they occur."""
    return (key, title, [(v, label(v), n) for v, n in Counter(values).most_common()])


class ProjectsPane(ListDetailPane):
    NARROWS = True
    GLANCE = True
    HELP = (
        "Projects by status, with their leads; then working groups, focus areas and chapters, "
        "and the people the sources name. Enter opens one: its members, leads, groups and sources are links."
    )

    def list_entries(self) -> list[Entry]:
        if self.dataset is None:
            return []
        dataset = self.dataset
        entries: list[Entry] = []
        for status in PROJECT_STATUSES:
            projects = sorted((p for p in dataset.projects if p.status == status), key=lambda p: p.name.casefold())
            if projects:
                entries += [heading(f"{STATUS_TITLES.get(status, status)} ({len(projects)})")]
                entries += [project_row(p, dataset) for p in projects]
                entries.append(blank())
        for group_type in sorted(GROUP_ORDER, key=GROUP_ORDER.__getitem__):
            groups = sorted((g for g in dataset.groups if g.type == group_type), key=lambda g: g.name.casefold())
            if groups:
                entries += [heading(f"{GROUP_TITLES.get(group_type, group_type)} ({len(groups)})")]
                entries += [group_row(g, dataset) for g in groups]
                entries.append(blank())
        if dataset.people:
            entries += [heading(f"People ({len(dataset.people)})")]
            entries += [person_row(p, dataset) for p in sorted(dataset.people, key=lambda p: p.name.casefold())]
        while entries and not entries[-1].selectable:
            entries.pop()
        return entries

    def title_text(self) -> str:
        if self.dataset is None:
            return "Projects"
        d = self.dataset
        return f"Projects · {len(d.projects)} projects · {len(d.groups)} groups and chapters · {len(d.people)} people"

    def empty_detail(self) -> list[Entry]:
        """Beside the list (wide screens): projects by status, lead and tag, groups by type."""
        if self.dataset is None or narrow_at(self, self.size.width or self.app.size.width):
            return EMPTY_DETAIL
        d = self.dataset
        lead = lambda m: member_label(d, m)  # noqa: E731
        facets = [
            facet("status", "Projects by status", (p.status for p in d.projects), STATUS_TITLES.get),
            facet("lead", "Projects by lead", (m for p in d.projects for m in p.lead), lead),
            facet("tag", "Projects by tag", (t for p in d.projects for t in p.tags)),
            facet("type", "Groups and chapters by type", (g.type for g in d.groups), GROUP_TITLES.get),
        ]
        fill = self.detail.scrollable_content_region.width or 36
        return glance_entries("projects", len(d.projects), [f for f in facets if f[2]], fill, links=False)
