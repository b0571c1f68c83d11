"""The on-disk index cache: reuse, rebuild on change, force, corruption, unwritable caches."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

import index.store as store
from index.schema import SCHEMA_VERSION
from index.search import Searcher
from index.store import META, fingerprint, open_index
from tests.builders import BUNDLED

from .helpers import build_folders, index_folders, refs, write_dataset


def first_hit(opened, query: str) -> str:
    searcher = Searcher(opened.ix)
    try:
        found = refs(searcher.search(query))
        return found[0] if found else ""
    finally:
        searcher.close()


def nasa_first(opened) -> bool:
    return first_hit(opened, "nasa") == "member:nasa"


def works(opened) -> bool:
    """The small dataset's index answers a query."""
    return first_hit(opened, "acme") == "member:acme"


def test_first_open_builds(cache):
    opened = open_index(BUNDLED, cache=cache)
    assert opened.built is True and opened.notice == ""
    fp = fingerprint(BUNDLED)
    assert opened.info.fingerprint == fp
    assert Path(opened.info.path) == cache / fp[:20]
    assert index_folders(cache) == [cache / fp[:20]]
    assert build_folders(cache) == []
    assert opened.info.counts == {
        "members": 141,
        "quotes": 89,
        "events": 50,
        "topics": 10,
        "projects": 30,
        "groups": 17,
        "people": 19,
    }
    assert opened.info.documents == 356 == opened.ix.doc_count_all()
    assert nasa_first(opened)


def test_second_open_reuses_without_loading(bundled, monkeypatch):
    # The session fixture built the bundled index into bundled.cache.
    first = open_index(BUNDLED, cache=bundled.cache)

    def forbidden(*args, **kwargs):
        raise AssertionError("data loaded for a current index")

    monkeypatch.setattr(store, "load_cached", forbidden)
    second = open_index(BUNDLED, cache=bundled.cache)
    assert first.built is False and second.built is False
    assert second.notice == ""
    assert second.info.path == first.info.path == str(bundled.cache / fingerprint(BUNDLED)[:20])
    assert second.info.fingerprint == first.info.fingerprint
    assert second.info.built_at == first.info.built_at
    assert build_folders(bundled.cache) == []
    assert nasa_first(second)


def test_reuse_of_a_fresh_build(cache, small_data, monkeypatch):
    first = open_index(small_data, cache=cache)
    assert first.built is True
    monkeypatch.setattr(store, "load_cached", lambda *a, **k: pytest.fail("data loaded for a current index"))
    second = open_index(small_data, cache=cache)
    assert second.built is False and second.info.path == first.info.path
    assert works(second)


def test_cache_from_the_environment(cache, small_data):
    assert store.cache_root() == cache
    opened = open_index(small_data)
    assert Path(opened.info.path).parent == cache


def test_a_changed_data_file_rebuilds_and_prunes_the_old_index(cache, data_copy):
    old = open_index(data_copy, cache=cache)
    old_folder = Path(old.info.path)
    old_fingerprint = old.info.fingerprint
    old.ix.close()  # an index still open is in use: pruning keeps it (tests/security/test_pruned_index.py)
    path = data_copy / "members" / "founding.toml"
    text = path.read_text(encoding="utf-8")
    marker = 'summary = "US space agency;'
    assert text.count(marker) == 1
    path.write_text(text.replace(marker, 'summary = "US space agency and quokkaland explorer;'), encoding="utf-8")

    new = open_index(data_copy, cache=cache)
    assert new.built is True
    assert new.info.fingerprint != old_fingerprint == fingerprint(BUNDLED)
    assert new.info.fingerprint == fingerprint(data_copy)
    assert Path(new.info.path) != old_folder
    assert not old_folder.exists(), "the index of the earlier version of the same data dir is pruned"
    assert index_folders(cache) == [Path(new.info.path)]
    searcher = Searcher(new.ix)
    assert refs(searcher.search("quokkaland")) == ["member:nasa"]
    searcher.close()


def test_an_added_file_changes_the_fingerprint_but_mtime_does_not(data_copy):
    before = fingerprint(data_copy)
    os.utime(data_copy / "timeline.toml", (1, 1))
    assert fingerprint(data_copy) == before
    (data_copy / "extra.toml").write_text("# nothing yet\n", encoding="utf-8")
    assert fingerprint(data_copy) != before


def test_index_of_another_data_dir_is_kept(cache, small_data, tmp_path):
    other = Path(shutil.copytree(small_data, tmp_path / "other"))
    (other / "extra.toml").write_text("# another dataset\n", encoding="utf-8")
    first = open_index(small_data, cache=cache)
    second = open_index(other, cache=cache)
    assert first.info.path != second.info.path
    assert set(index_folders(cache)) == {Path(first.info.path), Path(second.info.path)}
    assert open_index(small_data, cache=cache).built is False


def test_index_of_another_data_dir_with_the_same_relative_name_is_kept(cache, tmp_path, monkeypatch):
    # Two projects, each with its own ./data, opened from their own working directories.
    one = write_dataset(tmp_path / "one" / "data").parent
    two = write_dataset(tmp_path / "two" / "data").parent
    (two / "data" / "extra.toml").write_text("# the second project's data differs\n", encoding="utf-8")
    monkeypatch.chdir(one)
    first = open_index("data", cache=cache)
    monkeypatch.chdir(two)
    second = open_index("data", cache=cache)
    assert first.info.fingerprint != second.info.fingerprint
    # Opening the second project must not delete the first project's current index.
    assert Path(first.info.path).exists(), "index of a different data directory was pruned"
    monkeypatch.chdir(one)
    assert open_index("data", cache=cache).built is False


def test_force_rebuilds(cache, small_data):
    first = open_index(small_data, cache=cache)
    forced = open_index(small_data, cache=cache, force=True)
    assert forced.built is True and forced.notice == ""
    assert forced.info.path == first.info.path
    assert forced.info.built_at >= first.info.built_at
    assert index_folders(cache) == [Path(forced.info.path)]
    assert build_folders(cache) == []
    assert works(forced)
    assert open_index(small_data, cache=cache).built is False


def test_progress_is_reported(cache, small_data):
    calls = []
    opened = open_index(small_data, cache=cache, progress=lambda done, total: calls.append((done, total)))
    assert calls and calls[-1] == (opened.info.documents, opened.info.documents) == (3, 3)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)


# -- corruption ------------------------------------------------------------


def _truncate_segment(folder: Path) -> None:
    postings = [p for p in folder.iterdir() if p.suffix == ".pst"]  # the segment's largest file
    assert postings
    data = postings[0].read_bytes()
    postings[0].write_bytes(data[: len(data) // 2])


def _flip_a_byte(folder: Path) -> None:
    segment = next(p for p in folder.iterdir() if p.suffix == ".pst")
    data = bytearray(segment.read_bytes())
    data[len(data) // 2] ^= 0xFF
    segment.write_bytes(bytes(data))


def _delete_a_file(folder: Path) -> None:
    next(p for p in folder.iterdir() if p.suffix == ".toc").unlink()


def _delete_meta(folder: Path) -> None:
    (folder / META).unlink()


def _garbage_meta(folder: Path) -> None:
    (folder / META).write_bytes(b"\x00garbage{{ not json")


def _empty_meta(folder: Path) -> None:
    (folder / META).write_text("", encoding="utf-8")


def _meta_not_an_object(folder: Path) -> None:
    (folder / META).write_text("[1, 2, 3]", encoding="utf-8")


def _edit_meta(**changes):
    def edit(folder: Path) -> None:
        meta = json.loads((folder / META).read_text(encoding="utf-8"))
        meta.update(changes)
        (folder / META).write_text(json.dumps(meta), encoding="utf-8")

    return edit


CORRUPTIONS = {
    "truncated-segment": _truncate_segment,
    "flipped-byte": _flip_a_byte,
    "deleted-toc": _delete_a_file,
    "no-meta": _delete_meta,
    "garbage-meta": _garbage_meta,
    "empty-meta": _empty_meta,
    "meta-not-an-object": _meta_not_an_object,
    "stale-schema-version": _edit_meta(schema_version=SCHEMA_VERSION - 1),
    "other-engine": _edit_meta(engine="whoosh 0.0.1"),
    "unknown-meta-key": _edit_meta(surprise=True),
    "wrong-document-count": _edit_meta(counts={"members": 1}),
    "files-not-a-table": _edit_meta(files=5),
    "files-a-list": _edit_meta(files=[["MAIN.seg", 1]]),
}


@pytest.mark.parametrize("damage", list(CORRUPTIONS.values()), ids=list(CORRUPTIONS))
def test_corrupt_index_is_rebuilt_with_a_notice(cache, small_data, damage):
    first = open_index(small_data, cache=cache)
    folder = Path(first.info.path)
    first.ix.close()
    damage(folder)
    opened = open_index(small_data, cache=cache)
    assert opened.built is True
    assert opened.notice, "a rebuilt corrupt index is announced"
    assert "\n" not in opened.notice
    assert "rebuilt" in opened.notice and folder.name in opened.notice
    assert opened.info.path == str(folder)
    assert works(opened)
    # The rebuilt index is trusted again.
    assert open_index(small_data, cache=cache).built is False
    assert index_folders(cache) == [folder]


# -- unwritable caches --------------------------------------------------------


def _assert_in_memory(opened, where: Path) -> None:
    assert opened.built is True
    assert opened.info.path == ""
    assert opened.notice and "\n" not in opened.notice
    assert "in-memory" in opened.notice
    assert str(where) in opened.notice
    assert works(opened)


def test_cache_under_a_regular_file_falls_back_to_memory(tmp_path, small_data):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory", encoding="utf-8")
    cache = blocker / "cache"
    opened = open_index(small_data, cache=cache)
    _assert_in_memory(opened, cache)
    assert blocker.read_text(encoding="utf-8") == "not a directory"


def test_cache_that_is_a_regular_file_falls_back_to_memory(tmp_path, small_data):
    cache = tmp_path / "cache"
    cache.write_text("a file where the cache folder should be", encoding="utf-8")
    _assert_in_memory(open_index(small_data, cache=cache), cache)


# A read-only cache directory is tested for real, as user nobody, in
# tests/faults/test_cache_faults.py (chmod does not stop root, who runs CI).


def test_environment_cache_under_a_file(tmp_path, small_data, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv(store.CACHE_ENV, str(blocker / "cache"))
    _assert_in_memory(open_index(small_data), blocker / "cache")


# -- listing and clearing -----------------------------------------------------


def test_clear_removes_every_index(cache, small_data, tmp_path):
    assert store.clear(cache).removed == []
    other = Path(shutil.copytree(small_data, tmp_path / "other"))
    (other / "extra.toml").write_text("# another dataset\n", encoding="utf-8")
    open_index(small_data, cache=cache)
    open_index(other, cache=cache)
    assert sorted(p.name for p in index_folders(cache)) == sorted(
        fp[:20] for fp in (fingerprint(small_data), fingerprint(other))
    )
    (cache / ".build-0123456789abcdef").mkdir()  # a killed build's folder: no lock file, nobody holds it
    cleared = store.clear(cache)
    assert cleared.index_folders == 2 and cleared.kept == [] and cleared.notice == ""
    assert cache / ".build-0123456789abcdef" in cleared.removed
    assert index_folders(cache) == []
    assert list(cache.iterdir()) == []


def test_sweep_removes_dead_builds_only(cache):
    """Liveness is a kernel lock on .build-X.lock, never a PID (tests/security/test_build_locks.py)."""
    from index.trust import private_cache

    cache.mkdir(parents=True)
    dead = cache / ".build-00000000000000aa"  # no lock file: its builder is gone
    unlocked = cache / ".build-00000000000000bb"  # a lock file nobody holds: its builder died
    trash = cache / ".trash-00000000000000cc"
    for folder in (dead, unlocked, trash):
        folder.mkdir()
        (folder / "f").write_text("x", encoding="utf-8")
    (cache / ".build-00000000000000bb.lock").write_bytes(b"")
    folder, _ = private_cache(cache)
    with folder, store.build_folder(folder) as (_build, name):
        alive = cache / name  # held by this process: still building
        assert (cache / f"{name}.lock").exists()
        swept = store.sweep(cache)
        assert sorted(swept) == sorted([dead, unlocked, trash])
        assert not dead.exists() and not trash.exists() and not unlocked.exists()
        assert not (cache / ".build-00000000000000bb.lock").exists()
        assert alive.exists()
    assert not alive.exists() and not (cache / f"{name}.lock").exists(), "a build cleans up after itself"


def test_a_build_reads_the_parsed_snapshot_not_the_toml(cache, small_data, monkeypatch):
    """The explorer writes the snapshot, then its build child opens the index: one parse, not two."""
    import index.load
    from index.snapshot import load_cached

    load_cached(small_data, cache=cache)
    monkeypatch.setattr(index.load, "load_dataset", lambda *a, **k: pytest.fail("the TOML was parsed again"))
    opened = open_index(small_data, cache=cache)
    assert opened.built is True
    assert works(opened)


def test_segments_are_separate_files_read_in_place(cache, small_data):
    """No compound .seg file: Whoosh copies a compound segment's postings and term index
    into memory when it opens it (115 MB at 100k records); separate files stay on disk."""
    opened = open_index(small_data, cache=cache)
    folder = Path(opened.info.path)
    assert not list(folder.glob("*.seg"))
    assert list(folder.glob("*.pst")) and list(folder.glob("*.trm"))
