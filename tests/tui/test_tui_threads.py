"""UI state is touched on the UI thread only: workers search and load, then hand back.

Textual's widgets, timers and the app's attributes are not thread-safe: a worker thread
that queries the DOM, stops a timer or sets a pane's attribute races the UI thread (a
timer stopped twice, a result shown for a query the box no longer holds). These tests
record every such touch made from another thread while the explorer loads its data,
opens its index, searches as keys arrive, refines and opens a hit.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from textual.dom import DOMNode
from textual.message_pump import MessagePump
from textual.timer import Timer
from tui_helpers import ready, settle, type_fast, wait_until

from tui.app import AllianceApp
from tui.panes.base import ListDetailPane


@pytest.fixture
def off_thread(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """What was touched from a thread other than the main (UI) one."""
    touched: list[str] = []

    def watch(owner: type, name: str) -> None:
        original: Callable[..., Any] = getattr(owner, name)

        def recorded(self: Any, *args: Any, **kwargs: Any) -> Any:
            if threading.current_thread() is not threading.main_thread():
                detail = f" {args[0]!r}" if args and isinstance(args[0], str) else ""
                touched.append(f"{type(self).__name__}.{name}{detail} in {threading.current_thread().name}")
            return original(self, *args, **kwargs)

        monkeypatch.setattr(owner, name, recorded)

    watch(DOMNode, "query_one")
    watch(DOMNode, "query")
    watch(MessagePump, "set_timer")
    watch(Timer, "stop")
    watch(ListDetailPane, "__setattr__")
    watch(AllianceApp, "__setattr__")
    yield touched


async def test_workers_never_touch_widgets_timers_or_attributes(make_app, off_thread):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)  # the index opened in a worker
        search = app.pane("search")
        await pilot.press("slash")
        await type_fast(pilot, "open sour")  # keystroke searches, debounced, in workers
        await settle(pilot)
        await wait_until(pilot, lambda: search.result is not None and not search.result.estimated)
        await pilot.press("enter", "n", "n", "N")  # the refined search, then hits opened
        await settle(pilot)
        assert search.result is not None and search.result.hits
    assert off_thread == []


async def test_the_data_loaded_in_a_worker_is_handed_back(make_app, off_thread, tmp_path):
    app = AllianceApp(None, data_dir=make_app().data_dir)  # no dataset: loaded after start
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_until(pilot, lambda: app.dataset is not None and app.pane("search").searcher is not None)
        await settle(pilot)
    assert off_thread == []
