"""Filters of a list pane (`f`): for each field, the values kept (several per field).

A pane says what its fields are (`filter_fields`: members' founding/type/country, quotes'
speaker/member/language/year, events' tag/year) and which records they apply to
(`filter_records`); the dialog (screens.FilterScreen) is built from them. A record is kept
when, for every field with values chosen, one of its values is among them: any of the
values of a field, all the fields.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import field, replace
from itertools import chain
from typing import Any, ClassVar

from index import Record
from index.frozen import frozen
from index.i18n import N_, _

from ..render import GLANCE_TOP, Facet, glance_entries
from ..widgets.line_list import Entry
from .base import ListDetailPane, Prepared, empty_hint, focus_now, narrow_at

FILTER_LINK = "filter?"  # "filter?type=university": a bar of the at-a-glance detail


@frozen
class FilterField:
    """One field a list can be filtered on."""

    key: str  # "type": the name set_filter takes
    heading: str  # "Type": its heading in the dialog
    any_label: str  # "Any type": the dialog's choice that clears it
    values_of: Callable[[Any], Collection[str]]  # a record's values for it (several for tags, languages)
    label: Callable[[str], str] = str  # a value as the dialog shows it ("JP" -> "Japan")
    tag: Callable[[str], str] | None = None  # a value as the title shows it (default: label)
    order: Callable[[str], Any] | None = None  # sort key of the values (default: most frequent first)
    counts: Counter[str] = field(default_factory=Counter, compare=False)

    def title_label(self, value: str) -> str:
        return (self.tag or self.label)(value)


def count_values(records: Iterable[Any], values_of: Callable[[Any], Collection[str]]) -> Counter[str]:
    """How many records have each value (a record counts once per value): counted in C, as
    a first visit at 100,000 records counts every field (one Counter.update a record took 0.2 s)."""
    values = list(map(values_of, records))
    if max(map(len, values), default=0) < 2:  # one value a record at most: nothing to de-duplicate
        return Counter(chain.from_iterable(values))
    return Counter(chain.from_iterable(v if len(v) < 2 else set(v) for v in values))


class Labelled(Sequence[tuple[str, str, int]]):
    """(value, label, count) rows, each value labelled when read: the glance shows ten bars
    of a field whose values may be 26,000 members, and labelling them all took 0.1 s."""

    def __init__(self, counts: Counter[str], label: Callable[[str], str]) -> None:
        self._counts = counts
        self._label = label
        # Most frequent first, as Counter.most_common orders them; the top by a heap, and all
        # of them sorted only when a row beyond it is read.
        self._counted = counts.most_common(GLANCE_TOP)

    def __len__(self) -> int:
        return len(self._counts)

    def __getitem__(self, index):  # type: ignore[no-untyped-def, override]
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if not -len(self._counted) <= index < len(self._counted):
            self._counted = self._counts.most_common()
        value, count = self._counted[index]
        return value, self._label(value), count


class FilteredPane(ListDetailPane):
    """A list pane with `f` filters: several values per field (see the module docstring)."""

    # "Filter members", "All members (clear filters)": in English, translated where shown.
    FILTER_NOUN: ClassVar[str] = N_("records")
    GLANCE = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters: dict[str, frozenset[str]] = {}  # field key -> the values kept
        # The at-a-glance facets for (dataset, filters): a first visit asked for them three
        # times (the list's refresh, populate, the first resize), each a pass over every record.
        self._glance: tuple[object, frozenset[tuple[str, frozenset[str]]], int, list[Facet]] | None = None

    # -- to override ----------------------------------------------------

    def filter_fields(self) -> list[FilterField]:
        """The fields of this pane's filters, in the dialog's order."""
        return []

    def filter_records(self) -> Sequence[Any]:
        """Every record the filters choose from."""
        return ()

    # -- filtering ------------------------------------------------------

    def filtered(self, records: Iterable[Any]) -> list[Any]:
        """The records the filters keep, in their order."""
        kept = list(records)
        for spec in self.filter_fields():
            chosen = self.filters.get(spec.key)
            if chosen:
                values_of = spec.values_of
                kept = [r for r in kept if not chosen.isdisjoint(values_of(r))]
        return kept

    def filter_label(self) -> str:
        """'university or research, Japan': which filters are on ('' for none)."""
        parts = []
        for spec in self.filter_fields():
            chosen = self.filters.get(spec.key)
            if chosen:
                values = sorted(chosen, key=spec.order) if spec.order else sorted(chosen)
                labels = [spec.title_label(v) for v in values]
                either = labels[0]
                for label in labels[1:]:  # "a or b or c"
                    either = _("{first} or {second}").format(first=either, second=label)
                parts.append(either)
        return ", ".join(parts)

    def set_filter(self, key: str, value: str | Collection[str] | None) -> None:
        """Keep only `value` (a str, or several) in field `key`; None clears the field;
        ("clear", None) clears every field. Then the list is rebuilt."""
        if key == "clear":
            self.filters.clear()
        elif value is None or not value:
            self.filters.pop(key, None)
        else:
            self.filters[key] = frozenset((value,) if isinstance(value, str) else value)
        self.refresh_list()

    def set_filters(self, filters: Mapping[str, Collection[str]]) -> None:
        """Replace every filter at once (the dialog's result)."""
        self.filters = {key: frozenset(values) for key, values in filters.items() if values}
        self.refresh_list()

    def filter_choices(self) -> list[FilterField]:
        """The fields, each with how many records have each of its values (for the dialog)."""
        records = self.filter_records()
        return [replace(spec, counts=count_values(records, spec.values_of)) for spec in self.filter_fields()]

    def action_filter(self) -> None:
        from ..screens import FilterScreen

        if self.dataset is None:
            return

        def chosen(filters: dict[str, frozenset[str]] | None) -> None:
            if filters is not None:
                self.set_filters(filters)
                focus_now(self.list)

        total = len(self.filter_records())
        self.app.push_screen(FilterScreen(self.FILTER_NOUN, total, self.filter_choices(), dict(self.filters)), chosen)

    # -- at a glance (the detail of a wide screen while no record is open) -------------

    def facets(self, records: Sequence[Any]) -> list[Facet]:
        """For each filter field, its values among `records`, most frequent first; fields
        where no value is shared (every speaker quoted once) say nothing and are left out."""
        facets: list[Facet] = []
        for spec in self.filter_fields():
            counts = count_values(records, spec.values_of)
            if counts and max(counts.values()) > 1:
                facets.append((spec.key, spec.heading, Labelled(counts, spec.label)))
        return facets

    def prepared(self) -> Prepared:
        """The facets of the whole list (no filter yet), for the first visit's glance."""
        dataset = self.dataset
        if dataset is None:
            return None
        records = self.filter_records()
        return dataset, (len(records), self.facets(records))

    def adopt(self, prepared: Prepared) -> None:
        if prepared is not None and prepared[0] is self.dataset and self._glance is None:
            self._glance = (prepared[0], frozenset(), *prepared[1])

    def empty_detail(self) -> list[Entry]:
        """Beside the list (wide screens), the facets of what the filters keep, as bars that
        filter further; on narrow screens the detail is hidden until a record opens."""
        if self.dataset is None or narrow_at(self, self.size.width or self.app.size.width):
            return empty_hint()
        key = frozenset(self.filters.items())
        glance = self._glance
        if glance is None or glance[0] is not self.dataset or glance[1] != key:
            records = self.filtered(self.filter_records())
            glance = self._glance = (self.dataset, key, len(records), self.facets(records))
        fill = self.detail.scrollable_content_region.width or 36
        return glance_entries(self.FILTER_NOUN, glance[2], glance[3], fill)

    def refresh_list(self, keep: str | None = None) -> None:
        super().refresh_list(keep)
        if self._populated and self.record is None:
            self.detail.set_entries(self.empty_detail())  # the facets follow the filters

    def activate(self, entry: Entry) -> None:
        if entry.ref and entry.ref.startswith(FILTER_LINK):
            key, _equals, value = entry.ref.removeprefix(FILTER_LINK).partition("=")
            self.set_filter(key, value)
            focus_now(self.list)
            return
        super().activate(entry)

    def make_visible(self, record: Record) -> None:
        if self.filters:
            self.filters.clear()
            self.forget_narrowing()  # the list is rebuilt once, below, with neither
            self.refresh_list(keep=f"{record.kind}:{record.id}")
        else:
            super().make_visible(record)
