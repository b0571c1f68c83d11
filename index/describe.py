"""Records as labelled rows: every field, then linked records, then sources.

Shared by the CLI's `show` and the explorer's detail views, so both list the
same fields in the same order. Links are REFs ('member:nasa') that a UI can follow.
Each kind writes its own rows (index/kinds/); this module holds the row helpers
they share, and adds what every record gets: records of other kinds that link to
it, and its sources.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .frozen import frozen

if TYPE_CHECKING:
    from .model import Dataset


@frozen
class Row:
    """A label and its values; `links[i]`, when not empty, is the REF values[i] names.

    `prose` marks a long text (summary, note, a quote) whose line breaks are paragraphs;
    every other value is one line, whatever breaks its text holds (see tui.output).
    """

    label: str
    values: tuple[str, ...]
    links: tuple[str, ...] = ()
    prose: bool = False

    def link(self, position: int) -> str:
        return self.links[position] if position < len(self.links) else ""


def row(label: str, value: str) -> list[Row]:
    """One line, left out when empty."""
    return [Row(label, (value,))] if value else []


def prose(label: str, value: str) -> list[Row]:
    """A long text whose line breaks are paragraphs, left out when empty."""
    return [Row(label, (value,), prose=True)] if value else []


def many(label: str, values: Iterable[str]) -> list[Row]:
    """One line per value, left out when there are none."""
    values = tuple(values)
    return [Row(label, values)] if values else []


def member_label(dataset: Dataset, member_id: str) -> str:
    member = dataset.member(member_id)
    return member.name if member else member_id


def links(label: str, dataset: Dataset, ids: Iterable[str], kinds: tuple[str, ...] = ("member",)) -> list[Row]:
    """Linked records by id: each names the first of `kinds` that has that id."""
    ids = tuple(ids)
    if not ids:
        return []
    names, refs = [], []
    for record_id in ids:
        found = next((r for k in kinds if (r := dataset.get(k, record_id)) is not None), None)
        names.append(_link_text(found) if found is not None else record_id)
        refs.append(f"{found.kind}:{record_id}" if found is not None else "")
    return [Row(label, tuple(names), tuple(refs))]


def date_row(label: str, date: Any) -> list[Row]:
    return row(label, str(date)) if date is not None else []


def country_name(code: str) -> str:
    """'Switzerland (CH)'; in French 'Suisse (CH)'."""
    if _language() != "en":
        from .forms import country_name as named
        from .i18n import _

        return f"{named(code)} ({code})" if code else _("not established")
    from .countries import COUNTRIES  # a 250-entry table: only a member's detail shows a name

    return f"{COUNTRIES.get(code, code)} ({code})" if code else "not established"


def _language() -> str:
    """The interface's language; "en" while index.i18n is not imported (an English command
    line never imports it: see tui/cli.py's `use_language`)."""
    i18n = sys.modules.get(f"{__package__}.i18n")
    return "en" if i18n is None else i18n.language()  # type: ignore[no-any-return]


def _link_text(record: Any) -> str:
    from .kinds import kind_of

    return kind_of(record).link_text(record)


def backlinks(record: Any, dataset: Dataset) -> list[Row]:
    """Records of every kind that name this one in a link field, one row per kind."""
    from .kinds import kinds

    rows = []
    for kind in kinds():
        linking = dataset.linking(kind.name, record)
        if linking:
            title = kind.backlink_title or kind.plural
            refs = tuple(f"{r.kind}:{r.id}" for r in linking)
            rows.append(Row(title, tuple(kind.link_text(r) for r in linking), refs))
    return rows


def describe(record: Any, dataset: Dataset) -> list[Row]:
    """Rows for one record, in the order people read them: its fields, what links to it, sources."""
    from .kinds import kind_of

    rows = kind_of(record).describe(record, dataset)
    rows += backlinks(record, dataset)
    rows.append(Row("sources", record.sources, record.sources))
    return rows


def citation(record: Any, dataset: Dataset) -> str:
    """A one-paragraph citation for the clipboard: text or name, who, when, and the source."""
    from .kinds import kind_of

    cite = kind_of(record).citation
    if cite is not None:
        body = cite(record, dataset)
    else:
        summary = getattr(record, "summary", "")
        body = f"{record.title}. {summary}" if summary else f"{record.title}."
    source = record.sources[0] if record.sources else ""
    return f"{body} Source: {source}" if source else body
