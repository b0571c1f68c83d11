"""Fixtures of the hostile-data suite: every test gets its own cache and config directories."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Never the user's index cache or config; no data, colour or Textual overrides from outside."""
    monkeypatch.setenv("ALLIANCE_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("ALLIANCE_CONFIG", str(tmp_path / "config"))
    for name in ("ALLIANCE_DATA", "NO_COLOR", "FORCE_COLOR", "TEXTUAL"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path
