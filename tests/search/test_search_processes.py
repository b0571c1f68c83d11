"""The index cache across processes: a killed build, two builds at once, `alliance index ...`."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from index.store import fingerprint, open_index
from tests.builders import BUNDLED

from .helpers import REPO, build_folders, child_env, index_folders, refs, run_cli

# Builds and searches in child processes, killed or racing each other: the slow lane.
pytestmark = pytest.mark.slow

# A build whose progress callback sleeps: slow enough to be killed half-way.
SLOW_BUILD = """
import sys, time
from pathlib import Path
from index.store import open_index

def progress(done, total):
    print("progress", done, total, flush=True)
    time.sleep(1.0)

open_index(sys.argv[1], cache=Path(sys.argv[2]), progress=progress)
print("finished", flush=True)
"""

# A build that waits, half-way, until the other builder is half-way too (a file barrier).
BARRIER_BUILD = """
import json, os, sys, time
from pathlib import Path
from index.store import open_index

data, cache, barrier = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
state = {"met": False, "builds_seen": 0}

def progress(done, total):
    if state["builds_seen"]:
        return
    def meet(phase):
        (barrier / f"{phase}-{os.getpid()}").write_text("here")
        deadline = time.time() + 20
        while len(list(barrier.glob(phase + "-*"))) < 2 and time.time() < deadline:
            time.sleep(0.01)
        return len(list(barrier.glob(phase + "-*"))) >= 2

    state["met"] = meet("halfway")
    state["builds_seen"] = len([p for p in cache.glob(".build-*") if p.is_dir()])
    meet("counted")  # neither goes on (and renames its folder away) before both have counted

opened = open_index(data, cache=cache, progress=progress)
print(json.dumps({"fingerprint": opened.info.fingerprint, "path": opened.info.path,
                  "notice": opened.notice, **state}))
"""


def _wait_for(predicate, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return False


def _spawn(*args: str, cache: Path) -> subprocess.Popen:
    """This Python running ARGS in the repository with an isolated cache; text pipes."""
    return subprocess.Popen(
        [sys.executable, *args],
        env=child_env(cache),
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_killed_build_leaves_nothing_trusted(cache, small_data):
    child = _spawn("-c", SLOW_BUILD, str(small_data), str(cache), cache=cache)
    try:
        # Wait until the build is under way: its temporary folder exists and documents are going in.
        assert _wait_for(lambda: build_folders(cache) != []), "no .build-* folder appeared"
        assert child.stdout.readline().startswith("progress")
    finally:
        child.send_signal(signal.SIGKILL)
        out, err = child.communicate(timeout=30)
    assert child.returncode == -signal.SIGKILL
    assert "finished" not in out, err
    dead = build_folders(cache)
    # The folder and its lock file (no PID in the name: the kernel dropped the flock with the process).
    assert [p.name for p in dead] == [dead[0].name, f"{dead[0].name}.lock"] and dead[0].is_dir(), dead
    assert index_folders(cache) == [], "a killed build must not leave a trusted index"
    # Only the parsed-data snapshot (checksummed, written before the build started) may be there.
    assert [p for p in cache.iterdir() if not p.name.startswith((".", "dataset-"))] == []

    opened = open_index(small_data, cache=cache)
    assert opened.built is True
    assert build_folders(cache) == [], "the dead build folder is swept"
    assert index_folders(cache) == [Path(opened.info.path)]
    from index.search import Searcher

    searcher = Searcher(opened.ix)
    assert refs(searcher.search("acme")) == ["member:acme"]
    searcher.close()


def test_two_builds_at_once(cache, small_data, tmp_path):
    barrier = tmp_path / "barrier"
    barrier.mkdir()
    children = [_spawn("-c", BARRIER_BUILD, str(small_data), str(cache), str(barrier), cache=cache) for _ in range(2)]
    outputs = [child.communicate(timeout=60) for child in children]
    for child, (_, err) in zip(children, outputs, strict=True):
        assert child.returncode == 0, err
        assert "Traceback" not in err
    reports = [json.loads(out.strip().splitlines()[-1]) for out, _ in outputs]
    # The two builds really overlapped: both were half-way at the same time.
    assert all(r["met"] for r in reports), reports
    assert all(r["builds_seen"] == 2 for r in reports), reports
    assert reports[0]["fingerprint"] == reports[1]["fingerprint"] == fingerprint(small_data)
    assert reports[0]["path"] == reports[1]["path"] == str(cache / fingerprint(small_data)[:20])
    assert [r["notice"] for r in reports] == ["", ""]
    assert index_folders(cache) == [cache / fingerprint(small_data)[:20]]
    assert build_folders(cache) == []
    assert open_index(small_data, cache=cache).built is False


def test_two_cli_builds_at_once(cache):
    children = [_spawn("-m", "tui", "index", "build", cache=cache) for _ in range(2)]
    outputs = [child.communicate(timeout=60) for child in children]
    expected = str(cache / fingerprint(BUNDLED)[:20])
    for child, (out, err) in zip(children, outputs, strict=True):
        assert child.returncode == 0, err
        assert err == ""
        assert re.fullmatch(rf"(built|reused) index of 356 documents in [0-9.]+ s at {re.escape(expected)}\n", out), out
    assert index_folders(cache) == [Path(expected)]
    assert build_folders(cache) == []


def test_index_commands(cache):
    fp = fingerprint(BUNDLED)
    folder = cache / fp[:20]

    built = run_cli("index", "build", cache=cache)
    assert built.returncode == 0, built.stderr
    assert built.stdout.startswith("built index of 356 documents in ")
    assert built.stdout.rstrip().endswith(f"at {folder}")

    reused = run_cli("index", "build", cache=cache)
    assert reused.returncode == 0
    assert reused.stdout.startswith("reused index of 356 documents")

    info = run_cli("index", "info", cache=cache)
    assert info.returncode == 0, info.stderr
    lines = dict(line.split(": ", 1) for line in info.stdout.splitlines())
    assert lines["path"] == str(folder)
    assert lines["documents"] == "356 (141 members, 89 quotes, 50 events, 10 topics, 30 projects, 17 groups, 19 people)"
    assert lines["fingerprint"] == fp
    assert lines["cache"] == str(cache)
    assert lines["engine"].startswith("whoosh ")
    assert info.stderr == ""

    forced = run_cli("index", "build", "--force", cache=cache)
    assert forced.returncode == 0
    assert forced.stdout.startswith("built index of 356 documents")

    snapshot = next(p for p in cache.iterdir() if p.name.startswith("dataset-"))
    cleared = run_cli("index", "clear", cache=cache)
    assert cleared.returncode == 0, cleared.stderr
    # Every path removed, then the count (the parsed-data snapshot goes too).
    assert cleared.stdout == (
        f"removed {folder}\nremoved {snapshot}\nremoved 1 index folder and 1 snapshot from {cache}\n"
    ), cleared.stdout
    assert cleared.stderr == ""
    assert index_folders(cache) == [] and not folder.exists()

    again = run_cli("index", "clear", cache=cache)
    assert again.returncode == 0
    assert again.stdout == f"removed 0 index folders from {cache}\n"


def test_index_info_with_an_unwritable_cache(tmp_path, small_data):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    info = run_cli("index", "info", "--data", str(small_data), cache=blocker / "cache")
    assert info.returncode == 0, info.stderr
    assert "path: (in memory)" in info.stdout.splitlines()
    notice = info.stderr.splitlines()
    assert len(notice) == 1 and "in-memory" in notice[0]


def test_a_parallel_build_gives_the_same_answers(tmp_path, small_data, monkeypatch):
    """The CLI's large builds use Whoosh's multi-process writer (two segments): same documents,
    same hits, and the index verifies like any other."""
    from whoosh.index import FileIndex

    from index import store

    serial = open_index(small_data, cache=tmp_path / "serial")
    monkeypatch.setattr(store, "PARALLEL_BUILD", 1)
    asked: list[dict] = []
    real_writer = FileIndex.writer

    def writer(self, **kwargs):
        asked.append(kwargs)
        return real_writer(self, **kwargs)

    monkeypatch.setattr(FileIndex, "writer", writer)
    parallel = open_index(small_data, cache=tmp_path / "parallel", parallel=True)
    assert parallel.built and not parallel.notice
    assert asked and asked[0].get("procs") == 2 and asked[0].get("multisegment") is True
    assert parallel.ix.doc_count_all() == serial.ix.doc_count_all()
    from index.search import Searcher

    for query in ("nasa", "open source", "kind:event year:2024"):
        a = Searcher(serial.ix).search(query, limit=100)
        b = Searcher(parallel.ix).search(query, limit=100)
        assert {h.ref for h in a.hits} == {h.ref for h in b.hits}
        assert a.total == b.total and a.facets == b.facets
    store.verify(Path(parallel.info.path), parallel.info.fingerprint)
