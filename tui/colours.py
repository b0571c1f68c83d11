"""What reaches the terminal, adapted to it: readable colours, no colours, console glyphs.

Line filters of the explorer (Textual applies them to every line it draws, its own
widgets' too), installed by `install_filters`:

- `ContrastFilter`: text below WCAG AA contrast (4.5:1) *as the terminal will show it*
  gets a foreground that reaches it. Themes are designed in truecolor; a terminal of 256
  or 16 colours gets each colour downgraded by rich (the accent cursor of textual-dark
  becomes 1.67:1 in 16 colours), so the check is made on the downgraded colours, the 16
  ANSI colours taken as rich's standard palette. The new colour is the nearest one that
  reaches 4.5:1: the theme's colour moved towards white or black (truecolor, 256), or the
  closest of the 16 (16 colours).
- `NoColorFilter` (NO_COLOR set): no colour at all, only bold, dim, italic, underline and
  reverse. Textual's own NO_COLOR filter sends greys (headings at 2.48:1), not no colour.
- `ConsoleGlyphFilter` (TERM=linux): characters the Linux console's font lacks (Textual's
  borders, scrollbars and tab underline, our bullets) become glyphs it has (its default
  font is code page 437), each as wide as what it replaces.

`tests/benchmarks/contrast.py` measures the result per element, theme and colour system.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from rich._palettes import EIGHT_BIT_PALETTE, STANDARD_PALETTE
from rich.color import Color, ColorSystem, ColorType
from rich.segment import Segment
from rich.style import Style
from textual.filter import LineFilter, Monochrome

if TYPE_CHECKING:
    from textual.color import Color as TextualColor

AA_TEXT = 4.5  # WCAG AA, body text (labels and headings need 3:1: they get 4.5 too)
DIM_FACTOR = 0.66  # how far `dim` text moves towards its background (Textual's own model)

RGB = tuple[int, int, int]


# -- contrast -------------------------------------------------------------------------


def luminance(rgb: RGB) -> float:
    """WCAG 2 relative luminance of an sRGB colour."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = rgb
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: RGB, b: RGB) -> float:
    """WCAG 2 contrast ratio of two colours (1 to 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def shown(color: Color, system: ColorSystem) -> Color:
    """The colour rich writes for `color` to a terminal of `system`."""
    return color if system == ColorSystem.TRUECOLOR else color.downgrade(system)


def rgb(color: Color) -> RGB:
    """The RGB of a written colour (palette numbers as rich's palettes have them)."""
    if color.type == ColorType.TRUECOLOR and color.triplet is not None:
        return (color.triplet.red, color.triplet.green, color.triplet.blue)
    number = color.number or 0
    triplet = STANDARD_PALETTE[number] if number < 16 else EIGHT_BIT_PALETTE[number]
    return (triplet.red, triplet.green, triplet.blue)


def _blend(a: RGB, b: RGB, factor: float) -> RGB:
    return (
        int(a[0] + (b[0] - a[0]) * factor),
        int(a[1] + (b[1] - a[1]) * factor),
        int(a[2] + (b[2] - a[2]) * factor),
    )


def _distance(a: RGB, b: RGB) -> int:
    return sum((x - y) ** 2 for x, y in zip(a, b, strict=True))


def readable_color(fg: Color, bg: Color, system: ColorSystem, minimum: float = AA_TEXT) -> Color | None:
    """A foreground near `fg` with at least `minimum` contrast on `bg` once both are
    written for `system`; None if `fg` already has it."""
    background = rgb(shown(bg, system))
    foreground = rgb(shown(fg, system))
    if contrast(foreground, background) >= minimum:
        return None
    if system == ColorSystem.STANDARD:
        choices = [n for n in range(16) if contrast(tuple(STANDARD_PALETTE[n]), background) >= minimum]  # type: ignore[arg-type]
        if choices:
            best = min(choices, key=lambda n: _distance(tuple(STANDARD_PALETTE[n]), foreground))  # type: ignore[arg-type]
            return Color.from_ansi(best)
    original = rgb(fg)
    # Towards white or black, whichever gets there with the smaller change.
    for step in range(1, 11):
        for target in ((255, 255, 255), (0, 0, 0)):
            candidate = Color.from_rgb(*_blend(original, target, step / 10))
            written = shown(candidate, system)
            if contrast(rgb(written), background) >= minimum:
                return written
    white, black = Color.from_rgb(255, 255, 255), Color.from_rgb(0, 0, 0)
    return max((shown(c, system) for c in (white, black)), key=lambda c: contrast(rgb(c), background))


_TEXT = re.compile(r"[^\s\u2500-\u259f]")  # a character that is not space, border, bar or block


def _has_text(text: str) -> bool:
    """Whether the segment shows text (not only spaces, borders, bars and blocks)."""
    return _TEXT.search(text) is not None


@lru_cache(maxsize=4096)
def readable_style(style: Style, system: ColorSystem) -> Style:
    """`style` with a foreground readable on its background under `system` (`dim` folded
    into the colour, so the ratio does not depend on how a terminal dims)."""
    fg, bg = (style.bgcolor, style.color) if style.reverse else (style.color, style.bgcolor)
    if fg is None or bg is None or ColorType.DEFAULT in (fg.type, bg.type):
        return style  # the terminal's own colour: nothing to measure it against
    folded = False
    if style.dim:
        fg = Color.from_rgb(*_blend(rgb(shown(bg, system)), rgb(shown(fg, system)), DIM_FACTOR))
        style, folded = style + Style(dim=False), True
    better = readable_color(fg, bg, system)
    if better is None:
        if not folded:
            return style
        better = shown(fg, system)
    return style + (Style(bgcolor=better) if style.reverse else Style(color=better))


class ContrastFilter(LineFilter):
    """Raise text below 4.5:1 to 4.5:1, as the terminal's colour system shows it."""

    def __init__(self, console: Any, enabled: bool = True) -> None:
        super().__init__(enabled=enabled)
        self.console = console  # the app's: its colour system is what gets written

    def apply(self, segments: list[Segment], background: TextualColor) -> list[Segment]:
        system = self.console._color_system or ColorSystem.TRUECOLOR
        out = []
        for segment in segments:
            text, style, control = segment
            if style is not None and not control:
                fixed = readable_style(style, system)  # cached: most styles come back as they are
                if fixed is not style and _has_text(text):
                    segment = Segment(text, fixed, control)
            out.append(segment)
        return out


# -- no colour -----------------------------------------------------------------------


class NoColorFilter(LineFilter):
    """NO_COLOR: every colour removed; bold, dim, italic, underline and reverse stay."""

    def apply(self, segments: list[Segment], background: TextualColor) -> list[Segment]:
        return [
            Segment(text, _without_color(style) if style is not None else None, control)
            for text, style, control in segments
        ]


@lru_cache(maxsize=1024)
def _without_color(style: Style) -> Style:
    return style.without_color


# -- the Linux console ----------------------------------------------------------------

# The Linux console's default font is code page 437: these are its non-ASCII glyphs
# (with Latin-1, which the distributions' console fonts add).
CP437 = set(
    "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌"
    "█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■☺☻♥♦♣♠•◘○◙♂♀♪♫☼►◄↕‼¶§▬↨↑↓→←∟↔▲▼⌂"
)
# What Textual and the explorer draw that the console lacks, as glyphs it has.
CONSOLE_GLYPHS = {
    "⏎": "◄",  # Enter (the footer names the key instead: see key_display)
    "━": "─",
    "╸": "─",
    "╺": "─",
    "╴": "─",
    "╶": "─",
    "┃": "│",
    "▔": "▀",
    "▁": "▄",
    "▂": "▄",
    "▃": "▄",
    "▅": "▄",
    "▆": "█",
    "▇": "█",
    "▉": "█",
    "▊": "▌",
    "▋": "▌",
    "▍": "▌",
    "▎": "▌",
    "▏": "│",
    "▕": "│",
    "●": "•",
    "◆": "♦",
    "…": ".",  # one cell
    "⌫": "←",
    "▶": "►",
    "◀": "◄",
}


def linux_console(environ: dict[str, str] | os._Environ[str] | None = None) -> bool:
    """Whether the terminal is the Linux console (TERM=linux), with its small font."""
    env = os.environ if environ is None else environ
    return env.get("TERM", "").strip().lower() == "linux"


@lru_cache(maxsize=4096)
def console_glyph(char: str) -> str:
    """`char` as the Linux console can draw it, in as many cells."""
    if char.isascii() or char in CP437 or 0xA0 <= ord(char) <= 0xFF or char.isalpha():
        return char  # letters: the console font decides (Latin ones are in the distributions' fonts)
    found = CONSOLE_GLYPHS.get(char)
    if found is not None:
        return found
    from .terminal import ascii_substitute

    return ascii_substitute(char, exact=True)


def console_text(text: str) -> str:
    """`text` with every character the Linux console lacks replaced (same cell width)."""
    if text.isascii():
        return text
    return "".join(console_glyph(c) for c in text)


class ConsoleGlyphFilter(LineFilter):
    """TERM=linux: characters the console's font lacks become glyphs it has."""

    def apply(self, segments: list[Segment], background: TextualColor) -> list[Segment]:
        return [
            segment if control or text.isascii() else Segment(console_text(text), style, control)
            for segment in segments
            for text, style, control in (segment,)
        ]


def install_filters(app: Any) -> None:
    """The explorer's line filters on `app` (see the module doc)."""
    filters = app._filters
    if app.no_color:
        # Textual's Monochrome sends greys: no colour means none.
        filters[:] = [f for f in filters if not isinstance(f, Monochrome)]
        filters.append(NoColorFilter())
    else:
        filters.append(ContrastFilter(app.console))
    if linux_console():
        filters.append(ConsoleGlyphFilter())


def key_display(key: str) -> str:
    """A key's name as the Linux console can show it ('enter' for ⏎)."""
    return {"⏎": "enter", "⌫": "bksp"}.get(key, console_text(key))
