"""Type-to-narrow (`\\`): a box above a pane's list narrows its rows as you type, by words.

Distinct from the global search (`/`): only the rows already in the list are narrowed.
The box is mounted the first time it is used; Enter keeps the narrowing, Esc clears it;
keys typed fast (one read) land in the box, then in the list after Enter.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rich.text import Text
from tui_helpers import burst, ready, refs, title

from index.describe import country_name
from tests.e2e.harness import Terminal, alliance_command, clean_env, have_tmux
from tests.e2e.harness import burst as tmux_burst
from tui.panes import base
from tui.panes.search import SearchInput
from tui.widgets.line_list import Entry
from tui.widgets.narrow import Narrowing, NarrowInput


def rows(pane: Any) -> list[str]:
    """The text of the list's selectable rows."""
    return [e.text.plain for e in pane.list.entries if e.selectable]


async def narrow(pilot: Any, text: str, *, fast: bool = True) -> None:
    """`\\`, then the text (space as "space"): in one burst, or key by key as Pilot presses."""
    keys = ["backslash", *["space" if c == " " else c for c in text]]
    await (burst(pilot, *keys) if fast else pilot.press(*keys))


async def test_the_box_is_mounted_on_first_use_and_narrows_by_all_words(make_app, dataset):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("2")
        pane = app.pane("members")
        assert not app.query(NarrowInput), "mounted at start-up"
        everyone = rows(pane)

        await narrow(pilot, "jp univ", fast=False)  # every word, any order, any case
        box = pane.query_one(NarrowInput)
        assert app.focused is box and box.value == "jp univ"
        japanese_universities = {
            f"member:{m.id}" for m in dataset.members if m.country == "JP" and m.type == "university"
        }
        assert japanese_universities and set(refs(pane.list)) == japanese_universities
        shown = len(japanese_universities)
        assert title(pane).endswith(f"narrowed: jp univ · {shown} of {len(everyone)}")

        await pilot.press("enter")  # keeps the narrowing, back in the list
        assert app.focused is pane.list
        assert not box.display
        assert set(refs(pane.list)) == japanese_universities
        assert "narrowed: jp univ" in title(pane)

        await pilot.press("backslash")  # again: the box shows the text, to edit
        assert app.focused is box and box.display and box.value == "jp univ"
        await pilot.press("backspace", "backspace", "backspace", "backspace", "backspace")
        assert set(refs(pane.list)) == {f"member:{m.id}" for m in dataset.members if "jp" in m.country.casefold()}

        await pilot.press("escape")  # clears it, back in the list
        assert app.focused is pane.list
        assert rows(pane) == everyone
        assert "narrowed" not in title(pane)
        assert len(app.query(NarrowInput)) == 1  # the same box, hidden


async def test_keys_typed_fast_land_in_the_box_then_in_the_list(make_app):
    """`\\quansight⏎j` in one read: q, s and the rest are text (not quit, not sort), and the
    `j` after Enter moves the list's cursor."""
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("2")
        await burst(pilot, "backslash", *"fsq", "backspace", "backspace", "backspace", *"univ", "enter", "j")
        pane = app.pane("members")
        assert app.is_running and app.screen is app.screen_stack[0], "a key acted instead of being typed"
        assert pane.narrow_text == "univ" and pane.sort == "name"
        assert app.focused is pane.list
        assert pane.list.cursor == 1  # the j after Enter
        assert all("univ" in row.casefold() for row in rows(pane))

        await burst(pilot, "backslash", *"quansight", "escape", "G")
        assert app.is_running
        assert pane.narrow_text == "" and app.focused is pane.list
        assert pane.list.current is pane.list.entries[-1]  # the G after Esc


async def test_a_pane_key_and_the_narrowing_in_one_read(make_app):
    """`2\\univ` in one read (a paste, a laggy link): the pane key acts as it arrives, so
    the `\\` is the Members pane's and `univ` lands in its box, not on the Overview."""
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await burst(pilot, "2", "backslash", *"univ", "enter")
        pane = app.pane("members")
        assert app.current_pane is pane and pane.narrow_text == "univ"
        assert app.focused is pane.list
        await burst(pilot, "5", *"4nasa")  # in the search box, digits are text
        assert app.pane("search").input.value == "4nasa"


async def test_a_long_list_narrows_once_per_burst(make_app, monkeypatch):
    """Above NARROW_AT_ONCE rows the narrowing waits for a pause in the typing: a burst of
    keys costs one pass over the rows, not one per key; Enter applies at once."""
    monkeypatch.setattr(base, "NARROW_AT_ONCE", 10)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("2")
        pane = app.pane("members")
        texts: list[str] = []
        set_narrow = pane.set_narrow
        monkeypatch.setattr(pane, "set_narrow", lambda text, keep=None: (texts.append(text), set_narrow(text, keep)))
        await narrow(pilot, "univ")
        await pilot.pause(base.NARROW_PAUSE * 3)
        assert texts == ["univ"]
        assert refs(pane.list) and all("univ" in row.casefold() for row in rows(pane))
        texts.clear()
        await burst(pilot, "backspace", "backspace", *"it", "enter")  # Enter does not wait
        assert texts == ["unit"] and pane.narrow_text == "unit"
        await pilot.pause(base.NARROW_PAUSE * 3)
        assert texts == ["unit"]


async def test_headings_stay_with_their_rows(make_app, dataset):
    """The timeline keeps the year headings of the events it keeps, and only those."""
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("4")
        pane = app.pane("timeline")
        await narrow(pilot, "launch")
        await pilot.press("enter")
        entries = pane.list.entries
        shown = set(refs(pane.list))
        kept = [event for event in dataset.events if f"event:{event.id}" in shown]
        assert kept and len(kept) < len(dataset.events)
        headings = [e.text.plain for e in entries if not e.selectable]
        assert headings == sorted({f"{event.date.year:04d}" for event in kept})
        assert all(entries[i + 1].selectable for i, e in enumerate(entries) if not e.selectable)
        assert all("launch" in e.text.plain.casefold() for e in entries if e.selectable)
        await pilot.press("right_curly_bracket")  # } still jumps to the next year shown
        assert pane.list.current is not None and pane.list.current.selectable


async def test_quotes_and_projects_narrow_too(make_app, dataset):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("3")
        quotes = app.pane("quotes")
        await narrow(pilot, "krishna")
        await pilot.press("enter")
        assert refs(quotes.list) and all("krishna" in q.casefold() for q in rows(quotes))
        assert f"of {len(dataset.quotes)}" in title(quotes)

        await pilot.press("6")
        projects = app.pane("projects")
        await narrow(pilot, "zzzz-nothing")
        assert projects.list.entries == [] or not refs(projects.list)
        assert "narrowed: zzzz-nothing · 0 of" in title(projects)
        await pilot.press("escape")
        assert refs(projects.list)


async def test_no_narrowing_on_the_overview_and_backslash_types_in_the_search_box(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("backslash")  # the Overview is prose and charts: nothing to narrow
        assert not app.query(NarrowInput)
        await pilot.press("slash", "a", "backslash", "b")
        assert isinstance(app.focused, SearchInput)
        assert app.pane("search").input.value == "a\\b"
        assert not app.query(NarrowInput)


async def test_esc_in_the_list_clears_the_narrowing_before_leaving_the_pane(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("2")
        pane = app.pane("members")
        await narrow(pilot, "univ")
        await pilot.press("enter", "escape")
        assert app.current_pane is pane and pane.narrow_text == ""
        await pilot.press("escape")
        assert app.current_pane.id == "overview"


async def test_filters_and_sort_keep_the_narrowing_and_opening_a_hidden_record_clears_it(make_app, dataset):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("2")
        pane = app.pane("members")
        await narrow(pilot, "univ")
        await pilot.press("enter")
        pane.set_filter("country", "US")  # the list is rebuilt, then narrowed again
        await pilot.pause()
        us = [m for m in dataset.members if m.country == "US"]
        us_universities = {f"member:{m.id}" for m in us if "univ" in (m.type + m.name).casefold()}
        assert set(refs(pane.list)) == us_universities
        assert title(pane).endswith(
            f"filter: {country_name('US')} · narrowed: univ · {len(us_universities)} of {len(us)}"
        )
        await pilot.press("s")
        assert set(refs(pane.list)) == us_universities

        app.follow("member:ibm")  # hidden by the narrowing (and the filter): both cleared
        await pilot.pause()
        assert pane.record.id == "ibm" and pane.list.current.ref == "member:ibm"
        assert pane.narrow_text == "" and "narrowed" not in title(pane)
        assert pane.query_one(NarrowInput).value == ""


async def test_help_lists_the_key_where_it_acts(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        keys = lambda: [k.description for _, _, ks in app.help_sections() for k in ks]  # noqa: E731
        assert "Narrow" not in keys()  # the Overview
        await pilot.press("2")
        assert "Narrow" in keys()
        await pilot.press("backslash")
        assert {"Keep narrowing", "Clear narrowing"} <= set(keys())
        assert "Narrow" not in keys()  # in the box, \ is typed


# -- the matching itself ------------------------------------------------------------


def entry(text: str, ref: str | None = "x") -> Entry:
    return Entry(Text(text), ref=ref)


def test_narrowing_matches_all_words_and_keeps_group_headings():
    entries = [
        entry("", None),
        entry("Fruit", None),
        entry("Apple pie"),
        entry("Banana split"),
        entry("", None),
        entry("Vegetables", None),
        entry("Apple-shaped pepper"),
        entry("Carrot"),
    ]
    narrowing = Narrowing(entries)
    assert narrowing.total == 4
    shown = lambda text: [e.text.plain for e in narrowing.narrowed(text)]  # noqa: E731
    assert shown("") == [e.text.plain for e in entries]
    assert shown("APPLE") == ["Fruit", "Apple pie", "", "Vegetables", "Apple-shaped pepper"]
    assert shown("pep apple") == ["Vegetables", "Apple-shaped pepper"]  # no blank line on top
    assert shown("split") == ["Fruit", "Banana split"]
    assert shown("nothing") == []


def test_narrowing_100000_rows_searches_only_what_the_shorter_text_kept():
    entries = [entry(f"row {i:06d} {'alpha' if i % 10 == 0 else 'beta'}") for i in range(100_000)]
    narrowing = Narrowing(entries)
    seen: list[int] = []

    class Counting(dict):
        def __getitem__(self, key: int) -> str:
            seen.append(key)
            return super().__getitem__(key)

    assert len(narrowing.matches("alp")) == 10_000
    narrowing._folded = Counting(narrowing._folded)
    seen.clear()
    expected = [i for i, e in enumerate(entries) if "alpha" in e.text.plain and "0001" in e.text.plain]
    assert narrowing.matches("alpha 0001") == expected
    assert len(set(seen)) == 10_000  # only the rows "alp" kept were looked at again
    seen.clear()
    assert len(narrowing.matches("alp")) == 10_000  # Backspace: the earlier result, as it was
    assert seen == []
    assert narrowing.narrowed("alpha 0001") == [entries[i] for i in expected]


# -- in a real terminal ------------------------------------------------------------------


@pytest.mark.e2e
@pytest.mark.slow
@pytest.mark.skipif(not have_tmux(), reason="tmux is not installed (.ci/run installs it)")
def test_a_burst_through_tmux_narrows_and_the_next_keys_reach_the_list(tmp_path: Path, dataset) -> None:
    """`\\quansight` then Enter and `j` in ONE send-keys: the screen shows the one row, the
    title says so, and neither q (quit) nor s (sort) acted."""
    terminal = Terminal(tmp_path, width=100, height=30)
    try:
        terminal.start(alliance_command(), env=clean_env(tmp_path))
        terminal.wait_for("Founders")
        terminal.send("2")
        terminal.wait_for("Members ·")
        terminal.wait_quiet()
        tmux_burst(terminal, "\\", *"jp univ", "Enter", "j")
        expected = sorted(m.name for m in dataset.members if m.country == "JP" and m.type == "university")
        screen = terminal.wait_for(f"narrowed: jp univ · {len(expected)} of {len(dataset.members)}")
        terminal.wait_quiet()
        screen = terminal.screen()
        shown = [line for line in screen.splitlines() if " JP  " in line]
        assert [any(name[:20] in line for name in expected) for line in shown] == [True] * len(expected), screen
        assert "sorted by name" in screen

        tmux_burst(
            terminal, "\\", "BSpace", "BSpace", "BSpace", "BSpace", "BSpace", "BSpace", "BSpace", *"quansight", "Enter"
        )
        screen = terminal.wait_for("narrowed: quansight · 1 of")
        assert "Quansight" in screen and "__EXIT__" not in screen and "sorted by name" in screen
        terminal.send("Escape")  # clears the narrowing
        terminal.wait_for("narrowed", gone=True)
        # One at a time: ESC and q in one read are Alt+q.
        terminal.send("Escape")
        terminal.wait_quiet()
        terminal.send("q")
        terminal.wait_for("__EXIT__0")
    finally:
        terminal.close()
