"""Helpers of the search suite (fixtures live in conftest.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from index import bundled_data_dir
from index.schema import folding
from index.store import CACHE_ENV, META

REPO = Path(__file__).resolve().parents[2]
BUNDLED = bundled_data_dir()

# A small valid dataset with accented French text: the bundled data has no "développement".
SMALL_FILES = {
    "alliance.toml": """\
[alliance]
id = "petite-alliance"
name = "Petite Alliance"
founded = 2023-12-05
founders = ["lyon"]
mission = "Tester la recherche."
website = "https://example.org"
as_of = 2024-06-01
focus_areas = ["Tests"]
objectives = ["Trouver les bogues"]
governance = "Un conseil."
figures = { "Membres" = "2" }
sources = ["https://example.org/about"]
""",
    "members.toml": """\
[[member]]
id = "lyon"
name = "Université de Lyon"
type = "university"
country = "FR"
founding = true
joined = 2023-12-05
summary = "Pôle de recherche et de développement en intelligence artificielle."
sources = ["https://example.org/lyon"]

[[member]]
id = "acme"
name = "Acme Robotics"
type = "company"
country = "US"
founding = false
joined = 2024-02-08
summary = "Builds warehouse robots."
sources = ["https://example.org/acme"]
""",
    "quotes.toml": """\
[[quote]]
id = "q-lyon"
text = "Openness helps every laboratory."
speaker = "Marie Curieuse"
role = "Présidente"
member = "lyon"
date = 2023-12-05
lang = "en"
translations.fr = "Nos chercheuses sont heureuses : des développements ouverts pour les laboratoires nationaux."
sources = ["https://example.org/q-lyon"]
""",
}


def write_dataset(directory: Path, files: dict[str, str] | None = None) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in (SMALL_FILES if files is None else files).items():
        (directory / name).write_text(text, encoding="utf-8")
    return directory


def refs(result) -> list[str]:
    return [hit.ref for hit in result.hits]


def fold(text: str) -> str:
    """Text as the index sees it before stemming: lowercase, accents folded."""
    return " ".join(token.text for token in folding()(text))


def index_folders(cache: Path) -> list[Path]:
    """Trusted index folders: not hidden, with a meta.json."""
    if not cache.is_dir():
        return []
    return sorted(p for p in cache.iterdir() if p.is_dir() and not p.name.startswith(".") and (p / META).exists())


def build_folders(cache: Path) -> list[Path]:
    return sorted(p for p in cache.iterdir() if p.name.startswith(".build-")) if cache.is_dir() else []


def child_env(cache: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("ALLIANCE_DATA", "FORCE_COLOR", "TERM")}
    env[CACHE_ENV] = str(cache)
    env["PYTHONPATH"] = str(REPO)
    return env


def run_cli(*args: str, cache: Path, cwd: Path | None = None, timeout: float = 60) -> subprocess.CompletedProcess:
    """Run `python -m tui ARGS` with an isolated cache; stdout and stderr are pipes (plain output)."""
    return subprocess.run(
        [sys.executable, "-m", "tui", *args],
        env=child_env(cache),
        cwd=cwd or REPO,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
