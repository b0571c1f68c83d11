"""Finding 15: output that cannot be written, and argv that is not UTF-8.

Decisions pinned here: a reader that goes away (EPIPE, `| head -1`) ends the CLI quietly
with exit 0; a stdout the shell closed (`>&-`) is /dev/null, so the command runs and exits
with its own code, silently; any other write failure (disk full, a read-only descriptor)
prints one line "alliance: cannot write the output: ..." and exits 3, never 1, which
scripts read as "nothing found". Never a traceback, also not at interpreter exit.
JSON is always valid UTF-8: each undecodable argv byte becomes U+FFFD.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hostile.helpers import child_env, many_members_text, write_dataset, write_files

from .helpers import REPO, assert_no_traceback, run_alliance

# Real descriptors (closed, full, read-only, a pipe whose reader leaves) and the locale of a
# fresh interpreter: every case is a child process, so the module is in the slow lane.
pytestmark = pytest.mark.slow


@pytest.fixture
def small(tmp_path: Path) -> Path:
    return write_dataset(tmp_path / "data")


@pytest.fixture
def big(tmp_path: Path) -> Path:
    """A dataset whose `list members` output (~150 kB) overflows a pipe's buffer."""
    data = write_dataset(tmp_path / "big")
    members = (data / "members" / "members.toml").read_text() + "\n" + many_members_text(3000)
    return write_files(data, {"members/members.toml": members})


@pytest.mark.parametrize(
    "args",
    [
        ("list", "members"),
        ("list", "members", "--json"),
        ("show", "member:acme"),
        ("show", "member:acme", "--json"),
        ("search", "acme"),
        ("search", "acme", "--json"),
        ("validate",),
        ("--version",),
        ("--help",),
    ],
    ids=" ".join,
)
def test_closed_stdout_is_quiet(args: tuple[str, ...], small: Path, tmp_path: Path) -> None:
    extra = ("--data", str(small)) if args[0] not in ("--version", "--help") else ()
    done = run_alliance(*args, *extra, tmp=tmp_path, shell_redirect=">&-")
    assert_no_traceback(done.stderr)
    assert done.stderr == b""
    assert done.returncode == 0


def test_closed_stdout_keeps_the_exit_code(small: Path, tmp_path: Path) -> None:
    done = run_alliance("search", "zzzqqq", "--data", str(small), tmp=tmp_path, shell_redirect=">&-")
    assert (done.returncode, done.stderr) == (1, b"")


@pytest.mark.parametrize(
    "args",
    [
        ("list", "members"),
        ("list", "members", "--json"),
        ("show", "member:acme"),
        ("search", "acme", "--json"),
        ("search", "acme"),
        ("validate",),
        ("--help",),
        ("--version",),
    ],
    ids=" ".join,
)
def test_disk_full_says_so_in_one_line(args: tuple[str, ...], small: Path, tmp_path: Path) -> None:
    extra = ("--data", str(small)) if args[0] not in ("--version", "--help") else ()
    with open("/dev/full", "wb") as full:
        done = run_alliance(*args, *extra, tmp=tmp_path, stdout=full)
    assert_no_traceback(done.stderr)
    assert done.stderr.decode() == "alliance: cannot write the output: No space left on device\n"
    assert done.returncode == 3


def test_disk_full_mid_output(big: Path, tmp_path: Path) -> None:
    """Big output fails in print(), not at the final flush: still one line."""
    with open("/dev/full", "wb") as full:
        done = run_alliance("list", "members", "--data", str(big), tmp=tmp_path, stdout=full)
    assert_no_traceback(done.stderr)
    assert done.stderr.decode() == "alliance: cannot write the output: No space left on device\n"
    assert done.returncode == 3


def test_read_only_stdout(small: Path, tmp_path: Path) -> None:
    done = run_alliance("list", "members", "--data", str(small), tmp=tmp_path, shell_redirect="1</dev/null")
    assert_no_traceback(done.stderr)
    assert done.stderr.decode().startswith("alliance: cannot write the output: ")
    assert done.returncode == 3


HEAD_1 = ["bash", "-c", 'set -o pipefail; "$@" | head -1', "bash"]  # "$@" | head -1, alliance's status


@pytest.mark.parametrize("json_flag", [(), ("--json",)], ids=["plain", "json"])
def test_piped_to_head(json_flag: tuple[str, ...], big: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        [*HEAD_1, sys.executable, "-m", "tui", "list", "members", "--data", str(big), *json_flag],
        cwd=REPO,
        env=child_env(tmp_path),
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert_no_traceback(done.stderr)
    assert done.stderr == b""
    assert done.returncode == 0  # pipefail: alliance's own status
    assert len(done.stdout.splitlines()) == 1


def test_reader_gone_before_the_first_write(big: Path, tmp_path: Path) -> None:
    read, write = os.pipe()
    os.close(read)  # every write fails with EPIPE
    try:
        done = run_alliance("list", "quotes", "--data", str(big), tmp=tmp_path, stdout=write)
    finally:
        os.close(write)
    assert_no_traceback(done.stderr)
    assert (done.returncode, done.stderr) == (0, b"")


@pytest.mark.parametrize(
    "locale",
    [
        {"LC_ALL": "C.UTF-8", "PYTHONIOENCODING": "utf-8"},  # strict: was "unexpected error", exit 3
        {"LC_ALL": "C", "LANG": "C"},  # surrogateescape: wrote the raw bytes, invalid UTF-8
        {"LC_ALL": "C.UTF-8", "PYTHONIOENCODING": "latin-1"},  # JSON is UTF-8 whatever the locale
    ],
    ids=["utf8-strict", "c-locale", "latin1"],
)
@pytest.mark.parametrize("query", [b"\xff\xfe", b"acme \xff", b"\xc3("], ids=["ff-fe", "word-ff", "bad-seq"])
def test_json_of_non_utf8_query_is_utf8(query: bytes, locale: dict[str, str], small: Path, tmp_path: Path) -> None:
    env = child_env(tmp_path)
    env.pop("PYTHONIOENCODING", None)
    env.pop("LANG", None)
    env.update(locale)
    done = run_alliance("search", query, "--json", "--data", str(small), tmp=tmp_path, env=env)
    assert_no_traceback(done.stderr)
    assert done.returncode in (0, 1), done.stderr
    data = json.loads(done.stdout.decode("utf-8"))  # strict: raises on invalid UTF-8
    assert data["query"] == query.decode("utf-8", "replace")
    if query.startswith(b"acme"):
        assert data["hits"] and data["hits"][0]["id"] == "acme"


def test_plain_search_of_non_utf8_query(small: Path, tmp_path: Path) -> None:
    done = run_alliance("search", b"acm\xff", "--data", str(small), tmp=tmp_path)
    assert_no_traceback(done.stderr)
    assert done.returncode in (0, 1)
    done.stdout.decode("utf-8")
