"""The explorer in a real terminal emulator (tmux), under several TERM settings and NO_COLOR."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .harness import Terminal, alliance_command, clean_env, have_tmux, run_scenarios

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


@pytest.fixture(params=list(VARIANTS))
def term(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Terminal]:
    name, extra = VARIANTS[request.param]
    terminal = Terminal(tmp_path, width=100, height=30, term=name)
    terminal.start(alliance_command(), env={**clean_env(tmp_path), **extra})
    yield terminal
    terminal.close()


def test_overview_members_search_quote_help_quit(term: Terminal) -> None:
    run_scenarios(term)


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
