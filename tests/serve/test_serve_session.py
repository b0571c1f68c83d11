"""One served session's life (asyncssh client, real server): its terminal's size follows the
client's window, an idle session is closed with the terminal given back, and a session's end
is logged."""

from __future__ import annotations

import asyncio
import fcntl
import os
import struct
import termios
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tui.serve.pty import SESSION_NICENESS, TERMINAL_RESET
from tui.serve.ssh import WAITING

from .load import FIRST_SCREEN, Screen, explorer_session
from .servers import Served, session_processes, start_server

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    served = start_server(tmp_path_factory.mktemp("sessions"), "--open-access")
    yield served
    served.stop()


@pytest.fixture
def idle_server(tmp_path: Path) -> Iterator[Served]:
    served = start_server(tmp_path, "--open-access", "--idle-timeout", "3")
    yield served
    served.stop()


async def _first_screen_while_active(process: object, screen: Screen) -> None:
    """The first screen, the window resized every 0.5 s meanwhile: a person is there (under
    load the explorer may take longer than the idle timeout to draw)."""
    waiting = asyncio.ensure_future(screen.wait_for(FIRST_SCREEN, 120))
    while not waiting.done():
        process.change_terminal_size(100, 30)  # type: ignore[attr-defined]
        await asyncio.wait([waiting], timeout=0.5)
    await waiting


def _tty_size(pid: int) -> tuple[int, int]:
    """(columns, rows) of the terminal a process has as stdin, read from the kernel."""
    fd = os.open(f"/proc/{pid}/fd/0", os.O_RDONLY | os.O_NOCTTY | os.O_NONBLOCK)
    try:
        rows, columns, _, _ = struct.unpack("HHHH", fcntl.ioctl(fd, termios.TIOCGWINSZ, b"\0" * 8))
    finally:
        os.close(fd)
    return columns, rows


async def _wait(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.05)


def test_the_terminal_size_follows_the_window(server: Served) -> None:

    async def scenario() -> list[tuple[int, int]]:
        sizes = []
        async with explorer_session(server.port, (120, 40)) as (_conn, process, screen):
            await screen.wait_for(FIRST_SCREEN, 60)
            (child,) = session_processes(server.process.pid)
            sizes.append(_tty_size(child))
            for size in ((90, 25), (0, 0), (4000, 3000)):
                process.change_terminal_size(*size)
                expected = {(0, 0): (80, 24), (4000, 3000): (500, 200)}.get(size, size)
                await _wait(lambda expected=expected: _tty_size(child) == expected)
                sizes.append(_tty_size(child))
            process.change_terminal_size(100, 30)
            await asyncio.sleep(0.5)
            process.stdin.write(b"q")
            await asyncio.wait_for(process.wait_closed(), 20)
            assert process.exit_status == 0
        return sizes

    assert asyncio.run(scenario()) == [(120, 40), (90, 25), (80, 24), (500, 200)]


def test_an_idle_session_is_closed_and_the_terminal_given_back(idle_server: Served) -> None:

    async def scenario() -> tuple[bytes, float, int | None]:
        async with explorer_session(idle_server.port) as (_conn, process, screen):
            await _first_screen_while_active(process, screen)
            process.stdin.write(b"2")  # input: the idle clock starts again
            started = time.monotonic()
            await asyncio.wait_for(process.wait_closed(), 30)
            return bytes(screen.data), time.monotonic() - started, process.exit_status

    data, after, status = asyncio.run(scenario())
    assert 2.5 <= after <= 30, after
    assert data.endswith(TERMINAL_RESET + b"alliance: closed after 0.05 min without input\r\n")
    assert status == 0
    assert session_processes(idle_server.process.pid) == []
    assert idle_server.wait_log(1)[-1].endswith("exit idle")


def test_the_session_process_is_gone_when_the_client_vanishes(server: Served) -> None:
    import asyncssh

    async def scenario() -> int:
        conn = await asyncssh.connect(
            "127.0.0.1", server.port, known_hosts=None, username="x", client_keys=None, encoding=None
        )
        process = await conn.create_process(term_type="xterm-256color", term_size=(100, 30), encoding=None)
        screen = Screen()
        pump = asyncio.ensure_future(screen.pump(process.stdout))
        await screen.wait_for(FIRST_SCREEN, 60)
        (child,) = session_processes(server.process.pid)
        conn.abort()  # the TCP connection dropped, no goodbye
        pump.cancel()
        return child

    child = asyncio.run(scenario())
    deadline = time.monotonic() + 10
    while Path(f"/proc/{child}").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not Path(f"/proc/{child}").exists()


def _nice(pid: int) -> int:
    stat = Path(f"/proc/{pid}/stat").read_text()
    return int(stat[stat.rindex(")") + 2 :].split()[16])  # field 19 of proc(5)


def test_a_session_runs_below_the_server(server: Served) -> None:
    """The server relays every key and frame: its sessions must not take the CPU from it."""

    async def scenario() -> int:
        async with explorer_session(server.port) as (_conn, process, screen):
            await screen.wait_for(FIRST_SCREEN, 60)
            (child,) = session_processes(server.process.pid)
            nice = _nice(child)
            process.stdin.write(b"q")
            await asyncio.wait_for(process.wait_closed(), 20)
            return nice

    assert asyncio.run(scenario()) == min(19, _nice(server.process.pid) + SESSION_NICENESS)


def test_no_more_explorers_start_at_once_than_there_are_cpus(tmp_path: Path) -> None:
    """Sessions that arrive together start a few at a time (one per CPU): the next explorer
    is spawned only once one has drawn its first frame, so a crowd arriving does not take the
    CPU from the sessions in use."""
    cpus = os.cpu_count() or 1
    count = cpus + 2
    served = start_server(tmp_path, "--open-access", "--per-ip", str(count), "--max-sessions", str(count))
    spawned: dict[int, float] = {}
    frames: list[float] = []
    told: list[bool] = []

    async def one() -> None:
        async with explorer_session(served.port) as (_conn, process, screen):
            await screen.wait_for(FIRST_SCREEN, 120)
            frames.append(time.monotonic())
            told.append(bytes(screen.data).startswith(WAITING))
            while len(frames) < count:  # stay until every explorer has drawn
                await asyncio.sleep(0.05)
            process.stdin.write(b"q")
            await asyncio.wait_for(process.wait_closed(), 30)

    async def watch(done: asyncio.Future[object]) -> None:
        while not done.done():
            for pid in session_processes(served.process.pid):
                spawned.setdefault(pid, time.monotonic())
            await asyncio.sleep(0.02)

    async def scenario() -> None:
        everyone = asyncio.gather(*(one() for _ in range(count)))
        await asyncio.gather(everyone, watch(everyone))

    try:
        asyncio.run(scenario())
    finally:
        served.stop()
    starts = sorted(spawned.values())
    assert len(starts) == count
    assert starts[cpus] >= min(frames), "more explorers started together than there are CPUs"
    assert sum(told) >= count - cpus  # those that waited were told why the screen stayed blank
