"""Finding 5: keys that arrive in one burst must never crash a modal dialog.

`Enter Enter` in the Filter dialog raised ScreenStackError (exit 1): the first Enter closed
the dialog, the second, already queued for it, closed it again, popping the last screen.
Pilot's `press()` waits for the app to settle after every key, so these tests type in a
real terminal (tmux) with every key of a burst in one `send-keys` call.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.harness import Terminal, burst, explorer_on_overview, have_tmux

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.slow,
    pytest.mark.skipif(not have_tmux(), reason="tmux is not installed (.ci/run installs it)"),
]

PALETTE_PROMPT = "Search for commands"


@pytest.fixture
def term(tmp_path: Path) -> Iterator[Terminal]:
    with explorer_on_overview(tmp_path) as terminal:
        yield terminal


def assert_alive(term: Terminal) -> None:
    """The app still runs (no exit, no traceback) and still answers keys: Esc twice closes
    whatever dialog a burst left open, then `3` shows the Quotes pane."""
    term.wait_quiet()
    screen = term.screen()
    assert "__EXIT__" not in screen and "Error" not in screen, screen
    term.send("Escape", "Escape")
    term.wait_for(PALETTE_PROMPT, gone=True, timeout=5)
    term.send("3")
    # A burst in the palette may have run any of its commands, "Language: Français" too.
    screen = term.wait_for("Quotes · ") if "1 Aperçu" not in term.screen() else term.wait_for("Citations · ")
    assert "Traceback" not in screen


def quit_cleanly(term: Terminal) -> None:
    term.send("Escape", "q")
    term.wait_for("__EXIT__0")


def open_filter(term: Terminal) -> None:
    term.send("2")
    term.wait_for("Members · ")
    term.send("f")
    term.wait_for("Filter members")


@pytest.mark.parametrize(
    "keys",
    [
        ("Enter", "Enter"),  # the crash of the review
        ("Enter", "q"),
        ("Down", "Down", "Down", "Enter", "Enter", "Enter"),
        ("q", "Enter"),
        ("Enter", "f", "Enter", "Enter"),  # pick, reopen, pick, and one more
    ],
    ids=lambda keys: "-".join(keys),
)
def test_filter_dialog_takes_bursts(term: Terminal, keys: tuple[str, ...]) -> None:
    open_filter(term)
    burst(term, *keys)
    if keys[-1] == "q":
        # A q that arrives once Enter has closed the dialog is typed ahead to the Members
        # pane and quits, as it should; one that arrives first closes the dialog. Both are
        # fine; a crash (exit 1, a traceback) is not.
        term.wait_quiet()
        screen = term.screen()
        if "__EXIT__" in screen:
            assert "__EXIT__0" in screen and "Traceback" not in screen, screen
            return
    assert_alive(term)
    quit_cleanly(term)


def test_filter_then_palette_in_one_burst(term: Terminal) -> None:
    """ctrl+p (a priority key) opens the palette over the closing filter dialog."""
    open_filter(term)
    burst(term, "Enter", "C-p", "Enter", "Enter")
    assert_alive(term)
    quit_cleanly(term)


def test_sort_key_bursts(term: Terminal) -> None:
    """Sort has no dialog (s cycles the order); a burst of it, then Enter, must still settle."""
    term.send("2")
    term.wait_for("Members · ")
    burst(term, "s", "s", "s", "s", "s", "s")
    term.wait_for("sorted by country")  # six steps through the five columns shown: one past name
    burst(term, "s", "Enter", "Enter", "s")
    assert_alive(term)
    quit_cleanly(term)


@pytest.mark.parametrize(
    "keys",
    [("q", "Enter", "Enter"), ("?", "?"), ("?", "?", "?"), ("Enter", "Enter", "Escape")],
    ids=lambda keys: "-".join(keys),
)
def test_help_takes_bursts(term: Terminal, keys: tuple[str, ...]) -> None:
    term.send("?")
    term.wait_for("Keys  (Esc closes)")
    burst(term, *keys)
    assert_alive(term)
    quit_cleanly(term)


@pytest.mark.parametrize(
    "keys",
    [
        ("Enter", "Enter"),
        ("n", "a", "s", "a", "Enter", "Enter"),
        ("Down", "Enter", "Enter", "Enter"),
        ("C-p", "C-p", "Enter", "Enter"),
        ("Enter", "C-p", "Enter"),
    ],
    ids=lambda keys: "-".join(keys),
)
def test_palette_takes_bursts(term: Terminal, keys: tuple[str, ...]) -> None:
    term.send("C-p")
    term.wait_for(PALETTE_PROMPT)
    burst(term, *keys)
    assert_alive(term)
    quit_cleanly(term)


def test_palette_command_runs_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A second and third Enter, queued for the closing palette, neither run the chosen
    command again nor close the screen below (headless: the keys are queued at once, as the
    terminal driver does with one read that holds them all)."""
    import asyncio

    from textual import events

    from index import bundled_data_dir, load_dataset
    from tui.app import AllianceApp

    monkeypatch.setenv("ALLIANCE_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("ALLIANCE_CONFIG", str(tmp_path / "config"))
    followed: list[str] = []

    async def scenario() -> None:
        app = AllianceApp(load_dataset(bundled_data_dir()), build_index=False)
        follow = app.follow
        app.follow = lambda ref, **kw: (followed.append(ref), follow(ref, **kw))[1]  # type: ignore[method-assign]
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await pilot.press("ctrl+p", *"nasa")
            await pilot.pause(0.5)
            for _ in range(3):
                app._driver.send_message(events.Key("enter", "\r"))
            await pilot.pause(0.5)
            assert len(app.screen_stack) == 1
            assert app.current_pane.id == "members"
            await pilot.press("q")
        assert app.return_code == 0

    asyncio.run(asyncio.wait_for(scenario(), 60))
    assert followed == ["member:nasa"]
