"""j/k in a list scroll by half a page when the cursor leaves the view (issue 17, vim's
`scrolljump`): one costly repaint of the list, then half a page of presses that repaint two
rows, instead of the whole list rewritten at every press (4.8 KB a `j` at 200x60)."""

from __future__ import annotations

from typing import Any

import pytest
from rich.text import Text
from textual.app import App, ComposeResult
from tui_helpers import burst, ready, search

from tui.widgets.line_list import Entry, LineList

ROWS = 300
HEIGHT = 20  # the list's lines: a half page is 10


def rows(count: int = ROWS) -> list[Entry]:
    return [Entry(Text(f"row {n:04d} of the list"), ref=f"r:{n}") for n in range(count)]


def hits(count: int = 60) -> list[Entry]:
    """Search hits: a title and a snippet of one or two lines (entries of 2 or 3 lines)."""
    snippet = ["a snippet line", "a snippet line\n    and its second line"]
    return [Entry(Text(f"hit {n:03d}\n    {snippet[n % 2]}"), ref=f"h:{n}") for n in range(count)]


class OneList(App[None]):
    CSS = f"LineList {{ width: 40; height: {HEIGHT}; scrollbar-gutter: stable; }}"

    def __init__(self, wrap: bool = False, first_line: bool = False) -> None:
        super().__init__()
        self.wrap, self.first_line = wrap, first_line

    def compose(self) -> ComposeResult:
        yield LineList(id="list", wrap=self.wrap)

    def on_mount(self) -> None:
        self.query_one(LineList).cursor_first_line = self.first_line


def span(line_list: LineList) -> tuple[int, int]:
    """The cursor's entry: its first line and the line after its last."""
    index = line_list.cursor
    start = line_list.line_of(index)
    end = line_list.line_of(index + 1) if index + 1 < len(line_list.entries) else line_list.virtual_size.height
    return start, end


def top(line_list: LineList) -> int:
    return int(line_list.scroll_offset.y)


def in_view(line_list: LineList) -> bool:
    start, end = span(line_list)
    height = line_list.scrollable_content_region.height
    return top(line_list) <= start and end <= top(line_list) + height


async def start(pilot: Any, entries: list[Entry]) -> LineList:
    line_list = pilot.app.query_one(LineList)
    line_list.set_entries(entries)
    line_list.focus()
    await pilot.pause()
    await pilot.pause()
    assert line_list.scrollable_content_region.height == HEIGHT
    return line_list


async def step(pilot: Any, line_list: LineList, key: str) -> tuple[int, int]:
    """Press key once; the scroll offset before and after, checking the cursor shows."""
    before = top(line_list)
    await pilot.press(key)
    assert in_view(line_list), (key, line_list.cursor, top(line_list))
    return before, top(line_list)


@pytest.mark.slow
async def test_j_scrolls_half_a_page_exactly_when_the_cursor_leaves_the_view() -> None:
    """100 j, one at a time: the view stays put while the cursor is in it and moves by half a
    page (10 lines) at the press that takes it out; then 100 k back, the same upwards."""
    async with OneList().run_test(size=(60, 30)) as pilot:
        line_list = await start(pilot, rows())
        half = HEIGHT // 2
        jumps = []
        for press in range(1, 101):
            before, after = await step(pilot, line_list, "j")
            assert line_list.cursor == press
            if press < before + HEIGHT:  # the cursor's row was in the view: nothing scrolls
                assert after == before, press
            else:
                assert after == before + half, press
                jumps.append(press)
                # Half a page of rows ahead of the cursor (less its own line).
                assert top(line_list) + HEIGHT - 1 - press == half - 1
        assert jumps == list(range(HEIGHT, 101, half))  # 20, 30, …, 100: one repaint in ten presses
        for press in range(99, -1, -1):
            before, after = await step(pilot, line_list, "k")
            assert line_list.cursor == press
            if press >= before:
                assert after == before, press
            else:  # half a page up, so that half a page (less its line) shows above it; or the top
                assert after == max(0, before - half), press
                assert press - after in (half - 1, press)
        assert top(line_list) == 0


@pytest.mark.slow
async def test_the_view_stops_at_the_end_and_at_the_top() -> None:
    """Near the end the jump is shorter: the last row is the view's last line, never a blank
    line after it; at the top, k neither scrolls nor moves."""
    async with OneList().run_test(size=(60, 30)) as pilot:
        line_list = await start(pilot, rows(35))
        last_top = 35 - HEIGHT
        for press in range(1, 40):  # past the last row: j there does nothing
            await step(pilot, line_list, "j")
            assert line_list.cursor == min(press, 34)
            assert top(line_list) <= last_top
        assert top(line_list) == last_top
        assert line_list.cursor == 34
        await pilot.press("g")
        await pilot.pause()
        assert (line_list.cursor, top(line_list)) == (0, 0)
        await pilot.press("k")
        await pilot.pause()
        assert (line_list.cursor, top(line_list)) == (0, 0)
        # From the end, k up to the view's top row: the jump stops at the top of the list.
        await pilot.press("G")
        await pilot.pause()
        assert (line_list.cursor, top(line_list)) == (34, last_top)
        for _ in range(34 - last_top + 1):
            await step(pilot, line_list, "k")
        assert line_list.cursor == last_top - 1
        assert top(line_list) == last_top - HEIGHT // 2


async def test_a_burst_of_j_ends_with_the_cursor_shown_half_a_page_from_the_bottom() -> None:
    """Held-down j (key repeat), or 100 j read at once: every key moves the cursor, and the
    view ends where single presses put it, never behind the cursor."""
    async with OneList().run_test(size=(60, 30)) as pilot:
        line_list = await start(pilot, rows())
        await burst(pilot, *["j"] * 100)
        await pilot.pause()
        assert line_list.cursor == 100
        assert in_view(line_list)
        assert 100 - top(line_list) >= HEIGHT // 2  # not at the bottom edge: half a page ahead
        await burst(pilot, *["k"] * 37)
        await pilot.pause()
        assert line_list.cursor == 63
        assert in_view(line_list)
        await burst(pilot, *["j"] * 500)
        await pilot.pause()
        assert line_list.cursor == ROWS - 1
        assert top(line_list) == ROWS - HEIGHT  # stopped at the end


async def test_other_moves_scroll_as_little_as_before() -> None:
    """PgDn, ctrl+d, a ref selected, a click: the cursor's row is shown with the least
    scroll (it lands at the view's edge, as before); a restored view keeps its exact offset;
    new entries start at the top."""
    async with OneList().run_test(size=(60, 30)) as pilot:
        line_list = await start(pilot, rows())
        await pilot.press("pagedown")
        await pilot.pause()
        assert line_list.cursor == HEIGHT - 1
        assert top(line_list) == 0
        await pilot.press("pagedown")
        await pilot.pause()
        assert line_list.cursor == 2 * (HEIGHT - 1)
        assert top(line_list) == line_list.cursor - HEIGHT + 1  # at the bottom edge
        await pilot.press("ctrl+u")  # within the view: nothing scrolls
        await pilot.pause()
        assert (line_list.cursor, top(line_list)) == (2 * (HEIGHT - 1) - (HEIGHT - 1) // 2, HEIGHT - 1)
        assert line_list.select_ref("r:200")
        await pilot.pause()
        assert line_list.cursor == 200
        assert top(line_list) == 200 - HEIGHT + 1  # selected from below: the bottom row
        assert line_list.select_ref("r:120")
        await pilot.pause()
        assert top(line_list) == 120  # from above: the top row
        view = line_list.view_state()
        await pilot.press("G")
        await pilot.pause()
        line_list.restore_view(view)
        await pilot.pause()
        assert (line_list.cursor, top(line_list)) == (120, 120)
        await pilot.click(LineList, offset=(3, 7))
        await pilot.pause()
        assert (line_list.cursor, top(line_list)) == (127, 120)
        line_list.set_entries(rows(), keep="r:250")
        await pilot.pause()
        assert line_list.cursor == 250
        assert in_view(line_list)


@pytest.mark.slow
async def test_search_hits_jump_by_half_a_page_too() -> None:
    """Hits of two or three lines (a wrapped list whose cursor marks its first line): j goes
    from hit to hit, and the one that leaves the view scrolls it by half a page, where it
    used to scroll a line at a time until the next hit showed."""
    async with OneList(wrap=True, first_line=True).run_test(size=(60, 30)) as pilot:
        line_list = await start(pilot, hits())
        half = HEIGHT // 2
        moved = 0
        for press in range(1, 40):
            before, after = await step(pilot, line_list, "j")
            assert line_list.cursor == press  # every j moves to the next hit
            if after != before:
                moved += 1
                end = span(line_list)[1]
                assert end + half - 1 == after + HEIGHT  # half a page, less one line, after the hit
                assert after - before >= half
        assert 4 <= moved <= 10  # 39 hits of 2.5 lines: about 100 lines, a jump per 10
        for press in range(38, -1, -1):
            await step(pilot, line_list, "k")
            assert line_list.cursor == press
        assert top(line_list) == 0


async def test_a_detail_still_scrolls_line_by_line_for_reading() -> None:
    """Wrapped text without the hit cursor (a detail, the Overview): j scrolls a line until
    the next link shows, as before."""
    entries = [Entry(Text(f"paragraph line {n}")) for n in range(60)] + [Entry(Text("link"), ref="x:1")]
    async with OneList(wrap=True).run_test(size=(60, 30)) as pilot:
        line_list = await start(pilot, [Entry(Text("first"), ref="x:0"), *entries])
        for press in range(1, 6):
            await pilot.press("j")
            await pilot.pause()
            assert top(line_list) == press


@pytest.mark.pilot_timeout(120)  # 142 presses at 200x60: about 20 s alone, more beside the suite
@pytest.mark.slow
async def test_members_at_200x60_jump_by_half_a_page(make_app: Any, dataset: Any) -> None:
    """The Members list of the wide layout, j from the first member to the last: the view
    scrolls once per half page, and stops at the end."""
    app = make_app(build_index=False)
    async with app.run_test(size=(200, 60)) as pilot:
        await ready(pilot)
        await pilot.press("2")
        await pilot.pause()
        line_list = app.pane("members").list
        height = line_list.scrollable_content_region.height
        half, last_top = height // 2, len(dataset.members) - height
        assert height > 30
        tops = [0]
        for press in range(1, len(dataset.members) + 2):
            before, after = await step(pilot, line_list, "j")
            assert line_list.cursor == min(press, len(dataset.members) - 1)
            assert after in (before, min(before + half, last_top))
            if after != before:
                tops.append(after)
        assert tops == [*range(0, last_top, half), last_top]


@pytest.mark.slow
async def test_a_list_as_wide_as_the_screen_scrolls_line_by_line(make_app: Any, dataset: Any) -> None:
    """At 80x24 the Members list is alone on the screen: a one-line scroll is cheap there
    (about 0.4 KB), cheaper than a jump, so j past the bottom scrolls by one line."""
    app = make_app(build_index=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("2")
        await pilot.pause()
        line_list = app.pane("members").list
        assert line_list.outer_size.width == app.screen.size.width
        height = line_list.scrollable_content_region.height
        for press in range(1, height + 6):
            before, after = await step(pilot, line_list, "j")
            assert after == max(before, press - height + 1), (press, before, after)
        assert top(line_list) == 6  # the cursor on row height + 5, at the bottom


@pytest.mark.slow
async def test_search_results_alone_at_80x24_scroll_a_line_at_a_time(make_app: Any) -> None:
    """At 80x24 the results are alone on the screen (78 of 80 columns): j keeps reading a
    line at a time there (a jump cost 1.8 KB, a line 0.4 KB), never moving the view by more
    than the hit it brings into view."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        pane = await search(pilot, "open")
        line_list = pane.list
        assert app.screen.focused is line_list
        assert line_list.virtual_size.height > 3 * line_list.scrollable_content_region.height
        moved = 0
        for _ in range(40):
            before, after = await step(pilot, line_list, "j")
            start, end = span(line_list)
            # At most the height of the hit brought into view (a jump is half the view: 8).
            assert 0 <= after - before <= end - start < line_list.scrollable_content_region.height // 2
            moved += after - before
        assert moved > 0
