"""Run a real `alliance serve ssh` on loopback for the tests, and real OpenSSH clients against it."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.e2e.harness import alliance_command

HAVE_SSH = shutil.which("ssh") is not None and shutil.which("ssh-keygen") is not None


def make_key(folder: Path, name: str) -> Path:
    """A fresh ed25519 key pair without passphrase: returns the private key's path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f", str(path)],
        check=True,
        timeout=30,
        stdin=subprocess.DEVNULL,
    )
    return path


def server_env(tmp: Path) -> dict[str, str]:
    """The server's own cache and config in tmp; nothing of the caller's ALLIANCE_* settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ALLIANCE_", "PYTEST_"))}
    env.update(
        ALLIANCE_CACHE=str(tmp / "cache"),
        ALLIANCE_CONFIG=str(tmp / "config"),
        LANG="C.UTF-8",
        LC_ALL="C.UTF-8",
        PYTHONUNBUFFERED="1",
    )
    return env


@dataclass
class Served:
    """A running `alliance serve ssh` and how to reach it."""

    process: subprocess.Popen[str]
    port: int
    banner: str
    stderr_path: Path
    tmp: Path
    known_hosts: Path
    keys: dict[str, Path] = field(default_factory=dict)

    def ssh_options(self, key: Path | None = None, *extra: str) -> list[str]:
        options = [
            "-p",
            str(self.port),
            "-o",
            f"UserKnownHostsFile={self.known_hosts}",
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "LogLevel=ERROR",
            "-o",
            "BatchMode=yes",
            "-o",
            "ConnectTimeout=20",
            "-F",
            "/dev/null",
        ]
        if key is not None:
            options += ["-i", str(key), "-o", "IdentitiesOnly=yes"]
        else:
            options += ["-o", "PubkeyAuthentication=no"]
        return [*extra, *options]  # ssh takes an option's first value: the caller's win

    def ssh(
        self, *remote: str, key: Path | None = None, extra: tuple[str, ...] = (), timeout: float = 60
    ) -> subprocess.CompletedProcess[str]:
        """`ssh [extra] 127.0.0.1 REMOTE…`, piped (no terminal), as a script would run it."""
        argv = ["ssh", *self.ssh_options(key, *extra), "127.0.0.1", *remote]
        return subprocess.run(
            argv, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL, env=client_env()
        )

    def log(self) -> str:
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")

    def log_lines(self) -> list[str]:
        return [line for line in self.log().splitlines() if re.match(r"\d{4}-\d\d-\d\dT", line)]

    def wait_log(self, count: int, timeout: float = 20) -> list[str]:
        """Wait until the log holds at least `count` connection lines."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            lines = self.log_lines()
            if len(lines) >= count:
                return lines
            time.sleep(0.05)
        raise AssertionError(f"{count} log lines expected; log:\n{self.log()}")

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode


def client_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ALLIANCE_", "SSH_AUTH_SOCK", "SSH_AGENT"))}
    env["LANG"] = "C.UTF-8"
    return env


# In the suite, a server and its sessions run at a lower CPU priority (nice 10) than the test
# processes: 32 explorers starting at once must not starve the Pilot and tmux tests that run
# beside them under `pytest -n auto`. Their timings are the benchmark's business (nice=0 there).
TEST_NICENESS = 10


def start_server(
    tmp: Path, *options: str, data: Path | None = None, timeout: float = 120, nice: int = TEST_NICENESS
) -> Served:
    """Start `alliance serve ssh --port 0 OPTIONS` and wait for its banner."""
    tmp.mkdir(parents=True, exist_ok=True)
    stderr_path = tmp / "server.log"
    command = [*shlex.split(alliance_command()), "serve", "ssh", "--port", "0", *options]
    if nice:
        command = ["nice", "-n", str(nice), *command]  # nice execs the server: the same pid
    if data is not None:
        command += ["--data", str(data)]
    err = stderr_path.open("w", encoding="utf-8")
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=err, text=True, env=server_env(tmp), stdin=subprocess.DEVNULL
    )
    err.close()
    assert process.stdout is not None
    banner: list[str] = []
    deadline = time.monotonic() + timeout
    port = 0
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        banner.append(line)
        if match := re.search(r"listening on [\d.]+:(\d+)", line):
            port = int(match.group(1))
        if line.startswith("  connect:"):
            break
    if not port:
        process.kill()
        raise AssertionError(f"no banner; stdout: {''.join(banner)}; stderr: {stderr_path.read_text()}")
    return Served(process, port, "".join(banner), stderr_path, tmp, tmp / "known_hosts")


def session_processes(server_pid: int) -> list[int]:
    """Processes whose parent is the server: its sessions' explorers and commands."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[1]) == server_pid:
            found.append(int(entry))
    return found


def open_fds(pid: int) -> list[str]:
    """Where each of the process's descriptors points (sockets, ptys, pipes, files)."""
    out = []
    folder = Path(f"/proc/{pid}/fd")
    for fd in folder.iterdir():
        try:
            out.append(os.readlink(fd))
        except OSError:
            continue
    return out
