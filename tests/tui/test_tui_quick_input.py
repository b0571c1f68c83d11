"""Typing in the search and narrowing boxes repaints the box, not the layout of the whole screen
(tui/widgets/input_box.py), and a query wider than the box still scrolls to its end."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widget import Widget
from tui_helpers import ready, type_fast


@pytest.fixture
def layouts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Names of the widgets that ask for a layout pass (refresh(layout=True)) while recording."""
    asked: list[str] = []
    original = Widget.refresh

    def refresh(self: Widget, *args: Any, layout: bool = False, **kwargs: Any) -> Any:
        if layout:
            asked.append(type(self).__name__)
        return original(self, *args, layout=layout, **kwargs)

    monkeypatch.setattr(Widget, "refresh", refresh)
    return asked


async def test_a_search_letter_asks_no_layout_of_the_box(make_app: Any, layouts: list[str]) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("5")
        await pilot.pause()
        box = app.pane("search").input
        layouts.clear()
        box.value = "univers"  # what a keystroke does to the box, without the search it schedules
        box.value = "university"
        await pilot.pause()
        assert "SearchInput" not in layouts


async def test_a_narrowing_letter_asks_no_layout_of_the_box(make_app: Any, layouts: list[str]) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("2", "backslash")
        await pilot.pause()
        layouts.clear()
        await type_fast(pilot, "ibm")
        await pilot.pause()
        assert "NarrowInput" not in layouts


async def test_a_long_query_scrolls_to_its_end(make_app: Any) -> None:
    app = make_app()
    async with app.run_test(size=(60, 24)) as pilot:
        await ready(pilot)
        await pilot.press("5")
        query = "open source models for science and climate research tomorrow"
        await type_fast(pilot, query)
        await pilot.pause()
        box = app.pane("search").input
        assert box.scroll_x > 0
        shown = "".join(segment.text for segment in box.render_line(box.size.height // 2))
        assert "research tomorrow" in shown
