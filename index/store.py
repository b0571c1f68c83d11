"""The on-disk index cache: fingerprinted, built atomically, verified on open.

Layout: `<cache>/<fingerprint[:20]>/` holds one Whoosh index plus `meta.json`,
written last. The fingerprint covers the data files' contents, the schema
version and the Whoosh version, so a changed dataset or a newer program never
trusts an old index. A build goes into `<cache>/.build-<pid>-<random>/` and is
renamed into place only when complete: a killed build leaves a temporary
folder that nobody trusts (and that a later build sweeps away). Two processes
building at once each build their own folder; the first rename wins and the
other uses the winner's index. Index folders are never written after the
rename, so no Whoosh lock is ever taken on them.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

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

META = "meta.json"
ENGINE = "whoosh " + whoosh.versionstring()
Progress = Callable[[int, int], None]


def fingerprint(data_dir: str | Path | None = None) -> str:
    """The data files' fingerprint combined with the schema and engine versions.

    Reads the files' bytes but does not parse them.
    """
    data = data_fingerprint(data_dir)
    return hashlib.sha256(f"schema {SCHEMA_VERSION}\n{ENGINE}\n{data}".encode()).hexdigest()


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
        return {
            "fingerprint": self.fingerprint,
            "path": self.path,
            "data_dir": self.data_dir,
            "built_at": self.built_at,
            "build_seconds": self.build_seconds,
            "counts": self.counts,
            "files": self.files,
            "schema_version": self.schema_version,
            "engine": self.engine,
        }

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


class IndexCorrupt(Exception):
    """An index folder that must not be trusted (the message says why)."""


def _file_digest(path: Path) -> str:
    digest = hashlib.blake2b(digest_size=16)
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _describe_files(folder: Path) -> dict[str, list[object]]:
    return {p.name: [p.stat().st_size, _file_digest(p)] for p in sorted(folder.iterdir()) if p.name != META}


_WORDS = re.compile(r"\w+")
_VOCABULARY_FIELDS = ("names", "title", "text", "text_fr")


# From this many documents, a build that may fork (see open_index's `parallel`: the CLI,
# and so the explorer's build child) uses Whoosh's multi-process writer: two segments
# written by two processes (100k records on 2 cores: ~105 s -> ~55 s). Searching two
# segments costs little more (100k: keystroke p95 within ~10%, tests/benchmarks).
PARALLEL_BUILD = 5000


def _write_documents(ix: object, dataset: Dataset, progress: Progress | None, parallel: bool = False) -> None:
    total = len(dataset.members) + len(dataset.quotes) + len(dataset.events) + len(dataset.topics)
    procs = min(2, os.cpu_count() or 1) if parallel and total >= PARALLEL_BUILD else 1
    options = {"procs": procs, "multisegment": True} if procs > 1 else {}
    # Separate files, not one compound file: Whoosh reads a compound segment by copying its
    # postings and term index into memory (115 MB at 100k records); separate files are read in place.
    writer = ix.writer(limitmb=128, compound=False, **options)  # type: ignore[attr-defined]
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
    except BaseException:
        writer.cancel()
        raise
    vocabulary = ix.storage.create_file(VOCABULARY)  # type: ignore[attr-defined]
    # "word<TAB>count": counts break ties between equally close corrections.
    vocabulary.write("\n".join(f"{w}\t{words[w]}" for w in sorted(words)).encode("utf-8"))
    vocabulary.close()


def build_in_memory(dataset: Dataset, progress: Progress | None = None) -> OpenedIndex:
    """An index in RAM, for when the cache cannot be written."""
    started = time.time()
    ix = RamStorage().create_index(build_schema())
    _write_documents(ix, dataset, progress)
    info = IndexInfo("", "", dataset.root, time.time(), time.time() - started, dataset.counts())
    return OpenedIndex(ix, info, built=True)


def build_into(
    folder: Path,
    dataset: Dataset,
    fp: str,
    progress: Progress | None = None,
    data_dir: str = "",
    parallel: bool = False,
) -> IndexInfo:
    """Write a complete index and its meta.json into an empty folder."""
    started = time.time()
    ix = whoosh_index.create_in(str(folder), build_schema())
    _write_documents(ix, dataset, progress, parallel)
    ix.close()
    info = IndexInfo(
        fingerprint=fp,
        path=str(folder),
        data_dir=data_dir or dataset.root,
        built_at=time.time(),
        build_seconds=round(time.time() - started, 3),
        counts=dataset.counts(),
        files=_describe_files(folder),
    )
    meta = folder / META
    with meta.open("w", encoding="utf-8") as handle:
        json.dump(info.to_json(), handle, indent=1)
        handle.flush()
        os.fsync(handle.fileno())
    return info


def verify(folder: Path, fp: str) -> tuple[object, IndexInfo]:
    """Open an index folder only if it is complete, current and intact."""
    try:
        info = IndexInfo.from_json(json.loads((folder / META).read_text(encoding="utf-8")))
    except FileNotFoundError:
        raise IndexCorrupt("no meta.json (an unfinished build?)") from None
    except (OSError, ValueError, TypeError) as exc:
        raise IndexCorrupt(f"unreadable meta.json: {exc}") from None
    if info.fingerprint != fp or info.schema_version != SCHEMA_VERSION or info.engine != ENGINE:
        raise IndexCorrupt("built for other data or by another version")
    try:
        actual = _describe_files(folder)
    except OSError as exc:
        raise IndexCorrupt(f"unreadable index files: {exc}") from None
    if not isinstance(info.files, dict) or actual != info.files:
        expected = info.files if isinstance(info.files, dict) else {}
        changed = sorted(set(actual) ^ set(expected) | {k for k in actual if actual.get(k) != expected.get(k)})
        raise IndexCorrupt(f"index files changed since the build: {', '.join(changed[:3]) or 'meta.json'}")
    try:
        ix = whoosh_index.open_dir(str(folder), readonly=True)
        if ix.doc_count_all() != info.documents:
            raise IndexCorrupt("document count differs from meta.json")
    except IndexCorrupt:
        raise
    except Exception as exc:
        raise IndexCorrupt(f"cannot open: {type(exc).__name__}: {exc}") from None
    info.path = str(folder)  # meta.json was written in the build folder, before the rename
    return ix, info


def _remove(path: Path) -> None:
    """Delete a folder; move it aside first so a half-deleted folder is never found."""
    if not path.exists():
        return
    trash = path.with_name(f".trash-{path.name}-{os.getpid()}-{time.monotonic_ns()}")
    try:
        path.rename(trash)
    except OSError:
        trash = path
    shutil.rmtree(trash, ignore_errors=True)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep(root: Path, max_age: float = 3600.0) -> None:
    """Remove leftovers of killed builds and deletions."""
    try:
        entries = list(root.iterdir())
    except OSError:
        return
    now = time.time()
    for entry in entries:
        if entry.name.startswith(".trash-"):
            shutil.rmtree(entry, ignore_errors=True)
        elif entry.name.startswith(".build-"):
            try:
                pid = int(entry.name.split("-")[1])
                age = now - entry.stat().st_mtime
            except (ValueError, IndexError, OSError):
                continue
            if not _pid_alive(pid) or age > max_age:
                shutil.rmtree(entry, ignore_errors=True)


def _prune_older(root: Path, keep: Path, data_dir: str) -> None:
    """Drop indexes of earlier versions of the same data directory."""
    for entry in root.iterdir():
        if entry == keep or entry.name.startswith(".") or not entry.is_dir():
            continue
        try:
            meta = json.loads((entry / META).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if meta.get("data_dir") == data_dir:
            _remove(entry)


def open_existing(data_dir: str | Path | None = None, *, cache: Path | None = None) -> OpenedIndex | None:
    """The cached index of exactly this data if complete and intact; None otherwise (builds nothing)."""
    try:
        fp = fingerprint(data_dir)
        ix, info = verify((cache or cache_root()) / fp[:20], fp)
    except (IndexCorrupt, DataError, OSError):
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
) -> OpenedIndex:
    """Open the cached index for a dataset, building it first if needed.

    parallel=True lets a large build fork worker processes: only for single-threaded
    callers such as the CLI (the explorer builds large indexes through the CLI).
    Never raises for cache trouble: an unusable cache directory gives an
    in-memory index and a notice. Raises DataError for bad data.
    """
    root_dir = resolve_data_dir(data_dir)
    fp = fingerprint(root_dir)
    cache = cache or cache_root()
    folder = cache / fp[:20]
    notice = ""
    if not force and folder.exists():
        try:
            ix, info = verify(folder, fp)
            return OpenedIndex(ix, info)
        except IndexCorrupt as exc:
            notice = f"index cache at {display_path(folder)} was unusable ({exc}); rebuilt it"
            _remove(folder)
    if dataset is None:
        # The explorer's build child finds the snapshot its parent just wrote: no second parse.
        dataset, _ = load_cached(root_dir, cache=cache)
    try:
        cache.mkdir(parents=True, exist_ok=True)
        sweep(cache)
        temp = Path(tempfile.mkdtemp(prefix=f".build-{os.getpid()}-", dir=cache))
    except OSError as exc:
        return _in_memory(dataset, progress, f"cache directory {display_path(cache)} is not writable ({_reason(exc)})")
    try:
        build_into(temp, dataset, fp, progress, data_dir=str(root_dir.resolve()), parallel=parallel)
    except OSError as exc:
        shutil.rmtree(temp, ignore_errors=True)
        return _in_memory(dataset, progress, f"could not write the index cache ({_reason(exc)})")
    except BaseException:
        shutil.rmtree(temp, ignore_errors=True)
        raise
    if force:
        _remove(folder)
    try:
        temp.rename(folder)
    except OSError:
        # Another process finished first: use its index, drop ours.
        shutil.rmtree(temp, ignore_errors=True)
    try:
        ix, info = verify(folder, fp)
    except IndexCorrupt as exc:
        return _in_memory(dataset, progress, f"index cache unusable after build ({exc})")
    with contextlib.suppress(OSError):
        _prune_older(cache, folder, info.data_dir)
    return OpenedIndex(ix, info, notice, built=True)


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _in_memory(dataset: Dataset, progress: Progress | None, why: str) -> OpenedIndex:
    opened = build_in_memory(dataset, progress)
    opened.notice = f"{why}; using an in-memory index"
    return opened


def list_indexes(cache: Path | None = None) -> list[IndexInfo]:
    """Every complete index in the cache, newest first."""
    cache = cache or cache_root()
    found = []
    try:
        entries = list(cache.iterdir())
    except OSError:
        return []
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            found.append(IndexInfo.from_json(json.loads((entry / META).read_text(encoding="utf-8"))))
        except (OSError, ValueError, TypeError):
            continue
    return sorted(found, key=lambda i: -i.built_at)


def clear(cache: Path | None = None) -> int:
    """Delete every index in the cache; returns how many folders went."""
    cache = cache or cache_root()
    try:
        entries = [e for e in cache.iterdir() if e.is_dir()]
    except OSError:
        return 0
    for entry in entries:
        _remove(entry)
    for snapshot in cache.glob("dataset-*.pickle"):  # parsed-data snapshots (index/snapshot.py)
        with contextlib.suppress(OSError):
            snapshot.unlink()
    return sum(1 for e in entries if not e.name.startswith("."))
