"""Many people at once on `alliance serve ssh`: the driver the load test and the benchmark share.

Each simulated person is an asyncssh client with a pty (100x30). It waits for the explorer's
first screen, opens Search and types 20 queries (clearing the box between them), then opens
Members and moves 200 rows (down 100, up 100). Keys are paced as a person works: a letter
every `Pace.typing` s, a pause of `Pace.reading` s to read the hits of each query, a row every
`Pace.moving` s. Each key's latency is the time from sending it to the first bytes of screen
it causes: the keystroke-to-screen time a person feels. (A key is sent once the previous one
has shown, and no sooner than the pace allows.)
"""

from __future__ import annotations

import asyncio
import contextlib
import statistics
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

QUERIES = (
    "nasa",
    "ibm",
    "meta",
    "open",
    "safety",
    "university",
    "japan",
    "red hat",
    "linux",
    "model",
    "data",
    "trust",
    "yale",
    "cornell",
    "sony",
    "intel",
    "amd",
    "dell",
    "hugging",
    "servicenow",
)
FIRST_SCREEN = b"1 Overview"
# A key that causes no screen update within this is a failure (a hung session). Generous: in
# the suite the sessions run at a low priority beside other tests (servers.TEST_NICENESS).
KEY_TIMEOUT_S = 30.0
CLEAR_INPUT = "\x15"  # ctrl+u: the search box emptied


@dataclass(frozen=True)
class Pace:
    """Seconds between keys: typing a query, reading its hits, moving down a list."""

    typing: float = 0.2  # 5 keys a second
    reading: float = 1.0
    moving: float = 0.25


@dataclass
class Person:
    """What one simulated person saw."""

    index: int
    first_frame_s: float = 0.0
    latencies: list[float] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)  # each key's kind (KINDS), as latencies
    error: str = ""
    refused: str = ""


@dataclass
class LoadResult:
    people: list[Person]
    wall_s: float

    @property
    def latencies(self) -> list[float]:
        return [lat for p in self.people for lat in p.latencies]

    @property
    def failed(self) -> list[Person]:
        return [p for p in self.people if p.error]

    def p95_ms(self) -> float:
        values = sorted(self.latencies)
        return 1000 * values[int(0.95 * (len(values) - 1))] if values else float("nan")

    def median_ms(self) -> float:
        return 1000 * statistics.median(self.latencies) if self.latencies else float("nan")

    def p95_by_kind_ms(self) -> dict[str, float]:
        """p95 of each kind of key: which work is slow (the letters' searches, the moves)."""
        by_kind: dict[str, list[float]] = {}
        for person in self.people:
            for kind, latency in zip(person.kinds, person.latencies, strict=True):
                by_kind.setdefault(kind, []).append(latency)
        return {kind: 1000 * sorted(v)[int(0.95 * (len(v) - 1))] for kind, v in sorted(by_kind.items())}


class Screen:
    """The bytes a session has written, with an event for "something new arrived"."""

    def __init__(self) -> None:
        self.data = bytearray()
        self.arrived = asyncio.Event()
        self.closed = False

    async def pump(self, stdout: object) -> None:
        try:
            while chunk := await stdout.read(65536):  # type: ignore[attr-defined]
                self.data += chunk
                self.arrived.set()
        except Exception:
            pass
        self.closed = True
        self.arrived.set()

    async def wait_for(self, needle: bytes, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while needle not in self.data:
            if self.closed:
                raise RuntimeError(f"session closed before {needle!r}: {bytes(self.data[-300:])!r}")
            self.arrived.clear()
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"{needle!r} not seen in {timeout} s")
            try:
                await asyncio.wait_for(self.arrived.wait(), left)
            except asyncio.TimeoutError:
                continue


@contextlib.asynccontextmanager
async def explorer_session(
    port: int, size: tuple[int, int] = (100, 30), username: str = "x"
) -> AsyncIterator[tuple[Any, Any, Screen]]:
    """(connection, process, screen) of an open-access session with a pty of `size`, its
    output collected in `screen` (asyncssh client)."""
    import asyncssh

    async with asyncssh.connect(
        "127.0.0.1", port, known_hosts=None, username=username, client_keys=None, encoding=None
    ) as conn:
        process = await conn.create_process(term_type="xterm-256color", term_size=size, encoding=None)
        screen = Screen()
        pump = asyncio.ensure_future(screen.pump(process.stdout))
        try:
            yield conn, process, screen
        finally:
            pump.cancel()


# What a key does, for the breakdown: a letter of a query, ctrl+u, a row, a pane key.
KINDS = {CLEAR_INPUT: "clear", "j": "move", "k": "move", "\x1b[B": "pane", "2": "pane", "5": "pane"}


async def _press(process: object, screen: Screen, key: str, person: Person, pace: float) -> None:
    screen.arrived.clear()
    sent = time.perf_counter()
    process.stdin.write(key.encode())  # type: ignore[attr-defined]
    try:
        await asyncio.wait_for(screen.arrived.wait(), KEY_TIMEOUT_S)
    except asyncio.TimeoutError:
        raise TimeoutError(f"no screen update {KEY_TIMEOUT_S} s after {key!r}") from None
    if screen.closed:
        raise RuntimeError("the session closed")
    latency = time.perf_counter() - sent
    person.latencies.append(latency)
    person.kinds.append(KINDS.get(key, "letter"))
    await asyncio.sleep(max(pace - latency, 0.0))


async def one_person(
    port: int,
    index: int,
    *,
    queries: int,
    moves: int,
    pace: Pace,
    start_timeout: float = 180.0,
    hold: asyncio.Event | None = None,
) -> Person:
    import asyncssh

    person = Person(index)
    started = time.perf_counter()
    try:
        async with asyncssh.connect(
            "127.0.0.1", port, known_hosts=None, username="load", client_keys=None, encoding=None
        ) as conn:
            process = await conn.create_process(term_type="xterm-256color", term_size=(100, 30), encoding=None)
            screen = Screen()
            pump = asyncio.ensure_future(screen.pump(process.stdout))
            errors = asyncio.ensure_future(process.stderr.read())
            try:
                await screen.wait_for(FIRST_SCREEN, start_timeout)
            except (RuntimeError, TimeoutError):
                refusal = (await asyncio.wait_for(errors, 5)).decode(errors="replace")
                if "alliance:" in refusal:
                    person.refused = refusal.strip()
                    return person
                raise
            person.first_frame_s = time.perf_counter() - started
            await asyncio.sleep(pace.reading)  # the Overview is read (the index opens behind it)
            await _press(process, screen, "5", person, pace.reading)
            for query in QUERIES[:queries]:
                for char in query[:-1]:
                    await _press(process, screen, char, person, pace.typing)
                await _press(process, screen, query[-1], person, pace.reading)
                await _press(process, screen, CLEAR_INPUT, person, pace.typing)
            # Down: out of the box to the results. Not Esc: a lone ESC read together with the next
            # key, as a starved process reads them, is Alt+key in any terminal application.
            await _press(process, screen, "\x1b[B", person, pace.reading)
            await _press(process, screen, "2", person, pace.reading)
            for step in range(moves):
                await _press(process, screen, "j" if step < moves // 2 else "k", person, pace.moving)
            if hold is not None:
                await hold.wait()  # stay until told: all the sessions at once, however they started
            process.stdin.write(b"q")
            try:
                await asyncio.wait_for(process.wait_closed(), 60)
            except asyncio.TimeoutError:
                raise TimeoutError("the session did not end within 60 s of q") from None
            pump.cancel()
    except Exception as exc:  # reported per person: one failure must not hide the others
        person.error = f"{type(exc).__name__}: {exc}"
    return person


async def run_load(
    port: int,
    sessions: int,
    *,
    queries: int = 20,
    moves: int = 200,
    pace: Pace = Pace(),
    hold: asyncio.Event | None = None,
) -> LoadResult:
    """`sessions` people at once, each connecting at the same moment (and, given `hold`,
    each staying once done until it is set)."""
    started = time.perf_counter()
    people = await asyncio.gather(
        *(one_person(port, i, queries=queries, moves=moves, pace=pace, hold=hold) for i in range(sessions))
    )
    return LoadResult(list(people), time.perf_counter() - started)


def rss_mb(pid: int) -> float:
    """Resident memory of one process, MB (from /proc)."""
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


async def sample_rss(server_pid: int, stop: asyncio.Event, every: float = 0.5) -> dict[int, float]:
    """The largest RSS (MB) seen for each of the server's session processes until `stop`."""
    from .servers import session_processes

    peak: dict[int, float] = {}
    while not stop.is_set():
        for pid in session_processes(server_pid):
            with contextlib.suppress(OSError):
                peak[pid] = max(peak.get(pid, 0.0), rss_mb(pid))
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(stop.wait(), every)
    return peak
