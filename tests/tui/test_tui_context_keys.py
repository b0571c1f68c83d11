"""ctrl+c quits from anywhere; the footer shows the keys that act here, as many as fit on one line."""

from __future__ import annotations

from typing import Any

import pytest
from textual.widgets._footer import FooterKey
from tui_helpers import ready, search, type_fast

from tui.footer import ContextFooter

# Where ctrl+c must quit at once: the keys that lead there.
QUIT_FROM = {
    "overview list": (),
    "members detail": ("2", "enter"),
    "search box with text": ("slash", "n", "a", "s", "a"),
    "help screen": ("question_mark",),
    "filter dialog": ("2", "f"),
    "command palette": ("ctrl+p",),
}


@pytest.mark.parametrize("place", list(QUIT_FROM))
async def test_ctrl_c_quits_at_once_from_anywhere(make_app, place):
    app = make_app(build_index=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press(*QUIT_FROM[place])
        assert app.is_running
        await pilot.press("ctrl+c")
        assert not app.is_running, place
    assert app.return_code == 0  # as q: a normal way out, not an error
    assert not app._notifications or all("quit" not in str(n.message) for n in app._notifications)


def footer_keys(app: Any) -> dict[str, str]:
    """Description -> key of what the footer shows now (the palette key left out)."""
    footer = app.query_one(ContextFooter)
    return {k.description: k.key_display for k in footer.query(FooterKey) if not k.has_class("-command-palette")}


async def settled_footer(pilot: Any) -> dict[str, str]:
    await pilot.pause()
    await pilot.pause()  # the footer recomposes after the refresh that follows a focus change
    return footer_keys(pilot.app)


def assert_fits(app: Any) -> None:
    """Every key of the footer shows whole, left of the palette key, on its one line."""
    footer = app.query_one(ContextFooter)
    assert footer.region.height == 1
    keys = list(footer.query(FooterKey))
    palette = [k for k in keys if k.has_class("-command-palette")]
    right = palette[0].region.x if palette else footer.region.right
    for key in keys:
        if key not in palette:
            assert key.region.width > 0, key.description
            assert key.region.right <= right, f"{key.description!r} cut off at {app.size.width} columns"


# (keys to get there, keys of that context the footer must show at 120 columns, must not show)
CONTEXTS = {
    # No preview on the Overview: its detail is the dashboard of charts.
    "overview list": ((), {"Open"}, {"Back", "History back", "Next hit", "Next year", "Preview"}),
    "members list": (("2",), {"Back", "Preview", "Filter", "Sort"}, {"History back", "Next year"}),
    "members detail": (("2", "enter"), {"Back"}, {"Preview", "History back"}),
    "after following a link": (("2", "enter", "enter"), {"Back", "History back"}, {"History forward"}),
    "timeline list": (("4",), {"Next year", "Previous year", "Back", "Preview", "Filter"}, {"Sort", "Next hit"}),
}


@pytest.mark.parametrize("context", list(CONTEXTS))
async def test_the_footer_shows_the_keys_of_the_context_and_fits(make_app, context):
    keys, present, absent = CONTEXTS[context]
    app = make_app(build_index=False, preview=False)
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        await pilot.press(*keys)
        shown = await settled_footer(pilot)
        assert present <= set(shown), f"missing: {present - set(shown)}; shown: {shown}"
        assert not absent & set(shown), f"not acting here: {absent & set(shown)}"
        assert_fits(app)
        await pilot.resize_terminal(80, 24)
        await pilot.pause(0.1)
        narrow = await settled_footer(pilot)
        assert_fits(app)
        assert {"Help", "Quit"} <= set(narrow)  # the first to stay
        assert set(narrow) <= set(shown)
        if "Back" in shown:
            assert "Back" in narrow  # Esc outranks the app-wide keys


async def test_the_footer_shows_n_while_there_are_hits(make_app):
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        await pilot.press("2")
        assert "Next hit" not in await settled_footer(pilot)
        await search(pilot, "nasa")
        shown = await settled_footer(pilot)
        assert {"Next hit", "Previous hit"} <= set(shown)
        await pilot.press("slash", "ctrl+u")  # clear the query: no hits
        await type_fast(pilot, "zzzqqqxxx")
        await pilot.press("enter")
        await ready(pilot)
        await pilot.press("2")
        assert "Next hit" not in await settled_footer(pilot)
        await pilot.press("n")  # n still says why nothing happens
        assert any("No search results" in str(n.message) for n in app._notifications)
