"""One line of column headers over a LineList table: labels at given cells, the sorted
column marked ▲ (ascending) or ▼ (descending), and a click on a label asks to sort by it.

It knows no records: the pane that owns the table gives it the columns (key, first
cell, width, label) and the sort, and decides what a click does (`TableHeader.Clicked`).
▲ and ▼ are in the Linux console's font (code page 437), so no ASCII fallback is needed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from rich.text import Text
from textual import events
from textual.message import Message
from textual.widget import Widget

UP, DOWN = "▲", "▼"


class Column(NamedTuple):
    key: str  # what the owner sorts by
    start: int  # first cell, counted from the left edge of the table's text
    width: int  # cells the column's values take (the label may run into the gap after it)
    label: str


class TableHeader(Widget):
    """Column labels, aligned with the table below (same left padding)."""

    DEFAULT_CSS = """
    TableHeader {
        height: 1;
    }
    """

    class Clicked(Message):
        """A click on a column's label: `key` is that column's sort key."""

        def __init__(self, header: TableHeader, key: str) -> None:
            super().__init__()
            self.header = header
            self.key = key

        @property
        def control(self) -> TableHeader:
            return self.header

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.columns: tuple[Column, ...] = ()
        self.sort_key = ""
        self.descending = False

    def set_columns(self, columns: Sequence[Column], sort_key: str, descending: bool) -> None:
        """Show these columns, `sort_key`'s marked with the direction."""
        columns, changed = tuple(columns), (tuple(columns), sort_key, descending)
        if changed != (self.columns, self.sort_key, self.descending):
            self.columns, self.sort_key, self.descending = changed
            self.refresh()

    def label_text(self) -> Text:
        """The header line as text (cells from the table's left edge)."""
        text = Text(no_wrap=True, overflow="crop")
        for column in self.columns:
            label = column.label
            if column.key == self.sort_key:
                label = f"{label}{DOWN if self.descending else UP}"
            if text.cell_len < column.start:
                text.append(" " * (column.start - text.cell_len))
            elif text.cell_len > column.start:  # the previous label ran on: keep one space
                text.append(" ")
            text.append(label, style="bold underline" if column.key == self.sort_key else "bold")
        return text

    def render(self) -> Text:
        return self.label_text()

    def column_at(self, x: int) -> Column | None:
        """The column under cell `x` of the content (label or values: either may be clicked)."""
        for column in self.columns:
            if column.start <= x < column.start + max(column.width, len(column.label) + 1):
                return column
        return None

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        column = self.column_at(offset.x) if offset is not None else None
        if column is not None:
            event.stop()
            self.post_message(self.Clicked(self, column.key))
