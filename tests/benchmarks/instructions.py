"""Instructions to the first frame, explorer against the minimal Textual app (valgrind).

    python -m tests.benchmarks.instructions [--repeat 2] [--langs en,fr]

The tmux measure (startup.py) times the first frame by the wall clock, which on this
2-core VM swings by a third between runs: the minimal app's median moved from 0.32 s to
0.42 s between two runs of the same code, and the explorer's ratio to it from 1.09x to
1.43x. Counting the instructions each program runs up to its first frame (cachegrind,
without cache simulation) gives the same number to a few tenths of a percent, so a change
of 1% in the explorer's start shows. Both programs run in a tmux pane at 100x30, with
their bytecode compiled beforehand and a warm cache (the snapshot of the bundled data),
like the warm start of the tmux measure; each ends at its first frame
(first_frame_probe.py). The ratio is the explorer's count over the minimal app's.

It is not the wall-clock ratio: the time a terminal program takes to start also holds
what neither program controls (exec, the dynamic loader, the terminal), so the wall-clock
ratio comes out lower than this one.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.e2e.harness import Terminal

from .common import python
from .startup import bench_env

REPO = Path(__file__).resolve().parents[2]
_REFS = re.compile(r"I\s+refs:\s+([\d,]+)")


def probe_command(program: str, log: Path) -> str:
    probe = f"{python()} -m tests.benchmarks.first_frame_probe {program}"
    return f"valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null --log-file={log} {probe}"


def environment(work: Path, lang: str) -> dict[str, str]:
    """The tmux measure's environment (scratch cache and config, the language), with this
    checkout first on the path: the one measured, whichever is installed."""
    return {**bench_env(work, work / "cache", lang), "PYTHONPATH": str(REPO)}


def warm_up(work: Path, lang: str) -> None:
    """Compile every module the two programs import, and write the bundled data's snapshot
    into the scratch cache, outside valgrind: what a warm start finds."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(environment(work, lang))
    subprocess.run(
        [python(), "-c", "import tests.benchmarks.minimal_app, tests.benchmarks.first_frame_probe, tui.app, "
         "tui.cli, tui.palette, tui.panes.members, tui.panes.quotes, tui.panes.timeline, tui.panes.search, "
         "tui.panes.projects; from index.snapshot import load_cached; load_cached(None)"],
        cwd=REPO, env=env, check=True,
    )  # fmt: skip


def count(work: Path, program: str, lang: str, timeout: float = 300.0) -> int:
    """Instructions `program` (minimal, or explorer) runs up to its first frame."""
    log = work / f"valgrind-{program}-{lang}-{time.monotonic_ns()}.log"
    term = Terminal(work, width=100, height=30)
    env = environment(work, lang)
    try:
        # `env -u`: the pane's shell may have PYTHONDONTWRITEBYTECODE from the outside.
        term.start(f"cd {REPO} && env -u PYTHONDONTWRITEBYTECODE {probe_command(program, log)}", env=env)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = _REFS.search(log.read_text()) if log.exists() else None
            if found:
                return int(found.group(1).replace(",", ""))
            time.sleep(0.5)
        raise TimeoutError(f"{program}: no instruction count after {timeout} s (see {log})")
    finally:
        term.close()


def measure(repeat: int, langs: list[str], log=print) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """Counts and ratios: {"minimal": [...], "explorer en": [...], ..., "ratio en": x}."""
    work = Path(tempfile.mkdtemp(prefix="alliance-instructions-"))
    try:
        for lang in langs:
            warm_up(work, lang)
        runs: dict[str, list[int]] = {}
        for _ in range(repeat):
            runs.setdefault("minimal", []).append(count(work, "minimal", "en"))
            log(f"minimal: {runs['minimal'][-1]:,}")
            for lang in langs:
                key = f"explorer {lang}"
                runs.setdefault(key, []).append(count(work, "explorer", lang))
                log(f"{key}: {runs[key][-1]:,}")
        out: dict[str, object] = {key: sorted(values) for key, values in runs.items()}
        floor = min(runs["minimal"])
        for lang in langs:
            out[f"ratio {lang}"] = round(min(runs[f"explorer {lang}"]) / floor, 3)
        return out
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--langs", default="en,fr")
    args = parser.parse_args(argv)
    if not shutil.which("valgrind") or not shutil.which("tmux"):
        print("valgrind and tmux are needed (apt-get install valgrind tmux)", file=sys.stderr)
        return 2
    result = measure(args.repeat, args.langs.split(","), log=lambda line: print(line, file=sys.stderr))
    print(json.dumps(result, indent=2))
    print("| program | instructions to the first frame (fewest) | × minimal |")
    print("|---|---|---|")
    print(f"| minimal | {min(result['minimal']):,} | – |")  # type: ignore[arg-type]
    for key, values in result.items():
        if key.startswith("explorer "):
            lang = key.split()[1]
            print(f"| {key} | {min(values):,} | {result[f'ratio {lang}']} |")  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    sys.exit(main())
