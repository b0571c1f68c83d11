"""ctrl+c quits the explorer at once, as fzf, htop and k9s do, and gives the terminal back.

In the app's raw mode ctrl+c is a key, not SIGINT: Textual once answered it with a
"press ctrl+q to quit" notice and kept running. Here tmux is the terminal, so what is
checked is the state the program left it in: the process gone, the shell's prompt back,
the main screen (no alternate screen), the cursor shown.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .harness import OVERVIEW_TEXT, Terminal, alliance_command, clean_env, have_tmux

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.slow,
    pytest.mark.skipif(not have_tmux(), reason="tmux is not installed (.ci/run installs it)"),
]


def quit_with_ctrl_c(term: Terminal) -> None:
    term.send("C-c")
    screen = term.wait_for("__EXIT__0", timeout=10)
    assert "quit" not in screen.lower().replace("__exit__", ""), screen  # no "press ctrl+q to quit" notice
    assert term.display("#{alternate_on}") == "0", "alternate screen not left"
    assert term.display("#{cursor_flag}") == "1", "cursor left hidden"
    screen = term.screen()
    assert "$" in [line.strip() for line in screen.splitlines()], screen  # the shell's prompt
    assert OVERVIEW_TEXT not in screen, "the explorer's screen is still shown"


@pytest.mark.parametrize("where", ["overview", "search box"])
def test_ctrl_c_quits_and_restores_the_terminal(tmp_path: Path, where: str) -> None:
    term = Terminal(tmp_path, width=80, height=24)
    try:
        term.start(alliance_command(), env=clean_env(tmp_path))
        term.wait_for(OVERVIEW_TEXT)
        if where == "search box":
            term.send("/")
            term.wait_for("Search ready", timeout=30)
            term.type("nasa")
            term.wait_for("National Aeronautics")
        quit_with_ctrl_c(term)
    finally:
        term.close()
