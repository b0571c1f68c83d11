"""Churn on `alliance serve ssh`: hundreds of real OpenSSH clients come and go, many killed with
SIGKILL mid-session, and the server keeps nothing of them: no process, no pseudo-terminal, no
descriptor. A stuck explorer (SIGSTOP'd) is still ended when its client goes.

The clients run on pseudo-terminals of the test's own (os.openpty), the cheapest real terminal
for `ssh -tt`; what each saw is read from the pty's master side.
"""

from __future__ import annotations

import os
import random
import select
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from tui.serve.pty import set_size

from .servers import HAVE_SSH, Served, client_env, open_fds, session_processes, start_server

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.skipif(not HAVE_SSH, reason="needs ssh and ssh-keygen")]

FIRST_FRAME = b"AI Alliance"  # the title bar: the explorer has drawn its first screen
NASA = "National Aeronautics and Space Administration"
# The cycles and their mix (300 in all). A full explorer start costs ~0.5 s of CPU here (its
# imports, its first frame; ~0.75 s with a quit), an exec ~0.13 s, a connection killed early
# ~0.08 s: the kinds that start the explorer are the smaller share, so that the module takes
# ~60 CPU-seconds.
MIX = {
    "exec": 110,  # `ssh host show member:nasa` answered in full
    "exec-killed": 85,  # an exec request, the client killed at a random moment of its first 0.5 s
    "killed-early": 60,  # a session, the client killed at a random moment of its first 0.4 s
    "killed-starting": 15,  # a session, killed once the explorer has started (its first bytes)
    "killed-drawn": 20,  # a session, killed once the first frame is on the screen
    "quit": 10,  # a session ended by the explorer itself (`q`)
}
# Cycles that may be killed before their TCP connection is made (the server then sees none).
MAY_NOT_CONNECT = ("exec-killed", "killed-early")
CONCURRENT = 4


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """An open-access server whose limits the churn never reaches (its own refusals are
    tested in test_serve_bad_input.py)."""
    tmp = tmp_path_factory.mktemp("churn")
    server = start_server(tmp / "server", "--open-access", "--per-ip", "32", "--max-sessions", "32")
    yield server
    server.stop()


# -- a real client on a terminal of our own ------------------------------------------------------


class PtyClient:
    """`ssh -tt … 127.0.0.1` on a new pseudo-terminal; `output` collects what it drew."""

    def __init__(self, served: Served, *remote: str, size: tuple[int, int] = (100, 30)) -> None:
        master, slave = os.openpty()
        try:
            set_size(slave, *size)
            argv = ["ssh", "-tt", *served.ssh_options(None), "127.0.0.1", *remote]
            self.process = subprocess.Popen(
                argv, stdin=slave, stdout=slave, stderr=slave, start_new_session=True, env=client_env()
            )
        except BaseException:
            os.close(master)
            raise
        finally:
            os.close(slave)
        self.master = master
        self.output = bytearray()

    def read_until(self, needle: bytes, timeout: float) -> bool:
        """Read the screen's bytes until `needle` shows (True), the client ends or time is up."""
        deadline = time.monotonic() + timeout
        while needle not in self.output:
            left = deadline - time.monotonic()
            if left <= 0 or not self._read(left):
                return needle in self.output
        return True

    def _read(self, timeout: float) -> bool:
        """One read; False once the client has gone (EIO: no one holds the slave side)."""
        ready, _, _ = select.select([self.master], [], [], min(timeout, 0.5))
        if not ready:
            return self.process.poll() is None  # nothing yet: keep waiting while it runs
        try:
            data = os.read(self.master, 65536)
        except OSError:
            return False
        self.output += data
        return bool(data)

    def drain(self) -> None:
        """Read what has arrived already, without waiting."""
        while select.select([self.master], [], [], 0)[0] and self._read(0):
            pass

    def send(self, data: bytes) -> None:
        os.write(self.master, data)

    def kill(self) -> None:
        """SIGKILL: the client leaves without a word; the kernel closes its TCP socket."""
        self.process.kill()
        self.process.wait(timeout=10)

    def finish(self, timeout: float) -> int:
        """Its exit status, reading what it still writes meanwhile."""
        deadline = time.monotonic() + timeout
        while self.process.poll() is None and time.monotonic() < deadline:
            self._read(deadline - time.monotonic())
        return self.process.wait(timeout=max(deadline - time.monotonic(), 0.1))

    def close(self) -> None:
        if self.process.poll() is None:
            self.kill()
        if self.master >= 0:
            os.close(self.master)
            self.master = -1


# -- what the server holds -------------------------------------------------------------------------


def _environ(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/environ").read_bytes()
    except OSError:
        return b""


def served_processes(served: Served) -> set[int]:
    """The server's children, and any process anywhere that carries a session's environment
    (ALLIANCE_SERVED and this server's cache): an explorer orphaned by a leak is found too."""
    marker = f"ALLIANCE_CACHE={served.tmp / 'cache'}".encode()
    found = set(session_processes(served.process.pid))
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) != served.process.pid:
            env = _environ(int(entry)).split(b"\0")
            if b"ALLIANCE_SERVED=1" in env and marker in env:
                found.add(int(entry))
    return found


def fd_kinds(pid: int) -> Counter[str]:
    """The process's descriptors by kind: `socket`, `pipe`, `/dev/ptmx`, `pts`, or the file."""
    kinds: Counter[str] = Counter()
    for target in open_fds(pid):
        if target.startswith(("socket:", "pipe:")):
            kinds[target.split(":")[0]] += 1
        elif target.startswith("/dev/pts/"):
            kinds["pts"] += 1
        else:
            kinds[target] += 1
    return kinds


def pty_holders() -> dict[int, set[int]]:
    """Every pseudo-terminal of the system (its /dev/pts number) and the processes holding it,
    by either side (a master's number is in its fdinfo's tty-index)."""
    holders: dict[int, set[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        folder = Path(f"/proc/{entry}/fd")
        try:
            fds = list(folder.iterdir())
        except OSError:
            continue
        for fd in fds:
            try:
                target = os.readlink(fd)
                if target.startswith("/dev/pts/") and target[9:].isdigit():
                    number = int(target[9:])
                elif target == "/dev/ptmx":
                    info = Path(f"/proc/{entry}/fdinfo/{fd.name}").read_text()
                    number = int(info.split("tty-index:")[1].split()[0])
                else:
                    continue
            except (OSError, IndexError, ValueError):
                continue
            holders.setdefault(number, set()).add(int(entry))
    return holders


def system_ptys() -> set[int]:
    return {int(name) for name in os.listdir("/dev/pts") if name.isdigit()}


@dataclass
class Held:
    """What the server holds at one moment, and the pseudo-terminals of the system."""

    processes: set[int]
    fds: Counter[str]
    ptys: set[int]

    @classmethod
    def now(cls, served: Served) -> Held:
        return cls(served_processes(served), fd_kinds(served.process.pid), system_ptys())


def ptys_of_ours(served: Served, ptys: set[int]) -> set[int]:
    """Of these pseudo-terminals, those the server, a session's process, or this test holds.
    Other programs on the machine (other tests in tmux) open and close theirs meanwhile."""
    ours = {served.process.pid, os.getpid(), *served_processes(served)}
    holders = pty_holders()
    return {number for number in ptys if holders.get(number, set()) & ours}


def settle(served: Served, baseline: Held, timeout: float = 15) -> Held:
    """Wait until the server holds what it held at the baseline (or time is up); what it holds."""
    deadline = time.monotonic() + timeout
    while True:
        held = Held.now(served)
        if (not held.processes and held.fds == baseline.fds) or time.monotonic() > deadline:
            return held
        time.sleep(0.1)


def idle(served: Served, still: float = 1.0, timeout: float = 15) -> Held:
    """What the server holds at rest: no session process, and the same descriptors for `still`
    seconds. (The connection of the test before may still be closing: a baseline taken then
    held one socket more than the server holds at rest, and the test failed on a socket less.)"""
    deadline = time.monotonic() + timeout
    held, since = Held.now(served), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.1)
        now = Held.now(served)
        if now.processes or now.fds != held.fds:
            held, since = now, time.monotonic()
        elif time.monotonic() - since >= still:
            break
    return held


def assert_back_to(served: Served, baseline: Held) -> Held:
    held = settle(served, baseline)
    assert served.process.poll() is None, served.log()
    assert held.processes == set(), f"session processes left: {held.processes}"
    assert held.fds == baseline.fds, f"descriptors: {held.fds} (at the start: {baseline.fds})"
    assert ptys_of_ours(served, held.ptys) == set(), "pseudo-terminals left open by the server or its sessions"
    assert ptys_of_ours(served, held.ptys - baseline.ptys) == set()
    return held


def answers(served: Served) -> None:
    done = served.ssh("show", "member:nasa")
    assert done.returncode == 0, done.stderr
    assert NASA in done.stdout


# -- the cycles ----------------------------------------------------------------------------------


def _exec(served: Served, rng: random.Random) -> str:
    done = served.ssh("show", "member:nasa")
    assert done.returncode == 0 and NASA in done.stdout, done.stderr
    return "answered"


def _exec_killed(served: Served, rng: random.Random) -> str:
    argv = ["ssh", *served.ssh_options(None), "127.0.0.1", "list", "members", "--format", "csv"]
    client = subprocess.Popen(
        argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=client_env()
    )
    time.sleep(rng.uniform(0.05, 0.5))  # the handshake, the command starting, or it writing
    ended = client.poll() is not None
    client.kill()
    out, _ = client.communicate(timeout=10)
    if ended:
        return "ended before the kill"
    return "killed as its answer came" if out else "killed before its answer came"


def _session_killed_early(served: Served, rng: random.Random) -> str:
    client = PtyClient(served)
    try:
        time.sleep(rng.uniform(0.05, 0.4))  # the handshake, or the explorer starting
        client.drain()
        drawn = FIRST_FRAME in client.output
        client.kill()
    finally:
        client.close()
    return "killed after the first frame" if drawn else "killed before the first frame"


def _session_killed_starting(served: Served, rng: random.Random) -> str:
    client = PtyClient(served)
    try:
        # The explorer's first bytes (alternate screen, mouse on) come ~0.1 s before its frame.
        assert client.read_until(b"\x1b[?1049h", 30), bytes(client.output)
        drawn = FIRST_FRAME in client.output
        client.kill()
    finally:
        client.close()
    return "killed after the first frame" if drawn else "killed before the first frame"


def _session_killed_drawn(served: Served, rng: random.Random) -> str:
    client = PtyClient(served)
    try:
        assert client.read_until(FIRST_FRAME, 30), bytes(client.output[-500:])
        time.sleep(rng.uniform(0, 0.1))
        client.kill()
    finally:
        client.close()
    return "killed after the first frame"


def _session_quit(served: Served, rng: random.Random) -> str:
    client = PtyClient(served)
    try:
        assert client.read_until(FIRST_FRAME, 30), bytes(client.output[-500:])
        client.send(b"q")
        assert client.finish(20) == 0, bytes(client.output[-500:])
    finally:
        client.close()
    return "quit"


CYCLES: dict[str, Callable[[Served, random.Random], str]] = {
    "exec": _exec,
    "exec-killed": _exec_killed,
    "killed-early": _session_killed_early,
    "killed-starting": _session_killed_starting,
    "killed-drawn": _session_killed_drawn,
    "quit": _session_quit,
}


def test_300_cycles_with_kill_9_leave_nothing_behind(served: Served) -> None:
    # Warm up (the server's first session loads lazily what it keeps), then the baseline.
    answers(served)
    _session_quit(served, random.Random(0))
    logged = len(served.wait_log(2))
    baseline = idle(served)
    assert baseline.processes == set()
    assert ptys_of_ours(served, baseline.ptys) == set()

    kinds = [kind for kind, count in MIX.items() for _ in range(count)]
    random.Random(15).shuffle(kinds)

    def cycle(number: int) -> tuple[str, str]:
        kind = kinds[number]
        return kind, CYCLES[kind](served, random.Random(number))

    started = time.monotonic()
    with ThreadPoolExecutor(CONCURRENT) as pool:
        outcomes = Counter(pool.map(cycle, range(len(kinds))))
    seconds = time.monotonic() - started
    print(f"\n{len(kinds)} cycles, {CONCURRENT} at a time, in {seconds:.1f} s:")
    for (kind, outcome), count in sorted(outcomes.items()):
        print(f"  {kind:16} {outcome:32} {count}")

    # Every connection ended on the server too (one log line each)...
    connected = sum(count for kind, count in MIX.items() if kind not in MAY_NOT_CONNECT)
    served.wait_log(logged + connected, timeout=30)
    # ...and left nothing: processes, descriptors, pseudo-terminals as before the churn.
    held = assert_back_to(served, baseline)
    assert logged + connected <= len(served.log_lines()) <= logged + len(kinds)
    assert "Traceback" not in served.log(), served.log()
    print(
        f"session processes {len(held.processes)} (before: {len(baseline.processes)}); "
        f"server descriptors {sum(held.fds.values())} (before: {sum(baseline.fds.values())}); "
        f"system ptys {len(held.ptys)} (before: {len(baseline.ptys)})"
    )
    # The mix happened as planned: sessions killed on both sides of the first frame.
    assert outcomes["killed-starting", "killed before the first frame"] > MIX["killed-starting"] // 2
    assert outcomes["exec-killed", "killed before its answer came"] >= 10  # 48 to 76 of the 85 here, by the load
    answers(served)


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def _hup_pending(pid: int) -> bool:
    """SIGHUP waits in the process's shared pending set (sent to its group, not yet acted on)."""
    status = Path(f"/proc/{pid}/status").read_text()
    pending = int(status.split("ShdPnd:")[1].split()[0], 16)
    return bool(pending & (1 << (signal.SIGHUP - 1)))


def test_a_stuck_explorer_is_ended_when_its_client_goes(served: Served) -> None:
    """The explorer stopped (SIGSTOP: it runs no handler, so SIGHUP does not end it) is still
    ended with its client: its process group is gone by the end of the grace period.

    (The SIGKILL at the grace's end is what ends it; the pty's master is closed only after it.
    Were it closed first, the kernel's hang-up would send SIGCONT to the session's leader and
    the explorer's own SIGHUP handler would end it too, so this test cannot tell the two apart:
    it proves that a stuck session does not outlive its client.)"""
    baseline = idle(served)
    client = PtyClient(served)
    try:
        assert client.read_until(FIRST_FRAME, 30), bytes(client.output[-500:])
        (child,) = session_processes(served.process.pid)
        assert os.getpgid(child) == child  # the session's own group
        os.kill(child, signal.SIGSTOP)
        deadline = time.monotonic() + 5
        while Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()[0] != "T":
            assert time.monotonic() < deadline, "the explorer did not stop"
            time.sleep(0.02)
        client.kill()
        killed = time.monotonic()
        while not _hup_pending(child):  # the server noticed at once, and signalled the group
            assert time.monotonic() - killed < 1.5, "no SIGHUP sent to the stuck explorer"
            time.sleep(0.02)
        while _group_alive(child):
            assert time.monotonic() - killed < 15, "the stuck explorer outlived its client"
            time.sleep(0.05)
        took = time.monotonic() - killed
    finally:
        client.close()
    assert took >= 1.5, f"gone after {took:.2f} s: not stuck after all"
    assert_back_to(served, baseline)
    answers(served)
