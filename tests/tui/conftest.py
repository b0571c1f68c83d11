"""Fixtures of the explorer suite: isolated cache and config dirs, the bundled dataset, an app factory.

Tests here are `async def` (Textual's `App.run_test` is async); no asyncio plugin is installed,
so `pytest_pyfunc_call` below runs them with `asyncio.run`, under a timeout so a hung app fails
instead of hanging the suite.

No `__init__.py` here on purpose: a package named `tui` would shadow the app's own `tui`.
So this file is imported as the top-level module `conftest`, like tests/conftest.py: test
modules import helpers from tui_helpers.py and tests/builders.py, never from a conftest.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from index import Dataset, load_dataset
from index.store import open_index
from tests.builders import BUNDLED
from tui.app import AllianceApp

TEST_TIMEOUT = 30.0  # seconds; a whole test, app start to exit


@pytest.hookimpl(tryfirst=True)
def pytest_pyfunc_call(pyfuncitem: pytest.Function) -> bool | None:
    if not inspect.iscoroutinefunction(pyfuncitem.obj):
        return None
    kwargs = {name: pyfuncitem.funcargs[name] for name in pyfuncitem._fixtureinfo.argnames}
    longer = pyfuncitem.get_closest_marker("pilot_timeout")
    timeout = float(longer.args[0]) if longer else TEST_TIMEOUT
    asyncio.run(asyncio.wait_for(pyfuncitem.obj(**kwargs), timeout))
    return True


@pytest.fixture(scope="session")
def index_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One index cache for the session: each dataset's index is built once, then reused.

    The bundled data's index is built here, so the first test to start an explorer on it
    (another one under xdist) does not pay for the build."""
    cache = tmp_path_factory.mktemp("index-cache")
    open_index(BUNDLED, cache=cache).ix.close()  # closed: no lock of ours stays on it
    return cache


@pytest.fixture(autouse=True)
def isolated(index_cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Never the user's cache or config; no colour or data overrides from the environment.

    Returns the config directory (created lazily by the code under test).
    """
    config = tmp_path / "config"
    monkeypatch.setenv("ALLIANCE_CACHE", str(index_cache))
    monkeypatch.setenv("ALLIANCE_CONFIG", str(config))
    for name in ("NO_COLOR", "FORCE_COLOR", "ALLIANCE_DATA", "TEXTUAL"):
        monkeypatch.delenv(name, raising=False)
    return config


@pytest.fixture(scope="session")
def dataset() -> Dataset:
    """The bundled dataset, loaded once (the app never changes it)."""
    return load_dataset(BUNDLED)


@pytest.fixture
def make_app(dataset: Dataset) -> Callable[..., AllianceApp]:
    """`make_app(open_ref=..., theme=..., data_dir=...)`: an explorer over the bundled data by default."""

    def make(
        *,
        data_dir: Path | None = None,
        open_ref: str | None = None,
        theme: str | None = None,
        preview: bool = True,
        **kwargs: Any,
    ) -> AllianceApp:
        data = dataset if data_dir is None else load_dataset(data_dir)
        app = AllianceApp(data, data_dir=data_dir or BUNDLED, open_ref=open_ref, theme=theme, **kwargs)
        # Most of this suite reads the detail as the cursor moves (the `p` preview mode);
        # tests of the default (no preview) ask for preview=False.
        app.preview = preview
        # No tab underline sliding: the pilot waits for animations after every key, and
        # screenshots must not catch one midway.
        app.animation_level = "none"
        return app

    return make
