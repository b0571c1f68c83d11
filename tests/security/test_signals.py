"""Finding 7: signals must leave the terminal as the explorer found it.

SIGTERM, SIGHUP and SIGQUIT killed the app in the middle of its terminal mode: the shell
came back in the alternate screen, raw mode, with mouse reporting on and no cursor.
Now each ends the app as `q` does, and the exit code is 128+signal; SIGINT exits 130.
ctrl+z (or SIGTSTP) suspends with the terminal restored, and `fg` repaints every cell
(the screen stayed blank but for what changed). A stray SIGCONT (no suspension before it)
is ignored: Textual restarted its terminal mode, and the app hung at exit.

The app runs in a real terminal (tmux); signals are sent with os.kill to its PID.
"""

from __future__ import annotations

import os
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.e2e.harness import Terminal, alliance_command, clean_env, have_tmux
from tests.security.helpers import assert_cooked_mode, terminal_app_pid, terminal_restored

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.slow,
    pytest.mark.skipif(not have_tmux(), reason="tmux is not installed (.ci/run installs it)"),
]

HEADER = ("AI Alliance", "1 Overview  2 Members")


@pytest.fixture
def term(tmp_path: Path) -> Iterator[Terminal]:
    terminal = Terminal(tmp_path, width=100, height=30)
    yield terminal
    terminal.close()


def start(term: Terminal, tmp_path: Path) -> int:
    term.start(alliance_command(), env=clean_env(tmp_path))
    term.wait_for("Founders")
    term.send("2")  # in use: a pane, a list, the mouse and the cursor state all set
    term.wait_for("Members · ")
    term.wait_quiet()
    return terminal_app_pid(term)


@pytest.mark.parametrize("name", ["SIGTERM", "SIGHUP", "SIGQUIT", "SIGINT"])
def test_signal_restores_the_terminal_and_exits_128_plus_signal(term: Terminal, tmp_path: Path, name: str) -> None:
    signum = getattr(signal, name)
    pid = start(term, tmp_path)
    os.kill(pid, signum)
    screen = term.wait_for(f"__EXIT__{128 + signum}", timeout=10)
    assert "Traceback" not in screen
    terminal_restored(term)
    assert_cooked_mode(term)


def wait_until(condition: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def interactive_shell(term: Terminal, tmp_path: Path) -> None:
    """bash with job control, running the explorer as a foreground job."""
    term.start("bash --norc --noprofile -i", env={**clean_env(tmp_path), "PS1": "PROMPT$ "})
    term.wait_for("PROMPT$")
    term.type(f"{alliance_command()}\n", delay=0.005)
    term.wait_for("Founders")
    term.send("2")
    term.wait_for("Members · ")
    term.wait_quiet()


@pytest.mark.parametrize("how", ["ctrl+z", "SIGTSTP"])
def test_suspend_restores_the_terminal_and_fg_repaints_everything(term: Terminal, tmp_path: Path, how: str) -> None:
    interactive_shell(term, tmp_path)
    if how == "ctrl+z":
        term.send("C-z")
    else:
        os.kill(terminal_app_pid(term), signal.SIGTSTP)
    term.wait_for("Stopped", timeout=10)
    terminal_restored(term)
    assert_cooked_mode(term)

    term.type("fg\n", delay=0.01)
    # Every line of the app again, not only what changed since the suspension: the header
    # and tabs (which did not change) too.
    screen = term.wait_all(*HEADER, "Members · ", "q Quit", timeout=10)
    assert "PROMPT$" not in screen and "STTY-DONE" not in screen, screen
    term.send("j", "3")  # and it still answers keys
    term.wait_for("Quotes · ")
    term.send("q")
    wait_until(lambda: term.display("#{alternate_on}") == "0")  # the app has left
    term.type("echo __EXIT__$?\n", delay=0.01)
    term.wait_for("__EXIT__0")
    terminal_restored(term)


def test_stray_sigcont_is_harmless(term: Terminal, tmp_path: Path) -> None:
    pid = start(term, tmp_path)
    # Apart, so that the kernel does not merge them; each left a reader thread that could
    # miss the moment the exit flag was set (so the old code hung at exit most times).
    for _ in range(4):
        os.kill(pid, signal.SIGCONT)
        time.sleep(0.3)
    term.send("3")
    term.wait_for("Quotes · ")
    term.send("q")
    term.wait_for("__EXIT__0", timeout=10)
    terminal_restored(term)
