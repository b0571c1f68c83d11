"""Finding 11: a terminal whose encoding is not UTF-8 (ISO-8859-1, ASCII).

The CLI exited 3 (UnicodeEncodeError on the first "…") and the explorer drew `\\u2501`
for every line of its borders (Python writes stderr, where Textual draws, with
backslashreplace). Now what the encoding lacks is written as ASCII look-alikes (box
drawing as - | +, blocks as #, "…" as ..., curly quotes straight) or `?`, with one notice
line on stderr; and a Latin-1 key (é, byte 0xE9) no longer ends the explorer with
UnicodeDecodeError.

The locales: PYTHONIOENCODING=iso-8859-1, and the C locale without Python's UTF-8 mode
(ASCII): no ISO-8859-1 locale needs to be installed.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.harness import Terminal, alliance_command, clean_env, have_tmux
from tests.hostile.helpers import child_env
from tests.security.helpers import REPO, assert_no_traceback, run_in_pty

# The encoding comes from the locale a fresh interpreter starts in, and half the cases run
# in a terminal: every case is a child process, so the module is in the slow lane.
pytestmark = pytest.mark.slow

LOCALES = {
    "iso-8859-1": ("iso-8859-1", {"PYTHONIOENCODING": "iso-8859-1"}),
    "c-locale-ascii": ("ascii", {"LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"}),
}
COMMANDS = [
    ("validate",),
    ("list", "members"),
    ("list", "quotes"),
    ("show", "member:nasa"),
    ("show", "quote:launch-ibm-krishna"),
    ("search", "nasa"),
    ("search", "federale"),
]


def locale_env(tmp: Path, name: str) -> tuple[str, dict[str, str]]:
    encoding, extra = LOCALES[name]
    env = child_env(tmp)
    env.pop("PYTHONIOENCODING", None)
    env.update(extra)
    return encoding, env


def assert_encodable_output(data: bytes, encoding: str) -> str:
    text = data.decode(encoding)  # strict: every byte is a character of the encoding
    assert "\\u" not in text and "\\x" not in text, text[:2000]
    return text


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c))
@pytest.mark.parametrize("name", list(LOCALES))
def test_cli_writes_what_the_encoding_holds(tmp_path: Path, name: str, command: tuple[str, ...]) -> None:
    encoding, env = locale_env(tmp_path, name)
    done = subprocess.run(
        [sys.executable, "-m", "tui", *command],
        env=env,
        cwd=REPO,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr.decode("latin-1")
    out = assert_encodable_output(done.stdout, encoding)
    err = assert_encodable_output(done.stderr, encoding)
    assert_no_traceback(out, err)
    assert out.strip()
    notices = [line for line in err.splitlines() if line.startswith("alliance: note:")]
    assert len(notices) <= 1, err
    if command == ("search", "nasa"):  # its results hold "…": substituted, and said so
        assert "..." in out
        assert notices and "not UTF-8" in notices[0], err


@pytest.mark.parametrize("name", list(LOCALES))
def test_cli_on_a_terminal_draws_ascii_tables(tmp_path: Path, name: str) -> None:
    """On a terminal `show` draws a Rich table: it must hold only encodable text too."""
    encoding, env = locale_env(tmp_path, name)
    env["COLUMNS"] = "100"
    code, output = run_in_pty(["show", "quote:launch-ibm-krishna"], env)
    assert code == 0
    text = assert_encodable_output(output, encoding)
    assert "quote:launch-ibm-krishna" in text
    assert_no_traceback(text)


# -- the explorer ----------------------------------------------------------------------


@pytest.fixture
def term(tmp_path: Path) -> Iterator[Terminal]:
    terminal = Terminal(tmp_path, width=100, height=30)
    yield terminal
    terminal.close()


@pytest.mark.e2e
@pytest.mark.slow
@pytest.mark.skipif(not have_tmux(), reason="tmux is not installed (.ci/run installs it)")
@pytest.mark.parametrize("name", list(LOCALES))
def test_explorer_draws_ascii_borders(term: Terminal, tmp_path: Path, name: str) -> None:
    encoding, extra = LOCALES[name]
    term.start(alliance_command(), env={**clean_env(tmp_path), **extra})
    term.wait_for("Founders")
    term.send("2")
    term.wait_for("Members ")
    term.send("C-p")  # the palette: its own borders and icon
    term.wait_for("Search for commands")
    term.send("Escape")
    term.wait_for("Search for commands", gone=True)

    # Search, with a Latin-1 key in it (in a UTF-8 terminal the byte 0xE9 is not a
    # character; in ISO-8859-1 it is é): found accent-insensitively, or at least no crash.
    term.send("/")
    term.wait_for("Search")
    term.tmux("send-keys", "-H", "66", "e9" if encoding != "ascii" else "65", "64")
    term.wait_for("Ecole Polytechnique Federale", timeout=30)

    screen = term.screen()
    assert "AI Alliance" in screen and "1 Overview" in screen
    assert "-" * 60 in screen, screen  # the tab bar's rule, as ASCII
    assert "\\u" not in screen

    log = term.output()
    text = assert_encodable_output(log, encoding)
    assert "\\u2" not in text
    assert b"\xe2\x94" not in log and b"\xe2\x95" not in log and b"\xe2\x96" not in log  # UTF-8 box/blocks
    if encoding == "ascii":
        assert max(log) < 0x80

    # ctrl+q quits from the search box too: one key, where Escape then q, read together by a
    # busy app (a loaded machine), would be one key, alt+q.
    term.send("C-q")
    screen = term.wait_for("__EXIT__0")
    assert "Traceback" not in screen and "Error" not in screen, screen
    assert "alliance: note: the terminal's encoding" in screen  # the one-line notice, after the UI
