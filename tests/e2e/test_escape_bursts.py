"""Esc then a pane key, read by the explorer in one go from a real terminal (tmux).

Over a laggy link or on a loaded machine the two bytes arrive together. Textual's parser
read ESC then `3` as "£" (macOS's Option+3), so both keys were lost: the CI flake of
tests/security/test_modal_bursts.py ended on the Overview after `Esc Esc 3`. One tmux
send-keys call writes both bytes at once, so this fails every time without the fix.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .harness import Terminal, alliance_command, burst, clean_env, have_tmux

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not have_tmux(), reason="tmux is not installed (.ci/run installs it)"),
]


@pytest.fixture
def term(tmp_path: Path) -> Iterator[Terminal]:
    terminal = Terminal(tmp_path, width=100, height=30)
    terminal.start(alliance_command(), env=clean_env(tmp_path))
    terminal.wait_for("Founders")
    yield terminal
    terminal.close()


@pytest.mark.parametrize(("pane", "title"), [("3", "Quotes · "), ("4", "Timeline · "), ("2", "Members · ")])
def test_escape_and_a_pane_key_in_one_read(term: Terminal, pane: str, title: str) -> None:
    term.send("6")  # Projects: its list has the focus
    term.wait_for("Projects · ")
    burst(term, "Escape", pane)
    term.wait_for(title)
    burst(term, "Escape", "Escape", "1")
    term.wait_for("Overview · ")
