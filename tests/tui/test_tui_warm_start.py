"""Issue 17: a warm start of large data shows its panes before the snapshot is decoded.

The CLI decoded the cached dataset (about 1 s at 100,000 records) before the app started,
so a warm start showed its first frame later than a cold one. Now large data, snapshot or
not, is loaded by the app's worker behind the first frame, and `--open` waits for it.
These run `tui.cli.main` (cmd_explore) with the app headless, and record the order of the
first frame and the snapshot's decoding.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from textual.app import App
from tui_helpers import ready, refs, wait_until

import index.snapshot
import tui.cli
from index.snapshot import load_cached
from tests.builders import BUNDLED
from tui.app import AllianceApp


@pytest.fixture(scope="module")
def large_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Over the background-load threshold (generated, 3,000 records, about 1.6 MB of TOML)."""
    from tests.benchmarks.generate import generate

    directory = tmp_path_factory.mktemp("warm") / "data"
    generate(directory, records=3000)
    assert sum(p.stat().st_size for p in directory.glob("*.toml")) > tui.cli.LOAD_IN_BACKGROUND
    return directory


def run_explorer(monkeypatch: pytest.MonkeyPatch, argv: list[str], auto_pilot: Any) -> tuple[int, list[str]]:
    """tui.cli.main(argv) with the app headless; returns the exit code and the order in which
    the first frame was painted and the snapshot decoded ("frame", "decode")."""
    events: list[str] = []
    apps: list[AllianceApp] = []
    real_decode = index.snapshot._decode
    real_display = AllianceApp._display

    def decode(payload: Any) -> Any:
        events.append("decode")
        # The decoding holds the GIL: it waits for the panes (and so the first frame's write).
        assert apps and apps[0].panes_ready, "decoded before the panes were mounted"
        return real_decode(payload)

    def display(self: AllianceApp, screen: Any, renderable: Any) -> None:
        if "frame" not in events:
            events.append("frame")
        real_display(self, screen, renderable)

    def run_headless(self: AllianceApp, **kwargs: Any) -> Any:
        apps.append(self)
        self.animation_level = "none"
        return App.run(self, headless=True, size=(100, 30), auto_pilot=auto_pilot)

    tty = SimpleNamespace(isatty=lambda: True, flush=lambda: None)
    monkeypatch.setattr(tui.cli, "sys", SimpleNamespace(stdin=tty, stdout=tty, stderr=sys.stderr))
    monkeypatch.setattr(index.snapshot, "_decode", decode)
    monkeypatch.setattr(AllianceApp, "_display", display)
    monkeypatch.setattr(AllianceApp, "run", run_headless)
    monkeypatch.setattr(AllianceApp, "load_index", lambda self: None)  # not what is measured here
    return tui.cli.main(argv), events


@pytest.mark.slow
def test_warm_start_of_large_data_paints_before_decoding_then_opens_the_record(
    large_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cached, from_snapshot = load_cached(large_data)  # write the snapshot: the next start is warm
    assert not from_snapshot
    member = cached.members[len(cached.members) // 2]
    seen: dict[str, Any] = {}

    async def auto_pilot(pilot: Any) -> None:
        app = pilot.app
        seen["dataset_at_start"] = app.dataset
        await wait_until(pilot, lambda: app.dataset is not None and app.pane("members").record is not None)
        await pilot.pause()
        seen["members"] = len(app.dataset.members)
        seen["record"] = app.pane("members").record.id
        seen["pane"] = app.current_pane.id
        app.exit()

    code, events = run_explorer(monkeypatch, ["--data", str(large_data), "--open", f"member:{member.id}"], auto_pilot)
    assert code == 0
    assert seen["dataset_at_start"] is None, "the dataset was loaded before the app started"
    assert events == ["frame", "decode"], "the snapshot must be decoded after the first frame, once"
    assert seen == {"dataset_at_start": None, "members": len(cached.members), "record": member.id, "pane": "members"}


@pytest.mark.slow
def test_warm_start_of_large_data_with_an_unknown_ref_ends_as_on_small_data(
    large_data: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    load_cached(large_data)

    async def auto_pilot(pilot: Any) -> None:
        await wait_until(pilot, lambda: not pilot.app.is_running or pilot.app.load_error is not None)

    code, events = run_explorer(monkeypatch, ["--data", str(large_data), "--open", "member:nope"], auto_pilot)
    assert code == 1
    assert events[:2] == ["frame", "decode"]
    assert "no record 'member:nope'" in capfd.readouterr().err


async def test_data_loaded_while_the_panes_mount_waits_for_them(monkeypatch: pytest.MonkeyPatch) -> None:
    """The load starts with the first frame, before the other panes are mounted: data that
    arrives first (parsed small data here; a snapshot's decoding waits for the panes) is
    kept, and set on every pane once they are there (with --open)."""
    from index import load_dataset
    from tui.footer import ContextFooter

    monkeypatch.setattr(index.snapshot, "load_cached", lambda *args, **kwargs: (load_dataset(BUNDLED), False))

    app = AllianceApp(None, data_dir=BUNDLED, build_index=False, open_ref="member:nasa")
    real_mount = app.mount
    arrived_early: list[bool] = []

    async def footer_after_the_data(*widgets: Any, **kwargs: Any) -> None:
        for _ in range(500):  # on_ready waits here until the worker has delivered the data
            if app._after_panes is not None:
                break
            await asyncio.sleep(0.01)
        arrived_early.append(app._after_panes is not None and app.dataset is None and not app.panes_ready)
        await real_mount(*widgets, **kwargs)

    def mount(*widgets: Any, **kwargs: Any) -> Any:
        if any(isinstance(w, ContextFooter) for w in widgets):
            return footer_after_the_data(*widgets, **kwargs)
        return real_mount(*widgets, **kwargs)

    app.mount = mount  # type: ignore[method-assign]
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await wait_until(pilot, lambda: app.pane("members").record is not None)
        assert arrived_early == [True], "the data did not arrive before the panes were mounted"
        assert app.dataset is not None and app._after_panes is None
        assert app.pane("members").record.id == "nasa"
        await pilot.press("1")
        assert "Loading" not in " ".join(e.text.plain for e in app.pane("overview").list.entries)
        await pilot.press("3")
        assert refs(app.pane("quotes").list), "a pane mounted after the data got it too"


def test_growth_by_month_as_the_dates_say(large_data: Path) -> None:
    """The Overview's members-by-month chart (no reported counts in generated data), counted
    from the numbers (it formatted 40,000 dates at 100k records on the way to the screen)."""
    from collections import Counter

    from tui.render import growth_chart

    dataset, _ = load_cached(large_data)
    assert not dataset.alliance.counts
    months = Counter(m.since.start.strftime("%Y-%m") for m in dataset.members if m.since is not None)
    labels = [entry.text.plain.split()[:2] for entry in growth_chart(dataset, 40)]
    assert labels == [[month, f"+{months[month]}"] for month in sorted(months)]
