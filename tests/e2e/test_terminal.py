"""The explorer in a real terminal emulator (tmux), under several TERM settings and NO_COLOR."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from .harness import Terminal, alliance_command, clean_env, have_tmux

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not have_tmux(), reason="tmux is not installed (.ci/run installs it)"),
]

VARIANTS = {
    "xterm-256color": ("xterm-256color", {}),
    "screen-256color": ("screen-256color", {}),
    "linux-16-colours": ("linux", {}),
    "no-color": ("xterm-256color", {"NO_COLOR": "1"}),
}
OVERVIEW_TEXT = "Founders"


@pytest.fixture(params=list(VARIANTS))
def term(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Terminal]:
    name, extra = VARIANTS[request.param]
    terminal = Terminal(tmp_path, width=100, height=30, term=name)
    terminal.start(alliance_command(), env={**clean_env(tmp_path), **extra})
    yield terminal
    terminal.close()


def readable(screen: str) -> None:
    """The screen is text people can read: no escape debris, the header is there."""
    assert "\x1b" not in screen
    assert "AI Alliance" in screen
    assert not re.search(r"\[\d+(;\d+)*m", screen), "raw SGR codes on screen"


def test_overview_members_search_quote_help_quit(term: Terminal) -> None:
    screen = term.wait_for(OVERVIEW_TEXT)
    readable(screen)
    assert "85 members" in screen

    # Members: open one.
    term.send("2")
    term.wait_for("Members · 85 of 85")
    term.send("j", "j", "Enter")
    screen = term.wait_for("member:aitomatic")
    assert "Aitomatic" in screen

    # Live search for a typo, open the hit.
    term.send("/")
    term.wait_for("Search ready", timeout=30)
    term.type("nasaa")
    screen = term.wait_for("did you mean: nasa")
    assert "National Aeronautics and Space Administration" in screen
    term.send("Enter", delay=0.3)  # to the results
    term.send("Enter")  # open the first hit
    screen = term.wait_for("Members · 85 of 85")
    assert "member:nasa" in screen

    # A quote, to its member, and back.
    term.send("3")
    term.wait_for("Quotes · ")
    term.send("Enter")  # the first quote: Krishna (IBM); the cursor starts on its first link, the member
    screen = term.wait_for("quote:launch-ibm-krishna")
    assert "→ IBM" in screen
    term.send("Enter")
    screen = term.wait_for("Members · 85 of 85")
    assert "member:ibm" in screen
    term.send("[")
    screen = term.wait_for("Quotes · 89")
    assert "quote:launch-ibm-krishna" in screen

    # Help lists the keys; Esc closes it.
    term.send("?")
    screen = term.wait_for("Copy citation")
    assert "Back" in screen and "Next hit" in screen
    term.send("Escape")
    term.wait_for("Copy citation", gone=True)

    # q quits: the shell prompt is back and the terminal is sane.
    term.send("Escape", "q")
    term.wait_for("__EXIT__0")
    assert term.display("#{alternate_on}") == "0", "alternate screen not left"
    assert term.display("#{cursor_flag}") == "1", "cursor left hidden"


def test_small_terminal_and_resize(tmp_path: Path) -> None:
    terminal = Terminal(tmp_path, width=40, height=12)
    try:
        terminal.start(alliance_command(), env=clean_env(tmp_path))
        terminal.wait_for("AI Alliance")
        for size in ((80, 24), (40, 12), (120, 40), (30, 8)):
            terminal.tmux("resize-window", "-x", str(size[0]), "-y", str(size[1]))
            terminal.send("2", "j", "Enter", "Escape")
        terminal.tmux("resize-window", "-x", "80", "-y", "24")
        terminal.send("1")
        terminal.wait_for("Overview · AI Alliance")
        terminal.send("q")
        terminal.wait_for("__EXIT__0")
    finally:
        terminal.close()
