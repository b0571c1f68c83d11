"""Human and JSON output of the CLI: rich on a terminal, plain text when piped.

Data text is always passed to rich as `Text`, never as markup, so a name such
as "[bold]" prints literally.

Plain output is made of lines and (for `list`) tab-separated fields, so text from a
dataset never brings its own tab or line break into it: the validator lets tabs and
newlines into every text field, and a name such as "x\nmember:forged\t..." would
otherwise print a result line of its own. See `flat` and `escaped`.
"""

from __future__ import annotations

import functools
import re
import sys
from typing import Any

from index import Dataset, Record, to_json
from index.describe import Row, describe
from index.kinds import Kind, get_kind, kinds

# The interface's language through tui.messages: an English run never imports index.i18n.
from .messages import _, counted, field_labels, language, ngettext, pgettext


def use_rich() -> bool:
    return sys.stdout.isatty()


# Everything that ends a line for some reader (terminals, `cut`, Python's splitlines),
# and the tab that separates fields.
_BREAKS = re.compile(r"[\t\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


# What `escaped` writes as a visible escape: the breaks, other C0/C1 controls, bidi
# overrides, and lone surrogates (bytes of a file name that are not UTF-8).
# Compiled when first needed (~0.5 ms: a piped `show` or `list` escapes nothing).
@functools.cache
def _unsafe() -> re.Pattern[str]:
    return re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]")


def flat(text: str) -> str:
    """Data text on one line: each tab or line break becomes one space.

    For names, titles and snippets, where a tab or line break is layout, not meaning:
    a space reads the same and keeps lines and fields intact, and the exact text is in
    --json. One character for one, so highlight offsets stay valid.
    """
    return _BREAKS.sub(" ", text)


def escaped(text: str) -> str:
    """Text where every character matters (paths, messages): breaks and controls as
    visible escapes (`\\n`, `\\t`, `\\udcff`), so the line stays one line and says what is there."""
    return _unsafe().sub(lambda m: m.group().encode("unicode_escape", "backslashreplace").decode("ascii"), text)


# On a terminal, long text columns (a quote's text) show their first words; piped, they are whole.
SHORT_WORDS = 12


def shortened(text: str, words: int = SHORT_WORDS) -> str:
    """The first `words` words, and `…` when there were more."""
    split = text.split()
    return " ".join(split[:words]) + ("…" if len(split) > words else "")


_LINES_PER_WRITE = 4096


def print_list(kind: Kind, records: list[Any], *, plain: bool = False) -> None:
    """One line per record (the kind's columns): tab-separated and whole when piped (or
    `plain`), a table on a terminal, where a quote's text shows its first words."""
    rows = [kind.cells(r) for r in records]
    if plain or not use_rich():
        # Written a few thousand lines at a time: a print() per line is ~40% of a piped
        # `list members` at 100k records. The same bytes.
        for start in range(0, len(rows), _LINES_PER_WRITE):
            sys.stdout.write(
                "".join(["\t".join(map(flat, row)) + "\n" for row in rows[start : start + _LINES_PER_WRITE]])
            )
        return
    if "text" in kind.headings:
        column = kind.headings.index("text")
        rows = [(*row[:column], shortened(row[column]), *row[column + 1 :]) for row in rows]
    english = language() == "en"
    if not english and "type" in kind.headings:  # the data's type values, named for people
        from index.forms import type_word

        column = kind.headings.index("type")
        rows = [(*row[:column], type_word(row[column]), *row[column + 1 :]) for row in rows]
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(box=None, header_style="bold", pad_edge=False)
    for column in kind.headings:
        heading = column if english else field_label(column)
        table.add_column(heading, overflow="fold" if column in ("text", "title", "name") else "ellipsis")
    for row in rows:
        table.add_row(*(Text(flat(cell)) for cell in row))
    console = Console(highlight=False)
    console.print(table)
    console.print(Text(f"{len(rows)} {kind.plural}" if english else counted(kind.plural, len(rows)), style="dim"))


def print_record(record: Record, dataset: Dataset) -> None:
    """Every field of a record, then its links and sources."""
    rows = describe(record, dataset)
    if language() != "en":
        rows = [_translated(row) for row in rows]
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
        # One line per value of a list (aliases, tags, links), so a value cannot pose as two.
        values = [_tabless(v) if row.prose else flat(v) for v in row.values]
        for position, value in enumerate(values):
            table.add_row(Text(row.label if position == 0 else ""), Text(value))
    console.print(table)


def field_label(label: str) -> str:
    """A row's label or a column's heading in the interface's language."""
    return field_labels().get(label, label)


def _field_values() -> dict[str, str]:
    """Fixed values of a member's rows (index/kinds/member.py), in the interface's language."""
    return {
        "founding member": pgettext("membership", "founding member"),
        "joined later": pgettext("membership", "joined later"),
        "not known": pgettext("joined", "not known"),
    }


_DATE_LABELS = ("date", "joined", "listed", "started")
_TYPE_LABELS = ("type", "status")
_ISO_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
_CODE_AFTER = re.compile(r"(.*) \(([a-z]{2,3})\)")
_IN_LANGUAGE = re.compile(r"(.+) \(([a-z]{2,3})\)")  # "translation (fr)", "name (fr)"


def _translated(row: Row) -> Row:
    """A row as the interface's language shows it: its label, and the values the kinds
    write in English (dates, type words, languages, fixed phrases) in that language. Data
    (names, texts) stays as it is. Only for a language other than English."""
    from dataclasses import replace

    from index.forms import human_date, language_name, type_word

    label = row.label
    if match := _IN_LANGUAGE.fullmatch(label):
        shown = f"{field_label(match.group(1))} ({match.group(2)})"
    else:
        shown = field_label(label)
    values = row.values
    if label in _DATE_LABELS:
        values = tuple(_human_date(v, human_date) for v in values)
    elif label in _TYPE_LABELS:
        values = tuple(_type_shown(v, type_word) for v in values)
    elif label == "language":
        values = tuple(
            f"{language_name(m.group(2))} ({m.group(2)})" if (m := _CODE_AFTER.fullmatch(v)) else v for v in values
        )
    if label in ("membership", "joined"):
        fixed = _field_values()
        values = tuple(fixed.get(v, v) for v in values)
    return replace(row, label=shown, values=values)


def _type_shown(value: str, type_word: Any) -> str:
    """A type value as named for people ('working group' is the value `working-group`)."""
    key = value.replace(" ", "-")
    word = type_word(key)
    return value if word == key else word


def _human_date(value: str, human_date: Any) -> str:
    """'2023-12-05' as '5 déc. 2023' (a value that is no such date is left as it is)."""
    from index.dates import PartialDate

    match = _ISO_DATE.fullmatch(value)
    if match is None:
        return value
    year, month, day = (int(part or 0) for part in match.groups())
    try:
        return human_date(PartialDate(year, month, day))
    except ValueError:
        return value


def _tabless(text: str) -> str:
    return text.replace("\t", " ")


def _print_plain_row(row: Row) -> None:
    """`label: value`, or `label:` then indented lines: a prose text's own lines (at every
    kind of line break), else one line per value, so no value can start a line of its own."""
    if row.prose:
        lines = [_tabless(line) for value in row.values for line in value.splitlines() or [""]]
    else:
        lines = [flat(value) for value in row.values]
    if len(lines) == 1:
        print(pgettext("row", "{label}: {value}").format(label=row.label, value=lines[0]))
        return
    print(pgettext("row", "{label}:").format(label=row.label))
    for line in lines:
        print(f"  {line}")


def record_json(record: Record, dataset: Dataset) -> dict[str, Any]:
    """The record's fields plus `links`: for each kind whose records can link to this one,
    the ids of those that do (a member: its quotes, events, topics, projects, groups, people)."""
    out = to_json(record)
    linking = {
        kind.plural: [r.id for r in dataset.linking(kind.name, record)]
        for kind in kinds()
        if any(record.kind in targets for targets in kind.links.values())
    }
    if linking:
        out["links"] = linking
    return out


def _marked(text: str, spans: tuple[tuple[int, int], ...], plain: bool) -> Any:
    """Text with matched spans highlighted with rich; plain output is the text alone
    (markers would be taken for data by a script; --json gives the offsets)."""
    if plain:
        return text
    from rich.text import Text

    rich_text = Text(text)
    for start, end in spans:
        rich_text.stylize("bold yellow", start, end)
    return rich_text


def _kind_count(name: str, count: int) -> str:
    """'1 member', '2 members', '3 people' (in the interface's language: '3 personnes')."""
    kind = get_kind(name)
    if kind is not None and language() != "en":
        return counted(kind.plural, count)
    if count == 1:
        return f"{count} {name}"
    return f"{count} {kind.plural if kind is not None else name + 's'}"


def _count(n: int) -> str:
    """A number as the interface writes it ('1000' in English, as always; '1 000' in French)."""
    if language() == "en":
        return str(n)
    from index.forms import number

    return number(n)


def print_search(result: Any) -> None:
    """Ranked hits with snippets, then the suggestion line and the counts."""
    plain = not use_rich()
    lines: list[Any] = []
    if result.message:
        lines.append(_("note: {message}").format(message=flat(result.message)))
    if result.fuzzy:
        lines.append(_("no exact matches; showing close matches (typo-tolerant)"))
    for hit in result.hits:
        # flat() keeps offsets, so the spans still point at the matched words.
        title = _marked(flat(hit.title), hit.title_spans, plain)
        snippet = _marked(flat(hit.snippet.text), hit.snippet.spans, plain) if hit.snippet.text else ""
        if plain:
            lines.append(f"{hit.kind}:{hit.id}\t{title}")
            if snippet:
                lines.append("    " + snippet)
        else:
            from rich.text import Text

            lines.append(Text.assemble((f"{hit.kind}:{hit.id}  ", "dim"), title))
            if snippet:
                lines.append(Text("    ").append_text(snippet))
    if result.suggestion:
        lines.append(_("did you mean: {query}").format(query=flat(result.suggestion)))
    kinds = ", ".join(_kind_count(k, n) for k, n in result.facets.get("kind", {}).items())
    shown = ""
    if result.total > len(result.hits):
        shown = ngettext("{n} shown", "{n} shown", len(result.hits)).format(n=_count(len(result.hits)))
    hits = ngettext("{n} hit", "{n} hits", result.total).format(n=_count(result.total))
    ms = f"{result.seconds * 1000:.0f}"
    if kinds or shown:
        details = ", ".join(x for x in (kinds, shown) if x)
        lines.append(_("{hits} ({details}) in {ms} ms").format(hits=hits, details=details, ms=ms))
    else:
        lines.append(_("{hits} in {ms} ms").format(hits=hits, ms=ms))
    if plain:
        for line in lines:
            print(line)
        return
    from rich.console import Console
    from rich.text import Text

    console = Console(highlight=False)
    for line in lines:
        console.print(line if isinstance(line, Text) else Text(line))
