"""A LineList lays its entries out lazily (issue 17): rows are cut when drawn, not all of
them on every layout, and what is drawn is what laying everything out eagerly gave."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text
from textual.app import App, ComposeResult
from tui_helpers import Counting, ready, settle

import tui.panes.filtering
import tui.widgets.line_list
from tests.hostile.helpers import all_rendered_lines
from tui.widgets.line_list import Entry, LineList, count_hanging, cut_line, wrap_hanging

ROWS = 400

# Words, spaces, bullets, wide (CJK) letters, newlines, and words longer than any line.
TEXTS = st.lists(
    st.one_of(
        st.sampled_from(["open", "alliance", " ", "  ", "\n", "→ ", "• ", "- ", "12. ", "数据", "é", "x" * 30]),
        st.text(alphabet=st.characters(codec="utf-8", categories=["L", "N", "Zs", "P"]), max_size=12),
    ),
    max_size=40,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(TEXTS, st.integers(1, 120), st.one_of(st.none(), st.integers(0, 30)))
def test_counting_a_wrapped_entry_gives_the_lines_wrapping_makes(text: str, width: int, indent: int | None) -> None:
    """The layout counts an entry's lines (count_hanging) and draws them later (wrap_hanging):
    a count off by one would leave a blank line or hide the last one."""
    console = Console(width=200, color_system=None)
    assert count_hanging(Text(text), width, indent) == len(wrap_hanging(Text(text), width, console, indent))


def row_entries() -> list[Entry]:
    """Rows longer than the list (cut at the edge), a few that fit, a few of two paragraphs,
    some with wide (CJK) characters."""
    entries: list[Entry] = []
    for n in range(ROWS):
        if n % 50 == 7:
            entries.append(Entry(Text(f"heading {n}"), style="line-list--heading"))
        elif n % 37 == 3:
            entries.append(Entry(Text(f"row {n} first paragraph of words\nits second paragraph " * 2), ref=f"r:{n}"))
        elif n % 11 == 5:
            entries.append(Entry(Text(f"{n} 数据联盟 " * 12), ref=f"r:{n}"))
        else:
            entries.append(Entry(Text(f"row {n:04d} " + "alliance member text " * 6), ref=f"r:{n}"))
    return entries


def eager_rows(entries: list[Entry], width: int) -> list[str]:
    """What the list showed before it was lazy: every paragraph cut at the width."""
    return [cut_line(p, width).plain for e in entries for p in e.text.split("\n", allow_blank=True)]


def eager_wrapped(entries: list[Entry], width: int) -> list[str]:
    console = Console(width=width)
    return [line.plain for e in entries for line in wrap_hanging(e.text, width, console, e.indent)]


class OneList(App[None]):
    # A stable gutter: the scrollbar that 400 rows bring does not narrow the rows after
    # their layout (rows, unlike wrapped text, are not laid out again for it).
    CSS = "LineList { width: 40; height: 20; scrollbar-gutter: stable; }"

    def __init__(self, wrap: bool) -> None:
        super().__init__()
        self.wrap = wrap

    def compose(self) -> ComposeResult:
        yield LineList(id="list", wrap=self.wrap)


def shown(lines: list[str]) -> list[str]:
    return [line.rstrip() for line in lines]


@pytest.mark.parametrize("width", [40, 23])
async def test_rows_are_cut_when_drawn_and_read_as_an_eager_layout(width: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """A list of 400 long rows cuts about a screenful of them to show its first page, not
    all 400 (before: every row, at every layout: four times on a pane's first visit); read
    from the top to the end, every line is what cutting them all at once gave."""
    cut = Counting(tui.widgets.line_list.cut_line)
    monkeypatch.setattr(tui.widgets.line_list, "cut_line", cut)
    app = OneList(wrap=False)
    app.CSS = f"LineList {{ width: {width}; height: 20; scrollbar-gutter: stable; }}"
    entries = row_entries()
    async with app.run_test(size=(60, 24)) as pilot:
        line_list = app.query_one(LineList)
        line_list.set_entries(entries)
        await pilot.pause()
        await pilot.pause()
        height = line_list.scrollable_content_region.height
        assert height >= 15
        assert 0 < cut.calls <= height, cut.calls  # the rows drawn (those that fit are not cut)
        content = line_list.scrollable_content_region.width
        expected = eager_rows(entries, content)
        assert line_list.virtual_size.height == len(expected)
        lines = await all_rendered_lines(pilot, line_list)
        assert shown(lines) == [line.rstrip() for line in expected]
        # Each row is cut once per width: reading it all again cuts nothing more.
        calls = cut.calls
        await all_rendered_lines(pilot, line_list)
        assert cut.calls == calls
        # The end: G puts the cursor on the last row and shows it.
        await pilot.press("G")
        await pilot.pause()
        assert line_list.current is not None and line_list.current.ref == entries[-1].ref
        last = line_list.scroll_offset.y + line_list.scrollable_content_region.height - 1
        assert last == len(expected) - 1


async def test_a_narrower_list_lays_its_rows_out_again_lazily(monkeypatch: pytest.MonkeyPatch) -> None:
    """A width change (a resize, the members table's columns) cuts again only what is drawn."""
    cut = Counting(tui.widgets.line_list.cut_line)
    monkeypatch.setattr(tui.widgets.line_list, "cut_line", cut)
    app = OneList(wrap=False)
    entries = row_entries()
    async with app.run_test(size=(60, 24)) as pilot:
        line_list = app.query_one(LineList)
        line_list.set_entries(entries)
        await pilot.pause()
        cut.calls = 0
        line_list.styles.width = 31
        await pilot.pause()
        await pilot.pause()
        content = line_list.scrollable_content_region.width
        assert content < 31
        assert 0 < cut.calls <= line_list.scrollable_content_region.height, cut.calls
        lines = await all_rendered_lines(pilot, line_list)
        assert shown(lines) == [line.rstrip() for line in eager_rows(entries, content)]


@pytest.mark.parametrize("width", [40, 23])
async def test_wrapped_text_wraps_only_what_does_not_fit_and_reads_as_before(
    width: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Details and hits wrap: an entry that fits takes one line and is never wrapped; the
    others are counted (count_hanging) to place what follows, and wrapped when drawn, once
    per width."""
    wrap = Counting(tui.widgets.line_list.wrap_hanging)
    monkeypatch.setattr(tui.widgets.line_list, "wrap_hanging", wrap)
    app = OneList(wrap=True)
    app.CSS = f"LineList {{ width: {width}; height: 20; scrollbar-gutter: stable; }}"
    entries = [Entry(Text(f"short {n}")) for n in range(30)] + row_entries()[:60]
    async with app.run_test(size=(60, 24)) as pilot:
        line_list = app.query_one(LineList)
        line_list.set_entries(entries)
        await pilot.pause()
        await pilot.pause()
        content = line_list.scrollable_content_region.width
        too_long = [e for e in entries if "\n" in e.text.plain or e.text.cell_len > content]
        assert wrap.calls <= line_list.size.height  # only what the screen shows
        lines = await all_rendered_lines(pilot, line_list)
        assert shown(lines) == [line.rstrip() for line in eager_wrapped(entries, content)]
        assert wrap.calls == len(too_long)  # each once, when drawn; none of the 30 short ones
        calls = wrap.calls
        await all_rendered_lines(pilot, line_list)
        assert wrap.calls == calls


async def test_first_visit_of_a_list_pane_cuts_a_screenful_and_counts_facets_once(
    make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Quotes at 100x30: the list beside the facets cuts the rows it shows (before: all 89
    quotes, four times) and the facets at a glance are counted once (before: three times),
    by the panes' preparation behind the Overview, not again by the visit."""
    cut = Counting(tui.widgets.line_list.cut_line)
    monkeypatch.setattr(tui.widgets.line_list, "cut_line", cut)
    facets = Counting(tui.panes.filtering.FilteredPane.facets)
    monkeypatch.setattr(tui.panes.filtering.FilteredPane, "facets", lambda self, records: facets(self, records))
    app = make_app(preview=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        quotes = app.pane("quotes")
        counted = lambda: sum(1 for args in facets.args if args[0] is quotes)  # noqa: E731
        cut.calls = 0
        assert counted() == 1  # prepared behind the Overview (AllianceApp.prepare_panes)
        await pilot.press("3")
        await settle(pilot)
        assert app.current_pane is quotes
        height = quotes.list.scrollable_content_region.height
        assert len(quotes.list.entries) > 2 * height
        width = quotes.list.scrollable_content_region.width
        # A screenful at the list's width (a row is two paragraphs: speaker, text); the pane's
        # first frame, laid out before the list had its width, may cut another screenful.
        at_width = [args for args in cut.args if args[1] == width]
        assert 0 < len(at_width) <= height + 2, (len(at_width), height)
        assert cut.calls <= 2 * (height + 2), (cut.calls, height)
        assert counted() == 1, facets.args
        lines = await all_rendered_lines(pilot, quotes.list)
        assert shown(lines) == [line.rstrip() for line in eager_rows(list(quotes.list.entries), width)]
