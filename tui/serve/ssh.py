"""`alliance serve ssh`: the explorer for anyone with an SSH client, nothing installed.

Each connection may open sessions. A session with a terminal (`ssh -t host`, or plain `ssh
host`) runs the explorer in its own process on its own pty (tui/serve/pty.py); an exec request
(`ssh host search nasa --json`) runs one read-only subcommand with its output piped back
(tui/serve/policy.py says which). Nothing else is served: no shell, no forwarding of ports,
agents or X11, no SFTP or SCP, no password.

The server is one asyncio process. It never forks an interpreter of its own: each session is
`python -c …` started by subprocess (fork and exec in C, safe beside asyncssh's threads).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import os
import signal
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import asyncssh

from ..messages import N_, _, decimal
from . import policy
from .pty import TERMINAL_RESET, PtyChild, child_argv

# A command run by exec has this long to finish.
EXEC_TIMEOUT_S = 60.0
# An explorer has started (and lets the next one start) once it has written about a screenful
# (its first frame: 7 KB at 100x30; the terminal set-up before it is under 200 B) and then
# paused this long, or after STARTED_MAX_S in any case.
STARTED_QUIET_S = 0.1
STARTED_MAX_S = 5.0
STARTED_BYTES = 2048
WAITING_TEXT = N_("alliance: the server is starting other sessions; the explorer opens in a moment")
WAITING = (WAITING_TEXT + "\r\n").encode()  # as an English server writes it


class Refusal(str):
    """Why a session is refused, in the server's language, for the client; `logged` is the
    same in English, for the connection log (its lines stay English, for scripts)."""

    logged: str


def _refusal(message: str, **fields: object) -> Refusal:
    refusal = Refusal(_(message).format(**fields))
    refusal.logged = message.format(**fields)
    return refusal


@dataclass
class ServeOptions:
    """What `alliance serve ssh` was asked for (see tui/cli.py for the defaults' reasons)."""

    host: str = "127.0.0.1"
    port: int = 2222
    data_dir: Path | None = None
    authorized_keys: Path | None = None
    open_access: bool = False
    max_sessions: int = 32
    per_ip: int = 4
    idle_timeout: float = 1800.0
    login_timeout: float = 30.0
    session_memory_mb: int = 2048
    log: Path | None = None


@dataclass
class Limits:
    """Sessions running, in all and per client address; `admit` counts one in or says why not."""

    max_sessions: int
    per_ip: int
    total: int = 0
    by_ip: Counter[str] = field(default_factory=Counter)

    def admit(self, ip: str) -> Refusal | None:
        if self.total >= self.max_sessions:
            return _refusal(N_("the server is full ({n} sessions); try again later"), n=self.max_sessions)
        if self.by_ip[ip] >= self.per_ip:
            return _refusal(
                N_("too many sessions from {ip} ({n} at most); close one and try again"), ip=ip, n=self.per_ip
            )
        self.total += 1
        self.by_ip[ip] += 1
        return None

    def release(self, ip: str) -> None:
        self.total -= 1
        self.by_ip[ip] -= 1
        if self.by_ip[ip] <= 0:
            del self.by_ip[ip]


class Server:
    """State shared by every connection: options, limits, the child environment, the log."""

    def __init__(self, options: ServeOptions, cache: Path, log: IO[str] | None) -> None:
        self.options = options
        self.cache = cache
        self.limits = Limits(options.max_sessions, options.per_ip)
        self.connections: Counter[str] = Counter()
        self.sessions: set[Session] = set()
        self.authorized = (
            asyncssh.read_authorized_keys(str(options.authorized_keys)) if options.authorized_keys else None
        )
        self._log = log
        # Explorers starting at once (each a fresh interpreter: about 0.4 s of CPU before its
        # first frame, more to open the index): no more than the CPUs. Thirty-two starting
        # together took the CPU from the sessions already in use, each key waiting seconds.
        self.starting = asyncio.Semaphore(max(1, os.cpu_count() or 1))

    def child_env(self, client: dict[str, str]) -> dict[str, str]:
        """The whole environment of a session's process: the server's settings, and the four
        checked variables of the client's (policy.session_env)."""
        env = {
            "PATH": os.defpath,
            "ALLIANCE_SERVED": "1",
            "ALLIANCE_CACHE": str(self.cache),
            "PYTHONIOENCODING": "utf-8",
            **client,
        }
        if "LANG" not in env:
            env["LANG"] = "C.UTF-8"
        if self.options.data_dir is not None:
            env["ALLIANCE_DATA"] = str(self.options.data_dir)
        return env

    def log(self, line: str) -> None:
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        text = f"{stamp} {line}\n"
        with contextlib.suppress(OSError, ValueError):
            sys.stderr.write(text)
            sys.stderr.flush()
        if self._log is not None:
            with contextlib.suppress(OSError, ValueError):
                self._log.write(text)
                self._log.flush()


class Connection(asyncssh.SSHServer):
    """One client connection: its authentication, and one log line when it ends."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.ip = "?"
        self.port = 0
        self.who = "-"  # "open", a key's fingerprint, or "-" (not authenticated)
        self.exit = "-"  # the last session's exit status, or why it was refused
        self.started = time.monotonic()
        self.counted = False

    def connection_made(self, conn: asyncssh.SSHServerConnection) -> None:
        peer = conn.get_extra_info("peername") or ("?", 0)
        self.ip, self.port = str(peer[0]), int(peer[1])
        options = self.server.options
        # Handshakes in progress count too (each closed by the login timeout at worst).
        if (
            self.server.connections[self.ip] >= 2 * options.per_ip
            or sum(self.server.connections.values()) >= 2 * options.max_sessions
        ):
            self.exit = "refused (too many connections)"
            conn.disconnect(asyncssh.DISC_TOO_MANY_CONNECTIONS, "too many connections")
            return
        self.server.connections[self.ip] += 1
        self.counted = True

    def connection_lost(self, exc: Exception | None) -> None:
        if self.counted:
            self.server.connections[self.ip] -= 1
            if self.server.connections[self.ip] <= 0:
                del self.server.connections[self.ip]
        seconds = time.monotonic() - self.started
        why = f" ({policy.shown(str(exc))})" if exc is not None and self.who == "-" else ""
        self.server.log(f"{self.ip}:{self.port} {self.who} {seconds:.1f}s exit {self.exit}{why}")

    # -- authentication: keys, or nothing at all with --open-access; never passwords ----------

    def begin_auth(self, username: str) -> bool:
        if self.server.options.open_access:
            self.who = "open"
            return False  # no authentication needed
        return True

    def public_key_auth_supported(self) -> bool:
        return self.server.authorized is not None

    def validate_public_key(self, username: str, key: asyncssh.SSHKey) -> bool:
        assert self.server.authorized is not None
        if self.server.authorized.validate(key, self.ip, self.ip) is None:
            return False
        self.who = str(key.get_fingerprint("sha256"))
        return True

    def password_auth_supported(self) -> bool:
        return False

    def kbdint_auth_supported(self) -> bool:
        return False

    def host_based_auth_supported(self) -> bool:
        return False

    # -- what a connection may open: sessions, and nothing else ------------------------------

    def session_requested(self) -> Session:
        return Session(self.server, self)

    def connection_requested(self, dest_host: str, dest_port: int, orig_host: str, orig_port: int) -> bool:
        return False  # ssh -L, -D

    def server_requested(self, listen_host: str, listen_port: int) -> bool:
        return False  # ssh -R

    def unix_connection_requested(self, dest_path: str) -> bool:
        return False

    def unix_server_requested(self, listen_path: str) -> bool:
        return False


class Session(asyncssh.SSHServerSession):  # type: ignore[type-arg]
    """One channel: the explorer on a pty, or one exec command, or a refusal."""

    def __init__(self, server: Server, connection: Connection) -> None:
        self.server = server
        self.connection = connection
        self.chan: Any = None
        self.term_type: str | None = None
        self.size = policy.DEFAULT_SIZE
        self.command: str | None = None
        self.child: PtyChild | None = None
        self.task: asyncio.Task[None] | None = None
        self.last_input = time.monotonic()
        self._writable = asyncio.Event()
        self._writable.set()
        self._idle: asyncio.TimerHandle | None = None
        self._closing: asyncio.Future[None] | None = None
        self._idle_expired = False
        self._closed = False
        self._last_output = 0.0  # loop time of the explorer's last output (0: none yet)
        self._written = 0  # bytes of output so far

    # -- requests before the session starts ----------------------------------------------------

    def connection_made(self, chan: Any) -> None:
        self.chan = chan

    def pty_requested(self, term_type: str, term_size: tuple[int, int, int, int], term_modes: Any) -> bool:
        self.term_type = term_type
        self.size = policy.clamp_size(term_size[0], term_size[1])
        return True

    def shell_requested(self) -> bool:
        return True

    def exec_requested(self, command: str | bytes) -> bool:
        self.command = command.decode("utf-8", "replace") if isinstance(command, bytes) else command
        return True

    def subsystem_requested(self, subsystem: str) -> bool:
        return False  # sftp (and so scp -s) and anything else

    def session_started(self) -> None:
        self.task = asyncio.ensure_future(self._run())
        self.server.sessions.add(self)

    # -- while it runs -----------------------------------------------------------------------

    def data_received(self, data: bytes, datatype: Any) -> None:
        self.last_input = time.monotonic()
        if self.child is not None:
            self.child.write(data)

    def terminal_size_changed(self, width: int, height: int, pixwidth: int, pixheight: int) -> None:
        self.last_input = time.monotonic()  # someone resizing the window is there
        self.size = policy.clamp_size(width, height)
        if self.child is not None:
            self.child.resize(*self.size)

    def eof_received(self) -> bool:
        return True  # keep the channel open for output: the explorer ends the session

    def break_received(self, msec: int) -> bool:
        return False

    def signal_received(self, signal: str) -> None:
        pass  # a client does not signal the server's processes

    def pause_writing(self) -> None:
        self._writable.clear()
        if self.child is not None:
            self.child.pause_output()

    def resume_writing(self) -> None:
        self._writable.set()
        if self.child is not None:
            self.child.resume_output()

    def connection_lost(self, exc: Exception | None) -> None:
        self._closed = True
        self._writable.set()
        if self.task is not None and not self.task.done():
            self.task.cancel()

    # -- the session itself ------------------------------------------------------------------

    async def _run(self) -> None:
        refusal = self.server.limits.admit(self.connection.ip)
        if refusal is not None:
            self.connection.exit = f"refused ({refusal.logged.split(';')[0]})"
            self._finish(_("alliance: {message}").format(message=refusal) + "\r\n", 1)
            self.server.sessions.discard(self)
            return
        try:
            if self.command is not None:
                await self._run_exec(self.command)
            elif self.term_type is None:
                self.connection.exit = "refused (no terminal)"
                self._finish(_("alliance: the explorer needs a terminal: connect with ssh -t") + "\r\n", 2)
            else:
                await self._run_explorer()
        except asyncio.CancelledError:
            pass
        finally:
            if self.child is not None:
                await self.child.close()
            if self._idle is not None:
                self._idle.cancel()
            self.server.limits.release(self.connection.ip)
            self.server.sessions.discard(self)

    def _finish(self, message: str, status: int) -> None:
        if self._closed:
            return
        with contextlib.suppress(OSError, asyncssh.Error):
            if message:
                self.chan.write(message.encode("utf-8"), asyncssh.EXTENDED_DATA_STDERR)
            self.chan.exit(status)

    def _output(self, data: bytes) -> None:
        self._last_output = asyncio.get_running_loop().time()
        self._written += len(data)
        if not self._closed:
            with contextlib.suppress(OSError, asyncssh.Error):
                self.chan.write(data)

    async def _run_explorer(self) -> None:
        env = self.server.child_env(policy.session_env(self.chan.get_environment(), self.term_type))
        memory = self.server.options.session_memory_mb * 1024 * 1024
        if self.server.starting.locked():
            # Seconds may pass on a busy server: say why the screen stays blank.
            self._output((_(WAITING_TEXT) + "\r\n").encode())
        async with self.server.starting:
            self.child = PtyChild(child_argv([], memory), env, self.size, self._output)
            self.child.on_input_paused = self._pause_input
            await self.child.start()
            await self._started()
        self._arm_idle()
        status = await self.child.wait()
        if self._idle_expired:
            minutes = decimal(self.server.options.idle_timeout / 60)
            self.connection.exit = "idle"
            # The explorer restores the terminal on SIGHUP; if it had to be killed, this does.
            closed = _("alliance: closed after {minutes} min without input").format(minutes=minutes)
            self._output(TERMINAL_RESET + (closed + "\r\n").encode())
            self._finish("", 0)
            return
        self.connection.exit = str(status)
        self._finish("", status)

    async def _started(self) -> None:
        """Wait until the explorer has drawn its first frame (a screenful of output, then
        STARTED_QUIET_S without any), at most STARTED_MAX_S, or its end."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + STARTED_MAX_S
        screenful = min(STARTED_BYTES, self.size[0] * self.size[1])
        while loop.time() < deadline and self.child is not None and self.child.running:
            if self._written >= screenful and loop.time() - self._last_output >= STARTED_QUIET_S:
                return
            await asyncio.sleep(0.02)

    def _pause_input(self, paused: bool) -> None:
        with contextlib.suppress(OSError, asyncssh.Error):
            if paused:
                self.chan.pause_reading()
            else:
                self.chan.resume_reading()

    def _arm_idle(self) -> None:
        timeout = self.server.options.idle_timeout
        if timeout <= 0:
            return
        due = self.last_input + timeout - time.monotonic()
        self._idle = asyncio.get_running_loop().call_later(max(due, 0.05), self._check_idle)

    def _check_idle(self) -> None:
        if time.monotonic() - self.last_input < self.server.options.idle_timeout:
            self._arm_idle()
            return
        self._idle_expired = True
        if self.child is not None:  # its end wakes _run_explorer, which says why
            self._closing = asyncio.ensure_future(self.child.close())

    async def _run_exec(self, command: str) -> None:
        try:
            words = policy.exec_argv(command)
        except policy.Refused as exc:
            self.connection.exit = f"refused (exec {policy.shown(command, 30)})"
            self._finish(_("alliance: {message}").format(message=exc) + "\n", 2)
            return
        env = self.server.child_env(policy.session_env(self.chan.get_environment(), None))
        memory = self.server.options.session_memory_mb * 1024 * 1024
        process = await asyncio.create_subprocess_exec(
            *child_argv(words, memory, terminal=False),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            env=env,
            start_new_session=True,
        )
        gathered: asyncio.Future[Any] | None = None
        try:
            assert process.stdout is not None and process.stderr is not None
            piped = (self._pipe(process.stdout, None), self._pipe(process.stderr, asyncssh.EXTENDED_DATA_STDERR))
            gathered = asyncio.gather(*piped)
            await asyncio.wait_for(gathered, EXEC_TIMEOUT_S)
            status = await asyncio.wait_for(process.wait(), EXEC_TIMEOUT_S)
        except asyncio.TimeoutError:
            self.connection.exit = "timeout"
            took = _("alliance: the command took more than {seconds} s").format(seconds=decimal(EXEC_TIMEOUT_S))
            self._finish(took + "\n", 3)
            return
        finally:
            # Cancelled (the client went, or the timeout), the gather ends holding a
            # CancelledError: read it, or asyncio logs a traceback for every such client.
            if gathered is not None and gathered.done() and not gathered.cancelled():
                gathered.exception()
            if process.returncode is None:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(process.pid, signal.SIGKILL)
                await process.wait()
        self.connection.exit = str(status)
        self._finish("", status if status >= 0 else 128 - status)

    async def _pipe(self, stream: asyncio.StreamReader, datatype: Any) -> None:
        while data := await stream.read(65536):
            await self._writable.wait()
            if self._closed:
                return
            with contextlib.suppress(OSError, asyncssh.Error):
                self.chan.write(data, datatype)


async def serve(options: ServeOptions, cache: Path, host_key: Any, *, ready: Any = None) -> int:
    """Run the server until SIGINT or SIGTERM; 0 then. `ready(port)` is called once listening."""
    log = open(options.log, "a", encoding="utf-8") if options.log else None  # noqa: SIM115 (kept open while serving)
    server = Server(options, cache, log)
    listener = await asyncssh.create_server(
        lambda: Connection(server),
        options.host,
        options.port,
        server_host_keys=[host_key],
        encoding=None,
        line_editor=False,
        allow_pty=True,
        agent_forwarding=False,
        x11_forwarding=False,
        password_auth=False,
        kbdint_auth=False,
        host_based_auth=False,
        gss_auth=False,
        gss_kex=False,
        public_key_auth=not options.open_access,
        login_timeout=options.login_timeout,
        keepalive_interval=60,
        keepalive_count_max=3,
        server_version="alliance-explorer",
    )
    port = listener.sockets[0].getsockname()[1]
    if ready is not None:
        ready(port)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        loop.add_signal_handler(signum, stop.set)
    try:
        await stop.wait()
    finally:
        listener.close()
        sessions = list(server.sessions)
        for session in sessions:
            if session.task is not None:
                session.task.cancel()
        await asyncio.gather(*(s.task for s in sessions if s.task is not None), return_exceptions=True)
        with contextlib.suppress(Exception):
            await asyncio.wait_for(listener.wait_closed(), 5)
        if log is not None:
            log.close()
    return 0
