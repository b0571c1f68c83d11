"""Finding 13: `alliance 2>file` sent the whole UI to the file (Textual draws on stderr)
and left a blank screen that still took keys.

Now, while the explorer runs, fd 2 is the terminal of stdout; it is given back after,
so the messages written once the UI has ended (here: the non-UTF-8 notice) reach the
file, which holds no escape sequence.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterator
from pathlib import Path

import pytest

from index import bundled_data_dir, load_dataset
from tests.e2e.harness import Terminal, alliance_command, clean_env, have_tmux
from tests.security.helpers import terminal_restored

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.slow,
    pytest.mark.skipif(not have_tmux(), reason="tmux is not installed (.ci/run installs it)"),
]


@pytest.fixture
def term(tmp_path: Path) -> Iterator[Terminal]:
    terminal = Terminal(tmp_path, width=100, height=30)
    yield terminal
    terminal.close()


def use_the_explorer(term: Terminal) -> None:
    term.wait_for("Founders")
    term.send("2")
    members = len(load_dataset(bundled_data_dir()).members)
    term.wait_for(f"{members} of {members}")
    term.send("q")
    term.wait_for("__EXIT__0")
    terminal_restored(term)


def test_ui_on_the_terminal_with_stderr_to_a_file(term: Terminal, tmp_path: Path) -> None:
    err = tmp_path / "err.txt"
    # ASCII output: the notice at exit is a message written after the UI, to the file.
    env = {**clean_env(tmp_path), "PYTHONIOENCODING": "ascii"}
    term.start(f"{alliance_command()} 2>{shlex.quote(str(err))}", env=env)
    use_the_explorer(term)
    data = err.read_bytes()
    assert b"\x1b" not in data, data[:300]
    assert data.decode().startswith("alliance: note: the terminal's encoding"), data[:300]


@pytest.mark.parametrize("redirect", ["2>/dev/null", "2>&-", "2>>/dev/full"])
def test_ui_on_the_terminal_with_stderr_elsewhere(term: Terminal, tmp_path: Path, redirect: str) -> None:
    term.start(f"{alliance_command()} {redirect}", env=clean_env(tmp_path))
    use_the_explorer(term)


def test_stdout_to_a_file_is_refused(term: Terminal, tmp_path: Path) -> None:
    out = tmp_path / "out.txt"
    term.start(f"{alliance_command()} >{shlex.quote(str(out))}", env=clean_env(tmp_path))
    screen = term.wait_for("__EXIT__2")
    assert "the explorer needs a terminal" in screen
    assert b"\x1b" not in out.read_bytes()
