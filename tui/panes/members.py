"""Members: filter by founding/later, type and country (f); sort (s); detail with links."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding

from index import Member, PartialDate, Record
from index.describe import country_name

from ..render import member_row
from ..widgets.line_list import Entry
from .base import ListDetailPane, focus_now

SORTS = ("name", "country", "type", "joined")
NO_DATE = PartialDate(1)


class MembersPane(ListDetailPane):
    HELP = "● founding member, ○ joined later. f filters (founding/later, type, country), s changes the sort."

    BINDINGS: ClassVar[list[Binding]] = [
        Binding("f", "filter", "Filter", id="members.filter"),
        Binding("s", "sort", "Sort", id="members.sort"),
    ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.filters: dict[str, str] = {}  # "founding" -> "yes"/"no", "type" -> t, "country" -> CC
        self.sort = "name"

    def visible_members(self) -> list[Member]:
        members = list(self.dataset.members) if self.dataset else []
        founding = self.filters.get("founding")
        if founding:
            members = [m for m in members if m.founding == (founding == "yes")]
        if "type" in self.filters:
            members = [m for m in members if m.type == self.filters["type"]]
        if "country" in self.filters:
            members = [m for m in members if m.country == self.filters["country"]]
        keys = {
            "name": lambda m: m.name.casefold(),
            "country": lambda m: (m.country == "", m.country, m.name.casefold()),  # not established: last
            "type": lambda m: (m.type, m.name.casefold()),
            # Joined, else first listed; members with neither last.
            "joined": lambda m: (m.since is None, m.since or NO_DATE, m.name.casefold()),
        }
        return sorted(members, key=keys[self.sort])

    def list_entries(self) -> list[Entry]:
        return [member_row(m) for m in self.visible_members()]

    def filter_label(self) -> str:
        parts = []
        if "founding" in self.filters:
            parts.append("founding" if self.filters["founding"] == "yes" else "joined later")
        if "type" in self.filters:
            parts.append(self.filters["type"])
        if "country" in self.filters:
            parts.append(country_name(self.filters["country"]))
        return ", ".join(parts)

    def title_text(self) -> str:
        if self.dataset is None:
            return "Members"
        shown = len(self.visible_members())
        label = self.filter_label()
        where = f" · filter: {label}" if label else ""
        return f"Members · {shown} of {len(self.dataset.members)} · sorted by {self.sort}{where}"

    def set_filter(self, key: str, value: str | None) -> None:
        if key == "clear":
            self.filters.clear()
        elif value is None:
            self.filters.pop(key, None)
        else:
            self.filters[key] = value
        self.refresh_list()

    def action_filter(self) -> None:
        from ..screens import FilterScreen

        if self.dataset is None:
            return

        def chosen(choice: tuple[str, str | None] | None) -> None:
            if choice:
                self.set_filter(*choice)
                focus_now(self.list)

        self.app.push_screen(FilterScreen(self.dataset, dict(self.filters)), chosen)

    def action_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self.refresh_list()

    def make_visible(self, record: Record) -> None:
        if self.filters:
            self.filters.clear()
            self.refresh_list(keep=f"{record.kind}:{record.id}")
