"""Helpers of the search suite (fixtures live in conftest.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from index.schema import folding
from index.store import CACHE_ENV, META
from tests.builders import dataset_files, write_files

REPO = Path(__file__).resolve().parents[2]

# A small valid dataset with accented French text: the bundled data has no "développement".
SMALL_FILES = dataset_files(
    {
        "id": "petite-alliance",
        "name": "Petite Alliance",
        "founders": ["lyon"],
        "mission": "Tester la recherche.",
        "focus_areas": ["Tests"],
        "objectives": ["Trouver les bogues"],
        "governance": "Un conseil.",
        "figures": {"Membres": "2"},
    },
    members=[
        {
            "id": "lyon",
            "name": "Université de Lyon",
            "type": "university",
            "country": "FR",
            "founding": True,
            "joined": date(2023, 12, 5),
            "summary": "Pôle de recherche et de développement en intelligence artificielle.",
        },
        {
            "id": "acme",
            "name": "Acme Robotics",
            "type": "company",
            "country": "US",
            "founding": False,
            "joined": date(2024, 2, 8),
            "summary": "Builds warehouse robots.",
        },
    ],
    quotes=[
        {
            "id": "q-lyon",
            "text": "Openness helps every laboratory.",
            "speaker": "Marie Curieuse",
            "role": "Présidente",
            "member": "lyon",
            "date": date(2023, 12, 5),
            "lang": "en",
            "translations": {
                "fr": "Nos chercheuses sont heureuses : des développements ouverts pour les laboratoires nationaux."
            },
        }
    ],
)


def write_dataset(directory: Path, files: dict[str, str] | None = None) -> Path:
    """Write SMALL_FILES (or `files`) into directory (created); return directory."""
    return write_files(directory, SMALL_FILES if files is None else files)


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
