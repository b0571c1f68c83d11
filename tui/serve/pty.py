"""One served session's explorer: its own process, on its own pseudo-terminal.

The child is a fresh interpreter (see `explorer_argv`) in a new session whose controlling
terminal is the pty's slave side, so the kernel sends it SIGWINCH when the client resizes and
SIGHUP when the pty goes away. Its address space is capped (RLIMIT_AS) before it imports
anything, so one session that grows without bound fails alone. Ending a session signals the
child's whole process group, then kills it, then reaps it: nothing outlives the connection.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import signal
import struct
import sys
import termios
from collections.abc import Callable, Mapping
from pathlib import Path

# Runs in the child: no cwd on sys.path (as tui/cli.py's child_command), the pty as the
# controlling terminal, the memory cap, then the explorer.
_BOOT = """\
import sys
getattr(sys.flags, "safe_path", False) or sys.path.pop(0)
sys.path.insert(0, {root!r})
import fcntl, os, resource, termios
if {nice}:
    os.nice({nice})
if {terminal}:
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)
if {memory}:
    resource.setrlimit(resource.RLIMIT_AS, ({memory}, {memory}))
from tui.cli import run
run()
"""

# Bytes read from the pty at a time; the SSH channel splits them into packets.
_CHUNK = 65536
# Input buffered for a child that does not read it: beyond this, the client is paused.
_INPUT_HIGH = 1 << 20
# After SIGHUP, how long a child may take to leave before SIGKILL.
_GRACE_S = 2.0

# What a terminal needs after a session ended without the explorer's own clean-up (a child
# killed): the main screen back, the cursor shown, mouse reports, focus events, bracketed
# paste and the kitty keyboard protocol off, colours reset. Harmless after a clean exit.
TERMINAL_RESET = (
    b"\x1b[<u\x1b[?1049l\x1b[?25h\x1b[?1000l\x1b[?1002l\x1b[?1003l\x1b[?1015l\x1b[?1006l\x1b[?1004l\x1b[?2004l\x1b[0m"
)


def code_root() -> str:
    """The folder holding the `tui` and `index` packages the server runs."""
    return str(Path(__file__).resolve().parents[2])


# Sessions run this much nicer than the server. The server relays every key and every frame
# of every session: when 32 explorers share two cores at the server's priority, the relay gets
# a 33rd of the CPU and each key waits for it twice (in, then out), whatever its own explorer
# does. Below the server, the relay goes first and the explorers share the rest.
SESSION_NICENESS = 5


def child_argv(args: list[str], memory_bytes: int, *, terminal: bool = True, nice: int = SESSION_NICENESS) -> list[str]:
    """argv of a child that runs `alliance ARGS` under the memory cap (0: none), `nice` steps
    below the server, taking its stdin as controlling terminal when `terminal` (the explorer
    on a pty; not an exec's pipes)."""
    code = _BOOT.format(root=code_root(), memory=int(memory_bytes), terminal=terminal, nice=int(nice))
    return [sys.executable, "-c", code, *args]


def set_size(fd: int, columns: int, rows: int) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))


class PtyChild:
    """A child process on a new pty, its output handed to `on_output`, its end to `on_exit`."""

    def __init__(
        self,
        argv: list[str],
        env: Mapping[str, str],
        size: tuple[int, int],
        on_output: Callable[[bytes], None],
    ) -> None:
        self.argv = argv
        self.env = dict(env)
        self.size = size
        self.on_output = on_output
        self.master = -1
        self.process: asyncio.subprocess.Process | None = None
        self._pending = bytearray()
        self._reading = False
        self._paused = False
        self._output_done = asyncio.get_running_loop().create_future()
        self.on_input_paused: Callable[[bool], None] | None = None

    async def start(self) -> None:
        master, slave = os.openpty()
        try:
            set_size(slave, *self.size)
            os.set_blocking(master, False)
            os.set_inheritable(master, False)
            self.process = await asyncio.create_subprocess_exec(
                *self.argv,
                stdin=slave,
                stdout=slave,
                stderr=slave,
                env=self.env,
                start_new_session=True,
                close_fds=True,
            )
        except BaseException:
            os.close(master)
            raise
        finally:
            os.close(slave)  # only the child holds it: its exit makes reads of the master fail
        self.master = master
        self._start_reading()

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process else None

    # -- output: pty -> client ---------------------------------------------------------------

    def _start_reading(self) -> None:
        if self.master >= 0 and not self._reading and not self._output_done.done():
            asyncio.get_running_loop().add_reader(self.master, self._readable)
            self._reading = True

    def _stop_reading(self) -> None:
        if self._reading:
            asyncio.get_running_loop().remove_reader(self.master)
            self._reading = False

    def _readable(self) -> None:
        try:
            data = os.read(self.master, _CHUNK)
        except BlockingIOError:
            return
        except OSError:  # EIO: every holder of the slave side closed it (the child ended)
            data = b""
        if not data:
            self._stop_reading()
            if not self._output_done.done():
                self._output_done.set_result(None)
            return
        self.on_output(data)

    def pause_output(self) -> None:
        """The client reads slower than the explorer writes: stop reading the pty (the child
        then blocks on a full pty instead of the server buffering without end)."""
        self._paused = True
        self._stop_reading()

    def resume_output(self) -> None:
        self._paused = False
        self._start_reading()

    # -- input: client -> pty ----------------------------------------------------------------

    def write(self, data: bytes) -> None:
        if self.master < 0:
            return
        if not self._pending:
            try:
                written = os.write(self.master, data)
            except BlockingIOError:
                written = 0
            except OSError:
                return  # the child is gone; its end is reported through the output
            data = data[written:]
            if not data:
                return
            asyncio.get_running_loop().add_writer(self.master, self._writable)
        self._pending += data
        if len(self._pending) > _INPUT_HIGH and self.on_input_paused:
            self.on_input_paused(True)

    def _writable(self) -> None:
        try:
            written = os.write(self.master, self._pending)
        except BlockingIOError:
            return
        except OSError:
            written = len(self._pending)
        del self._pending[:written]
        if not self._pending:
            asyncio.get_running_loop().remove_writer(self.master)
            if self.on_input_paused:
                self.on_input_paused(False)

    def resize(self, columns: int, rows: int) -> None:
        """The client's window changed: the kernel tells the child (SIGWINCH)."""
        self.size = (columns, rows)
        if self.master >= 0:
            with contextlib.suppress(OSError):
                set_size(self.master, columns, rows)

    # -- the end -----------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.returncode is None

    async def wait(self) -> int:
        """The child's exit status (128 + N for a signal), once its output is all delivered."""
        assert self.process is not None
        status = await self.process.wait()
        with contextlib.suppress(asyncio.TimeoutError):
            # The child may have left grandchildren holding the pty; do not wait for them.
            await asyncio.wait_for(asyncio.shield(self._output_done), 1.0)
        return status if status >= 0 else 128 - status

    async def close(self) -> None:
        """End the child and everything it started, then release the pty. Safe to repeat."""
        process = self.process
        if process is not None and process.returncode is None:
            # The whole group (the child is its session's leader; anything it started is in
            # it), signalled only while the leader is not yet reaped: its id cannot have been
            # reused by another session's group.
            _signal_group(process.pid, signal.SIGHUP)
            try:
                await asyncio.wait_for(asyncio.shield(process.wait()), _GRACE_S)
            except asyncio.TimeoutError:
                _signal_group(process.pid, signal.SIGKILL)
                await process.wait()
        if self.master >= 0:
            loop = asyncio.get_running_loop()
            self._stop_reading()
            loop.remove_writer(self.master)
            os.close(self.master)
            self.master = -1
        if not self._output_done.done():
            self._output_done.set_result(None)


def _signal_group(pgid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signum)
