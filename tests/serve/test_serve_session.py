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

from tui.serve.pty import TERMINAL_RESET

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
