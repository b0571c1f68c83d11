"""A long run of `j` that scrolls a list, in a real terminal at 200x60 (issue 17: a one-line
scroll under 1.5 KB).

In the wide layout the list shares the terminal's rows with the detail, so the terminal
cannot scroll the list alone: a list scrolled by a line at each `j` was rewritten whole
(4.8 KB a press at 200x60). It scrolls by half a page when the cursor leaves the view, so
half a page of presses repaint two rows each and one repaints the list.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from .harness import Terminal, alliance_command, burst, clean_env, have_tmux
from .test_screen_bytes import looks, quiet_bytes

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.slow,
    pytest.mark.skipif(not have_tmux(), reason="tmux is not installed (.ci/run installs it)"),
]

WIDTH, HEIGHT = 200, 60
PRESSES = 60  # after the cursor reached the bottom of the first view, one at a time
REPEAT = 0.04  # seconds between them (tmux's own call adds about as much): key repeat
BURST = 25  # then in one send-keys (the list has 141 members: about 54 + 60 + 25 reach 139)
LIMIT = 1536  # bytes per `j` over the run (issue 17)


def cursor_row(capture: str, names: list[str]) -> int:
    """The screen row of the list's cursor: among the rows that show a member's name in the
    list (the left half), the one whose name has a background of its own (the highlight)."""
    rows = looks(capture)
    where: dict[int, int] = {}  # row -> column of the name
    for y, row in enumerate(rows):
        line = "".join(cell[0] for cell in row)
        for name in names:
            x = line.find(name)
            if 0 <= x < WIDTH // 2:
                where[y] = x
                break
    backgrounds = {y: rows[y][x][2] for y, x in where.items()}
    values = list(backgrounds.values())
    lone = [y for y, bg in backgrounds.items() if values.count(bg) == 1]
    assert len(where) > HEIGHT // 2 and len(lone) == 1, (len(where), lone)
    return lone[0]


def test_a_run_of_j_that_scrolls_costs_under_1_5_kb_a_press(tmp_path: Path) -> None:
    from index import bundled_data_dir, load_dataset

    members = sorted(load_dataset(bundled_data_dir()).members, key=lambda m: m.name.casefold())
    term = Terminal(tmp_path, width=WIDTH, height=HEIGHT)
    try:
        term.start(alliance_command(), env=clean_env(tmp_path))
        term.wait_for("Founders", timeout=60)
        term.send("2")
        term.wait_for(f"Members · {len(members)} of {len(members)}")
        quiet_bytes(term)
        # The cursor to the bottom of the first view: each press from here scrolled the list.
        shown = term.screen().splitlines()
        last = max(y for y, line in enumerate(shown) for m in members[:HEIGHT] if m.name[:25] in line)
        first = min(y for y, line in enumerate(shown) if members[0].name[:25] in line)
        start = last - first
        for _ in range(start):
            term.send("j", delay=0.02)
        # Held-down j: the terminal's key repeat, about 25 presses a second, each read alone.
        before = quiet_bytes(term)
        for _ in range(PRESSES):
            term.send("j", delay=REPEAT)
        spent = quiet_bytes(term) - before
        assert spent / PRESSES < LIMIT, f"{spent} B for {PRESSES} j: {spent / PRESSES:.0f} B a press"
        # A paste, a laggy link: every press in ONE send-keys, read by the app together.
        before = quiet_bytes(term)
        burst(term, *["j"] * BURST)
        spent = quiet_bytes(term) - before
        assert spent / BURST < LIMIT, f"{spent} B for a burst of {BURST} j"

        # The right member under the cursor, in view.
        capture = term.tmux("capture-pane", "-p", "-e", "-N")
        row = cursor_row(capture, [m.name[:25] for m in members])
        target = members[start + PRESSES + BURST]
        assert target.name[:25] in term.screen().splitlines()[row], (row, target.name)
        # What the partial updates left is what a full repaint draws (a resize repaints all).
        # -N: every cell, trailing blanks too (tmux trims a row's blanks written one way, not
        # those written another: the empty detail's blanks, drawn alike).
        term.tmux("resize-window", "-x", str(WIDTH + 1), "-y", str(HEIGHT))
        quiet_bytes(term)
        term.tmux("resize-window", "-x", str(WIDTH), "-y", str(HEIGHT))
        quiet_bytes(term)
        assert looks(term.tmux("capture-pane", "-p", "-e", "-N")) == looks(capture)
    finally:
        term.close()
