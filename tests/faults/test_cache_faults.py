"""A damaged, unwritable, full or stale index cache: `alliance search` still answers, correctly,
with at most a one-line notice on stderr; nothing damaged is ever trusted.

Each case runs `python -m tui search nasa --json` as a child process with $ALLIANCE_CACHE set,
and compares its hits with those of a run on a clean cache. Child processes put the module
in the slow lane; tests/search/test_search_store.py checks the same repairs in-process.
"""

from __future__ import annotations

import fcntl
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

from index.schema import SCHEMA_VERSION
from index.store import META, build_folder, sweep
from index.trust import private_cache
from tests.security.helpers import as_nobody, make_shared_dir, nobody_python, remove_shared_dir

from .helpers import (
    BUNDLED,
    assert_one_line_notice,
    assert_trusted_only,
    hidden_entries,
    index_folders,
    run,
    search,
    the_index,
)

pytestmark = pytest.mark.slow


def assert_rebuilt_and_quiet_after(cache: Path, expected, fp: str) -> None:
    """The run after a repair reuses the repaired index: no notice, same hits, nothing left over."""
    again = search(cache)
    assert again.returncode == 0 and again.stderr == "", str(again)
    assert again.hits == expected.hits
    assert_trusted_only(cache, fp)
    assert len(index_folders(cache)) == 1
    assert [n for n in hidden_entries(cache) if n.startswith(".build-")] == []


def largest_file(folder: Path) -> Path:
    return max((p for p in folder.iterdir() if p.name != META), key=lambda p: p.stat().st_size)


# -- damaged index files ----------------------------------------------------------------


def test_truncated_segment_file(built: Path, cache: Path, expected, fp: str) -> None:
    victim = largest_file(built)
    size = victim.stat().st_size
    assert size > 10_000, victim
    with victim.open("r+b") as handle:
        handle.truncate(size // 2)
    done = search(cache)
    notice = assert_one_line_notice(done, "was unusable", "index files changed since the build", victim.name, "rebuilt")
    assert done.hits == expected.hits, notice
    assert_rebuilt_and_quiet_after(cache, expected, fp)


def test_flipped_byte_in_segment_file(built: Path, cache: Path, expected, fp: str) -> None:
    victim = largest_file(built)
    size = victim.stat().st_size
    with victim.open("r+b") as handle:
        handle.seek(size // 2)
        byte = handle.read(1)
        handle.seek(size // 2)
        handle.write(bytes([byte[0] ^ 0xFF]))
    assert victim.stat().st_size == size
    done = search(cache)
    assert_one_line_notice(done, "was unusable", victim.name, "rebuilt")
    assert done.hits == expected.hits
    assert_rebuilt_and_quiet_after(cache, expected, fp)


@pytest.mark.parametrize(
    "damage",
    ["meta-truncated", "meta-deleted", "meta-not-an-object", "meta-counts-wrong", "toc-deleted", "extra-file"],
)
def test_other_damage_is_detected(built: Path, cache: Path, expected, fp: str, damage: str) -> None:
    meta = built / META
    text = meta.read_text(encoding="utf-8")
    if damage == "meta-truncated":
        meta.write_text(text[: len(text) // 2], encoding="utf-8")
    elif damage == "meta-deleted":
        meta.unlink()
    elif damage == "meta-not-an-object":
        meta.write_text("[1, 2, 3]", encoding="utf-8")
    elif damage == "meta-counts-wrong":
        data = json.loads(text)
        data["counts"]["members"] += 1
        meta.write_text(json.dumps(data), encoding="utf-8")
    elif damage == "toc-deleted":
        next(built.glob("*.toc")).unlink()
    else:
        (built / "WRITELOCK").write_bytes(b"")
    done = search(cache)
    assert_one_line_notice(done, "was unusable", "rebuilt")
    assert done.hits == expected.hits
    assert_rebuilt_and_quiet_after(cache, expected, fp)


def test_schema_version_of_an_older_program(built: Path, cache: Path, expected, fp: str) -> None:
    meta = built / META
    data = json.loads(meta.read_text(encoding="utf-8"))
    assert data["schema_version"] == SCHEMA_VERSION > 1
    data["schema_version"] = 1
    meta.write_text(json.dumps(data), encoding="utf-8")
    done = search(cache)
    assert_one_line_notice(done, "was unusable", "built for other data or by another version", "rebuilt")
    assert done.hits == expected.hits
    assert json.loads((the_index(cache) / META).read_text(encoding="utf-8"))["schema_version"] == SCHEMA_VERSION
    assert_rebuilt_and_quiet_after(cache, expected, fp)


def test_index_of_an_older_version_in_its_own_folder_is_pruned(built: Path, cache: Path, expected, fp: str) -> None:
    """An older program's index of the same data sits in another folder (another fingerprint):
    never opened, and removed once the current index is built."""
    old = cache / "00000000000000000000"
    shutil.copytree(built, old)
    data = json.loads((old / META).read_text(encoding="utf-8"))
    data["schema_version"] = 1
    data["fingerprint"] = "0" * 64
    (old / META).write_text(json.dumps(data), encoding="utf-8")
    shutil.rmtree(built)
    done = search(cache)
    assert done.returncode == 0 and done.stderr == "", str(done)
    assert done.hits == expected.hits
    assert not old.exists(), "the older index of the same data was kept"
    assert_rebuilt_and_quiet_after(cache, expected, fp)


# -- locks and leftovers of killed builds ---------------------------------------------------


def dead_build(cache: Path, source: Path | None = None) -> Path:
    """What a build killed half-way leaves: a .build folder whose lock file nobody holds any
    more (the kernel dropped the flock with the process), a Whoosh write lock, and partial
    segment files."""
    folder = cache / ".build-00000000deadbeef"
    folder.mkdir(parents=True)
    (cache / ".build-00000000deadbeef.lock").write_bytes(b"")
    (folder / "MAIN_WRITELOCK").write_bytes(b"")
    if source is not None:
        seg = largest_file(source)
        (folder / seg.name).write_bytes(seg.read_bytes()[:4096])
    else:
        (folder / "MAIN_deadbeefdeadbeef.seg").write_bytes(os.urandom(4096))
    (folder / "_MAIN_1.toc").write_bytes(b"\x00" * 100)
    return folder


def test_stale_build_folder_on_an_empty_cache_is_swept(cache: Path, expected, fp: str) -> None:
    dead = dead_build(cache)
    done = search(cache)
    assert done.returncode == 0 and done.stderr == "", str(done)
    assert done.hits == expected.hits
    assert not dead.exists(), "the dead build folder was not swept"
    assert hidden_entries(cache) == []
    assert_rebuilt_and_quiet_after(cache, expected, fp)


def test_stale_locks_of_a_killed_process(built: Path, cache: Path, expected, fp: str) -> None:
    """A dead build folder with its MAIN_WRITELOCK, and a stray WRITELOCK file in the valid index:
    the index no longer matches its meta.json, so it is rebuilt (one notice), and that build sweeps
    the dead folder."""
    dead = dead_build(cache, source=built)
    (built / "WRITELOCK").write_bytes(b"")
    done = search(cache)
    assert_one_line_notice(done, "was unusable", "WRITELOCK", "rebuilt")
    assert done.hits == expected.hits
    assert not dead.exists(), "the dead build folder was not swept"
    assert hidden_entries(cache) == []
    assert_rebuilt_and_quiet_after(cache, expected, fp)


def test_stale_build_folder_beside_a_valid_index(built: Path, cache: Path, expected, fp: str) -> None:
    """The index is reused as it is; the dead folder is never trusted, and the next build sweeps it.

    (A run that only reuses an index does not sweep: store.py sweeps when it builds.)
    """
    dead = dead_build(cache, source=built)
    done = search(cache)
    assert done.returncode == 0 and done.stderr == "", str(done)
    assert done.hits == expected.hits
    assert_trusted_only(cache, fp)
    assert dead.exists()  # documented: only a build sweeps
    rebuilt = run("index", "build", "--force", cache=cache)
    assert rebuilt.returncode == 0 and rebuilt.stderr == "", str(rebuilt)
    assert not dead.exists(), "a build did not sweep the dead build folder"
    assert_rebuilt_and_quiet_after(cache, expected, fp)


def test_build_folder_of_a_live_process_is_kept_however_old(tmp_path: Path) -> None:
    """A .build folder whose lock is held is a build in progress: kept, even when hours old
    (a large build on a slow machine); one whose lock nobody holds is a dead build: swept."""
    cache = tmp_path / "cache"
    cache.mkdir()
    dead = cache / ".build-00000000000000de"
    dead.mkdir()
    (cache / ".build-00000000000000de.lock").write_bytes(b"")
    two_hours_ago = time.time() - 7200
    folder, _ = private_cache(cache)
    assert folder is not None
    with folder, build_folder(folder) as (_build, name):
        live = cache / name
        (live / "MAIN_WRITELOCK").write_bytes(b"")
        os.utime(live, (two_hours_ago, two_hours_ago))
        os.utime(cache / f"{name}.lock", (two_hours_ago, two_hours_ago))
        sweep(cache)
        assert live.exists() and (cache / f"{name}.lock").exists()
        assert not dead.exists() and not (cache / ".build-00000000000000de.lock").exists()


@pytest.fixture
def lock_holder(built: Path) -> Iterator[subprocess.Popen]:
    """A live process holding Whoosh's write lock (flock on MAIN_WRITELOCK) of the index."""
    code = (
        "import fcntl, sys, time\n"
        "handle = open(sys.argv[1], 'a')\n"
        "fcntl.flock(handle.fileno(), fcntl.LOCK_EX)\n"
        "print('locked', flush=True)\n"
        "time.sleep(120)\n"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", code, str(built / "MAIN_WRITELOCK")], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        yield holder
    finally:
        holder.kill()
        holder.wait()


def test_write_lock_held_on_a_valid_index_does_not_block(
    built: Path, cache: Path, expected, fp: str, lock_holder: subprocess.Popen
) -> None:
    with open(built / "MAIN_WRITELOCK") as handle, pytest.raises(BlockingIOError):
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)  # the lock really is held
    # The holder keeps the lock until the test ends: a run that waited for it would hang
    # until its timeout (a hang guard, not a time budget).
    done = search(cache, timeout=30)
    assert done.returncode == 0 and done.stderr == "", str(done)
    assert done.hits == expected.hits
    forced = run("index", "build", "--force", cache=cache, timeout=30)
    assert forced.returncode == 0 and forced.stderr == "", str(forced)
    assert_rebuilt_and_quiet_after(cache, expected, fp)


# -- a cache that cannot be written --------------------------------------------------------


def _full_disk() -> None:
    """In the child: files may not grow past 20 kB (writes fail with EFBIG), no SIGXFSZ."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (20_000, 20_000))


def test_full_disk_falls_back_to_memory(cache: Path, expected) -> None:
    done = search(cache, preexec_fn=_full_disk)
    assert_one_line_notice(done, "could not write the index cache", "File too large", "using an in-memory index")
    assert done.hits == expected.hits
    assert index_folders(cache) == []
    assert hidden_entries(cache) == [], "a failed build left files behind"


def test_full_disk_during_a_forced_rebuild_keeps_the_old_index(built: Path, cache: Path, expected, fp: str) -> None:
    before = {p.name: p.read_bytes() for p in built.iterdir()}
    done = run("index", "build", "--force", cache=cache, preexec_fn=_full_disk)
    assert_one_line_notice(done, "could not write the index cache", "using an in-memory index")
    assert "at memory" in done.stdout
    assert {p.name: p.read_bytes() for p in built.iterdir()} == before, "the good index was touched"
    assert_rebuilt_and_quiet_after(cache, expected, fp)


def test_cache_path_under_a_regular_file(tmp_path: Path, expected) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("not a directory", encoding="utf-8")
    done = search(blocker / "cache", cwd=tmp_path)
    assert_one_line_notice(done, "is not writable", "using an in-memory index")
    assert done.hits == expected.hits


def _world_readable(path: Path) -> None:
    for entry in [path, *path.rglob("*")]:
        entry.chmod(0o755 if entry.is_dir() else 0o644)


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A temporary directory every user can enter (pytest's tmp_path is private to root)."""
    base = make_shared_dir("alliance-faults-")
    try:
        yield base
    finally:
        remove_shared_dir(base)


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to switch to user nobody")
@pytest.mark.parametrize("state", ["empty", "index-private-to-root", "index-readable-by-all"])
def test_read_only_cache_for_a_non_root_user(shared_dir: Path, expected, fp: str, state: str) -> None:
    """Cache owned by root, mode 0555; the run is user nobody (root ignores permission bits).

    empty: nothing to reuse, nowhere to build: in-memory, one notice.
    index-private-to-root: root's index (0700, as mkdtemp makes it) cannot be read: same.
    index-readable-by-all: root's index is readable, but another user's index is never
    opened, by design (Whoosh unpickles it: trusting it would trust root's files to run as
    nobody, and in the other direction a planted index runs code; see
    tests/security/test_planted_index.py). The cache root is not nobody's, so nobody needs
    its own folder `alliance-explorer-65534` in it, which cannot be created: same notice.
    """
    data = Path(shutil.copytree(BUNDLED, shared_dir / "data"))
    _world_readable(data)
    cache = shared_dir / "cache"
    if state != "empty":
        built = run("search", "nasa", "--json", "--data", str(data), cache=cache, cwd=shared_dir)
        assert built.returncode == 0 and built.stderr == "", str(built)
        if state == "index-readable-by-all":
            _world_readable(the_index(cache))
    cache.mkdir(exist_ok=True)
    cache.chmod(0o555)

    python = nobody_python(shared_dir)
    if python is None:
        # Nothing nobody can run (the checkout or the interpreter is out of its reach): the
        # closest a root run gets to an unwritable cache is a cache path under a regular file.
        warnings.warn("no Python runnable as nobody: fell back to a cache path under a regular file", stacklevel=1)
        blocker = shared_dir / "blocker"
        blocker.write_text("x", encoding="utf-8")
        done = search(blocker / "cache", cwd=shared_dir)
        assert_one_line_notice(done, "is not writable", "using an in-memory index")
        assert done.hits == expected.hits
        return
    executable, extra = python
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", **extra}
    env.update(ALLIANCE_CACHE=str(cache), ALLIANCE_CONFIG=str(shared_dir / "config"))
    before = sorted(p.name for p in cache.iterdir())
    done = run(
        "search", "nasa", "--json", "--data", str(data),
        cache=cache, executable=executable, env=env, preexec_fn=as_nobody, cwd=shared_dir,
    )  # fmt: skip
    assert_one_line_notice(
        done, "owned by uid 0, not by you", "alliance-explorer-65534 is not writable (Permission denied)",
        "using an in-memory index",
    )  # fmt: skip
    assert done.hits == expected.hits
    assert sorted(p.name for p in cache.iterdir()) == before, "the read-only cache changed"
