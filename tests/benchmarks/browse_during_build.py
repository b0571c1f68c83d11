"""Is browsing smooth while the explorer builds a large index? (Not part of `run`: one number.)

    .venv/bin/python -m tests.benchmarks.browse_during_build [--records 100000] [--presses 20]

Generates the dataset (or reuses it in --work), writes its parsed-data snapshot so that
only the index build runs in the background, starts the explorer in tmux with an empty
index cache, opens Members and presses `j` while the header says "indexing", then again
once the index is ready. Latency is from `send-keys` to the moved highlight on screen
(`capture-pane -e`, polled every 2 ms, so tmux's own delay is included).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.e2e.harness import Terminal, alliance_command, clean_env

from .common import percentile
from .generate import generate


def _body(term: Terminal) -> str:
    """The screen below the header, colours kept: a moved highlight changes it."""
    return "\n".join(term.tmux("capture-pane", "-p", "-e").splitlines()[3:])


def _presses(term: Terminal, count: int) -> list[float]:
    samples = []
    for _ in range(count):
        before = _body(term)
        started = time.perf_counter()
        term.tmux("send-keys", "j")
        while _body(term) == before and time.perf_counter() - started < 5:
            time.sleep(0.002)
        samples.append((time.perf_counter() - started) * 1000)
        time.sleep(0.15)
    return samples


def _indexing(term: Terminal) -> bool:
    return "indexing" in term.screen().splitlines()[0]


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.browse_during_build", description=__doc__)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--presses", type=int, default=20)
    parser.add_argument("--work", type=Path, help="scratch folder (default: a new one in /tmp)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="alliance-browse-", dir="/tmp"))
    data = work / f"data-{args.records}"
    if not (data / "alliance.toml").exists():
        generate(data, args.records)
    env = clean_env(work)
    for folder in Path(env["ALLIANCE_CACHE"]).iterdir():
        if folder.is_dir():  # index folders and unfinished builds: the index starts from nothing
            shutil.rmtree(folder)
    snapshot = f"from index.snapshot import load_cached; load_cached({str(data)!r})"
    subprocess.run([sys.executable, "-c", snapshot], env={**os.environ, **env}, check=True)

    term = Terminal(work)
    try:
        term.start(f"{alliance_command()} --data {data}", env=env)
        term.wait_for("members ·", timeout=120)
        term.send("2")
        term.wait_for("Members ·", timeout=30)
        time.sleep(2)
        if not _indexing(term):
            raise SystemExit("the index was ready before the presses: use more --records")
        during = _presses(term, args.presses)
        still = _indexing(term)
        deadline = time.time() + 600
        while _indexing(term) and time.time() < deadline:
            time.sleep(1)
        after = _presses(term, args.presses)
    finally:
        term.close()
    for label, samples in (("during the build", during), ("index ready", after)):
        print(
            f"{label:17} j to screen, ms: p50 {percentile(samples, 50):.0f} · p90 {percentile(samples, 90):.0f} "
            f"· max {max(samples):.0f} ({len(samples)} presses)"
        )
    if not still:
        print("note: the build finished during the first presses")


if __name__ == "__main__":
    main()
