"""Import boundaries: the UI-free core never drags in the UI (checked in a fresh interpreter)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent


def modules_after_import(module: str, cwd: Path) -> set[str]:
    """Top-level names in sys.modules after importing module in a fresh interpreter."""
    code = f"import json, sys, {module}; print(json.dumps(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-I", "-c", code], cwd=cwd, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    return {name.split(".")[0] for name in json.loads(result.stdout)}


def index_modules() -> list[str]:
    """Every module of the core package, discovered (a new module is checked without listing it)."""
    import pkgutil

    import index

    return ["index", *(f"index.{m.name}" for m in pkgutil.iter_modules(index.__path__))]


@pytest.mark.parametrize("module", index_modules())
def test_core_imports_no_ui(module, tmp_path):
    loaded = modules_after_import(module, tmp_path)
    assert "index" in loaded  # the import really happened
    forbidden = {"textual", "rich", "tui"} | ({"whoosh"} if module == "index" else set())
    assert not loaded & forbidden, f"import {module} loads {sorted(loaded & forbidden)}"


def test_every_core_module_is_discovered():
    modules = index_modules()
    assert {"index.load", "index.store", "index.search", "index.trust"} <= set(modules)


def test_forbidden_modules_are_detectable(tmp_path):
    """The check above can fail: importing the UI side does show up."""
    assert "rich" in modules_after_import("rich.text", tmp_path)


def test_tui_version_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    source = (ROOT / "tui" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__ = "([^"]+)"$', source, re.MULTILINE)
    assert match, "tui/__init__.py has no __version__ line"
    assert match.group(1) == project["version"]

    import tui

    assert tui.__version__ == project["version"]
