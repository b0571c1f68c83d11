"""The user cache directory and fingerprints of data files (no search-engine import)."""

from __future__ import annotations

import hashlib
import os
import sys
import time
from pathlib import Path

from .files import discover, resolve_data_dir
from .problems import DataError

CACHE_ENV = "ALLIANCE_CACHE"

# (root, ((path, dev, inode, mtime_ns, ctime_ns, size), ...)) -> fingerprint: hashing 50 MB
# twice per start is waste. The inode and ctime catch a file replaced (renamed over) or
# rewritten with the same mtime and size. File times tick coarsely (a few ms), so a file
# changed within _RACY of the hashing could change again unseen: not memoized (as git's
# "racily clean" entries).
_RACY = 2_000_000_000  # ns
_FileKey = tuple[str, int, int, int, int, int]
_memo: dict[tuple[str, tuple[_FileKey, ...]], str] = {}


def cache_root() -> Path:
    """Where caches live: $ALLIANCE_CACHE, else the user cache directory.

    Absolute (for messages and for what `index clear` reports), but not resolved: a cache
    root that is a symlink must be seen as one (index/trust.py never follows it).
    """
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env).expanduser().absolute()
    return Path(user_cache_dir()) / "index"


APP_NAME = "alliance-explorer"


def user_cache_dir() -> str:
    """The app's user cache directory, as platformdirs gives it.

    On Linux and the BSDs that is the XDG rule: an absolute $XDG_CACHE_HOME, else
    ~/.cache. Importing platformdirs (with tempfile, shutil, random, bz2 and lzma) costs
    about 6 ms, a tenth of a piped `alliance show`, so the rule is applied here; anything
    else (macOS, Windows, Android, a HOME that is not an absolute path) asks platformdirs.
    tests/test_cache_dir.py checks both give the same folder.
    """
    if sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd")) and not (
        "ANDROID_DATA" in os.environ and "ANDROID_ROOT" in os.environ
    ):
        xdg = os.environ.get("XDG_CACHE_HOME", "")
        if os.path.isabs(xdg):
            return os.path.join(xdg, APP_NAME)
        home = os.environ.get("HOME")
        if home is None or os.path.isabs(home):  # unset: expanduser asks the password database
            base = os.path.expanduser("~/.cache")
            if os.path.isabs(base):
                return os.path.join(base, APP_NAME)
    from platformdirs import user_cache_dir as platform_cache_dir

    return platform_cache_dir(APP_NAME, appauthor=False)


class DataHasher:
    """The data fingerprint, fed file by file: what `data_fingerprint` computes from the disk
    and `load_dataset` from the very bytes it parsed (so a snapshot or an index stored under a
    fingerprint holds exactly the data those bytes give, even if the files change meanwhile)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._digest = hashlib.sha256()

    def add(self, path: Path, raw: bytes | None) -> None:
        """One file, in discover() order; raw None for a file that could not be read."""
        self._digest.update(str(path.relative_to(self.root)).encode("utf-8", "surrogateescape") + b"\0")
        self._digest.update(b"unreadable" if raw is None else hashlib.sha256(raw).digest())

    def hexdigest(self) -> str:
        return self._digest.hexdigest()


def data_fingerprint(data_dir: str | Path | None = None) -> str:
    """A hash of the data files' relative paths and contents; reads bytes, parses nothing.

    Raises DataError when the directory cannot be listed (missing, empty, loops).
    """
    root = resolve_data_dir(data_dir)
    paths, problems = discover(root)
    if problems:
        raise DataError(problems)
    started = time.time_ns()
    stats: list[_FileKey] = []
    for path in paths:
        try:
            st = path.stat()
            stats.append((str(path), st.st_dev, st.st_ino, st.st_mtime_ns, st.st_ctime_ns, st.st_size))
        except OSError:
            stats.append((str(path), -1, -1, -1, -1, -1))
    key = (str(root.resolve()), tuple(stats))
    if key in _memo:
        return _memo[key]
    hasher = DataHasher(root)
    for path in paths:
        try:
            raw: bytes | None = path.read_bytes()
        except OSError:
            raw = None  # load_dataset reports it properly
        hasher.add(path, raw)
    digest = hasher.hexdigest()
    if all(st[3] >= 0 and max(st[3], st[4]) < started - _RACY for st in stats):
        _memo[key] = digest
    return digest
