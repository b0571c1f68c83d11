"""Finding 9: a build running in another PID namespace is never swept while alive.

Before, liveness was judged by the PID written in the `.build-<pid>-*` folder's name: a
build in another container sharing the cache volume has a PID that means nothing here (or
another process), so its folder was swept from under it. Now the builder holds an flock on
`.build-<random>.lock` for the whole build; the kernel drops it when the builder dies,
whatever namespace it ran in, and a sweep removes a build folder only if it can take it.

The build here runs under `unshare --pid --fork --mount-proc`, as a process whose PID in its
namespace is not the PID of any live process in ours (as the old rule would have judged it:
dead). It must survive a sweep from this namespace, and go with the next sweep once killed.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from index import store

from .helpers import REPO

# Forks until the child's PID (in the new namespace) is not a live PID in the caller's
# namespace, then builds an index whose progress callback waits: a build held open.
HOLDER = """
import json, os, sys, time
from pathlib import Path
host = set(json.loads(sys.argv[3]))
while True:
    pid = os.fork()
    if pid == 0:
        if os.getpid() in host:
            os._exit(0)
        break
    os.waitpid(pid, 0)

from index.store import open_index

def progress(done, total):
    print("holding", os.getpid(), flush=True)
    time.sleep(600)

open_index(sys.argv[1], cache=Path(sys.argv[2]), progress=progress)
"""


def unshare_works() -> bool:
    if os.geteuid() != 0 or shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        ["unshare", "--pid", "--fork", "--mount-proc", "true"], capture_output=True, timeout=30, check=False
    )
    return probe.returncode == 0


pytestmark = pytest.mark.skipif(not unshare_works(), reason="needs unshare --pid (root)")


def builds(cache: Path) -> list[str]:
    return sorted(p.name for p in cache.iterdir() if p.name.startswith(".build-"))


@pytest.mark.slow
def test_a_build_in_another_pid_namespace_survives_a_sweep(tmp_path: Path) -> None:
    from tests.search.helpers import write_dataset

    data = write_dataset(tmp_path / "data")
    cache = tmp_path / "cache"
    host_pids = [int(p) for p in os.listdir("/proc") if p.isdigit()]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    holder = subprocess.Popen(
        ["unshare", "--pid", "--fork", "--mount-proc", sys.executable, "-c", HOLDER,
         str(data), str(cache), json.dumps(host_pids)],
        env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None
        line = holder.stdout.readline().split()
        assert line[:1] == ["holding"], holder.stderr.read() if holder.poll() is not None else line
        inner_pid = int(line[1])
        assert inner_pid not in host_pids  # by a PID rule, this build would look dead from here
        held = builds(cache)
        assert len(held) == 2 and held[1] == held[0] + ".lock", held  # the folder and its lock file

        assert store.sweep(cache) == []
        # A build of other data in the same cache sweeps too, and must leave it alone as well.
        other = write_dataset(tmp_path / "other")
        (other / "extra.toml").write_text("# other data\n", encoding="utf-8")
        opened = store.open_index(other, cache=cache)
        assert opened.built and not opened.notice
        opened.ix.close()
        assert builds(cache) == held, "a live build in another PID namespace was swept"
    finally:
        os.killpg(holder.pid, signal.SIGKILL)  # unshare and the namespace's init: all of it dies
        holder.wait(timeout=30)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and store.sweep(cache) == []:
        time.sleep(0.1)  # the namespace's processes are reaped asynchronously
    assert builds(cache) == [], "the dead build was not swept"
