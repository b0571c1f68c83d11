"""Many processes on one cache: eight at once on an empty cache, and builds killed at random points.

Nothing a killed or racing process leaves may ever be trusted: every folder a run would open
(not hidden, with a meta.json) must pass `index.store.verify`.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from .helpers import (
    assert_trusted_only,
    child_env,
    command,
    hidden_entries,
    index_folders,
    run,
    search,
    the_index,
)

PROCESSES = 8
ROUNDS = 20


@pytest.mark.slow
def test_eight_searches_at_once_on_an_empty_cache(cache: Path, expected, fp: str) -> None:
    env = child_env(cache)
    children = [
        subprocess.Popen(
            command("search", "open source", "--json"),
            env=env,
            cwd=str(cache.parent),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(PROCESSES)
    ]  # all started before any is waited for
    outputs = [child.communicate(timeout=120) for child in children]
    codes = [child.returncode for child in children]
    assert codes == [0] * PROCESSES, [(c, err) for c, (_, err) in zip(codes, outputs, strict=True)]
    assert [err for _, err in outputs] == [""] * PROCESSES, "a racing process printed a notice"
    hits = [json.loads(out)["hits"] for out, _ in outputs]
    assert hits[0], "no hits for 'open source'"
    assert all(h == hits[0] for h in hits), "the processes disagree"
    the_index(cache)  # exactly one index folder
    assert hidden_entries(cache) == [], "leftovers of the racing builds"
    assert_trusted_only(cache, fp)
    again = search(cache, "open source")
    assert again.returncode == 0 and again.stderr == "" and again.hits == hits[0]


@pytest.mark.slow
def test_builds_killed_at_random_points(cache: Path, expected, fp: str, record_property) -> None:
    """20 rounds: `alliance index build --force` (or a first build on an emptied cache), SIGKILLed
    after a random delay within the measured build time; then a normal search must work."""
    seed = int(os.environ.get("ALLIANCE_FAULT_SEED", str(time.time_ns() % 1_000_000)))
    rng = random.Random(seed)
    env = child_env(cache)
    build = command("index", "build", "--force")

    timings = []
    for _ in range(2):  # the first run also warms the file cache: keep the quicker
        started = time.monotonic()
        first = run("index", "build", "--force", cache=cache)
        timings.append(time.monotonic() - started)
        assert first.returncode == 0 and first.stderr == "", str(first)
    build_seconds = min(timings)
    record_property("kill test: build time (s)", round(build_seconds, 3))
    record_property("kill test: seed", seed)

    outcomes = []
    for round_number in range(ROUNDS):
        if round_number % 2:  # odd rounds: a first build, on a cache without an index
            for folder in index_folders(cache):
                shutil.rmtree(folder)
        child = subprocess.Popen(
            build, env=env, cwd=str(cache.parent), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        delay = rng.uniform(0, build_seconds)
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        code = child.wait()
        outcomes.append((round(delay, 3), code))
        where = f"round {round_number}, delay {delay:.3f} s, seed {seed}"

        assert_trusted_only(cache, fp)  # what the killed process left
        done = search(cache)
        assert done.returncode == 0, f"{where}: {done}"
        assert "member:nasa" in done.refs, where
        assert done.hits == expected.hits, where
        assert len(done.notices) <= 1, f"{where}: {done.stderr}"
        assert_trusted_only(cache, fp)  # and what the search left
        assert len(index_folders(cache)) == 1, f"{where}: {index_folders(cache)}"

    killed = sum(1 for _, code in outcomes if code == -signal.SIGKILL)
    record_property("kill test: rounds killed before finishing", killed)
    print(f"\nbuild {build_seconds:.2f} s, seed {seed}; (delay, exit code) per round: {outcomes}")
    assert killed >= ROUNDS // 4, f"too few builds were killed before they finished: {outcomes}"
