"""Members: filter by founding/later, type and country (f); sort (s); detail with links."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding

from index import MEMBER_TYPES, Member, PartialDate
from index.describe import country_name

from ..render import member_row
from ..widgets.line_list import Entry
from .filtering import FilteredPane, FilterField

SORTS = ("name", "country", "type", "joined")
NO_DATE = PartialDate(1)
FOUNDING = {"yes": "Founding members", "no": "Joined later"}
FOUNDING_TAGS = {"yes": "founding", "no": "joined later"}


class MembersPane(FilteredPane):
    HELP = "● founding member, ○ joined later. f filters (founding/later, type, country), s changes the sort."
    NARROWS = True
    FILTER_NOUN = "members"

    BINDINGS: ClassVar[list[Binding]] = [
        Binding("f", "filter", "Filter", id="members.filter"),
        Binding("s", "sort", "Sort", id="members.sort"),
    ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.sort = "name"

    def visible_members(self) -> list[Member]:
        members = self.filtered(self.dataset.members) if self.dataset else []
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

    def filter_records(self) -> tuple[Member, ...]:
        return self.dataset.members if self.dataset else ()

    def filter_fields(self) -> list[FilterField]:
        return [
            FilterField(
                "founding",
                "Membership",
                "Founding or later",
                lambda m: ("yes" if m.founding else "no",),
                label=FOUNDING.__getitem__,
                tag=FOUNDING_TAGS.__getitem__,
                order=lambda v: v != "yes",
            ),
            FilterField(
                "type",
                "Type",
                "Any type",
                lambda m: (m.type,),
                order=lambda t: (MEMBER_TYPES.index(t) if t in MEMBER_TYPES else len(MEMBER_TYPES), t),
            ),
            FilterField("country", "Country", "Any country", lambda m: (m.country,), label=country_name),
        ]

    def title_text(self) -> str:
        if self.dataset is None:
            return "Members"
        shown = len(self.visible_members())
        label = self.filter_label()
        where = f" · filter: {label}" if label else ""
        return f"Members · {shown} of {len(self.dataset.members)} · sorted by {self.sort}{where}"

    def action_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self.refresh_list()
