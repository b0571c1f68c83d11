"""Measure 7: bytes written to the terminal per action, at 80x24, 100x30 and 200x60 (what crosses SSH).

The explorer runs on the bundled data in a private tmux (the e2e harness), whose
`pipe-pane` records every byte the program writes. Once start-up has settled (search
index open), each action is a key (or a few) sent with `send-keys`; its bytes are
counted from a quiet screen until the screen is quiet again: no byte for QUIET
seconds, longer than the search's debounce and refine delay (0.12 s + 0.4 s), so a
letter's echo, its results and their completion all count. An action whose screen
does not go quiet within MAX_WAIT is cut there and flagged ("not quiet").

Actions, in this order: each letter of `open source` typed in the search box; Down to
the results and `j` there; pane switches 1→2→3→4→5→6; in Members `j`, `s` (sort), `f`
(the filter dialog) and picking a filter (`j` Enter in the dialog), Enter on a member
and `j` in its detail; `j` in Quotes and in Timeline; then `open source` typed again at 10 keys/s
(the search box coalesces: results are painted when typing pauses), counted as one action.

A long run of `j` that scrolls (issue 17): once the cursor is past the bottom of the Members
list's first view, RUN_PRESSES more presses, each counted (quiet after RUN_QUIET s: `j` has no
debounce); the table gives the bytes per `j` over the run (total / presses) and the worst
press. A list scrolls by a line at each press past its bottom, or by half a page when the
cursor leaves the view (vim's `scrolljump`): a costly press, then half a page of cheap ones.
The same in the search results (RUN_PRESSES_HITS presses) and in a member's detail (wrapped
text: j scrolls it line by line for reading).

Run on its own (about 5 minutes), for the code of this checkout or of another one:

    .venv/bin/python -m tests.benchmarks.screen_bytes [--code DIR] [--sizes 80x24,100x30,200x60] [--out FILE.md]

or as part of the suite: `python -m tests.benchmarks.run --only bytes`.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.e2e.harness import OVERVIEW_TEXT, Terminal

from .common import Size

GEOMETRIES = ((80, 24), (100, 30), (200, 60))
STARTUP_GEOMETRY = (100, 30)  # start-up bytes are also measured here, in a session of their own (issue 17)
SCROLL_PRESSES = 3  # `j` past the bottom of a list: each scrolls it by a line
QUIET = 1.0  # seconds without a byte: longer than the search's debounce + refine delay (0.52 s)
START_WAIT = 1.5  # seconds for the first byte of an action: some write nothing (j at the end)
MAX_WAIT = 8.0  # an action whose screen is not quiet by then is cut and flagged
J_PRESSES = 4
SEARCH_TEXT = "open source"
KEY_PAUSE = 0.3  # between the keys of one action (e.g. j then Enter in the filter dialog)
BURST_PAUSE = 0.1  # between the letters typed as a typist types them (the search coalesces them)
RUN_PRESSES = 60  # a long run of `j` in Members, each press past the first view's bottom
RUN_PRESSES_HITS = 30  # the same in the search results (fewer: a hit takes several lines)
RUN_PRESSES_DETAIL = 30  # and in a member's detail (reading: line by line)
RUN_QUIET = 0.3  # seconds without a byte ends one press of a run (j has no debounce or refine)

# Targets from issues 14 and 17 (bytes): (what, geometry or None for all, limit).
TARGETS = (
    ("start-up", (100, 30), 30720),  # issue 17
    ("search keystroke", (80, 24), 2048),
    ("search keystroke", (200, 60), 5120),
    ("j", None, 1024),
    ("pane switch", (80, 24), 8192),
)
# Targets on the mean of a group. Issue 17's "a one-line scroll under 1.5 KB (half-page scroll
# when the cursor leaves the view)": bytes per `j` over a run that scrolls, since the press that
# scrolls half a page costs a repaint of the list and the next half page of presses two rows.
MEAN_TARGETS = (("scroll run: Members", None, 1536), ("scroll run: search results", None, 1536))


@dataclass
class Measured:
    """Bytes of one action, and whether its screen went quiet within MAX_WAIT."""

    name: str
    group: str  # "start-up", "search keystroke", "j", "one-line scroll", "pane switch", "other", "scroll run: …"
    bytes: int
    quiet: bool
    seconds: float


@dataclass
class GeometryRun:
    width: int
    height: int
    actions: list[Measured] = field(default_factory=list)
    startup_bytes: int = 0

    def by_group(self, group: str) -> list[Measured]:
        return [a for a in self.actions if a.group == group]


def measure_action(
    term: Terminal, keys: list[str], *, literal: bool = False, pause: float = KEY_PAUSE, quiet: float = QUIET
) -> tuple[int, bool, float]:
    """Send keys (`pause` s apart), then count bytes until none came for `quiet` s.

    Returns (bytes, quiet, seconds)."""
    before = term.bytes_written()
    start = time.monotonic()
    for number, key in enumerate(keys):
        if number:
            time.sleep(pause)
        term.tmux("send-keys", *(["-l"] if literal else []), key)
    size, last_change = before, time.monotonic()
    deadline_first = last_change + START_WAIT
    while True:
        time.sleep(0.01)
        now = term.bytes_written()
        moment = time.monotonic()
        if now != size:
            size, last_change = now, moment
        if size == before and moment < deadline_first:
            continue  # nothing written yet
        if moment - last_change >= quiet:
            return size - before, True, last_change - start
        if moment - start >= MAX_WAIT:
            return size - before, False, moment - start


def wait_quiet(term: Terminal, quiet: float = QUIET, timeout: float = 30.0) -> bool:
    """Wait until nothing was written for `quiet` s; False if the screen never went quiet."""
    deadline = time.monotonic() + timeout
    size, since = term.bytes_written(), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.02)
        now = term.bytes_written()
        if now != size:
            size, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return True
    return False


def one_geometry(work: Path, size: Size, width: int, height: int, log) -> GeometryRun:  # type: ignore[no-untyped-def]
    """One explorer session at width x height: every action measured once (j J_PRESSES times)."""
    from .startup import app_child, end_session, launch

    run = GeometryRun(width, height)
    term, *_ = launch(work, "explorer", size, size.warm_cache, width=width, height=height)
    pid = None
    try:
        term.wait_for(OVERVIEW_TEXT, timeout=120)
        pid = app_child(term.pane_pid(), "alliance")
        # Start-up: every byte until the Overview with its data is quiet.
        started = time.monotonic()
        quiet = wait_quiet(term)
        run.actions.append(
            Measured(
                "start-up (Overview, quiet)",
                "start-up",
                term.bytes_written(),
                quiet,
                round(time.monotonic() - started, 2),
            )
        )
        # The search index open ("Search ready" in the Search pane), the box focused and empty.
        term.send("/")
        term.wait_for("Search ready", timeout=600)
        if not wait_quiet(term):
            log(f"bytes {width}x{height}: the screen never went quiet after start-up")
        run.startup_bytes = term.bytes_written()

        def act(name: str, group: str, keys: list[str], *, literal: bool = False, pause: float = KEY_PAUSE) -> None:
            count, quiet, seconds = measure_action(term, keys, literal=literal, pause=pause)
            run.actions.append(Measured(name, group, count, quiet, round(seconds, 2)))

        def unmeasured(*keys: str) -> None:
            term.send(*keys)
            wait_quiet(term)

        def scroll_run(where: str, presses: int) -> None:
            """`j` pressed `presses` times, each counted until RUN_QUIET s without a byte."""
            for n in range(presses):
                count, quiet, seconds = measure_action(term, ["j"], quiet=RUN_QUIET)
                run.actions.append(
                    Measured(f"j run in {where} #{n + 1}", f"scroll run: {where}", count, quiet, seconds)
                )

        for char in SEARCH_TEXT:
            act(f"type {char!r}", "search keystroke", [char], literal=True)
        act("Down to the results", "other", ["Down"])
        for n in range(J_PRESSES):
            act(f"j in search results #{n + 1}", "j", ["j"])
        unmeasured(*["j"] * height)  # the cursor at the bottom of the view
        for n in range(SCROLL_PRESSES):
            act(f"j past the bottom, search results #{n + 1}", "one-line scroll", ["j"])
        scroll_run("search results", RUN_PRESSES_HITS)
        # Pane switches. The search has results, so 5 focuses them (not the box) and 6 switches.
        unmeasured("1")
        for a, b in zip("12345", "23456", strict=True):
            act(f"pane {a}→{b}", "pane switch", [b])
        unmeasured("2")
        for n in range(J_PRESSES):
            act(f"j in Members #{n + 1}", "j", ["j"])
        unmeasured(*["j"] * height)
        for n in range(SCROLL_PRESSES):
            act(f"j past the bottom, Members #{n + 1}", "one-line scroll", ["j"])
        scroll_run("Members", RUN_PRESSES)
        unmeasured("g")  # back to the top: the filter below picks from the first rows
        act("s (sort) in Members", "other", ["s"])
        act("f (filter dialog) in Members", "other", ["f"])
        act("j Enter: a filter picked", "other", ["j", "Enter"])
        act("Enter: a member's detail", "other", ["Enter"])
        for n in range(J_PRESSES):
            act(f"j in a detail #{n + 1}", "j", ["j"])
        scroll_run("a detail", RUN_PRESSES_DETAIL)
        unmeasured("Escape")
        unmeasured("3")
        for n in range(J_PRESSES):
            act(f"j in Quotes #{n + 1}", "j", ["j"])
        unmeasured(*["j"] * height)
        for n in range(SCROLL_PRESSES):
            act(f"j past the bottom, Quotes #{n + 1}", "one-line scroll", ["j"])
        unmeasured("4")
        for n in range(J_PRESSES):
            act(f"j in Timeline #{n + 1}", "j", ["j"])
        unmeasured(*["j"] * height)
        for n in range(SCROLL_PRESSES):
            act(f"j past the bottom, Timeline #{n + 1}", "one-line scroll", ["j"])
        # A typist: the letters BURST_PAUSE s apart, into an empty box.
        unmeasured("/")
        unmeasured("C-u")  # an empty box: the results go
        act(
            f"typing `{SEARCH_TEXT}` at {1 / BURST_PAUSE:.0f} keys/s, total",
            "burst",
            list(SEARCH_TEXT),
            literal=True,
            pause=BURST_PAUSE,
        )
    finally:
        end_session(term, pid)
    return run


def startup_only(work: Path, size: Size, width: int, height: int) -> GeometryRun:
    """A session that only starts: bytes until the Overview with its data is quiet."""
    from .startup import app_child, end_session, launch

    run = GeometryRun(width, height)
    term, *_ = launch(work, "explorer", size, size.warm_cache, width=width, height=height)
    pid = None
    try:
        started = time.monotonic()
        term.wait_for(OVERVIEW_TEXT, timeout=120)
        pid = app_child(term.pane_pid(), "alliance")
        quiet = wait_quiet(term)
        seconds = round(time.monotonic() - started, 2)
        run.actions.append(Measured("start-up (Overview, quiet)", "start-up", term.bytes_written(), quiet, seconds))
    finally:
        end_session(term, pid)
    return run


def _measured(
    runs: list[GeometryRun], group: str, geometry: tuple[int, int] | None
) -> Iterator[tuple[str, list[Measured]]]:
    """('WxH', the group's actions) for each run of that geometry (any, for None) that measured the group."""
    for run in runs:
        if geometry is not None and (run.width, run.height) != geometry:
            continue
        actions = run.by_group(group)
        if actions:
            yield f"{run.width}x{run.height}", actions


def check_targets(runs: list[GeometryRun]) -> list[dict[str, Any]]:
    """The issue's targets against the worst action of each kind."""
    out = []
    for group, geometry, limit in TARGETS:
        for where, actions in _measured(runs, group, geometry):
            worst = max(actions, key=lambda a: a.bytes)
            out.append(
                {
                    "target": f"{group} ≤ {limit} B at {where}",
                    "group": group,
                    "geometry": where,
                    "worst": f"{worst.bytes} B ({worst.name})",
                    "value": worst.bytes,
                    "limit": limit,
                    "ok": worst.bytes <= limit and all(a.quiet for a in actions),
                }
            )
    for group, geometry, limit in MEAN_TARGETS:
        for where, actions in _measured(runs, group, geometry):
            mean = sum(a.bytes for a in actions) / len(actions)
            out.append(
                {
                    "target": f"one-line scroll ({group}): bytes per j over {len(actions)} ≤ {limit} B at {where}",
                    "group": f"j over a run ({group.removeprefix('scroll run: ')}), mean",
                    "geometry": where,
                    "worst": f"{mean:.0f} B per j (worst press {max(a.bytes for a in actions)} B)",
                    "value": round(mean),
                    "limit": limit,
                    "ok": mean <= limit and all(a.quiet for a in actions),
                }
            )
    return out


def measure_bytes(work: Path, size: Size, log, geometries=GEOMETRIES) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Every geometry once; the JSON-able result for run.py."""
    runs = []
    if STARTUP_GEOMETRY not in geometries:
        log(f"bytes: start-up at {STARTUP_GEOMETRY[0]}x{STARTUP_GEOMETRY[1]}")
        runs.append(startup_only(work, size, *STARTUP_GEOMETRY))
    for width, height in geometries:
        log(f"bytes: {width}x{height}")
        run = one_geometry(work, size, width, height, log)
        runs.append(run)
        log(f"bytes {width}x{height}: start-up {run.by_group('start-up')[0].bytes} B")
        log(
            f"bytes {width}x{height}: search key max {max(a.bytes for a in run.by_group('search keystroke'))} B, "
            f"j max {max(a.bytes for a in run.by_group('j'))} B, "
            f"pane switch max {max(a.bytes for a in run.by_group('pane switch'))} B"
        )
    return {
        "quiet_s": QUIET,
        "max_wait_s": MAX_WAIT,
        "search_text": SEARCH_TEXT,
        "runs": [
            {
                "geometry": f"{r.width}x{r.height}",
                "startup_bytes": r.startup_bytes,
                "actions": [a.__dict__ for a in r.actions],
            }
            for r in runs
        ],
        "targets": check_targets(runs),
    }


def render_bytes(result: dict[str, Any]) -> list[str]:
    """Markdown: one row per action, one column per geometry; then the targets."""
    runs = result["runs"]
    lines = [
        "| action | " + " | ".join(f"bytes at {r['geometry']}" for r in runs) + " |",
        "|---|" + "---|" * len(runs),
    ]
    # Rows by name, in the order of the longest run (a start-up-only session has one row).
    longest = max(runs, key=lambda r: len(r["actions"]))["actions"]
    names = [a["name"] for a in longest if not a["group"].startswith("scroll run")]  # runs: summed below
    for name in names:
        cells = []
        for r in runs:
            a = next((a for a in r["actions"] if a["name"] == name), None)
            cells.append("–" if a is None else f"{a['bytes']}" + ("" if a["quiet"] else " (not quiet)"))
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    groups = ("start-up", "search keystroke", "j", "one-line scroll", "pane switch")
    for group in groups:
        cells = []
        for r in runs:
            values = [a["bytes"] for a in r["actions"] if a["group"] == group]
            cells.append(f"max {max(values)}, mean {sum(values) / len(values):.0f}" if values else "–")
        lines.append(f"| **{group}: max, mean** | " + " | ".join(cells) + " |")
    run_groups = list(dict.fromkeys(a["group"] for a in longest if a["group"].startswith("scroll run")))
    for group in run_groups:
        cells = []
        for r in runs:
            values = [a["bytes"] for a in r["actions"] if a["group"] == group]
            quiet = all(a["quiet"] for a in r["actions"] if a["group"] == group)
            cells.append(
                f"{sum(values) / len(values):.0f} per j (total {sum(values)} / {len(values)}), worst {max(values)}"
                + ("" if quiet else " (not quiet)")
                if values
                else "–"
            )
        lines.append(f"| **{group}: bytes per j over the run, worst press** | " + " | ".join(cells) + " |")
    totals = []
    for r in runs:
        typed = [a["bytes"] for a in r["actions"] if a["group"] == "search keystroke"]
        totals.append(f"{sum(typed)}")
    lines.append(f"| **typing `{result['search_text']}`, total** | " + " | ".join(totals) + " |")
    lines += ["", "| target | worst | ok |", "|---|---|---|"]
    for t in result["targets"]:
        lines.append(f"| {t['target']} | {t['worst']} | {'yes' if t['ok'] else '**no**'} |")
    return lines


def bundled_size(work: Path) -> Size:
    """The bundled dataset, with a cache of its own under `work` (the explorer builds its index there)."""
    from index.files import resolve_data_dir

    return Size("bundled", 0, Path(resolve_data_dir(None)), True, work / "cache-bytes")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmarks.screen_bytes", description=__doc__)
    parser.add_argument("--code", type=Path, help="checkout whose explorer runs (default: this one)")
    parser.add_argument(
        "--sizes", default=",".join(f"{w}x{h}" for w, h in GEOMETRIES), help="terminal sizes WxH, comma-separated"
    )
    parser.add_argument("--out", type=Path, help="also write the markdown table here")
    args = parser.parse_args(argv)
    geometries = [tuple(int(n) for n in s.lower().split("x")) for s in args.sizes.split(",") if s.strip()]
    code = (args.code or Path(__file__).resolve().parents[2]).resolve()
    os.environ["PYTHONPATH"] = str(code)  # the explorer in tmux runs this code (see startup.bench_env)

    def log(message: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory(prefix="alliance-bytes-") as tmp:
        work = Path(tmp)
        result = measure_bytes(work, bundled_size(work), log, geometries)  # type: ignore[arg-type]
    text = "\n".join(
        [f"explorer code: {code}; quiet = {QUIET} s without a byte; cut at {MAX_WAIT} s", "", *render_bytes(result)]
    )
    print(text)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
