"""Quotes: speaker, organisation and first line; the detail can switch to French (t)."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding

from index import Quote, Record

from ..render import detail_entries, quote_row
from ..widgets.line_list import Entry
from .base import ListDetailPane, focus_now


class QuotesPane(ListDetailPane):
    HELP = "Quotes are verbatim. t switches a quote with a French rendering to French and back."

    BINDINGS: ClassVar[list[Binding]] = [
        Binding("t", "toggle_french", "French", id="quotes.french"),
    ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.french = False

    def list_entries(self) -> list[Entry]:
        return [quote_row(q, self.dataset) for q in self.dataset.quotes] if self.dataset else []

    def title_text(self) -> str:
        if self.dataset is None:
            return "Quotes"
        translated = sum(1 for q in self.dataset.quotes if q.translations)
        return f"Quotes · {len(self.dataset.quotes)} · {translated} with a French rendering (t)"

    def detail_entries(self, record: Record) -> list[Entry]:
        assert self.dataset is not None
        return detail_entries(record, self.dataset, french=self.french, hit=self.hit)

    def action_toggle_french(self) -> None:
        self.french = not self.french
        if isinstance(self.record, Quote):
            focused = self.focused(self.detail)
            self.show_detail(self.record)
            if focused:
                focus_now(self.detail)
        self.notify("French rendering" if self.french else "Original text", timeout=2, markup=False)
