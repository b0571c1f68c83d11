"""Measure 9: the explorer served over SSH (`alliance serve ssh`, issue 15).

- Time from `ssh` connect to the first frame (asyncssh client with a pty, 100x30, until the
  tab bar is on screen), against the local first frame (the explorer started on a pty here,
  timed the same way); interleaved, best and median of N.
- Many people at once (tests/serve/load.py): each session opens, searches 20 queries and
  moves 200 rows at a person's pace (a letter every 0.2 s, 1 s to read each query's hits, a
  row every 0.25 s); keystroke-to-screen p50/p95/max, per-session RSS, sessions that failed.
  For each count of sessions in --sessions; "sustained" is the largest count whose p95 is
  under 150 ms.

    .venv/bin/python -m tests.benchmarks.serve [--sessions 1,8,16,32] [--repeat 7] [--queries 20 --moves 200]
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import json
import os
import pty
import select
import statistics
import struct
import sys
import tempfile
import termios
import time
from pathlib import Path
from typing import Any

from tests.serve.load import FIRST_SCREEN, explorer_session, run_load, sample_rss
from tests.serve.servers import server_env, start_server

P95_LIMIT_MS = 150.0


def local_first_frame(env: dict[str, str]) -> float:
    """Seconds from exec to the tab bar of an explorer started here on a 100x30 pty."""
    script = Path(sys.executable).with_name("alliance")
    started = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # the child: the explorer on the pty
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        os.execve(str(script), [str(script)], env)
    seen = b""
    try:
        while FIRST_SCREEN not in seen:
            ready, _, _ = select.select([fd], [], [], 60)
            if not ready:
                raise TimeoutError("no first frame in 60 s")
            seen += os.read(fd, 65536)
        took = time.perf_counter() - started
        os.write(fd, b"q")
        try:
            while os.read(fd, 65536):
                pass
        except OSError:
            pass
    finally:
        os.waitpid(pid, 0)
        os.close(fd)
    return took


async def ssh_first_frame(port: int) -> float:
    """Seconds from connecting to the tab bar of a served session (100x30)."""
    started = time.perf_counter()
    async with explorer_session(port, username="bench") as (_conn, process, screen):
        await screen.wait_for(FIRST_SCREEN, 60)
        took = time.perf_counter() - started
        process.stdin.write(b"q")
        await asyncio.wait_for(process.wait_closed(), 20)
    return took


def _spread(values: list[float]) -> dict[str, float]:
    return {"best": min(values), "median": statistics.median(values), "max": max(values), "n": len(values)}


def measure(sessions: list[int], repeat: int, queries: int, moves: int, work: Path) -> dict[str, Any]:
    max_sessions = max(sessions)
    limits = ("--max-sessions", str(max_sessions), "--per-ip", str(max_sessions))
    served = start_server(work / "server", "--open-access", *limits, nice=0)
    results: dict[str, Any] = {}
    try:
        env = {**server_env(work / "local"), "TERM": "xterm-256color"}
        local_first_frame(env)  # untimed: the local cache and bytecode
        asyncio.run(ssh_first_frame(served.port))
        local, remote = [], []
        for _ in range(repeat):
            local.append(local_first_frame(env))
            remote.append(asyncio.run(ssh_first_frame(served.port)))
        results["first_frame"] = {"local": _spread(local), "ssh": _spread(remote)}
        loads = []
        for count in sessions:

            async def one_load(count: int = count) -> tuple[Any, dict[int, float]]:
                stop = asyncio.Event()
                rss = asyncio.ensure_future(sample_rss(served.process.pid, stop))
                result = await run_load(served.port, count, queries=queries, moves=moves)
                stop.set()
                return result, await rss

            result, peak = asyncio.run(one_load())
            sizes = sorted(peak.values()) or [0.0]
            firsts = [p.first_frame_s for p in result.people if p.first_frame_s]
            loads.append(
                {
                    "sessions": count,
                    "keys": len(result.latencies),
                    "p50_ms": result.median_ms(),
                    "p95_ms": result.p95_ms(),
                    "max_ms": 1000 * max(result.latencies) if result.latencies else float("nan"),
                    "p95_by_kind_ms": result.p95_by_kind_ms(),
                    "failed": len(result.failed),
                    "errors": [p.error for p in result.failed][:3],
                    "first_frame_s_max": max(firsts) if firsts else float("nan"),
                    "rss_mb_median": sizes[len(sizes) // 2],
                    "rss_mb_max": sizes[-1],
                    "wall_s": result.wall_s,
                }
            )
            row = loads[-1]
            print(f"  {count} sessions: p95 {row['p95_ms']:.0f} ms, failed {row['failed']}", file=sys.stderr)
        results["load"] = loads
        ok = [row["sessions"] for row in loads if row["p95_ms"] < P95_LIMIT_MS and not row["failed"]]
        results["sustained_sessions"] = max(ok) if ok else 0
    finally:
        served.stop()
    return results


def _first_row(label: str, spread: dict[str, float]) -> str:
    return f"| {label} | {spread['best']:.3f} | {spread['median']:.3f} | {spread['max']:.3f} |"


def table(results: dict[str, Any], queries: int, moves: int) -> str:
    ff = results["first_frame"]
    lines = [
        "## Served over SSH (issue 15)",
        "",
        "| first frame (100x30) | best s | median s | max s |",
        "|---|---|---|---|",
        _first_row("local (exec on a pty)", ff["local"]),
        _first_row("`ssh` connect to first frame", ff["ssh"]),
        "",
        f"Load: each session searches {queries} queries and moves {moves} rows at a person's pace.",
        "",
        "| sessions | keys | p50 ms | p95 ms | max ms | p95 ms by key: letter / clear / move / pane | failed "
        "| slowest first frame s | RSS MB (median/max) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in results["load"]:
        kinds = row.get("p95_by_kind_ms", {})
        by_kind = " / ".join(f"{kinds[k]:.0f}" if k in kinds else "-" for k in ("letter", "clear", "move", "pane"))
        lines.append(
            f"| {row['sessions']} | {row['keys']} | {row['p50_ms']:.0f} | {row['p95_ms']:.0f} | {row['max_ms']:.0f} "
            f"| {by_kind} | {row['failed']} | {row['first_frame_s_max']:.1f} "
            f"| {row['rss_mb_median']:.0f}/{row['rss_mb_max']:.0f} |"
        )
    lines += ["", f"Sessions sustained at keystroke p95 under {P95_LIMIT_MS:.0f} ms: {results['sustained_sessions']}"]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", default="1,8,16,32", help="session counts to load the server with")
    parser.add_argument("--repeat", type=int, default=7, help="first-frame repetitions")
    parser.add_argument("--queries", type=int, default=20)
    parser.add_argument("--moves", type=int, default=200)
    parser.add_argument("--work", type=Path, help="scratch folder (default: a new temporary one)")
    parser.add_argument("--out", type=Path, help="also write the JSON here (and the table next to it as .md)")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="alliance-serve-"))
    sessions = [int(s) for s in args.sessions.split(",") if s.strip()]
    results = measure(sessions, args.repeat, args.queries, args.moves, work)
    text = table(results, args.queries, args.moves)
    print(text)
    if args.out:
        args.out.write_text(json.dumps(results, indent=1), encoding="utf-8")
        args.out.with_suffix(".md").write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
