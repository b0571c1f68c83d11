"""Helpers shared by the security tests (issue 11). Append new helpers; do not rewrite."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.cli_runner import run_in_process
from tests.hostile.helpers import child_env

REPO = Path(__file__).resolve().parents[2]


def run_alliance(
    *args: str | bytes,
    tmp: Path,
    env: dict[str, str] | None = None,
    shell_redirect: str = "",
    timeout: float = 120.0,
    **kwargs: Any,
) -> subprocess.CompletedProcess[bytes]:
    """`python -m tui ARGS` from REPO, with caches and config in tmp; output as bytes.

    args may be bytes (argv that is not UTF-8). shell_redirect (e.g. ">&-", ">/dev/full")
    runs it under `sh -c 'exec "$@" REDIRECT'`; other kwargs go to subprocess.run.
    """
    command: list[str | bytes] = [sys.executable, "-m", "tui", *args]
    if shell_redirect:
        command = ["sh", "-c", f'exec "$@" {shell_redirect}', "sh", *command]
    if "stdout" in kwargs:
        kwargs.setdefault("stderr", subprocess.PIPE)
    else:
        kwargs.setdefault("capture_output", True)
    return subprocess.run(
        command,
        stdin=subprocess.DEVNULL,
        env=env if env is not None else child_env(tmp),
        cwd=REPO,
        timeout=timeout,
        check=False,
        **kwargs,
    )


def alliance_in_process(
    *args: str | bytes, tmp: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[bytes]:
    """run_alliance's command run in this process (tests/cli_runner.py): the same working
    directory, environment (caches and config in tmp) and bytes output, without a child."""
    return run_in_process(*args, cwd=REPO, env=env if env is not None else child_env(tmp))


def assert_no_traceback(*streams: bytes | str) -> None:
    """No Python traceback, no "Exception ignored" at exit, no "unexpected error" in any stream."""
    for stream in streams:
        text = stream.decode("utf-8", "replace") if isinstance(stream, bytes) else stream
        for needle in ("Traceback", "Exception ignored", "unexpected error"):
            assert needle not in text, text


# -- another user: nobody (moved here from tests/faults/test_cache_faults.py) ----------------

NOBODY = 65534


def as_nobody() -> None:
    """preexec_fn: the child runs as user nobody (the caller must be root)."""
    import os

    os.setgroups([])
    os.setgid(NOBODY)
    os.setuid(NOBODY)


def nobody_python(cwd: Path) -> tuple[list[str], dict[str, str]] | None:
    """A Python that user nobody can run and that imports this checkout, or None.

    The venv's interpreter first; if its real executable is somewhere nobody cannot reach (a
    pyenv under /root), the system Python of the same version with the venv's packages on
    PYTHONPATH (they are pure Python).
    """
    import os
    import sysconfig

    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    purelib = sysconfig.get_paths()["purelib"]
    candidates = [sys.executable, f"/usr/bin/python{version}", f"/usr/local/bin/python{version}"]
    for exe in candidates:
        if not Path(exe).exists():
            continue
        extra = {"PYTHONPATH": f"{REPO}{os.pathsep}{purelib}", "PYTHONDONTWRITEBYTECODE": "1", "HOME": str(cwd)}
        try:
            probe = subprocess.run(
                [exe, "-c", "import index.store, tui.cli, whoosh, rich"],
                env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", **extra},
                cwd=str(cwd),
                preexec_fn=as_nobody,
                capture_output=True,
                timeout=30,
                check=False,
            )
        except OSError:
            continue  # e.g. EACCES: the interpreter itself is out of nobody's reach
        if probe.returncode == 0:
            return [exe], extra
    return None


def make_shared_dir(prefix: str = "alliance-shared-") -> Path:
    """A new temporary directory every user can enter (pytest's tmp_path is private to root);
    remove it with remove_shared_dir."""
    import tempfile

    base = Path(tempfile.mkdtemp(prefix=prefix))
    base.chmod(0o755)
    return base


def remove_shared_dir(base: Path) -> None:
    """Remove a make_shared_dir folder, whatever modes and owners the test left inside."""
    import shutil

    for entry in [base, *base.rglob("*")]:
        if entry.is_dir() and not entry.is_symlink():
            entry.chmod(0o755)
    shutil.rmtree(base, ignore_errors=True)


# -- a planted Whoosh index (findings 1 and 3) ----------------------------------------------


class _Payload:
    """Unpickling this runs `touch MARKER`: what a planted table of contents does."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        import os

        return (os.system, (f"touch {self.marker}",))


def pickle_payload(marker: Path) -> bytes:
    import pickle

    return pickle.dumps(_Payload(marker), protocol=2)


def crafted_toc(marker: Path) -> bytes:
    """A Whoosh table of contents, valid up to the pickled schema, which is the payload: any
    reader that opens the index (whoosh.index.TOC.read) runs it."""
    import io

    from whoosh import __version__ as whoosh_version
    from whoosh.filedb.structfile import StructFile
    from whoosh.index import _CURRENT_TOC_VERSION, _FLOAT_SIZE, _INT_SIZE, _LONG_SIZE

    buffer = io.BytesIO()
    stream = StructFile(buffer)
    for size in (_INT_SIZE, _LONG_SIZE, _FLOAT_SIZE):
        stream.write_varint(size)
    stream.write_int(-12345)
    stream.write_int(_CURRENT_TOC_VERSION)
    for number in whoosh_version[:3]:
        stream.write_varint(number)
    stream.write_string(pickle_payload(marker))
    stream.flush()
    return buffer.getvalue()


def describe_index_files(folder: Path) -> dict[str, list[object]]:
    """meta.json's "files" table for a folder, as index/store.py computes it (size, blake2b-128):
    a planted index carries a matching one, so only the trust checks stand in its way."""
    import hashlib

    out: dict[str, list[object]] = {}
    for path in sorted(folder.iterdir()):
        if path.name != "meta.json":
            out[path.name] = [path.stat().st_size, hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()]
    return out


def plant_index(source: Path, target: Path, marker: Path, *, owner: int | None = NOBODY) -> Path:
    """Copy a real index folder to `target`, replace its TOC with the payload, and rewrite its
    meta.json to match (right fingerprint, right file digests); chown it all to `owner`."""
    import json
    import os
    import shutil

    shutil.copytree(source, target)
    toc = next(target.glob("*.toc"))
    toc.write_bytes(crafted_toc(marker))
    meta = json.loads((target / "meta.json").read_text(encoding="utf-8"))
    meta["files"] = describe_index_files(target)
    meta["path"] = str(target)
    (target / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    if owner is not None:
        for entry in [target, *target.rglob("*")]:
            os.lchown(entry, owner, owner)
    return target


# The explorer in a child process under Pilot: waits for the search index (or a notice), then
# prints {"ready", "notice", "status", "refs" (of a search for argv[2])} as one JSON line.
EXPLORER_PROBE = """
import asyncio, json, sys, time
from tui.app import AllianceApp

async def main():
    app = AllianceApp(None, data_dir=sys.argv[1] or None)
    async with app.run_test(size=(100, 30)) as pilot:
        deadline = time.monotonic() + float(sys.argv[3])
        while time.monotonic() < deadline:
            await pilot.pause(0.05)
            if app.panes_ready and (app.pane("search").searcher is not None or app.index_notice):
                break
        searcher = app.pane("search").searcher
        refs = [h.ref for h in searcher.search(sys.argv[2]).hits] if searcher is not None else None
        print(json.dumps({"ready": searcher is not None, "notice": app.index_notice,
                          "status": str(app.status), "refs": refs}), flush=True)

asyncio.run(main())
"""


def run_explorer_probe(
    env: dict[str, str],
    *,
    data: Path | None = None,
    query: str = "nasa",
    wait: float = 60.0,
    preexec_fn: Any = None,
    cwd: Path | None = None,
) -> dict[str, Any]:
    """Run EXPLORER_PROBE (the real explorer, headless) and return what it printed."""
    import json

    done = subprocess.run(
        [sys.executable, "-c", EXPLORER_PROBE, str(data or ""), query, str(wait)],
        env=env,
        cwd=str(cwd or REPO),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=wait + 60,
        preexec_fn=preexec_fn,
        check=False,
    )
    assert done.returncode == 0, f"exit {done.returncode}\n{done.stderr[-3000:]}"
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    assert lines, f"no report from the explorer:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
    return json.loads(lines[-1])


# -- the explorer in a terminal (findings 7, 11, 13, 16) --------------------------------------


def terminal_app_pid(term: Any, timeout: float = 10.0) -> int:
    """The PID of the explorer running in a tests.e2e.harness.Terminal: the Python process
    among the pane's descendants (under `sh -c` or an interactive shell)."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        todo, found = [term.pane_pid()], []
        while todo:
            pid = todo.pop()
            try:
                children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            todo += [int(child) for child in children]
            if any(part.endswith((b"/alliance", b"tui")) for part in cmdline) and b"python" in cmdline[0]:
                found.append(pid)
        if found:
            return max(found)  # the deepest: the app, not a wrapper
        time.sleep(0.05)
    raise AssertionError("no explorer process in the terminal")


def terminal_restored(term: Any) -> None:
    """After the explorer ended: tmux shows the main screen, a visible cursor, no mouse
    reporting, and the byte log ends having undone what the app turned on."""
    assert term.display("#{alternate_on}") == "0", "still in the alternate screen"
    assert term.display("#{cursor_flag}") == "1", "cursor left hidden"
    assert term.display("#{mouse_any_flag}#{mouse_button_flag}#{mouse_standard_flag}") == "000", "mouse on"
    log = term.output()
    pairs = [(b"\x1b[?1049h", b"\x1b[?1049l"), (b"\x1b[?25l", b"\x1b[?25h"), (b"\x1b[?1003h", b"\x1b[?1003l")]
    for on, off in pairs:
        assert log.rfind(off) > log.rfind(on), f"the log does not end with {off!r} after {on!r}"


def assert_cooked_mode(term: Any) -> None:
    """`stty -a` typed in the shell that got the terminal back: canonical mode and echo."""
    import re
    import time

    # No ";": tmux send-keys reads it as the end of its command.
    command = "stty -a | tr ' ' '\\n' | grep -x -e '-*icanon' -e '-*echo' | tr '\\n' ' ' && echo STTY''-DONE\n"
    term.type(command, delay=0.01)
    deadline = time.monotonic() + 10
    line = None
    while line is None and time.monotonic() < deadline:
        # The output line ends with STTY-DONE; the echoed command shows STTY''-DONE.
        line = next((row for row in term.screen().splitlines() if row.rstrip().endswith(" STTY-DONE")), None)
        time.sleep(0.05)
    assert line is not None, term.screen()
    words = set(re.findall(r"-?\w+", line.replace("STTY-DONE", "")))
    assert {"icanon", "echo"} <= words and not {"-icanon", "-echo"} & words, line


def run_in_pty(
    args: list[str],
    env: dict[str, str],
    *,
    keys: bytes = b"",
    wait_for: bytes = b"",
    size: tuple[int, int] = (100, 30),
    timeout: float = 60.0,
) -> tuple[int, bytes]:
    """Run `python -m tui ARGS` with a new pseudo-terminal as stdin, stdout and stderr.

    Once `wait_for` has been written (at once if empty), `keys` are typed. Returns the exit
    code and every byte written to the terminal.
    """
    import fcntl
    import os
    import pty
    import select
    import struct
    import termios
    import time

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
    child = subprocess.Popen(
        [sys.executable, "-m", "tui", *args],
        env=env,
        cwd=REPO,
        stdin=follower,
        stdout=follower,
        stderr=follower,
        start_new_session=True,
    )
    os.close(follower)
    output = b""
    typed = False
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            if not typed and keys and wait_for in output:
                os.write(leader, keys)
                typed = True
            ready, _, _ = select.select([leader], [], [], 0.1)
            if ready:
                try:
                    chunk = os.read(leader, 65536)
                except OSError:  # EIO: the child closed the terminal
                    break
                if not chunk:
                    break
                output += chunk
            elif child.poll() is not None:
                break
        code = child.wait(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        if child.poll() is None:
            child.kill()
        os.close(leader)
    return code, output
