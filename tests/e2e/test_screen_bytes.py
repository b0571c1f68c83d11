"""Bytes the explorer writes to a real terminal (tmux `pipe-pane`): only what changes on screen.

The budgets per action (a search keystroke, `j`, a pane switch) are measured by the benchmark
suite (`python -m tests.benchmarks.screen_bytes`); these tests pin what must hold exactly: a key
that changes nothing on screen writes nothing, and the screen built from partial updates is the
screen a full repaint draws.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from .harness import Terminal, alliance_command, clean_env, have_tmux

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not have_tmux(), reason="tmux is not installed (.ci/run installs it)"),
]


def quiet_bytes(term: Terminal, quiet: float = 0.8, timeout: float = 20.0) -> int:
    """Bytes written so far, once nothing was written for `quiet` s (the search refines after 0.4 s)."""
    deadline = time.monotonic() + timeout
    size, since = term.bytes_written(), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.02)
        now = term.bytes_written()
        if now != size:
            size, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return size
    raise AssertionError(f"the explorer kept writing for {timeout} s")


# Attributes that show on a blank cell (underline, reverse, strike, …): the rest, like the
# foreground, does not, and the explorer writes blanks in whatever colour is at hand.
SHOWN_ON_BLANKS = {"4", "7", "9", "21", "51", "52", "53"}
SGR = re.compile(r"\x1b\[([0-9;]*)m")


def looks(capture: str) -> list[list[tuple[str, str, str, frozenset[str]]]]:
    """`capture-pane -p -e` as cells the way they look: (character, foreground, background,
    attributes), a blank's foreground and invisible attributes dropped."""
    rows = []
    fg = bg = ""  # tmux writes the changes only: a style goes on from one line to the next
    attrs: set[str] = set()
    for line in capture.split("\n"):
        cells = []
        for token in re.findall(r"\x1b\[[0-9;]*m|[^\x1b]", line):
            match = SGR.fullmatch(token)
            if match is None:
                blank = token == " "
                shown = frozenset(attrs & SHOWN_ON_BLANKS if blank else attrs)
                cells.append((token, "" if blank and not shown else fg, bg, shown))
                continue
            codes = (match.group(1) or "0").split(";")
            while codes:
                code = codes.pop(0)
                if code in ("38", "48"):
                    size = 1 if codes[0] == "5" else 3
                    color = ";".join(codes[: size + 1])
                    del codes[: size + 1]
                    fg, bg = (color, bg) if code == "38" else (fg, color)
                elif code == "0":
                    fg, bg, attrs = "", "", set()
                elif code == "39":
                    fg = ""
                elif code == "49":
                    bg = ""
                elif code == "22":
                    attrs -= {"1", "2"}
                elif code in ("23", "24", "25", "27", "28", "29"):
                    attrs.discard(code[1])
                elif code.isdigit() and (30 <= int(code) <= 37 or 90 <= int(code) <= 97):
                    fg = code
                elif code.isdigit() and (40 <= int(code) <= 47 or 100 <= int(code) <= 107):
                    bg = code
                else:
                    attrs.add(code)
        rows.append(cells)
    return rows


@pytest.fixture
def term(tmp_path: Path):  # type: ignore[no-untyped-def]
    terminal = Terminal(tmp_path, width=80, height=24)
    terminal.start(alliance_command(), env=clean_env(tmp_path))
    terminal.wait_for("Founders", timeout=60)
    terminal.send("/")
    terminal.wait_for("Search ready", timeout=120)
    terminal.send("Escape")
    terminal.wait_for("Founders")
    yield terminal
    terminal.close()


def test_a_key_that_changes_nothing_on_screen_writes_nothing(term: Terminal) -> None:
    term.send("2")
    term.wait_for("Members · ")
    before = quiet_bytes(term)
    term.send("k")  # already on the first member: the cursor does not move
    assert quiet_bytes(term) == before
    term.send("j")  # one row loses the highlight, the next gets it: two rows, not the list
    moved = quiet_bytes(term) - before
    assert 0 < moved <= 80 * 2 * 4


def test_the_screen_after_partial_updates_is_the_screen_a_full_repaint_draws(term: Terminal) -> None:
    term.send("/")
    term.type("open source")
    quiet_bytes(term)
    # j and k far enough to scroll the results and a detail (the diff scrolls rows on the terminal).
    term.send("Down", *"jjjjjjkkk", "2", "s", "f", "j", "Enter", "j", "Enter", *"jjjjjk", "3", *"jjj", "4", "j")
    quiet_bytes(term)
    assert "\x1bD" in term.output().decode(errors="replace")  # a scroll region was used
    shown = term.tmux("capture-pane", "-p", "-e")
    # A resize makes Textual repaint every cell (and the diff forget the screen).
    term.tmux("resize-window", "-x", "81", "-y", "24")
    quiet_bytes(term)
    term.tmux("resize-window", "-x", "80", "-y", "24")
    quiet_bytes(term)
    # The same characters in the same looks (a blank's foreground is not seen: issue 17).
    assert looks(term.tmux("capture-pane", "-p", "-e")) == looks(shown)
