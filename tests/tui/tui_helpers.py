"""Helpers of the explorer suite: waiting, reading the screen, moving cursors, a markup dataset."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from tests.builders import dataset_files, write_files
from tui.widgets.line_list import LineList

# -- counting calls -------------------------------------------------------------


class Counting:
    """Wraps a function (monkeypatched in its module) and counts its calls, with their arguments."""

    def __init__(self, function: Callable[..., Any]) -> None:
        self.function = function
        self.calls = 0
        self.args: list[tuple[Any, ...]] = []

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        self.args.append(args)
        return self.function(*args, **kwargs)


# -- waiting ------------------------------------------------------------------


async def ready(pilot: Pilot) -> None:
    """Wait for the search index (loaded or failed) and the workers, then for the screen.

    The panes after the Overview, then the index worker, start after the first frame:
    right after startup there may be no worker to wait for yet.
    """
    app: Any = pilot.app
    await wait_until(pilot, lambda: app.panes_ready)
    if getattr(app, "build_index", False):
        search_pane = app.screen_stack[0].query_one("#search")
        await wait_until(pilot, lambda: search_pane.searcher is not None or app.index_notice)
    await app.workers.wait_for_complete()
    await pilot.pause()


async def settle(pilot: Pilot) -> None:
    """After typing in the search box: let the debounce (0.12 s) fire, then wait for the search."""
    await pilot.pause(0.2)
    await ready(pilot)


async def wait_until(pilot: Pilot, condition: Callable[[], Any], timeout: float = 20.0) -> None:
    """Poll until condition() is true (for things without a worker to wait on: the palette).

    The timeout only stops a hang: under `pytest -n auto` a child build at low priority
    (`alliance index build --background`) can take several seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        assert loop.time() < deadline, "timed out waiting for the app"
        await pilot.pause(0.02)


async def search(pilot: Pilot, text: str) -> Any:
    """Search from anywhere: `/`, type, Enter (runs at once, focuses the results); the search pane."""
    app: Any = pilot.app
    pane = app.pane("search")
    await pilot.press("slash")
    pane.input.value = ""
    await type_fast(pilot, text)
    await pilot.press("enter")
    await ready(pilot)
    return pane


async def move_to(pilot: Pilot, line_list: LineList, ref: str, key: str = "j", limit: int = 400) -> None:
    """Press key until the cursor of line_list is on the entry whose ref is `ref`."""
    for _ in range(limit):
        if line_list.current is not None and line_list.current.ref == ref:
            return
        await pilot.press(key)
    raise AssertionError(f"{ref!r} not reached in {line_list!r}; refs: {refs(line_list)[:20]}")


# -- reading --------------------------------------------------------------------


def refs(line_list: LineList) -> list[str]:
    return [e.ref for e in line_list.entries if e.ref]


def plain(line_list: LineList) -> str:
    """Every entry's text (what it holds, shown or not)."""
    return "\n".join(e.text.plain for e in line_list.entries)


def rendered(line_list: LineList) -> str:
    """What the widget draws: the text of its visible strips."""
    return "\n".join("".join(seg.text for seg in line_list.render_line(y)) for y in range(line_list.size.height))


def screen_text(app: Any) -> str:
    """The whole screen as text, top screen and what shows of the ones below."""
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def widest_blank_band(lines: list[str], width: int, share: float = 0.9) -> float:
    """The share of the screen's columns that are blank on at least `share` of the rows:
    a wasted strip of screen, whichever pane leaves it."""
    rows = [line.ljust(width)[:width] for line in lines]
    blank = [x for x in range(width) if sum(row[x] == " " for row in rows) >= share * len(rows)]
    return len(blank) / width


def title(pane: Any) -> str:
    return str(pane.query_one(".pane-title").render())


def squeeze(text: str) -> str:
    """No whitespace: wrapped text still contains a phrase after squeezing both."""
    return re.sub(r"\s+", "", text)


def active_timers(app: Any) -> list[tuple[Any, str]]:
    """Timers that will fire: started, not finished, not paused (paused ones wait on an event)."""
    pumps = [app]
    for screen in app.screen_stack:
        pumps += [screen, *screen.walk_children(with_self=False)]
    return [
        (pump, timer.name)
        for pump in pumps
        for timer in list(pump._timers)
        if timer._task is not None and not timer._task.done() and timer._active.is_set()
    ]


@contextmanager
def count_repaints(app: Any) -> Iterator[dict[str, int]]:
    """Count, while in the block, the lines the explorer's lists render and the screen updates
    the app sends (in a headless Pilot too: `App._display` still runs; it just writes nowhere)."""
    counts = {"render_line": 0, "screen_updates": 0}
    render_line, display = LineList.render_line, app._display

    def counting_render_line(self: LineList, y: int) -> Any:
        counts["render_line"] += 1
        return render_line(self, y)

    def counting_display(screen: Any, renderable: Any) -> None:
        if renderable is not None:
            counts["screen_updates"] += 1
        display(screen, renderable)

    LineList.render_line = counting_render_line  # type: ignore[method-assign]
    app._display = counting_display
    try:
        yield counts
    finally:
        LineList.render_line = render_line  # type: ignore[method-assign]
        del app._display


# -- a dataset whose text is full of markup ------------------------------------------

MARKUP = "[bold]x [/x] [@click=app.quit]click me[/] [link=https://example.org]l[/link]"
MARKUP_TOKENS = ("[bold]x", "[/x]", "[@click=app.quit]click me[/]", "[link=https://example.org]l[/link]")


def markup_files(m: str = MARKUP) -> dict[str, str]:
    """The small structure of tests/conftest.py (alliance with a section and a topic, two
    members, a quote with a French rendering, an event) with markup in every visible text."""
    return dataset_files(
        {
            "id": "markup-alliance",
            "name": f"Markup {m} Alliance",
            "founders": ["bracket"],
            "mission": f"Mission {m} text.",
            "focus_areas": [f"Focus {m}"],
            "objectives": [f"Objective {m}"],
            "governance": f"Governance {m}.",
            "figures": {f"Members {m}": f"2 {m}"},
        },
        sections=[{"id": "history", "title": f"History {m}", "text": f"Section text {m}."}],
        topics=[{"id": "openness", "title": f"Topic {m}", "summary": f"Topic summary {m}.", "members": ["bracket"]}],
        members=[
            {
                "id": "bracket",
                "name": f"Bracket {m} Labs",
                "short_name": "BRK",
                "type": "company",
                "country": "US",
                "founding": True,
                "joined": date(2023, 12, 5),
                "summary": f"Member summary {m}.",
            },
            {
                "id": "plain",
                "name": "Plain University",
                "type": "university",
                "country": "CH",
                "founding": False,
                "joined": "2024-05",
                "summary": "Plain summary.",
            },
        ],
        quotes=[
            {
                "id": "markup-quote",
                "text": f"Quote text {m} here.",
                "speaker": f"Speaker {m}",
                "role": f"Role {m}",
                "member": "bracket",
                "date": date(2023, 12, 5),
                "lang": "en",
                "translations": {"fr": f"Texte {m} ici."},
                "sources": ["https://example.org/quote"],
            }
        ],
        events=[
            {
                "id": "launch",
                "date": date(2023, 12, 5),
                "title": f"Event {m} launched",
                "summary": f"Event summary {m}.",
                "members": ["bracket", "plain"],
                "tags": ["launch"],
            }
        ],
    )


def write_markup_dataset(directory: Path) -> Path:
    """Write markup_files() into directory (created); return directory."""
    return write_files(directory, markup_files())


async def type_fast(pilot: Pilot, keys: str | Sequence[str]) -> None:
    """Type like a fast typist (a paste, a laggy SSH link): every key queued at once.

    keys: a text (one key per character) or a list of key names ("enter", "backspace").
    `pilot.press` waits for the app to go idle after each key, which takes about as long as
    the search debounce; this does not. The app is meant to take such bursts: a pane switch
    moves the focus at once, and Enter acts at once, so the next key lands where they led.
    """
    import unicodedata

    from textual import events
    from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key

    app = pilot.app
    for key in keys:
        # The key and character the terminal driver would send (as Pilot.press does).
        if len(key) == 1 and not key.isalnum():
            key = _character_to_key(key)
        try:
            char: str | None = unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(key, key)))
        except KeyError:
            char = key if len(key) == 1 else None
        event = events.Key(key, char)
        event.set_sender(app)
        app._driver.send_message(event)
    await pilot.pause()
    await pilot.pause()


async def burst(pilot: Pilot, *keys: str) -> None:
    """`type_fast` for key names: burst(pilot, "2", "j", "enter")."""
    await type_fast(pilot, keys)
