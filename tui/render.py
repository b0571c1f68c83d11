"""Records and search results as LineList entries (rich Text, never markup).

Styles here are attribute-only (bold, dim, underline) so they read in every
theme and with NO_COLOR; colours come from the widget's component classes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import Any

from rich.cells import cell_len
from rich.text import Span, Text

from index import (
    PROJECT_STATUSES,
    Count,
    Dataset,
    Event,
    Group,
    Member,
    PartialDate,
    Person,
    Project,
    Quote,
    Record,
)
from index.dates import year_text
from index.describe import Row, describe, member_label
from index.forms import country_name, human_date, language_name, number, type_word
from index.frozen import frozen
from index.i18n import N_, _, language, ngettext, pgettext
from index.kinds import get_kind
from index.kinds.member import name_in
from index.kinds.quote import rendering

from .explorer import HitContext
from .messages import field_labels as row_labels
from .widgets.line_list import Entry, Rows

HEADING = "line-list--heading"
DIM = "line-list--dim"
LABEL = "line-list--label"
MATCH = "bold underline"
LINK = "underline"


MAX_SHOWN = 20_000  # characters of one field shown in a detail (a 1 MB summary stays snappy)
MAX_ROW = 300  # characters of one list row


def cut(text: str, limit: int, *, back: float = 0.5) -> str:
    """`text` in at most `limit` characters: cut at a word boundary, ending with `…`.

    The boundary may be at most `back` of the kept text back from the limit; further
    back, the word is cut (a table cell keeps more of its text that way)."""
    if len(text) <= limit:
        return text
    head = text[: max(0, limit - 1)]
    space = head.rfind(" ")
    if space > len(head) * (1 - back):  # a word boundary not too far back
        head = head[:space]
    return head.rstrip(" ,;:") + "…"


def flat(text: str) -> str:
    """A field's text on one line (a row is one line: its lines are counted before it is made)."""
    return text.replace("\n", " ") if "\n" in text else text


def plain_number(value: int) -> str:
    """A count where English writes it without separators ('1000'); French as forms.number."""
    return str(value) if language() == "en" else number(value)


def cap(text: str, limit: int = MAX_SHOWN) -> str:
    """A field's text, shortened (at a word boundary) beyond `limit` characters."""
    if len(text) <= limit:
        return text
    shown = cut(text, limit)
    rest = len(text) - len(shown) + 1  # at least 2: `shown` is at most `limit` long
    return ngettext("{text} ({n} more character not shown)", "{text} ({n} more characters not shown)", rest).format(
        text=shown, n=number(rest)
    )


def heading(title: str) -> Entry:
    return Entry(Text(title, style="bold"), style=HEADING)


def blank() -> Entry:
    return Entry(Text(""))


def para(text: str, style: str = "") -> Entry:
    return Entry(Text(text), style=style)


def link(label: str, ref: str, prefix: str = "") -> Entry:
    text = Text(prefix)
    text.append(label, style=LINK)
    return Entry(text, ref=ref)


def marked(text: str, spans: Iterable[tuple[int, int]]) -> Text:
    out = Text(text)
    for start, end in spans:
        out.stylize(MATCH, start, end)
    return out


# -- list rows ------------------------------------------------------------


# The members table: fixed columns, then the name (flexible), then the optional columns a
# wider list has room for, in this order of priority. Widths in cells, gap included.
MARK_WIDTH, COUNTRY_WIDTH, TYPE_WIDTH = 2, 4, 11
MEMBER_EXTRAS: dict[str, int] = {"joined": 13, "region": 16, "website": 26, "listed": 12}


@frozen
class MemberColumns:
    """The layout of a members table: the name column's width and the optional columns shown.

    `name` 0 keeps the name free-running (no cut, no padding): the form of a plain list."""

    name: int = 0
    extras: tuple[str, ...] = ()

    def spans(self) -> list[tuple[str, int, int]]:
        """(sort key, first cell, width without the gap) of every column, left to right."""
        out = [("founding", 0, 1), ("country", MARK_WIDTH, 2), ("type", MARK_WIDTH + COUNTRY_WIDTH, 10)]
        at = MARK_WIDTH + COUNTRY_WIDTH + TYPE_WIDTH
        out.append(("name", at, self.name))
        at += self.name + 2
        for key in self.extras:
            out.append((key, at, MEMBER_EXTRAS[key] - 2))
            at += MEMBER_EXTRAS[key]
        return out

    @property
    def width(self) -> int:
        return MARK_WIDTH + COUNTRY_WIDTH + TYPE_WIDTH + self.name + sum(MEMBER_EXTRAS[k] for k in self.extras)


# Printable characters before the combining marks (U+0300): one cell each, as rich counts them.
_ONE_CELL = re.compile("[ -~\xa0-\u02ff]*")


def cells(text: str) -> int:
    """The cells `text` takes on screen (CJK and emoji take two): plain len() for ASCII and
    accented Latin (a regex in C: 40,000 names are measured on a first visit)."""
    if text.isascii() or _ONE_CELL.fullmatch(text):
        return len(text)
    return cell_len(text)


def widths(texts: Sequence[str]) -> list[int]:
    """The cells of each of `texts`: when all are ASCII or accented Latin, one regex and
    len() in C (a first visit measures 40,000 names or 16,000 titles)."""
    if _ONE_CELL.fullmatch("".join(texts)):
        return list(map(len, texts))
    return list(map(cells, texts))


def widest(texts: Sequence[str]) -> int:
    """The cells of the widest of `texts` (0 for none)."""
    return max(widths(texts), default=0)


def fit(text: str, width: int) -> str:
    """`text` padded to `width` cells, or cut with `…` at a word boundary (cheap string ops
    for ASCII and accented Latin: narrowing reads 100,000 rows)."""
    if not (text.isascii() or _ONE_CELL.fullmatch(text)):
        if cell_len(text) > width:
            text = cut(text, width, back=0.25)
            while cell_len(text) > width:  # wide characters: cut further, by cells
                text = text[:-2] + "…"
        return text + " " * (width - cell_len(text))
    if len(text) > width:
        return f"{cut(text, width, back=0.25):<{width}}"
    return f"{text:<{width}}"


def website_label(url: str) -> str:
    """A website as a column shows it: without scheme, `www.` and trailing slash."""
    host = url.split("://", 1)[-1]
    return (host[4:] if host.startswith("www.") else host).rstrip("/")


def member_cells(member: Member, key: str) -> tuple[str, str]:
    """The text of one optional column and its style ("dim" for a date that is only a listing)."""
    if key == "joined":
        if member.joined:
            return str(member.joined), ""
        # Not known when it joined: a source listed it as a member by then.
        return (f"≤{member.listed}", "dim") if member.listed else ("", "")
    if key == "listed":
        return (str(member.listed) if member.listed else ""), ""
    if key == "region":
        return flat(member.region), ""
    return (flat(website_label(member.website)), "dim") if member.website else ("", "")


def _type_cell(value: str, width: int) -> str:
    """A type word in at most `width` cells ('association' is 'associati…')."""
    word = type_word(value)
    return word if len(word) <= width else word[: width - 1] + "…"


SpanAt = tuple[int, int, str]  # a span as a plain tuple: rich's Span is a slower namedtuple


def styled(plain: str, spans: list[SpanAt]) -> Text:
    """A row's Text from its plain text and (start, end, style) spans."""
    return Text(plain, spans=[Span(*span) for span in spans])


def member_row(member: Member, columns: MemberColumns | None = None) -> Entry:
    """'● US  company     Name  joined …': fixed columns first, so a narrow pane cuts only the
    name; with `columns`, the name is padded or cut to its column and the optional ones follow."""
    plain, spans = member_line(member, columns)
    return Entry(styled(plain, spans), ref=f"member:{member.id}")


def member_line(member: Member, columns: MemberColumns | None = None) -> tuple[str, list[SpanAt]]:
    """member_row's text and styles: one string, its spans as plain (start, end, style)
    tuples (cheap for 100,000 rows: narrowing with `\\` reads the text of every row)."""
    mark = "● " if member.founding else "○ "
    kind = f"{member.type[:10]:<11}" if language() == "en" else f"{_type_cell(member.type, 10):<11}"
    name = cap(flat(member.name), MAX_ROW)
    short = f" ({flat(member.short_name)})" if member.short_name and member.short_name not in member.name else ""
    country = member.country or "··"  # not established
    kind_at = 2 + len(country) + 2
    name_at = kind_at + len(kind)
    spans = [
        (0, 2, "bold" if member.founding else "dim"),
        (2, kind_at, "bold"),
        (kind_at, name_at, "dim"),
    ]
    if columns is None or not columns.name:
        plain = f"{mark}{country}  {kind}{name}{short}"
        if short:
            spans.append((name_at + len(name), len(plain), "dim"))
        return plain, spans
    label = fit(name + short, columns.name)
    if short and len(name) < len(label.rstrip()):
        spans.append((name_at + len(name), name_at + len(label.rstrip()), "dim"))
    parts = [mark, country, "  ", kind, label]
    at = name_at + len(label) + 2  # where the next cell starts (in characters), after its gap
    for key in columns.extras:
        text, style = member_cells(member, key)
        width = MEMBER_EXTRAS[key] - 2
        parts.append(f"  {text:<{width}}" if len(text) <= width else f"  {text[: width - 1]}…")
        if style:
            spans.append((at, at + min(len(text), width), style))
        at += MEMBER_EXTRAS[key]
    return "".join(parts).rstrip(), spans


def quote_row(quote: Quote, dataset: Dataset) -> Entry:
    """The speaker and organisation, then the quote's first line (two lines)."""
    plain, spans = quote_line(quote, dataset)
    return Entry(styled(plain, spans), ref=f"quote:{quote.id}")


def quote_line(quote: Quote, dataset: Dataset) -> tuple[str, list[SpanAt]]:
    """quote_row's text and styles (see member_line)."""
    org = member_label(dataset, quote.member) if quote.member else ""
    member = dataset.member(quote.member) if quote.member else None
    if member and member.short_name:
        org = member.short_name
    speaker = cap(flat(quote.speaker), MAX_ROW)
    where = f" · {flat(org)}" if org else ""
    # The first 200 characters of the first line, read from the first 201 (a quote may be long).
    first = cut(quote.text[:201].split("\n", 1)[0], 200)
    spans = [(0, len(speaker), "bold")]
    if where:
        spans.append((len(speaker), len(speaker) + len(where), "dim"))
    return f"{speaker}{where}\n  {first}", spans


# The timeline's columns on wide screens: the date, the title (flexible), then the members
# involved (short names) and the tags, as the list has room for them. Widths in cells, gap included.
EVENT_DATE_WIDTH = 10
EVENT_EXTRAS: dict[str, int] = {"members": 36, "tags": 28}


@frozen
class EventColumns:
    """The layout of the timeline's rows: the title column's width and the columns after it.

    `title` 0 keeps the title free-running (no cut, no padding): the narrow screen's rows."""

    title: int = 0
    extras: tuple[str, ...] = ()
    widths: tuple[int, ...] = ()  # of each of `extras`, gap included

    @property
    def width(self) -> int:
        return EVENT_DATE_WIDTH + self.title + sum(self.widths)


def event_cells(event: Event, names: dict[str, str]) -> dict[str, str]:
    """The text of the optional columns: the members by short name (`names`: id -> label),
    the tags as #tag."""
    return {key: text(event, names) for key, text in EVENT_CELLS.items()}


def _members_cell(event: Event, names: dict[str, str]) -> str:
    return flat(", ".join(map(names.get, event.members, event.members))) if event.members else ""


def _tags_cell(event: Event, names: dict[str, str]) -> str:
    return flat("#" + " #".join(event.tags)) if event.tags else ""


# The optional columns' text, by column (EVENT_EXTRAS' keys): one function each, so the
# timeline can measure a column over 16,000 events without building the others.
EVENT_CELLS: dict[str, Callable[[Event, dict[str, str]], str]] = {"members": _members_cell, "tags": _tags_cell}


def _event_when(date: PartialDate) -> str:
    """An event's date in its row (the year is the heading above): '5 déc.', 'sept. 2024';
    in at most 9 cells (a month's period goes where 'sept. 2024' would take 10)."""
    when = human_date(date)
    if date.precision == "day":
        when = when.rsplit(" ", 1)[0]  # the row is under its year's heading
    return when if len(when) <= 9 else when.replace(".", "", 1)


def event_row(event: Event, columns: EventColumns | None = None, names: dict[str, str] | None = None) -> Entry:
    """'24 Feb    Title': the date, the title; with `columns`, the title padded or cut to its
    column, then the members involved and the tags (dim)."""
    plain, spans = event_line(event, columns, names)
    return Entry(styled(plain, spans), ref=f"event:{event.id}")


def event_line(
    event: Event, columns: EventColumns | None = None, names: dict[str, str] | None = None
) -> tuple[str, list[SpanAt]]:
    """event_row's text and styles (see member_line)."""
    date = event.date
    if language() == "en":
        when = f"{date.start.strftime('%d %b')}" if date.precision == "day" else date.human()
    else:
        when = _event_when(date)
    head = f"{when:<9} "
    spans = [(0, len(head), "dim")]
    if columns is None or not columns.title:
        return head + cap(flat(event.title), MAX_ROW), spans
    parts = [head, fit(flat(event.title), columns.title)]
    at = len(head) + len(parts[1])  # characters (spans count them), not cells
    texts = event_cells(event, names or {})
    for key, width in zip(columns.extras, columns.widths, strict=True):
        cell = fit(texts[key], width - 2)
        parts.append(f"  {cell}")
        if key == "tags" and texts[key]:
            spans.append((at + 2, at + 2 + len(cell.rstrip()), "dim"))
        at += 2 + len(cell)
    return "".join(parts).rstrip(), spans


def project_row(project: Project, dataset: Dataset) -> Entry:
    """'Name · Lead' (the pane groups projects under their status)."""
    text = Text(cap(project.name, MAX_ROW), style="bold")
    leads = [member_label(dataset, m) for m in project.lead]
    member = dataset.member(project.lead[0]) if project.lead else None
    if member is not None and member.short_name:
        leads[0] = member.short_name
    if leads:
        text.append(cut(f" · {', '.join(leads)}", MAX_ROW), style="dim")
    return Entry(text, ref=f"project:{project.id}")


def group_row(group: Group, dataset: Dataset) -> Entry:
    if language() == "en":
        text = Text(f"{group.type.replace('-', ' '):<14}", style="dim")
    else:  # 'groupe de travail' is longer than the English column
        text = Text(f"{type_word(group.type):<18}", style="dim")
    text.append(cap(group.name, MAX_ROW))
    return Entry(text, ref=f"group:{group.id}")


def person_row(person: Person, dataset: Dataset) -> Entry:
    text = Text(cap(person.name, MAX_ROW))
    if person.member:
        text.append(cut(f" · {member_label(dataset, person.member)}", MAX_ROW), style="dim")
    return Entry(text, ref=f"person:{person.id}")


def timeline_entries(
    events: Sequence[Event], columns: EventColumns | None = None, names: dict[str, str] | None = None
) -> list[Entry]:
    """Events in date order (`sort_as` where given), under one heading per year; with
    `columns` (and `names`, member id -> short label), the wide screen's rows."""
    return list(timeline_rows(events, columns, names))


def _order(event: Event) -> tuple[int, int, int]:
    """An event's place on the timeline (`order`) as plain ints: comparing the dates
    themselves (dataclasses) took most of sorting 16,000 events."""
    date = event.sort_as or event.date
    return (date.year, date.month, date.day)


def timeline_rows(
    events: Sequence[Event], columns: EventColumns | None = None, names: dict[str, str] | None = None
) -> Rows:
    """As timeline_entries, each event's row made when it is first drawn (see Rows)."""
    items: list[object] = []
    refs: list[str | None] = []
    year = None
    for event in sorted(events, key=_order):
        if event.date.year != year:
            year = event.date.year
            items.append(heading(year_text(year)))  # '0999', as the dates are shown
            refs.append(None)
        items.append(event)
        refs.append(f"event:{event.id}")
    return Rows(
        items,
        lambda event: event_row(event, columns, names),  # type: ignore[arg-type]
        refs,
        text=lambda event: event_line(event, columns, names)[0],  # type: ignore[arg-type]
    )


# -- detail ---------------------------------------------------------------


def detail_entries(
    record: Record, dataset: Dataset, *, french: bool = False, original: bool = False, hit: HitContext | None = None
) -> list[Entry]:
    """Every field of a record; linked records and sources are selectable links. A search
    hit (`hit`) says which it is and has the matched words marked.

    In English, `french` shows a quote's French rendering instead of its text (t). In
    another language, a quote with a rendering in it shows that rendering first, saying
    which part of the original it renders, and `original` shows the original instead (t)."""
    lang = language()
    title = (
        str(record.title) if not isinstance(record, Quote) else _("Quote by {speaker}").format(speaker=record.speaker)
    )
    entries = [Entry(Text(title, style="bold"), style=HEADING)]
    other_name = name_in(record, lang) if lang != "en" and isinstance(record, Member) else ""
    if other_name:
        entries.append(para(_("In French: {name}").format(name=other_name)))
    entries.append(para(f"{record.kind}:{record.id}", DIM))
    marks_from = len(entries)  # the title and the id are not searched for the hit's words
    if hit is not None:
        entries.append(
            para(
                _("hit {position} of {total} for “{query}” · n/N: next/previous hit · Esc: back to the results").format(
                    position=plain_number(hit.position), total=plain_number(hit.total), query=hit.query
                ),
                DIM,
            )
        )
    rows = describe(record, dataset)
    rendered = rendering(record, lang) if lang != "en" and isinstance(record, Quote) else None
    if rendered is not None:
        entries += _rendering_entries(record, rendered, original=original)  # type: ignore[arg-type]
        rows = [r for r in rows if r.label != "text" and not r.label.startswith("translation (")]
    elif french and isinstance(record, Quote):
        fr = dict(record.translations).get("fr")
        if fr:
            rows = [r for r in rows if r.label != "translation (fr)"]
            rows = [r if r.label != "text" else type(r)("text (fr)", (fr,)) for r in rows]
            rows.insert(1, type(rows[0])("original (en)", (record.text,)))
    if other_name:
        rows = [r for r in rows if r.label != f"name ({lang})"]  # said under the title
    if lang != "en":
        rows = localized_rows(record, rows)
    for row in rows:
        entries.append(blank())
        entries.append(Entry(Text(row.label, style="bold"), style=LABEL))
        for position, value in enumerate(row.values):
            ref = row.link(position)
            if ref:
                entries.append(link(cap(value, MAX_ROW), ref, prefix="  → "))
            else:
                entries.append(para(cap(value)))
    if isinstance(record, Quote) and record.translations and not french and lang == "en":
        entries.append(blank())
        entries.append(para(_("press t to read the French rendering"), DIM))
    if hit is not None and hit.words:
        words = re.compile(r"\b(?:" + "|".join(map(re.escape, hit.words)) + r")\b", re.IGNORECASE)
        for entry in entries[marks_from:]:
            for found in words.finditer(entry.text.plain):
                entry.text.stylize(MATCH, found.start(), found.end())
    return entries


def rendered_part(part: str) -> str:
    """A quote's `renders` value as people read it: 'sentence 1' ('phrase 1' in French)."""
    if part == "all":
        return _("the whole quote")
    words = part.split()
    if part.startswith("part of sentence "):
        return _("part of sentence {n}").format(n=words[-1])
    if part.startswith("sentences "):
        first, last = words[-1].split("-")
        return _("sentences {first}–{last}").format(first=first, last=last)
    if part.startswith("sentence "):
        return _("sentence {n}").format(n=words[-1])
    return part


def _rendering_entries(quote: Quote, rendered: tuple[str, str], *, original: bool) -> list[Entry]:
    """A quote in the interface's language: its rendering under a heading that says which
    part it renders and that t shows the original; or (`original`) the original, t going back."""
    text, part = rendered
    if original:
        head = _("Original quote ({language}) — t: translation").format(language=language_name(quote.lang))
        shown = quote.text
    elif part:
        head = _("Translation ({part}) — t: original quote").format(part=rendered_part(part))
        shown = text
    else:
        head = _("Translation — t: original quote")
        shown = text
    return [blank(), Entry(Text(head, style="bold"), style=LABEL), para(cap(shown))]


def field_labels() -> dict[str, str]:
    """The detail's field labels in the interface's language: the command line's, and a
    topic's "open questions" (see tui/messages.py)."""
    return {**row_labels(), "topics": pgettext("field", "open questions")}


_LANGUAGE_LABEL = re.compile(r"(translation|name) \(([a-z]{2})\)")


def localized_rows(record: Record, rows: Sequence[Row]) -> list[Row]:
    """The rows in the interface's language: labels, and the values that are words of
    ours (types, countries, languages, dates) rather than data."""
    labels = field_labels()
    out = []
    for row in rows:
        label = labels.get(row.label)
        if label is None:
            found = _LANGUAGE_LABEL.fullmatch(row.label)
            if found and found.group(1) == "translation":
                label = _("translation ({language})").format(language=language_name(found.group(2)))
            elif found:
                label = _("name ({language})").format(language=language_name(found.group(2)))
            else:
                label = row.label
        out.append(replace(row, label=label, values=_localized_values(record, row)))
    return out


def _localized_values(record: Record, row: Row) -> tuple[str, ...]:
    label = row.label
    if label in ("date", "joined", "listed", "started") and not row.links:
        date = getattr(record, label, None)
        if isinstance(date, PartialDate):
            return (human_date(date),)
        if label == "joined":
            return (_("not known"),)
    elif label in ("type", "status") and isinstance(getattr(record, label, None), str):
        return (type_word(getattr(record, label)),)
    elif label == "country" and isinstance(record, Member):
        code = record.country
        return (f"{country_name(code)} ({code})" if code else _("not established"),)
    elif label == "membership" and isinstance(record, Member):
        return (
            pgettext("membership", "founding member") if record.founding else pgettext("membership", "joined later"),
        )
    elif label == "language" and isinstance(record, Quote):
        return (f"{language_name(record.lang)} ({record.lang})",)
    return row.values


# -- overview -------------------------------------------------------------


def bar_chart(
    rows: Sequence[tuple[str, int]], width: int = 30, refs: Sequence[str | None] = (), *, fill: int | None = None
) -> list[Entry]:
    """Horizontal bars drawn with block characters (fine over SSH, no images).

    `refs`, one per row (None: not a link), make bars links, their labels underlined:
    a pane link such as "members?country=JP" (tui/app.py `pane_link`) or a record.
    `fill`: the rows' width in cells; the longest bar takes what labels and counts leave
    (`width` is then ignored)."""
    if not rows:
        return []
    top = max(n for _, n in rows) or 1
    label_width = max(len(label) for label, _ in rows)
    if fill is not None:  # "  label █…█ count"
        width = max(10, fill - label_width - len(plain_number(top)) - 4)
    out = []
    for index, (label, count) in enumerate(rows):
        ref = refs[index] if index < len(refs) else None
        text = Text("  ")
        text.append(label, style=LINK if ref else "")
        text.append(" " * (label_width - len(label) + 1))
        text.append("█" * max(1, round(count / top * width)), style="bold")
        text.append(f" {plain_number(count)}")
        out.append(Entry(text, ref=ref))
    return out


def members_link(key: str, value: str) -> str:
    """The Members list filtered by one value: 'members?country=JP' (the Overview's charts)."""
    return f"members?{key}={value}"


def timeline_link(year: int) -> str:
    """The Timeline at a year: 'timeline?year=2024'."""
    return f"timeline?year={year}"


def members_line(dataset: Dataset, *, short: bool = False) -> str:
    """'141 members listed (57 founding) · 205 reported (24 Jun 2026)': what the data lists
    and, when the data has one, the alliance's own newest count. Short, for the header:
    '141 members listed · 205 reported, Jun 2026'."""
    listed = len(dataset.members)
    founding = sum(1 for m in dataset.members if m.founding)
    if short:
        line = ngettext("{n} member listed", "{n} members listed", listed).format(n=plain_number(listed))
    else:
        line = ngettext(
            "{n} member listed ({founding} founding)", "{n} members listed ({founding} founding)", listed
        ).format(n=plain_number(listed), founding=plain_number(founding))
    reported = dataset.reported()
    if reported is not None:
        date = reported.date
        if short:
            month = _month_year(date)
            when = ngettext("{n} reported, {date}", "{n} reported, {date}", reported.members)
            about = ngettext("about {n} reported, {date}", "about {n} reported, {date}", reported.members)
            more = ngettext("more than {n} reported, {date}", "more than {n} reported, {date}", reported.members)
        else:
            month = date.human() if language() == "en" else human_date(date)
            when = ngettext("{n} reported ({date})", "{n} reported ({date})", reported.members)
            about = ngettext("about {n} reported ({date})", "about {n} reported ({date})", reported.members)
            more = ngettext("more than {n} reported ({date})", "more than {n} reported ({date})", reported.members)
        form = {"about": about, "more than": more}.get(reported.qualifier, when)
        line += " · " + form.format(n=plain_number(reported.members), date=month)
    return line


def _month_year(date: PartialDate) -> str:
    """'Jun 2026' ('juin 2026'), '2026' for a year alone: the header's short date."""
    if language() != "en":
        return human_date(PartialDate(date.year, date.month))
    month = f"{date.start.strftime('%b')} " if date.month else ""
    return f"{month}{year_text(date.year)}"


def overview_entries(dataset: Dataset, *, charts: bool = True) -> list[Entry]:
    """The Overview as one list: prose and links, with the charts and figures among them.

    `charts` False leaves those out: on wide screens they are the dashboard beside the list
    (`dashboard_entries`)."""
    alliance = dataset.alliance
    entries: list[Entry] = [
        Entry(Text(alliance.name, style="bold"), style=HEADING),
        para(
            _("Launched {founded} · {members} · data as of {as_of}").format(
                founded=_human(alliance.founded), members=members_line(dataset), as_of=_human(alliance.as_of)
            ),
            DIM,
        ),
        blank(),
        para(alliance.mission),
        blank(),
        heading(_("Founders")),
    ]
    entries += [link(member_label(dataset, m), f"member:{m}", "  → ") for m in alliance.founders]
    entries += [blank(), heading(_("Open questions"))]
    entries += [link(t.title, f"topic:{t.id}", "  → ") for t in dataset.topics]
    groups = get_kind("group")
    if groups is not None and dataset.groups:
        entries += [blank(), heading(_("Working groups, focus areas and chapters"))]
        english = language() == "en"
        for group in sorted(dataset.groups, key=lambda g: (GROUP_ORDER.get(g.type, 9), g.name.casefold())):
            kind = group.type.replace("-", " ") if english else type_word(group.type)
            entries.append(link(f"{group.name} ({kind})", f"group:{group.id}", "  → "))
    if charts:
        entries += _chart_sections(dataset)
    entries += [blank(), heading(_("Objectives"))]
    entries += [para(f"  {n}. {o}") for n, o in enumerate(alliance.objectives, start=1)]
    entries += [blank(), heading(_("Governance")), para(alliance.governance)]
    if charts:
        entries += _figures(dataset)
    for section in alliance.sections:
        entries += [blank(), heading(section.title)]
        if section.text:
            entries.append(para(section.text))
        entries += [para(f"  • {item}") for item in section.items]
    if alliance.note:
        entries += [blank(), heading(_("Note")), para(alliance.note, DIM)]
    entries += [blank(), heading(_("Sources"))]
    entries += [link(url, url, "  ") for url in alliance.sources]
    return entries


def _human(date: PartialDate) -> str:
    """'5 Dec 2023' as PartialDate.human writes it in English; '5 déc. 2023' in French."""
    return date.human() if language() == "en" else human_date(date)


DASHBOARD_HINT = N_("Enter on a bar opens those members or that year of the timeline · Tab moves here")


GLANCE_BARS = N_("Enter on a bar keeps only those · Tab moves here")


def search_tips() -> list[Entry]:
    """How to search, from the one filter table (index/filters.py): the Search pane's
    detail while no hit is open. The same whatever is typed, so typing repaints none of it."""
    from index.filters import FILTERS

    entries = [
        heading(_("How to search")),
        para("  " + _("Every word must match; the last one also matches as the start of a word."), DIM),
        para("  " + _('"a phrase" · this OR that · NOT word · ( ) to group · a typo still finds'), DIM),
        para("  " + _("Enter on a hit opens it here; Esc comes back; n/N go to the next and previous hit."), DIM),
        blank(),
        heading(_("Filters (name:value)")),
    ]
    for spec in FILTERS:
        text = Text("  ")
        text.append(f"{spec.name}:{spec.example}", style="bold")
        text.append(f"  {_(spec.help)}")  # marked where the filters are defined
        if spec.choices:  # spaced, so the list wraps between values
            text.append(f" · {', '.join(spec.choices)}", style="dim")
        elif spec.hint:
            text.append(f" · {spec.syntax}", style="dim")
        entries.append(Entry(text, indent=4))
    return entries


GLANCE_OPEN = N_("Enter on a row opens it here (p: the detail follows the cursor)")
GLANCE_TOP = 10  # bars per facet; the rest are summed into one "N others" row


Facet = tuple[str, str, Sequence[tuple[str, str, int]]]  # field key, heading, (value, label, count) rows


def glance_entries(noun: str, total: int, facets: Sequence[Facet], fill: int, *, links: bool = True) -> list[Entry]:
    """A list's facets for the detail side of a wide screen while no record is open: for
    field (key, heading, rows of (value, label, count), most frequent first) the top bars,
    each a link `filter?KEY=VALUE` that keeps only that value (ListDetailPane.activate)."""
    # `noun` is a pane's FILTER_NOUN, marked with N_ where it is written.
    entries = [heading(_("{n} {noun} at a glance").format(n=number(total), noun=_(noun))), para(_(GLANCE_OPEN), DIM)]
    if links:
        entries.append(para(_(GLANCE_BARS), DIM))
    for key, title, rows in facets:
        shown = rows[:GLANCE_TOP]
        # Labels get a third of the room at most (a long organisation name is cut), the bars the rest.
        width = min(max(len(label) for _, label, _ in shown), max(12, fill // 3))
        chart = [(cut(label, width, back=0.25), count) for _, label, count in shown]
        refs: list[str | None] = [f"filter?{key}={value}" if links else None for value, _, _ in shown]
        entries += [blank(), heading(title), *bar_chart(chart, refs=refs, fill=fill)]
        rest = len(rows) - len(shown)  # counted, not read: the rows may be labelled when read
        # Not a bar: summed, they would dwarf the bars they follow (and a record with several
        # values, tags, would count more than once).
        if rest > 0:
            entries.append(para("  " + ngettext("and {n} more", "and {n} more", rest).format(n=number(rest)), DIM))
    return entries


def dashboard_entries(dataset: Dataset, width: int) -> list[Entry]:
    """The Overview's charts and figures for the detail side of a wide screen, the bars
    scaled to its `width` (cells); the list beside it keeps the prose and the links."""
    entries = [heading(_("At a glance")), para(_(DASHBOARD_HINT), DIM)]
    entries += _figures(dataset)
    entries += _chart_sections(dataset, fill=width)
    return entries


def _figures(dataset: Dataset) -> list[Entry]:
    entries: list[Entry] = []
    if dataset.alliance.figures:
        entries += [blank(), heading(_("Key figures"))]
        for figure in dataset.alliance.figures:
            text = Text("  " + _("{label}: ").format(label=figure.label))
            text.append(figure.value, style="bold")
            entries.append(Entry(text))
    return entries


# "9 managed" / "9 gérés": a status agrees with its count in French.
_STATUS_COUNTS: dict[str, Callable[[int], str]] = {
    "managed": lambda n: ngettext("{n} managed", "{n} managed", n),
    "supported": lambda n: ngettext("{n} supported", "{n} supported", n),
    "member-run": lambda n: ngettext("{n} member-run", "{n} member-run", n),
    "ended": lambda n: ngettext("{n} ended", "{n} ended", n),
}


def _status_count(status: str, n: int) -> str:
    form = _STATUS_COUNTS.get(status)
    return form(n).format(n=n) if form is not None else f"{n} {type_word(status)}"


def _chart_sections(dataset: Dataset, *, fill: int | None = None) -> list[Entry]:
    """Projects, members by type and country, membership over time, focus areas at launch;
    the bars 30 cells long, or filling `fill` cells."""
    entries: list[Entry] = []
    if dataset.projects:
        counts = _count(p.status for p in dataset.projects)
        by_status = ", ".join(_status_count(s, counts[s]) for s in PROJECT_STATUSES if s in counts)
        total = len(dataset.projects)
        line = ngettext("{n} project ({statuses}): press 6", "{n} projects ({statuses}): press 6", total)
        entries += [
            blank(),
            heading(_("Projects")),
            para("  " + line.format(n=plain_number(total), statuses=by_status)),
        ]
    entries += [blank(), heading(_("Members by type"))]
    by_type = dataset.members_by_type()
    type_refs = [members_link("type", t) for t in by_type]
    entries += bar_chart([(type_word(t), len(ms)) for t, ms in by_type.items()], refs=type_refs, fill=fill)
    entries += [blank(), heading(_("Members by country"))]
    by_country = list(dataset.members_by_country().items())
    rows = [(code or _("not known"), len(ms)) for code, ms in by_country[:12]]
    # A country's bar opens its members; "not known" and "others" are no single filter.
    refs: list[str | None] = [members_link("country", code) if code else None for code, _ in by_country[:12]]
    rest = sum(len(ms) for _, ms in by_country[12:])
    if rest:
        others = len(by_country) - 12
        rows.append((ngettext("{n} other", "{n} others", others).format(n=plain_number(others)), rest))
    entries += bar_chart(rows, refs=refs, fill=fill)
    entries += [blank(), heading(_("Membership over time"))]
    entries += growth_chart(dataset, fill=fill)
    entries += [blank(), heading(_("Focus areas at launch"))]
    entries += [para(f"  • {area}") for area in dataset.alliance.focus_areas]
    return entries


GROUP_ORDER = {"chapter": 0, "working-group": 1, "focus-area": 2}


def _count(values: Iterable[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for value in values:
        counts[value] = counts.get(value, 0) + 1
    return counts


def growth_chart(dataset: Dataset, width: int = 30, *, fill: int | None = None) -> list[Entry]:
    """The alliance's size over time: its own reported counts where the data has them
    (the members listed here are fewer: most later members have no known join date);
    otherwise the members listed, cumulative by month of joining."""
    counts = dataset.alliance.counts
    years = {event.date.year for event in dataset.events}  # a bar links to its year if the timeline has it
    if counts:
        refs = [timeline_link(c.date.year) if c.date.year in years else None for c in counts]
        entries = bar_chart([(_count_label(c), c.members) for c in counts], width, refs=refs, fill=fill)
        entries.append(
            para(
                "  "
                + _(
                    "as reported by the alliance or the press, on the dates shown (notes in the data say which); "
                    "this dataset lists {n}"
                ).format(n=plain_number(len(dataset.members))),
                DIM,
            )
        )
        return entries
    # By (year, month) numbers, not strftime: 40,000 date objects formatted cost ~0.1 s at 100k
    # records, on the way to the data's first frame (and strftime writes year 999 as "999").
    by_month: dict[tuple[int, int], int] = {}
    for member in dataset.members:
        since = member.since
        if since is None:
            continue
        key = (since.year, since.month or 1)  # a bare year counts in its January, as `start`
        by_month[key] = by_month.get(key, 0) + 1
    total = 0
    rows = []
    month_refs: list[str | None] = []
    for year, month in sorted(by_month):
        count = by_month[year, month]
        total += count
        rows.append((f"{year:04d}-{month:02d} +{count}", total))
        month_refs.append(timeline_link(year) if year in years else None)
    return bar_chart(rows, width, refs=month_refs, fill=fill)


def _count_label(count: Count) -> str:
    qualifier = {"about": "~", "more than": ">"}.get(count.qualifier, "")
    return f"{count.date} {qualifier}{count.members}".rstrip()


# -- search -----------------------------------------------------------------


def kind_title(name: str) -> str:
    """ "Members", "Open questions": a kind's heading (its name for a kind not registered)."""
    kind = get_kind(name)
    return _(kind.title) if kind is not None else name  # marked with N_ in index/kinds


# The kind as each search hit is labelled (fixed width, so the titles line up).
HIT_LABELS = {"topic": "question"}
HIT_LABEL_WIDTH = 9


def hit_labels() -> dict[str, str]:
    """The kind words of search hits in the interface's language ('événement': 9 letters)."""
    return {
        "member": pgettext("hit kind", "member"),
        "quote": pgettext("hit kind", "quote"),
        "event": pgettext("hit kind", "event"),
        "topic": pgettext("hit kind", "question"),
        "project": pgettext("hit kind", "project"),
        "group": pgettext("hit kind", "group"),
        "person": pgettext("hit kind", "person"),
    }


def search_entries(result: Any) -> list[Entry]:
    """Hits in rank order, as `alliance search` prints them, each labelled with its kind;
    title and snippet with matches marked. (Grouping by kind in a fixed order once put
    the best hit of `nvidia`, an open question, last.)"""
    entries: list[Entry] = []
    labels = HIT_LABELS if language() == "en" else hit_labels()
    for hit in result.hits:
        label = labels.get(hit.kind, hit.kind)[: HIT_LABEL_WIDTH - 1]
        text = Text(f"{label:<{HIT_LABEL_WIDTH}}", style="dim")
        title = cut(hit.title, MAX_ROW)
        text.append_text(marked(title, [(a, b) for a, b in hit.title_spans if b <= len(title)]))
        if hit.snippet.text:
            text.append("\n" + " " * HIT_LABEL_WIDTH)
            snippet = marked(hit.snippet.text.replace("\n", " "), hit.snippet.spans)
            snippet.style = "dim"
            text.append_text(snippet)
        # Wrapped title and snippet lines hang under the text, right of the kind column.
        entries.append(Entry(text, ref=hit.ref, indent=HIT_LABEL_WIDTH))
    return entries
