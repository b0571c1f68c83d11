"""The terminal around the explorer: sizes and resizing, NO_COLOR, the theme option and its
memory, idleness (no timers or animations once ready), and `alliance` starting the explorer."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from textual.app import App
from tui_helpers import (
    active_timers,
    ready,
    refs,
    rendered,
    screen_text,
    search,
    settle,
    title,
    type_fast,
    wait_until,
)

import tui.cli
from tui.app import AllianceApp
from tui.config import DEFAULT_THEME
from tui.panes.search import SearchInput


def saved_settings(config: Path) -> dict[str, Any]:
    return json.loads((config / "config.json").read_text(encoding="utf-8"))


# -- sizes ----------------------------------------------------------------------


async def test_the_explorer_works_at_80x24(make_app):
    """At 80 columns a pane shows its list or its detail, not both."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert app.screen.has_class("-narrow")
        text = screen_text(app)
        assert "AI Alliance" in text.splitlines()[0]  # the header
        assert "1 Overview" in text and "2 Members" in text  # the tabs
        assert "^p palette" in text  # the footer

        await pilot.press("2")
        members = app.pane("members")
        assert members.list.display and not members.detail.display
        await pilot.press("enter")
        assert members.detail.display and not members.list.display
        assert app.focused is members.detail
        assert members.record.name in plain_lines(members.detail)
        await pilot.press("escape")
        assert members.list.display and not members.detail.display

        pane = await search(pilot, "open source")
        assert "hits in" in title(pane)
        assert pane.list.display and refs(pane.list)
        assert "hits in" in screen_text(app)
        await pilot.press("question_mark")
        assert "Keys  (Esc closes)" in screen_text(app)
        await pilot.press("escape")
        assert app.is_running


def plain_lines(line_list: Any) -> str:
    return "\n".join(e.text.plain for e in line_list.entries)


@pytest.mark.slow  # over 3 s: every pane and dialog at 40x12
async def test_the_explorer_does_not_crash_at_40x12(make_app):
    app = make_app()
    async with app.run_test(size=(40, 12)) as pilot:
        await ready(pilot)
        for keys in (
            ("2", "enter", "escape", "s", "f", "j", "enter"),
            ("3", "enter", "t"),
            ("4", "}", "enter", "left_square_bracket"),
            ("question_mark", "G", "escape"),
        ):
            await pilot.press(*keys)
            assert app.is_running, keys
            assert screen_text(app).strip()
        assert app.pane("members").sort == "country"
        assert "filter: founding" in title(app.pane("members"))
        await search(pilot, "open source")
        assert refs(app.pane("search").list)
        await pilot.press("n", "N", "ctrl+d", "G")
        assert app.is_running


async def test_the_footer_shows_the_help_key_at_80x24(make_app):
    """At the classic 80x24, the footer still offers `? Help` (the key that lists all others).

    The footer lists the pane keys first (Open, the pane's own keys, 1-4, / Search, y Copy
    citation) and is cut at 80 columns: "... / Search  y Co▏^p palette"; `? Help` and `q Quit`
    only show from about 100 columns.
    """
    app = make_app(build_index=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for key in "1234":
            await pilot.press(key)
            footer = screen_text(app).splitlines()[-1]
            assert "? Help" in footer, (key, footer)


@pytest.mark.slow  # over 3 s: five sizes, keys at each
async def test_the_explorer_survives_resizing(make_app):
    app = make_app(open_ref="member:nasa")
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        for width, height in ((40, 12), (1, 1), (200, 60), (79, 23)):
            await pilot.resize_terminal(width, height)
            assert app.size == (width, height)
            await pilot.press("escape", "enter")
            assert app.is_running, (width, height)
        await pilot.resize_terminal(100, 30)
        # A wide terminal again: the list and the detail both show, and draw the record.
        assert app.screen.has_class("-wide")
        await pilot.press("2")
        pane = app.pane("members")
        if app.focused is pane.detail:
            await pilot.press("escape")
        await pilot.press("g", "enter")
        assert app.current_pane is pane
        assert pane.list.display and pane.detail.display
        assert pane.record.name[:20] in rendered(pane.list)  # list rows are cut at the edge
        assert pane.record.name[:20] in rendered(pane.detail)


# -- colours and themes -------------------------------------------------------------


async def test_no_color_picks_a_non_ansi_theme_over_the_saved_ansi_theme(make_app, isolated, monkeypatch):
    """Textual's ANSI themes draw black on black under NO_COLOR (see tui/config.py)."""
    isolated.mkdir()
    (isolated / "config.json").write_text('{"theme": "ansi-dark"}', encoding="utf-8")
    assert make_app().theme == "ansi-dark"
    monkeypatch.setenv("NO_COLOR", "1")
    assert make_app().theme == DEFAULT_THEME
    assert make_app(theme="ansi-light").theme == DEFAULT_THEME
    assert make_app(theme="nord").theme == "nord"  # other themes are fine
    assert saved_settings(isolated) == {"theme": "ansi-dark"}  # choosing is not saving


async def test_the_explorer_runs_with_no_color(make_app, monkeypatch):
    """NO_COLOR=1: the explorer starts, shows its panes and takes keys."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("2", "enter", "escape", "3")
        assert app.current_pane.id == "quotes"
        assert "Quotes" in screen_text(app)
    assert app.return_code in (None, 0)


async def test_the_theme_option_is_remembered_for_the_next_start(make_app, isolated):
    app = make_app(theme="ansi-dark")  # an ANSI theme (terminal colours) runs too
    assert app.theme == "ansi-dark"
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await pilot.press("2", "enter", "question_mark")
        assert app.is_running
    assert saved_settings(isolated)["theme"] == "ansi-dark"

    app = make_app()  # the next start, without --theme
    assert app.theme == "ansi-dark"
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.theme = "nord"  # a theme picked in the running app (palette) is remembered too
        await pilot.pause()
    assert saved_settings(isolated)["theme"] == "nord"
    assert make_app().theme == "nord"
    assert make_app(theme="gruvbox").theme == "gruvbox"  # the option beats the saved theme


async def test_an_unknown_saved_theme_falls_back_to_the_default(make_app, isolated):
    isolated.mkdir()
    (isolated / "config.json").write_text('{"theme": "no-such-theme"}', encoding="utf-8")
    assert make_app().theme == DEFAULT_THEME
    (isolated / "config.json").write_text("not json", encoding="utf-8")
    assert make_app().theme == DEFAULT_THEME


# -- idle -----------------------------------------------------------------------


async def test_nothing_ticks_when_idle(make_app):
    """Once started and the index ready, no timer fires and nothing animates (no CPU use)."""
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        pane = app.pane("search")
        assert pane.searcher is not None
        assert pane.input.cursor_blink is False
        assert active_timers(app) == []
        assert not app.animator._animations
        assert [w for w in app.workers if w.is_running] == []

        await pilot.press("slash")  # the focused box does not blink either
        await type_fast(pilot, "howard")
        await settle(pilot)
        assert isinstance(app.focused, SearchInput)
        assert pane._timer is None
        assert active_timers(app) == []
        await pilot.press("2", "enter", "question_mark")
        await pilot.pause()
        assert active_timers(app) == []


async def test_the_palette_and_the_export_dialog_do_not_blink_at_rest(make_app):
    """Issue 17: their boxes' cursors blinked, a repaint twice a second (bytes over SSH) while
    the user reads the palette or thinks of a file name."""
    from tui.export_screen import ExportScreen
    from tui.palette import Palette

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p")
        await wait_until(pilot, lambda: isinstance(app.screen, Palette))
        await pilot.pause(0.3)
        assert active_timers(app) == []
        await pilot.press("escape", "2", "e")
        await wait_until(pilot, lambda: isinstance(app.screen, ExportScreen))
        await pilot.pause(0.3)
        assert active_timers(app) == []


# -- the command ----------------------------------------------------------------------


def test_alliance_open_and_theme_start_the_explorer_there(monkeypatch, isolated):
    """`alliance --open member:nasa --theme dracula`, through tui.cli.main and cmd_explore."""
    seen: dict[str, Any] = {}

    async def auto_pilot(pilot: Any) -> None:
        app = pilot.app
        await ready(pilot)
        pane = app.current_pane
        seen.update(pane=pane.id, record=pane.record.id, focused=app.focused is pane.detail, theme=app.theme)
        app.exit()

    def run_headless(self: AllianceApp, **kwargs: Any) -> Any:
        self.animation_level = "none"
        return App.run(self, headless=True, size=(80, 24), auto_pilot=auto_pilot)

    tty = SimpleNamespace(isatty=lambda: True, flush=lambda: None)
    monkeypatch.setattr(tui.cli, "sys", SimpleNamespace(stdin=tty, stdout=tty, stderr=sys.stderr))
    monkeypatch.setattr(AllianceApp, "run", run_headless)
    code = tui.cli.main(["--open", "member:nasa", "--theme", "dracula"])
    assert code == 0
    assert seen == {"pane": "members", "record": "nasa", "focused": True, "theme": "dracula"}
    assert saved_settings(isolated)["theme"] == "dracula"
