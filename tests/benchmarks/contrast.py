"""Contrast of what the explorer draws: WCAG 2 ratios computed from the colours it sends.

Each pane is rendered with data (Pilot, 120x40): a record open in the detail (the list's
cursor unfocused, the detail's focused) and then the list focused. The whole screen is
taken as the compositor sends it (after the app's line filters), and every text cell is
classified (selected row, label, heading, dim, link, match, body, tab, footer, header,
pane title, search box) and measured against the background it is drawn on, under
truecolor, 256 colours and 16 colours, in every built-in theme:

- 256 / 16 colours: each colour is downgraded as rich downgrades it when it writes
  (`Color.downgrade(ColorSystem.EIGHT_BIT / STANDARD)`), then read back through rich's
  palettes (the 16 ANSI colours as rich's STANDARD_PALETTE).
- A cell drawn with `dim` is measured with its colour blended towards the background by
  Textual's DIM_FACTOR (what a terminal roughly does; the explorer avoids `dim` with colour).
- A cell without an explicit colour (the terminal's default) is measured with rich's
  default terminal colours (white on black) and counted as "default" (issue 14: black
  boxes on a dark terminal, whatever the theme).
- The ANSI themes (ansi-dark, ansi-light) send palette numbers whose colours the terminal
  decides: they are measured with rich's standard palette, default colours white on black
  (ansi-dark) or black on white (ansi-light), as a terminal with the usual palette shows them.

Run: `PYTHONPATH=. python -m tests.benchmarks.contrast [--themes a,b] [--markdown]`
(before: `PYTHONPATH=/work/main python tests/benchmarks/contrast.py`: the script imports
nothing else from tests/, so it measures whichever `tui` is on the path).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from rich._palettes import EIGHT_BIT_PALETTE, STANDARD_PALETTE
from rich.color import Color, ColorSystem, ColorType
from rich.style import Style

SYSTEMS = {"truecolor": ColorSystem.TRUECOLOR, "256": ColorSystem.EIGHT_BIT, "16": ColorSystem.STANDARD}
ANSI_THEMES = ("ansi-dark", "ansi-light")
SIZE = (120, 40)

# WCAG AA: body text 4.5:1; labels, headings, dim text, tab titles and other secondary text 3:1.
BODY = 4.5
SECONDARY = 3.0
REQUIRED = {
    "body": BODY,
    "link": BODY,
    "match": BODY,
    "selected (focused)": BODY,
    "selected (unfocused)": BODY,
    "search box": BODY,
    "label": SECONDARY,
    "heading": SECONDARY,
    "dim": SECONDARY,
    "tab": SECONDARY,
    "footer": SECONDARY,
    "header": SECONDARY,
    "pane title": SECONDARY,
}
CLASSES = tuple(REQUIRED)


def luminance(rgb: tuple[int, int, int]) -> float:
    """WCAG relative luminance of an sRGB colour."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = rgb
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def ratio(a: tuple[int, int, int], b: tuple[int, int, int]) -> float:
    """WCAG contrast ratio (1 to 21)."""
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def sent_rgb(
    color: Color | None, system: ColorSystem, default: tuple[int, int, int]
) -> tuple[tuple[int, int, int], bool]:
    """The RGB a terminal shows for `color` written under `system`; (rgb, was_default)."""
    if color is None or color.type == ColorType.DEFAULT:
        return default, True
    color = color.downgrade(system)
    if color.type == ColorType.TRUECOLOR:
        assert color.triplet is not None
        return tuple(color.triplet), False  # type: ignore[return-value]
    assert color.number is not None
    if color.number < 16:
        return tuple(STANDARD_PALETTE[color.number]), False  # type: ignore[return-value]
    return tuple(EIGHT_BIT_PALETTE[color.number]), False  # type: ignore[return-value]


def blend(a: tuple[int, int, int], b: tuple[int, int, int], factor: float) -> tuple[int, int, int]:
    return tuple(int(x + (y - x) * factor) for x, y in zip(a, b, strict=True))  # type: ignore[return-value]


def cell_rgb(style: Style | None, system: ColorSystem, defaults: tuple[tuple, tuple]) -> tuple[tuple, tuple, bool]:
    """(foreground, background, uses a default colour) of a cell as the terminal shows it."""
    from textual.constants import DIM_FACTOR

    style = style or Style()
    fg, fg_default = sent_rgb(style.color, system, defaults[0])
    bg, bg_default = sent_rgb(style.bgcolor, system, defaults[1])
    if style.reverse:
        fg, bg = bg, fg
    if style.dim:
        fg = blend(bg, fg, DIM_FACTOR)
    return fg, bg, fg_default or bg_default


def is_text(char: str) -> bool:
    """A character read as text (not a space, border, bar or block glyph)."""
    return not char.isspace() and not 0x2500 <= ord(char) <= 0x259F


@dataclass
class Worst:
    ratio: float = 99.0
    sample: str = ""
    where: str = ""
    cells: int = 0
    defaults: int = 0  # cells drawn in the terminal's default colours


@dataclass
class Report:
    """Worst ratio per (theme, system, class)."""

    worst: dict[tuple[str, str, str], Worst] = field(default_factory=dict)

    def add(self, theme: str, system: str, cls: str, value: float, sample: str, where: str, default: bool) -> None:
        slot = self.worst.setdefault((theme, system, cls), Worst())
        slot.cells += 1
        slot.defaults += default
        if value < slot.ratio:
            slot.ratio, slot.sample, slot.where = value, sample, where

    def failures(self) -> list[str]:
        out = []
        for (theme, system, cls), w in sorted(self.worst.items()):
            if w.ratio < REQUIRED[cls] - 0.005:
                out.append(f"{theme} {system} {cls}: {w.ratio:.2f}:1 < {REQUIRED[cls]} at {w.where}: {w.sample!r}")
        return out

    def table(self) -> str:
        """Markdown: worst ratio per class per colour system, across themes (and which theme)."""
        lines = ["| element | needs | " + " | ".join(SYSTEMS) + " |", "|---|---|" + "---|" * len(SYSTEMS)]
        for cls in CLASSES:
            cells = []
            for system in SYSTEMS:
                found = [(w.ratio, theme) for (theme, s, c), w in self.worst.items() if s == system and c == cls]
                if not found:
                    cells.append("-")
                    continue
                value, theme = min(found)
                mark = "" if value >= REQUIRED[cls] - 0.005 else " ✗"
                cells.append(f"{value:.2f}{mark} ({theme})")
            lines.append(f"| {cls} | {REQUIRED[cls]} | " + " | ".join(cells) + " |")
        return "\n".join(lines)


# -- classifying what is on the screen ---------------------------------------------------


def _text_classes(text: Any, entry: Any, selected: bool, focused: bool) -> list[str]:
    """The class of each character of one wrapped line of a LineList entry."""
    base = {"line-list--heading": "heading", "line-list--label": "label", "line-list--dim": "dim"}.get(
        entry.style, "body"
    )
    classes = [base] * len(text.plain)
    if base == "body":
        for span in text.spans:
            style = str(span.style)
            words = set(style.split())
            cls = None
            if {"bold", "underline"} <= words:
                cls = "match"
            elif "underline" in words:
                cls = "link"
            elif "dim" in words:
                cls = "dim"
            if cls is not None:
                for i in range(span.start, min(span.end, len(classes))):
                    if classes[i] != "match":
                        classes[i] = cls
        if text.style and "dim" in str(text.style).split():
            classes = ["dim" if c == "body" else c for c in classes]
    if selected:
        classes = ["selected (focused)" if focused else "selected (unfocused)"] * len(classes)
    return classes


def classify(app: Any) -> dict[tuple[int, int], tuple[str, str]]:
    """(x, y) of each cell of interest -> (class, where)."""
    from rich.cells import cell_len
    from textual.widgets import Footer, Input, Static, Tabs

    from tui.widgets.line_list import LineList

    screen = app.screen
    visible = screen._compositor.visible_widgets
    cells: dict[tuple[int, int], tuple[str, str]] = {}

    def fill(region: Any, cls: str, where: str) -> None:
        for y in range(region.y, region.bottom):
            for x in range(region.x, region.right):
                cells[(x, y)] = (cls, where)

    for widget in screen.walk_children(with_self=False):
        if widget not in visible:
            continue
        if isinstance(widget, Tabs):
            fill(widget.region, "tab", "tabs")
        elif isinstance(widget, Footer):
            fill(widget.region, "footer", "footer")
        elif isinstance(widget, Input):
            fill(widget.content_region, "search box", "search box")
        elif isinstance(widget, Static) and widget.id == "header":
            fill(widget.region, "header", "header")
        elif isinstance(widget, Static) and widget.has_class("pane-title"):
            fill(widget.region, "pane title", "pane title")
    for widget in screen.walk_children(with_self=False):
        if not isinstance(widget, LineList) or widget not in visible:
            continue
        region = widget.content_region
        scroll_x, scroll_y = widget.scroll_offset
        pane = widget.parent.parent.id if widget.parent and widget.parent.parent else "?"
        where = f"{pane}#{widget.id}"
        for y in range(region.height):
            number = scroll_y + y
            if number >= len(widget._lines):
                break
            text = widget._lines[number]
            entry_index = widget._line_entry[number]
            entry = widget.entries[entry_index]
            classes = _text_classes(text, entry, entry_index == widget.cursor, widget.has_focus)
            x = 0
            for index, char in enumerate(text.plain):
                width = cell_len(char)
                for dx in range(width):
                    if scroll_x <= x + dx < scroll_x + region.width:
                        cells[(region.x + x + dx - scroll_x, region.y + y)] = (classes[index], where)
                x += width
    return cells


def measure_screen(app: Any, theme: str, system_name: str, report: Report, state: str) -> None:
    """Add every text cell of the screen, as it would be sent under `system_name`, to `report`."""
    system = SYSTEMS[system_name]
    # The ANSI themes' default colours: the terminal's (here a usual dark or light one).
    defaults = ((0, 0, 0), (255, 255, 255)) if theme == "ansi-light" else ((255, 255, 255), (0, 0, 0))
    cells = classify(app)
    for y, strip in enumerate(app.screen._compositor.render_strips()):
        x = 0
        for segment in strip:
            if segment.control:
                continue
            for char in segment.text:
                found = cells.get((x, y))
                if found is not None and is_text(char):
                    cls, where = found
                    fg, bg, default = cell_rgb(segment.style, system, defaults)
                    report.add(
                        theme, system_name, cls, ratio(fg, bg), segment.text.strip()[:40], f"{state} {where}", default
                    )
                x += 1


# -- driving the explorer ------------------------------------------------------------------


def set_color_system(app: Any, system: ColorSystem) -> None:
    """Make the app render as for a terminal of `system` (what the terminal's TERM gives)."""
    app.console._color_system = system
    refresh_all(app)


def refresh_all(app: Any) -> None:
    for widget in app.screen.walk_children(with_self=True):
        widget._styles_cache.clear()
        if hasattr(widget, "_strip_cache"):
            widget._strip_cache.clear()
        widget.refresh()


# (pane, record to open or None for the first, search query or None)
STATES = (
    ("overview", None, None),
    ("members", "member:ibm", None),
    ("quotes", None, None),
    ("timeline", None, None),
    ("projects", None, None),
    ("search", None, "open source"),
)


async def _states(pilot: Any, states: Iterable[tuple[str, str | None, str | None]] = STATES) -> Any:
    """Yield a label after bringing the app to each state to measure."""
    app = pilot.app
    for pane, ref, query in states:
        if query is not None:
            await pilot.press("slash")
            for char in query:
                await pilot.press(char if char != " " else "space")
            await pilot.press("enter")
            await _ready(pilot)
            yield f"{pane}/results"
            await pilot.press("enter")
            await pilot.pause()
            opened = app.current_pane
            yield f"{opened.id}/hit"
            continue
        app.show_pane(pane)
        await pilot.pause()
        pane_widget = app.pane(pane)
        if ref is not None:
            found = app.dataset.resolve(ref)
            app.open_record(found[0])
        else:
            await pilot.press("j", "enter")
        await pilot.pause()
        yield f"{pane}/detail"
        await pilot.press("escape")
        await pilot.pause()
        pane_widget.list.focus()
        await pilot.pause()
        yield f"{pane}/list"


async def _ready(pilot: Any) -> None:
    app = pilot.app
    for _ in range(1000):
        if app.panes_ready and app.pane("search").searcher is not None:
            break
        await pilot.pause(0.02)
    await app.workers.wait_for_complete()
    await pilot.pause(0.3)
    await app.workers.wait_for_complete()
    await pilot.pause()


async def measure(
    themes: Iterable[str] | None = None,
    systems: Iterable[str] = tuple(SYSTEMS),
    states: Iterable[tuple[str, str | None, str | None]] = STATES,
) -> Report:
    """Run the explorer on the bundled data and measure every state, theme and system."""
    from index import bundled_data_dir, load_dataset
    from tui.app import AllianceApp

    report = Report()
    data = bundled_data_dir()
    app = AllianceApp(load_dataset(data), data_dir=data)
    app.animation_level = "none"
    theme_names = sorted(themes or app.available_themes)
    systems = list(systems)
    async with app.run_test(size=SIZE) as pilot:
        await _ready(pilot)
        async for state in _states(pilot, states):
            for theme in theme_names:
                app.theme = theme
                await pilot.pause()
                for system in systems:
                    set_color_system(app, SYSTEMS[system])
                    await pilot.pause()
                    measure_screen(app, theme, system, report, state)
            app.theme = theme_names[0]
            set_color_system(app, SYSTEMS["truecolor"])
            await pilot.pause()
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--themes", help="comma-separated theme names (default: all built-in)")
    parser.add_argument("--failures", action="store_true", help="also list every class below its threshold")
    parser.add_argument("--no-color", action="store_true", help="with NO_COLOR set (truecolor measured only)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["ALLIANCE_CACHE"] = os.path.join(tmp, "cache")
        os.environ["ALLIANCE_CONFIG"] = os.path.join(tmp, "config")
        os.environ.pop("NO_COLOR", None)
        if args.no_color:
            os.environ["NO_COLOR"] = "1"
        systems = ("truecolor",) if args.no_color else tuple(SYSTEMS)
        report = asyncio.run(measure(args.themes.split(",") if args.themes else None, systems))
    print(report.table())
    defaults = sum(w.defaults for (_, s, _), w in report.worst.items() if s == "truecolor")
    cells = sum(w.cells for (_, s, _), w in report.worst.items() if s == "truecolor")
    print(f"\ntext cells measured (truecolor, all themes and states): {cells}")
    print(f"of which drawn in the terminal's default colours: {defaults}; with colours sent: {cells - defaults}")
    if args.failures:
        print("\n".join(report.failures()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
