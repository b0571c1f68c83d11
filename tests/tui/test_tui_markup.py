"""Data text is never markup: names, quotes, summaries and titles full of Rich/Textual markup
show literally everywhere (panes, details, search results, palette, header, notifications),
and clicking the text of an `[@click=app.quit]` does nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Static
from tui_helpers import (
    MARKUP,
    MARKUP_TOKENS,
    move_to,
    plain,
    ready,
    refs,
    screen_text,
    search,
    squeeze,
    type_fast,
    wait_until,
    write_markup_dataset,
)

from index.store import open_index
from tui.widgets.line_list import LineList


@pytest.fixture(scope="module")
def markup_data(tmp_path_factory: pytest.TempPathFactory, index_cache: Path) -> Path:
    """The markup dataset (only read), its index built before the tests start an explorer on it."""
    data = write_markup_dataset(tmp_path_factory.mktemp("markup") / "data")
    open_index(data, cache=index_cache).ix.close()
    return data


def assert_literal_on_screen(app: Any, where: str) -> None:
    shown = squeeze(screen_text(app))  # wrapped lines: compare without whitespace
    for token in MARKUP_TOKENS:
        assert squeeze(token) in shown, f"{token!r} not on screen ({where})"
    assert app.is_running, where


def assert_no_click_actions(widget: Any) -> None:
    """No drawn segment carries a Textual action (what `[@click=...]` markup would add)."""
    for y in range(widget.size.height):
        for segment in widget.render_line(y):
            meta = segment.style.meta if segment.style else {}
            assert "@click" not in meta, (widget, y, segment)


async def click_every_click_markup(pilot: Any) -> None:
    """Click inside each `[@click=app.quit]` on screen (lists, details, header)."""
    app = pilot.app
    clicked = 0
    for line_list in list(app.screen.query(LineList)):
        if not line_list.display or not line_list.size.height:
            continue
        for y in range(line_list.size.height):
            line = "".join(segment.text for segment in line_list.render_line(y))
            x = line.find("[@click=app.quit]")
            if x < 0:
                continue
            # Inside the would-be link text; the widget's left padding is one column.
            assert await pilot.click(line_list, offset=(1 + x + 3, y))
            await pilot.pause()
            assert app.is_running, (line_list, y, line)
            clicked += 1
            break
    header = app.query_one("#header", Static)
    x = str(header.render()).find("[@click=app.quit]")
    assert x >= 0
    assert await pilot.click(header, offset=(1 + x + 3, 0))
    await pilot.pause()
    assert app.is_running
    assert clicked >= 2  # the overview list and its detail both had such a line


async def test_markup_in_the_data_shows_literally_in_every_pane(make_app, markup_data):
    app = make_app(data_dir=markup_data)
    async with app.run_test(size=(160, 40)) as pilot:
        await ready(pilot)
        await click_every_click_markup(pilot)  # no action runs: the app still runs
        await pilot.press("1")  # (a click on the selected founder link opened it)
        header = str(app.query_one("#header", Static).render())
        assert f"Markup {MARKUP} Alliance" in header
        overview = app.pane("overview")
        assert f"Mission {MARKUP} text." in plain(overview.list)
        assert_literal_on_screen(app, "overview")
        assert_no_click_actions(overview.list)

        await move_to(pilot, overview.list, "topic:openness")
        await pilot.press("enter")
        assert f"Topic summary {MARKUP}." in plain(overview.detail)
        assert_literal_on_screen(app, "topic")

        for key, ref, text in (
            ("2", "member:bracket", f"Member summary {MARKUP}."),
            ("3", "quote:markup-quote", f"Quote text {MARKUP} here."),
            ("4", "event:launch", f"Event summary {MARKUP}."),
        ):
            await pilot.press(key)
            pane = app.current_pane
            await move_to(pilot, pane.list, ref)
            await pilot.press("enter")
            assert pane.record is not None and f"{pane.record.kind}:{pane.record.id}" == ref
            assert text in plain(pane.detail)
            assert_literal_on_screen(app, ref)
            assert_no_click_actions(pane.list)
            assert_no_click_actions(pane.detail)

        await pilot.press("3", "t")  # the French rendering has markup too
        assert f"Texte {MARKUP} ici." in plain(app.pane("quotes").detail)
        assert_literal_on_screen(app, "quote in French")

        await pilot.press("y")  # the citation is the text as written
        assert f"Quote text {MARKUP} here." in app.clipboard
        assert f"Speaker {MARKUP}" in app.clipboard


async def test_markup_in_the_data_shows_literally_in_search_and_palette(make_app, markup_data):
    app = make_app(data_dir=markup_data)
    async with app.run_test(size=(160, 40), notifications=True) as pilot:
        await ready(pilot)
        pane = await search(pilot, "click")
        assert {"member:bracket", "quote:markup-quote", "event:launch", "topic:openness"} <= set(refs(pane.list))
        assert f"Bracket {MARKUP} Labs" in plain(pane.list)
        assert_literal_on_screen(app, "search results")
        assert_no_click_actions(pane.list)
        await move_to(pilot, pane.list, "member:bracket")
        assert_literal_on_screen(app, "search preview")
        await pilot.press("enter")
        assert app.pane("members").record.id == "bracket"

        await pilot.press("ctrl+p")
        await type_fast(pilot, "Bracket")

        def options() -> list[str]:
            return [str(o.prompt) for o in app.screen.query_one("OptionList").options]

        await wait_until(pilot, lambda: any("Bracket" in o for o in options()))
        assert f"Go to member: Bracket {MARKUP} Labs (BRK)" in options()
        option_list = app.screen.query_one("OptionList")
        assert_literal_on_screen(app, "palette")
        assert_no_click_actions(option_list)
        await pilot.press("enter")
        await pilot.pause()
        assert app.is_running
        assert app.pane("members").record.id == "bracket"

        app.follow(f"member:{MARKUP}")  # a warning (a toast) that quotes a name with markup
        await wait_until(pilot, lambda: "No single record named" in screen_text(app))
        assert_literal_on_screen(app, "notification")
