"""Finding 2: the parsed-data snapshot must be data, never code, and read only from our own files.

The snapshot (index/snapshot.py) was a pickle: anyone who could get bytes of their choosing
read as the snapshot ran code as the user. It is now typed MessagePack, read through the
private cache folder (index/trust.py): no symlink followed, only the user's own file that
nobody else may write. The attacks: a symlink to a file of the victim's that holds attacker
bytes, a snapshot owned by another user (nobody) in a shared cache, a pickle under the new
name, garbage, truncations and hand-crafted MessagePack with wrong types. Each must be
ignored, with the TOML parsed again, and nothing may run or crash. And the format must give
back exactly what load_dataset gave.
"""

from __future__ import annotations

import dataclasses
import os
import pickle
import shutil
from pathlib import Path
from typing import Any

import msgspec
import pytest

import index.snapshot
from index import load_dataset
from index.cache import data_fingerprint
from index.files import bundled_data_dir
from index.model import Dataset, Origin
from index.snapshot import MAGIC, _digest, load_cached, read_snapshot, snapshot_name
from index.trust import private_folder_name

NOBODY = 65534
SUMMARY = "Space agency summary tapir"  # member nasa's summary in the hostile base dataset
PLANTED = "\x1b]52;c;aGVsbG8=\x07 planted summary"  # an OSC 52 clipboard write


def frame(payload: bytes) -> bytes:
    """A snapshot file around a payload: the header a reader checks, with a correct checksum."""
    return MAGIC + _digest(payload) + payload


def crafted(dataset: Dataset, summary: str = PLANTED) -> bytes:
    """A well-formed snapshot of `dataset` with member nasa's summary replaced: the attacker's
    bytes, which the format alone cannot tell from ours."""
    members = tuple(dataclasses.replace(m, summary=summary) if m.id == "nasa" else m for m in dataset.members)
    records = {**dataset.records, "member": members}
    return frame(msgspec.msgpack.encode(dataclasses.replace(dataset, records=records)))


def assert_parsed_from_toml(data: Path, cache: Path) -> None:
    """load_cached gives the TOML's records (not the planted ones), parsed again."""
    dataset, from_snapshot = load_cached(data, cache=cache)
    assert not from_snapshot, "a snapshot that must be ignored was read"
    assert dataset.member("nasa").summary == SUMMARY
    assert dataset == load_dataset(data)


@pytest.fixture
def shared(tmp_path: Path) -> Path:
    """A cache root every user may write, like /tmp (1777)."""
    root = tmp_path / "shared-cache"
    root.mkdir()
    root.chmod(0o1777)
    return root


def name_for(data: Path) -> str:
    return snapshot_name(data_fingerprint(data))


# -- rule 1: owner, mode, no symlink -------------------------------------------------------


def test_a_symlinked_snapshot_to_a_victim_file_with_attacker_bytes_is_not_read(data: Path, cache: Path, tmp_path):
    """The victim owns the target (say, a download holding the attacker's bytes); the snapshot's
    name is a symlink to it. Following it would show the attacker's records (an OSC 52 here)."""
    victim_file = tmp_path / "Downloads" / "report.bin"
    victim_file.parent.mkdir()
    victim_file.write_bytes(crafted(load_dataset(data)))
    victim_file.chmod(0o600)  # ours and private: only the symlink is wrong
    (cache / name_for(data)).symlink_to(victim_file)
    assert read_snapshot(data, cache=cache) is None
    assert_parsed_from_toml(data, cache)
    assert victim_file.read_bytes() == crafted(load_dataset(data)), "the symlink's target was changed"
    assert not (cache / name_for(data)).is_symlink(), "our own snapshot should have replaced the symlink"


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to give files to user nobody")
def test_a_symlinked_private_folder_in_a_shared_cache_is_not_followed(data: Path, shared: Path, tmp_path):
    """In a shared cache, nobody plants our private folder's name as a symlink to a folder of
    the victim's that holds a snapshot with attacker bytes."""
    victim_dir = tmp_path / "victim-dir"
    victim_dir.mkdir(mode=0o700)
    (victim_dir / name_for(data)).write_bytes(crafted(load_dataset(data)))
    (victim_dir / name_for(data)).chmod(0o600)
    link = shared / private_folder_name()
    link.symlink_to(victim_dir)
    os.lchown(link, NOBODY, NOBODY)
    assert read_snapshot(data, cache=shared) is None
    assert_parsed_from_toml(data, shared)


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to give files to user nobody")
@pytest.mark.parametrize("where", ["shared-root", "our-root"])
def test_a_snapshot_owned_by_nobody_is_not_read(data: Path, shared: Path, cache: Path, where: str) -> None:
    """A well-formed snapshot with attacker records, owned by nobody: planted in a shared (1777)
    root where a snapshot would be, or found in our own root (given away, restored from a backup)."""
    root = shared if where == "shared-root" else cache
    planted = root / name_for(data)
    planted.write_bytes(crafted(load_dataset(data)))
    os.chown(planted, NOBODY, NOBODY)
    planted.chmod(0o644)
    assert read_snapshot(data, cache=root) is None
    assert_parsed_from_toml(data, root)


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to give files to user nobody")
def test_a_private_folder_made_by_nobody_in_a_shared_cache_is_not_used(data: Path, shared: Path) -> None:
    """nobody creates our private folder's name first (mode 0777), with a snapshot inside."""
    folder = shared / private_folder_name()
    folder.mkdir()
    (folder / name_for(data)).write_bytes(crafted(load_dataset(data)))
    for path in (folder, folder / name_for(data)):
        os.chown(path, NOBODY, NOBODY)
    folder.chmod(0o777)
    assert read_snapshot(data, cache=shared) is None
    assert_parsed_from_toml(data, shared)


@pytest.mark.parametrize("mode", [0o620, 0o602, 0o666])
def test_our_snapshot_writable_by_others_is_not_read(data: Path, cache: Path, mode: int) -> None:
    load_cached(data, cache=cache)
    path = cache / name_for(data)
    path.write_bytes(crafted(load_dataset(data)))
    path.chmod(mode)
    assert read_snapshot(data, cache=cache) is None
    assert_parsed_from_toml(data, cache)


# -- no code, ever -------------------------------------------------------------------------


class _Planted:
    """A pickle that runs code when loaded (writes a marker file)."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (Path.write_text, (self.marker, "code ran"))


@pytest.mark.parametrize("framed", [True, False], ids=["with-header-and-checksum", "bare"])
def test_a_pickle_under_the_snapshot_name_never_runs(data: Path, cache: Path, tmp_path: Path, framed: bool) -> None:
    """Our own private file, the right name, even the right header and checksum: still data only."""
    marker = tmp_path / "code-ran"
    payload = pickle.dumps(_Planted(marker))
    path = cache / name_for(data)
    path.write_bytes(frame(payload) if framed else payload)
    path.chmod(0o600)
    assert read_snapshot(data, cache=cache) is None
    assert not marker.exists(), "a pickle in the snapshot ran its code"
    assert_parsed_from_toml(data, cache)
    assert not marker.exists(), "a pickle in the snapshot ran its code"


# -- damaged and hand-crafted files ----------------------------------------------------------


def _garbage(good: bytes, kind: str) -> bytes:
    header = len(MAGIC) + 32
    if kind == "json-not-msgpack":
        return frame(msgspec.json.encode(msgspec.msgpack.decode(good[header:])))
    return {
        "empty": b"",
        "magic-only": MAGIC,
        "header-only": good[:header],
        "truncated-half": good[: len(good) // 2],
        "truncated-by-one": good[:-1],
        "extra-byte": good + b"\0",
        "random": os.urandom(len(good)),
        "random-payload-good-checksum": frame(os.urandom(len(good) - header)),
        "old-magic": b"alliance-explorer dataset snapshot\n" + good[len(MAGIC) :],
        "deep-nesting": frame(b"\x91" * 100_000 + b"\xc0"),
        "huge-length": frame(b"\xdd\xff\xff\xff\xff"),  # an array claiming 4 G items
    }[kind]


GARBAGE = ["empty", "magic-only", "header-only", "truncated-half", "truncated-by-one", "extra-byte", "random"]
GARBAGE += ["random-payload-good-checksum", "old-magic", "json-not-msgpack", "deep-nesting", "huge-length"]


@pytest.mark.parametrize("kind", GARBAGE)
def test_garbage_and_truncated_snapshots_are_ignored(data: Path, cache: Path, kind: str) -> None:
    load_cached(data, cache=cache)
    path = cache / name_for(data)
    path.write_bytes(_garbage(path.read_bytes(), kind))
    assert read_snapshot(data, cache=cache) is None
    dataset, from_snapshot = load_cached(data, cache=cache)
    assert not from_snapshot
    assert dataset == load_dataset(data)
    again, from_snapshot = load_cached(data, cache=cache)  # and a good one was written again
    assert from_snapshot and again == dataset


def _set(tree: Any, path: tuple[Any, ...], value: Any) -> None:
    for step in path[:-1]:
        tree = tree[step]
    if value is _DELETE:
        del tree[path[-1]]
    else:
        tree[path[-1]] = value


_DELETE = object()

# (where in the builtins tree, the wrong value): each must reject the whole file.
WRONG = {
    "member-founding-str": (("records", "member", 0, "founding"), "yes"),
    "member-joined-str": (("records", "member", 0, "joined"), "2024-01-01"),
    "member-joined-month-13": (("records", "member", 0, "joined"), {"year": 2024, "month": 13, "day": 0}),
    "member-joined-day-without-month": (("records", "member", 0, "joined"), {"year": 2024, "month": 0, "day": 5}),
    "member-joined-year-str": (("records", "member", 0, "joined", "year"), "2024"),
    "member-sources-ints": (("records", "member", 0, "sources"), [1, 2]),
    "member-name-none": (("records", "member", 0, "name"), None),
    "member-id-missing": (("records", "member", 0, "id"), _DELETE),
    "member-kind-quote": (("records", "member", 0, "kind"), "quote"),
    "member-kind-other": (("records", "member", 0, "kind"), "exploit"),
    "member-is-int": (("records", "member", 0), 7),
    "members-is-map": (("records", "member"), {"a": 1}),
    "quote-translation-arity": (("records", "quote", 0, "translations"), [["fr"]]),
    "quote-translation-int": (("records", "quote", 0, "translations"), [["fr", 3]]),
    "origin-line-str": (("records", "member", 0, "origin", "line"), "12"),
    "alliance-missing": (("alliance",), _DELETE),
    "figure-value-int": (("alliance", "figures", 0, "value"), 57),
    "section-items-str": (("alliance", "sections", 0, "items"), "not a list"),
    "fingerprint-other-data": (("fingerprint",), "0" * 64),
    "fingerprint-missing": (("fingerprint",), _DELETE),
    "kind-unknown": (("records", "gadget"), []),
    "kind-missing": (("records", "quote"), _DELETE),
    "project-status-int": (
        ("records", "project"),
        [{"id": "p", "name": "P", "summary": "s", "status": 3, "lead": ["nasa"], "sources": ["https://e.org"]}],
    ),
}


@pytest.mark.parametrize("case", list(WRONG))
def test_wrong_types_are_rejected_not_half_loaded(cache: Path, case: str, tmp_path: Path) -> None:
    """Valid MessagePack, correct header and checksum, one wrong value: the file is rejected whole
    and the TOML parsed again (never a Dataset with a str where a bool belongs)."""
    data = tmp_path / "bundled"
    shutil.copytree(bundled_data_dir(), data)  # has quotes with translations, figures, sections
    good, _ = load_cached(data, cache=cache)
    tree = msgspec.msgpack.decode(msgspec.msgpack.encode(good))  # plain lists and maps
    where, value = WRONG[case]
    _set(tree, where, value)
    path = cache / name_for(data)
    path.write_bytes(frame(msgspec.msgpack.encode(tree)))
    path.chmod(0o600)
    assert read_snapshot(data, cache=cache) is None, f"a snapshot with {case} was accepted"
    dataset, from_snapshot = load_cached(data, cache=cache)
    assert not from_snapshot
    assert dataset == load_dataset(data)


def test_the_untouched_builtins_tree_is_accepted(cache: Path, data: Path) -> None:
    """The control for the test above: the same route without a change loads."""
    good, _ = load_cached(data, cache=cache)
    tree = msgspec.msgpack.decode(msgspec.msgpack.encode(good))
    (cache / name_for(data)).write_bytes(frame(msgspec.msgpack.encode(tree)))
    assert read_snapshot(data, cache=cache) == good


# -- the format loses nothing ----------------------------------------------------------------


def assert_same(a: Any, b: Any, where: str = "dataset") -> None:
    """Deep equality including the fields dataclass equality skips (origin, fingerprint), with
    the exact types (tuples stay tuples, dates stay PartialDate)."""
    assert type(a) is type(b), f"{where}: {type(a).__name__} != {type(b).__name__}"
    if dataclasses.is_dataclass(a):
        for f in dataclasses.fields(a):
            assert_same(getattr(a, f.name), getattr(b, f.name), f"{where}.{f.name}")
    elif isinstance(a, tuple):
        assert len(a) == len(b), where
        for n, (x, y) in enumerate(zip(a, b, strict=True)):
            assert_same(x, y, f"{where}[{n}]")
    else:
        assert a == b, where


@pytest.mark.parametrize("which", ["bundled", "hostile"])
def test_round_trip_equals_load_dataset(cache: Path, data: Path, which: str) -> None:
    source = bundled_data_dir() if which == "bundled" else data
    parsed = load_dataset(source)
    _, from_snapshot = load_cached(source, cache=cache)
    assert not from_snapshot
    loaded, from_snapshot = load_cached(source, cache=cache)
    assert from_snapshot
    assert loaded == parsed
    assert_same(loaded, parsed)
    assert loaded.fingerprint == data_fingerprint(source)
    # What the bundled data must exercise: each shape the model has.
    if which == "bundled":
        assert any(q.translations for q in loaded.quotes)
        assert loaded.alliance.figures and loaded.alliance.sections and loaded.topics
        assert {m.joined.precision for m in loaded.members if m.joined} >= {"day"}
        assert any(m.joined is None and m.listed for m in loaded.members)  # joined is optional
        assert loaded.projects and loaded.groups and loaded.people and loaded.alliance.counts
        assert any(e.sort_as for e in loaded.events) and any(q.sort_as for q in loaded.quotes)
    # Origins survive (error messages and `file:line` need them).
    assert all(isinstance(m.origin, Origin) and m.origin.line > 0 for m in loaded.members)


def test_the_snapshot_is_not_a_pickle_and_is_private(cache: Path, data: Path) -> None:
    load_cached(data, cache=cache)
    path = cache / name_for(data)
    assert path.name.endswith(".msgpack") and path.name.startswith("dataset-")
    raw = path.read_bytes()
    assert raw.startswith(MAGIC)
    assert b"index.model" not in raw and b"\x80\x05" not in raw[: len(MAGIC) + 40]  # no pickle opcodes
    assert path.stat().st_mode & 0o777 == 0o600
    assert not [p for p in cache.iterdir() if p.name.endswith(".pickle")]


@pytest.mark.parametrize("threshold", [0, 1 << 30], ids=["checksum-in-a-thread", "checksum-first"])
def test_a_flipped_byte_in_a_text_is_caught_by_the_checksum(
    data: Path, cache: Path, threshold: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A damaged letter still decodes (the types are right): only the checksum catches it,
    whether it is computed before the decoding (small files) or beside it (large ones)."""
    monkeypatch.setattr(index.snapshot, "_PARALLEL_DIGEST", threshold)
    load_cached(data, cache=cache)
    assert read_snapshot(data, cache=cache) == load_dataset(data)  # undamaged, it is read
    path = cache / name_for(data)
    raw = path.read_bytes()
    at = raw.index(SUMMARY.encode())
    path.write_bytes(raw[:at] + b"X" + raw[at + 1 :])  # "Space…" -> "Xpace…": valid MessagePack, wrong data
    assert read_snapshot(data, cache=cache) is None
    assert_parsed_from_toml(data, cache)
