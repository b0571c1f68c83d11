"""Fixtures of the cache-fault suite: a private cache per test, the expected hits computed once."""

from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import Run, bundled_fingerprint, search


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process code never touches the user's cache or config either."""
    monkeypatch.setenv("ALLIANCE_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("ALLIANCE_CONFIG", str(tmp_path / "config"))
    monkeypatch.delenv("ALLIANCE_DATA", raising=False)


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    """An empty cache directory's path (not created: the program creates it)."""
    return tmp_path / "cache"


@pytest.fixture(scope="session")
def expected(tmp_path_factory: pytest.TempPathFactory) -> Run:
    """`alliance search nasa --json` on a clean cache: what every faulty run must still print."""
    done = search(tmp_path_factory.mktemp("clean") / "cache")
    assert done.returncode == 0 and done.stderr == "", str(done)
    assert "member:nasa" in done.refs
    return done


@pytest.fixture(scope="session")
def fp() -> str:
    return bundled_fingerprint()


@pytest.fixture
def built(cache: Path, expected: Run) -> Path:
    """A cache holding one valid index of the bundled data (built by a first run); its folder."""
    first = search(cache)
    assert first.returncode == 0 and first.stderr == "", str(first)
    assert first.hits == expected.hits
    folders = [p for p in cache.iterdir() if not p.name.startswith(".") and p.is_dir()]
    assert len(folders) == 1, folders
    return folders[0]
