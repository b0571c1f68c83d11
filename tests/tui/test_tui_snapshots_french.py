"""Snapshots of every pane in French at 100x30 (issue 16), reviewed by eye when made: the
same screens as test_tui_snapshots.py, in the language a French reader gets. Regenerate
with `.venv/bin/python -m pytest tests/tui/test_tui_snapshots_french.py --snapshot-update`
and look at the SVGs before committing them.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from test_tui_snapshots import just_ready, keys_then_ready
from tui_helpers import search, title

import index.search

SIZE = (100, 30)
pytestmark = pytest.mark.usefixtures("french")


def test_snapshot_overview_fr(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=just_ready)


def test_snapshot_members_with_detail_fr(snap_compare, make_app):
    """EPFL: a Swiss university (Suisse, université) and its launch quote."""

    async def run_before(pilot: Any) -> None:
        await just_ready(pilot)
        pilot.app.follow("member:epfl")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_snapshot_members_at_a_glance_fr(snap_compare, make_app):
    assert snap_compare(make_app(preview=False), terminal_size=SIZE, run_before=keys_then_ready("2"))


def test_snapshot_quote_with_a_french_rendering_fr(snap_compare, make_app):
    """Meta's launch quote: the French rendering first, saying which part it renders."""

    async def run_before(pilot: Any) -> None:
        await just_ready(pilot)
        pilot.app.follow("quote:launch-meta-clegg")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_snapshot_timeline_fr(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=keys_then_ready("4"))


def test_snapshot_search_results_fr(snap_compare, make_app, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(index.search, "time", SimpleNamespace(perf_counter=lambda: 0.0))

    async def run_before(pilot: Any) -> None:
        await just_ready(pilot)
        pane = await search(pilot, "suisse")
        assert " 0 ms" in title(pane)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_snapshot_projects_fr(snap_compare, make_app):
    assert snap_compare(make_app(preview=False), terminal_size=SIZE, run_before=keys_then_ready("6"))


def test_snapshot_help_fr(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=keys_then_ready("question_mark"))


def test_snapshot_palette_fr(snap_compare, make_app):
    """The palette's own commands, the language command among them."""

    async def run_before(pilot: Any) -> None:
        await just_ready(pilot)
        await pilot.press("ctrl+p", *"langue")
        await pilot.pause(0.5)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)
