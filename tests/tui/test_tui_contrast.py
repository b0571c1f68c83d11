"""Readable colours (issue 14): theme colours on every cell, WCAG AA contrast as sent, NO_COLOR.

The ratios come from the colours of the segments the compositor sends, downgraded as rich
downgrades them for 256 and 16 colours (tests/benchmarks/contrast.py, which also prints
the before/after table).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from rich.color import ColorSystem, ColorType
from rich.segment import Segment
from rich.style import Style
from tui_helpers import ready, search

from tests.benchmarks import contrast
from tui.app import AllianceApp
from tui.colours import contrast as ratio
from tui.colours import readable_color, readable_style

SIZE = (120, 40)


def screen_segments(app: Any) -> list[tuple[int, Segment]]:
    """(row, segment) of everything on the screen, as sent (after the app's line filters)."""
    return [
        (y, segment)
        for y, strip in enumerate(app.screen._compositor.render_strips())
        for segment in strip
        if not segment.control
    ]


def missing_colours(app: Any) -> list[str]:
    """Segments drawn in the terminal's default colours: no background, or text without a
    foreground (issue 14: black boxes on a dark terminal, cream on a light one)."""
    found = []
    for y, segment in screen_segments(app):
        style = segment.style or Style()
        no_bg = style.bgcolor is None or style.bgcolor.type == ColorType.DEFAULT
        no_fg = segment.text.strip() and (style.color is None or style.color.type == ColorType.DEFAULT)
        if no_bg or no_fg:
            found.append(f"row {y}: {segment.text!r} {style}")
    return found


async def visit_panes(pilot: Any, check: Callable[[str], None]) -> None:
    """Each pane with a record open (list unfocused), then its list focused; a search."""
    app = pilot.app
    for pane in ("overview", "members", "quotes", "timeline", "projects"):
        app.show_pane(pane)
        await pilot.press("j", "enter")
        await pilot.pause()
        check(f"{pane} detail")
        await pilot.press("escape")
        app.pane(pane).list.focus()
        await pilot.pause()
        check(f"{pane} list")
    await search(pilot, "open source")
    check("search results")
    await pilot.press("enter")
    await pilot.pause()
    check("search hit")


@pytest.mark.slow
@pytest.mark.pilot_timeout(90)  # every pane in two themes: 12 s beside a running suite, 30+ s on a loaded CI
async def test_every_cell_is_drawn_in_theme_colours(make_app: Callable[..., AllianceApp]) -> None:
    """No segment falls back to the terminal's default colours (truecolor, every pane, a
    dark and a light theme)."""
    app = make_app()
    problems: list[str] = []

    def check(where: str) -> None:
        for theme in ("textual-light", "textual-dark"):
            app.theme = theme
            contrast.refresh_all(app)
            problems.extend(f"{where}, {theme}: {p}" for p in missing_colours(app)[:5])

    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await visit_panes(pilot, check)
    assert not problems, "\n".join(problems[:30])


@pytest.mark.slow
def test_contrast_meets_wcag_aa_in_every_theme_and_colour_system() -> None:
    """Body text 4.5:1, labels/headings/dim/tabs/footer/header/titles 3:1, against the
    background they are drawn on, in every built-in theme, under truecolor, 256 and 16
    colours: selected rows (focused and not), labels, headings, dim text, links, matched
    words, tabs, footer keys, header, pane titles."""
    states = (
        ("members", "member:ibm", None),  # labels, links, the list's unfocused cursor
        ("timeline", None, None),  # year headings
        ("search", None, "open source"),  # matched words, dim snippets, the focused cursor
    )
    # Not an async test: 21 themes x 3 colour systems take longer than the suite's
    # 30 s limit for one app session.
    report = asyncio.run(contrast.measure(states=states))
    themes = {theme for theme, _, _ in report.worst}
    assert len(themes) == len(AllianceApp(None).available_themes)
    assert {cls for _, _, cls in report.worst} >= set(contrast.CLASSES) - {"search box"}
    failures = report.failures()
    assert not failures, report.table() + "\n" + "\n".join(failures[:40])


def test_readable_color_reaches_aa_after_the_downgrade() -> None:
    """The colour chosen for a terminal of 16 or 256 colours has 4.5:1 in that palette."""
    from rich.color import Color

    fg, bg = Color.parse("#e0e0e0"), Color.parse("#ffa62b")  # textual-dark's text on its accent
    for system in (ColorSystem.STANDARD, ColorSystem.EIGHT_BIT, ColorSystem.TRUECOLOR):
        chosen = readable_color(fg, bg, system)
        shown_fg = contrast.sent_rgb(chosen or fg, system, (0, 0, 0))[0]
        shown_bg = contrast.sent_rgb(bg, system, (0, 0, 0))[0]
        assert ratio(shown_fg, shown_bg) >= 4.5, system


def test_dim_is_folded_into_the_colour() -> None:
    """`dim` with colours becomes an explicit colour: terminals dim each their own way."""
    style = readable_style(Style(color="#ffffff", bgcolor="#000000", dim=True), ColorSystem.TRUECOLOR)
    assert not style.dim and style.color is not None and style.color.triplet is not None
    assert style.color.triplet != (255, 255, 255)


@pytest.mark.slow
async def test_no_color_sends_attributes_only(
    make_app: Callable[..., AllianceApp], monkeypatch: pytest.MonkeyPatch
) -> None:
    """NO_COLOR: no segment carries a colour; the cursor is reverse video, headings bold."""
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()
    problems: list[str] = []
    reverse_rows: list[str] = []

    def check(where: str) -> None:
        for y, segment in screen_segments(app):
            style = segment.style or Style()
            if style.color is not None or style.bgcolor is not None:
                problems.append(f"{where} row {y}: {segment.text!r} {style}")
            if style.reverse and segment.text.strip():
                reverse_rows.append(where)

    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await visit_panes(pilot, check)
        timeline = app.pane("timeline").list
        heading = next(i for i, e in enumerate(timeline.entries) if e.style == "line-list--heading")
        assert all(s.style and s.style.bold for s in timeline._render(heading, heading, False) if s.text.strip())
    assert not problems, "\n".join(problems[:20])
    # The cursor shows in every state (reverse video), in the list or the detail.
    assert {"members list", "members detail", "search results"} <= set(reverse_rows)
