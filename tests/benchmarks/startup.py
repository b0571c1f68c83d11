"""Measure 1: time to first frame in a real terminal (tmux), explorer against a minimal Textual app.

The clock starts when the pane's shell is about to run the program (`date +%s.%N`
written to a file just before it) and stops when capture-pane, polled every ~10 ms,
first shows the marker: the pane tabs ("1 Overview") for the explorer, a label's text
for the minimal app. For the explorer, "data on screen" is when the Overview's text
("Founders") shows too: in the same frame for small data; later for large data, which is
loaded behind the panes (parsed on a cold start, decoded from its snapshot on a warm one).

While polling, the explorer's process is watched too:
- the CPU time it had used (utime + stime, all threads) when the frame and the data showed:
  unlike the wall clock, barely changed by other load on the machine;
- index opened: the first time /proc/<pid>/fd or /proc/<pid>/maps shows a file of the
  final index folder (`<cache>/<fingerprint[:20]>/`), i.e. Whoosh has the index open;
- cold runs only: when a `.build-*` folder appears in the cache (build started),
  when `<folder>/meta.json` appears (the build was renamed into place: index ready),
  and when the parsed-data snapshot (`dataset-*.msgpack`, written after the data are
  parsed, on versions of the explorer that keep one) appears.
The explorer has no hook that reports these itself, so they come from the outside.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import signal
import time
import uuid
from pathlib import Path

from tests.e2e.harness import OVERVIEW_TEXT, Terminal, alliance_command

from .common import CLK_TCK, Size, children, cmdline, cpu_ticks, open_paths, python, remove_tree, summary
from .minimal_app import MARKER as MINIMAL_MARKER

MINIMAL_APP = Path(__file__).with_name("minimal_app.py")
FAST_POLL = 0.01
SLOW_POLL = 0.1
WARM_OPEN_WAIT = 10.0  # seconds after the first frame to wait for a warm index to be opened
PANES_MARKER = "1 Overview"  # the tab bar: the explorer's panes are up
# The same markers in French (issue 16: the first frame within 1.15x in both languages).
FRENCH_MARKERS = ("1 Aperçu", "Fondateurs")


def bench_env(work: Path, cache: Path, lang: str = "en") -> dict[str, str]:
    config = work / "config"
    config.mkdir(parents=True, exist_ok=True)
    env = {
        "ALLIANCE_CACHE": str(cache),
        "ALLIANCE_CONFIG": str(config),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "ALLIANCE_LANG": lang,
    }
    if os.environ.get("PYTHONPATH"):  # the frozen copy of the code (run.py): the app must run it too
        env["PYTHONPATH"] = os.environ["PYTHONPATH"]
    return env


def app_child(pane_pid: int, needle: str) -> int | None:
    """The program the pane's shell started (not a forked copy of the shell, not `date`)."""
    for pid in children(pane_pid):
        argv = cmdline(pid)
        first = os.path.basename(argv.split(" ", 1)[0])
        if needle in argv and first not in ("sh", "dash", "bash", "date"):
            return pid
    return None


def end_session(term: Terminal, pid: int | None) -> None:
    """Kill the tmux server, and make sure the program we started is gone before the next run."""
    term.close()
    # tmux leaves its socket file behind: remove ours (hundreds of runs would litter /tmp/tmux-UID).
    socket_dir = Path(os.environ.get("TMUX_TMPDIR") or "/tmp") / f"tmux-{os.getuid()}"
    with contextlib.suppress(OSError):
        (socket_dir / term.socket).unlink()
    if not pid:
        return
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and os.path.exists(f"/proc/{pid}"):
        time.sleep(0.02)
    if os.path.exists(f"/proc/{pid}"):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def launch(
    work: Path,
    program: str,
    size: Size | None,
    cache: Path,
    *,
    width: int = 100,
    height: int = 30,
    lang: str = "en",
) -> tuple[Terminal, Path, float, str, str]:
    """Start the explorer (or the minimal app) in a fresh tmux; returns the terminal and timing anchors."""
    stamp = work / f"t0-{uuid.uuid4().hex[:8]}"
    if program == "minimal":
        command = f"{shlex.quote(python())} {shlex.quote(str(MINIMAL_APP))}"
        marker, needle = MINIMAL_MARKER, "minimal_app"
    else:
        args = " ".join(shlex.quote(a) for a in (size.data_args() if size else []))
        command = f"{alliance_command()} {args}".strip()
        marker, needle = PANES_MARKER if lang == "en" else FRENCH_MARKERS[0], "alliance"
    term = Terminal(work, width=width, height=height)
    called = time.time()
    term.start(f"date +%s.%N > {shlex.quote(str(stamp))}; {command}", env=bench_env(work, cache, lang))
    return term, stamp, called, marker, needle


def exec_time(stamp: Path, fallback: float) -> float:
    try:
        return float(stamp.read_text().strip())
    except (OSError, ValueError):
        return fallback


def first_frame(
    work: Path,
    program: str,
    size: Size | None,
    cache: Path,
    *,
    cold: bool,
    timeout: float = 120.0,
    index_wait: float = 0.0,
    lang: str = "en",
) -> dict[str, object]:
    """One start: seconds from exec to the marker on screen, and when the index was opened/built."""
    folder = None
    if program != "minimal" and size is not None:
        from index.store import fingerprint

        folder = cache / fingerprint(None if size.bundled else size.data_dir)[:20]
    term, stamp, called, marker, needle = launch(work, program, size, cache, lang=lang)
    overview_text = OVERVIEW_TEXT if lang == "en" else FRENCH_MARKERS[1]
    pid: int | None = None
    frame = opened = build_start = meta_at = snapshot_at = data_at = None
    cpu_frame = cpu_data = None  # CPU seconds the program had used then: a measure load barely skews
    try:
        pane = term.pane_pid()
        deadline = called + timeout
        while True:
            before = time.time()
            screen = term.screen()
            now = time.time()
            if pid is None:
                pid = app_child(pane, needle)
            if frame is None and marker in screen:
                frame = (before + now) / 2  # the screen was captured during the call
                cpu_frame = _cpu_seconds(pid)
            if data_at is None and frame is not None and (program == "minimal" or overview_text in screen):
                data_at = frame if program == "minimal" else (before + now) / 2
                cpu_data = _cpu_seconds(pid)
            if frame is None and "__EXIT__" in screen:
                raise RuntimeError(f"{program} exited before its first frame:\n{screen}")
            if folder is not None:
                if cold and (build_start is None or snapshot_at is None):
                    names = [p.name for p in _entries(cache)]
                    if build_start is None and any(n.startswith(".build-") for n in names):
                        build_start = now
                    if snapshot_at is None and any(n.startswith("dataset-") for n in names):
                        snapshot_at = now
                if cold and meta_at is None and (folder / "meta.json").exists():
                    meta_at = now
                if pid and opened is None and open_paths(pid, str(folder) + "/"):
                    opened = now
            if frame is not None and data_at is not None:
                if folder is None or opened is not None:
                    break
                if not cold and now - frame > WARM_OPEN_WAIT:
                    break
                if cold and now - frame > index_wait:
                    break
            elif now > deadline:
                raise RuntimeError(f"no {marker!r} after {timeout} s:\n{screen}")
            time.sleep(FAST_POLL if frame is None or now - frame < 2 else SLOW_POLL)
    finally:
        end_session(term, pid)
    t0 = exec_time(stamp, called)
    stamp.unlink(missing_ok=True)

    def rel(t: float | None) -> float | None:
        return None if t is None else round(t - t0, 4)

    return {
        "first_frame_s": rel(frame),
        "data_shown_s": rel(data_at),
        "cpu_at_frame_s": cpu_frame,
        "cpu_at_data_s": cpu_data,
        "tmux_to_exec_s": round(t0 - called, 4),
        "index_open_s": rel(opened),
        "build_start_s": rel(build_start),
        "meta_json_s": rel(meta_at),
        "snapshot_s": rel(snapshot_at),
        "index_before_frame": _before(frame, opened, meta_at, cold=cold, watched=folder is not None),
    }


def _cpu_seconds(pid: int | None) -> float | None:
    """utime + stime of the program so far (all its threads; 1/CLK_TCK resolution), or None."""
    if not pid:
        return None
    try:
        return round(cpu_ticks(pid) / CLK_TCK, 3)
    except (OSError, ValueError, IndexError):
        return None


def _before(frame: float, opened: float | None, meta_at: float | None, *, cold: bool, watched: bool) -> bool | None:
    """Was the index open (warm) or built (cold) before the first frame? None when unknown.

    A cold cache has no index until meta.json appears, and meta.json was polled before
    every screen capture: if it was not there when the frame showed, the answer is no.
    """
    if not watched:
        return None
    if cold:
        return meta_at is not None and meta_at <= frame
    return None if opened is None else opened < frame


def _entries(path: Path) -> list[os.DirEntry[str]]:
    try:
        return list(os.scandir(path))
    except OSError:
        return []


def _row(runs: list[dict[str, object]], note: str = "") -> dict[str, object]:
    frames = [float(r["first_frame_s"]) for r in runs]  # type: ignore[arg-type]
    out: dict[str, object] = {"repeats": len(runs), "first_frame_s": summary(frames)}
    shown = [float(r["data_shown_s"]) for r in runs if r.get("data_shown_s") is not None]  # type: ignore[arg-type]
    if shown:
        out["data_shown_s"] = summary(shown)
    for key in ("cpu_at_frame_s", "cpu_at_data_s"):
        cpu = [float(r[key]) for r in runs if r.get(key) is not None]  # type: ignore[arg-type]
        if cpu:
            out[key] = summary(cpu)
    opened = [float(r["index_open_s"]) for r in runs if r.get("index_open_s") is not None]  # type: ignore[arg-type]
    if any(r.get("index_before_frame") is not None for r in runs) or opened:
        out["index_open_s"] = summary(opened)
        out["index_before_frame"] = sum(1 for r in runs if r.get("index_before_frame"))
        out["index_open_seen"] = len(opened)
    metas = [float(r["meta_json_s"]) for r in runs if r.get("meta_json_s") is not None]  # type: ignore[arg-type]
    starts = [float(r["build_start_s"]) for r in runs if r.get("build_start_s") is not None]  # type: ignore[arg-type]
    snaps = [float(r["snapshot_s"]) for r in runs if r.get("snapshot_s") is not None]  # type: ignore[arg-type]
    if metas or starts or snaps:
        out["build_start_s"] = summary(starts)
        out["meta_json_s"] = summary(metas)
        out["snapshot_s"] = summary(snaps)
    out["runs"] = runs
    if note:
        out["note"] = note
    return out


def measure_startup(
    work: Path,
    sizes: list[Size],
    repeat: int,
    slow_repeat: int,
    log,  # type: ignore[no-untyped-def]
    cold_single_from: int = 100_000,
    cold_wait: float = 420.0,
) -> dict[str, object]:
    """Warm and cold starts of the explorer at each size, and the minimal app, interleaved per repetition."""
    results: dict[str, list[dict[str, object]]] = {}
    notes: dict[str, str] = {}
    cold_root = work / "cold"

    def run(key: str, program: str, size: Size | None, cold: bool, lang: str = "en") -> None:
        if cold:
            assert size is not None
            cache = cold_root / f"{size.label}-{uuid.uuid4().hex[:6]}"
            cache.mkdir(parents=True)
        else:
            cache = size.warm_cache if size else work / "cache-none"
        try:
            one = first_frame(work, program, size, cache, cold=cold, index_wait=cold_wait if cold else 0, lang=lang)
        finally:
            if cold:
                remove_tree(cache)
        results.setdefault(key, []).append(one)
        extra = ""
        if one.get("index_open_s") is not None:
            extra = f", index open at {one['index_open_s']:.3f} s"
        if one.get("meta_json_s") is not None:
            extra += f", meta.json at {one['meta_json_s']:.3f} s"
        log(f"first frame {key} #{len(results[key])}: {one['first_frame_s']:.3f} s{extra}")

    # The floor and the bundled explorer, interleaved so that drift hits both alike.
    for _ in range(repeat):
        run("minimal", "minimal", None, False)
        run("explorer bundled warm", "explorer", sizes[0], False)
        run("explorer bundled warm, French", "explorer", sizes[0], False, "fr")
        run("explorer bundled cold", "explorer", sizes[0], True)
    for size in sizes[1:]:
        for _ in range(repeat):
            run(f"explorer {size.label} warm", "explorer", size, False)
        cold_reps = 1 if size.records >= cold_single_from else slow_repeat
        if cold_reps == 1 and slow_repeat > 1:
            notes[f"explorer {size.label} cold"] = "1 repetition: each cold start waits for a full index build"
        for _ in range(cold_reps):
            run(f"explorer {size.label} cold", "explorer", size, True)

    out: dict[str, object] = {key: _row(runs, notes.get(key, "")) for key, runs in results.items()}
    floor = out["minimal"]["first_frame_s"]["median"]  # type: ignore[index]
    for key, row in out.items():
        if key != "minimal":
            row["ratio_to_minimal"] = round(row["first_frame_s"]["median"] / floor, 2)  # type: ignore[index]
    return out
