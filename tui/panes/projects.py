"""Projects: what the alliance builds, by status, then its groups and chapters and its people."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from index import PROJECT_STATUSES
from index.describe import member_label
from index.forms import type_word
from index.i18n import N_, _, ngettext

from ..render import GROUP_ORDER, Facet, blank, glance_entries, group_row, heading, person_row, project_row
from ..widgets.line_list import Entry
from .base import ListDetailPane, count, empty_hint, narrow_at

STATUS_TITLES = {
    "managed": N_("Managed by the alliance"),
    "supported": N_("Supported (run by a member)"),
    "member-run": N_("Run by members"),
    "ended": N_("Ended"),
}
GROUP_TITLES = {
    "chapter": N_("Regional chapters"),
    "working-group": N_("Working groups"),
    "focus-area": N_("Focus areas"),
}


def status_title(status: str) -> str:
    """A project status as a heading names it ('Run by members'); an unknown one as a type word."""
    return _(STATUS_TITLES[status]) if status in STATUS_TITLES else type_word(status)


def group_title(group_type: str) -> str:
    """A group type as a heading names it ('Working groups'); an unknown one as a type word."""
    return _(GROUP_TITLES[group_type]) if group_type in GROUP_TITLES else type_word(group_type)


def counted(title: str, n: int) -> str:
    """'Working groups (4)': a heading with how many rows follow."""
    return f"{title} ({count(n)})"


def facet(key: str, title: str, values: Iterable[str], label=str) -> Facet:
    """One chart of the at-a-glance detail: values by how often they occur."""
    return (key, title, [(v, label(v), n) for v, n in Counter(values).most_common()])


class ProjectsPane(ListDetailPane):
    NARROWS = True
    GLANCE = True
    HELP = N_(
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
                entries += [heading(counted(status_title(status), len(projects)))]
                entries += [project_row(p, dataset) for p in projects]
                entries.append(blank())
        for group_type in sorted(GROUP_ORDER, key=GROUP_ORDER.__getitem__):
            groups = sorted((g for g in dataset.groups if g.type == group_type), key=lambda g: g.name.casefold())
            if groups:
                entries += [heading(counted(group_title(group_type), len(groups)))]
                entries += [group_row(g, dataset) for g in groups]
                entries.append(blank())
        if dataset.people:
            entries += [heading(counted(_("People"), len(dataset.people)))]
            entries += [person_row(p, dataset) for p in sorted(dataset.people, key=lambda p: p.name.casefold())]
        while entries and not entries[-1].selectable:
            entries.pop()
        return entries

    def title_text(self) -> str:
        if self.dataset is None:
            return _("Projects")
        d = self.dataset
        n = len(d.projects), len(d.groups), len(d.people)
        return _("Projects · {projects} · {groups} · {people}").format(
            projects=ngettext("{n} project", "{n} projects", n[0]).format(n=count(n[0])),
            groups=ngettext("{n} group or chapter", "{n} groups and chapters", n[1]).format(n=count(n[1])),
            people=ngettext("{n} person", "{n} people", n[2]).format(n=count(n[2])),
        )

    def empty_detail(self) -> list[Entry]:
        """Beside the list (wide screens): projects by status, lead and tag, groups by type."""
        if self.dataset is None or narrow_at(self, self.size.width or self.app.size.width):
            return empty_hint()
        d = self.dataset
        lead = lambda m: member_label(d, m)  # noqa: E731
        facets = [
            facet("status", _("Projects by status"), (p.status for p in d.projects), status_title),
            facet("lead", _("Projects by lead"), (m for p in d.projects for m in p.lead), lead),
            facet("tag", _("Projects by tag"), (t for p in d.projects for t in p.tags)),
            facet("type", _("Groups and chapters by type"), (g.type for g in d.groups), group_title),
        ]
        fill = self.detail.scrollable_content_region.width or 36
        return glance_entries(N_("projects"), len(d.projects), [f for f in facets if f[2]], fill, links=False)
