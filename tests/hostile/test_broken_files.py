"""Broken files: each gives a clear problem naming the file (and line), exit 2, no traceback.

Duplicate keys, wrong types, nested junk tables, absurdly deep nesting, binary garbage, symlink
loops, unreadable files, and paths named *.toml that are not regular files (a directory, a FIFO,
a device). The CLI runs as a child process (`python -m tui`), stdin not a terminal, under a
timeout, so a hang is a failure and not a stuck suite.
"""

from __future__ import annotations

import os
import random
import resource
import subprocess
from pathlib import Path

import pytest

from index import DataError, load_dataset
from tui import cli

from .helpers import assert_clean_rejection, render_files, run_cli, write_dataset, write_files

HANG_TIMEOUT = 6.0  # seconds: far more than validating this dataset takes (~0.4 s with start-up)


def line_containing(text: str, needle: str) -> int:
    """1-based line of the first line that contains needle."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in the text")


def validate(tmp: Path, *, timeout: float = 60.0, **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    return run_cli("validate", "--data", "data", tmp=tmp, timeout=timeout, **kwargs)


def no_hang(tmp: Path, *args: str, **kwargs: object) -> subprocess.CompletedProcess[bytes]:
    try:
        return run_cli(*args, tmp=tmp, timeout=HANG_TIMEOUT, **kwargs)
    except subprocess.TimeoutExpired:
        pytest.fail(f"`alliance {' '.join(args)}` still running after {HANG_TIMEOUT} s (killed): it hangs")


# -- duplicate keys and wrong types ------------------------------------------------


@pytest.mark.parametrize(
    ("file", "old", "new", "offset", "message"),
    [
        (
            "members/members.toml",
            'short_name = "ACME"',
            'short_name = "ACME"\nshort_name = "AC"',
            1,
            "Cannot overwrite",
        ),
        ("members/members.toml", 'id = "acme"', 'id = "acme"\nid = "acme"', 1, "Cannot overwrite"),
        ("alliance.toml", "[[alliance.topic]]", '[alliance]\nid = "again"\n[[alliance.topic]]', 0, "Cannot declare"),
        (
            "quotes/quotes.toml",
            "translations.fr = ",
            'translations.fr = "x"\ntranslations.fr = ',
            1,
            "Cannot overwrite",
        ),
    ],
    ids=["same-key-twice", "id-twice", "table-twice", "dotted-key-twice"],
)
def test_duplicate_keys(tmp_path: Path, file: str, old: str, new: str, offset: int, message: str) -> None:
    """`offset`: the line of the duplicate, counted from the first line of `new`."""
    files = render_files()
    line = line_containing(files[file], old) + offset
    files[file] = files[file].replace(old, new, 1)
    write_files(tmp_path / "data", files)
    err = assert_clean_rejection(validate(tmp_path), f"data/{file}:{line}:", "TOML syntax error", message)
    assert err.count("\n") == 2, err  # the one problem and the count


def test_wrong_types_are_each_named_on_their_line(tmp_path: Path) -> None:
    files = render_files()
    members = files["members/members.toml"]
    for old, new in (
        ("founding = true", 'founding = "yes"'),
        ("joined = 2023-12-05", "joined = 5"),
        ('sources = ["https://example.org/acme"]', 'sources = "http://x"'),
        ('type = "company"', "type = 3"),
        ('country = "US"', 'country = ["US"]'),
    ):
        members = members.replace(old, new, 1)
    files["members/members.toml"] = members
    files["timeline.toml"] = files["timeline.toml"].replace('members = ["acme", "geneva"]', 'members = "acme"')
    files["alliance.toml"] = files["alliance.toml"].replace('founders = ["acme", "geneva"]', 'founders = "acme"')
    files["quotes/quotes.toml"] = files["quotes/quotes.toml"].replace("translations.fr = ", "translations = ")
    write_files(tmp_path / "data", files)

    def at(file: str, needle: str) -> str:
        return f"data/{file}:{line_containing(files[file], needle)}: "

    expected = [
        at("members/members.toml", 'founding = "yes"')
        + "member 'acme': founding: expected true or false, got a string (write true or false, without quotes)",
        at("members/members.toml", "joined = 5") + "member 'acme': joined: expected a date",
        at("members/members.toml", 'sources = "http://x"') + "member 'acme': sources: expected a list, got a string",
        at("members/members.toml", "type = 3") + "member 'acme': type: expected a string, got an integer",
        at("members/members.toml", 'country = ["US"]') + "member 'acme': country: expected a string, got a list",
        at("timeline.toml", 'members = "acme"') + "event 'launch': members: expected a list, got a string",
        at("alliance.toml", 'founders = "acme"') + "alliance 'hostile-alliance': founders: expected a list",
        at("quotes/quotes.toml", "translations = ") + "quote 'q-acme': translations: expected a table",
    ]
    err = assert_clean_rejection(validate(tmp_path), *expected, f"alliance: {len(expected)} problems in the data")
    # Broken members are not also reported as missing wherever they are named.
    assert "no member with id" not in err


# -- junk tables and deep nesting ------------------------------------------------------


def test_deeply_nested_junk_table_is_an_unknown_table(tmp_path: Path) -> None:
    data = write_dataset(tmp_path / "data")
    write_files(data, {"junk.toml": "[junk.a.b.c.d]\nx = 1\n[junk.a.b.c.e.f.g.h]\ny = [[1], [[2]]]\n"})
    assert_clean_rejection(validate(tmp_path), "data/junk.toml:1: unknown table 'junk'", "alliance: 1 problem")


def test_junk_table_further_down_a_file_is_reported_on_its_own_line(tmp_path: Path) -> None:
    """The same junk after the members: the message must point at the junk's line, not line 1."""
    files = render_files()
    files["members/members.toml"] += "\n[junk.a.b.c.d]\nx = 1\n"
    write_files(tmp_path / "data", files)
    line = line_containing(files["members/members.toml"], "[junk.a.b.c.d]")
    assert_clean_rejection(validate(tmp_path), f"data/members/members.toml:{line}: unknown table 'junk'")


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("depth", [500, 5000])
@pytest.mark.parametrize("field", ["aliases", "x"], ids=["known-field", "unknown-field"])
def test_deeply_nested_arrays_give_a_clear_message(tmp_path: Path, depth: int, field: str) -> None:
    """tomllib recurses per level: deep enough, it raises RecursionError, which must become a Problem."""
    files = render_files()
    files["members/members.toml"] = files["members/members.toml"].replace(
        'type = "company"', f'{field} = {nested(depth)}\ntype = "company"', 1
    )
    write_files(tmp_path / "data", files)
    done = validate(tmp_path)
    err = assert_clean_rejection(done, "data/members/members.toml", "alliance: 1 problem in the data")
    assert "nesting is too deep" in err or "expected a string, got a list" in err or "unknown field" in err, err
    # The in-process loader says the same and does not raise RecursionError.
    with pytest.raises(DataError):
        load_dataset(tmp_path / "data")


@pytest.mark.parametrize("depth", [500, 5000])
def test_deep_nesting_message_names_the_line(tmp_path: Path, depth: int) -> None:
    """README: validate prints 'every problem with file and line'. The nesting starts on a known line."""
    files = render_files()
    files["members/members.toml"] = files["members/members.toml"].replace(
        'type = "company"', f'aliases2 = {nested(depth)}\ntype = "company"', 1
    )
    write_files(tmp_path / "data", files)
    line = line_containing(files["members/members.toml"], "aliases2 = [")
    assert_clean_rejection(validate(tmp_path), f"data/members/members.toml:{line}")


# -- bytes that are not TOML text -------------------------------------------------------


def test_binary_file_is_not_utf8(tmp_path: Path) -> None:
    rng = random.Random(20231205)
    garbage = b"\x00\x01\xff\xfe" + bytes(rng.randrange(256) for _ in range(8192)) + b"\x00\xc3\x28"
    data = write_dataset(tmp_path / "data")
    write_files(data, {"bad.toml": garbage})
    assert_clean_rejection(validate(tmp_path), "data/bad.toml:1:3: not UTF-8 text (byte 0xff)", "1 problem")


def test_nul_bytes_in_utf8_are_a_syntax_error_with_position(tmp_path: Path) -> None:
    data = write_dataset(tmp_path / "data")
    write_files(data, {"bad.toml": b'title = "ok"\nx = "a\x00b"\n\x00\x00\n'})
    assert_clean_rejection(validate(tmp_path), "data/bad.toml:2:", "TOML syntax error", "1 problem")


def test_file_name_that_is_not_utf8_is_shown_escaped(tmp_path: Path) -> None:
    data = write_dataset(tmp_path / "data")
    with open(os.path.join(os.fsencode(data), b"bad\xff.toml"), "wb") as handle:
        handle.write(b"x = [\n")
    assert_clean_rejection(validate(tmp_path), "data/bad\\udcff.toml:2:1: TOML syntax error")


# -- the file system -------------------------------------------------------------------------


def test_symlink_loop_is_reported_not_followed(tmp_path: Path) -> None:
    data = write_dataset(tmp_path / "data")
    (data / "loop").symlink_to(data, target_is_directory=True)
    (data / "members" / "up").symlink_to("..", target_is_directory=True)
    done = no_hang(tmp_path, "validate", "--data", "data")
    assert_clean_rejection(
        done,
        "data/loop: symlink loop: directory already read, skipped",
        "data/members/up: symlink loop: directory already read, skipped",
        "alliance: 2 problems in the data",
    )


def test_symlink_to_itself_is_a_broken_symlink(tmp_path: Path) -> None:
    data = write_dataset(tmp_path / "data")
    (data / "self.toml").symlink_to("self.toml")
    assert_clean_rejection(no_hang(tmp_path, "validate", "--data", "data"), "data/self.toml: broken symlink")


def test_directory_named_like_a_toml_file(tmp_path: Path) -> None:
    data = write_dataset(tmp_path / "data")
    (data / "x.toml").mkdir()
    assert_clean_rejection(validate(tmp_path), "data/x.toml: is a directory, not a TOML file", "1 problem")


def test_unreadable_file_chmod_000(tmp_path: Path) -> None:
    data = write_dataset(tmp_path / "data")
    (data / "timeline.toml").chmod(0)
    try:
        done = validate(tmp_path)
    finally:
        (data / "timeline.toml").chmod(0o644)
    if os.geteuid() == 0:
        # Root reads a mode-000 file: nothing to complain about (the FIFO, directory and
        # monkeypatched cases below stand in for an unreadable file).
        assert done.returncode == 0, done.stderr.decode()
    else:
        assert_clean_rejection(done, "data/timeline.toml: cannot read file: permission denied")


def test_unreadable_file_permission_error_in_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    data = write_dataset(tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    original = Path.read_bytes

    def read_bytes(self: Path) -> bytes:
        if self.name == "timeline.toml":
            raise PermissionError(13, "Permission denied", str(self))
        return original(self)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    with pytest.raises(DataError) as caught:
        load_dataset(data)
    assert [str(p) for p in caught.value.problems] == ["data/timeline.toml: cannot read file: permission denied"]

    for argv in (["validate", "--data", "data"], ["--data", "data"], ["search", "acme", "--data", "data"]):
        assert cli.main(argv) == 2, argv
        captured = capsys.readouterr()
        assert "data/timeline.toml: cannot read file: permission denied" in captured.err, (argv, captured.err)
        assert "alliance: 1 problem in the data" in captured.err
        assert "Traceback" not in captured.err
        assert "needs a terminal" not in captured.err


def test_fifo_named_like_a_toml_file_does_not_hang(tmp_path: Path) -> None:
    """A FIFO (named pipe) called x.toml: reading it blocks until a writer comes, which never does.

    Expected: refused at once like the directory named x.toml (exit 2, the path named).
    """
    data = write_dataset(tmp_path / "data")
    os.mkfifo(data / "x.toml")
    done = no_hang(tmp_path, "validate", "--data", "data")
    assert_clean_rejection(done, "data/x.toml")
    done = no_hang(tmp_path, "search", "acme", "--data", "data")  # the index fingerprint reads every file too
    assert_clean_rejection(done, "data/x.toml")


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))  # 1 GiB: an endless read stops there


def test_symlink_to_an_endless_device_is_refused(tmp_path: Path) -> None:
    """zero.toml -> /dev/zero: not a regular file. Reading it never ends (memory grows until it fails).

    Expected: refused like a directory or FIFO named *.toml (exit 2, the path named), without reading it.
    The child runs with a 1 GiB address-space limit so this cannot hurt the machine.
    """
    data = write_dataset(tmp_path / "data")
    (data / "zero.toml").symlink_to("/dev/zero")
    done = no_hang(tmp_path, "validate", "--data", "data", preexec_fn=_limit_memory)
    assert_clean_rejection(done, "data/zero.toml")
