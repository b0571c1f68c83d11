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


def apply_sgr(state: str, params: str) -> str:
    """The SGR state (attributes, foreground, background, as a canonical string) after `params`."""
    attrs: set[str] = set()
    fg = bg = ""
    if state:
        head, fg, bg = state.split("|")
        attrs = set(head.split(",")) - {""}
    codes = params.split(";") if params else ["0"]
    index = 0
    while index < len(codes):
        code = codes[index]
        if code in ("38", "48"):
            size = 3 if codes[index + 1] == "5" else 5
            color = ";".join(codes[index : index + size])
            fg, bg = (color, bg) if code == "38" else (fg, color)
            index += size
            continue
        if code == "0":
            attrs, fg, bg = set(), "", ""
        elif code == "22":
            attrs -= {"1", "2"}
        elif code in ("24", "27"):
            attrs.discard(str(int(code) - 20))
        elif code == "39":
            fg = ""
        elif code == "49":
            bg = ""
        elif 30 <= int(code) <= 37 or 90 <= int(code) <= 97:
            fg = code
        elif 40 <= int(code) <= 47 or 100 <= int(code) <= 107:
            bg = code
        else:
            attrs.add(code)
        index += 1
    return f"{','.join(sorted(attrs))}|{fg}|{bg}" if attrs or fg or bg else ""


class Emulator:
    """Just enough of a terminal for the sequences Textual and ScreenDiff write: cursor moves,
    SGR (as the parameter string in force), printable text (two cells for a wide character)."""

    def __init__(self, size: Size) -> None:
        self.size = size
        self.cells = [[(" ", "")] * size.width for _ in range(size.height)]
        self.x = self.y = 0
        self.sgr = ""
        self.margins = (0, size.height - 1)

    def blank(self) -> list[tuple[str, str]]:
        return [(" ", "")] * self.size.width

    def feed(self, data: str) -> None:
        for token in re.findall(r"\x1b\[[0-9;]*[A-Za-z]|\x1b[DM]|[^\x1b]", data):
            top, bottom = self.margins
            if token.endswith("r") and token.startswith("\x1b["):  # scroll region (none: all)
                params = token[2:-1]
                self.margins = (
                    tuple(int(n) - 1 for n in params.split(";")) if params else (0, self.size.height - 1)  # type: ignore[assignment]
                )
                self.x = self.y = 0
            elif token == "\x1bD":  # index: at the bottom margin, the region scrolls up
                if self.y == bottom:
                    del self.cells[top]
                    self.cells.insert(bottom, self.blank())
                else:
                    self.y += 1
            elif token == "\x1bM":  # reverse index: at the top margin, the region scrolls down
                if self.y == top:
                    del self.cells[bottom]
                    self.cells.insert(top, self.blank())
                else:
                    self.y -= 1
            elif token.endswith("H") and token.startswith("\x1b["):
                row, col = (int(n) for n in token[2:-1].split(";"))
                self.y, self.x = row - 1, col - 1
            elif token.endswith("m") and token.startswith("\x1b["):
                self.sgr = apply_sgr(self.sgr, token[2:-1])
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
    # Only what changes: bold on and its colour, then bold off (22) and the colour back.
    assert "\x1b[0;" not in compact
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


def test_rows_that_moved_as_a_block_are_scrolled_not_written_again():
    size = Size(30, 10)
    lines = [f"line {n} of a text that scrolls" for n in range(14)]

    def screen(first: int) -> LayoutUpdate:
        rows = [[Strip([Segment(lines[first + y][:30], PLAIN)]).extend_cell_length(30, PLAIN)] for y in range(10)]
        return LayoutUpdate(rows, size.region)

    diff = ScreenDiff()
    ours, theirs = Emulator(size), Emulator(size)
    for first in (0, 1, 3, 2, 2):  # down one line, two more, back one, then nothing
        reduced = diff.reduce(screen(first), size, COLORS)
        text = reduced.render_segments(None) if reduced is not None else ""  # type: ignore[arg-type]
        ours.feed(text)
        theirs.feed(textual_writes(screen(first)))
        assert ours.cells == theirs.cells
        if first == 1:
            assert "\x1bD" in text and text.count("line") == 1  # scrolled, then the one new row
        if first == 2:
            assert "\x1bM" in text or text == ""


def test_style_changes_are_written_as_the_shortest_sequence_that_has_the_same_effect():
    under = Style(underline=True, color="yellow", bgcolor="black")
    reverse = Style(reverse=True, dim=True, color="white", bgcolor="black")
    italic = Style(italic=True, color="white", bgcolor="black")
    plain_fg = Style(color="white")
    styles = [PLAIN, BOLD, under, reverse, italic, plain_fg, None, DIM, BOLD, PLAIN, reverse]
    segments = [Segment(f"{n}", style) for n, style in enumerate(styles)]
    for system in (ColorSystem.STANDARD, ColorSystem.EIGHT_BIT, ColorSystem.TRUECOLOR):
        compact = render_compact(segments, system)
        console = Console(
            color_system={ColorSystem.STANDARD: "standard", ColorSystem.EIGHT_BIT: "256"}.get(system, "truecolor")
        )
        full = Strip(segments).render(console)
        a, b = Emulator(SIZE), Emulator(SIZE)
        a.feed(compact)
        b.feed(full)
        assert a.cells == b.cells, system
        assert a.sgr == b.sgr == ""  # both end in the default state
        assert len(compact) < len(full)


def test_cells_that_look_the_same_are_not_written_again_whatever_their_meta():
    """Textual puts mouse offsets in the segments' meta: they change as a list scrolls, the cells do not."""
    diff = ScreenDiff()
    before = Style(color="white", bgcolor="black", meta={"offset": (0, 1)})
    after = Style(color="white", bgcolor="black", meta={"offset": (0, 7)})
    diff.reduce(layout(row(("same text", before)), row(), row()), SIZE, COLORS)
    assert diff.reduce(layout(row(("same text", after)), row(), row()), SIZE, COLORS) is None


def test_a_hyperlink_is_written_as_textual_writes_it():
    link = Style(color="white", link="https://example.org")
    text = render_compact([Segment("a", PLAIN), Segment("site", link), Segment("b", PLAIN)], COLORS)
    assert "\x1b]8;id=" in text and "https://example.org" in text and text.endswith("\x1b[0m")


def looks(cells: list[list[tuple[str, str]]]) -> list[list[tuple[str, str]]]:
    """Cells as they look: a blank keeps its background and the attributes that show on it
    (underline, reverse, …) but not its foreground, bold, dim or italic."""
    out = []
    for line in cells:
        shown = []
        for char, sgr in line:
            if char == " " and sgr:
                head, _fg, bg = sgr.split("|")
                kept = sorted(set(head.split(",")) & {"4", "7", "9", "21", "51", "52", "53"})
                sgr = f"{','.join(kept)}||{bg}" if kept else f"||{bg}"
            shown.append((char, sgr))
        out.append(shown)
    return out


def test_blanks_are_written_in_the_colour_at_hand():
    """Issue 17: a hit's indent and its line's padding were written in the list's foreground
    between texts in a dimmer one: two SGR changes per row, about 200 B a search letter."""
    dim_text = Style(color="grey50", bgcolor="black")
    under = Style(underline=True, color="red", bgcolor="black")
    segments = [
        Segment("snippet", dim_text),
        Segment("         ", PLAIN),  # the padding after it and the next row's indent…
        Segment("more", dim_text),  # …before text in the dimmer foreground again
        Segment("  ", under),  # underlined blanks show their colour: written as they are
        Segment(" ", Style(color="white", bgcolor="blue")),  # another background too
    ]
    compact = render_compact(segments, COLORS)
    full = Strip(segments).render(Console(color_system="256", force_terminal=True))
    a, b = Emulator(Size(30, 1)), Emulator(Size(30, 1))
    a.feed(compact)
    b.feed(full)
    assert looks(a.cells) == looks(b.cells)
    assert a.cells != b.cells  # the indent and padding kept the foreground at hand
    # The dim text (and the blanks after it, and "more"); the underline; the blue; the reset.
    assert compact.count("\x1b[") == 4
