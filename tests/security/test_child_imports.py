"""Finding 4: the explorer's index-build child must never import code from the working directory.

`python -m tui` puts the cwd first on sys.path, so an `index.py`, `tui.py` or `tui/` planted
there (say, in a shared folder someone starts the explorer from) ran as the user. The attack
plants all three, each writing a marker file when imported, then runs the explorer's real
build path from that folder.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from tests.hostile.helpers import child_env, write_dataset
from tui.app import AllianceApp
from tui.cli import child_command

PAYLOAD = "import pathlib; pathlib.Path({marker!r}).write_text('ran')\n"


def plant(cwd: Path) -> Path:
    """`index.py`, `tui.py` and a `tui/` package in cwd, each marking `marker` when imported."""
    marker = cwd / "PLANTED-CODE-RAN"
    payload = PAYLOAD.format(marker=str(marker))
    (cwd / "index.py").write_text(payload)
    (cwd / "tui.py").write_text(payload)
    (cwd / "tui").mkdir()
    (cwd / "tui" / "__init__.py").write_text(payload)
    (cwd / "tui" / "__main__.py").write_text(payload)
    return marker


@pytest.fixture
def trap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path, Path]:
    """(cwd with the planted code, its marker, a valid dataset elsewhere); env set for children."""
    cwd = tmp_path / "shared"
    cwd.mkdir()
    marker = plant(cwd)
    data = write_dataset(tmp_path / "data")
    for name, value in child_env(tmp_path).items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("ALLIANCE_DATA", raising=False)
    return cwd, marker, data


def test_the_old_command_ran_the_planted_code(trap: tuple[Path, Path, Path]) -> None:
    """The attack works on `python -m tui` (so the tests below prove something)."""
    cwd, marker, _ = trap
    subprocess.run([sys.executable, "-m", "tui", "--version"], cwd=cwd, capture_output=True, timeout=60, check=False)
    assert marker.exists()


def test_child_command_never_imports_from_the_cwd(trap: tuple[Path, Path, Path]) -> None:
    cwd, marker, data = trap
    done = subprocess.run(
        child_command("index", "build", "--progress", "--data", str(data)),
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert not marker.exists(), "planted code ran"
    assert done.returncode == 0, done.stderr
    assert "progress" in done.stdout and "built index of" in done.stdout


def test_child_command_under_safe_path(trap: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """PYTHONSAFEPATH (3.11+) leaves no cwd entry to drop: the stdlib must stay on the path."""
    cwd, marker, _ = trap
    monkeypatch.setenv("PYTHONSAFEPATH", "1")
    done = subprocess.run(child_command("--version"), cwd=cwd, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0 and done.stdout.startswith("alliance "), done.stderr
    assert not marker.exists()


def test_explorer_build_path_from_a_hostile_cwd(trap: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """The explorer's own `_build_in_process`, with the data named relative to the cwd."""
    cwd, marker, data = trap
    monkeypatch.chdir(cwd)
    reports: list[tuple[int, int]] = []
    fake_app = SimpleNamespace(data_dir=os.path.relpath(data, cwd))  # the method reads data_dir only
    AllianceApp._build_in_process(fake_app, lambda done, total: reports.append((done, total)))  # type: ignore[arg-type]
    assert not marker.exists(), "planted code ran"
    assert reports and reports[-1][0] == reports[-1][1] > 0, reports
