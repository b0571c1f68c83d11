"""Members: a table (column headers; more columns as the terminal widens), filtered by
founding/later, type and country (f), sorted by any column either way (s, S, a click on
a header); the detail with links beside it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import Any, ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding

from index import MEMBER_TYPES, Dataset, Member, PartialDate
from index.forms import country_name, type_word
from index.i18n import N_, _, pgettext

from ..render import MEMBER_EXTRAS, MemberColumns, member_line, member_row, website_label, widest
from ..widgets.line_list import Entry, Rows
from ..widgets.table_header import Column, TableHeader
from .base import Prepared, count
from .filtering import FilteredPane, FilterField

# The order `s` goes through the columns shown (the first four are always there).
SORTS = ("name", "country", "type", "joined", "region", "website", "listed", "founding")
FOUNDING = {"yes": N_("Founding members"), "no": N_("Joined later")}
FOUNDING_TAGS = {"yes": N_("founding"), "no": N_("joined later")}

FIXED = MemberColumns().width  # the mark, country and type columns
# Cells the name keeps when an optional column is added: the joined date (one of the four
# sorts `s` always had) comes at 24, the others only where the name keeps 32.
NAME_MIN = {"joined": 24}
NAME_ROOMY = 32
NAME_MAX = 48  # beside the detail, a longer name is cut rather than take the detail's room


def column_label(key: str) -> str:
    """A column's header, which is also the sort's name in the title ("sorted by name").

    Translated: each must fit its column with the sort's arrow (type 10 cells, joined 11,
    listed 10, region 14, website 24; the name's is the widest)."""
    labels = {
        "founding": "",
        "country": pgettext("column", "CC"),
        "type": pgettext("column", "type"),
        "name": pgettext("column", "name"),
        "joined": pgettext("column", "joined"),
        "region": pgettext("column", "region"),
        "website": pgettext("column", "website"),
        "listed": pgettext("column", "listed"),
    }
    return labels.get(key, key)


def sort_name(key: str) -> str:
    """The sort as the title names it ("sorted by country")."""
    names = {
        "name": pgettext("sort", "name"),
        "country": pgettext("sort", "country"),
        "type": pgettext("sort", "type"),
        "joined": pgettext("sort", "joined"),
        "region": pgettext("sort", "region"),
        "website": pgettext("sort", "website"),
        "listed": pgettext("sort", "listed"),
        "founding": pgettext("sort", "founding"),
    }
    return names.get(key, key)


def country_label(code: str) -> str:
    """'Switzerland (CH)' (in French 'Suisse (CH)'); a member whose country is not known says so."""
    return f"{country_name(code)} ({code})" if code else _("not established")


def _name(m: Member) -> str:
    return m.name.casefold()


def _day(date: PartialDate) -> tuple[int, int, int]:
    # PartialDate's own order, as plain ints: comparing dataclasses is 5x slower at 100,000.
    return (date.year, date.month, date.day)


# Sort values; None: the member has no value there (it goes last, in either direction).
SORT_KEYS: dict[str, Callable[[Member], Any]] = {
    "name": lambda m: (_name(m),),
    "country": lambda m: (m.country, _name(m)) if m.country else None,
    "type": lambda m: (m.type, _name(m)),
    # Joined, else the date a source listed it (what the joined column shows).
    "joined": lambda m: (_day(m.since), _name(m)) if m.since else None,
    "region": lambda m: (m.region.casefold(), _name(m)) if m.region else None,
    "website": lambda m: (website_label(m.website).casefold(), _name(m)) if m.website else None,
    "listed": lambda m: (_day(m.listed), _name(m)) if m.listed else None,
    "founding": lambda m: (not m.founding, _name(m)),  # founding members first
}


def sort_members(members: list[Member], key: str, descending: bool = False) -> list[Member]:
    """Members by one column; descending is ascending reversed, and members without a
    value in that column stay last either way (sorted by name)."""
    if key == "name":  # every member has one: no pairs, no tuples (40,000 on a first visit)
        return sorted(members, key=_name, reverse=descending)
    value = SORT_KEYS[key]
    keyed = [(value(m), m) for m in members]
    present = sorted((pair for pair in keyed if pair[0] is not None), key=itemgetter(0), reverse=descending)
    absent = sorted((m for v, m in keyed if v is None), key=_name)
    return [m for _value, m in present] + absent


def measure_members(members: Sequence[Member]) -> tuple[int, tuple[str, ...]]:
    """The longest name as rows show it, and the optional columns some member has a value for."""
    # A name with its short form after it, as the row shows it: "Name (SHORT)".
    named = [f"{m.name} ({m.short_name})" for m in members if m.short_name and m.short_name not in m.name]
    longest = max(widest([m.name for m in members]), widest(named))
    seen = {
        "joined": any(m.since for m in members),
        "listed": any(m.listed for m in members),
        "region": any(m.region for m in members),
        "website": any(m.website for m in members),
    }
    return longest, tuple(k for k in MEMBER_EXTRAS if seen.get(k))


def table_columns(room: int, longest: int, available: tuple[str, ...], name_max: int | None = None) -> MemberColumns:
    """The columns that fit in `room` cells: optional ones in MEMBER_EXTRAS order while the
    name keeps NAME_MIN (else NAME_ROOMY); the name takes what it needs (`longest`, at most `name_max`), or
    all that is left when no optional column is shown."""
    extras: list[str] = []
    left = room - FIXED
    for key in MEMBER_EXTRAS:
        if key not in available:
            continue
        if left - MEMBER_EXTRAS[key] < NAME_MIN.get(key, NAME_ROOMY):
            break  # in order of priority: no later column before this one
        extras.append(key)
        left -= MEMBER_EXTRAS[key]
    name = min(left, longest, name_max or left) if extras else left
    return MemberColumns(name=max(1, name), extras=tuple(extras))


class MembersPane(FilteredPane):
    HELP = N_(
        "● founding member, ○ joined later; a joined date after ≤ is when a source listed it (the day "
        "it joined is not known). f filters (founding/later, type, country), s sorts by the next column, "
        "S reverses the order; a click on a column's header sorts by it, a second click reverses."
    )
    NARROWS = True
    FILTER_NOUN = N_("members")

    BINDINGS: ClassVar[list[Binding]] = [
        Binding("f", "filter", N_("Filter"), id="members.filter"),
        Binding("s", "sort", N_("Sort"), id="members.sort"),
        Binding("S", "reverse_sort", N_("Reverse"), id="members.reverse"),
    ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.sort = "name"
        self.descending = False
        self.columns = MemberColumns()  # set from the pane's width (on_resize)
        self._measured: tuple[Dataset, int, tuple[str, ...]] | None = None
        self._shown: int | None = None  # members the last list_entries kept (for the title)
        self._sorted: dict[tuple[str, bool], tuple[Dataset, list[Member]]] = {}

    def compose(self) -> ComposeResult:
        parts = iter(super().compose())
        yield next(parts)  # the title line
        yield TableHeader(classes="table-header")
        yield from parts

    @property
    def header(self) -> TableHeader:
        return self.query_one(TableHeader)

    # -- columns ----------------------------------------------------------

    def measure(self) -> tuple[int, tuple[str, ...]]:
        """The longest name as rows show it, and the optional columns some member has a value
        for (a column nobody has is not shown). Once per dataset: O(n), cheap."""
        if self.dataset is None:
            return 0, ()
        if self._measured is None or self._measured[0] is not self.dataset:
            self._measured = (self.dataset, *measure_members(self.dataset.members))
        return self._measured[1], self._measured[2]

    def choose_columns(self, room: int, narrow: bool) -> MemberColumns:
        """The table's columns: beside the detail a long name is cut at NAME_MAX."""
        longest, available = self.measure()
        return table_columns(room, longest, available, None if narrow else NAME_MAX)

    def on_resize(self, event: events.Resize) -> None:
        self.lay_out(event.size.width)

    def shown_sorts(self) -> list[str]:
        """The sort keys of the columns shown, in the order `s` goes through them."""
        shown = {"name", "country", "type", "founding", *self.columns.extras}
        return [key for key in SORTS if key in shown]

    def header_columns(self) -> list[Column]:
        return [Column(key, start, width, column_label(key)) for key, start, width in self.columns.spans()]

    def visible_members(self) -> list[Member]:
        """The members the filters keep, in the sort's order (filtering keeps that order)."""
        return self.filtered(self.sorted_members(self.sort, self.descending)) if self.dataset else []

    def sorted_members(self, key: str, descending: bool) -> list[Member]:
        """Every member in that order, sorted once per dataset and order (40,000 names took
        20 ms a visit; a filter or a narrowing reuses it)."""
        dataset = self.dataset
        if dataset is None:
            return []
        cached = self._sorted.get((key, descending))
        if cached is None or cached[0] is not dataset:
            cached = (dataset, sort_members(list(dataset.members), key, descending))
            self._sorted[key, descending] = cached
        return cached[1]

    def prepared(self) -> Prepared:
        """The columns' measures, the default order and the facets (see ListDetailPane.prepared)."""
        dataset = self.dataset
        if dataset is None:
            return None
        return dataset, (
            measure_members(dataset.members),
            sort_members(list(dataset.members), "name"),
            super().prepared(),
        )

    def adopt(self, prepared: Prepared) -> None:
        if prepared is None or prepared[0] is not self.dataset:
            return
        dataset, (measured, ordered, facets) = prepared
        if self._measured is None or self._measured[0] is not dataset:
            self._measured = (dataset, *measured)
        cached = self._sorted.get(("name", False))
        if cached is None or cached[0] is not dataset:  # none yet, or of the data before
            self._sorted["name", False] = (dataset, ordered)
        super().adopt(facets)

    def list_entries(self) -> Sequence[Entry]:
        if not self.columns.name:  # not laid out yet (populated before the first resize)
            self.lay_out(self.size.width or self.app.size.width, rebuild=False)
        columns = self.columns
        members = self.visible_members()
        self._shown = len(members)
        # Each row made when drawn: a first visit of 40,000 members makes a screenful.
        return Rows(
            members,
            lambda m: member_row(m, columns),  # type: ignore[arg-type]
            [f"member:{m.id}" for m in members],
            text=lambda m: member_line(m, columns)[0],  # type: ignore[arg-type]
        )

    def refresh_list(self, keep: str | None = None) -> None:
        super().refresh_list(keep)
        if self.dataset is not None:
            self.header.set_columns(self.header_columns(), self.sort, self.descending)

    def filter_records(self) -> tuple[Member, ...]:
        return self.dataset.members if self.dataset else ()

    def filter_fields(self) -> list[FilterField]:
        return [
            FilterField(
                "founding",
                _("Membership"),
                _("Founding or later"),
                lambda m: ("yes" if m.founding else "no",),
                label=lambda v: _(FOUNDING[v]),
                tag=lambda v: _(FOUNDING_TAGS[v]),
                order=lambda v: v != "yes",
            ),
            FilterField(
                "type",
                _("Type"),
                _("Any type"),
                lambda m: (m.type,),
                label=type_word,
                order=lambda t: (MEMBER_TYPES.index(t) if t in MEMBER_TYPES else len(MEMBER_TYPES), t),
            ),
            FilterField("country", _("Country"), _("Any country"), lambda m: (m.country,), label=country_label),
        ]

    def title_text(self) -> str:
        if self.dataset is None:
            return _("Members")
        # As counted by the list just built (refresh_list): not filtered and sorted again.
        shown = self._shown if self._shown is not None else len(self.visible_members())
        label = self.filter_label()
        where = " · " + _("filter: {label}").format(label=label) if label else ""
        arrow = "▼" if self.descending else "▲"
        title = _("Members · {shown} of {total} · sorted by {sort} {arrow}").format(
            shown=count(shown), total=count(len(self.dataset.members)), sort=sort_name(self.sort), arrow=arrow
        )
        return title + where

    def action_sort(self) -> None:
        """Sort by the next column shown, in SORTS order (name, country, type, joined, …), ascending."""
        shown = self.shown_sorts()
        at = SORTS.index(self.sort)
        self.sort = next(key for key in SORTS[at + 1 :] + SORTS[: at + 1] if key in shown)
        self.descending = False
        self.refresh_list()

    def action_reverse_sort(self) -> None:
        self.descending = not self.descending
        self.refresh_list()

    def sort_by(self, key: str) -> None:
        """A click on a column's header: sort by it, or reverse if it is the sort already."""
        if key == self.sort:
            self.descending = not self.descending
        else:
            self.sort, self.descending = key, False
        self.refresh_list()

    def on_table_header_clicked(self, message: TableHeader.Clicked) -> None:
        message.stop()
        self.sort_by(message.key)
