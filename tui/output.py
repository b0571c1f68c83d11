"""Human and JSON output of the CLI: rich on a terminal, plain text when piped.

Data text is always passed to rich as `Text`, never as markup, so a name such
as "[bold]" prints literally.
"""

from __future__ import annotations

import sys
from typing import Any

from index import Dataset, Event, Member, Quote, Record, Topic, to_json
from index.describe import Row, describe

_LIST_COLUMNS: dict[str, tuple[str, ...]] = {
    "members": ("id", "name", "type", "country", "founding"),
    "quotes": ("id", "date", "speaker", "text"),
    "events": ("id", "date", "title"),
    "topics": ("id", "title"),
}


def use_rich() -> bool:
    return sys.stdout.isatty()


def _cells(what: str, record: Any) -> tuple[str, ...]:
    if isinstance(record, Member):
        return (record.id, record.name, record.type, record.country, "founding" if record.founding else "later")
    if isinstance(record, Quote):
        first = " ".join(record.text.split()[:12])
        return (record.id, str(record.date), record.speaker, first + ("…" if len(record.text.split()) > 12 else ""))
    if isinstance(record, Event):
        return (record.id, str(record.date), record.title)
    if isinstance(record, Topic):
        return (record.id, record.title)
    raise TypeError(what)


def print_list(what: str, records: list[Any], dataset: Dataset) -> None:
    """One line per record; tab-separated when piped, a table on a terminal."""
    rows = [_cells(what, r) for r in records]
    if not use_rich():
        for row in rows:
            print("\t".join(cell.replace("\t", " ").replace("\n", " ") for cell in row))
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in _LIST_COLUMNS[what]:
        table.add_column(column, overflow="fold" if column in ("text", "title", "name") else "ellipsis")
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    console = Console(highlight=False)
    console.print(table)
    console.print(Text(f"{len(rows)} {what}", style="dim"))


def print_record(record: Record, dataset: Dataset) -> None:
    """Every field of a record, then its links and sources."""
    rows = describe(record, dataset)
    if not use_rich():
        for row in rows:
            _print_plain_row(row)
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(highlight=False)
    console.print(Text(f"{record.kind}:{record.id}", style="bold"))
    table = Table(box=None, show_header=False, pad_edge=False)
    table.add_column(style="bold cyan", no_wrap=True)
    table.add_column(overflow="fold")
    for row in rows:
        for position, value in enumerate(row.values):
            table.add_row(Text(row.label if position == 0 else ""), Text(value))
    console.print(table)


def _print_plain_row(row: Row) -> None:
    if len(row.values) == 1 and "\n" not in row.values[0]:
        print(f"{row.label}: {row.values[0]}")
        return
    print(f"{row.label}:")
    for value in row.values:
        for line in value.splitlines() or [""]:
            print(f"  {line}")


def record_json(record: Record, dataset: Dataset) -> dict[str, Any]:
    """The record's fields plus `links`: ids of the records it points to or that point to it."""
    out = to_json(record)
    if isinstance(record, Member):
        out["links"] = {
            "quotes": [q.id for q in dataset.quotes_of(record.id)],
            "events": [e.id for e in dataset.events_of(record.id)],
            "topics": [t.id for t in dataset.topics_of(record.id)],
        }
    return out


def _marked(text: str, spans: tuple[tuple[int, int], ...], plain: bool) -> Any:
    """Text with matched spans: **bold** in plain output, highlighted with rich."""
    if plain:
        out, last = [], 0
        for start, end in spans:
            out.append(text[last:start] + "**" + text[start:end] + "**")
            last = end
        return "".join(out) + text[last:]
    from rich.text import Text

    rich_text = Text(text)
    for start, end in spans:
        rich_text.stylize("bold yellow", start, end)
    return rich_text


def print_search(result: Any) -> None:
    """Ranked hits with snippets, then the suggestion line and the counts."""
    plain = not use_rich()
    lines: list[Any] = []
    if result.message:
        lines.append(f"note: {result.message}")
    if result.fuzzy:
        lines.append("no exact matches; showing close matches (typo-tolerant)")
    for hit in result.hits:
        title = _marked(hit.title, hit.title_spans, plain)
        if plain:
            lines.append(f"{hit.kind}:{hit.id}\t{title}")
            if hit.snippet.text:
                lines.append("    " + _marked(hit.snippet.text, hit.snippet.spans, plain).replace("\n", " "))
        else:
            from rich.text import Text

            lines.append(Text.assemble((f"{hit.kind}:{hit.id}  ", "dim"), title))
            if hit.snippet.text:
                snippet = _marked(hit.snippet.text.replace("\n", " "), hit.snippet.spans, plain)
                lines.append(Text("    ").append_text(snippet))
    if result.suggestion:
        lines.append(f"did you mean: {result.suggestion}")
    kinds = ", ".join(f"{n} {k}{'s' if n != 1 else ''}" for k, n in result.facets.get("kind", {}).items())
    shown = f"{len(result.hits)} shown" if result.total > len(result.hits) else ""
    summary = f"{result.total} hit{'s' if result.total != 1 else ''}"
    summary += f" ({', '.join(x for x in (kinds, shown) if x)})" if kinds or shown else ""
    lines.append(f"{summary} in {result.seconds * 1000:.0f} ms")
    if plain:
        for line in lines:
            print(line)
        return
    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False)
    for line in lines:
        console.print(line if isinstance(line, Text) else Text(line))
