"""ScreenDiff (tui/screen_diff.py): an update writes only the cells that change, and what the
terminal shows afterwards is exactly what Textual's full update would have shown."""

from __future__ import annotations

import re

from rich.cells import cell_len
from rich.color import ColorSystem
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from textual._compositor import ChopsUpdate, LayoutUpdate
from textual.geometry import Size
from textual.strip import Strip

from tui.screen_diff import ScreenDiff, render_compact

SIZE = Size(20, 3)
COLORS = ColorSystem.EIGHT_BIT
PLAIN = Style(color="white", bgcolor="black")
BOLD = Style(bold=True, color="yellow", bgcolor="black")
DIM = Style(dim=True, color="white", bgcolor="blue")


class Emulator:
    """Just enough of a terminal for the sequences Textual and ScreenDiff write: cursor moves,
    SGR (as the parameter string in force), printable text (two cells for a wide character)."""

    def __init__(self, size: Size) -> None:
        self.cells = [[(" ", "")] * size.width for _ in range(size.height)]
        self.x = self.y = 0
        self.sgr = ""

    def feed(self, data: str) -> None:
        for token in re.findall(r"\x1b\[[0-9;]*[A-Za-z]|[^\x1b]", data):
            if token.endswith("H") and token.startswith("\x1b["):
                row, col = (int(n) for n in token[2:-1].split(";"))
                self.y, self.x = row - 1, col - 1
            elif token.endswith("m") and token.startswith("\x1b["):
                params = token[2:-1]
                if params in ("", "0"):
                    self.sgr = ""
                elif params.startswith("0;"):
                    self.sgr = params[2:]
                else:
                    self.sgr = f"{self.sgr};{params}" if self.sgr else params
            elif token == "\n":
                self.y += 1
            else:
                self.cells[self.y][self.x] = (token, self.sgr)
                self.x += 1
                if cell_len(token) == 2:  # a wide character covers the next cell too
                    self.cells[self.y][self.x] = ("", self.sgr)
                    self.x += 1


def layout(*rows: list[Strip]) -> LayoutUpdate:
    return LayoutUpdate(list(rows), SIZE.region)


def row(*parts: tuple[str, Style]) -> list[Strip]:
    """A row of SIZE.width cells as one strip, padded with plain spaces."""
    strip = Strip([Segment(text, style) for text, style in parts])
    return [strip.extend_cell_length(SIZE.width, PLAIN)]


def textual_writes(update) -> str:  # type: ignore[no-untyped-def]
    """What Textual itself writes for an update (its render_segments, a console of COLORS)."""
    console = Console(color_system="256", force_terminal=True)
    return update.render_segments(console)


def test_compact_rendering_shows_the_same_with_one_sgr_per_change_of_style():
    segments = [Segment("ab", PLAIN), Segment("cd", PLAIN), Segment("EF", BOLD), Segment("gh", PLAIN)]
    compact = render_compact(segments, COLORS)
    full = Strip(segments).render(Console(color_system="256"))
    a, b = Emulator(SIZE), Emulator(SIZE)
    a.feed(compact)
    b.feed(full)
    assert a.cells == b.cells
    assert compact.count("\x1b[") == 4  # plain, bold, plain, and the reset at the end
    assert compact.endswith("\x1b[0m")
    assert len(compact) < len(full)


def test_an_update_writes_only_the_cells_that_changed_and_nothing_when_none_did():
    diff = ScreenDiff()
    first = layout(row(("hello world", PLAIN)), row(("second", DIM)), row(("third", PLAIN)))
    written = diff.reduce(first, SIZE, COLORS)
    assert written is not None and "hello world" in written.render_segments(None)  # type: ignore[arg-type]

    assert diff.reduce(first, SIZE, COLORS) is None  # the same again: nothing to write

    second = layout(row(("hello there", PLAIN)), row(("second", DIM)), row(("third", PLAIN)))
    text = diff.reduce(second, SIZE, COLORS).render_segments(None)  # type: ignore[union-attr]
    assert text.startswith("\x1b[1;7H")  # row 1, column 7: where "world" began
    assert "there" in text and "hello" not in text and "second" not in text

    diff.clear()  # the terminal may show anything (back from ctrl+z): all again
    assert "second" in diff.reduce(second, SIZE, COLORS).render_segments(None)  # type: ignore[union-attr]
    # So after a resize.
    assert diff.reduce(second, Size(21, 3), COLORS) is not None


def test_the_screen_after_reduced_updates_is_the_screen_after_textuals_own():
    """Full and partial updates, style changes, a wide character: both terminals end equal."""
    updates = [
        layout(row(("one", PLAIN), ("两", BOLD), ("x", PLAIN)), row(("abc", DIM)), row(("tail", PLAIN))),
        layout(row(("one", PLAIN), ("两", DIM), ("x", PLAIN)), row(("abd", DIM)), row(("tail", BOLD))),
        # A partial update: row 1, two chops (columns 0-9 and 10-19), only columns 3-12 asked for.
        ChopsUpdate(
            [{}, {0: Strip([Segment("0123456789", PLAIN)]), 10: Strip([Segment("abcdefghij", BOLD)])}, {}],
            [(1, 3, 13)],
            [[20], [10, 20], [20]],
        ),
        layout(row(("one", PLAIN), ("两", DIM), ("y", PLAIN)), row(("abd", DIM)), row(("tail", BOLD))),
    ]
    diff = ScreenDiff()
    ours, theirs = Emulator(SIZE), Emulator(SIZE)
    sent_ours = sent_theirs = 0
    for number, update in enumerate(updates):
        reduced = diff.reduce(update, SIZE, COLORS)
        text = reduced.render_segments(None) if reduced is not None else ""  # type: ignore[arg-type]
        ours.feed(text)
        full = textual_writes(update)
        theirs.feed(full)
        if number:  # after the first screen, written in full by both
            sent_ours, sent_theirs = sent_ours + len(text), sent_theirs + len(full)
        assert ours.cells == theirs.cells
    assert sent_ours < sent_theirs / 2


def test_a_change_beside_a_wide_character_rewrites_it_whole():
    diff = ScreenDiff()
    diff.reduce(layout(row(("a两b", PLAIN)), row(), row()), SIZE, COLORS)
    text = diff.reduce(layout(row(("a两c", PLAIN)), row(), row()), SIZE, COLORS).render_segments(None)  # type: ignore[union-attr]
    assert text.startswith("\x1b[1;4H") and "c" in text and "两" not in text
    text = diff.reduce(layout(row(("a两c", DIM)), row(), row()), SIZE, COLORS).render_segments(None)  # type: ignore[union-attr]
    assert "两" in text  # its style changed: both its cells are written, as one character
