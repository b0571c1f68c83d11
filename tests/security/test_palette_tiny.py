"""Finding 10: the command palette at tiny terminal sizes (and resized while open).

Two crashes: at 3 or 4 columns the palette's options had 0 cells left for text (Rich's
wrap fails on width 0: ValueError), and at 4 rows or fewer its list had no rows, so
PgUp/PgDn looked up a line map that was never built (KeyError).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from textual import events
from textual.pilot import Pilot

from index import Dataset, bundled_data_dir, load_dataset
from tui.app import AllianceApp

SIZES = [(w, h) for w in range(1, 7) for h in range(1, 7)] + [(80, 3), (80, 4), (3, 40), (4, 40), (120, 2)]
# While open, the terminal goes through these sizes (big to tiny and back).
RESIZES = [(80, 24), (4, 3), (1, 1), (3, 40), (80, 3), (30, 10)]
# Every key the palette handles: typing, moving, paging, picking.
KEYS = ["n", "a", "down", "down", "pagedown", "pageup", "end", "home", "up", "backspace", "pagedown"]


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return load_dataset(bundled_data_dir())


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALLIANCE_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("ALLIANCE_CONFIG", str(tmp_path / "config"))


async def keys(pilot: Pilot, *names: str) -> None:
    """Queue keys as the terminal driver does (Pilot.press waits for idle after each key)."""
    app = pilot.app
    for name in names:
        app._driver.send_message(events.Key(name, name if len(name) == 1 else None))
    await pilot.pause()
    await pilot.pause()


async def palette_session(dataset: Dataset, size: tuple[int, int], resizes: list[tuple[int, int]]) -> AllianceApp:
    app = AllianceApp(dataset, build_index=False)
    app.animation_level = "none"
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause(0.1)  # the palette's discovery hits arrive
        await keys(pilot, *KEYS)
        await pilot.pause(0.05)
        for other in resizes:
            await pilot.resize_terminal(*other)
            await pilot.pause()
            await keys(pilot, "down", "pagedown", "pageup", "n")
        await pilot.resize_terminal(*size)
        await pilot.pause()
        await keys(pilot, "pagedown", "enter")  # go to what is highlighted (if anything)
        await pilot.pause(0.05)
        assert app.is_running, "the app stopped"
        await pilot.press("escape", "escape", "q")
    return app


# The fast lane (`-m "not slow"`) opens the palette at a few of the sizes; the full run at all.
FAST_SIZES = {(1, 1), (3, 4), (4, 4), (6, 6), (80, 3)}


@pytest.mark.parametrize(
    "size",
    [pytest.param(size, marks=() if size in FAST_SIZES else pytest.mark.slow) for size in SIZES],
    ids=lambda s: f"{s[0]}x{s[1]}",
)
def test_palette_survives_tiny_terminals(dataset: Dataset, size: tuple[int, int]) -> None:
    app = asyncio.run(asyncio.wait_for(palette_session(dataset, size, []), 60))
    # An exception inside the app ends run_test with it (it is re-raised above); a clean
    # quit returns 0.
    assert app.return_code == 0


@pytest.mark.slow
@pytest.mark.parametrize("size", [(1, 1), (4, 4), (80, 3), (3, 40), (100, 30)], ids=lambda s: f"{s[0]}x{s[1]}")
def test_palette_survives_resizing_while_open(dataset: Dataset, size: tuple[int, int]) -> None:
    app = asyncio.run(asyncio.wait_for(palette_session(dataset, size, RESIZES), 60))
    # An exception inside the app ends run_test with it (it is re-raised above); a clean
    # quit returns 0.
    assert app.return_code == 0


def test_palette_keeps_a_row_for_hits_at_four_rows(dataset: Dataset) -> None:
    """Not only no crash: at 80x4 the palette shows its prompt and at least one hit."""

    async def scenario() -> list[str]:
        app = AllianceApp(dataset, build_index=False)
        async with app.run_test(size=(80, 4)) as pilot:
            await pilot.pause()
            await pilot.press("ctrl+p", *"nasa")
            await pilot.pause(0.5)
            lines = [strip.text for strip in app.screen._compositor.render_strips()]
            await pilot.press("escape", "q")
        return lines

    lines = asyncio.run(asyncio.wait_for(scenario(), 60))
    text = "\n".join(lines)
    assert "nasa" in text
    assert "Go to " in text, text
