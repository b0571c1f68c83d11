"""Timeline: events in date order under year headings; { and } jump between years."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding

from ..render import timeline_entries, year_text
from ..widgets.line_list import Entry
from .base import ListDetailPane, focus_now


class TimelinePane(ListDetailPane):
    HELP = "Events in date order, grouped by year. { and } jump to the previous and next year."

    BINDINGS: ClassVar[list[Binding]] = [
        Binding("}", "year(1)", "Next year", id="timeline.next_year"),
        Binding("{", "year(-1)", "Previous year", id="timeline.previous_year"),
    ]

    def list_entries(self) -> list[Entry]:
        return timeline_entries(self.dataset.events) if self.dataset else []

    def title_text(self) -> str:
        if self.dataset is None or not self.dataset.events:
            return "Timeline"
        dates = sorted(e.date for e in self.dataset.events)
        return f"Timeline · {len(dates)} events · {dates[0].human()} – {dates[-1].human()} · {{ }} jump by year"

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
