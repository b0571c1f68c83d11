"""Quotes: speaker, organisation and first line; the detail can switch to French (t); f filters
(speaker, member, language, year)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.binding import Binding

from index import Quote, Record
from index.dates import year_text as padded_year
from index.describe import member_label
from index.languages import LANGUAGES

from ..render import detail_entries, quote_line, quote_row
from ..widgets.line_list import Entry, Rows
from .base import focus_now
from .filtering import FilteredPane, FilterField


def language_label(code: str) -> str:
    return f"{LANGUAGES.get(code, code)} ({code})"


def quote_languages(quote: Quote) -> tuple[str, ...]:
    """The languages a quote can be read in: its own and its renderings' (as `lang:` searches)."""
    return (quote.lang, *(lang for lang, _ in quote.translations))


class QuotesPane(FilteredPane):
    HELP = (
        "Quotes are verbatim. t switches a quote with a French rendering to French and back. "
        "f filters by speaker, member, language and year."
    )
    NARROWS = True
    FILTER_NOUN = "quotes"

    BINDINGS: ClassVar[list[Binding]] = [
        Binding("t", "toggle_french", "French", id="quotes.french"),
        Binding("f", "filter", "Filter", id="quotes.filter"),
    ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.french = False

    def list_entries(self) -> Sequence[Entry]:
        if self.dataset is None:
            return []
        dataset = self.dataset
        quotes = self.filtered(dataset.quotes)
        # Two lines a row (speaker, then the first line), each made when drawn.
        return Rows(
            quotes,
            lambda q: quote_row(q, dataset),  # type: ignore[arg-type]
            [f"quote:{q.id}" for q in quotes],
            lines=2,
            text=lambda q: quote_line(q, dataset)[0],  # type: ignore[arg-type]
        )

    def filter_records(self) -> tuple[Quote, ...]:
        return self.dataset.quotes if self.dataset else ()

    def filter_fields(self) -> list[FilterField]:
        dataset = self.dataset
        member = (lambda m: member_label(dataset, m)) if dataset else str
        return [
            FilterField("speaker", "Speaker", "Any speaker", lambda q: (q.speaker,), order=str.casefold),
            FilterField("member", "Member", "Any member", lambda q: (q.member,) if q.member else (), label=member),
            FilterField("language", "Language", "Any language", quote_languages, label=language_label),
            FilterField("year", "Year", "Any year", lambda q: (padded_year(q.date.year),), order=str),
        ]

    def title_text(self) -> str:
        if self.dataset is None:
            return "Quotes"
        quotes = self.filtered(self.dataset.quotes) if self.filters else self.dataset.quotes
        translated = sum(1 for q in quotes if q.translations)
        count = f"{len(quotes)} of {len(self.dataset.quotes)}" if self.filters else f"{len(quotes)}"
        label = self.filter_label()
        where = f" · filter: {label}" if label else ""
        return f"Quotes · {count} · {translated} with a French rendering (t){where}"

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
