"""Timeline: events in date order under year headings; { and } jump between years; f filters
(tag, year).

On wide screens the rows have more columns (the members involved, the tags) as the width
allows, the list is as wide as its columns and the detail has the rest (a third at least).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import events
from textual.binding import Binding

from index import Dataset, Event
from index.dates import year_text as padded_year
from index.forms import human_date
from index.i18n import N_, _, ngettext

from ..render import EVENT_CELLS, EVENT_DATE_WIDTH, EVENT_EXTRAS, EventColumns, timeline_rows, widths, year_text
from ..widgets.line_list import Entry
from .base import Prepared, count, focus_now
from .filtering import FilteredPane, FilterField

TITLE_MIN = 48  # cells the title keeps when a column is added after it
TITLE_MAX = 64  # beside the detail, a longer title is cut rather than take the detail's room
EXTRA_MIN = 12  # a members or tags column narrower than this is not worth showing
MOST = 0.9  # a column is as wide as 9 cells in 10 need: the longest few end with …


def event_columns(room: int, title: tuple[int, int], extras: dict[str, int]) -> EventColumns:
    """The columns that fit in `room` cells.

    `title`: the longest title and the length 9 titles in 10 fit in; `extras`: key -> the
    width 9 of its cells in 10 need (gap included; a column nobody fills is not there).
    Optional columns come in EVENT_EXTRAS order while the title keeps TITLE_MIN; then
    the title gets what 9 in 10 need (at most TITLE_MAX), the members column what is left
    up to its need, and the title the rest. No optional column: the title takes it all."""
    longest, most = title
    left = room - EVENT_DATE_WIDTH
    keys: list[str] = []
    widths: list[int] = []
    for key, needed in extras.items():
        width = min(needed, EVENT_EXTRAS[key])
        if width < EXTRA_MIN or left - width < TITLE_MIN:
            break  # in order of priority: no later column before this one
        keys.append(key)
        widths.append(width)
        left -= width
    if not keys:
        return EventColumns(title=max(1, min(left, longest)))
    shown = min(left, most, TITLE_MAX)
    if "members" in keys:  # the names the cap cut, where the title leaves room
        at = keys.index("members")
        more = min(left - shown, max(0, extras["members"] - widths[at]))
        widths[at] += more
        left -= more
    return EventColumns(title=min(left, longest), extras=tuple(keys), widths=tuple(widths))


def most(lengths: list[int]) -> int:
    """What 9 in 10 of `lengths` fit in (0 for none)."""
    if not lengths:
        return 0
    lengths.sort()
    return lengths[int(MOST * (len(lengths) - 1))]


def measure_events(dataset: Dataset) -> tuple[dict[str, str], tuple[int, int], dict[str, int]]:
    """What TimelinePane.measure returns, computed (from the dataset alone)."""
    names = {m.id: m.short_name or m.name for m in dataset.members}
    events = dataset.events
    titles = widths([event.title for event in events])
    needed: dict[str, int] = {}
    for key in EVENT_EXTRAS:
        cell = EVENT_CELLS[key]
        found = [text for text in (cell(event, names) for event in events) if text]
        if found:
            needed[key] = most([n + 2 for n in widths(found)])
    return names, (max(titles, default=0), most(titles)), needed


# The help's text, translated where shown (help_text); the keys are placeholders, as a brace
# pair in a message would read as one.
TIMELINE_HELP = N_(
    "Events in date order, grouped by year. {previous} and {next} jump to the previous and next year. "
    "f filters by tag and year."
)


class TimelinePane(FilteredPane):
    HELP = TIMELINE_HELP.format(previous="{", next="}")  # English (see help_text)
    NARROWS = True
    FILTER_NOUN = N_("events")

    BINDINGS: ClassVar[list[Binding]] = [
        Binding("}", "year(1)", N_("Next year"), id="timeline.next_year"),
        Binding("{", "year(-1)", N_("Previous year"), id="timeline.previous_year"),
        Binding("f", "filter", N_("Filter"), id="timeline.filter"),
    ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.columns = EventColumns()  # set from the pane's width (on_resize)
        self._measured: tuple[Dataset, dict[str, str], tuple[int, int], dict[str, int]] | None = None

    def help_text(self) -> str:
        return _(TIMELINE_HELP).format(previous="{", next="}")

    def measure(self) -> tuple[dict[str, str], tuple[int, int], dict[str, int]]:
        """The members' short labels (id -> label), the longest title and what 9 titles in
        10 fit in, and the width 9 in 10 of each optional column's cells need (gap included;
        a column nobody fills is left out). Once per dataset: O(n log n), cheap."""
        if self.dataset is None:
            return {}, (0, 0), {}
        if self._measured is None or self._measured[0] is not self.dataset:
            self._measured = (self.dataset, *measure_events(self.dataset))
        return self._measured[1], self._measured[2], self._measured[3]

    def prepared(self) -> Prepared:
        """The columns' measures and the facets (see ListDetailPane.prepared)."""
        dataset = self.dataset
        return None if dataset is None else (dataset, (measure_events(dataset), super().prepared()))

    def adopt(self, prepared: Prepared) -> None:
        if prepared is None or prepared[0] is not self.dataset:
            return
        dataset, (measured, facets) = prepared
        if self._measured is None or self._measured[0] is not dataset:
            self._measured = (dataset, *measured)
        super().adopt(facets)

    def choose_columns(self, room: int, narrow: bool) -> EventColumns:
        """Alone (narrow screens) the rows as they always were; beside the detail, the title,
        members and tags as `room` allows."""
        if narrow:
            return EventColumns()
        _names, longest, needed = self.measure()
        return event_columns(room, longest, needed)

    def on_resize(self, event: events.Resize) -> None:
        self.lay_out(event.size.width)

    def list_entries(self) -> Sequence[Entry]:
        if self.dataset is None:
            return []
        if not self.columns.title:  # not laid out yet (populated before the first resize)
            self.lay_out(self.size.width or self.app.size.width, rebuild=False)
        names = self.measure()[0] if self.columns.extras else None
        return timeline_rows(self.filtered(self.dataset.events), self.columns, names)

    def filter_records(self) -> tuple[Event, ...]:
        return self.dataset.events if self.dataset else ()

    def filter_fields(self) -> list[FilterField]:
        return [
            FilterField("tag", _("Tag"), _("Any tag"), lambda e: e.tags),
            FilterField("year", _("Year"), _("Any year"), lambda e: (padded_year(e.date.year),), order=str),
        ]

    def title_text(self) -> str:
        if self.dataset is None or not self.dataset.events:
            return _("Timeline")
        total = len(self.dataset.events)
        events = self.filtered(self.dataset.events) if self.filters else self.dataset.events
        if not events:
            message = ngettext(
                "Timeline · 0 of {total} event · filter: {label}",
                "Timeline · 0 of {total} events · filter: {label}",
                total,
            )
            return message.format(total=count(total), label=self.filter_label())
        # The first and the last date, in one pass (sorting 16,000 dates took 0.1 s per title).
        first = min(events, key=lambda e: (e.date.year, e.date.month, e.date.day)).date
        last = max(events, key=lambda e: (e.date.year, e.date.month, e.date.day)).date
        dates = {"first": human_date(first), "last": human_date(last)}
        if self.filters:
            message = ngettext(
                "Timeline · {shown} of {total} event · {first} – {last} · {{ }} jump by year",
                "Timeline · {shown} of {total} events · {first} – {last} · {{ }} jump by year",
                total,
            )
            title = message.format(shown=count(len(events)), total=count(total), **dates)
        else:
            message = ngettext(
                "Timeline · {total} event · {first} – {last} · {{ }} jump by year",
                "Timeline · {total} events · {first} – {last} · {{ }} jump by year",
                total,
            )
            title = message.format(total=count(total), **dates)
        label = self.filter_label()
        return title + (" · " + _("filter: {label}").format(label=label) if label else "")

    def year_starts(self) -> list[int]:
        """Entry index of the first event of each year."""
        refs = self.list.refs  # headings have none: read without making the rows
        return [i + 1 for i, ref in enumerate(refs) if ref is None and i + 1 < len(refs)]

    def action_year(self, direction: int) -> None:
        starts = self.year_starts()
        cursor = self.list.cursor
        if direction > 0:
            later = [i for i in starts if i > cursor]
            target = later[0] if later else None
        else:
            current = max((i for i in starts if i <= cursor), default=None)
            earlier = [i for i in starts if current is not None and i < current]
            target = earlier[-1] if earlier else current
        if target is not None:
            self._show_year_at(target)

    def _show_year_at(self, first: int) -> None:
        """The cursor on a year's first event (entry `first`), the year's heading at the top
        of the view (as far as the list goes), so the year reads from its start."""
        self.list.cursor = first
        self.list.scroll_line_to_top(self.list.line_of(first - 1))
        focus_now(self.list)

    def jump_to_year(self, year: int) -> None:
        entries, refs = self.list.entries, self.list.refs
        wanted = year_text(year)
        for index, ref in enumerate(refs):  # the headings (no ref): no row is made
            if ref is None and index + 1 < len(refs) and entries[index].text.plain == wanted:
                self._show_year_at(index + 1)
                return
