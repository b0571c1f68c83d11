"""Bad input to `alliance serve ssh`: garbage before the version string, a handshake never
finished, absurd terminal sizes, a 5,000-character TERM, 50 sessions on one connection, a flood
of connections. After each, the server is up and a session opened at the start still answers
its keys.

Raw sockets speak the broken protocol; asyncssh's client asks what OpenSSH would not (a 0x0 or
10000x10000 terminal, a 5,000-character TERM, 50 channels at once).
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import re
import socket
import struct
import termios
import threading
import time
from collections.abc import Awaitable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

from tui.serve import policy

from .servers import HAVE_SSH, Served, session_processes, start_server

asyncssh = pytest.importorskip("asyncssh")

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.skipif(not HAVE_SSH, reason="needs ssh")]

T = TypeVar("T")
LOGIN_TIMEOUT = 2.0
PER_IP = 4
FIRST_FRAME = b"AI Alliance"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    tmp = tmp_path_factory.mktemp("bad-input")
    server = start_server(
        tmp / "server", "--open-access", "--login-timeout", str(LOGIN_TIMEOUT), "--per-ip", str(PER_IP)
    )
    yield server
    server.stop()


class Loop:
    """An event loop in a thread of its own: the asyncssh clients live there across tests."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, awaitable: Awaitable[T], timeout: float = 60) -> T:
        async def awaiting() -> T:  # asyncssh's calls return awaitables that are not coroutines
            return await awaitable

        return asyncio.run_coroutine_threadsafe(awaiting(), self.loop).result(timeout)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


@pytest.fixture(scope="module")
def loop() -> Iterator[Loop]:
    running = Loop()
    yield running
    running.close()


async def connect(served: Served) -> Any:
    """An asyncssh client connection (open access: no key, no known hosts, no config read)."""
    return await asyncssh.connect(
        "127.0.0.1",
        served.port,
        username="tester",
        known_hosts=None,
        client_keys=None,
        agent_path=None,
        config=None,
    )


async def read_until(process: Any, needle: bytes, timeout: float) -> bytes:
    """The session's output until `needle` shows in it (TimeoutError otherwise)."""
    seen = bytearray()

    async def reading() -> None:
        while needle not in seen:
            data = await process.stdout.read(65536)
            if not data:
                raise AssertionError(f"the session ended before {needle!r}: {bytes(seen[-300:])!r}")
            seen.extend(data)

    await asyncio.wait_for(reading(), timeout)
    return bytes(seen)


class Keeper:
    """A session opened at the start, kept for the whole module: it must keep answering."""

    def __init__(self, loop: Loop, served: Served) -> None:
        self.loop = loop
        self.conn = loop.run(connect(served))
        self.process = loop.run(
            self.conn.create_process(term_type="xterm-256color", term_size=(100, 30), encoding=None)
        )
        loop.run(read_until(self.process, FIRST_FRAME, 30))
        (self.child,) = session_processes(served.process.pid)
        self.presses = 0

    def answers(self) -> None:
        """A key changes the pane (Members, then Overview, …): new screen bytes come back."""
        key = b"2" if self.presses % 2 == 0 else b"1"
        self.presses += 1

        async def press() -> int:
            self.process.stdin.write(key)
            # Slow is not broken: the session runs at nice 15 here (the test server's 10, +5
            # for sessions), the most starved process of a loaded CI; a hung one still fails.
            data = await asyncio.wait_for(self.process.stdout.read(65536), 40)
            received = len(data)
            while received < 200:  # the pane's rows, in one write or a few
                received += len(await asyncio.wait_for(self.process.stdout.read(65536), 5))
            return received

        assert self.loop.run(press(), timeout=90) >= 200

    def close(self) -> None:
        async def closing() -> None:
            self.process.stdin.write(b"q")
            await asyncio.wait_for(self.process.wait_closed(), 15)
            self.conn.close()
            await self.conn.wait_closed()

        self.loop.run(closing())


@pytest.fixture(scope="module")
def keeper(loop: Loop, served: Served) -> Iterator[Keeper]:
    kept = Keeper(loop, served)
    yield kept
    kept.close()


@pytest.fixture(autouse=True)
def unaffected(served: Served, keeper: Keeper) -> Iterator[None]:
    """After each test: the server is up, the kept session answers, and no other session's
    process is left."""
    yield
    assert served.process.poll() is None, served.log()
    keeper.answers()
    deadline = time.monotonic() + 10
    while session_processes(served.process.pid) != [keeper.child]:
        assert time.monotonic() < deadline, session_processes(served.process.pid)
        time.sleep(0.05)
    assert "Traceback" not in served.log(), served.log()


# -- raw sockets: before and during the handshake ----------------------------------------------------


def _closed_after(sock: socket.socket, limit: float) -> tuple[float, bytes]:
    """Read until the server closes the connection: (seconds it took, what it sent)."""
    started = time.monotonic()
    sock.settimeout(limit)
    received = b""
    try:
        while data := sock.recv(65536):
            received += data
    except ConnectionResetError:
        pass
    except TimeoutError:
        pytest.fail(f"not closed within {limit} s; received {received[:200]!r}")
    return time.monotonic() - started, received


@pytest.mark.parametrize(
    "garbage",
    [
        b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
        b"\x00\xff\xfe\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(range(256)) + b"\n",
        b"SSH-1.5-ancient\r\n",
        b"not a version\r\nSSH-2.0-OpenSSH_9.2\r\n",  # a client may send no line before its version
    ],
    ids=["http", "binary", "ssh-1", "line-before-version"],
)
def test_garbage_before_the_version_is_disconnected_at_once(served: Served, garbage: bytes) -> None:
    with socket.create_connection(("127.0.0.1", served.port), timeout=10) as sock:
        sock.sendall(garbage)
        took, received = _closed_after(sock, LOGIN_TIMEOUT + 5)
    assert received.startswith(b"SSH-2.0-alliance-explorer")
    assert took < LOGIN_TIMEOUT / 2, f"closed after {took:.2f} s: by the login timeout, not the garbage"


@pytest.mark.parametrize(
    "sent",
    [b"", b"SSH-2.0-OpenSSH_9.2\r\n", b"SSH-2.0-OpenSSH_9.2\r\n\x00\x00\x05\xdc", b"x" * 200],
    ids=["silent", "version-only", "half-a-packet", "endless-line"],
)
def test_a_handshake_never_finished_is_closed_by_the_login_timeout(served: Served, sent: bytes) -> None:
    started = time.monotonic()  # the login timer starts when the server accepts
    with socket.create_connection(("127.0.0.1", served.port), timeout=10) as sock:
        sock.sendall(sent)
        _, received = _closed_after(sock, LOGIN_TIMEOUT + 5)
    took = time.monotonic() - started
    assert received.startswith(b"SSH-2.0-alliance-explorer")
    assert LOGIN_TIMEOUT - 0.5 <= took <= LOGIN_TIMEOUT + 3, f"closed after {took:.2f} s"


def test_a_flood_of_connections_beyond_twice_the_limits_is_disconnected(served: Served) -> None:
    """Connections still in their handshake count: from one address, at most twice --per-ip
    (the kept session's connection is one of them); the others are disconnected at once."""
    allowed = 2 * PER_IP - 1
    flood = [socket.create_connection(("127.0.0.1", served.port), timeout=10) for _ in range(allowed + 5)]
    try:
        refused = []
        for sock in flood[allowed:]:
            took, received = _closed_after(sock, 3)
            refused.append(received)
            assert took < 1, f"a connection over the limit was kept {took:.2f} s"
        assert all(b"too many connections" in received for received in refused), refused
        for sock in flood[:allowed]:  # the others wait for their handshake (until the login timeout)
            sock.settimeout(0.2)
            assert sock.recv(100).startswith(b"SSH-2.0-alliance-explorer")
            with pytest.raises(TimeoutError):
                sock.recv(100)
    finally:
        for sock in flood:
            sock.close()
    done = served.ssh("show", "member:nasa")  # the flood gone, a new client gets in
    assert done.returncode == 0, done.stderr


# -- asyncssh: what OpenSSH would not ask ------------------------------------------------------------


def tty_size(pid: int) -> tuple[int, int]:
    """The size of the process's terminal (its stdin is the pty's slave side), as it sees it."""
    fd = os.open(f"/proc/{pid}/fd/0", os.O_RDONLY | os.O_NOCTTY | os.O_NONBLOCK)
    try:
        rows, columns, _, _ = struct.unpack("HHHH", fcntl.ioctl(fd, termios.TIOCGWINSZ, bytes(8)))
    finally:
        os.close(fd)
    return columns, rows


def environ(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes()
    return dict(item.decode().split("=", 1) for item in raw.split(b"\0") if b"=" in item)


def drawn_extent(output: bytes) -> tuple[int, int]:
    """The furthest column and row the explorer moved its cursor to (CSI row;col H)."""
    moves = [(int(col), int(row)) for row, col in re.findall(rb"\x1b\[(\d+);(\d+)H", output)]
    assert moves, output[:300]
    return max(col for col, _ in moves), max(row for _, row in moves)


class Opened:
    """A second session of the test's own, on its own connection, beside the kept one."""

    def __init__(self, loop: Loop, served: Served, keeper: Keeper, term_type: str, size: tuple[int, int]) -> None:
        self.loop = loop
        self.conn = loop.run(connect(served))
        self.process = loop.run(self.conn.create_process(term_type=term_type, term_size=size, encoding=None))
        self.screen = loop.run(read_until(self.process, FIRST_FRAME, 30))
        (self.child,) = set(session_processes(served.process.pid)) - {keeper.child}

    def wait_size(self, size: tuple[int, int], timeout: float = 10) -> None:
        deadline = time.monotonic() + timeout
        while tty_size(self.child) != size:
            assert time.monotonic() < deadline, f"terminal {tty_size(self.child)}, not {size}"
            time.sleep(0.05)

    def close(self) -> None:
        async def closing() -> int | None:
            self.process.stdin.write(b"q")
            await asyncio.wait_for(self.process.wait_closed(), 20)
            status = self.process.exit_status
            self.conn.close()
            await self.conn.wait_closed()
            return status

        assert self.loop.run(closing()) == 0


@pytest.mark.parametrize(
    ("asked", "given"),
    [((0, 0), (80, 24)), ((10000, 10000), (policy.MAX_COLUMNS, policy.MAX_ROWS)), ((0, 50), (80, 50))],
    ids=["0x0", "10000x10000", "0x50"],
)
def test_absurd_terminal_sizes_are_drawn_at_a_sane_one(
    loop: Loop, served: Served, keeper: Keeper, asked: tuple[int, int], given: tuple[int, int]
) -> None:
    opened = Opened(loop, served, keeper, "xterm-256color", asked)
    try:
        assert tty_size(opened.child) == given
        columns, rows = drawn_extent(opened.screen)
        assert columns <= given[0] and rows <= given[1]
    finally:
        opened.close()


def test_a_resize_to_absurd_sizes_is_clamped(loop: Loop, served: Served, keeper: Keeper) -> None:
    opened = Opened(loop, served, keeper, "xterm-256color", (100, 30))
    try:
        assert tty_size(opened.child) == (100, 30)
        opened.process.change_terminal_size(10000, 10000)
        opened.wait_size((policy.MAX_COLUMNS, policy.MAX_ROWS))
        opened.process.change_terminal_size(0, 0)
        opened.wait_size(policy.DEFAULT_SIZE)
    finally:
        opened.close()


@pytest.mark.parametrize(
    "term", ["x" * 5000, "xterm\x1b]0;owned\x07" + "y" * 4990], ids=["5000-letters", "5000-with-escapes"]
)
def test_a_5000_character_term_becomes_xterm_256color(loop: Loop, served: Served, keeper: Keeper, term: str) -> None:
    opened = Opened(loop, served, keeper, term, (100, 30))
    try:
        assert environ(opened.child)["TERM"] == policy.DEFAULT_TERM
    finally:
        opened.close()


def test_50_sessions_on_one_connection_are_held_to_the_per_address_limit(
    loop: Loop, served: Served, keeper: Keeper
) -> None:
    """Channels are sessions: on one connection as on many, at most --per-ip from an address
    (the kept session is one); the others get the refusal's one line and exit 1."""

    async def fifty() -> tuple[list[tuple[int | None, bytes]], list[int | None]]:
        conn = await connect(served)
        try:
            processes = await asyncio.gather(
                *(conn.create_process(term_type="xterm-256color", term_size=(80, 24), encoding=None) for _ in range(50))
            )
            waits = {asyncio.ensure_future(p.wait_closed()): p for p in processes}
            done: set[asyncio.Future[None]] = set()
            running = set(waits)
            while running:  # the refused end at once; the admitted run until they quit
                ended, running = await asyncio.wait(running, timeout=1.5, return_when=asyncio.FIRST_COMPLETED)
                if not ended:
                    break
                done |= ended
            refused = [(waits[task].exit_status, await waits[task].stderr.read()) for task in done]
            admitted = [waits[task] for task in running]
            for process in admitted:  # each draws the explorer, and quits
                await read_until(process, FIRST_FRAME, 30)
                process.stdin.write(b"q")
            await asyncio.wait_for(asyncio.gather(*running), 30)
            return refused, [process.exit_status for process in admitted]
        finally:
            conn.close()
            await conn.wait_closed()

    refused, admitted = loop.run(fifty(), timeout=120)
    assert admitted == [0] * (PER_IP - 1)
    message = f"alliance: too many sessions from 127.0.0.1 ({PER_IP} at most); close one and try again\r\n"
    assert refused == [(1, message.encode())] * (50 - (PER_IP - 1))
