"""Trusting the cache: only the user's own, private folders and files are ever read.

Whoosh reads its table of contents and postings with pickle, and pickle runs code: an
index another user could write is code execution as whoever opens it. So the cache is
trusted the way OpenSSH's StrictModes trusts ~/.ssh, and every check is made on an open
file descriptor (no check-then-open race) reached without following a symlink:

- the cache root is opened with O_NOFOLLOW; if it is ours and not writable by group or
  others it is used as it is;
- otherwise (a shared 1777 folder, a team's group-writable folder) a private folder
  `alliance-explorer-<uid>` inside it is used, created 0700 and checked the same way;
- if neither can be had, `private_cache` returns None and a one-line reason: callers
  then work without a disk cache (an in-memory index);
- below that folder, every folder and file is opened relative to its parent's
  descriptor with O_NOFOLLOW, and must be ours, not writable by group or others, and of
  the expected type (`open_dir`, `open_file`).

Nothing here imports the search engine, except `TrustedStorage`, which is Whoosh's file
storage reading through these checks.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_FILE_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC | os.O_NONBLOCK  # a FIFO must not block the open
_UNSAFE_BITS = stat.S_IWGRP | stat.S_IWOTH


class Untrusted(OSError):
    """A cache entry that must not be read: not ours, writable by others, a symlink or of the wrong type."""


def private_folder_name() -> str:
    """The per-user folder used inside a cache root that is shared with others."""
    return f"alliance-explorer-{os.geteuid()}"


def check(fd: int, *, directory: bool, shown: str) -> os.stat_result:
    """fstat an open descriptor and raise Untrusted unless it is ours, private enough and of the right type."""
    info = os.fstat(fd)
    if directory != stat.S_ISDIR(info.st_mode) or not (directory or stat.S_ISREG(info.st_mode)):
        raise Untrusted(errno.EPERM, f"not a {'directory' if directory else 'regular file'}", shown)
    if info.st_uid != os.geteuid():
        raise Untrusted(errno.EPERM, f"owned by uid {info.st_uid}, not by you", shown)
    if info.st_mode & _UNSAFE_BITS:
        raise Untrusted(errno.EPERM, f"writable by others (mode {stat.S_IMODE(info.st_mode):o})", shown)
    return info


def _open_checked(name: str | Path, flags: int, *, directory: bool, dir_fd: int | None, shown: str) -> int:
    try:
        fd = os.open(name, flags, dir_fd=dir_fd)
    except OSError as exc:
        if exc.errno == errno.ELOOP:  # O_NOFOLLOW met a symlink
            raise Untrusted(errno.ELOOP, "a symbolic link", shown) from None
        if exc.errno == errno.ENOTDIR and directory:
            raise Untrusted(errno.ENOTDIR, "not a directory (or a symbolic link)", shown) from None
        raise
    try:
        check(fd, directory=directory, shown=shown)
    except BaseException:
        os.close(fd)
        raise
    return fd


@dataclass(eq=False)
class CacheDir:
    """A verified cache folder, held open: everything below it is reached through `fd`.

    `path` is for messages and for writers (Whoosh builds by path into folders we just
    created ourselves); reads never go through it.
    """

    path: Path
    fd: int

    def _dir_fd(self) -> int:
        """The open descriptor; a closed folder must never fall back to some other folder."""
        if self.fd < 0:
            raise OSError(errno.EBADF, "cache folder already closed", str(self.path))
        return self.fd

    def close(self) -> None:
        if self.fd >= 0:
            with contextlib.suppress(OSError):
                os.close(self.fd)
            self.fd = -1

    def __enter__(self) -> CacheDir:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        self.close()

    # -- reading ------------------------------------------------------------------

    def open_dir(self, name: str) -> CacheDir:
        """A sub-folder, checked like the root; raises Untrusted or OSError (FileNotFoundError)."""
        _plain_name(name)
        fd = _open_checked(name, _DIR_FLAGS, directory=True, dir_fd=self._dir_fd(), shown=str(self.path / name))
        return CacheDir(self.path / name, fd)

    def open_file(self, name: str) -> IO[bytes]:
        """A file for reading, checked on its descriptor; raises Untrusted or OSError."""
        _plain_name(name)
        fd = _open_checked(name, _FILE_FLAGS, directory=False, dir_fd=self._dir_fd(), shown=str(self.path / name))
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")

    def read_bytes(self, name: str) -> bytes:
        with self.open_file(name) as handle:
            return handle.read()

    def entries(self) -> list[os.DirEntry[str]]:
        """What the folder holds (read through the descriptor, so it is this very folder)."""
        with os.scandir(self._dir_fd()) as found:
            return sorted(found, key=lambda e: e.name)

    def names(self) -> list[str]:
        return sorted(os.listdir(self._dir_fd()))

    def lstat(self, name: str) -> os.stat_result:
        _plain_name(name)
        return os.stat(name, dir_fd=self._dir_fd(), follow_symlinks=False)

    def try_lock(self, *, shared: bool) -> bool:
        """flock this folder without waiting: False if another process holds a conflicting lock.

        Readers of an index hold a shared lock for as long as it is open; removers take an
        exclusive one and leave a folder in use alone. The kernel drops the lock with the
        descriptor, so a killed process never leaves one behind.
        """
        try:
            fcntl.flock(self._dir_fd(), (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def fd_path(self, name: str = "") -> str:
        """A path that reaches this very folder (not whatever its name points to now) on Linux."""
        proc = f"/proc/self/fd/{self._dir_fd()}"
        base = proc if os.path.isdir(proc) else str(self.path)
        return f"{base}/{name}" if name else base

    # -- writing ------------------------------------------------------------------

    def make_dir(self, name: str) -> CacheDir:
        """Create a private (0700) sub-folder and open it; FileExistsError if the name is taken."""
        _plain_name(name)
        os.mkdir(name, 0o700, dir_fd=self._dir_fd())
        return self.open_dir(name)

    def write_atomic(self, name: str, chunks: Iterable[bytes | memoryview]) -> None:
        """Write a private (0600) file under a temporary name, then rename it over `name`."""
        _plain_name(name)
        temp = f".tmp-{name}-{os.getpid()}-{os.urandom(4).hex()}"
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
        fd = os.open(temp, flags, 0o600, dir_fd=self._dir_fd())
        try:
            with os.fdopen(fd, "wb") as handle:
                for chunk in chunks:
                    handle.write(chunk)
            os.replace(temp, name, src_dir_fd=self._dir_fd(), dst_dir_fd=self._dir_fd())
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temp, dir_fd=self._dir_fd())
            raise

    def unlink(self, name: str) -> None:
        _plain_name(name)
        os.unlink(name, dir_fd=self._dir_fd())

    def rename(self, old: str, new: str) -> None:
        """Rename within this folder; fails (OSError) if `new` is a non-empty folder."""
        _plain_name(old)
        _plain_name(new)
        os.rename(old, new, src_dir_fd=self._dir_fd(), dst_dir_fd=self._dir_fd())

    def remove_tree(self, name: str) -> None:
        """Delete a sub-folder and everything in it, through descriptors: a symlink met on the
        way is removed, never followed (shutil.rmtree's fd-based walk); raises OSError."""
        import shutil  # only to remove: reading the cache (every list, show, search) needs none of it

        _plain_name(name)
        shutil.rmtree(name, dir_fd=self._dir_fd())


def _plain_name(name: str) -> None:
    """Only names directly inside the folder: no separators, no '..'."""
    if not name or name in (".", "..") or "/" in name or "\0" in name:
        raise ValueError(f"not a plain file name: {name!r}")


def open_root(root: Path, *, create: bool = True) -> CacheDir:
    """The cache root itself if it is ours and private enough; raises Untrusted or OSError."""
    if create and not os.path.lexists(root):
        # Parents as the umask allows (they are the user's own config of where caches go);
        # the root itself private.
        root.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):
            os.mkdir(root, 0o700)
    fd = _open_checked(root, _DIR_FLAGS, directory=True, dir_fd=None, shown=str(root))
    return CacheDir(root, fd)


def private_cache(root: Path, *, create: bool = True) -> tuple[CacheDir | None, str]:
    """The folder to keep caches in, and '' — or None and why not (one line, for a notice).

    The root when it is ours and private; else our own 0700 folder inside it. A root that
    is a symlink is never followed. With create=False, a cache that does not exist yet
    gives (None, ''): nothing to read, and nothing to report.
    """
    try:
        return open_root(root, create=create), ""
    except Untrusted as exc:
        if exc.errno == errno.ELOOP or (exc.errno == errno.ENOTDIR and root.is_symlink()):
            return None, f"cache directory {root} is a symbolic link, which is never followed"
        why = exc.strerror
    except FileNotFoundError as exc:
        return None, "" if not create else f"cache directory {root} is not writable ({exc.strerror or exc})"
    except OSError as exc:
        return None, f"cache directory {root} is not writable ({exc.strerror or exc})"
    # Not ours, or others may write it: our own folder inside, if we can have one.
    name = private_folder_name()
    try:
        parent_fd = os.open(root, _DIR_FLAGS)  # only to create and open our folder by descriptor
    except OSError as exc:
        return None, f"cache directory {root} is {why} and not usable ({exc.strerror or exc})"
    try:
        with contextlib.suppress(FileExistsError):
            if create:
                os.mkdir(name, 0o700, dir_fd=parent_fd)
        fd = _open_checked(name, _DIR_FLAGS, directory=True, dir_fd=parent_fd, shown=str(root / name))
    except Untrusted as exc:
        return None, f"cache directory {root} is {why}, and {root / name} is {exc.strerror}"
    except OSError as exc:
        if isinstance(exc, FileNotFoundError) and not create:
            return None, ""  # no folder of ours yet: nothing to read
        return None, f"cache directory {root} is {why}, and {root / name} is not writable ({exc.strerror or exc})"
    finally:
        os.close(parent_fd)
    return CacheDir(root / name, fd), ""


@contextlib.contextmanager
def opened_private_cache(root: Path, *, create: bool = True) -> Iterator[tuple[CacheDir | None, str]]:
    """private_cache as a context manager that closes the folder's descriptor."""
    folder, why = private_cache(root, create=create)
    try:
        yield folder, why
    finally:
        if folder is not None:
            folder.close()


_storage_class: Any = None


def trusted_storage(folder: CacheDir) -> Any:
    """Whoosh file storage over a verified, read-only index folder (see TrustedStorage).

    The class is made once, at module level in effect: a class defined per call (or
    methods closing over `folder`) would sit in a reference cycle, and the folder's
    descriptor, with the reader's lock on it, would outlive the index until a gc pass.
    """
    global _storage_class
    if _storage_class is None:
        _storage_class = _make_storage_class()
    return _storage_class(folder)


def _make_storage_class() -> Any:
    import io
    import mmap

    from whoosh.filedb.filestore import FileStorage
    from whoosh.filedb.structfile import StructFile

    class TrustedStorage(FileStorage):  # type: ignore[misc]
        """Whoosh's FileStorage, reading only through `trusted`'s descriptor and its checks.

        Read-only: an index folder is never written after its build. The folder stays
        open as long as the storage lives (Whoosh's readers call close() on it when they
        close: that must not end it); `trusted.close()` ends it.
        """

        def __init__(self, folder: CacheDir) -> None:
            super().__init__(folder.fd_path(), readonly=True)
            self.trusted = folder

        def open_file(self, name: str, **kwargs: Any) -> Any:
            # Checked on its descriptor (`CacheDir.open_file`), then mapped read-only: Whoosh
            # looks terms up with a seek and a small read each (~35,000 at 10k records for one
            # search), which on a mapping are memory reads, not calls into the file object.
            # An mmap is a file-like object StructFile takes as it is (no copy, unlike
            # BufferFile); the mapping outlives the descriptor, closed here at once.
            with self.trusted.open_file(name) as handle:
                try:
                    mapped: Any = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
                except (ValueError, OSError):  # an empty file cannot be mapped
                    mapped = io.BytesIO(handle.read())
            return StructFile(mapped, name=name, **kwargs)

        def list(self) -> list[str]:
            try:
                return self.trusted.names()
            except OSError:
                return []

        def file_exists(self, name: str) -> bool:
            try:
                return stat.S_ISREG(self.trusted.lstat(name).st_mode)
            except (OSError, ValueError):
                return False

        def file_modified(self, name: str) -> float:
            return self.trusted.lstat(name).st_mtime

        def file_length(self, name: str) -> int:
            return self.trusted.lstat(name).st_size

    return TrustedStorage
