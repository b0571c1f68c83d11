"""Fixtures of the search suite: an isolated cache per test, the bundled index built once per session."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from index import Dataset, load_dataset
from index.search import Searcher
from index.store import CACHE_ENV, open_index
from tests.builders import BUNDLED

from .helpers import write_dataset


@dataclass
class Bundled:
    """The bundled dataset, its index (built once per session) and a searcher over it."""

    dataset: Dataset
    searcher: Searcher
    cache: Path


@pytest.fixture(autouse=True)
def cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own $ALLIANCE_CACHE (created lazily by the code under test)."""
    path = tmp_path_factory.mktemp("cache") / "index-cache"
    monkeypatch.setenv(CACHE_ENV, str(path))
    monkeypatch.delenv("ALLIANCE_DATA", raising=False)
    return path


@pytest.fixture(scope="session")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bundled]:
    cache = tmp_path_factory.mktemp("session-cache")
    opened = open_index(BUNDLED, cache=cache)
    assert opened.built and opened.notice == ""
    searcher = Searcher(opened.ix)
    yield Bundled(load_dataset(BUNDLED), searcher, cache)
    searcher.close()


@pytest.fixture(scope="session")
def searcher(bundled: Bundled) -> Searcher:
    return bundled.searcher


@pytest.fixture(scope="session")
def dataset(bundled: Bundled) -> Dataset:
    return bundled.dataset


@pytest.fixture(scope="session")
def small(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Searcher]:
    """A searcher over helpers.SMALL_FILES (accents, a French translation)."""
    data = write_dataset(tmp_path_factory.mktemp("small") / "data")
    opened = open_index(data, cache=tmp_path_factory.mktemp("small-cache"))
    searcher = Searcher(opened.ix)
    yield searcher
    searcher.close()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A private copy of the bundled dataset, safe to modify."""
    return Path(shutil.copytree(BUNDLED, tmp_path / "data"))


@pytest.fixture
def small_data(tmp_path: Path) -> Path:
    """A private small dataset (helpers.SMALL_FILES): quick to index, safe to modify."""
    return write_dataset(tmp_path / "small-data")
