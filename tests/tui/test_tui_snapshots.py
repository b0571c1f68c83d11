"""Snapshots of each pane at 80x24, 100x30 and 200x60 (pytest-textual-snapshot): after an
intended change to the layout, regenerate with `.venv/bin/python -m pytest tests/tui
--snapshot-update` and look at the SVGs before committing them.

Deterministic: fixed size, no animations, cursor blink off (the app's own), cache and config
in tmp dirs (conftest), every worker awaited, and the search time stubbed to 0 ms.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from tui_helpers import ready, search, title

import index.search

# The smallest terminal people use, the common one, and a wide one (where list and detail
# share the width differently: the members table's columns, the Overview's dashboard).
SIZES = [(80, 24), (100, 30), (200, 60)]
sizes = pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")


async def just_ready(pilot: Any) -> None:
    await ready(pilot)
    assert pilot.app.pane("search").searcher is not None  # "Search ready", not "Loading…"


def keys_then_ready(*keys: str) -> Any:
    async def run_before(pilot: Any) -> None:
        await just_ready(pilot)
        await pilot.press(*keys)
        await ready(pilot)

    return run_before


@sizes
def test_snapshot_overview(size, snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=size, run_before=just_ready)


@sizes
def test_snapshot_members_with_detail(size, snap_compare, make_app):
    async def run_before(pilot: Any) -> None:
        await keys_then_ready("2", "enter")(pilot)
        assert pilot.app.focused is pilot.app.pane("members").detail

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@sizes
def test_snapshot_quotes_with_detail(size, snap_compare, make_app):
    async def run_before(pilot: Any) -> None:
        await keys_then_ready("3", "enter")(pilot)
        assert pilot.app.focused is pilot.app.pane("quotes").detail

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@sizes
def test_snapshot_timeline(size, snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=size, run_before=keys_then_ready("4"))


@sizes
def test_snapshot_search_results(size, snap_compare, make_app, monkeypatch: pytest.MonkeyPatch):
    # The title says "N hits in X ms": make X always 0.
    monkeypatch.setattr(index.search, "time", SimpleNamespace(perf_counter=lambda: 0.0))

    async def run_before(pilot: Any) -> None:
        await just_ready(pilot)
        pane = await search(pilot, "open source")
        assert " in 0 ms" in title(pane)
        assert pilot.app.focused is pane.list

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)


@sizes
def test_snapshot_help(size, snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=size, run_before=keys_then_ready("question_mark"))


@sizes
def test_snapshot_projects(size, snap_compare, make_app):
    assert snap_compare(make_app(preview=False), terminal_size=size, run_before=keys_then_ready("6"))


@sizes
def test_snapshot_members_at_a_glance(size, snap_compare, make_app):
    """Preview off (the default), nothing open: on wide screens the facets beside the table."""
    assert snap_compare(make_app(preview=False), terminal_size=size, run_before=keys_then_ready("2"))
