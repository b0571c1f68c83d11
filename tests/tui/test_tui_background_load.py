"""Started without a dataset (large data, no snapshot), the explorer loads it in a worker.

The panes show at once with the loading progress in the header; keys pressed meanwhile
do nothing harmful; bad data found then ends the app with the usual report and exit code 2.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tui_helpers import ready, refs, wait_until

import index.snapshot
from tests.builders import BUNDLED, MINIMAL_FILES, replace, write_files
from tui.app import AllianceApp


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[threading.Event]:
    """Hold the background load until the test sets the event (the load reports 50% first)."""
    opened = threading.Event()
    real = index.snapshot.load_cached

    def held(*args: Any, progress: Any = None, **kwargs: Any) -> Any:
        if progress:
            progress(50, 100)
        assert opened.wait(20), "the test never let the load finish"
        return real(*args, progress=progress, **kwargs)

    monkeypatch.setattr(index.snapshot, "load_cached", held)
    yield opened
    opened.set()


def background_app(data_dir: Path, **kwargs: Any) -> AllianceApp:
    app = AllianceApp(None, data_dir=data_dir, **kwargs)
    app.animation_level = "none"
    return app


def header(app: AllianceApp) -> str:
    return str(app.query_one("#header").render())


async def test_first_frame_shows_the_panes_and_the_loading_status(gate: threading.Event) -> None:
    app = background_app(BUNDLED, build_index=False)
    async with app.run_test(size=(100, 30)) as pilot:
        assert app.dataset is None
        assert "Loading the data" in " ".join(e.text.plain for e in app.pane("overview").list.entries)
        await wait_until(pilot, lambda: "loading the data… 50%" in header(app))
        gate.set()
        await wait_until(pilot, lambda: app.dataset is not None)
        await pilot.pause()
        assert "loading" not in header(app)
        assert "141 members listed · 205 reported, Jun 2026" in header(app)
        await pilot.press("2")
        assert "member:ibm" in refs(app.pane("members").list)


async def test_keys_while_loading_do_no_harm(gate: threading.Event) -> None:
    app = background_app(BUNDLED, build_index=False)
    async with app.run_test(size=(100, 30)) as pilot:
        # Every key that reaches for records, before there are any.
        for key in ("2", "j", "enter", "y", "left_square_bracket", "n", "N", "3", "4", "f", "s", "1", "escape"):
            await pilot.press(key)
            assert app.dataset is None
        await pilot.press("2")
        assert "Loading the data" in " ".join(e.text.plain for e in app.pane("members").list.entries)
        gate.set()
        await ready(pilot)
        # The pane on screen fills in when the data arrives; nothing crashed or quit.
        await wait_until(pilot, lambda: "member:ibm" in refs(app.pane("members").list))
        assert app.return_code is None


async def test_open_ref_waits_for_the_data() -> None:
    app = background_app(BUNDLED, build_index=False, open_ref="member:nasa")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await wait_until(pilot, lambda: app.pane("members").record is not None)
        assert app.pane("members").record.id == "nasa"


async def test_index_is_built_after_the_data_and_search_works() -> None:
    app = background_app(BUNDLED)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: app.pane("search").searcher is not None, timeout=20)
        assert "indexing" not in header(app)
        await pilot.press("slash")
        for char in "nasa":
            await pilot.press(char)
        await pilot.press("enter")
        await ready(pilot)
        assert "member:nasa" in refs(app.pane("search").list)


async def test_bad_data_ends_the_app_with_its_problems(tmp_path: Path) -> None:
    write_files(tmp_path, MINIMAL_FILES)
    replace(tmp_path, "members.toml", 'type = "company"', 'type = "spaceship"')
    app = background_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: bool(app.problems))
        await pilot.pause()
    assert app.return_code == 2
    [problem] = app.problems
    assert problem.file.endswith("members.toml") and problem.line > 0
    assert "spaceship" in problem.message


async def test_index_progress_in_the_header_then_the_writing_phase(monkeypatch: pytest.MonkeyPatch) -> None:
    """Percentages while documents go in; then 'writing the index' (the writers finishing)."""
    import index.store

    steps = [threading.Event() for _ in range(2)]
    real = index.store.open_index

    def slow(*args: Any, progress: Any = None, **kwargs: Any) -> Any:
        progress(5, 10)
        assert steps[0].wait(20)
        progress(10, 10)
        assert steps[1].wait(20)
        return real(*args, **kwargs)

    monkeypatch.setattr(index.store, "open_index", slow)
    app = background_app(BUNDLED)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: "indexing… 50%" in header(app))
        assert "5/10" in str(app.pane("search").query_one(".pane-title").render())
        steps[0].set()
        await wait_until(pilot, lambda: "indexing… writing the index" in header(app))
        assert "Writing the search index" in str(app.pane("search").query_one(".pane-title").render())
        steps[1].set()
        await wait_until(pilot, lambda: app.pane("search").searcher is not None)
        assert "indexing" not in header(app)


async def test_an_unexpected_load_error_ends_the_app_for_the_cli_to_report(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise OSError("disk on fire")

    monkeypatch.setattr(index.snapshot, "load_cached", broken)
    app = background_app(BUNDLED)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: app.load_error is not None)
        await pilot.pause()
    assert app.return_code == 3 and not app.problems
    assert str(app.load_error) == "disk on fire"


async def test_a_cache_the_build_child_found_unwritable_is_not_tried_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """Large data is indexed by a child; when it reports the cache unwritable (a full disk),
    the explorer indexes in memory at once: a second build for the same disk would fail too."""
    import index.store
    import tui.app

    def no_second_try(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("open_index tried the cache again")

    monkeypatch.setattr(tui.app, "BUILD_IN_PROCESS", 1)
    monkeypatch.setattr(AllianceApp, "_build_in_process", lambda self, progress: "could not write (File too large)")
    monkeypatch.setattr(index.store, "open_index", no_second_try)
    monkeypatch.setattr(index.store, "open_existing", lambda *args, **kwargs: None)
    app = background_app(BUNDLED)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: app.pane("search").searcher is not None or bool(app.index_notice))
        assert app.index_notice == "could not write (File too large); using an in-memory index"
        assert app.pane("search").searcher is not None
