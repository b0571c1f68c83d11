"""Write only what changed on the terminal: light updates over SSH.

Textual repaints whole regions: a list whose rows were set again, a pane whose focus
moved, a layout pass after a title changed. Each repaint is sent in full even when most
rows are the same characters in the same colours as before, and every segment is sent
as `ESC[attrs m text ESC[0m`. Over SSH that was 6-17 KB per letter typed in the search
box at 80x24 and 20-29 KB per pane switch (issue 14).

`ScreenDiff` remembers what the terminal shows, as pieces: the text of one row from a
column to the next cut of the compositor (a widget's edge), rendered. An update then
writes only the pieces whose rendering differs from what that place shows, and renders
them with one SGR sequence per change of style rather than a set and a reset per segment.

It must see every write to the screen: the app calls `clear()` when the terminal may show
something else (a resize, back from ctrl+z), and the next update is written in full.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.cells import get_character_cell_size
from rich.color import ColorSystem
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from textual._compositor import ChopsUpdate, CompositorUpdate, LayoutUpdate
from textual.geometry import Size
from textual.strip import Strip


def render_compact(segments: Iterable[Segment], color_system: ColorSystem) -> str:
    """Segments as terminal text: an SGR sequence only where the style changes, ending reset.

    Equivalent on screen to Textual's `Strip.render` (which sets and resets the style
    around every segment), in fewer bytes."""
    out: list[str] = []
    current = ""  # the SGR parameters in force ("" = the terminal's defaults)
    for text, style, _control in segments:
        if not text:
            continue
        if style is None:
            ansi = ""
        elif style._link:  # hyperlinks: as Textual writes them (they close themselves)
            if current:
                out.append("\x1b[0m")
                current = ""
            out.append(Strip.render_style(style, text, color_system))
            continue
        else:
            ansi = style._ansi if style._ansi is not None else Strip.render_ansi(style, color_system)
        if ansi != current:
            # Reset first: the new style must not inherit bold, reverse or a colour from the last.
            out.append(f"\x1b[0;{ansi}m" if ansi and current else (f"\x1b[{ansi}m" if ansi else "\x1b[0m"))
            current = ansi
        out.append(text)
    if current:
        out.append("\x1b[0m")
    return "".join(out)


class _DiffUpdate(CompositorUpdate):
    """A compositor update reduced to the pieces that changed (already rendered)."""

    def __init__(self, text: str) -> None:
        self.text = text

    def render_segments(self, console: Console) -> str:
        return self.text

    def __rich_console__(self, console, options):  # type: ignore[no-untyped-def]  # never printed
        yield Segment(self.text)


def _move_to(x: int, y: int) -> str:
    return f"\x1b[{y + 1};{x + 1}H"


Cell = tuple[str, Style | None]


def _cells(segments: Iterable[Segment]) -> list[Cell]:
    """One (character, style) per cell; a wide character is followed by a ("", style) cell."""
    cells: list[Cell] = []
    append = cells.append
    for text, style, _control in segments:
        if text.isascii():
            cells.extend([(char, style) for char in text])
            continue
        for char in text:
            append((char, style))
            if get_character_cell_size(char) == 2:
                append(("", style))
    return cells


def _changed_span(old: list[Cell | None], new: list[Cell]) -> tuple[int, int] | None:
    """The cells [start, end) outside which old and new agree, or None if they are the same."""
    if len(old) != len(new):
        return 0, len(new)
    start = 0
    size = len(new)
    while start < size and old[start] == new[start]:
        start += 1
    if start == size:
        return None
    end = size
    while end > start and old[end - 1] == new[end - 1]:
        end -= 1
    # Never half a wide character: its second cell is the placeholder "".
    while start > 0 and new[start][0] == "":
        start -= 1
    while end < size and new[end][0] == "":
        end += 1
    return start, end


class ScreenDiff:
    """What the terminal shows, cell by cell; turns compositor updates into the writes that change it."""

    def __init__(self) -> None:
        # row -> its cells as last written (None: not known, e.g. never written).
        self._rows: dict[int, list[Cell | None]] = {}
        self._size: Size | None = None

    @staticmethod
    def empty() -> CompositorUpdate:
        """An update that writes nothing (Textual then only moves the cursor)."""
        return _DiffUpdate("")

    def clear(self) -> None:
        """Forget the screen: the next update is written in full."""
        self._rows.clear()

    def reduce(self, update: CompositorUpdate, size: Size, color_system: ColorSystem) -> CompositorUpdate | None:
        """The part of `update` the screen does not show yet: None if nothing; the update itself if
        it is of a kind this does not know (it is then written as is, and the screen forgotten)."""
        if size != self._size:  # the terminal was resized: what it shows is unknown
            self._size = size
            self.clear()
        pieces: Iterable[tuple[int, int, int, Strip]]
        if isinstance(update, LayoutUpdate):
            pieces = self._layout_pieces(update)
        elif isinstance(update, ChopsUpdate):
            pieces = self._chops_pieces(update)
        else:
            self.clear()
            return update
        out: list[str] = []
        width = size.width
        for y, x, end, strip in pieces:
            if end <= x or x < 0:
                continue
            cells = _cells(strip)
            end = x + len(cells)
            row = self._rows.get(y)
            if row is None:
                row = self._rows[y] = [None] * width
            if end > len(row):
                row.extend([None] * (end - len(row)))
            span = _changed_span(row[x:end], cells)
            if span is None:
                continue  # the terminal shows exactly this already
            start, stop = span
            row[x:end] = cells
            out.append(_move_to(x + start, y))
            out.append(
                render_compact(strip.crop(start, stop) if (start, stop) != (0, len(cells)) else strip, color_system)
            )
        return _DiffUpdate("".join(out)) if out else None

    @staticmethod
    def _layout_pieces(update: LayoutUpdate) -> Iterable[tuple[int, int, int, Strip]]:
        """A full update: each row's strips side by side from the region's left edge."""
        for y, line in enumerate(update.strips, update.region.y):
            x = update.region.x
            for strip in line:
                end = x + strip.cell_length
                yield y, x, end, strip
                x = end

    @staticmethod
    def _chops_pieces(update: ChopsUpdate) -> Iterable[tuple[int, int, int, Strip]]:
        """A partial update: the chops of each span, cut as Textual's ChopsUpdate cuts them."""
        for y, x1, x2 in update.spans:
            for end, (x, strip) in zip(update.chop_ends[y], update.chops[y].items(), strict=False):
                if strip is None or x > x2 or end <= x1:
                    continue
                if not (x2 > x >= x1 and end <= x2):
                    strip = strip.crop(0, min(end, x2) - x)
                    end = x + strip.cell_length
                yield y, x, end, strip
