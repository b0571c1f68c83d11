"""Esc then a pane key, typed quickly or read together (a loaded machine, a laggy SSH link).

Two ways the pair went wrong, both seen as CI flakes of the tmux tests (`Esc Esc 3` ended
on the Overview, not the Quotes):
- Esc is not a priority key: it travels to the focused list and bubbles back to the App,
  where its binding runs. A `3` read meanwhile is a priority key, handled at once: the
  Quotes pane shows, then the late Esc "backed out" of the Quotes to the Overview.
- When Esc and the next byte are read together, the terminal parser reports one key,
  `alt+3`, which nothing binds: both keys were lost.
"""

from __future__ import annotations

from textual import events
from tui_helpers import burst, ready

from tui.screens import HelpScreen


async def test_escape_then_pane_key_in_one_burst_ends_on_that_pane(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("2")
        assert app.current_pane.id == "members"
        await burst(pilot, "escape", "3")
        await pilot.pause()
        assert app.current_pane.id == "quotes"


async def test_escape_escape_then_pane_key_from_a_detail(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("2", "enter")
        assert app.focused is app.pane("members").detail
        await burst(pilot, "escape", "escape", "4")
        await pilot.pause()
        assert app.current_pane.id == "timeline"


async def alt(pilot, char: str) -> None:
    """What the parser reports for Esc and `char` read together: one alt key."""
    name = f"alt+{char}" if char.isalnum() else f"alt+{ {'/': 'slash'}[char] }"
    event = events.Key(name, char)
    event.set_sender(pilot.app)
    pilot.app._driver.send_message(event)
    await pilot.pause()
    await pilot.pause()


async def test_escape_and_a_pane_key_read_as_one_alt_key(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("2")
        await alt(pilot, "3")
        assert app.current_pane.id == "quotes"


async def test_escape_and_slash_read_as_one_key_close_the_detail_then_search(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("2", "enter")
        await alt(pilot, "/")
        assert app.current_pane.id == "search"
        assert app.focused is app.pane("search").input


async def test_escape_and_j_read_as_one_key_close_the_help(make_app):
    """Esc closes the help; the j after it moves in the pane below."""
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await alt(pilot, "j")
        assert not isinstance(app.screen, HelpScreen)
        assert app.is_running


def test_the_terminal_parser_reads_escape_then_a_digit_as_alt_digit(make_app) -> None:
    """Textual reads ESC 3 as "£" (macOS's Option+3): an explorer reads it as alt+3, which
    it takes apart into Esc and 3 (above). In a real terminal, `Esc 3` read in one go
    (tests/e2e/test_escape_bursts.py) was one `£` that did nothing."""
    import time

    from textual._xterm_parser import XTermParser

    make_app()  # the explorer sets the parser's table up as it starts
    for digit in "1234567890":
        parser = XTermParser()
        keys = list(parser.feed("\x1b" + digit))
        time.sleep(0.15)  # past the parser's wait for more of a sequence
        keys += list(parser.tick())
        assert [(k.key, k.character) for k in keys] == [(f"alt+{digit}", digit)]
