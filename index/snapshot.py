"""Parsed datasets kept in the cache, keyed by the data fingerprint.

Parsing and validating 100,000 TOML records takes ~10 s; unpickling the result
takes under one. The snapshot is written after a successful load and trusted
only for exactly the same data files (fingerprint), model version and Python.
It lives in the user's own cache directory, which only the user can write.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import pickle
import stat
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .cache import cache_root, data_fingerprint
from .files import resolve_data_dir
from .model import Dataset

# Bump when the model classes change shape: old snapshots are then ignored.
MODEL_VERSION = 3


def snapshot_path(data_dir: str | Path | None = None, cache: Path | None = None) -> Path:
    key = data_fingerprint(data_dir)[:20]
    tag = f"m{MODEL_VERSION}-py{sys.version_info[0]}{sys.version_info[1]}"
    return (cache or cache_root()) / f"dataset-{key}-{tag}.pickle"


MAGIC = b"alliance-explorer dataset snapshot\n"
_DIGEST = 32  # blake2b bytes


def _digest(payload: bytes | memoryview) -> bytes:
    return hashlib.blake2b(payload, digest_size=_DIGEST).digest()


def _trusted_file(handle: Any) -> bool:
    """Only the user's own, private file is unpickled: a pickle is code.

    $ALLIANCE_CACHE may name a shared folder (a CI cache, /tmp): a file there that
    another user owns, or that others may write, is ignored.
    """
    info = os.fstat(handle.fileno())
    return info.st_uid == os.getuid() and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _read(path: Path) -> Dataset | None:
    try:
        with path.open("rb") as handle:
            if not _trusted_file(handle):
                return None
            raw = handle.read()
    except OSError:
        return None
    header = len(MAGIC) + _DIGEST
    payload = memoryview(raw)[header:]  # not a copy: at 100k records that is 54 MB more at the peak
    if not raw.startswith(MAGIC) or raw[len(MAGIC) : header] != _digest(payload):
        with contextlib.suppress(OSError):
            path.unlink()  # damaged or foreign: the TOML is read again and a new snapshot written
        return None
    # Millions of small objects: the cycle collector would scan them all repeatedly.
    enabled = gc.isenabled()
    gc.disable()
    try:
        data = pickle.loads(payload)
    except Exception:
        return None
    finally:
        payload.release()
        if enabled:
            gc.enable()
    return data if isinstance(data, Dataset) else None


def _write(path: Path, dataset: Dataset) -> None:
    """Atomic (a temporary file renamed over the final name), private, and checksummed."""
    try:
        payload = pickle.dumps(dataset, protocol=pickle.HIGHEST_PROTOCOL)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=".snapshot-", dir=path.parent)  # mode 0600
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(MAGIC + _digest(payload))
                handle.write(payload)
            os.replace(temp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp)
            raise
    except OSError:
        pass  # an unwritable cache only costs the next start its speed


def read_snapshot(data_dir: str | Path | None = None, *, cache: Path | None = None) -> Dataset | None:
    """The dataset's snapshot if the data files are unchanged since it was written, else None."""
    return _read(snapshot_path(resolve_data_dir(data_dir), cache))


def load_cached(
    data_dir: str | Path | None = None,
    *,
    cache: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[Dataset, bool]:
    """The dataset, from its snapshot when the data files are unchanged; (dataset, from_snapshot).

    Raises DataError exactly as load_dataset does for bad data (bad data is never cached).
    `progress` is passed on to load_dataset when the files have to be parsed.
    """
    root = resolve_data_dir(data_dir)
    path = snapshot_path(root, cache)
    dataset = _read(path)
    if dataset is not None:
        return dataset, True
    from .load import load_dataset  # the parser and validator, only when the snapshot is missing

    dataset = load_dataset(root, progress=progress)
    _write(path, dataset)
    return dataset, False
