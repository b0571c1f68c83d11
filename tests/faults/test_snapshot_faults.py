"""The parsed-data snapshot (index/snapshot.py) the explorer starts from: `<cache>/dataset-*.msgpack`.

It is a cache like the index: a damaged one must cost only speed, never correctness. A snapshot
whose bytes differ from what was written (a flipped byte, a file changed by someone else) must
not be trusted: it would bypass validation, control characters included, and reach the terminal.
"""

from __future__ import annotations

import os
import pickle
import shlex
from pathlib import Path

import pytest

# tests/ is on sys.path (pytest puts the folder above this package there): the e2e harness
# and the hostile suite's dataset writer and terminal-output scanner.
from e2e.harness import Terminal, alliance_command, clean_env, have_tmux

from index import load_dataset
from index.cache import data_fingerprint
from index.snapshot import load_cached, snapshot_name, snapshot_path
from tests.hostile.helpers import scan_terminal_output, write_dataset

SUMMARY = b"Space agency summary tapir"  # member nasa's summary in the hostile base dataset


@pytest.fixture
def snapshot(tmp_path: Path) -> tuple[Path, Path, Path]:
    """(data, cache, snapshot file): a small dataset and the snapshot the explorer wrote for it."""
    data = write_dataset(tmp_path / "data")
    cache = tmp_path / "cache"
    dataset, from_snapshot = load_cached(data, cache=cache)
    assert not from_snapshot
    again, from_snapshot = load_cached(data, cache=cache)
    assert from_snapshot and again == dataset
    path = snapshot_path(data, cache)
    assert path.exists()
    return data, cache, path


def replace_in(path: Path, old: bytes, new: bytes) -> None:
    """Same length, so the snapshot still decodes: what a flipped byte or a careful edit looks like."""
    assert len(old) == len(new)
    raw = path.read_bytes()
    assert raw.count(old) == 1
    path.write_bytes(raw.replace(old, new))


def test_truncated_snapshot_falls_back_to_the_toml(snapshot) -> None:
    data, cache, path = snapshot
    raw = path.read_bytes()
    path.write_bytes(raw[: len(raw) // 2])
    dataset, from_snapshot = load_cached(data, cache=cache)
    assert not from_snapshot
    assert dataset == load_dataset(data)


def test_garbage_snapshot_falls_back_to_the_toml(snapshot) -> None:
    data, cache, path = snapshot
    path.write_bytes(os.urandom(path.stat().st_size))
    dataset, from_snapshot = load_cached(data, cache=cache)
    assert not from_snapshot
    assert dataset == load_dataset(data)


def test_flipped_byte_in_a_snapshot_is_not_trusted(snapshot) -> None:
    """One byte of a text changed on disk (tapir -> tapis): the data shown must be the TOML's."""
    data, cache, path = snapshot
    replace_in(path, SUMMARY, SUMMARY[:-1] + b"s")
    dataset, _ = load_cached(data, cache=cache)
    assert dataset.member("nasa").summary == SUMMARY.decode(), "a damaged snapshot was trusted"


def test_a_snapshot_cannot_smuggle_control_characters_past_validation(snapshot) -> None:
    data, cache, path = snapshot
    payload = b"\x1b]52;c;aGVsbG8=\x07"
    replace_in(path, SUMMARY, payload + b" " * (len(SUMMARY) - len(payload)))
    dataset, _ = load_cached(data, cache=cache)
    assert "\x1b" not in dataset.member("nasa").summary, "validation was bypassed: ESC in a member summary"


@pytest.mark.e2e  # the explorer in tmux
@pytest.mark.skipif(not have_tmux(), reason="tmux is not installed (.ci/run installs it)")
def test_a_modified_snapshot_does_not_reach_the_terminal(tmp_path: Path) -> None:
    """End to end: the explorer, started on a dataset whose snapshot was modified to carry an OSC 52
    (clipboard write), must not write that sequence to the terminal when the member is shown."""
    data = write_dataset(tmp_path / "data")
    env = clean_env(tmp_path)
    cache = Path(env["ALLIANCE_CACHE"])
    load_cached(data, cache=cache)
    payload = b"\x1b]52;c;aGVsbG8=\x07"
    replace_in(snapshot_path(data, cache), SUMMARY, payload + b" " * (len(SUMMARY) - len(payload)))

    terminal = Terminal(tmp_path, width=100, height=30)
    try:
        terminal.start(f"{alliance_command()} --data {shlex.quote(str(data))}", env=env)
        terminal.wait_for("Hostile Alliance", timeout=30)
        terminal.send("2")
        terminal.wait_for("Members · 3 of 3")
        terminal.send("j", "Enter")  # open National Aeronautics and Space Administration
        terminal.wait_for("member:nasa")
        terminal.wait_quiet()
        terminal.send("q")
        terminal.wait_for("__EXIT__0")
    finally:
        terminal.close()
    raw = terminal.output()
    assert b"\x1b]52" not in raw, "the snapshot's OSC 52 (clipboard write) was written to the terminal"
    _sequences, problems = scan_terminal_output(raw)
    assert not problems, problems[:3]


class _Planted:
    """A pickle that runs code when loaded: what anyone who can write the snapshot file can plant."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.write_text, (self.marker, "code ran"))


def test_a_snapshot_planted_by_another_user_is_not_loaded(tmp_path: Path) -> None:
    """$ALLIANCE_CACHE may name a shared directory (a CI cache, /tmp/...): a snapshot file there
    that belongs to another user, or that others may write, must not be read (and a pickle, which
    is code, is never unpickled: the snapshot is MessagePack; tests/security/test_snapshot_format.py)."""
    data = write_dataset(tmp_path / "data")
    shared = tmp_path / "shared-cache"
    shared.mkdir()
    shared.chmod(0o1777)  # like /tmp
    marker = tmp_path / "code-ran"
    path = shared / snapshot_name(data_fingerprint(data))  # where a shared root's snapshot would be
    path.write_bytes(pickle.dumps(_Planted(marker)))
    if os.geteuid() == 0:
        os.chown(path, 65534, 65534)  # planted by user nobody
    path.chmod(0o666)
    dataset, _ = load_cached(data, cache=shared)
    assert not marker.exists(), "a snapshot planted by another user was unpickled: its code ran"
    assert dataset == load_dataset(data)
