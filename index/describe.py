"""Records as labelled rows: every field, then linked records, then sources.

Shared by the CLI's `show` and the explorer's detail views, so both list the
same fields in the same order. Links are REFs ('member:nasa') that a UI can follow.
"""

from __future__ import annotations

from dataclasses import dataclass

from .countries import COUNTRIES
from .languages import LANGUAGES
from .model import Dataset, Event, Member, Quote, Record, Topic


@dataclass(frozen=True)
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


def _row(label: str, value: str) -> list[Row]:
    return [Row(label, (value,))] if value else []


def _prose(label: str, value: str) -> list[Row]:
    return [Row(label, (value,), prose=True)] if value else []


def _many(label: str, values: tuple[str, ...] | list[str]) -> list[Row]:
    return [Row(label, tuple(values))] if values else []


def member_label(dataset: Dataset, member_id: str) -> str:
    member = dataset.member(member_id)
    return member.name if member else member_id


def _member_links(label: str, dataset: Dataset, member_ids: tuple[str, ...]) -> list[Row]:
    if not member_ids:
        return []
    names = tuple(member_label(dataset, m) for m in member_ids)
    return [Row(label, names, tuple(f"member:{m}" for m in member_ids))]


def country_name(code: str) -> str:
    return f"{COUNTRIES.get(code, code)} ({code})"


def describe(record: Record, dataset: Dataset) -> list[Row]:
    """Rows for one record, in the order people read them."""
    rows: list[Row] = []
    if isinstance(record, Member):
        rows += _row("name", record.name)
        rows += _row("short name", record.short_name)
        rows += _many("aliases", record.aliases)
        rows += _row("type", record.type)
        rows += _row("country", country_name(record.country))
        rows += _row("region", record.region)
        rows += _row("membership", "founding member" if record.founding else "joined later")
        rows += _row("joined", str(record.joined))
        rows += _row("website", record.website)
        rows += _prose("summary", record.summary)
        rows += _prose("note", record.note)
        quotes = dataset.quotes_of(record.id)
        if quotes:
            rows.append(Row("quotes", tuple(q.title for q in quotes), tuple(f"quote:{q.id}" for q in quotes)))
        events = dataset.events_of(record.id)
        if events:
            rows.append(
                Row("events", tuple(f"{e.date}  {e.title}" for e in events), tuple(f"event:{e.id}" for e in events))
            )
        topics = dataset.topics_of(record.id)
        if topics:
            rows.append(Row("open questions", tuple(t.title for t in topics), tuple(f"topic:{t.id}" for t in topics)))
    elif isinstance(record, Quote):
        rows += _prose("text", record.text)
        rows += _row("speaker", record.speaker)
        rows += _row("role", record.role)
        if record.member:
            rows += _member_links("member", dataset, (record.member,))
        rows += _row("date", str(record.date))
        rows += _row("language", f"{LANGUAGES.get(record.lang, record.lang)} ({record.lang})")
        for lang, text in record.translations:
            rows += _prose(f"translation ({lang})", text)
        rows += _prose("note", record.note)
    elif isinstance(record, Event):
        rows += _row("date", str(record.date))
        rows += _row("title", record.title)
        rows += _prose("summary", record.summary)
        rows += _member_links("members", dataset, record.members)
        rows += _many("tags", record.tags)
        rows += _prose("note", record.note)
    elif isinstance(record, Topic):
        rows += _row("title", record.title)
        rows += _prose("summary", record.summary)
        rows += _member_links("members", dataset, record.members)
        rows += _prose("note", record.note)
    rows.append(Row("sources", record.sources, record.sources))
    return rows


def citation(record: Record, dataset: Dataset) -> str:
    """A one-paragraph citation for the clipboard: text or name, who, when, and the source."""
    source = record.sources[0] if record.sources else ""
    if isinstance(record, Quote):
        member = dataset.member(record.member) if record.member else None
        org = f" ({member.name})" if member and member.name not in record.role else ""
        body = f"“{record.text}” — {record.speaker}, {record.role}{org}, {record.date}."
    elif isinstance(record, Member):
        short = f" ({record.short_name})" if record.short_name else ""
        status = "founding member" if record.founding else "member"
        where = country_name(record.country)
        body = f"{record.name}{short}: {record.type}, {where}; AI Alliance {status} since {record.joined}."
    elif isinstance(record, Event):
        body = f"{record.date}: {record.title}. {record.summary}"
    else:
        body = f"{record.title}. {record.summary}"
    return f"{body} Source: {source}" if source else body
