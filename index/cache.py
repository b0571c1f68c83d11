"""The user cache directory and fingerprints of data files (no search-engine import)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from .files import discover, resolve_data_dir
from .problems import DataError

CACHE_ENV = "ALLIANCE_CACHE"

# (root, ((path, mtime_ns, size), ...)) -> fingerprint: hashing 50 MB twice per start is waste.
_memo: dict[tuple[str, tuple[tuple[str, int, int], ...]], str] = {}


def cache_root() -> Path:
    """Where caches live: $ALLIANCE_CACHE, else the user cache directory."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("alliance-explorer", appauthor=False)) / "index"


def data_fingerprint(data_dir: str | Path | None = None) -> str:
    """A hash of the data files' relative paths and contents; reads bytes, parses nothing.

    Raises DataError when the directory cannot be listed (missing, empty, loops).
    """
    root = resolve_data_dir(data_dir)
    paths, problems = discover(root)
    if problems:
        raise DataError(problems)
    stats = []
    for path in paths:
        try:
            st = path.stat()
            stats.append((str(path), st.st_mtime_ns, st.st_size))
        except OSError:
            stats.append((str(path), -1, -1))
    key = (str(root.resolve()), tuple(stats))
    if key in _memo:
        return _memo[key]
    digest = hashlib.sha256()
    for path in paths:
        digest.update(str(path.relative_to(root)).encode("utf-8", "surrogateescape") + b"\0")
        try:
            digest.update(hashlib.sha256(path.read_bytes()).digest())
        except OSError:
            digest.update(b"unreadable")  # load_dataset reports it properly
    _memo[key] = digest.hexdigest()
    return _memo[key]
