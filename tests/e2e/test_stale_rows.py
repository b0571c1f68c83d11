"""What reaches the terminal after a filter, a sort and a filter is the list in its new order.

The Members list once repainted only the two rows its cursor moved between when its rows
changed without a scroll: after `f university`, `f founding`, `s` the title said "sorted
by country" while most rows kept the old order on screen, some twice, until a resize.
Here tmux is the terminal, so what is checked is what the program actually sent.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from index import Member, bundled_data_dir, load_dataset

from .harness import Terminal, alliance_command, clean_env, have_tmux

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not have_tmux(), reason="tmux is not installed (.ci/run installs it)"),
]

ROW = re.compile(r"^ [●○] (?:\S\S|··)  \S+\s+(.+)$")
COMPARED = 20  # leading characters of a name compared (the pane cuts long ones)

# The filter screen's selectable entries, in order (tui/screens.py FilterScreen).
CHOICES = ["clear", "founding=yes", "founding=no", "founding=any", "company", "university"]


def visible_names(screen: str) -> list[str]:
    """The member names of the list rows on screen, top to bottom (cut where the pane cuts them)."""
    names = []
    for line in screen.splitlines():
        row = line.split("▏", 1)[0].rstrip(" ▁▂▃▄▅▆▇█")  # the list, without its scrollbar
        match = ROW.match(row)
        if match:
            # The name cell ends where the table's next column (joined, …) begins.
            names.append(re.split(r"\s{2,}", match.group(1).strip())[0][:COMPARED])
    return names


def label(member: Member) -> str:
    """The name as the row shows it (tui/render.py member_row; the table cuts it at 24 cells at least)."""
    short = f" ({member.short_name})" if member.short_name and member.short_name not in member.name else ""
    return f"{member.name}{short}"[:COMPARED]


def expect_window(shown: list[str], expected: list[Member]) -> None:
    """The rows on screen are consecutive members of `expected`, in its order, each once."""
    assert shown, "no list rows on screen"
    full = [label(m) for m in expected]
    assert shown[0] in full, f"{shown[0]!r} is not in the expected list"
    start = full.index(shown[0])
    window = full[start : start + len(shown)]
    assert window == shown, f"on screen:\n{shown}\nexpected, from row {start}:\n{window}"


def pick(term: Terminal, steps: int) -> None:
    """f, then `steps` times j, then Enter: choose a filter."""
    term.send("f")
    term.wait_for("Filter members")
    term.send(*(["j"] * steps), "Enter")
    term.wait_for("Filter members", gone=True)
    term.wait_quiet()


def ordered(members: list[Member], key: Callable[[Member], object]) -> list[Member]:
    return sorted(members, key=key)


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (200, 60)])
def test_filter_sort_filter_shows_every_row_in_its_new_place(tmp_path: Path, size: tuple[int, int]) -> None:
    dataset = load_dataset(bundled_data_dir())
    by_name = lambda m: m.name.casefold()  # noqa: E731
    by_country = lambda m: (not m.country, m.country, m.name.casefold())  # noqa: E731
    terminal = Terminal(tmp_path, width=size[0], height=size[1])
    try:
        terminal.start(alliance_command(), env=clean_env(tmp_path))
        terminal.wait_for("Founders")
        terminal.send("2")
        terminal.wait_for("Members ·")
        terminal.wait_quiet()
        expect_window(visible_names(terminal.screen()), ordered(list(dataset.members), by_name))

        pick(terminal, 5)  # university
        universities = [m for m in dataset.members if m.type == "university"]
        expect_window(visible_names(terminal.screen()), ordered(universities, by_name))

        pick(terminal, 1)  # founding members
        founding = [m for m in universities if m.founding]
        screen = terminal.screen()
        assert f"Members · {len(founding)} of" in screen
        expect_window(visible_names(screen), ordered(founding, by_name))

        terminal.send("s")  # sorted by country
        terminal.wait_for("sorted by country")
        terminal.wait_quiet()
        expect_window(visible_names(terminal.screen()), ordered(founding, by_country))
        terminal.send("s")  # sorted by type
        terminal.wait_for("sorted by type")
        terminal.wait_quiet()
        expect_window(visible_names(terminal.screen()), ordered(founding, lambda m: (m.type, m.name.casefold())))
        for _ in range(8):  # joined, then the wider screens' other columns, then name again
            terminal.send("s")
            terminal.wait_quiet()
            if "sorted by name" in terminal.screen():
                break
        terminal.wait_for("sorted by name")
        expect_window(visible_names(terminal.screen()), ordered(founding, by_name))
        terminal.send("s")
        terminal.wait_for("sorted by country")
        terminal.wait_quiet()

        pick(terminal, 3)  # founding or later: all universities again, still by country
        screen = terminal.screen()
        assert f"Members · {len(universities)} of" in screen
        expect_window(visible_names(screen), ordered(universities, by_country))
    finally:
        terminal.close()
