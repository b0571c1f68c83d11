"""Measures 3b, 4 and 5 in one explorer session per size and repetition (warm index cache):

- peak memory (VmHWM of the alliance process) once the first frame is up and the search
  index is open ("Search ready" after /), and again at the end of the session;
- CPU of the idle explorer over 10 s once start-up has settled (utime+stime delta);
- bytes written to the terminal (tmux pipe-pane) per `j` in the Members pane and per
  letter typed in the search box, each counted from a quiet terminal to a quiet terminal.
"""

from __future__ import annotations

import time
from pathlib import Path

from tests.e2e.harness import OVERVIEW_TEXT, Terminal

from .common import CLK_TCK, Size, cpu_ticks, status_kb, summary
from .startup import app_child, end_session, launch

IDLE_SECONDS = 10.0
J_PRESSES = 10
SEARCH_TEXT = "open source"
QUIET = 0.3  # seconds without output nor CPU: longer than the search debounce (0.12 s)


def settle(term: Terminal, pid: int, before: int, quiet: float = QUIET, timeout: float = 60.0) -> int:
    """Wait for output to start, then for the app to be still (no output, no CPU) for `quiet` s; returns bytes.

    Quiet means both: a letter's echo comes at once but its results only after the
    debounce and the search, and the search thread burns CPU all along.
    """
    deadline = time.monotonic() + timeout
    size = term.bytes_written()
    while size == before and time.monotonic() < deadline:
        time.sleep(0.005)
        size = term.bytes_written()
    ticks = cpu_ticks(pid)
    stable_since = time.monotonic()
    while time.monotonic() - stable_since < quiet and time.monotonic() < deadline:
        time.sleep(0.01)
        now, now_ticks = term.bytes_written(), cpu_ticks(pid)
        if now != size or now_ticks != ticks:
            size, ticks, stable_since = now, now_ticks, time.monotonic()
    return size


def quiet_now(term: Terminal, pid: int, quiet: float = 0.5, timeout: float = 60.0) -> int:
    """Wait until the app has written nothing and used no CPU for `quiet` seconds; returns bytes."""
    deadline = time.monotonic() + timeout
    size, ticks = term.bytes_written(), cpu_ticks(pid)
    stable_since = time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.01)
        now, now_ticks = term.bytes_written(), cpu_ticks(pid)
        if now != size or now_ticks != ticks:
            size, ticks, stable_since = now, now_ticks, time.monotonic()
        elif time.monotonic() - stable_since >= quiet:
            break
    return size


def one_session(work: Path, size: Size) -> dict[str, object]:
    term, _stamp, _called, _marker, _needle = launch(work, "explorer", size, size.warm_cache)
    pid = None
    try:
        pane = term.pane_pid()
        term.wait_for(OVERVIEW_TEXT, timeout=180)
        deadline = time.monotonic() + 10
        while pid is None and time.monotonic() < deadline:
            pid = app_child(pane, "alliance")
            time.sleep(0.01)
        if pid is None:
            raise RuntimeError("cannot find the alliance process under the tmux pane")
        after_frame = status_kb(pid)
        # The search index: "Search ready" in the Search pane's title; Esc goes back to the Overview.
        term.send("/")
        term.wait_for("Search ready", timeout=600)
        term.send("Escape")
        term.wait_for(OVERVIEW_TEXT)
        quiet_now(term, pid, 1.0)
        time.sleep(1.0)
        ready = status_kb(pid)

        # Idle CPU.
        bytes0, ticks0, t0 = term.bytes_written(), cpu_ticks(pid), time.monotonic()
        time.sleep(IDLE_SECONDS)
        ticks1, t1, bytes1 = cpu_ticks(pid), time.monotonic(), term.bytes_written()
        idle_cpu = (ticks1 - ticks0) / CLK_TCK / (t1 - t0) * 100

        # j in the Members pane.
        term.send("2")
        term.wait_for("Members · ")
        size_now = quiet_now(term, pid)
        j_bytes = []
        for _ in range(J_PRESSES):
            term.tmux("send-keys", "j")
            after = settle(term, pid, size_now)
            j_bytes.append(after - size_now)
            size_now = after

        # Letters in the search box.
        term.send("/")
        term.wait_for("Search ready")
        size_now = quiet_now(term, pid)
        typed_from = size_now
        search_bytes = []
        for char in SEARCH_TEXT:
            term.tmux("send-keys", "-l", char)
            after = settle(term, pid, size_now)
            search_bytes.append(after - size_now)
            size_now = after
        end = status_kb(pid)
    finally:
        end_session(term, pid)
    return {
        "vmhwm_after_frame_mb": after_frame.get("VmHWM", 0) / 1024,
        "vmhwm_ready_mb": ready.get("VmHWM", 0) / 1024,
        "vmrss_ready_mb": ready.get("VmRSS", 0) / 1024,
        "vmhwm_end_mb": end.get("VmHWM", 0) / 1024,
        "idle_cpu_percent": idle_cpu,
        "idle_bytes": bytes1 - bytes0,
        "j_bytes": j_bytes,
        "search_bytes": search_bytes,
        "search_bytes_total": size_now - typed_from,
    }


def measure_sessions(
    work: Path,
    sizes: list[Size],
    repeat: int,
    log,  # type: ignore[no-untyped-def]
) -> dict[str, object]:
    out: dict[str, object] = {}
    for size in sizes:
        runs = []
        for rep in range(repeat):
            run = one_session(work, size)
            runs.append(run)
            log(
                f"session {size.label} #{rep + 1}: peak {run['vmhwm_end_mb']:.0f} MB "
                f"(ready {run['vmhwm_ready_mb']:.0f} MB), idle CPU {run['idle_cpu_percent']:.2f} %, "
                f"j {sorted(run['j_bytes'])[len(run['j_bytes']) // 2]} B, "
                f"letter {sorted(run['search_bytes'])[len(run['search_bytes']) // 2]} B"
            )
        j_all = [b for r in runs for b in r["j_bytes"]]  # type: ignore[attr-defined]
        letters_all = [b for r in runs for b in r["search_bytes"]]  # type: ignore[attr-defined]
        out[size.label] = {
            "records": size.records,
            "repeats": len(runs),
            "peak_rss_ready_mb": summary([r["vmhwm_ready_mb"] for r in runs], 1),  # type: ignore[misc]
            "peak_rss_after_frame_mb": summary([r["vmhwm_after_frame_mb"] for r in runs], 1),  # type: ignore[misc]
            "peak_rss_end_mb": summary([r["vmhwm_end_mb"] for r in runs], 1),  # type: ignore[misc]
            "rss_ready_mb": summary([r["vmrss_ready_mb"] for r in runs], 1),  # type: ignore[misc]
            "idle_cpu_percent": summary([r["idle_cpu_percent"] for r in runs], 3),  # type: ignore[misc]
            "idle_bytes": summary([r["idle_bytes"] for r in runs], 0),  # type: ignore[misc]
            "j_bytes": summary(j_all, 0),  # type: ignore[arg-type]
            "j_bytes_mean": round(sum(j_all) / len(j_all), 1),
            "search_letter_bytes": summary(letters_all, 0),  # type: ignore[arg-type]
            "search_letter_bytes_mean": round(
                sum(r["search_bytes_total"] for r in runs) / (len(SEARCH_TEXT) * len(runs)),  # type: ignore[misc]
                1,
            ),
            "search_text": SEARCH_TEXT,
            "quiet_s": QUIET,
            "runs": runs,
        }
    return out
