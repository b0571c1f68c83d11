"""Esc then a pane key, read by the explorer in one go from a real terminal (tmux).

Over a laggy link or on a loaded machine the two bytes arrive together. Textual's parser
read ESC then `3` as "£" (macOS's Option+3), so both keys were lost: the CI flake of
tests/security/test_modal_bursts.py ended on the Overview after `Esc Esc 3`. One tmux
send-keys call writes both bytes at once, so this fails every time without the fix.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from .harness import Terminal, burst, explorer_on_overview, have_tmux

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not have_tmux(), reason="tmux is not installed (.ci/run installs it)"),
]


@pytest.fixture
def term(tmp_path: Path) -> Iterator[Terminal]:
    with explorer_on_overview(tmp_path) as terminal:
        yield terminal


@pytest.mark.parametrize(("pane", "title"), [("3", "Quotes · "), ("4", "Timeline · "), ("2", "Members · ")])
def test_escape_and_a_pane_key_in_one_read(term: Terminal, pane: str, title: str) -> None:
    term.send("6")  # Projects: its list has the focus
    term.wait_for("Projects · ")
    burst(term, "Escape", pane)
    term.wait_for(title)
    burst(term, "Escape", "Escape", "1")
    term.wait_for("Overview · ")


@contextmanager
def stopped(terminal: Terminal) -> Iterator[None]:
    """The explorer stopped (as a loaded machine starves it) while keys are sent: it then
    reads all of them in one go."""
    from tests.security.helpers import terminal_app_pid

    pid = terminal_app_pid(terminal)
    os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.kill(pid, signal.SIGCONT)


def test_keys_sent_while_the_explorer_is_stopped_are_read_in_order(tmp_path: Path) -> None:
    """Each Esc of a burst counts. Before, Textual's parser read on after ESC 3 for a longer
    sequence, and on meeting the next Esc reported the first as a `^`: `Esc 3 Esc 2` from a
    member's detail came back to that detail, not the list. Then the tmux CI failure of
    test_small_terminal_and_resize, made certain: `2 j Enter Esc` four times across resizes,
    then `1`. The last Enter's open, still on its way up from the list, switched back from
    the Overview to the member."""
    with explorer_on_overview(tmp_path, width=80, height=24) as terminal:
        terminal.wait_quiet()  # the panes made and the index open: the explorer at rest
        terminal.send("2", "Enter")
        terminal.wait_for("member:")  # a member's detail, in place of the list at 80x24
        with stopped(terminal):
            burst(terminal, "Escape", "3", "Escape", "2")
        terminal.wait_for("Members · ")
        terminal.wait_quiet()
        screen = terminal.screen()
        assert "member:" not in screen, screen  # the first Esc closed the detail
        terminal.send("1")
        terminal.wait_for("Overview · AI Alliance")
        terminal.tmux("resize-window", "-x", "40", "-y", "12")
        with stopped(terminal):
            for width, height in ((80, 24), (40, 12), (120, 40), (30, 8)):
                terminal.tmux("resize-window", "-x", str(width), "-y", str(height))
                burst(terminal, "2", "j", "Enter", "Escape")
            terminal.tmux("resize-window", "-x", "80", "-y", "24")
            burst(terminal, "1")
        terminal.wait_for("Overview · AI Alliance")
        terminal.wait_quiet()
        assert "Overview · AI Alliance" in terminal.screen()
        terminal.send("q")
        terminal.wait_for("__EXIT__0")
