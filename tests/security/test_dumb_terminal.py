"""Finding 16 (part): TERM=dumb was ignored, and the explorer drew its escape sequences
into a terminal that cannot move the cursor (an Emacs shell buffer, a CI log).

It now refuses with one line that points to the CLI subcommands, and exit code 2, before
writing anything to the terminal. An unset TERM is let through (decided): a terminal
that lost its TERM (`env -i`) still speaks VT100, all that Textual assumes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hostile.helpers import child_env
from tests.security.helpers import assert_no_traceback, run_in_pty


@pytest.mark.parametrize("term", ["dumb", "DUMB", " dumb"])
def test_dumb_terminal_is_refused_with_one_line(tmp_path: Path, term: str) -> None:
    env = child_env(tmp_path, TERM=term)
    code, output = run_in_pty([], env, timeout=20)
    text = output.decode("utf-8")
    assert code == 2, text
    assert b"\x1b" not in output, output[:300]  # not one escape sequence was written
    lines = [line for line in text.splitlines() if line.strip()]
    assert len(lines) == 1, text
    assert "TERM=dumb" in lines[0] and "list, show or search" in lines[0]
    assert_no_traceback(text)


def test_dumb_terminal_still_runs_the_cli(tmp_path: Path) -> None:
    code, output = run_in_pty(["show", "member:nasa"], child_env(tmp_path, TERM="dumb"))
    assert code == 0
    assert b"National Aeronautics" in output


@pytest.mark.slow
def test_unset_term_runs_the_explorer(tmp_path: Path) -> None:
    env = child_env(tmp_path)
    env.pop("TERM", None)
    code, output = run_in_pty([], env, wait_for=b"Founders", keys=b"q", timeout=60)
    assert b"Founders" in output
    assert code == 0, output[-500:]
