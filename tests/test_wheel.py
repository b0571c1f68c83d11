"""The wheel: it ships the dataset, not the tests, and works in a fresh venv away from the checkout."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = "Scripts" if os.name == "nt" else "bin"

pytestmark = pytest.mark.slow


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess[str]:
    kwargs.setdefault("timeout", 600)  # a hang guard (an unreachable package index), not a budget
    return subprocess.run(command, capture_output=True, text=True, check=False, **kwargs)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """Build the wheel once: without isolation (offline, hatchling is installed), else with it."""
    outdir = tmp_path_factory.mktemp("dist")
    build = [sys.executable, "-m", "build", "--wheel", "--outdir", str(outdir), str(ROOT)]
    result = run([*build[:4], "--no-isolation", *build[4:]])
    if result.returncode != 0:
        result = run(build)
    assert result.returncode == 0, result.stdout + result.stderr
    (built,) = outdir.glob("*.whl")
    return built


@pytest.fixture(scope="module")
def fresh_venv(wheel, tmp_path_factory) -> Path:
    """A new venv with the wheel (and its dependencies) installed: it cannot see the checkout."""
    venv = tmp_path_factory.mktemp("venv")
    result = run([sys.executable, "-m", "venv", str(venv)])
    assert result.returncode == 0, result.stderr
    result = run(
        [str(venv / BIN / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check", str(wheel)],
        env={k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PIP_REQUIRE_VIRTUALENV")},
        timeout=300,  # takes about 3 s; the timeout only stops a hang
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return venv


def test_wheel_contains_the_dataset_and_no_tests(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    data = [n for n in names if n.startswith("index/bundled_data/") and n.endswith(".toml")]
    assert "index/bundled_data/alliance.toml" in data
    assert any(n.startswith("index/bundled_data/members/") for n in data)
    assert any(n.startswith("index/bundled_data/quotes/") for n in data)
    repo_data = sorted(str(p.relative_to(ROOT / "data")) for p in (ROOT / "data").rglob("*.toml"))
    assert sorted(n.removeprefix("index/bundled_data/") for n in data) == repo_data
    assert "index/__init__.py" in names and "tui/cli.py" in names
    assert not [n for n in names if n.startswith("tests/") or "conftest" in n or "/test_" in n or n.startswith("test_")]
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    assert "alliance = tui.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
    # The French catalog: its source, and the .mo the build compiled (git ignores .mo files).
    assert "index/locales/fr/LC_MESSAGES/alliance.po" in names
    assert "index/locales/fr/LC_MESSAGES/alliance.mo" in names
    assert "index/locales/fr/cldr.json" in names  # index/cldr.py: no Babel before the first frame


def test_installed_wheel_validates_its_bundled_dataset(fresh_venv, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("ALLIANCE_DATA", "PYTHONPATH")}
    where = run([str(fresh_venv / BIN / "python"), "-c", "import index, tui; print(index.__file__)"], cwd=tmp_path)
    assert where.returncode == 0, where.stderr
    assert Path(where.stdout.strip()).resolve().is_relative_to(fresh_venv.resolve()), "the checkout leaked in"
    result = run([str(fresh_venv / BIN / "alliance"), "validate"], cwd=tmp_path, env=env)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout.startswith("ok: 141 members (57 founding), ")
    assert "bundled_data" in result.stdout  # the packaged copy, not the checkout's data/
    french = run([str(fresh_venv / BIN / "alliance"), "--lang", "fr", "validate"], cwd=tmp_path, env=env)
    assert french.returncode == 0, french.stderr
    assert french.stdout.startswith("ok\u00a0: 141 membres (dont 57 fondateurs), ")  # from the shipped .mo
    version = run([str(fresh_venv / BIN / "alliance"), "--version"], cwd=tmp_path, env=env)
    assert (version.returncode, version.stdout.split()[0]) == (0, "alliance")
