"""Finding 8: data edited while it is parsed or indexed must never be filed under the wrong fingerprint.

The fingerprint was taken from the files before they were parsed (or again after), so an edit
in between stored an index under the new data's fingerprint holding the old records, or a
snapshot of an edit that was later reverted under the original data's fingerprint (which then
showed the reverted text for ever). Now the fingerprint is the hash of exactly the bytes parsed
(`Dataset.fingerprint`), and the snapshot and the index are stored under it.

Each test edits the data at one deterministic point (a hook wrapped around a step: after the
files were hashed and before they are parsed, after parsing and before the build, after the
build and before the index is stored), then checks the invariant over everything in the cache:
the index stored under fingerprint F holds exactly the records of the bytes that hash to F, and
the snapshot stored under F decodes to those records. Then it reverts the edit and checks what
is served.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from whoosh import index as whoosh_index

import index.snapshot
import index.store
from index.cache import data_fingerprint
from index.model import Dataset
from index.snapshot import MAGIC, load_cached, read_snapshot
from index.store import index_fingerprint, open_existing, open_index

OLD = "Space agency summary tapir"  # member nasa's summary in the hostile base dataset
NEW = "Space agency summary zebra"  # the edit: same length, same file, same inode


def nasa_file(data: Path) -> Path:
    (found,) = [p for p in data.rglob("*.toml") if OLD.encode() in p.read_bytes() or NEW.encode() in p.read_bytes()]
    return found


def set_summary(data: Path, text: str) -> None:
    """Rewrite nasa's summary in place (same size, same inode: the hardest edit to notice)."""
    path = nasa_file(data)
    raw = path.read_bytes().replace(OLD.encode(), text.encode()).replace(NEW.encode(), text.encode())
    with path.open("r+b") as handle:
        handle.write(raw)
        handle.truncate()


@pytest.fixture
def expected(tmp_path: Path, data: Path) -> dict[str, str]:
    """Data fingerprint -> nasa's summary, for the two versions of the data."""
    out = {}
    for text in (OLD, NEW):
        copy = Path(shutil.copytree(data, tmp_path / f"copy-{text[-5:]}"))
        set_summary(copy, text)
        out[data_fingerprint(copy)] = text
    return out


def stored_snapshots(cache: Path) -> list[tuple[str, Dataset]]:
    """(file name, decoded dataset) of every snapshot in the cache, at any depth."""
    found = []
    for path in cache.rglob("dataset-*"):
        raw = path.read_bytes()
        assert raw.startswith(MAGIC), path
        # The program's own decoder: each kind's records are decoded as that kind's dataclass.
        found.append((path.name, index.snapshot._decode(memoryview(raw)[len(MAGIC) + 32 :])))
    return found


def stored_indexes(cache: Path) -> list[tuple[str, str]]:
    """(fingerprint in meta.json, nasa's summary as indexed) of every complete index in the cache."""
    found = []
    for meta in cache.rglob("meta.json"):
        if any(part.startswith(".") for part in meta.relative_to(cache).parts):
            continue  # unfinished builds and trash: never opened
        fp = json.loads(meta.read_text(encoding="utf-8"))["fingerprint"]
        ix = whoosh_index.open_dir(str(meta.parent), readonly=True)
        with ix.searcher() as searcher:
            found.append((fp, searcher.document(ref="member:nasa")["body"]))
        ix.close()
    return found


def assert_filed_correctly(cache: Path, expected: dict[str, str]) -> None:
    """The invariant: whatever is stored under F holds the records of exactly the bytes hashing to F."""
    by_index_fp = {index_fingerprint(fp): text for fp, text in expected.items()}
    for name, dataset in stored_snapshots(cache):
        assert dataset.fingerprint in expected, f"{name}: a snapshot of data that never existed"
        assert name.startswith(f"dataset-{dataset.fingerprint[:20]}-"), f"{name} holds {dataset.fingerprint}"
        summary = dataset.member("nasa").summary
        assert summary == expected[dataset.fingerprint], f"{name}: snapshot of {summary!r} filed under other data"
    for fp, summary in stored_indexes(cache):
        assert fp in by_index_fp, "an index filed under a fingerprint of no version of the data"
        assert summary == by_index_fp[fp], f"index filed under the data with {by_index_fp[fp]!r} holds {summary!r}"


def once(action: Callable[[], None]) -> Callable[[], None]:
    done = False

    def run() -> None:
        nonlocal done
        if not done:
            done = True
            action()

    return run


def served_summary(data: Path, cache: Path) -> tuple[str, str]:
    """(nasa's summary in the dataset, in the index) as a fresh start would serve them."""
    dataset, _ = load_cached(data, cache=cache)
    opened = open_index(data, cache=cache)
    with opened.ix.searcher() as searcher:  # type: ignore[attr-defined]
        indexed = searcher.document(ref="member:nasa")["body"]
    return dataset.member("nasa").summary, indexed


# -- the snapshot ------------------------------------------------------------------------------


def test_edit_between_hashing_and_parsing_then_reverted_snapshot(data, cache, expected, monkeypatch) -> None:
    """The snapshot's fingerprint is taken, then the file is edited before it is parsed; then the
    edit is reverted. Before: the snapshot of the edit was filed under the original fingerprint,
    so after the revert the edit's text was shown for ever."""
    real = index.snapshot.data_fingerprint
    edit = once(lambda: set_summary(data, NEW))

    def hashed_then_edited(*args: Any, **kwargs: Any) -> str:
        fp = real(*args, **kwargs)
        edit()
        return fp

    monkeypatch.setattr(index.snapshot, "data_fingerprint", hashed_then_edited)
    dataset, from_snapshot = load_cached(data, cache=cache)
    monkeypatch.undo()
    assert not from_snapshot
    assert dataset.member("nasa").summary == NEW
    assert expected[dataset.fingerprint] == NEW, "the dataset's fingerprint is not of the bytes parsed"
    assert_filed_correctly(cache, expected)

    set_summary(data, OLD)  # reverted
    dataset, _ = load_cached(data, cache=cache)
    assert dataset.member("nasa").summary == OLD, "the reverted edit is still served from the snapshot"
    assert read_snapshot(data, cache=cache).member("nasa").summary == OLD
    assert_filed_correctly(cache, expected)
    set_summary(data, NEW)  # and edited again: its snapshot is still good
    assert read_snapshot(data, cache=cache).member("nasa").summary == NEW


# -- the index ---------------------------------------------------------------------------------


def test_edit_after_parsing_before_the_build_from_a_loaded_dataset(data, cache, expected) -> None:
    """The explorer's path: it parsed the data, the file is edited, then it builds the index from
    the dataset it holds. Before: the index of the old records was filed under the new data."""
    dataset, _ = load_cached(data, cache=cache)
    set_summary(data, NEW)
    opened = open_index(data, cache=cache, dataset=dataset)
    assert opened.info.fingerprint == index_fingerprint(dataset.fingerprint)
    assert_filed_correctly(cache, expected)
    assert served_summary(data, cache) == (NEW, NEW), "the edited data is served the old index"
    assert_filed_correctly(cache, expected)
    set_summary(data, OLD)  # reverted
    assert served_summary(data, cache) == (OLD, OLD)
    assert_filed_correctly(cache, expected)


def test_edit_between_hashing_and_parsing_index(data, cache, expected, monkeypatch) -> None:
    """The CLI's `index build` path: the index's fingerprint is taken, the file is edited, then it
    is parsed and indexed. Before: the new records were filed under the old data's fingerprint,
    and served after the edit was reverted."""
    real = index.store.load_cached

    def edited_then_loaded(*args: Any, **kwargs: Any) -> tuple[Dataset, bool]:
        set_summary(data, NEW)
        return real(*args, **kwargs)

    monkeypatch.setattr(index.store, "load_cached", edited_then_loaded)
    opened = open_index(data, cache=cache)
    monkeypatch.undo()
    with opened.ix.searcher() as searcher:  # type: ignore[attr-defined]
        assert searcher.document(ref="member:nasa")["body"] == NEW
    assert_filed_correctly(cache, expected)
    set_summary(data, OLD)  # reverted
    assert served_summary(data, cache) == (OLD, OLD), "the reverted edit is still served from the index"
    assert_filed_correctly(cache, expected)


@pytest.mark.parametrize("hook", ["build_into", "documents"])
def test_edit_during_the_build_then_reverted(data, cache, expected, monkeypatch, hook: str) -> None:
    """The file is edited while the index is written (`documents`) or after it was written and
    before it is stored (`build_into`): it is filed under the data it was built from."""
    real = getattr(index.store, hook)
    edit = once(lambda: set_summary(data, NEW))

    def edited(*args: Any, **kwargs: Any) -> Any:
        if hook == "documents":
            edit()
            return real(*args, **kwargs)
        result = real(*args, **kwargs)
        edit()
        return result

    monkeypatch.setattr(index.store, hook, edited)
    open_index(data, cache=cache)
    monkeypatch.undo()
    assert_filed_correctly(cache, expected)
    assert served_summary(data, cache) == (NEW, NEW)
    assert_filed_correctly(cache, expected)
    set_summary(data, OLD)
    assert served_summary(data, cache) == (OLD, OLD)
    assert_filed_correctly(cache, expected)


def test_the_explorer_opens_the_index_of_the_data_it_holds(data, cache, expected) -> None:
    """The explorer holds the old records; meanwhile the files changed and a build child (or
    another process) indexed the new ones. open_existing for its dataset must give the index of
    its own records, not of the files as they are now."""
    held, _ = load_cached(data, cache=cache)
    open_index(data, cache=cache)
    set_summary(data, NEW)
    open_index(data, cache=cache)  # what the build child does: index the files as they are
    assert open_existing(data, cache=cache) is not None
    # What load_index does: open_existing, then open_index, both for the dataset it holds. The
    # new data's build may have pruned the old index (then it is built again): never the wrong one.
    for opened in (open_existing(data, cache=cache, dataset=held), open_index(data, cache=cache, dataset=held)):
        if opened is not None:
            with opened.ix.searcher() as searcher:  # type: ignore[attr-defined]
                assert searcher.document(ref="member:nasa")["body"] == OLD, "the explorer got the new data's index"
    assert_filed_correctly(cache, expected)


def test_the_memo_sees_an_in_place_edit_of_the_same_size(data: Path) -> None:
    """Same size, same inode, within the same file-time tick: the memo must not return the old hash."""
    before = data_fingerprint(data)
    set_summary(data, NEW)
    after = data_fingerprint(data)
    assert before != after
    set_summary(data, OLD)
    assert data_fingerprint(data) == before


def test_the_memo_sees_an_edit_that_keeps_size_and_mtime(data: Path, cache: Path) -> None:
    """An in-place edit of the same size whose mtime is then put back (`touch -r`, `rsync -t`, a
    tool preserving times): only the ctime tells. The old memo, keyed by (path, mtime, size),
    served the old fingerprint, and so the old snapshot and index, for the edited data."""
    path = nasa_file(data)
    old = os.stat(path)
    os.utime(path, ns=(old.st_atime_ns, old.st_mtime_ns - 10_000_000_000))  # not "racily" recent
    old = os.stat(path)
    load_cached(data, cache=cache)  # memoized, snapshot written
    set_summary(data, NEW)
    os.utime(path, ns=(old.st_atime_ns, old.st_mtime_ns))
    assert os.stat(path).st_size == old.st_size and os.stat(path).st_ino == old.st_ino
    dataset, _ = load_cached(data, cache=cache)
    assert dataset.member("nasa").summary == NEW, "the edited data was served the old snapshot"
    assert served_summary(data, cache) == (NEW, NEW)
