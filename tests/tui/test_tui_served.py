"""A session of `alliance serve` (ALLIANCE_SERVED=1) explores and writes nothing on the server:
no export file, no suspend, no remembered settings, no index build (only the server's index)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tui_helpers import ready, search

from tests.builders import BUNDLED
from tui.export_screen import ExportScreen


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALLIANCE_SERVED", "1")


def _notices(app: Any) -> list[str]:
    return [str(n.message) for n in app._notifications]


@pytest.mark.slow
async def test_export_is_off(make_app: Any, served: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("2")
        await pilot.press("e")
        await pilot.pause()
        assert not isinstance(app.screen, ExportScreen)
        assert any("Export is off in a served session" in n for n in _notices(app))
    assert list(tmp_path.iterdir()) == []


async def test_suspend_is_off(make_app: Any, served: None) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+z")
        await pilot.pause()
        assert any("Suspend is off in a served session" in n for n in _notices(app))
        assert app.is_running


async def test_theme_and_preview_are_not_remembered(make_app: Any, served: None, isolated: Path) -> None:
    app = make_app(theme="nord")
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        app.theme = "dracula"
        await pilot.press("p")
        await pilot.pause()
    assert not (isolated / "config.json").exists()


async def test_settings_on_the_server_are_not_read(make_app: Any, served: None, isolated: Path) -> None:
    isolated.mkdir(parents=True, exist_ok=True)
    (isolated / "config.json").write_text('{"theme": "nord"}', encoding="utf-8")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        assert app.theme == "textual-dark"


@pytest.mark.slow
async def test_search_uses_the_servers_index(make_app: Any, served: None) -> None:
    app = make_app()  # the suite's cache holds the bundled data's index, as a server's would
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        pane = await search(pilot, "nasa")
        assert pane.result is not None and pane.result.total >= 1


async def test_no_index_is_built_when_the_server_has_none(
    make_app: Any, served: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "empty-cache"
    empty.mkdir(mode=0o700)
    monkeypatch.setenv("ALLIANCE_CACHE", str(empty))
    app = make_app(data_dir=BUNDLED)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        assert "server has no index" in (app.index_notice or "")
    assert [p for p in empty.rglob("*") if p.is_file()] == []  # nothing written
