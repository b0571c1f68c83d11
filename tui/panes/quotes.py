"""Quotes: speaker, organisation and first line; the detail can switch to French (t); f filters
(speaker, member, language, year).

In English, t shows a quote's French rendering instead of its text, and back. In French, a
quote with a French rendering shows it first, saying which part of the original it renders;
t shows the original and back (and only there: elsewhere t is neither shown nor acts).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.binding import Binding

from index import Quote, Record
from index.dates import year_text as padded_year
from index.describe import member_label
from index.forms import language_name
from index.i18n import N_, _, language, ngettext
from index.kinds.quote import rendering

from ..render import detail_entries, quote_line, quote_row
from ..widgets.line_list import Entry, Rows
from .base import focus_now
from .filtering import FilteredPane, FilterField


def language_label(code: str) -> str:
    return f"{language_name(code)} ({code})"


def quote_languages(quote: Quote) -> tuple[str, ...]:
    """The languages a quote can be read in: its own and its renderings' (as `lang:` searches)."""
    return (quote.lang, *(lang for lang, _ in quote.translations))


class QuotesPane(FilteredPane):
    HELP = N_(
        "Quotes are verbatim. t switches a quote with a French rendering to French and back. "
        "f filters by speaker, member, language and year."
    )
    NARROWS = True
    FILTER_NOUN = N_("quotes")

    BINDINGS: ClassVar[list[Binding]] = [
        # One key, two bindings: check_action lets the English one act in English, the other
        # in another language (where a quote opens in its rendering, t shows the original).
        Binding("t", "toggle_french", N_("French"), id="quotes.french"),
        Binding("t", "toggle_translation", N_("Original/translation"), id="quote.translation"),
        Binding("f", "filter", N_("Filter"), id="quotes.filter"),
    ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.french = False  # English: the French rendering instead of the text
        self.original = False  # another language: the original instead of the rendering

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle_french":
            return language() == "en"
        if action == "toggle_translation":
            return language() != "en" and self._has_rendering()
        return super().check_action(action, parameters)

    def _has_rendering(self) -> bool:
        """True when the open quote has a rendering in the interface's language."""
        record = self.record
        return isinstance(record, Quote) and rendering(record, language()) is not None

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
            FilterField("speaker", _("Speaker"), _("Any speaker"), lambda q: (q.speaker,), order=str.casefold),
            FilterField(
                "member", _("Member"), _("Any member"), lambda q: (q.member,) if q.member else (), label=member
            ),
            FilterField("language", _("Language"), _("Any language"), quote_languages, label=language_label),
            FilterField("year", _("Year"), _("Any year"), lambda q: (padded_year(q.date.year),), order=str),
        ]

    def title_text(self) -> str:
        if self.dataset is None:
            return _("Quotes")
        quotes = self.filtered(self.dataset.quotes) if self.filters else self.dataset.quotes
        translated = sum(1 for q in quotes if q.translations)
        if self.filters:
            count = _("{shown} of {total}").format(shown=len(quotes), total=len(self.dataset.quotes))
        else:
            count = f"{len(quotes)}"
        label = self.filter_label()
        where = " · " + _("filter: {label}").format(label=label) if label else ""
        title = ngettext(
            "Quotes · {count} · {n} with a French rendering (t)",
            "Quotes · {count} · {n} with a French rendering (t)",
            translated,
        )
        return title.format(count=count, n=translated) + where

    def show_detail(self, record: Record | None) -> None:
        had = language() != "en" and self._has_rendering()
        super().show_detail(record)
        if language() != "en" and had != self._has_rendering():
            self.refresh_bindings()  # t shows in the footer only for a quote with a rendering

    def detail_entries(self, record: Record) -> list[Entry]:
        assert self.dataset is not None
        return detail_entries(record, self.dataset, french=self.french, original=self.original, hit=self.hit)

    def action_toggle_french(self) -> None:
        self.french = not self.french
        self._redraw()
        self.notify(_("French rendering") if self.french else _("Original text"), timeout=2, markup=False)

    def action_toggle_translation(self) -> None:
        """Another language: the open quote's original, or its rendering again (a mode, as in
        English: the next quote opens the same way)."""
        self.original = not self.original
        self._redraw()
        self.notify(_("Original text") if self.original else _("Translation"), timeout=2, markup=False)

    def _redraw(self) -> None:
        if isinstance(self.record, Quote):
            focused = self.focused(self.detail)
            self.show_detail(self.record)
            if focused:
                focus_now(self.detail)
