"""Benchmark suite of the alliance explorer (not part of `pytest`). From the repository root:

    .venv/bin/python -m tests.benchmarks.run            # full: bundled, 1k, 10k, 100k (~15-25 min on 2 cores)
    .venv/bin/python -m tests.benchmarks.run --quick    # bundled, 1k, 10k, 3 repeats (~6-8 min)

Prints markdown tables and writes JSON (default tests/benchmarks/results/latest.json plus a
timestamped copy). See tests/benchmarks/README.md for what each number means.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from .common import ROOT, SOURCE_ENV, SOURCE_ROOT, machine_info, prepare_sizes

RESULTS = SOURCE_ROOT / "tests" / "benchmarks" / "results"
FROZEN_ENV = "ALLIANCE_BENCH_FROZEN"
COPY_IGNORE = (".git", ".venv", "__pycache__", "*.pyc", "results", "__snapshots__", ".*_cache", ".hypothesis", "dist")
DEFAULT_OUT = RESULTS / "latest.json"
MEASURES = ("build", "search", "startup", "session", "bytes", "idle", "cli")
FULL_SIZES = "1000,10000,100000"

# Targets from the issue. Each: (description, how to read the measured value, limit, unit).
TARGET_LARGE = "100k"


def log(message: str) -> None:
    stamp = time.strftime("%H:%M:%S")
    print(f"[{stamp}] {message}", file=sys.stderr, flush=True)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m tests.benchmarks.run",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--sizes", default=FULL_SIZES, help=f"generated dataset sizes in records (default {FULL_SIZES})"
    )
    parser.add_argument("--repeat", type=int, help="repetitions of fast measures (default 5; 3 with --quick)")
    parser.add_argument(
        "--slow-repeat", type=int, help="repetitions of slow measures: builds, cold starts, app sessions (default 3)"
    )
    parser.add_argument("--quick", action="store_true", help="bundled + 1k + 10k only, 3 repeats")
    parser.add_argument(
        "--out", type=Path, help=f"JSON output (default {DEFAULT_OUT.relative_to(SOURCE_ROOT)} + a copy)"
    )
    parser.add_argument(
        "--only", default=",".join(MEASURES), help=f"comma-separated subset of {', '.join(MEASURES)} (default all)"
    )
    parser.add_argument("--seed", type=int, default=7, help="generator seed (default 7)")
    parser.add_argument("--work", type=Path, help="scratch folder for datasets and caches (default: a new one in /tmp)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    parser.add_argument(
        "--live",
        action="store_true",
        help="measure the working tree as it changes (default: a copy of it taken when the run starts)",
    )
    parser.add_argument(
        "--cold-wait", type=float, default=420.0, help="seconds a cold start waits for the app's index (default 420)"
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes = "1000,10000"
    args.size_list = [int(s) for s in args.sizes.split(",") if s.strip()]
    fast_default = 3 if args.quick else 5
    args.fast = args.repeat or fast_default
    args.slow = args.slow_repeat or min(args.fast, 3)
    args.measures = [m.strip() for m in args.only.split(",") if m.strip()]
    unknown = set(args.measures) - set(MEASURES)
    if unknown:
        parser.error(f"unknown measure(s) {', '.join(sorted(unknown))}; use {', '.join(MEASURES)}")
    return args


# -- report ------------------------------------------------------------------------------------------


def _fmt(value: Any, digits: int = 3) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)


def _spread(stat: dict[str, Any], digits: int = 3, scale: float = 1.0) -> str:
    if not stat or stat.get("median") is None:
        return "–"
    med, lo, hi = (stat[k] * scale for k in ("median", "min", "max"))
    if stat.get("n", 0) <= 1:
        return f"{med:.{digits}f}"
    return f"{med:.{digits}f} ({lo:.{digits}f}–{hi:.{digits}f})"


def render(report: dict[str, Any]) -> str:
    m = report["machine"]
    lines = [
        f"# alliance explorer benchmarks — {m['date']}",
        "",
        f"commit {m['git_commit']}{' (dirty)' if m['git_dirty'] else ''} · Python {m['python']} · "
        f"textual {m['textual']} · whoosh {m['whoosh']} · SQLite {m['sqlite']} · {m['tmux']} · "
        f"{m['cpu_count']} CPUs ({m['cpu_model']}) · {m['memory_mb']} MB RAM · kernel {m['kernel']} · "
        f"load average {m['loadavg_start'][0]:.2f} at the start, {m['loadavg_end'][0]:.2f} at the end",
        "",
        f"mode: {report['config']['mode']} · sizes: {', '.join(report['config']['labels'])} · "
        f"repeats: {report['config']['repeat']} fast / {report['config']['slow_repeat']} slow · "
        f"total {report['elapsed_seconds'] / 60:.1f} min",
        "",
        "Values are median (min–max) over the repetitions.",
    ]
    res = report["results"]
    if "startup" in res:
        lines += [
            "",
            "## 1. Time to first frame in tmux (s, from exec to the panes on screen; data: the Overview's text)",
            "",
            "| run | n | first frame | × minimal | data on screen | index opened at | opened before frame | "
            "cold: data snapshot at | cold: build started at | cold: meta.json at |",
            "|---|---|---|---|---|---|---|---|---|---|",
        ]
        for key, row in res["startup"].items():
            opened = "–"
            if "index_open_seen" in row:
                opened = f"{row['index_before_frame']}/{row['repeats']}"
                if row["index_open_seen"] < row["repeats"]:
                    opened += f" (open seen {row['index_open_seen']}/{row['repeats']})"
            lines.append(
                f"| {key} | {row['repeats']} | {_spread(row['first_frame_s'])} | {_fmt(row.get('ratio_to_minimal'), 2)}"
                f" | {_spread(row.get('data_shown_s', {}))} | {_spread(row.get('index_open_s', {}))}"
                f" | {opened} | {_spread(row.get('snapshot_s', {}))}"
                f" | {_spread(row.get('build_start_s', {}))}"
                f" | {_spread(row.get('meta_json_s', {}))} |"
            )
    if "search" in res:
        lines += [
            "",
            "## 2. Search latency per keystroke (ms), the Search pane's search call vs SQLite FTS5",
            "",
            "| size | records | keystrokes × passes | whoosh p50 / p95 / p99 | whoosh p95 per pass | "
            "FTS5 p50 / p95 / p99 | whoosh ÷ FTS5 p50 / p95 / p99 |",
            "|---|---|---|---|---|---|---|",
        ]
        for label, row in res["search"].items():
            w, f, r = row["whoosh"], row["fts5"], row["ratio_whoosh_fts5"]
            lines.append(
                f"| {label} | {row['records']} | {row['keystrokes']} × {row['passes']} "
                f"| {w['p50_ms']:.1f} / {w['p95_ms']:.1f} / {w['p99_ms']:.1f} "
                f"| {_spread(row['whoosh_p95_per_pass_ms'], 1)} "
                f"| {f['p50_ms']:.2f} / {f['p95_ms']:.2f} / {f['p99_ms']:.2f} "
                f"| {_fmt(r['p50_ms'], 0)} / {_fmt(r['p95_ms'], 0)} / {_fmt(r['p99_ms'], 0)} |"
            )
    if "build" in res:
        lines += [
            "",
            "## 3a. Cold index build (subprocess, empty cache)",
            "",
            "| size | documents | n | build s | docs/s | peak RSS MB | on disk MB | load s (not in build) |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for label, row in res["build"].items():
            lines.append(
                f"| {label} | {row['documents']} | {row['repeats']} | {_spread(row['build_seconds'], 2)} "
                f"| {_spread(row['docs_per_second'], 0)} | {_spread(row['peak_rss_mb'], 0)} "
                f"| {row['disk_bytes'] / 1e6:.1f} | {_spread(row['load_seconds'], 2)} |"
            )
    if "session" in res:
        lines += [
            "",
            "## 3b, 4, 5. The running explorer (warm cache, 100x30 tmux)",
            "",
            "| size | n | peak RSS MB, index ready | peak RSS MB, end | idle CPU % (10 s) | idle bytes "
            "| bytes per j | bytes per search letter |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for label, row in res["session"].items():
            lines.append(
                f"| {label} | {row['repeats']} | {_spread(row['peak_rss_ready_mb'], 0)} "
                f"| {_spread(row['peak_rss_end_mb'], 0)} | {_spread(row['idle_cpu_percent'], 2)} "
                f"| {_spread(row['idle_bytes'], 0)} | {_spread(row['j_bytes'], 0)}, mean {row['j_bytes_mean']:.0f} "
                f"| {_spread(row['search_letter_bytes'], 0)}, mean {row['search_letter_bytes_mean']:.0f} |"
            )
    if "bytes" in res:
        from .screen_bytes import QUIET, render_bytes

        lines += [
            "",
            f"## 7. Bytes to the terminal per action, bundled data (from a quiet screen to {QUIET:g} s without a byte)",
            "",
            *render_bytes(res["bytes"]),
        ]
    if "idle" in res:
        lines += ["", "## 8. At rest after every action, in every pane", "", *res["idle"]["markdown"]]
    if "cli" in res:
        from .cli import render_cli

        lines += [
            "",
            "## 9. The `alliance` command, piped, warm cache (s from exec to exit; best / median)",
            "",
            *render_cli(res["cli"]),
        ]
    if report.get("targets"):
        lines += ["", "## Targets (from the issue)", "", "| target | measured | limit | ok |", "|---|---|---|---|"]
        for t in report["targets"]:
            ok = "–" if t["ok"] is None else ("yes" if t["ok"] else "**no**")
            lines.append(f"| {t['target']} | {t['measured']} | {t['limit']} | {ok} |")
    if report.get("notes"):
        lines += ["", "## Notes", ""] + [f"- {n}" for n in report["notes"]]
    return "\n".join(lines) + "\n"


def targets(res: dict[str, Any], large: str) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    big = large if large == TARGET_LARGE else f"{large} (target set for {TARGET_LARGE})"

    def add(target: str, value: float | None, limit: float, unit: str, digits: int = 2, *, at_most: bool = True):  # type: ignore[no-untyped-def]
        ok = None if value is None else (value <= limit if at_most else value >= limit)
        shown = "–" if value is None else f"{value:.{digits}f} {unit}".strip()
        out.append(
            {"target": target, "measured": shown, "limit": f"{limit:g} {unit}".strip(), "ok": ok, "value": value}
        )

    startup = res.get("startup", {})
    if "explorer bundled warm" in startup:
        add("warm start, bundled ÷ minimal app", startup["explorer bundled warm"]["ratio_to_minimal"], 1.15, "×")
    if "explorer bundled warm, French" in startup:
        ratio = startup["explorer bundled warm, French"]["ratio_to_minimal"]
        add("warm start in French, bundled ÷ minimal app", ratio, 1.15, "×")
    search = res.get("search", {})
    if "bundled" in search:
        add("search p95, bundled", search["bundled"]["whoosh"]["p95_ms"], 16, "ms", 1)
    if large in search:
        add(f"search p95, {big}", search[large]["whoosh"]["p95_ms"], 50, "ms", 1)
    if f"explorer {large} warm" in startup:
        warm_large = startup[f"explorer {large} warm"]
        add(f"warm start, {big}: first frame", warm_large["first_frame_s"]["median"], 0.5, "s")
        if "data_shown_s" in warm_large:
            add(f"warm start, {big}: data on screen", warm_large["data_shown_s"]["median"], 1.5, "s")
    warm, cold = startup.get(f"explorer {large} warm"), startup.get(f"explorer {large} cold")
    if warm and cold:
        ratio = cold["first_frame_s"]["median"] / warm["first_frame_s"]["median"]
        add(f"cold start {big} shows panes at once (cold ÷ warm first frame)", ratio, 1.15, "×")
        opened_first = cold.get("index_before_frame", 0)
        out.append(
            {
                "target": f"cold start {big}: index not built before the first frame",
                "measured": f"{opened_first}/{cold['repeats']} runs opened it before",
                "limit": "0",
                "ok": opened_first == 0,
                "value": opened_first,
            }
        )
    build = res.get("build", {})
    if large in build:
        add(f"index build, {big}", build[large]["build_seconds"]["median"], 120, "s", 1)
    session = res.get("session", {})
    if session:
        worst = max(session, key=lambda k: session[k]["peak_rss_end_mb"]["median"])
        add(f"explorer memory (largest: {worst})", session[worst]["peak_rss_end_mb"]["median"], 500, "MB", 0)
        idle = max(row["idle_cpu_percent"]["median"] for row in session.values())
        add("idle CPU (worst size)", idle, 1, "%")
        j = max(row["j_bytes"]["median"] for row in session.values())
        add("bytes per j (worst size)", j, 2048, "B", 0)
    for run in res.get("idle", {}).get("runs", []):
        rests = run["rests"]
        add(f"CPU at rest after any action, {run['size']} (worst)", max(r["cpu_percent"] for r in rests), 1, "%")
        add(f"bytes at rest after any action, {run['size']} (all)", sum(r["bytes"] for r in rests), 0, "B", 0)
    if "cli" in res:
        from .cli import cli_targets

        out += cli_targets(res["cli"], large)
    for check in res.get("bytes", {}).get("targets", []):
        # A run's target is its mean per press (the group says so); the others, the worst action.
        how = "" if check["group"].endswith(", mean") else " (worst action)"
        add(f"bytes per {check['group']} at {check['geometry']}{how}", check["value"], check["limit"], "B", 0)
    return out


# -- main ----------------------------------------------------------------------------------------------


def run_frozen(args: argparse.Namespace, argv: list[str], work: Path) -> int:
    """Run the suite on a copy of the checkout taken now, so edits made during a 25-minute run
    (or a commit landing) do not mix two versions of the code into one table."""
    code = work / "code"
    machine = machine_info()  # before the copy: the commit copied is the one described
    shutil.rmtree(code, ignore_errors=True)
    shutil.copytree(ROOT, code, ignore=shutil.ignore_patterns(*COPY_IGNORE), symlinks=True)
    log(f"measuring a copy of the checkout in {code} (--live measures the working tree itself)")
    env = {
        **os.environ,
        FROZEN_ENV: json.dumps(machine),
        SOURCE_ENV: str(SOURCE_ROOT),
        "PYTHONPATH": os.pathsep.join([str(code), *filter(None, [os.environ.get("PYTHONPATH")])]),
    }
    # argparse keeps the last of repeated options: these override the user's, made absolute.
    child = [*argv, "--work", str(work.resolve())]
    if args.out is not None:
        child += ["--out", str(args.out.resolve())]
    proc = subprocess.Popen([sys.executable, "-m", "tests.benchmarks.run", *child], cwd=code, env=env)
    try:
        try:
            return proc.wait()
        except KeyboardInterrupt:  # the child got it too: let it close its tmux servers
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
            raise
    finally:
        if not args.keep and not args.work:
            shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not args.live and not os.environ.get(FROZEN_ENV):
        work = args.work or Path(tempfile.mkdtemp(prefix="alliance-bench-", dir="/tmp"))
        work.mkdir(parents=True, exist_ok=True)
        return run_frozen(args, list(sys.argv[1:] if argv is None else argv), work)
    started = time.monotonic()
    # Bytecode as an installed package has it (pip compiles at install): otherwise, with
    # PYTHONDONTWRITEBYTECODE set or a fresh copy, every start would compile the app from source.
    for package in ("index", "tui"):
        compileall.compile_dir(str(ROOT / package), quiet=1)
    # The commit measured: the one checked out when the run started (and was copied).
    frozen = os.environ.get(FROZEN_ENV)
    machine = json.loads(frozen) if frozen else machine_info()
    machine["loadavg_start"] = [round(x, 2) for x in os.getloadavg()]
    work = args.work or Path(tempfile.mkdtemp(prefix="alliance-bench-", dir="/tmp"))
    work.mkdir(parents=True, exist_ok=True)
    # Never the user's cache, config or dataset: everything in-process lives under `work` too.
    os.environ.pop("ALLIANCE_DATA", None)
    os.environ["ALLIANCE_CACHE"] = str(work / "cache-default")
    os.environ["ALLIANCE_CONFIG"] = str(work / "config")
    log(f"scratch folder {work}")
    if not shutil.which("tmux") and {"startup", "session", "bytes", "idle"} & set(args.measures):
        log("tmux is not installed: skipping the terminal measures (startup, session, bytes, idle)")
        args.measures = [m for m in args.measures if m not in ("startup", "session", "bytes", "idle")]
    notes: list[str] = []
    results: dict[str, Any] = {}
    phases: dict[str, float] = {}
    try:
        sizes = prepare_sizes(work, args.size_list, args.seed, log)
        labels = [s.label for s in sizes]
        large = TARGET_LARGE if TARGET_LARGE in labels else labels[-1]

        phase = time.monotonic()
        if "build" in args.measures:
            from .build import LONG_BUILD, measure_builds

            results["build"] = measure_builds(sizes, args.slow, log)
            for label, row in results["build"].items():
                if row["note"]:
                    notes.append(f"build {label}: {row['note']}")
            del LONG_BUILD
        else:
            from .build import ensure_warm

            for size in sizes:
                ensure_warm(size, log)
        phases["build"] = time.monotonic() - phase

        phase = time.monotonic()
        if "search" in args.measures:
            from .keystrokes import measure_search

            results["search"] = {s.label: measure_search(s, args.fast, args.seed, log) for s in sizes}
            for label, row in results["search"].items():
                if row["note"]:
                    notes.append(f"search {label}: {row['note']}")
            phases["search"] = time.monotonic() - phase

        phase = time.monotonic()
        if "startup" in args.measures:
            from .startup import measure_startup

            results["startup"] = measure_startup(work, sizes, args.fast, args.slow, log, cold_wait=args.cold_wait)
            for key, row in results["startup"].items():
                if row.get("note"):
                    notes.append(f"first frame, {key}: {row['note']}")
                if key.endswith("cold") and row.get("index_open_seen", 0) < row["repeats"]:
                    notes.append(
                        f"first frame, {key}: the app's index was not seen open within --cold-wait "
                        f"{args.cold_wait:.0f} s in {row['repeats'] - row.get('index_open_seen', 0)} run(s)"
                    )
            phases["startup"] = time.monotonic() - phase

        phase = time.monotonic()
        if "session" in args.measures:
            from .session import measure_sessions

            results["session"] = measure_sessions(work, sizes, args.slow, log)
            phases["session"] = time.monotonic() - phase

        phase = time.monotonic()
        if "bytes" in args.measures:
            from .screen_bytes import measure_bytes

            results["bytes"] = measure_bytes(work, sizes[0], log)  # the bundled data
            phases["bytes"] = time.monotonic() - phase

        phase = time.monotonic()
        if "idle" in args.measures:
            from .idle import IDLE, measure_idle

            results["idle"] = measure_idle(work, sizes, IDLE, log)
            phases["idle"] = time.monotonic() - phase

        phase = time.monotonic()
        if "cli" in args.measures:
            from .cli import measure_cli

            results["cli"] = measure_cli(sizes, args.fast, log, work=work)
            phases["cli"] = time.monotonic() - phase
    finally:
        if not args.keep and not args.work:
            shutil.rmtree(work, ignore_errors=True)

    notes.append(
        "first frame: from the pane's shell about to exec the program (a `date` stamp) to capture-pane showing "
        "the marker, polled every ~10 ms; cold = empty index cache (OS file cache and bytecode stay warm)"
    )
    notes.append(
        "index opened at: first time /proc/<pid>/fd or maps shows a file of the final index folder; "
        "meta.json at: the cold build renamed into place (the app has no hook that reports these)"
    )
    notes.append(
        "per keystroke, FTS5 fetches the top 60 by bm25 with a snippet and counts every match; Whoosh finds "
        "the best 30 within 30 ms without counting, and also stems, highlights and retries with typo tolerance"
    )
    machine["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    end = machine_info()
    machine["git_commit_end"], machine["git_tree_end"] = end["git_commit"], end["git_tree"]
    if (end["git_commit"], end["git_tree"]) != (machine["git_commit"], machine["git_tree"]):
        a, b = machine["git_commit"], end["git_commit"]
        change = f"commit {a} -> {b}" if a != b else f"uncommitted edits to tracked files of {a}"
        if frozen:
            edits = " with its uncommitted edits" if machine["git_dirty"] else ""
            notes.insert(
                0,
                f"the checkout changed during the run ({change}); the run measured a copy taken at its start, "
                f"so every number is of {a}{edits}",
            )
        else:
            notes.insert(
                0, f"the checkout changed during the run ({change}) and --live was given: later measures ran newer code"
            )
    report = {
        "schema": 1,
        "machine": machine,
        "config": {
            "mode": "quick" if args.quick else ("full" if args.sizes == FULL_SIZES else "custom"),
            "sizes": args.size_list,
            "labels": [s.label for s in sizes],
            "records": {s.label: s.records for s in sizes},
            "repeat": args.fast,
            "slow_repeat": args.slow,
            "measures": args.measures,
            "seed": args.seed,
            "frozen_copy": bool(os.environ.get(FROZEN_ENV)),
            "code_measured": str(Path(sys.modules["index"].__file__ or "").resolve().parents[1])
            if "index" in sys.modules
            else "",
            "argv": sys.argv[1:] if argv is None else argv,
        },
        "elapsed_seconds": round(time.monotonic() - started, 1),
        "phase_seconds": {k: round(v, 1) for k, v in phases.items()},
        "results": results,
        "targets": targets(results, large),
        "notes": notes,
    }
    text = render(report)
    print(text)
    out = args.out or DEFAULT_OUT
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    out.with_suffix(".md").write_text(text, encoding="utf-8")
    written = [out, out.with_suffix(".md")]
    if args.out is None:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        copy = RESULTS / f"{stamp}-{report['machine']['git_commit']}.json"
        shutil.copyfile(out, copy)
        written.append(copy)
    log(
        "wrote "
        + ", ".join(str(p.relative_to(SOURCE_ROOT)) if p.is_relative_to(SOURCE_ROOT) else str(p) for p in written)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
