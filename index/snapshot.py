"""Parsed datasets kept in the cache, keyed by the data fingerprint.

Parsing and validating 100,000 TOML records takes ~12 s; decoding the snapshot takes
a fraction of a second. The snapshot is written after a successful load, under the
fingerprint of exactly the bytes that were parsed (`Dataset.fingerprint`), and read
only for data files with that fingerprint and this model version.

It is data only, never code: typed MessagePack (msgspec) decoded straight into the
model's dataclasses, with every field's type checked by the decoder (a file with a
wrong type is rejected whole, never half-loaded), then a few cheap consistency checks.
Pickle or marshal would run whatever a crafted file asks for. The file is also read
and written only through the private cache folder (index/trust.py): opened without
following symlinks, and read only if it is the user's own regular file that nobody
else may write. A checksum catches damage (a flipped byte must not bypass the
validation the TOML went through). Anything wrong costs only speed: the TOML is
parsed again and a new snapshot written.

Layout: MAGIC, blake2b-256 of the payload, payload (MessagePack of the Dataset).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as _dt
import functools
import gc
import hashlib
import operator
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .cache import cache_root, data_fingerprint
from .dates import PartialDate
from .files import resolve_data_dir
from .kinds import get_kind, kind_names
from .model import Alliance, Dataset
from .trust import CacheDir, opened_private_cache, private_cache, private_folder_name

# Bump when the model classes change shape: old snapshots are then ignored (and their
# name changes, so they are never even opened). 4: MessagePack instead of pickle.
# 5: records by kind (index/kinds/), counts, members' listed date.
# 6: quotes' renders and members' French names (issue 16).
MODEL_VERSION = 6
SUFFIX = ".msgpack"
MAGIC = b"alliance-explorer dataset snapshot m%d msgpack\n" % MODEL_VERSION
_DIGEST = 32  # blake2b bytes
_HEADER = len(MAGIC) + _DIGEST


def snapshot_name(fingerprint: str) -> str:
    """The snapshot's file name for a data fingerprint (`dataset-<hex>-m<version>.msgpack`)."""
    return f"dataset-{fingerprint[:20]}-m{MODEL_VERSION}{SUFFIX}"


def snapshot_path(data_dir: str | Path | None = None, cache: Path | None = None) -> Path:
    """Where the snapshot of the data as it is now lives (for messages and tests; reads go
    through the folder's descriptor): in the cache root, or in our private folder inside
    it when the root is shared."""
    root = cache or cache_root()
    name = snapshot_name(data_fingerprint(data_dir))
    folder, _why = private_cache(root, create=False)
    if folder is None:
        return root / private_folder_name() / name
    with folder:
        return folder.path / name


def _digest(payload: bytes | memoryview) -> bytes:
    return hashlib.blake2b(payload, digest_size=_DIGEST).digest()


_decoders: dict[Any, Any] = {}


def _decoder(shape: Any) -> Any:
    import msgspec  # only when there is a snapshot to read or write

    if shape not in _decoders:
        _decoders[shape] = msgspec.msgpack.Decoder(shape)
    return _decoders[shape]


@functools.cache
def _shape() -> type:
    """The Dataset with each kind's records left encoded, with real types (not the strings
    `from __future__ import annotations` would leave for msgspec to resolve)."""
    import msgspec

    return dataclasses.make_dataclass(
        "Shape",
        [
            ("alliance", Alliance),
            ("records", dict[str, msgspec.Raw]),
            ("root", str, dataclasses.field(default="")),
            ("files", tuple[str, ...], dataclasses.field(default=())),
            ("fingerprint", str, dataclasses.field(default="")),
        ],
    )


def _decode(payload: memoryview) -> Dataset:
    """The typed decoder: raises msgspec.DecodeError (a ValueError) on any wrong type or shape.

    The records of each kind are decoded as that kind's dataclass (a union of dataclasses
    cannot be decoded in one go); a kind this program does not know makes the whole
    snapshot unusable (ValueError).
    """
    shape = _decoder(_shape()).decode(payload)
    records = {}
    for name, raw in shape.records.items():
        kind = get_kind(name)
        if kind is None:
            raise ValueError(f"unknown kind {name!r}")
        records[name] = _decoder(tuple[kind.record, ...]).decode(raw)
    return Dataset(shape.alliance, records, shape.root, tuple(shape.files), shape.fingerprint)


# The PartialDate fields of each record class (a bad date would raise in the UI).
_DATE_FIELDS: dict[type, tuple[str, ...]] = {}


def _date_fields(cls: type) -> tuple[str, ...]:
    if cls not in _DATE_FIELDS:
        hints = typing.get_type_hints(cls)
        _DATE_FIELDS[cls] = tuple(
            f.name for f in dataclasses.fields(cls) if PartialDate in (hints[f.name], *typing.get_args(hints[f.name]))
        )
    return _DATE_FIELDS[cls]


def _consistent(dataset: Dataset, fingerprint: str) -> bool:
    """What the types alone do not say: the data it claims to be, records of the right kind
    and dates that exist (a bad one would raise in the UI). Loops in C (map, attrgetter,
    sets) where it can: ~50 ms at 100k records, in the load behind the first frame."""
    if dataset.fingerprint != fingerprint or set(dataset.records) != set(kind_names()):
        return False
    alliance = dataset.alliance
    dates = {alliance.founded, alliance.as_of, *(c.date for c in alliance.counts)}
    for name, records in dataset.records.items():
        if not set(map(_KIND, records)) <= {name}:
            return False
        # Each kind's records were decoded as that kind's class (_decode), so one class per kind.
        for field_name in _date_fields(type(records[0])) if records else ():
            # Equal dates once (PartialDate is hashable); filter(None) drops the missing ones.
            dates.update(filter(None, map(operator.attrgetter(field_name), records)))
    for date in dates:
        if date.day and not date.month:
            return False
        try:
            _dt.date(date.year, date.month or 1, date.day or 1)
        except (ValueError, OverflowError):
            return False
    return True


_KIND = operator.attrgetter("kind")


# Above this, the checksum is computed in a thread while the payload is decoded: hashlib
# lets go of the GIL, so on a second core it costs no time (~0.1 s at 100k records).
_PARALLEL_DIGEST = 1 << 20


def _decode_kind(payload: memoryview, name: str) -> Dataset:
    """As _decode, but only the records of kind `name`; every other kind's are left out (an
    empty tuple): for a caller that reads one kind's records, never for a whole dataset."""
    shape = _decoder(_shape()).decode(payload)
    kind = get_kind(name)
    if kind is None or set(shape.records) != set(kind_names()):
        raise ValueError(f"unknown kind {name!r}")
    records = {other: () for other in shape.records}
    records[name] = _decoder(tuple[kind.record, ...]).decode(shape.records[name])
    return Dataset(shape.alliance, records, shape.root, tuple(shape.files), shape.fingerprint)


def _decode_checked(
    payload: memoryview, digest: bytes, decode: Callable[[memoryview], Dataset] | None = None
) -> Dataset:
    """The decoded payload, if its checksum is `digest` (ValueError if not: damaged).

    Decoding before the checksum is known is safe: the typed decoder takes any bytes
    (it is what a damaged or crafted file meets anyway); the result is used only if both
    the checksum and the decoding are good.
    """
    decode = decode or _decode  # looked up now (a test may wrap it)
    if len(payload) < _PARALLEL_DIGEST:
        if _digest(payload) != digest:
            raise ValueError("damaged")
        return decode(payload)
    import threading

    computed: list[bytes] = []
    checker = threading.Thread(target=lambda: computed.append(_digest(payload)), name="snapshot-checksum")
    checker.start()
    try:
        dataset = decode(payload)
    finally:
        checker.join()  # before the caller releases the payload it reads
    if computed != [digest]:
        raise ValueError("damaged")
    return dataset


def _read(
    folder: CacheDir,
    fingerprint: str,
    before_decode: Callable[[], object] | None = None,
    decode: Callable[[memoryview], Dataset] | None = None,
) -> Dataset | None:
    """The snapshot stored for `fingerprint` in a verified folder, or None (missing, not
    ours, a symlink, damaged, of another version or not a valid dataset)."""
    name = snapshot_name(fingerprint)
    try:
        with folder.open_file(name) as handle:  # O_NOFOLLOW; ours, private, regular: checked on the fd
            raw = handle.read()
    except (OSError, ValueError):
        return None  # missing, or a file we must not read (left alone: it is not ours to delete)
    payload = memoryview(raw)[_HEADER:]  # not a copy: at 100k records that is 60 MB more at the peak
    try:
        if not raw.startswith(MAGIC):
            raise ValueError("foreign")
        if before_decode is not None:
            before_decode()
        # Millions of small objects: the cycle collector would scan them all repeatedly, while
        # decoding and after it (0.4-0.6 s of CPU at 100k records, the first allocations after
        # gc.enable() collect every young object). The dataset lives as long as the program,
        # so once accepted it is moved out of the collector's generations (as the app does).
        enabled = gc.isenabled()
        gc.disable()
        try:
            dataset = _decode_checked(payload, raw[len(MAGIC) : _HEADER], decode)
            if not _consistent(dataset, fingerprint):
                raise ValueError("inconsistent")
            gc.freeze()
        finally:
            if enabled:
                gc.enable()
    except (ValueError, TypeError, RecursionError):  # msgspec.DecodeError and ValidationError are ValueErrors
        with contextlib.suppress(OSError):
            folder.unlink(name)  # our own file, but useless: the TOML is read again and a new one written
        return None
    finally:
        payload.release()
    return dataset


def _write(folder: CacheDir, dataset: Dataset) -> None:
    """Atomic (a temporary file renamed over the final name), private (0600), checksummed,
    stored under the fingerprint of the bytes the dataset was parsed from."""
    if not dataset.fingerprint:
        return  # a hand-made dataset: no data files it could stand for
    import msgspec

    payload = msgspec.msgpack.encode(dataset)
    with contextlib.suppress(OSError):  # an unwritable cache only costs the next start its speed
        folder.write_atomic(snapshot_name(dataset.fingerprint), [MAGIC, _digest(payload), payload])


def read_snapshot(data_dir: str | Path | None = None, *, cache: Path | None = None) -> Dataset | None:
    """The dataset's snapshot if the data files are unchanged since it was written, else None."""
    fingerprint = data_fingerprint(resolve_data_dir(data_dir))
    with opened_private_cache(cache or cache_root(), create=False) as (folder, _why):
        return _read(folder, fingerprint) if folder is not None else None


def read_kind(
    data_dir: str | Path | None = None, name: str = "member", *, cache: Path | None = None
) -> tuple[Any, ...] | None:
    """The records of one kind, in file order, from the snapshot of the data as it is now;
    None if there is no usable one (then `load_cached` parses, or reads and checks it whole).

    For `alliance list`, which shows one kind: decoding every kind takes ~0.3 s at 100k
    records. The same file, read through the same checks: the whole payload's checksum,
    the typed decoder for this kind's records and the alliance, and `_consistent` on them.
    A snapshot that fails any of them is removed, as `load_cached` would.
    """
    if get_kind(name) is None:
        return None  # not a reason to remove the snapshot (_read removes one it cannot decode)
    fingerprint = data_fingerprint(resolve_data_dir(data_dir))
    with opened_private_cache(cache or cache_root(), create=False) as (folder, _why):
        if folder is None:
            return None
        dataset = _read(folder, fingerprint, decode=functools.partial(_decode_kind, name=name))
    return dataset.records[name] if dataset is not None else None


def load_cached(
    data_dir: str | Path | None = None,
    *,
    cache: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
    before_decode: Callable[[], object] | None = None,
) -> tuple[Dataset, bool]:
    """The dataset, from its snapshot when the data files are unchanged; (dataset, from_snapshot).

    Raises DataError exactly as load_dataset does for bad data (bad data is never cached).
    `progress` is passed on to load_dataset when the files have to be parsed. `before_decode`
    is called once a snapshot is read, before it is decoded (which holds the GIL for ~0.1 s
    at a time at 100k records: a UI thread may want to paint first).
    """
    root = resolve_data_dir(data_dir)
    fingerprint = data_fingerprint(root)
    with opened_private_cache(cache or cache_root()) as (folder, _why):
        dataset = _read(folder, fingerprint, before_decode) if folder is not None else None
        if dataset is not None:
            return dataset, True
        from .load import load_dataset  # the parser and validator, only when the snapshot is missing

        dataset = load_dataset(root, progress=progress)
        if folder is not None:
            # Under dataset.fingerprint, not `fingerprint`: the files may have changed meanwhile.
            _write(folder, dataset)
    return dataset, False
