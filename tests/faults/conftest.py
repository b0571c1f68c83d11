"""Fixtures of the cache-fault suite: a private cache per test, the expected hits computed once."""

from __future__ import annotations

import shutil
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
def clean_cache(tmp_path_factory: pytest.TempPathFactory) -> tuple[Run, Path]:
    """`alliance search nasa --json` on a clean cache: its output, and the cache it built.

    The cache is never changed: tests damage copies of it (see `built`)."""
    cache = tmp_path_factory.mktemp("clean") / "cache"
    done = search(cache)
    assert done.returncode == 0 and done.stderr == "", str(done)
    assert "member:nasa" in done.refs
    return done, cache


@pytest.fixture(scope="session")
def expected(clean_cache: tuple[Run, Path]) -> Run:
    """What every faulty run must still print: the hits of a run on a clean cache."""
    return clean_cache[0]


@pytest.fixture(scope="session")
def fp() -> str:
    return bundled_fingerprint()


@pytest.fixture
def built(cache: Path, clean_cache: tuple[Run, Path]) -> Path:
    """A cache holding one valid index of the bundled data; its folder.

    A copy of the clean run's cache (files, modes and times), not a build per test: the
    index is trusted by what its folder holds (meta.json's `path` is only informational,
    the folder's own path is what a run reports), so the copy is as valid as a build.
    """
    shutil.copytree(clean_cache[1], cache, symlinks=True)
    folders = [p for p in cache.iterdir() if not p.name.startswith(".") and p.is_dir()]
    assert len(folders) == 1, folders
    return folders[0]
