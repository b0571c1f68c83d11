"""Fixtures shared by the security tests: a small valid dataset and a private cache root."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hostile.helpers import write_dataset


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """The hostile suite's small valid dataset, in its own folder."""
    return write_dataset(tmp_path / "data")


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    """A private cache root of our own (0700)."""
    root = tmp_path / "cache"
    root.mkdir(mode=0o700)
    return root
