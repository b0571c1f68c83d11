"""The on-disk index cache: fingerprinted, built atomically, verified on open.

Everything lives in the private cache folder of index/trust.py (the cache root when
it is ours and private, else our own 0700 folder inside it), and every read goes
through its checked descriptors: Whoosh unpickles its table of contents, so an index
someone else could write is never opened (`trusted_storage`).

Layout: `<folder>/<fingerprint[:20]>/` holds one Whoosh index plus `meta.json`,
written last. The fingerprint covers the data files' contents, the schema version and
the Whoosh version, so a changed dataset or a newer program never trusts an old index.

A build goes into `<folder>/.build-<random>/`, held by an flock on the sibling file
`.build-<random>.lock` (taken before the folder exists, dropped after the rename): the
kernel releases it when the builder dies, whatever PID namespace it ran in, so a sweep
removes exactly the builds whose lock it can take. The folder is renamed into place
only when complete; two processes building at once each build their own and the first
rename wins. Index folders are never written after the rename.

Readers hold a shared flock on the index folder while it is open; pruning, `clear`
and the sweep take an exclusive one without waiting and leave a folder in use alone.
A folder is deleted by renaming it to `.trash-<random>` first, so a half-deleted
folder is never found under an index's name.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import fcntl
import hashlib
import json
import os
import re
import stat
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import whoosh
from whoosh import index as whoosh_index
from whoosh.filedb.filestore import RamStorage
from whoosh.support.charset import accent_map

from .cache import CACHE_ENV, cache_root, data_fingerprint  # noqa: F401 (CACHE_ENV re-exported)
from .documents import documents
from .files import display_path, resolve_data_dir
from .model import Dataset
from .problems import DataError
from .schema import SCHEMA_VERSION, VOCABULARY, build_schema
from .snapshot import load_cached
from .trust import CacheDir, Untrusted, open_root, private_cache, trusted_storage

if TYPE_CHECKING:
    from .search import Searcher

META = "meta.json"
ENGINE = "whoosh " + whoosh.versionstring()
Progress = Callable[[int, int], None]


def fingerprint(data_dir: str | Path | None = None) -> str:
    """The data files' fingerprint combined with the schema and engine versions.

    Reads the files' bytes but does not parse them.
    """
    return index_fingerprint(data_fingerprint(data_dir))


def index_fingerprint(data: str) -> str:
    """A data fingerprint (index/cache.py) combined with the schema and engine versions."""
    return hashlib.sha256(f"schema {SCHEMA_VERSION}\n{ENGINE}\n{data}".encode()).hexdigest()


def _fingerprint_for(root_dir: Path, dataset: Dataset | None) -> str:
    """The index fingerprint of a parsed dataset: of the very bytes it was parsed from, which
    may differ from the files now (hashing them again would file old records under new data)."""
    if dataset is not None and dataset.fingerprint:
        return index_fingerprint(dataset.fingerprint)
    return fingerprint(root_dir)


@dataclass
class IndexInfo:
    """What `alliance index info` shows, and what meta.json holds."""

    fingerprint: str
    path: str  # "" for an in-memory index
    data_dir: str
    built_at: float
    build_seconds: float
    counts: dict[str, int]
    files: dict[str, list[object]] = field(default_factory=dict)  # name -> [size, blake2b]
    schema_version: int = SCHEMA_VERSION
    engine: str = ENGINE

    @property
    def size_bytes(self) -> int:
        return sum(int(entry[0]) for entry in self.files.values())  # type: ignore[call-overload]

    @property
    def documents(self) -> int:
        return sum(self.counts.values())

    def to_json(self) -> dict[str, object]:
        return dataclasses.asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, object]) -> IndexInfo:
        return cls(**data)  # type: ignore[arg-type]


@dataclass
class OpenedIndex:
    """An open Whoosh index, what it holds, and a one-line notice for people ('' if none)."""

    ix: object
    info: IndexInfo
    notice: str = ""
    built: bool = False

    def searcher(self) -> Searcher:
        """A searcher over this index: what callers search with, no Whoosh type needed."""
        from .search import Searcher  # the parser and collectors: loaded only to search

        return Searcher(self.ix)


class IndexCorrupt(Exception):
    """An index folder that must not be trusted (the message says why)."""


class CacheUnwritable(Exception):
    """open_index(fallback=False) could not put the index in the cache (the message says why)."""


# Names this program gives the entries of its cache folder: nothing else there is ever
# deleted (a cache root may be any folder: `ALLIANCE_CACHE=.` in a checkout).
INDEX_NAME = re.compile(r"[0-9a-f]{20}")
BUILD_NAME = re.compile(r"\.build-[0-9a-f]{16}")
BUILD_LOCK = re.compile(r"\.build-[0-9a-f]{16}\.lock")
TRASH_NAME = re.compile(r"\.trash-[0-9a-f]{16}")
TEMP_NAME = re.compile(r"\.tmp-.+-[0-9]+-[0-9a-f]{8}")  # CacheDir.write_atomic's temporaries
# Parsed-data snapshots (index/snapshot.py): `dataset-<fp20>-m4.msgpack`, and the pickles of
# earlier versions, `dataset-<fp20>-m3-py311.pickle`.
SNAPSHOT_NAME = re.compile(r"dataset-[0-9a-f]{20}-m[0-9]+(-py[0-9]+)?\.(msgpack|pickle)")

# A lock file without its build folder is only removed when older than this: its
# builder takes the lock a moment after creating the file.
LONE_LOCK_AGE = 60.0
# A write_atomic temporary of a killed writer (no lock: judged by age).
TEMP_AGE = 3600.0


def _token() -> str:
    """16 random hex digits for a temporary name (secrets, and random and base64 with it, are
    imported only by what builds or removes: not by a search)."""
    import secrets

    return secrets.token_hex(8)


def _why(exc: BaseException) -> str:
    """An exception as a short reason for a one-line notice."""
    if isinstance(exc, Untrusted):
        return f"{exc.filename} is {exc.strerror}"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


def _file_digest(handle: object) -> str:
    digest = hashlib.blake2b(digest_size=16)
    for block in iter(lambda: handle.read(1 << 20), b""):  # type: ignore[attr-defined]
        digest.update(block)
    return digest.hexdigest()


def _describe_files(folder: CacheDir) -> dict[str, list[object]]:
    """name -> [size, digest] of every file but meta.json, read through the folder's checks."""
    described: dict[str, list[object]] = {}
    for name in folder.names():
        if name == META:
            continue
        with folder.open_file(name) as handle:  # Untrusted for a symlink, a folder, a foreign file
            described[name] = [os.fstat(handle.fileno()).st_size, _file_digest(handle)]
    return described


_WORDS = re.compile(r"\w+")
_VOCABULARY_FIELDS = ("names", "title", "text", "text_fr")


# From this many documents, a build that may fork (see open_index's `parallel`: the CLI,
# and so the explorer's build child) uses Whoosh's multi-process writer: two segments
# written by two processes (100k records on 2 cores: ~105 s -> ~55 s). Searching two
# segments costs little more (100k: keystroke p95 within ~10%, tests/benchmarks).
PARALLEL_BUILD = 5000


def _write_documents(ix: object, dataset: Dataset, progress: Progress | None, parallel: bool = False) -> None:
    total = sum(dataset.counts().values())  # one document per record, of every registered kind
    procs = min(2, os.cpu_count() or 1) if parallel and total >= PARALLEL_BUILD else 1
    # "fork" whatever the interpreter's default (forkserver from 3.14): the sub-writers write
    # through /proc/self/fd/N paths, which name our descriptor only in a forked child.
    options = {"procs": procs, "multisegment": True, "start_method": "fork"} if procs > 1 else {}
    # Separate files, not one compound file: Whoosh reads a compound segment by copying its
    # postings and term index into memory (115 MB at 100k records); separate files are read in place.
    writer = ix.writer(limitmb=128, compound=False, **options)  # type: ignore[attr-defined]
    if procs > 1:
        _harden(writer)
    words: Counter[str] = Counter()
    try:
        step = max(1, total // 100)
        for done, doc in enumerate(documents(dataset), start=1):
            writer.add_document(**doc)
            for name in _VOCABULARY_FIELDS:  # as the folding analyzer sees them
                words.update(_WORDS.findall(str(doc.get(name, "")).lower().translate(accent_map)))
            if progress and (done % step == 0 or done == total):
                progress(done, total)
        writer.commit()
        _check_subwriters(writer)
    except BaseException:
        # A commit that failed half-way has closed the writer: cancelling it again raises
        # "This writer is closed", which must not hide the real error.
        with contextlib.suppress(Exception):
            writer.cancel()
        _stop_subwriters(writer)
        raise
    vocabulary = ix.storage.create_file(VOCABULARY)  # type: ignore[attr-defined]
    # "word<TAB>count": counts break ties between equally close corrections.
    vocabulary.write("\n".join(f"{w}\t{words[w]}" for w in sorted(words)).encode("utf-8"))
    vocabulary.close()


def _harden(writer: object) -> None:
    """Make Whoosh's multi-process writer fail cleanly instead of hanging or spraying stderr.

    - Its job queue holds at most 4 jobs per process: when the sub-writers have died (a full
      disk), the next put() would block for ever. Jobs are file names, so an unbounded
      queue costs nothing.
    - A sub-writer that fails prints its traceback to the stderr it inherited; the failure is
      reported once, by this process (see _check_subwriters), so theirs goes to /dev/null.
    """
    context = getattr(writer, "_mpctx", None)
    if context is None or not hasattr(writer, "_new_task") or getattr(writer, "tasks", None):
        return
    writer.jobqueue = context.Queue()  # type: ignore[attr-defined]
    writer.jobqueue.cancel_join_thread()  # type: ignore[attr-defined]  # never block this process's exit
    start_task = writer._new_task  # type: ignore[attr-defined]

    def quiet_task() -> object:
        saved = sys.stderr
        with open(os.devnull, "w", encoding="utf-8") as devnull:
            sys.stderr = devnull  # what the forked child inherits
            try:
                return start_task()
            finally:
                sys.stderr = saved

    writer._new_task = quiet_task  # type: ignore[attr-defined]


def _stop_subwriters(writer: object) -> None:
    """After a failed build: end the sub-writer processes, which would otherwise wait for jobs
    for ever (and multiprocessing joins them when this process exits)."""
    for task in getattr(writer, "tasks", ()):
        with contextlib.suppress(Exception):
            if task.is_alive():
                task.kill()
            task.join(5)


def _check_subwriters(writer: object) -> None:
    """Whoosh's multi-process writer commits without the segments of a sub-writer that died
    (a full disk in the child): that is a failed build, not a smaller index."""
    for task in getattr(writer, "tasks", ()):
        if task.exitcode not in (0, None):
            raise OSError(errno.EIO, f"an index writer process failed (exit code {task.exitcode})")


def build_in_memory(dataset: Dataset, progress: Progress | None = None) -> OpenedIndex:
    """An index in RAM, for when the cache cannot be written."""
    started = time.time()
    ix = RamStorage().create_index(build_schema())
    _write_documents(ix, dataset, progress)
    info = IndexInfo("", "", dataset.root, time.time(), time.time() - started, dataset.counts())
    return OpenedIndex(ix, info, built=True)


def build_into(
    folder: CacheDir,
    dataset: Dataset,
    fp: str,
    progress: Progress | None = None,
    data_dir: str = "",
    parallel: bool = False,
    final_path: str = "",
) -> IndexInfo:
    """Write a complete index and its meta.json into an empty build folder of ours.

    Whoosh writes by path: the path of this very folder through its descriptor
    (/proc/self/fd/N), so a renamed or replaced parent cannot redirect the writes.
    """
    started = time.time()
    ix = whoosh_index.create_in(folder.fd_path(), build_schema())
    _write_documents(ix, dataset, progress, parallel)
    ix.close()
    info = IndexInfo(
        fingerprint=fp,
        path=final_path or str(folder.path),
        data_dir=data_dir or dataset.root,
        built_at=time.time(),
        build_seconds=round(time.time() - started, 3),
        counts=dataset.counts(),
        files=_describe_files(folder),
    )
    folder.write_atomic(META, [json.dumps(info.to_json(), indent=1).encode("utf-8")])
    return info


def _read_meta(folder: CacheDir) -> IndexInfo:
    try:
        raw = folder.read_bytes(META)
    except FileNotFoundError:
        raise IndexCorrupt("no meta.json (an unfinished build?)") from None
    except OSError as exc:
        raise IndexCorrupt(f"unreadable meta.json: {_why(exc)}") from None
    try:
        data = json.loads(raw.decode("utf-8"))
        if not isinstance(data, dict):
            raise TypeError("not an object")
        return IndexInfo.from_json(data)
    except (ValueError, TypeError) as exc:
        raise IndexCorrupt(f"unreadable meta.json: {exc}") from None


class _TrustedIndex(whoosh_index.FileIndex):
    """A FileIndex whose close() closes its folder (and drops the reader's lock)."""

    def close(self) -> None:
        self.storage.trusted.close()


def _verify_in(cache: CacheDir, name: str, fp: str) -> tuple[object, IndexInfo]:
    """Open `cache/name` only if it is ours, complete, current and intact.

    Raises FileNotFoundError when there is no such folder (or it is being removed), and
    IndexCorrupt for anything that must not be trusted. The returned index holds the
    folder open with a shared lock.
    """
    try:
        folder = cache.open_dir(name)
    except FileNotFoundError:
        raise
    except OSError as exc:  # Untrusted: a symlink, not a folder, not ours, writable by others
        raise IndexCorrupt(_why(exc)) from None
    try:
        if not folder.try_lock(shared=True):
            raise FileNotFoundError(f"{folder.path} is being removed")  # as good as gone
        info = _read_meta(folder)
        if info.fingerprint != fp or info.schema_version != SCHEMA_VERSION or info.engine != ENGINE:
            raise IndexCorrupt("built for other data or by another version")
        try:
            actual = _describe_files(folder)
        except OSError as exc:
            raise IndexCorrupt(f"unreadable index files: {_why(exc)}") from None
        if not isinstance(info.files, dict) or actual != info.files:
            expected = info.files if isinstance(info.files, dict) else {}
            changed = sorted(set(actual) ^ set(expected) | {k for k in actual if actual.get(k) != expected.get(k)})
            raise IndexCorrupt(f"index files changed since the build: {', '.join(changed[:3]) or 'meta.json'}")
        try:
            ix = trusted_storage(folder).open_index(indexclass=_TrustedIndex)
            if ix.doc_count_all() != info.documents:
                raise IndexCorrupt("document count differs from meta.json")
        except IndexCorrupt:
            raise
        except Exception as exc:
            raise IndexCorrupt(f"cannot open: {type(exc).__name__}: {exc}") from None
    except BaseException:
        folder.close()
        raise
    info.path = str(folder.path)  # meta.json was written in the build folder, before the rename
    return ix, info


def verify(folder: Path | str, fp: str) -> tuple[object, IndexInfo]:
    """Open the index folder at a path (inside a cache folder of ours) only if it is complete,
    current and intact; raises IndexCorrupt (FileNotFoundError if it is not there)."""
    folder = Path(folder)
    try:
        parent = open_root(folder.parent, create=False)
    except OSError as exc:
        raise IndexCorrupt(_why(exc)) from None
    with parent:
        return _verify_in(parent, folder.name, fp)


# -- removing, only what is provably ours ---------------------------------------------


def _is_real_dir(cache: CacheDir, name: str) -> bool:
    try:
        info = cache.lstat(name)
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.geteuid()


def _remove_dir(cache: CacheDir, name: str) -> str:
    """Delete a sub-folder of ours unless a process has it open; '' if it went, else why not.

    The folder is renamed to .trash-<random> first (so it is never found half-deleted under
    its name), while holding an exclusive lock on it (readers hold a shared one).
    """
    try:
        folder = cache.open_dir(name)  # a real folder, ours and private, or Untrusted
    except OSError as exc:
        return _why(exc)
    with folder:
        if not folder.try_lock(shared=False):
            return "in use, kept"
        trash = name if TRASH_NAME.fullmatch(name) else f".trash-{_token()}"
        try:
            if trash != name:
                cache.rename(name, trash)
            cache.remove_tree(trash)
        except OSError as exc:
            return f"could not remove it ({_why(exc)})"
    return ""


def _discard(cache: CacheDir, name: str) -> None:
    """Get an index folder out of the way of a new one: renamed aside (even if in use:
    its readers keep reading through their descriptors), deleted unless in use (the
    sweep deletes it later), and a symlink or file of ours by that name unlinked."""
    try:
        info = cache.lstat(name)
    except OSError:
        return
    with contextlib.suppress(OSError):
        if not stat.S_ISDIR(info.st_mode):
            cache.unlink(name)  # a symlink is removed, never followed
            return
        if info.st_uid != os.geteuid():
            return
        trash = f".trash-{_token()}"
        cache.rename(name, trash)
        _remove_dir(cache, trash)


def _try_lock_file(cache: CacheDir, name: str) -> object | None:
    """The lock file opened and flocked exclusively without waiting, or None if it is held
    (a live build) or not a private regular file of ours."""
    try:
        handle = cache.open_file(name)
    except OSError:
        return None
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        return None
    return handle


def _sweep_folder(cache: CacheDir, *, everything: bool = False) -> tuple[list[str], list[tuple[str, str]]]:
    """Remove what killed builds and deletions left; (removed names, [(name, why kept)]).

    A build folder goes only if its lock file is gone or can be locked (its builder is
    dead, in whatever PID namespace it ran); a trash folder only if no reader has it open.
    everything=True (`index clear`) also reports what it keeps.
    """
    removed: list[str] = []
    kept: list[tuple[str, str]] = []
    names = set(cache.names())
    now = time.time()
    for name in sorted(names):
        if BUILD_NAME.fullmatch(name) and _is_real_dir(cache, name):
            lock = None
            if name + ".lock" in names:
                lock = _try_lock_file(cache, name + ".lock")
                if lock is None:
                    if everything:
                        kept.append((name, "a build in progress, kept"))
                    continue
            try:
                cache.remove_tree(name)
                removed.append(name)
                if lock is not None:
                    with contextlib.suppress(OSError):
                        cache.unlink(name + ".lock")
            except OSError as exc:
                kept.append((name, f"could not remove it ({_why(exc)})"))
            finally:
                if lock is not None:
                    lock.close()  # type: ignore[attr-defined]
        elif BUILD_LOCK.fullmatch(name) and name[: -len(".lock")] not in names:
            lock = _try_lock_file(cache, name)
            if lock is None:
                continue
            try:
                if now - os.fstat(lock.fileno()).st_mtime > LONE_LOCK_AGE:  # type: ignore[attr-defined]
                    cache.unlink(name)
                    removed.append(name)
            except OSError:
                pass
            finally:
                lock.close()  # type: ignore[attr-defined]
        elif TRASH_NAME.fullmatch(name) and _is_real_dir(cache, name):
            why = _remove_dir(cache, name)
            if not why:
                removed.append(name)
            elif everything:
                kept.append((name, why))
        elif TEMP_NAME.fullmatch(name):
            with contextlib.suppress(OSError):
                info = cache.lstat(name)
                if stat.S_ISREG(info.st_mode) and info.st_uid == os.geteuid() and now - info.st_mtime > TEMP_AGE:
                    cache.unlink(name)
                    removed.append(name)
    return removed, kept


def sweep(cache: Path | None = None) -> list[Path]:
    """Remove leftovers of killed builds and deletions from the cache at `cache` (the root
    the user configured); returns what went. A build still running is never touched."""
    folder, _why_not = private_cache(cache or cache_root(), create=False)
    if folder is None:
        return []
    with folder:
        removed, _kept = _sweep_folder(folder)
        return [folder.path / name for name in removed]


@contextlib.contextmanager
def build_folder(cache: CacheDir) -> Iterator[tuple[CacheDir, str]]:
    """A new private `.build-<random>` folder, held by a kernel lock until the block ends.

    The lock file `.build-<random>.lock` is created (exclusively, never through a symlink)
    and flocked before the folder exists, and removed only at the end, after the caller
    has renamed the folder into place; a folder still there at the end is deleted.
    """
    name = f".build-{_token()}"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    lock_fd = os.open(name + ".lock", flags, 0o600, dir_fd=cache.fd)
    try:
        fcntl.flock(lock_fd, fcntl.LOCK_EX)
        folder = cache.make_dir(name)
        try:
            yield folder, name
        finally:
            folder.close()
            if _is_real_dir(cache, name):
                with contextlib.suppress(OSError):
                    cache.remove_tree(name)
    finally:
        with contextlib.suppress(OSError):
            cache.unlink(name + ".lock")
        os.close(lock_fd)


def _prune_older(cache: CacheDir, keep: str, data_dir: str) -> None:
    """Drop indexes of earlier versions of the same data directory (not those in use)."""
    for name in cache.names():
        if name == keep or not INDEX_NAME.fullmatch(name) or not _is_real_dir(cache, name):
            continue
        try:
            with cache.open_dir(name) as folder:
                meta = json.loads(folder.read_bytes(META).decode("utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(meta, dict) and meta.get("data_dir") == data_dir:
            _remove_dir(cache, name)


def open_existing(
    data_dir: str | Path | None = None, *, cache: Path | None = None, dataset: Dataset | None = None
) -> OpenedIndex | None:
    """The cached index of exactly this data (of `dataset`'s bytes when given) if complete and
    intact; None otherwise (builds nothing)."""
    try:
        fp = _fingerprint_for(resolve_data_dir(data_dir), dataset)
    except (DataError, OSError):
        return None
    folder, _why_not = private_cache(cache or cache_root(), create=False)
    if folder is None:
        return None
    with folder:
        try:
            ix, info = _verify_in(folder, fp[:20], fp)
        except (IndexCorrupt, OSError):
            return None
    return OpenedIndex(ix, info)


def open_index(
    data_dir: str | Path | None = None,
    *,
    cache: Path | None = None,
    force: bool = False,
    progress: Progress | None = None,
    dataset: Dataset | None = None,
    parallel: bool = False,
    fallback: bool = True,
) -> OpenedIndex:
    """Open the cached index for a dataset, building it first if needed.

    parallel=True lets a large build fork worker processes: only for single-threaded
    callers such as the CLI (the explorer builds large indexes through the CLI).
    Never raises for cache trouble: a cache that cannot be trusted or written, or a
    build that fails in any way, gives an in-memory index and a one-line notice; with
    fallback=False it raises CacheUnwritable instead (the explorer's build child: an index
    in its memory is of no use to the explorer). Raises DataError for bad data.
    """
    root_dir = resolve_data_dir(data_dir)
    fp = _fingerprint_for(root_dir, dataset)
    root = cache or cache_root()
    folder, why = private_cache(root)
    if folder is None:
        if not fallback:
            raise CacheUnwritable(why)
        if dataset is None:
            dataset, _snapshot = load_cached(root_dir, cache=root)
        return in_memory(dataset, progress, why)
    with folder:
        name = fp[:20]
        notice = ""
        if not force:
            try:
                ix, info = _verify_in(folder, name, fp)
                return OpenedIndex(ix, info)
            except FileNotFoundError:
                pass
            except IndexCorrupt as exc:
                notice = f"index cache at {display_path(folder.path / name)} was unusable ({exc}); rebuilt it"
                _discard(folder, name)
        if dataset is None:
            # The explorer's build child finds the snapshot its parent just wrote: no second parse.
            dataset, _snapshot = load_cached(root_dir, cache=root)
            if dataset.fingerprint and index_fingerprint(dataset.fingerprint) != fp:
                # The files changed between hashing and parsing: the index is for the bytes parsed.
                return open_index(
                    root_dir,
                    cache=root,
                    force=force,
                    progress=progress,
                    dataset=dataset,
                    parallel=parallel,
                    fallback=fallback,
                )
        with contextlib.suppress(OSError):
            _sweep_folder(folder)
        try:
            with build_folder(folder) as (temp, temp_name):
                build_into(
                    temp, dataset, fp, progress, str(root_dir.resolve()), parallel, final_path=str(folder.path / name)
                )
                if force:
                    _discard(folder, name)
                with contextlib.suppress(OSError):
                    folder.rename(temp_name, name)  # fails if another process finished first: use its index
        except Exception as exc:  # a full disk, a quota, a writer process that died: never fatal
            why = f"could not write the index cache ({_why(exc)})"
            if not fallback:
                raise CacheUnwritable(why) from exc
            return in_memory(dataset, progress, why)
        # No local of this frame may hold the new index: Whoosh's writer leaves the frames of
        # the build (this one included) in a reference cycle, which would keep the index, and
        # the reader's lock on its folder, alive until a gc pass after the caller dropped it.
        return _open_built(folder, name, fp, notice, dataset, progress, fallback)


def _open_built(
    folder: CacheDir, name: str, fp: str, notice: str, dataset: Dataset, progress: Progress | None, fallback: bool
) -> OpenedIndex:
    """The index just built (or the one another process renamed into place first), verified
    through the trusted path; older versions of the same data pruned."""
    try:
        ix, info = _verify_in(folder, name, fp)
    except (IndexCorrupt, OSError) as exc:
        why = f"index cache unusable after build ({_why(exc)})"
        if not fallback:
            raise CacheUnwritable(why) from exc
        return in_memory(dataset, progress, why)
    with contextlib.suppress(OSError):
        _prune_older(folder, name, info.data_dir)
    return OpenedIndex(ix, info, notice, built=True)


def in_memory(dataset: Dataset, progress: Progress | None, why: str) -> OpenedIndex:
    """An in-memory index of `dataset`, its notice saying why the cache could not hold it."""
    opened = build_in_memory(dataset, progress)
    opened.notice = f"{why}; using an in-memory index"
    return opened


@dataclass
class Cleared:
    """What `clear` did: the paths it removed, those it kept and why, or why it could not look."""

    folder: Path  # the cache folder it looked in
    removed: list[Path] = field(default_factory=list)
    kept: list[tuple[Path, str]] = field(default_factory=list)
    notice: str = ""

    @property
    def index_folders(self) -> int:
        return sum(1 for p in self.removed if INDEX_NAME.fullmatch(p.name))

    @property
    def snapshots(self) -> int:
        return sum(1 for p in self.removed if SNAPSHOT_NAME.fullmatch(p.name))

    def summary(self) -> str:
        """'removed 2 index folders, 1 snapshot and 3 leftovers from DIR' (only the kinds present)."""

        def count(n: int, what: str) -> str:
            return f"{n} {what}{'s' if n != 1 else ''}"

        leftovers = len(self.removed) - self.index_folders - self.snapshots
        parts = [count(self.index_folders, "index folder")]
        parts += [count(self.snapshots, "snapshot")] if self.snapshots else []
        parts += [count(leftovers, "leftover")] if leftovers else []
        listed = parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"
        return f"removed {listed} from {self.folder}"


def _our_index(folder: CacheDir, name: str) -> bool:
    """An index folder of ours: its meta.json is a private regular file of ours naming this fingerprint."""
    try:
        meta = json.loads(folder.read_bytes(META).decode("utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(meta, dict) and str(meta.get("fingerprint", "")).startswith(name)


def clear(cache: Path | None = None) -> Cleared:
    """Delete the indexes, snapshots and leftovers in the cache that are provably ours.

    Only entries directly in our private cache folder, with the names this program
    gives them: real folders (never symlinks) named like an index whose meta.json is
    ours, build and trash folders nobody holds, snapshots and temporaries that are our
    own regular files. A folder in use by another process is kept and reported.
    """
    root = cache or cache_root()
    folder, why = private_cache(root, create=False)
    if folder is None:
        return Cleared(root, notice=why)
    cleared = Cleared(folder.path)
    with folder:
        for name in folder.names():
            if INDEX_NAME.fullmatch(name) and _is_real_dir(folder, name):
                try:
                    with folder.open_dir(name) as index_folder:
                        ours = _our_index(index_folder, name)
                except OSError:
                    ours = False
                if not ours:
                    continue
                why_kept = _remove_dir(folder, name)
                if why_kept:
                    cleared.kept.append((folder.path / name, why_kept))
                else:
                    cleared.removed.append(folder.path / name)
            elif SNAPSHOT_NAME.fullmatch(name):
                with contextlib.suppress(OSError):
                    info = folder.lstat(name)
                    if not stat.S_ISREG(info.st_mode) or info.st_uid != os.geteuid():
                        continue
                    try:
                        folder.unlink(name)
                        cleared.removed.append(folder.path / name)
                    except OSError as exc:
                        cleared.kept.append((folder.path / name, f"could not remove it ({_why(exc)})"))
        removed, kept = _sweep_folder(folder, everything=True)
        cleared.removed += [folder.path / n for n in removed]
        cleared.kept += [(folder.path / n, w) for n, w in kept]
    return cleared
