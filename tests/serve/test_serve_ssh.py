"""`alliance serve ssh` with the real OpenSSH client: who gets in, what a session can do, and
everything it is refused. Each server is a real process on 127.0.0.1 with its own host key,
cache and config in a temporary folder."""

from __future__ import annotations

import shlex
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.harness import Terminal, alliance_command, have_tmux
from tui.serve import policy

from .servers import HAVE_SSH, Served, client_env, make_key, server_env, session_processes, start_server

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not HAVE_SSH or not have_tmux(), reason="needs ssh, ssh-keygen and tmux"),
]


@pytest.fixture(scope="module")
def keyed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """A server that lets in one key (`good`); `bad` is a key it does not know."""
    tmp = tmp_path_factory.mktemp("keyed")
    good = make_key(tmp / "keys", "good")
    bad = make_key(tmp / "keys", "bad")
    authorized = tmp / "authorized_keys"
    authorized.write_text(good.with_suffix(".pub").read_text())
    served = start_server(tmp / "server", "--authorized-keys", str(authorized))
    served.keys.update(good=good, bad=bad)
    yield served
    served.stop()


@pytest.fixture(scope="module")
def open_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    tmp = tmp_path_factory.mktemp("open")
    served = start_server(tmp / "server", "--open-access")
    served.keys["any"] = make_key(tmp / "keys", "any")
    yield served
    served.stop()


def _interactive(served: Served, key: Path | None, tmp: Path, *, width: int = 100, height: int = 30) -> Terminal:
    terminal = Terminal(tmp, width=width, height=height)
    argv = ["ssh", "-tt", *served.ssh_options(key), "127.0.0.1"]
    terminal.start(" ".join(shlex.quote(a) for a in argv))
    return terminal


# -- a session: the explorer itself ------------------------------------------------------------


def test_a_key_opens_the_explorer_which_searches_opens_resizes_and_quits(keyed: Served, tmp_path: Path) -> None:
    before = len(keyed.log_lines())
    terminal = _interactive(keyed, keyed.keys["good"], tmp_path)
    try:
        terminal.wait_all("AI Alliance", "1 Overview", timeout=30)
        terminal.send("5")
        terminal.wait_for("Search ready", timeout=30)  # the box is there (as a person sees it) before typing
        terminal.type("nasa")
        screen = terminal.wait_for("hits in", timeout=30)
        assert "National Aeronautics" in screen
        terminal.send("Enter")
        terminal.wait_for("government", timeout=10)  # the member's detail
        terminal.tmux("resize-window", "-x", "70", "-y", "20")
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:  # redrawn at the new width: no line longer than 70
            lines = terminal.screen().splitlines()
            if lines and max(len(line.rstrip()) for line in lines) <= 70 and "AI Alliance" in lines[0]:
                break
            time.sleep(0.1)
        else:
            pytest.fail(f"not redrawn at 70 columns:\n{terminal.screen()}")
        terminal.send("Escape", "Escape", "q")
        terminal.wait_for("__EXIT__0", timeout=15)
    finally:
        terminal.close()
    line = keyed.wait_log(before + 1)[-1]
    fingerprint = subprocess.run(
        ["ssh-keygen", "-l", "-E", "sha256", "-f", str(keyed.keys["good"].with_suffix(".pub"))],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()[1]
    assert f" {fingerprint} " in line and line.endswith("exit 0"), line


def test_a_key_it_does_not_know_is_refused(keyed: Served) -> None:
    done = keyed.ssh("show", "member:nasa", key=keyed.keys["bad"])
    assert done.returncode == 255
    assert "Permission denied (publickey)" in done.stderr
    assert done.stdout == ""


def test_no_key_is_refused_and_passwords_are_not_offered(keyed: Served) -> None:
    done = keyed.ssh("show", "member:nasa", extra=("-o", "PreferredAuthentications=password,keyboard-interactive"))
    assert done.returncode == 255
    assert "Permission denied (publickey)" in done.stderr  # the only method the server names


def test_open_access_lets_in_any_key_or_none(open_server: Served) -> None:
    assert "OPEN ACCESS" in open_server.banner
    for key in (open_server.keys["any"], None):
        done = open_server.ssh("show", "member:nasa", key=key)
        assert done.returncode == 0, done.stderr
        assert "National Aeronautics and Space Administration" in done.stdout
    assert any(" open " in line for line in open_server.log_lines())


def test_a_shell_request_without_a_terminal_is_told_to_use_one(keyed: Served) -> None:
    done = subprocess.run(
        ["ssh", "-T", *keyed.ssh_options(keyed.keys["good"]), "127.0.0.1"],
        capture_output=True,
        text=True,
        timeout=60,
        stdin=subprocess.DEVNULL,
        env=client_env(),
    )
    assert done.returncode == 2
    assert "needs a terminal" in done.stderr


# -- exec: the read-only commands, as they answer locally ------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["show", "member:nasa"],
        ["search", "nasa", "--json"],
        ["list", "members", "--format", "csv"],
        ["show", "no-such-record"],  # exit 1, message on stderr
        ["list", "members", "--sort", "nope"],  # exit 2
    ],
)
def test_exec_answers_as_the_command_does_locally(keyed: Served, tmp_path: Path, args: list[str]) -> None:
    remote = keyed.ssh(*args, key=keyed.keys["good"])
    local = subprocess.run(
        [*shlex.split(alliance_command()), *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=server_env(tmp_path),
        stdin=subprocess.DEVNULL,
    )
    assert (remote.returncode, remote.stdout, remote.stderr) == (local.returncode, local.stdout, local.stderr)


def test_exec_words_are_read_not_run_by_a_shell(keyed: Served, tmp_path: Path) -> None:
    owned = tmp_path / "owned"
    done = keyed.ssh(f"search --limit 1 'open source'; touch {owned} $(touch {owned})", key=keyed.keys["good"])
    assert done.returncode in (0, 1), done.stderr  # a query of odd words: found or not
    assert not owned.exists()


# -- refusals, each with the real client ------------------------------------------------------------


@pytest.mark.parametrize(
    ("remote", "says"),
    [
        ("sh", "'sh' is not served"),
        ("id", "'id' is not served"),
        ("alliance --data /etc", "--data is fixed by the server"),
        ("show member:nasa --data /etc", "--data is fixed by the server"),
        ("list members --dat=/etc", "--data is fixed by the server"),
        ("index clear", "'index' is not served"),
    ],
)
def test_other_commands_are_refused_in_one_line(keyed: Served, remote: str, says: str) -> None:
    done = keyed.ssh(remote, key=keyed.keys["good"])
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.strip().count("\n") == 0 and says in done.stderr


def test_local_forwarding_is_refused(keyed: Served, tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        local_port = probe.getsockname()[1]
    argv = [
        "ssh",
        "-N",
        *keyed.ssh_options(keyed.keys["good"], "-o", "LogLevel=INFO"),
        "-L",
        f"127.0.0.1:{local_port}:127.0.0.1:{keyed.port}",
        "127.0.0.1",
    ]
    client = subprocess.Popen(argv, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True, env=client_env())
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                conn = socket.create_connection(("127.0.0.1", local_port), timeout=1)
                break
            except OSError:
                assert time.monotonic() < deadline, "the client never listened"
                time.sleep(0.1)
        with conn:
            conn.settimeout(10)
            assert conn.recv(100) == b""  # closed: the server would not open the channel
    finally:
        client.kill()
        _, err = client.communicate(timeout=10)
    assert "open failed" in err, err


def test_remote_forwarding_is_refused(keyed: Served) -> None:
    done = keyed.ssh(
        key=keyed.keys["good"], extra=("-N", "-o", "ExitOnForwardFailure=yes", "-R", "127.0.0.1:0:127.0.0.1:9")
    )
    assert done.returncode == 255
    assert "remote port forwarding failed" in done.stderr.lower()


def _environ(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes()
    return dict(item.decode().split("=", 1) for item in raw.split(b"\0") if b"=" in item)


def test_agent_forwarding_and_the_clients_environment_stay_out(keyed: Served, tmp_path: Path) -> None:
    """With `ssh -A` and SetEnv of everything dangerous, the session's explorer gets no agent
    (the server opens no agent socket) and exactly the server's variables plus the four."""
    agent = subprocess.run(["ssh-agent", "-s"], capture_output=True, text=True, check=True, timeout=30).stdout
    env = {name: agent.split(f"{name}=")[1].split(";")[0] for name in ("SSH_AUTH_SOCK", "SSH_AGENT_PID")}
    sockets_before = set(Path("/tmp").glob("asyncssh-*"))
    terminal = Terminal(tmp_path, width=100, height=30, term="screen-256color")
    extra = (
        "-A",
        "-o",
        "SetEnv=LANG=C.UTF-8 COLORTERM=truecolor ALLIANCE_DATA=/etc PYTHONPATH=/tmp LD_PRELOAD=/tmp/x.so",
    )
    argv = ["ssh", "-tt", *keyed.ssh_options(keyed.keys["good"], *extra), "127.0.0.1"]
    try:
        terminal.start(" ".join(shlex.quote(a) for a in argv), env=env)
        terminal.wait_all("AI Alliance", "1 Overview", timeout=30)
        (child,) = session_processes(keyed.process.pid)
        seen = _environ(child)
        assert set(seen) <= {"PATH", "ALLIANCE_SERVED", "ALLIANCE_CACHE", "PYTHONIOENCODING", *policy.CLIENT_ENV}
        assert seen["TERM"] == "screen-256color" and seen["COLORTERM"] == "truecolor"
        assert seen["ALLIANCE_SERVED"] == "1"
        assert "SSH_AUTH_SOCK" not in seen and "ALLIANCE_DATA" not in seen
        assert set(Path("/tmp").glob("asyncssh-*")) == sockets_before  # no agent listener
        terminal.send("q")
        terminal.wait_for("__EXIT__0", timeout=15)
    finally:
        terminal.close()
        subprocess.run(["ssh-agent", "-k"], env={**client_env(), **env}, capture_output=True, timeout=30)


def test_sftp_and_scp_are_refused(keyed: Served, tmp_path: Path) -> None:
    target = tmp_path / "copied"
    common = [
        "-P",
        str(keyed.port),
        "-i",
        str(keyed.keys["good"]),
        "-o",
        f"UserKnownHostsFile={keyed.known_hosts}",
        "-o",
        "StrictHostKeyChecking=no",
        "-o",
        "BatchMode=yes",
        "-F",
        "/dev/null",
    ]
    sftp = subprocess.run(
        ["sftp", "-b", "-", *common, "127.0.0.1"],
        input="get /etc/hostname\n",
        capture_output=True,
        text=True,
        timeout=60,
        env=client_env(),
    )
    assert sftp.returncode != 0
    assert "subsystem request failed" in sftp.stderr.lower() or "connection closed" in sftp.stderr.lower()
    for mode in ([], ["-O"]):  # the SFTP protocol (OpenSSH 9's default), and the legacy scp one
        scp = subprocess.run(
            ["scp", *mode, *common, "127.0.0.1:/etc/hostname", str(target)],
            capture_output=True,
            text=True,
            timeout=60,
            env=client_env(),
            stdin=subprocess.DEVNULL,
        )
        assert scp.returncode != 0, scp
        assert not target.exists()


def test_the_clients_environment_stays_out(keyed: Served) -> None:
    """Variables other than TERM, COLORTERM, NO_COLOR and LANG do not reach the session."""
    done = keyed.ssh(
        "show",
        "member:nasa",
        key=keyed.keys["good"],
        extra=(
            "-o",
            "SetEnv=ALLIANCE_DATA=/nonexistent ALLIANCE_CACHE=/tmp/elsewhere PYTHONSTARTUP=/etc/passwd "
            "PYTHONPATH=/tmp ALLIANCE_SERVED=0",
        ),
    )
    assert done.returncode == 0, done.stderr
    assert "National Aeronautics and Space Administration" in done.stdout
    assert not Path("/tmp/elsewhere").exists()


def test_the_server_refuses_to_start_without_saying_who_may_connect(tmp_path: Path) -> None:
    done = subprocess.run(
        [*shlex.split(alliance_command()), "serve", "ssh", "--port", "0"],
        capture_output=True,
        text=True,
        timeout=60,
        env=server_env(tmp_path),
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 2
    assert "--authorized-keys FILE" in done.stderr and "--open-access" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_host_key_is_kept_between_starts(tmp_path: Path) -> None:
    first = start_server(tmp_path, "--open-access")
    first.stop()
    second = start_server(tmp_path, "--open-access")
    second.stop()
    key_line = next(line for line in first.banner.splitlines() if "host key" in line)
    assert "made now" in key_line
    fingerprint = key_line.split()[2]
    assert fingerprint.startswith("SHA256:")
    assert f"host key: {fingerprint} (" in second.banner and "made now" not in second.banner
    assert shutil.which("ssh-keygen")
