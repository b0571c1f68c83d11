"""Projects: what the alliance builds, by status, then its groups and chapters and its people."""

from __future__ import annotations

from index import PROJECT_STATUSES

from ..render import GROUP_ORDER, blank, group_row, heading, person_row, project_row
from ..widgets.line_list import Entry
from .base import ListDetailPane

STATUS_TITLES = {
    "managed": "Managed by the alliance",
    "supported": "Supported (run by a member)",
    "member-run": "Run by members",
    "ended": "Ended",
}
GROUP_TITLES = {"chapter": "Regional chapters", "working-group": "Working groups", "focus-area": "Focus areas"}


class ProjectsPane(ListDetailPane):
    NARROWS = True
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
