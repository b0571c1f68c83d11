"""Measure 3a: cold index build time, throughput, on-disk size and the builder's peak memory."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

from .common import ROOT, Size, python, remove_tree, summary, tree_bytes

LONG_BUILD = 60.0  # seconds: a build longer than this is not repeated (time budget)


def one_build(size: Size, cache: Path) -> dict[str, object]:
    """A cold build into `cache` (emptied first) in a child process; its peak RSS from wait4."""
    remove_tree(cache)
    cache.mkdir(parents=True)
    data = "-" if size.bundled else str(size.data_dir)
    env = {**os.environ, "ALLIANCE_CACHE": str(cache)}
    env.pop("ALLIANCE_DATA", None)
    started = time.perf_counter()
    proc = subprocess.Popen(
        [python(), "-m", "tests.benchmarks.build_worker", data, str(cache)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    out = proc.stdout.read() if proc.stdout else b""
    err = proc.stderr.read() if proc.stderr else b""
    _pid, status, rusage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"build of {size.label} failed ({proc.returncode}): {err.decode(errors='replace')[-2000:]}")
    result = json.loads(out.decode().strip().splitlines()[-1])
    apparent, allocated = tree_bytes(Path(result["index_path"]))
    result.update(
        process_seconds=wall,
        maxrss_kb=rusage.ru_maxrss,  # this child only (wait4), kB on Linux
        cpu_seconds=rusage.ru_utime + rusage.ru_stime,
        disk_bytes=apparent,
        disk_allocated_bytes=allocated,
    )
    return result


def measure_builds(sizes: list[Size], repeat: int, log) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """Build each size `repeat` times (once if a build takes over LONG_BUILD s); the last build stays warm."""
    out: dict[str, object] = {}
    for size in sizes:
        runs = []
        for rep in range(repeat):
            run = one_build(size, size.warm_cache)
            runs.append(run)
            log(
                f"build {size.label} #{rep + 1}: {run['build_seconds']:.2f} s, "
                f"{run['documents'] / run['build_seconds']:.0f} docs/s, peak {run['maxrss_kb'] / 1024:.0f} MB, "
                f"{run['disk_bytes'] / 1e6:.1f} MB on disk"
            )
            if run["build_seconds"] > LONG_BUILD:
                break
        warm_snapshot(size, log)
        out[size.label] = {
            "records": size.records,
            "documents": runs[0]["documents"],
            "repeats": len(runs),
            "build_seconds": summary([r["build_seconds"] for r in runs]),
            "writer_seconds": summary([r["writer_seconds"] for r in runs]),
            "load_seconds": summary([r["load_seconds"] for r in runs]),
            "docs_per_second": summary([r["documents"] / r["build_seconds"] for r in runs], 1),
            "peak_rss_mb": summary([r["maxrss_kb"] / 1024 for r in runs], 1),
            "cpu_seconds": summary([r["cpu_seconds"] for r in runs], 2),
            "disk_bytes": runs[-1]["disk_bytes"],
            "disk_allocated_bytes": runs[-1]["disk_allocated_bytes"],
            "note": "" if len(runs) == repeat else f"built once: a build over {LONG_BUILD:.0f} s is not repeated",
        }
    return out


def ensure_warm(size: Size, log) -> None:  # type: ignore[no-untyped-def]
    """Make sure the size's warm cache holds an index (when the build measure was skipped) and a snapshot."""
    from index.store import open_index

    started = time.perf_counter()
    size.warm_cache.mkdir(parents=True, exist_ok=True)
    # The index the explorer would have: large ones built by two processes, as its build child does.
    opened = open_index(None if size.bundled else size.data_dir, cache=size.warm_cache, parallel=True)
    if opened.built:
        log(f"built the warm index for {size.label} in {time.perf_counter() - started:.1f} s")
    warm_snapshot(size, log)


def warm_snapshot(size: Size, log) -> bool:  # type: ignore[no-untyped-def]
    """Write the parsed-data snapshot the explorer starts from, if this version of it has one."""
    try:
        from index.snapshot import load_cached
    except ImportError:
        return False
    started = time.perf_counter()
    _dataset, cached = load_cached(None if size.bundled else size.data_dir, cache=size.warm_cache)
    if not cached:
        log(f"wrote the parsed-data snapshot for {size.label} in {time.perf_counter() - started:.1f} s")
    return True
