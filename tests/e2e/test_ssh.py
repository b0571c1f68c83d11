"""The explorer over a real SSH connection: our own sshd on loopback, ssh -tt inside tmux.

Nothing of the system's SSH setup is touched: host key, client key,
authorized_keys and sshd_config all live in a temporary directory, and sshd runs
in the foreground on a free port of 127.0.0.1.
"""

from __future__ import annotations

import fcntl
import getpass
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from .harness import ROOT, Terminal, alliance_command, clean_env, have_tmux, run_scenarios

SSHD = shutil.which("sshd") or ("/usr/sbin/sshd" if Path("/usr/sbin/sshd").exists() else None)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not have_tmux() or SSHD is None or shutil.which("ssh") is None, reason="needs tmux, ssh, sshd"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class SshServer:
    port: int
    key: Path
    user: str
    process: subprocess.Popen[bytes]

    def command(self, remote: str) -> str:
        """An ssh client command line that runs `remote` on the server with a terminal."""
        options = [
            "-tt",
            "-i",
            str(self.key),
            "-p",
            str(self.port),
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
            "-o",
            "LogLevel=ERROR",
            "-o",
            "BatchMode=yes",
            f"{self.user}@127.0.0.1",
            remote,
        ]
        return "ssh " + " ".join(shlex.quote(o) for o in options)


@pytest.fixture(scope="module")
def sshd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SshServer]:
    home = tmp_path_factory.mktemp("sshd")
    for name in ("host", "client"):
        subprocess.run(
            ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(home / name)], check=True, capture_output=True
        )
    (home / "authorized_keys").write_text((home / "client.pub").read_text())
    for path in (home / "authorized_keys", home / "client", home / "host"):
        path.chmod(0o600)
    port = free_port()
    config = home / "sshd_config"
    config.write_text(
        "\n".join(
            [
                f"Port {port}",
                "ListenAddress 127.0.0.1",
                f"HostKey {home / 'host'}",
                f"PidFile {home / 'sshd.pid'}",
                f"AuthorizedKeysFile {home / 'authorized_keys'}",
                "PubkeyAuthentication yes",
                "PasswordAuthentication no",
                "KbdInteractiveAuthentication no",
                "PermitRootLogin prohibit-password",
                "StrictModes no",
                "UsePAM no",
                "PrintMotd no",
                "PrintLastLog no",
                "AcceptEnv LANG LC_*",
                # Notice a vanished client quickly (the hang-up test).
                "ClientAliveInterval 1",
                "ClientAliveCountMax 2",
                "",
            ]
        )
    )
    if os.geteuid() == 0:
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # privilege separation directory
    with open(home / "sshd.log", "wb") as log:  # the child keeps its own copy of the descriptor
        process = subprocess.Popen([SSHD, "-D", "-e", "-f", str(config)], stdout=subprocess.DEVNULL, stderr=log)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            if process.poll() is not None:
                pytest.fail(f"sshd exited: {(home / 'sshd.log').read_text()}")
            time.sleep(0.1)
    server = SshServer(port, home / "client", getpass.getuser(), process)
    yield server
    process.terminate()
    process.wait(timeout=10)


def remote_command(tmp: Path, *, pid_file: Path | None = None) -> str:
    """What the SSH session runs on the server: the explorer, with caches in tmp."""
    env = clean_env(tmp)
    exports = " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items())
    record = f"echo $$ > {shlex.quote(str(pid_file))}; " if pid_file else ""
    return f"cd {shlex.quote(str(ROOT))} && {record}export {exports} && exec {alliance_command()}"


@pytest.mark.parametrize("term_name", ["xterm-256color", "screen-256color", "linux"])
def test_scenarios_over_ssh(sshd: SshServer, tmp_path: Path, term_name: str) -> None:
    terminal = Terminal(tmp_path, width=100, height=30, term=term_name)
    try:
        terminal.start(sshd.command(remote_command(tmp_path)))
        run_scenarios(terminal)
    finally:
        terminal.close()


def test_no_color_over_ssh(sshd: SshServer, tmp_path: Path) -> None:
    terminal = Terminal(tmp_path, width=100, height=30)
    try:
        terminal.start(sshd.command("NO_COLOR=1; export NO_COLOR; " + remote_command(tmp_path)))
        run_scenarios(terminal)
    finally:
        terminal.close()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return Path(f"/proc/{pid}").exists() and "zombie" not in Path(f"/proc/{pid}/status").read_text().lower()


def test_hang_up_ends_the_remote_app_and_the_next_start_works(sshd: SshServer, tmp_path: Path) -> None:
    remote_pid = tmp_path / "remote.pid"
    local_pid = tmp_path / "local.pid"
    terminal = Terminal(tmp_path, width=100, height=30)
    try:
        ssh = sshd.command(remote_command(tmp_path, pid_file=remote_pid))
        client = f"echo $$ > {shlex.quote(str(local_pid))}; exec {ssh}"
        terminal.start(client)
        terminal.wait_for("Founders")
        terminal.send("2", "j")  # in use, mid-session
        app_pid = int(remote_pid.read_text())
        assert _alive(app_pid)

        os.kill(int(local_pid.read_text()), signal.SIGKILL)  # the client vanishes: a dropped link

        deadline = time.monotonic() + 10
        while _alive(app_pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not _alive(app_pid), "the remote alliance outlived its SSH session"

        # Killed mid-build (the index is built just after the first frame), the app may leave
        # a half-written .build-<random> folder and its lock file: never trusted, its flock
        # released by the kernel, and swept by the next start.
        cache = tmp_path / "cache"
        leftovers = [p for p in cache.iterdir() if p.name.startswith((".build-", ".trash-"))]
        assert all(re.fullmatch(r"\.build-[0-9a-f]{16}(\.lock)?", p.name) for p in leftovers), leftovers
        for lock in cache.rglob("*.lock"):
            assert re.fullmatch(r"\.build-[0-9a-f]{16}\.lock", lock.name), f"stale lock left behind: {lock}"
            with lock.open("rb") as handle:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)  # nobody holds it any more
        trusted = [p for p in cache.iterdir() if not p.name.startswith(".") and (p / "meta.json").exists()]
        assert not any(list(p.glob("*WRITELOCK*")) for p in trusted), "stale writer lock in a trusted index"
    finally:
        terminal.close()

    # And the next start over SSH works, search included.
    again = Terminal(tmp_path, width=100, height=30)
    try:
        again.start(sshd.command(remote_command(tmp_path)))
        again.wait_for("Founders")
        again.send("/")
        again.wait_for("Search ready", timeout=30)
        again.type("hugg")
        again.wait_for("Hugging Face")
    finally:
        again.close()
    assert not [p.name for p in cache.iterdir() if p.name.startswith((".build-", ".trash-"))], "not swept"


def test_bytes_per_keystroke_over_ssh(sshd: SshServer, tmp_path: Path) -> None:
    """What crosses a slow link: measured and reported, bounded only loosely."""
    terminal = Terminal(tmp_path, width=100, height=30)
    try:
        terminal.start(sshd.command(remote_command(tmp_path)))
        terminal.wait_for("Founders")
        terminal.send("2")
        terminal.wait_for("Members · 141 of 141")
        terminal.wait_quiet()
        before = terminal.bytes_written()
        terminal.send("j")
        terminal.wait_quiet()
        j_bytes = terminal.bytes_written() - before

        terminal.send("/")
        terminal.wait_for("Search ready", timeout=30)
        terminal.type("nas")
        terminal.wait_for("National Aeronautics")
        terminal.wait_quiet()
        before = terminal.bytes_written()
        terminal.type("a")
        terminal.wait_quiet()
        search_bytes = terminal.bytes_written() - before
    finally:
        terminal.close()
    print(f"\nbytes over SSH: j keypress {j_bytes} B, search keystroke {search_bytes} B")
    assert 0 < j_bytes < 16_000
    assert 0 < search_bytes < 64_000
