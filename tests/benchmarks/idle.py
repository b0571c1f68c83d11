"""Measure 8: the explorer at rest, after every kind of action, in every pane (issue 17).

After each action the explorer is let settle (no byte, no CPU for SETTLE s, cut at MAX_SETTLE s), then
the explorer is left alone for IDLE s: its process's CPU time (utime + stime of all its
threads, from /proc) and the bytes it writes to the terminal (the tmux pipe-pane log) over
that window are the result. Target: under 1 % of a core and 0 bytes, everywhere.

Actions, in order: start-up (Overview, search index open); searches of each size class
typed into the box (1 hit, about 50 hits, 500+ hits or the most the data has: more than
the 100 the refined search shows, the case that refined for ever), Down to the results and
`j`, Enter on a hit and Esc back; every pane 1-6; in Members `s` (sort), `f` (the filter
dialog, open), a filter picked, `p` (preview), `\\` with a letter (narrowing) and Esc; the
palette (ctrl+p) open, then closed; the export dialog (`e`) closed with Esc; help (`?`)
closed with Esc. Each size runs in one explorer session at 100x30 on a warm cache.

    .venv/bin/python -m tests.benchmarks.idle [--code DIR] [--data DIR ...] [--cache DIR] [--idle 10] [--out FILE.md]

Without --data, the bundled data only. `--data DIR` adds a generated dataset (see generate.py),
whose warm cache is `--cache`/cache-10k for a folder data-10k (as run.py's `--work` folder has them;
built first if missing; never a symbolic link: the explorer refuses those). Also part of the suite:
`python -m tests.benchmarks.run --only idle`.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.e2e.harness import OVERVIEW_TEXT, Terminal

from .common import CLK_TCK, Size, cpu_ticks

IDLE = 10.0  # seconds measured at rest
SETTLE = 1.0  # seconds without a byte nor CPU before the rest starts (longer than debounce + refine: 0.52 s)
MAX_SETTLE = 120.0  # an action still busy then is measured anyway, flagged (a first visit at 100k: 40 s niced)
TOAST = 3.0  # seconds a notice stays (the explorer's notify timeouts are 2-3 s)
CPU_LIMIT = 1.0  # % of one core
# Size classes of a search (issue 17): the class's hit range, as (low, high) totals. Data without
# 500 hits for any word (the bundled) gets its most common one: over the 100 hits shown, all the same.
CLASSES = (("1 hit", 1, 1), ("~50 hits", 20, 100), ("500+ hits", 500, 10**9))
# Words tried for each class, in order: the first whose total falls in the class is used.
CANDIDATES = [
    "nvidia",
    "spergel",
    "thurai",
    "zurich",
    "tokyo",
    "dartmouth",
    "cornell",
    "hebrew",
    "meta",
    "osi",
    "eth",
    "cern",
    "ibm",
    "intel",
    "sony",
    "kyoto",
    "open",
    "source",
    "ai",
    "model",
    "data",
    "university",
    "research",
    "safety",
    "policy",
    "foundation",
    "trust",
    "benchmark",
    "alliance",
    "the",
    "a",
]


@dataclass
class Rest:
    """One idle window after an action."""

    action: str
    cpu_percent: float
    bytes: int
    settled: bool  # the screen went quiet before the window (False: still writing at MAX_SETTLE)
    settle_s: float

    @property
    def ok(self) -> bool:
        return self.cpu_percent < CPU_LIMIT and self.bytes == 0


@dataclass
class SizeRun:
    label: str
    queries: dict[str, tuple[str, int]] = field(default_factory=dict)  # class -> (query, total)
    rests: list[Rest] = field(default_factory=list)


def pick_queries(size: Size) -> dict[str, tuple[str, int]]:
    """One query per size class, found with the index's own searcher (the totals the app shows).

    Candidates: the words above, then (for the single hit) the titles of the hits of the most
    common word as phrases, which in generated data are made-up names of one member each."""
    from index.store import open_index

    searcher = open_index(None if size.bundled else size.data_dir, cache=size.warm_cache).searcher()
    totals = {word: searcher.search(word, limit=1, count=True).total for word in CANDIDATES}
    most = max(CANDIDATES, key=lambda w: totals[w])
    for hit in searcher.search(most, limit=20, count=False).hits:
        words = hit.title.replace('"', " ").split()
        for phrase in ('"' + " ".join(words) + '"', '"' + " ".join(words[:2]) + '"'):  # a name; two words
            if len(phrase) > 2 and phrase not in totals:
                totals[phrase] = searcher.search(phrase, limit=1, count=True).total
    out: dict[str, tuple[str, int]] = {}
    for name, low, high in CLASSES:
        found = [w for w in totals if low <= totals[w] <= high]
        if found:
            out[name] = (found[0], totals[found[0]])
        elif name == CLASSES[0][0]:  # no single hit: the rarest query that has any
            rare = min((w for w in totals if totals[w]), key=lambda w: totals[w])
            out[name] = (rare, totals[rare])
        elif name == CLASSES[-1][0]:  # the most hits the data has
            out[name] = (most, totals[most])
    return out


def settle(term: Terminal, pid: int) -> tuple[bool, float]:
    """Wait until the explorer wrote no byte and used no CPU for SETTLE s (at most MAX_SETTLE s).

    CPU too: a first visit of a large pane may compute for seconds before its first byte,
    and that is the action's time, not the rest's. Returns (quiet, seconds waited)."""
    start = time.monotonic()
    size, ticks, since = term.bytes_written(), cpu_ticks(pid), start
    while True:
        time.sleep(0.02)
        now, now_ticks, moment = term.bytes_written(), cpu_ticks(pid), time.monotonic()
        if now != size or now_ticks != ticks:
            size, ticks, since = now, now_ticks, moment
        elif moment - since >= SETTLE:
            return True, moment - start
        if moment - start >= MAX_SETTLE:
            return False, moment - start


def rest(term: Terminal, pid: int, action: str, idle: float) -> Rest:
    """Let the screen settle after `action`, then measure CPU and bytes over `idle` s of quiet."""
    settled, waited = settle(term, pid)
    bytes0, ticks0, t0 = term.bytes_written(), cpu_ticks(pid), time.monotonic()
    time.sleep(idle)
    ticks1, t1, bytes1 = cpu_ticks(pid), time.monotonic(), term.bytes_written()
    cpu = (ticks1 - ticks0) / CLK_TCK / (t1 - t0) * 100
    return Rest(action, round(cpu, 2), bytes1 - bytes0, settled, round(waited, 2))


def one_size(work: Path, size: Size, idle: float, log) -> SizeRun:  # type: ignore[no-untyped-def]
    """One explorer session on `size`: every action, each followed by a window at rest."""
    from .startup import app_child, end_session, launch

    run = SizeRun(size.label, pick_queries(size))
    log(f"idle {size.label}: queries {run.queries}")
    term, *_ = launch(work, "explorer", size, size.warm_cache)
    pid = None
    try:
        term.wait_for(OVERVIEW_TEXT, timeout=180)
        deadline = time.monotonic() + 10
        while pid is None and time.monotonic() < deadline:
            pid = app_child(term.pane_pid(), "alliance")
            time.sleep(0.01)
        if pid is None:
            raise RuntimeError("cannot find the alliance process under the tmux pane")
        term.send("/")
        term.wait_for("Search ready", timeout=600)
        term.send("Escape")
        term.wait_for(OVERVIEW_TEXT)

        def measure(action: str, *keys: str, literal: bool = False, toast: bool = False) -> None:
            if keys:
                if literal:
                    term.tmux("send-keys", "-l", *keys)
                else:
                    term.send(*keys)
            if toast:
                time.sleep(TOAST)  # a notice's own removal is the action's, not the rest's
            result = rest(term, pid, action, idle)
            run.rests.append(result)
            log(
                f"idle {size.label}: {action}: {result.cpu_percent:.2f} % CPU, {result.bytes} B"
                + ("" if result.settled else " (never settled)")
            )

        measure("start-up, Overview")
        for name, (query, _total) in run.queries.items():
            term.send("/")
            term.send("C-u")
            term.wait_quiet(0.3)
            measure(f"search typed, {name} (`{query}`)", query, literal=True)
        measure("search: Down to the results, j", "Down", "j")
        measure("search: Enter on a hit (its detail)", "Enter")
        measure("search: Esc back to the results", "Escape")
        for key, title in zip(
            "123456", ("Overview", "Members", "Quotes", "Timeline", "Search", "Projects"), strict=True
        ):
            measure(f"pane {key} ({title})", key)
        term.send("2")
        measure("Members: s (sort)", "s")
        measure("Members: f (filter dialog open)", "f")
        measure("Members: a filter picked", "j", "Enter")
        measure("Members: p (preview)", "p", toast=True)
        measure("Members: \\ and a letter (narrowing)", "\\", "a")
        measure("Members: Esc (narrowing closed)", "Escape")
        measure("palette open (ctrl+p)", "C-p")
        measure("palette closed (Esc)", "Escape")
        term.send("e")
        measure("export dialog closed (Esc)", "Escape")
        term.send("?")
        measure("help closed (Esc)", "Escape")
    finally:
        end_session(term, pid)
    return run


def render_idle(runs: list[SizeRun], idle: float) -> list[str]:
    """Markdown: one row per action, CPU % and bytes per size; then the worst of each size."""
    lines = [
        f"At rest for {idle:.0f} s after each action (after {SETTLE:.0f} s without a byte nor CPU); "
        f"target: CPU under {CPU_LIMIT:.0f} % of a core and 0 bytes.",
        "",
    ]
    for run in runs:
        queries = ", ".join(f"{name}: `{q}` ({total})" for name, (q, total) in run.queries.items())
        lines.append(f"- {run.label}: {queries}")
    lines += [
        "",
        "| action | " + " | ".join(f"{r.label} CPU % / bytes" for r in runs) + " |",
        "|---|" + "---|" * len(runs),
    ]
    names = [r.action.split(" (`")[0] for r in max(runs, key=lambda run: len(run.rests)).rests]
    for name in names:  # by name: a size may lack a class of search (no query found for it)
        cells = []
        for run in runs:
            r = next((r for r in run.rests if r.action.split(" (`")[0] == name), None)
            if r is None:
                cells.append("–")
                continue
            mark = "" if r.ok else " ✗"
            cells.append(f"{r.cpu_percent:.2f} / {r.bytes}{mark}" + ("" if r.settled else " (busy)"))
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    worst = []
    for run in runs:
        cpu = max(r.cpu_percent for r in run.rests)
        written = sum(r.bytes for r in run.rests)
        bad = sum(not r.ok for r in run.rests)
        worst.append(f"max {cpu:.2f} / total {written}; {bad} over")
    lines.append("| **worst CPU / all bytes** | " + " | ".join(worst) + " |")
    return lines


def measure_idle(work: Path, sizes: list[Size], idle: float, log) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Every size once; the JSON-able result for run.py."""
    runs = [one_size(work, size, idle, log) for size in sizes]
    return {
        "idle_s": idle,
        "settle_s": SETTLE,
        "runs": [
            {
                "size": r.label,
                "queries": {k: list(v) for k, v in r.queries.items()},
                "rests": [dict(rest_.__dict__, ok=rest_.ok) for rest_ in r.rests],
            }
            for r in runs
        ],
        "ok": all(rest_.ok for r in runs for rest_ in r.rests),
        "markdown": render_idle(runs, idle),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.idle", description=__doc__)
    parser.add_argument("--code", type=Path, help="checkout whose explorer runs (default: this one)")
    parser.add_argument("--data", type=Path, action="append", default=[], help="a generated dataset (repeatable)")
    parser.add_argument("--cache", type=Path, help="folder of the warm caches (default: a temporary one)")
    parser.add_argument("--no-bundled", action="store_true", help="skip the bundled data")
    parser.add_argument("--idle", type=float, default=IDLE, help="seconds at rest after each action")
    parser.add_argument("--out", type=Path, help="also write the markdown table here")
    args = parser.parse_args(argv)
    code = (args.code or Path(__file__).resolve().parents[2]).resolve()
    os.environ["PYTHONPATH"] = str(code)  # the explorer in tmux runs this code (see startup.bench_env)

    def log(message: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    from index.files import resolve_data_dir

    from .build import ensure_warm

    with tempfile.TemporaryDirectory(prefix="alliance-idle-") as tmp:
        work = Path(tmp)
        cache = args.cache or work
        bundled = Size("bundled", 0, Path(resolve_data_dir(None)), True, cache / "cache-bundled")
        sizes = [] if args.no_bundled else [bundled]
        for folder in args.data:  # data-10k's cache is cache-10k, as in run.py's scratch folder
            label = folder.name.removeprefix("data-")
            sizes.append(Size(label, 0, folder.resolve(), False, cache / f"cache-{label}"))
        for size in sizes:
            ensure_warm(size, log)
        result = measure_idle(work, sizes, args.idle, log)
    text = "\n".join([f"explorer code: {code}", "", *result["markdown"]])
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
