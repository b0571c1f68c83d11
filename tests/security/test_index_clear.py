"""Finding 3: `alliance index clear` (and the sweep) delete only what is provably ours.

Before, clear deleted every directory in the cache root: `ALLIANCE_CACHE=. alliance index
clear` in a checkout removed `.git`, `data`, `index`, `tests` and `tui`. Now only real
folders (never symlinks) directly in our own private cache folder, named as this program
names them, with a meta.json of ours for index folders, and our own snapshot files go; every
removed path is printed, then the count; the listing equals what disappeared.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from index import bundled_data_dir
from index.store import fingerprint
from index.trust import private_folder_name

from .helpers import NOBODY, REPO, make_shared_dir, remove_shared_dir, run_alliance

# `alliance index clear` and builds as child processes, in git checkouts and shared roots:
# the slow lane (tests/search/test_search_store.py checks clear and sweep in-process).
pytestmark = pytest.mark.slow

FP20 = fingerprint(bundled_data_dir())[:20]


def tree(root: Path) -> dict[str, str]:
    """Every path under root (symlinks not followed) -> a digest of what it is."""
    out: dict[str, str] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            info = path.lstat()
            if path.is_symlink():
                what = "link:" + os.readlink(path)
            elif path.is_file():
                what = hashlib.sha256(path.read_bytes()).hexdigest()
            else:
                what = "dir"
            out[str(path.relative_to(root))] = f"{what}:{info.st_uid}"
    return out


def clear(cache: Path | str, tmp: Path, cwd: Path | None = None) -> tuple[list[str], str, str]:
    """Run `alliance index clear`; (removed paths listed, the count line, stderr)."""
    from tests.hostile.helpers import child_env

    env = child_env(tmp, ALLIANCE_CACHE=str(cache), PYTHONPATH=str(REPO))
    # -P: the working directory (a checkout with its own tui/ folder) is not on sys.path.
    done = subprocess.run(
        [sys.executable, "-P", "-m", "tui", "index", "clear"],
        env=env,
        cwd=cwd or REPO,
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.decode().splitlines()
    assert lines and lines[-1].startswith("removed "), lines
    return [line.removeprefix("removed ") for line in lines[:-1]], lines[-1], done.stderr.decode()


def build(cache: Path, tmp: Path) -> None:
    from tests.hostile.helpers import child_env

    done = run_alliance("index", "build", tmp=tmp, env=child_env(tmp, ALLIANCE_CACHE=str(cache)))
    assert done.returncode == 0, done.stderr


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A git checkout, as a developer's working directory: sources, data, a 20-hex folder."""
    repo = tmp_path / "checkout"
    for name in ("data", "index", "tests", "tui"):
        (repo / name).mkdir(parents=True)
        (repo / name / "file.py").write_text(f"# {name}\n", encoding="utf-8")
    (repo / "README.md").write_text("# a project\n", encoding="utf-8")
    (repo / "0123456789abcdef0123").mkdir()  # named like an index, but no meta.json
    (repo / "0123456789abcdef0123" / "notes.txt").write_text("mine\n", encoding="utf-8")
    (repo / "dataset-notes.txt").write_text("not a snapshot\n", encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run(["git", "-C", str(repo), "add", "-A"], check=True)
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "x"],
        check=True,
    )
    return repo


@pytest.mark.parametrize("how", ["absolute", "dot"])
def test_clear_in_a_checkout_removes_nothing_of_it(checkout: Path, tmp_path: Path, how: str) -> None:
    before = tree(checkout)
    removed, count, stderr = clear(checkout if how == "absolute" else ".", tmp_path, cwd=checkout)
    assert removed == [] and count == f"removed 0 index folders from {checkout}", count
    assert stderr == ""
    assert tree(checkout) == before
    status = subprocess.run(["git", "-C", str(checkout), "status", "--porcelain"], capture_output=True, text=True)
    assert status.stdout == ""


def test_clear_in_a_checkout_removes_only_its_own_index(checkout: Path, tmp_path: Path) -> None:
    """The checkout used as the cache: an index built there goes, and nothing else."""
    before = tree(checkout)
    build(checkout, tmp_path)
    removed, count, _ = clear(checkout, tmp_path)
    assert str(checkout / FP20) in removed
    assert count.startswith("removed 1 index folder")
    assert tree(checkout) == before


def test_symlinked_cache_root_removes_nothing(tmp_path: Path) -> None:
    real = tmp_path / "real"
    build(real, tmp_path)
    before = tree(real)
    assert FP20 in before
    link = tmp_path / "cache"
    link.symlink_to(real)
    removed, count, stderr = clear(link, tmp_path)
    assert removed == [] and count.startswith("removed 0 ")
    assert "symbolic link" in stderr and "nothing removed" in stderr
    assert tree(real) == before


@pytest.fixture
def shared() -> Iterator[Path]:
    base = make_shared_dir("alliance-clear-")
    try:
        yield base
    finally:
        remove_shared_dir(base)


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to own files as another user")
def test_shared_root_only_our_folders_go(shared: Path, tmp_path: Path) -> None:
    """A 1777 cache with other users' entries: only what is in our own folder goes, exactly
    what is listed."""
    cache = shared / "cache"
    cache.mkdir()
    cache.chmod(0o1777)
    build(cache, tmp_path)  # into cache/alliance-explorer-0
    ours = cache / private_folder_name()
    assert (ours / FP20).is_dir()
    (ours / ".build-00000000000000aa").mkdir()  # a dead build of ours (no lock)
    # Other users' things, in the root and (a folder they own) named like ours.
    for name in (FP20, "aaaaaaaaaaaaaaaaaaaa", ".build-00000000000000bb", f"alliance-explorer-{NOBODY}"):
        (cache / name).mkdir()
        (cache / name / "meta.json").write_text(json.dumps({"fingerprint": FP20}), encoding="utf-8")
    (cache / f"dataset-{FP20}-m4.msgpack").write_bytes(b"theirs")
    for entry in cache.rglob("*"):
        if not entry.is_relative_to(ours):
            os.lchown(entry, NOBODY, NOBODY)
    (ours / "bbbbbbbbbbbbbbbbbbbb").mkdir()  # ours, named like an index, but no meta.json: kept
    before = tree(cache)

    removed, count, stderr = clear(cache, tmp_path)
    after = tree(cache)
    gone = sorted(str(cache / p) for p in before if p not in after and (cache / p).parent in (cache, ours))
    assert sorted(removed) == gone, (removed, gone)
    assert str(ours / FP20) in removed and str(ours / ".build-00000000000000aa") in removed
    assert any(Path(p).name.startswith("dataset-") for p in removed)
    assert all(Path(p).parent == ours for p in removed)
    assert count == f"removed 1 index folder, 1 snapshot and 1 leftover from {ours}"
    assert stderr == ""
    assert {p: v for p, v in before.items() if not (cache / p).is_relative_to(ours)} == {
        p: v for p, v in after.items() if not (cache / p).is_relative_to(ours)
    }, "another user's entry was touched"
    assert (ours / "bbbbbbbbbbbbbbbbbbbb").is_dir()
