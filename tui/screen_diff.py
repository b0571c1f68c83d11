"""Write only what changed on the terminal: light updates over SSH.

Textual repaints whole regions: a list whose rows were set again, a pane whose focus
moved, a layout pass after a title changed. Each repaint is sent in full even when most
rows are the same characters in the same colours as before, and every segment is sent
as `ESC[attrs m text ESC[0m`. Over SSH that was 6-17 KB per letter typed in the search
box at 80x24 and 20-29 KB per pane switch (issue 14).

`ScreenDiff` remembers what the terminal shows, cell by cell (a character and how it
looks: its SGR state). An update then writes only the runs of cells that differ from what
the screen shows, whatever widget or layout pass they come from; rows that moved as a block
(a list or a text scrolled by a few lines) are scrolled on the terminal with a scroll region;
and style changes are written as the SGR codes that change, not a set and a reset per segment.

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
from textual.strip import SGR_STYLES, Strip

# An SGR state: (attribute codes, foreground codes, background codes); ((), "", "") = defaults.
Sgr = tuple[frozenset[str], str, str]
DEFAULT_SGR: Sgr = (frozenset(), "", "")
# Attributes that can be turned off alone in every terminal we target (the Linux console too):
# bold and dim (22, both), underline (24), reverse (27). Any other is cleared with a reset.
_OFF = {"1": "22", "2": "22", "4": "24", "7": "27"}
# Attributes that show on a blank cell, in its foreground colour: underline, reverse, strike,
# double underline, framed, encircled, overline (issue 17: blanks need no foreground otherwise).
_SHOWN_ON_BLANKS = frozenset({"4", "7", "9", "21", "51", "52", "53"})
_sgr_cache: dict[tuple[Style, ColorSystem], Sgr] = {}


def _sgr(style: Style, color_system: ColorSystem) -> Sgr:
    """A style's SGR state, as Textual renders it (Strip.render_ansi), in parts."""
    key = (style, color_system)
    found = _sgr_cache.get(key)
    if found is None:
        bits = style._attributes & style._set_attributes
        attrs = frozenset(SGR_STYLES[n] for n in range(bits.bit_length()) if bits & (1 << n))
        fg = ";".join(style._color.downgrade(color_system).get_ansi_codes()) if style._color is not None else ""
        bg = (
            ";".join(style._bgcolor.downgrade(color_system).get_ansi_codes(False)) if style._bgcolor is not None else ""
        )
        found = _sgr_cache[key] = (attrs, fg, bg)
        if len(_sgr_cache) > 4096:  # styles come and go with themes: keep the cache bounded
            _sgr_cache.clear()
    return found


def _full(state: Sgr) -> list[str]:
    attrs, fg, bg = state
    return sorted(attrs, key=SGR_STYLES.index) + [c for c in (fg, bg) if c]


def _transition(old: Sgr, new: Sgr) -> str:
    """The shortest SGR sequence from one state to another: changes only, or a reset and the new."""
    if old is new or old == new:
        return ""
    reset = "\x1b[" + ";".join(["0", *_full(new)]) + "m"
    off = old[0] - new[0]
    if not old[0] and not old[1] and not old[2]:
        return "\x1b[" + ";".join(_full(new)) + "m"
    if any(code not in _OFF for code in off) or (new[1] == "" and old[1]) or (new[2] == "" and old[2]):
        return reset
    codes = sorted({_OFF[code] for code in off})
    on = new[0] - old[0]
    if "22" in codes:  # 22 clears both bold and dim: set again the one that stays
        on |= new[0] & {"1", "2"}
    codes += sorted(on, key=SGR_STYLES.index)
    codes += [part for part, was in ((new[1], old[1]), (new[2], old[2])) if part != was]
    delta = "\x1b[" + ";".join(codes) + "m"
    return delta if len(delta) < len(reset) else reset


def _look(style: Style | None, color_system: ColorSystem) -> Look:
    """What a style looks like on the terminal: its SGR state, or the style itself for a
    hyperlink. Two styles that look the same (they may differ in meta, e.g. mouse offsets)
    compare equal, so the cells they paint are not written again."""
    if style is None:
        return DEFAULT_SGR
    if style._link:
        return style
    return _sgr(style, color_system)


def _render_runs(runs: Iterable[tuple[str, Look]], color_system: ColorSystem, state: Sgr) -> tuple[str, Sgr]:
    """Text in looks as terminal text, from SGR `state`; returns it and the state it leaves."""
    out: list[str] = []
    for text, look in runs:
        if not text:
            continue
        if isinstance(look, Style):  # a hyperlink: as Textual writes it (from and to the defaults)
            out.append(_transition(state, DEFAULT_SGR))
            out.append(Strip.render_style(look, text, color_system))
            state = DEFAULT_SGR
            continue
        if look[2] == state[2] and not text.strip(" ") and not (look[0] | state[0]) & _SHOWN_ON_BLANKS:
            # Blanks look the same in any foreground (and bold, dim, italic): no SGR change for
            # them, e.g. a row's indent and trailing padding in another colour than its text.
            out.append(text)
            continue
        out.append(_transition(state, look))
        state = look
        out.append(text)
    return "".join(out), state


def render_compact(segments: Iterable[Segment], color_system: ColorSystem) -> str:
    """Segments as terminal text, equivalent on screen to Textual's `Strip.render` (which sets
    and resets the style around every segment) in fewer bytes: an SGR sequence only where the
    style changes, and then only the attributes and colours that change; ends in the defaults."""
    runs = ((text, _look(style, color_system)) for text, style, _control in segments)
    text, state = _render_runs(runs, color_system, DEFAULT_SGR)
    return text + ("\x1b[0m" if state != DEFAULT_SGR else "")


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


# How a cell looks: an SGR state, or for a hyperlink its style.
Look = Sgr | Style
Cell = tuple[str, Look]
GAP = 8  # equal cells between two changes that are written again rather than skipped with a move
MIN_SCROLL_ROWS = 4  # a block of fewer rows is cheaper to write than to scroll
# Shifts tried, in rows (a search hit is up to five lines: the results list scrolls by one hit).
SHIFTS = (1, -1, 2, -2, 3, -3, 4, -4, 5, -5, 6, -6)


def _cells(segments: Iterable[Segment], color_system: ColorSystem) -> list[Cell]:
    """One (character, look) per cell; a wide character is followed by a ("", look) cell."""
    cells: list[Cell] = []
    append = cells.append
    for text, segment_style, _control in segments:
        style = _look(segment_style, color_system)
        if text.isascii():
            cells.extend([(char, style) for char in text])
            continue
        for char in text:
            append((char, style))
            if get_character_cell_size(char) == 2:
                append(("", style))
    return cells


def _changed_runs(old: list[Cell | None], new: list[Cell | None]) -> list[tuple[int, int]]:
    """The runs of cells [start, end) where new differs from old. Runs apart by fewer than GAP
    equal cells are one run: writing a few cells again is cheaper than moving the cursor."""
    runs: list[tuple[int, int]] = []
    size = len(new)
    index = 0
    while index < size:
        if old[index] == new[index]:
            index += 1
            continue
        start = last = index
        index += 1
        while index < size and new[index] is not None:
            if old[index] != new[index]:
                last = index
            elif index - last > GAP:
                break
            index += 1
        end = last + 1
        # Never half a wide character: its second cell is the placeholder "".
        while start > 0 and (new[start] or ("x",))[0] == "":
            start -= 1
        while end < size and (new[end] or ("x",))[0] == "":
            end += 1
        runs.append((start, end))
        index = end
    return runs


def _runs(cells: list[Cell | None]) -> list[tuple[str, Look]]:
    """Cells back to text: one run per stretch of cells that look the same."""
    runs: list[tuple[str, Look]] = []
    chars: list[str] = []
    look: Look = DEFAULT_SGR
    for cell in cells:
        if cell is None:
            continue
        if chars and cell[1] is not look and cell[1] != look:
            runs.append(("".join(chars), look))
            chars = []
        chars.append(cell[0])
        look = cell[1]
    if chars:
        runs.append(("".join(chars), look))
    return runs


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
        width = size.width
        wanted: dict[int, list[Cell | None]] = {}  # row -> its cells after this update
        columns: dict[int, tuple[int, int]] = {}  # row -> the columns the update paints
        for y, x, end, strip in pieces:
            if end <= x or x < 0:
                continue
            cells = _cells(strip, color_system)
            end = x + len(cells)
            row = wanted.get(y)
            if row is None:
                row = wanted[y] = list(self._rows.get(y) or [None] * width)
            if end > len(row):
                row.extend([None] * (end - len(row)))
            row[x:end] = cells
            first, last = columns.get(y, (x, end))
            columns[y] = (min(first, x), max(last, end))
        out: list[str] = [self._scroll(wanted, columns, width)]
        state = DEFAULT_SGR  # Textual leaves the terminal in the default SGR state
        for y in sorted(wanted):
            row = wanted[y]
            old = self._rows.get(y) or []
            if old == row:
                continue  # the terminal shows exactly this already
            if len(old) < len(row):
                old = old + [None] * (len(row) - len(old))
            for start, end in _changed_runs(old, row):
                out.append(_move_to(start, y))
                text, state = _render_runs(_runs(row[start:end]), color_system, state)
                out.append(text)
            self._rows[y] = row
        if state != DEFAULT_SGR:
            out.append("\x1b[0m")
        out = [part for part in out if part]
        return _DiffUpdate("".join(out)) if out else None

    def _scroll(self, wanted: dict[int, list[Cell | None]], columns: dict[int, tuple[int, int]], width: int) -> str:
        """Rows that moved up or down as a block (a text or a list scrolled by a few lines):
        scroll them on the terminal (a scroll region and index / reverse index, as VT100 has
        them), so that only what comes into view is written. Returns the sequence ("" if none)
        and moves the rows of the model as the terminal moves them.

        The terminal scrolls whole rows: cells beside the scrolled text (a scrollbar, the
        other pane) move too, and the diff that follows writes them back where they differ.
        """
        rows = sorted(y for y, row in wanted.items() if None not in row and None not in (self._rows.get(y) or [None]))
        runs: list[tuple[int, int]] = []  # blocks of consecutive rows: (top, bottom)
        for y in rows:
            if runs and runs[-1][1] == y - 1:
                runs[-1] = (runs[-1][0], y)
            else:
                runs.append((y, y))
        best: tuple[int, int, int, int] | None = None  # (matched rows, top, bottom, shift)
        for top, bottom in runs:
            if bottom - top + 1 < MIN_SCROLL_ROWS:
                continue
            # The columns painted on every row of the block: the text that may have moved.
            left = max(columns[y][0] for y in range(top, bottom + 1))
            right = min(columns[y][1] for y in range(top, bottom + 1))
            if right - left < width // 3:
                continue  # a narrow column: rewriting the full rows would cost more
            old = {y: self._rows[y][left:right] for y in range(top, bottom + 1)}
            new = {y: wanted[y][left:right] for y in range(top, bottom + 1)}
            # Rows in place already: scroll only if more rows match moved (blank rows match both).
            still = sum(1 for y in range(top, bottom + 1) if old[y] == new[y])
            for shift in SHIFTS:
                matched = sum(
                    1 for y in range(max(top, top - shift), min(bottom, bottom - shift) + 1) if old[y + shift] == new[y]
                )
                if matched >= still + MIN_SCROLL_ROWS and (best is None or matched > best[0]):
                    best = (matched, top, bottom, shift)
        if best is None:
            return ""
        _matched, top, bottom, shift = best
        # The model follows the terminal: rows move by `shift`, those scrolled in are unknown.
        moved = {y: self._rows.get(y + shift) for y in range(top, bottom + 1)}
        for y, row in moved.items():
            inside = top <= y + shift <= bottom
            self._rows[y] = list(row) if inside and row is not None else [None] * width
        # Content up: index at the bottom margin; down: reverse index at the top margin.
        steps = _move_to(0, bottom) + "\x1bD" * shift if shift > 0 else _move_to(0, top) + "\x1bM" * -shift
        return f"\x1b[0m\x1b[{top + 1};{bottom + 1}r{steps}\x1b[r"

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
