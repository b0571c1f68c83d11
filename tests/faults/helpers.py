"""Helpers of the cache-fault suite: run `alliance` as a child process on a given cache, read hits."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from index.store import META, fingerprint, verify
from tests.builders import BUNDLED

REPO = Path(__file__).resolve().parents[2]


def child_env(cache: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("ALLIANCE_DATA", "NO_COLOR", "FORCE_COLOR", "TEXTUAL")}
    env.update(
        ALLIANCE_CACHE=str(cache),
        ALLIANCE_CONFIG=str(cache.parent / "config"),
        PYTHONPATH=str(REPO),
        LANG="C.UTF-8",
        LC_ALL="C.UTF-8",
    )
    env.update(extra)
    return env


@dataclass
class Run:
    """One finished `alliance` child: exit code, output, and the hits of `search --json`."""

    returncode: int
    stdout: str
    stderr: str

    @property
    def result(self) -> dict:
        return json.loads(self.stdout)

    @property
    def hits(self) -> list[dict]:
        return self.result["hits"]

    @property
    def refs(self) -> list[str]:
        return [f"{h['kind']}:{h['id']}" for h in self.hits]

    @property
    def notices(self) -> list[str]:
        return self.stderr.splitlines()

    def __str__(self) -> str:
        return f"exit {self.returncode}\nstderr:\n{self.stderr}\nstdout:\n{self.stdout[:500]}"


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "tui", *args]


def run(
    *args: str,
    cache: Path,
    executable: list[str] | None = None,
    env: dict[str, str] | None = None,
    preexec_fn: Callable[[], None] | None = None,
    cwd: Path | None = None,
    timeout: float = 60.0,
) -> Run:
    done = subprocess.run(
        [*(executable or [sys.executable]), "-m", "tui", *args],
        env=env or child_env(cache),
        cwd=str(cwd or cache.parent),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=preexec_fn,
        check=False,
    )
    return Run(done.returncode, done.stdout, done.stderr)


def search(cache: Path, query: str = "nasa", **kwargs) -> Run:
    return run("search", query, "--json", cache=cache, **kwargs)


def index_folders(cache: Path) -> list[Path]:
    """Folders a run would look at: not hidden (whatever they hold). Files (snapshots) are not folders."""
    if not cache.is_dir():
        return []
    return sorted(p for p in cache.iterdir() if not p.name.startswith(".") and p.is_dir())


def hidden_entries(cache: Path) -> list[str]:
    """Leftovers: .build-* and .trash-* entries."""
    return sorted(p.name for p in cache.iterdir() if p.name.startswith(".")) if cache.is_dir() else []


def the_index(cache: Path) -> Path:
    folders = index_folders(cache)
    assert len(folders) == 1, folders
    return folders[0]


def assert_trusted_only(cache: Path, fp: str) -> None:
    """Every folder a run would trust (not hidden, with meta.json) is complete and intact."""
    for folder in index_folders(cache):
        if (folder / META).exists():
            ix, _info = verify(folder, fp)  # raises IndexCorrupt if not
            ix.close()


def bundled_fingerprint() -> str:
    return fingerprint(BUNDLED)


def assert_one_line_notice(done: Run, *needles: str) -> str:
    assert done.returncode == 0, str(done)
    lines = done.notices
    assert len(lines) == 1, f"expected one line on stderr, got {len(lines)}:\n{done.stderr}"
    line = lines[0]
    assert line.startswith("alliance: "), line
    assert "Traceback" not in done.stderr
    for needle in needles:
        assert needle in line, f"{needle!r} not in the notice: {line}"
    return line
