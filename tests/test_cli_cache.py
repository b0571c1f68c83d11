"""The read-only commands answer from the caches: `show` and `list` from the parsed-data
snapshot (no TOML parse while the data files are unchanged), `search` from the cached
index; and a piped command never imports the terminal libraries (rich, Textual).

Issue 17: every `alliance show` re-parsed all the TOML (11.5 s at 100k records)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import index.load
from tests.builders import replace
from tests.cli_runner import run_in_process
from tui.cli import child_command

TERMINAL_LIBRARIES = {"rich", "textual"}
PARSER_MODULES = {"index.load", "tomllib", "tomli"}


def imports_in(stderr: str) -> set[str]:
    """The modules a `-X importtime` report on stderr names (its first line is the header)."""
    report = [line for line in stderr.splitlines() if line.startswith("import time:")]
    return {line.split("|")[-1].strip() for line in report[1:]}


def imported_by(*args: str, cwd: Path) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    """Run `alliance ARGS` in a fresh interpreter, piped (no terminal), under `-X importtime`:
    its result (stderr without the import report) and every module it imported."""
    argv = child_command(*args)
    argv[1:1] = ["-X", "importtime"]
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE")}
    done = subprocess.run(
        argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True, encoding="utf-8", timeout=120
    )
    modules = imports_in(done.stderr)
    stderr = "".join(f"{line}\n" for line in done.stderr.splitlines() if not line.startswith("import time:"))
    assert "Traceback" not in stderr, stderr
    assert {"tui.cli", "argparse"} <= modules  # the report is there: an empty set would prove nothing
    return subprocess.CompletedProcess(done.args, done.returncode, done.stdout, stderr), modules


def top_level(modules: set[str]) -> set[str]:
    return {name.split(".")[0] for name in modules}


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["list", "members"], 0),
        (["list", "quotes", "--format", "csv"], 0),
        (["show", "member:nasa"], 0),
        (["show", "member:nobody"], 1),
        (["search", "nasa"], 0),
        (["search", "nasa", "--json"], 0),
        (["--help"], 0),
    ],
)
def test_piped_commands_import_neither_rich_nor_textual(minimal_dataset, args, code):
    data = [] if args == ["--help"] else ["--data", "."]
    result, modules = imported_by(*args, *data, cwd=minimal_dataset)
    assert result.returncode == code, result.stderr
    assert not top_level(modules) & TERMINAL_LIBRARIES, sorted(
        m for m in modules if top_level({m}) & TERMINAL_LIBRARIES
    )


def test_import_check_can_fail(tmp_path):
    """The report is read right: a terminal library imported does show up."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import rich.text"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert top_level(imports_in(done.stderr)) & TERMINAL_LIBRARIES == {"rich"}


def test_second_show_reads_the_snapshot_not_the_toml(minimal_dataset):
    """The first call parses and writes the snapshot; the next ones never load the parser."""
    first, modules = imported_by("show", "member:nasa", "--data", ".", cwd=minimal_dataset)
    assert first.returncode == 0, first.stderr
    assert "index.load" in modules  # nothing cached yet: the TOML is parsed
    for args in (["show", "member:nasa"], ["list", "members"]):
        again, modules = imported_by(*args, "--data", ".", cwd=minimal_dataset)
        assert again.returncode == 0, again.stderr
        assert not modules & PARSER_MODULES, f"{args}: {sorted(modules & PARSER_MODULES)}"
        if args[0] == "show":
            assert (again.stdout, again.stderr) == (first.stdout, first.stderr)
        else:
            assert "National Aeronautics and Space Administration" in again.stdout


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The TOML files parsed during the test (index.load.parse_toml's calls)."""
    seen: list[str] = []
    parse = index.load.parse_toml

    def counted(source):  # type: ignore[no-untyped-def]
        seen.append(source.shown)
        return parse(source)

    monkeypatch.setattr(index.load, "parse_toml", counted)
    return seen


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    done = run_in_process(*args, "--data", ".", cwd=cwd, env=dict(os.environ))
    return subprocess.CompletedProcess(done.args, done.returncode, done.stdout.decode(), done.stderr.decode())


def test_list_and_show_parse_once_then_see_a_changed_file(minimal_dataset, parses):
    first = run("show", "member:nasa", cwd=minimal_dataset)
    assert first.returncode == 0 and "name: National Aeronautics and Space Administration" in first.stdout
    files = len(parses)
    assert files >= 3  # every data file, once
    for args in (["show", "member:nasa"], ["list", "members"], ["list", "quotes", "--json"], ["show", "ibm"]):
        assert run(*args, cwd=minimal_dataset).returncode == 0
    assert len(parses) == files  # all from the snapshot
    # An edit is seen at once: the fingerprint covers the files' bytes.
    replace(minimal_dataset, "members.toml", '"National Aeronautics and Space Administration"', '"NASA, renamed"')
    changed = run("show", "member:nasa", cwd=minimal_dataset)
    assert changed.returncode == 0 and "name: NASA, renamed" in changed.stdout
    assert len(parses) == 2 * files
    listed = run("list", "members", cwd=minimal_dataset)
    assert "NASA, renamed" in listed.stdout and len(parses) == 2 * files  # the new snapshot


def test_bad_data_is_reported_even_after_a_snapshot(minimal_dataset, parses):
    assert run("list", "members", cwd=minimal_dataset).returncode == 0
    replace(minimal_dataset, "events.toml", "date = 2024-05-03", 'date = "2024-13"')
    for args in (["list", "members"], ["show", "member:ibm"]):
        result = run(*args, cwd=minimal_dataset)
        assert (result.returncode, result.stdout) == (2, "")
        assert result.stderr.endswith("alliance: 1 problem in the data\n")


def test_validate_always_parses(minimal_dataset, parses):
    """`validate` checks the files themselves, snapshot or not."""
    assert run("list", "members", cwd=minimal_dataset).returncode == 0
    files = len(parses)
    assert run("validate", cwd=minimal_dataset).returncode == 0
    assert len(parses) == 2 * files


def test_a_cache_that_is_a_symlink_is_never_used(minimal_dataset, parses, tmp_path_factory, monkeypatch):
    """A cache root that is a symbolic link is neither read nor written: every call parses."""
    target = tmp_path_factory.mktemp("elsewhere")
    link = tmp_path_factory.mktemp("links") / "cache"
    link.symlink_to(target, target_is_directory=True)
    monkeypatch.setenv("ALLIANCE_CACHE", str(link))
    for _ in range(2):
        result = run("show", "member:nasa", cwd=minimal_dataset)
        assert (result.returncode, result.stderr) == (0, "")
    assert list(target.iterdir()) == []
    assert len(parses) == 2 * len({*parses})
