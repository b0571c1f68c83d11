"""Shared pieces of the benchmark suite: statistics, machine facts, datasets, /proc readers."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the code being measured (a frozen copy, see run.py)
SOURCE_ENV = "ALLIANCE_BENCH_SOURCE"
# The checkout the run was started from: git facts and results belong to it.
SOURCE_ROOT = Path(os.environ.get(SOURCE_ENV) or ROOT)
CLK_TCK = os.sysconf("SC_CLK_TCK")


# -- statistics ----------------------------------------------------------------------------------


def summary(values: list[float], digits: int = 4) -> dict[str, object]:
    """Median and spread (min-max) of repeated measurements, with the raw values."""
    if not values:
        return {"n": 0, "median": None, "min": None, "max": None, "values": []}
    return {
        "n": len(values),
        "median": round(statistics.median(values), digits),
        "min": round(min(values), digits),
        "max": round(max(values), digits),
        "values": [round(v, digits) for v in values],
    }


def percentile(values: list[float], p: float) -> float:
    """The p-th percentile (0-100), linear between closest ranks."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    rank = (len(ordered) - 1) * p / 100
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


# -- machine ---------------------------------------------------------------------------------------


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _mem_total_mb() -> int | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) // 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def _run(*args: str) -> str:
    try:
        done = subprocess.run(args, capture_output=True, text=True, timeout=10, check=False, cwd=SOURCE_ROOT)
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def _version(module: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(module)
    except PackageNotFoundError:
        return "not installed"


def machine_info() -> dict[str, object]:
    import sqlite3

    import whoosh

    commit = _run("git", "rev-parse", "--short=12", "HEAD")
    changes = _run("git", "diff", "HEAD")  # tracked files' uncommitted edits
    dirty = bool(changes)
    return {
        "date": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "python_implementation": platform.python_implementation(),
        "textual": _version("textual"),
        "rich": _version("rich"),
        "whoosh": whoosh.versionstring(),
        "sqlite": sqlite3.sqlite_version,
        "tmux": _run("tmux", "-V") or "not installed",
        "cpu_count": os.cpu_count(),
        "cpu_affinity": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "cpu_model": _cpu_model(),
        "memory_mb": _mem_total_mb(),
        "kernel": platform.release(),
        "system": platform.system(),
        "machine": platform.machine(),
        "git_commit": commit or "unknown",
        "git_dirty": dirty,
        "git_tree": hashlib.sha256(changes.encode()).hexdigest()[:12] if dirty else "",
    }


# -- datasets --------------------------------------------------------------------------------------


@dataclass
class Size:
    """One dataset the suite measures: the bundled one or a generated one."""

    label: str  # "bundled", "1k", "10k", "100k"
    records: int  # members + quotes + events + topics
    data_dir: Path
    bundled: bool
    warm_cache: Path  # holds a built index once the build measurement (or prepare_cache) ran
    counts: dict[str, int] = field(default_factory=dict)

    def data_args(self) -> list[str]:
        """Command-line arguments that pick this dataset (none for the bundled one, like a user)."""
        return [] if self.bundled else ["--data", str(self.data_dir)]


def size_label(records: int) -> str:
    if records % 1000 == 0:
        return f"{records // 1000}k"
    return str(records)


def prepare_sizes(work: Path, sizes: list[int], seed: int, log) -> list[Size]:  # type: ignore[no-untyped-def]
    """The bundled dataset plus one generated dataset per size, under `work`."""
    from index import load_dataset
    from index.files import resolve_data_dir

    from .generate import generate

    bundled_dir = resolve_data_dir(None)
    dataset = load_dataset(bundled_dir)
    counts = dataset.counts()
    out = [Size("bundled", sum(counts.values()), Path(bundled_dir), True, work / "cache-bundled", counts)]
    for records in sizes:
        label = size_label(records)
        target = work / f"data-{label}"
        started = time.perf_counter()
        if not (target / "alliance.toml").exists():
            generate(target, records, seed)
        counts = count_records(target)
        log(f"dataset {label}: {sum(counts.values())} records in {time.perf_counter() - started:.1f} s -> {target}")
        out.append(Size(label, sum(counts.values()), target, False, work / f"cache-{label}", counts))
    return out


def count_records(data_dir: Path) -> dict[str, int]:
    """Records of a generated dataset, counted from its table headers (parsing 100k records takes long)."""
    counts = dict.fromkeys(("members", "quotes", "events", "topics"), 0)
    headers = {"[[member]]": "members", "[[quote]]": "quotes", "[[event]]": "events", "[[alliance.topic]]": "topics"}
    for path in data_dir.glob("*.toml"):
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                kind = headers.get(line.strip())
                if kind:
                    counts[kind] += 1
    return counts


def load_size(size: Size):  # type: ignore[no-untyped-def]
    """The size's dataset, from the explorer's parsed-data snapshot in its warm cache when there is one."""
    data_dir = None if size.bundled else size.data_dir
    try:
        from index.snapshot import load_cached
    except ImportError:
        from index import load_dataset

        return load_dataset(data_dir)
    return load_cached(data_dir, cache=size.warm_cache)[0]


def remove_tree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def tree_bytes(path: Path) -> tuple[int, int]:
    """(apparent size, allocated size) of every file under path, in bytes."""
    apparent = allocated = 0
    for folder, _dirs, files in os.walk(path):
        for name in files:
            try:
                st = os.stat(os.path.join(folder, name))
            except OSError:
                continue
            apparent += st.st_size
            allocated += st.st_blocks * 512
    return apparent, allocated


# -- processes -------------------------------------------------------------------------------------


def children(pid: int) -> list[int]:
    """Direct children of a process (from /proc/<pid>/task/*/children)."""
    out: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for task in tasks:
        try:
            out += [int(c) for c in Path(f"/proc/{pid}/task/{task}/children").read_text().split()]
        except (OSError, ValueError):
            continue
    return out


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def find_child(parent: int, needle: str) -> int | None:
    """The child of `parent` whose command line contains `needle`."""
    for pid in children(parent):
        if needle in cmdline(pid):
            return pid
    return None


def wait_child(parent: int, needle: str, timeout: float = 10.0) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pid = find_child(parent, needle)
        if pid:
            return pid
        time.sleep(0.005)
    raise RuntimeError(f"no child of {parent} running {needle!r}")


def status_kb(pid: int) -> dict[str, int]:
    """VmHWM, VmRSS and friends from /proc/<pid>/status, in kB."""
    out = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("Vm") or line.startswith("Rss"):
                key, _, rest = line.partition(":")
                parts = rest.split()
                if parts and parts[0].isdigit():
                    out[key] = int(parts[0])
    except OSError:
        pass
    return out


def cpu_ticks(pid: int) -> int:
    """utime + stime of a process (all its threads), in clock ticks."""
    raw = Path(f"/proc/{pid}/stat").read_text()
    fields = raw[raw.rindex(")") + 2 :].split()  # after "pid (comm) "
    return int(fields[11]) + int(fields[12])  # fields 14 and 15 of stat(5)


def open_paths(pid: int, under: str) -> bool:
    """True if the process has a file under `under` open or mapped."""
    try:
        for fd in os.listdir(f"/proc/{pid}/fd"):
            try:
                if os.readlink(f"/proc/{pid}/fd/{fd}").startswith(under):
                    return True
            except OSError:
                continue
        with open(f"/proc/{pid}/maps", encoding="utf-8", errors="replace") as maps:
            return any(under in line for line in maps)
    except OSError:
        return False


def python() -> str:
    return sys.executable
