"""The virtual list on its own: wrapped text must fit beside the scrollbar it causes."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult

from tui.widgets.line_list import Entry, LineList

WORDS = "alliance " * 12


class OneList(App[None]):
    def compose(self) -> ComposeResult:
        yield LineList(id="detail", wrap=True)


async def test_text_is_rewrapped_when_its_own_length_brings_a_scrollbar() -> None:
    """Wrapped at the full width, the text is taller than the list, so a vertical scrollbar
    appears and takes a column: the text must be wrapped again, narrower, not cut."""
    app = OneList()
    async with app.run_test(size=(40, 8)) as pilot:
        line_list = app.query_one(LineList)
        line_list.set_entries([Entry(Text(f"{n} {WORDS}")) for n in range(6)])
        await pilot.pause()
        await pilot.pause()
        assert line_list.show_vertical_scrollbar
        width = line_list.scrollable_content_region.width
        assert width < line_list.size.width
        assert max(line.cell_len for line in line_list._lines) <= width
        # And back: with less text the scrollbar goes, and the full width is used again.
        line_list.set_entries([Entry(Text(WORDS))])
        await pilot.pause()
        await pilot.pause()
        assert not line_list.show_vertical_scrollbar
        assert line_list._wrapped_width == line_list.size.width
