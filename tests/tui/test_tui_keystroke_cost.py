"""What a search letter costs the machine, which serving many sessions (issue 15) multiplies.

- The hits' list changes length at every letter: that must not lay out the whole screen
  (16 ms of CPU at 100x30) unless its scrollbar appears or goes.
- The footer hears "bindings changed" after every result: it must not mount its keys again
  when it would show the same ones.
- On a busy machine the pause before a search grows with what the last search took, so the
  keys are echoed first and the searching waits for a pause in the typing.
"""

from __future__ import annotations

from typing import Any

from textual.widgets._footer import FooterKey
from tui_helpers import ready, settle, type_fast

from tui.footer import ContextFooter
from tui.panes.search import DEBOUNCE, DEBOUNCE_MAX, REFINE_AFTER, REFINE_MAX
from tui.widgets.line_list import Entry


def count_layouts(app: Any) -> list[int]:
    calls: list[int] = []
    screen = app.screen
    original = screen._refresh_layout

    def counting(*args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return original(*args, **kwargs)

    screen._refresh_layout = counting
    return calls


def entries(count: int) -> list[Entry]:
    from rich.text import Text

    return [Entry(Text(f"row {i}"), ref=f"member:m{i}") for i in range(count)]


async def test_a_new_length_repaints_the_list_without_laying_out_the_screen(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("2")
        await pilot.pause()
        members = app.pane("members").list
        members.set_entries(entries(200))
        await pilot.pause()
        assert members.show_vertical_scrollbar
        layouts = count_layouts(app)
        members.set_entries(entries(150))
        await pilot.pause()
        assert layouts == []  # the scrollbar stays: the list only repaints
        assert members.virtual_size.height == 150
        assert members.max_scroll_y == 150 - members.scrollable_content_region.height
        members.scroll_end(animate=False)
        await pilot.pause()
        assert members.scroll_offset.y == members.max_scroll_y  # the new end, not the old one
        shown = "".join(seg.text for seg in members.render_line(members.size.height - 1))
        assert "row 149" in shown


async def test_a_list_too_short_for_a_scrollbar_loses_it_and_regains_it(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("2")
        await pilot.pause()
        members = app.pane("members").list
        members.set_entries(entries(3))
        await pilot.pause()
        assert not members.show_vertical_scrollbar
        members.set_entries(entries(300))
        await pilot.pause()
        assert members.show_vertical_scrollbar
        assert members.vertical_scrollbar.window_virtual_size == 300


async def test_the_footer_keeps_its_keys_when_they_do_not_change(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("2")
        await pilot.pause()
        await pilot.pause()
        footer = app.query_one(ContextFooter)
        before = list(footer.query(FooterKey))
        assert before
        app.screen.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        assert list(footer.query(FooterKey)) == before  # the same widgets: nothing remounted
        await pilot.press("3")  # other keys act on the Quotes: the footer follows
        await pilot.pause()
        await pilot.pause()
        after = list(footer.query(FooterKey))
        assert after != before


async def test_the_pause_before_a_search_grows_with_what_searches_take(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        pane = app.pane("search")
        await pilot.press("5")
        await type_fast(pilot, "nasa")
        await settle(pilot)
        assert pane.result is not None and pane._search_cost > 0  # measured, to the drawing
        pane._search_cost = 0.01  # a quiet machine
        assert pane.debounce() == DEBOUNCE
        pane._search_cost = 0.3  # a busy one: twice that
        assert abs(pane.debounce() - 0.6) < 1e-9
        assert abs(pane.refine_after() - 1.2) < 1e-9  # the full search waits longer still
        pane._search_cost = 5.0
        assert pane.debounce() == DEBOUNCE_MAX
        assert pane.refine_after() == REFINE_MAX
        pane._search_cost = 0.01
        assert pane.refine_after() == REFINE_AFTER
        delays: list[float] = []
        set_timer = pane.set_timer
        pane.set_timer = lambda delay, *a, **k: delays.append(delay) or set_timer(delay, *a, **k)
        pane._search_cost = 0.3
        await pilot.press("backspace")
        assert delays and abs(delays[0] - 0.6) < 1e-9
