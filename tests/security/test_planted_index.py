"""Finding 1: an index planted by another user must never be opened (Whoosh unpickles it).

The attacker (user nobody) plants, where the victim's cache will look, a copy of a real index
of the bundled data under the right fingerprint name, with a matching meta.json (fingerprint,
versions and file digests all right) and a table of contents whose pickled schema runs
`touch MARKER`. The victim (root, as in CI) then runs `alliance search`, `alliance index info`
and the explorer on that cache. The marker must never appear, and the results must be right.

Cases: a shared 1777 cache (like /tmp); a root-owned cache that others may write (0777, and
0770 with nobody's group); a cache root that is a symlink to nobody's folder; and, inside the
victim's own private cache, an index folder that is a symlink to nobody's planted folder, and
a real index folder whose TOC file is a symlink to nobody's payload.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from index.store import fingerprint, open_index
from index.trust import private_folder_name
from tests.builders import BUNDLED

from .helpers import (
    NOBODY,
    crafted_toc,
    describe_index_files,
    make_shared_dir,
    plant_index,
    remove_shared_dir,
    run_alliance,
    run_explorer_probe,
)

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="needs root to act as user nobody")

FP = fingerprint(BUNDLED)


@pytest.fixture(scope="module")
def real_index(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A genuine index folder of the bundled data (the attacker copies one like it)."""
    cache = tmp_path_factory.mktemp("genuine") / "cache"
    opened = open_index(BUNDLED, cache=cache)
    assert opened.built and not opened.notice
    opened.ix.close()
    return Path(opened.info.path)


@pytest.fixture(scope="module")
def expected_refs(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    tmp = tmp_path_factory.mktemp("clean")
    done = run_alliance("search", "nasa", "--json", tmp=tmp)
    assert done.returncode == 0, done.stderr
    refs = [f"{h['kind']}:{h['id']}" for h in json.loads(done.stdout)["hits"]]
    assert "member:nasa" in refs
    return refs


@pytest.fixture
def shared() -> Iterator[Path]:
    base = make_shared_dir("alliance-planted-")
    try:
        yield base
    finally:
        remove_shared_dir(base)


def env_for(shared: Path, cache: Path) -> dict[str, str]:
    from tests.hostile.helpers import child_env

    return child_env(shared, ALLIANCE_CACHE=str(cache))


def victim_runs(shared: Path, cache: Path, marker: Path, expected_refs: list[str], *notice: str) -> None:
    """search, index info and the explorer, as root on `cache`: right answers, no marker, and
    (if `notice` is given) a one-line notice holding those words on stderr."""
    env = env_for(shared, cache)
    done = run_alliance("search", "nasa", "--json", tmp=shared, env=env)
    stderr = done.stderr.decode()
    assert done.returncode == 0, stderr
    assert not marker.exists(), "the planted index ran its payload (search)"
    assert [f"{h['kind']}:{h['id']}" for h in json.loads(done.stdout)["hits"]] == expected_refs
    assert "Traceback" not in stderr
    if notice:
        assert len(stderr.splitlines()) == 1, stderr
        for words in notice:
            assert words in stderr, stderr
    else:
        assert stderr == ""

    info = run_alliance("index", "info", tmp=shared, env=env)
    assert info.returncode == 0, info.stderr
    assert not marker.exists(), "the planted index ran its payload (index info)"
    assert "documents: 356 " in info.stdout.decode()

    report = run_explorer_probe(env)
    assert not marker.exists(), "the planted index ran its payload (explorer)"
    assert report["ready"], report
    assert report["refs"] == expected_refs
    for words in notice:
        assert words in report["notice"], report


@pytest.mark.slow
@pytest.mark.parametrize("mode", ["1777", "0777", "0770-group-nobody"])
def test_planted_index_in_a_cache_others_can_write(
    shared: Path, real_index: Path, expected_refs: list[str], mode: str
) -> None:
    cache = shared / "cache"
    cache.mkdir()
    if mode == "0770-group-nobody":
        os.chown(cache, 0, NOBODY)
    cache.chmod(int(mode[:4], 8))
    marker = shared / "MARKER"
    planted = plant_index(real_index, cache / FP[:20], marker)
    before = sorted(p.name for p in planted.iterdir())

    victim_runs(shared, cache, marker, expected_refs)  # quiet: our own folder inside is used
    ours = cache / private_folder_name()
    assert ours.is_dir() and (ours.stat().st_mode & 0o777) == 0o700 and ours.stat().st_uid == 0
    assert (ours / FP[:20] / "meta.json").exists()
    assert sorted(p.name for p in planted.iterdir()) == before, "the planted folder was touched"


@pytest.mark.slow
def test_symlinked_cache_root_is_never_followed(shared: Path, real_index: Path, expected_refs: list[str]) -> None:
    """ALLIANCE_CACHE names a symlink to nobody's folder holding the planted index."""
    theirs = shared / "theirs"
    theirs.mkdir()
    os.chown(theirs, NOBODY, NOBODY)
    marker = shared / "MARKER"
    plant_index(real_index, theirs / FP[:20], marker)
    link = shared / "cache"
    link.symlink_to(theirs)
    victim_runs(shared, link, marker, expected_refs, "is a symbolic link", "in-memory")
    assert sorted(p.name for p in theirs.iterdir()) == [FP[:20]], "something was written through the link"


def search_refuses_the_link(shared: Path, env: dict[str, str], marker: Path, expected_refs: list[str]) -> None:
    """A search meets a symlink in our own index: it never runs what the link leads to,
    says so in one line, rebuilds, and finds the right hits."""
    done = run_alliance("search", "nasa", "--json", tmp=shared, env=env)
    stderr = done.stderr.decode()
    assert done.returncode == 0, stderr
    assert not marker.exists(), "the planted payload ran"
    assert "symbolic link" in stderr and "rebuilt" in stderr and len(stderr.splitlines()) == 1, stderr
    assert [f"{h['kind']}:{h['id']}" for h in json.loads(done.stdout)["hits"]] == expected_refs


@pytest.mark.slow
def test_symlinked_index_folder_in_our_own_cache(shared: Path, real_index: Path, expected_refs: list[str]) -> None:
    """Our own private cache, but the index's name is a symlink to nobody's planted folder."""
    cache = shared / "cache"
    cache.mkdir(mode=0o700)
    marker = shared / "MARKER"
    theirs = plant_index(real_index, shared / "theirs", marker)
    (cache / FP[:20]).symlink_to(theirs)
    env = env_for(shared, cache)
    search_refuses_the_link(shared, env, marker, expected_refs)
    assert (cache / FP[:20]).is_dir() and not (cache / FP[:20]).is_symlink(), "not rebuilt as a real folder"
    assert theirs.is_dir() and (theirs / "meta.json").exists(), "the link's target was touched"
    victim_runs(shared, cache, marker, expected_refs)  # and from now on quietly, from the rebuilt index


@pytest.mark.slow
def test_symlinked_toc_file_in_our_own_index(shared: Path, expected_refs: list[str]) -> None:
    """Our own real index folder, whose TOC file is a symlink to nobody's payload (meta.json
    updated to match, so that only the no-symlink rule stands in the way)."""
    cache = shared / "cache"
    env = env_for(shared, cache)
    built = run_alliance("index", "build", tmp=shared, env=env)
    assert built.returncode == 0, built.stderr
    folder = cache / FP[:20]
    marker = shared / "MARKER"
    payload = shared / "payload.toc"
    payload.write_bytes(crafted_toc(marker))
    os.chown(payload, NOBODY, NOBODY)
    toc = next(folder.glob("*.toc"))
    toc.unlink()
    toc.symlink_to(payload)
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    meta["files"] = describe_index_files(folder)  # follows the link, as the attacker would compute it
    (folder / "meta.json").write_text(json.dumps(meta), encoding="utf-8")

    search_refuses_the_link(shared, env, marker, expected_refs)
    assert payload.exists() and not toc.is_symlink()
    victim_runs(shared, cache, marker, expected_refs)


@pytest.mark.slow  # another user (nobody) owns the cache; the victim's search runs as a child
def test_another_users_index_in_a_private_looking_folder_is_refused(shared: Path, real_index: Path) -> None:
    """A cache root owned by nobody (0700 to them, but root can read it): not ours, never read."""
    cache = shared / "cache"
    cache.mkdir(mode=0o700)
    marker = shared / "MARKER"
    plant_index(real_index, cache / FP[:20], marker)
    os.chown(cache, NOBODY, NOBODY)
    done = run_alliance("search", "nasa", "--json", tmp=shared, env=env_for(shared, cache))
    assert done.returncode == 0, done.stderr
    assert not marker.exists()
    # Not ours: our own folder inside it (root may create it) is used instead.
    assert (cache / private_folder_name() / FP[:20]).is_dir()
    shutil.rmtree(cache / private_folder_name())
