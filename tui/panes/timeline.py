"""Timeline: events in date order under year headings; { and } jump between years; f filters
(tag, year)."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding

from index import Event
from index.dates import year_text as padded_year

from ..render import timeline_entries, year_text
from ..widgets.line_list import Entry
from .base import focus_now
from .filtering import FilteredPane, FilterField


class TimelinePane(FilteredPane):
    HELP = (
        "Events in date order, grouped by year. { and } jump to the previous and next year. f filters by tag and year."
    )
    NARROWS = True
    FILTER_NOUN = "events"

    BINDINGS: ClassVar[list[Binding]] = [
        Binding("}", "year(1)", "Next year", id="timeline.next_year"),
        Binding("{", "year(-1)", "Previous year", id="timeline.previous_year"),
        Binding("f", "filter", "Filter", id="timeline.filter"),
    ]

    def list_entries(self) -> list[Entry]:
        return timeline_entries(self.filtered(self.dataset.events)) if self.dataset else []

    def filter_records(self) -> tuple[Event, ...]:
        return self.dataset.events if self.dataset else ()

    def filter_fields(self) -> list[FilterField]:
        return [
            FilterField("tag", "Tag", "Any tag", lambda e: e.tags),
            FilterField("year", "Year", "Any year", lambda e: (padded_year(e.date.year),), order=str),
        ]

    def title_text(self) -> str:
        if self.dataset is None or not self.dataset.events:
            return "Timeline"
        events = self.filtered(self.dataset.events) if self.filters else self.dataset.events
        if not events:
            return f"Timeline · 0 of {len(self.dataset.events)} events · filter: {self.filter_label()}"
        dates = sorted(e.date for e in events)
        count = f"{len(dates)} of {len(self.dataset.events)}" if self.filters else f"{len(dates)}"
        label = self.filter_label()
        where = f" · filter: {label}" if label else ""
        return f"Timeline · {count} events · {dates[0].human()} – {dates[-1].human()} · {{ }} jump by year{where}"

    def year_starts(self) -> list[int]:
        """Entry index of the first event of each year."""
        entries = self.list.entries
        return [i + 1 for i, e in enumerate(entries) if not e.selectable and i + 1 < len(entries)]

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
        for index, entry in enumerate(self.list.entries):
            if not entry.selectable and entry.text.plain == year_text(year) and index + 1 < len(self.list.entries):
                self._show_year_at(index + 1)
                return
