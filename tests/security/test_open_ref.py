"""Finding 14: `--open` must name a record, checked before anything starts, on any data size.

`--open https://…` was followed like a link in the explorer, i.e. written to the clipboard,
and on large data (loaded after the UI starts) a REF was not checked at all. Now: a value
that is not a REF (kind:id or a bare id, ids as the validator defines them) is a usage
error, exit 2, before the data is read; a well-formed REF that names nothing ends the
explorer, once the large data is loaded, with "alliance: no record 'x'" and exit 1, as on
small data; an ambiguous one with exit 2.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

import index.files
import index.snapshot
from index.validate import SLUG
from tests.builders import MINIMAL_FILES, replace, write_files
from tests.e2e.harness import Terminal, alliance_command, clean_env, have_tmux
from tests.hostile.helpers import run_async
from tui import cli
from tui.app import AllianceApp

from .helpers import alliance_in_process, assert_no_traceback, run_alliance

NOT_REFS = [
    "https://example.org/x",
    "http://example.org",
    "file:///etc/passwd",
    "member:NASA",
    "foo:nasa",
    "member:",
    ":nasa",
    "",
    "nasa ",
    "-nasa",
    "member:nasa:x",
    "../../etc/passwd",
    "\x1b]52;c;aGk=\x07",
    "key:q",
]


def large_dataset(directory: Path) -> Path:
    """Over the background-load threshold: the explorer starts before the data is read."""
    from tests.benchmarks.generate import generate

    generate(directory, records=3000)
    assert sum(p.stat().st_size for p in directory.glob("*.toml")) > cli.LOAD_IN_BACKGROUND
    return directory


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return large_dataset(tmp_path_factory.mktemp("large") / "data")


def test_ref_syntax_is_the_validators() -> None:
    assert SLUG.pattern == r"^[a-z0-9][a-z0-9-]*$", "tui.cli._ID copies it: update both"
    kinds = ("member:nasa", "quote:a-1", "event:2024-launch", "topic:x", "project:x", "group:x", "person:x")
    for good in ("nasa", *kinds, "0"):
        cli.check_open_ref(good)
    for bad in NOT_REFS:
        with pytest.raises(cli.UsageError, match="is not a record"):
            cli.check_open_ref(bad)


@pytest.mark.parametrize("ref", NOT_REFS, ids=repr)
@pytest.mark.parametrize("size", ["small", "large"])
def test_not_a_ref_is_a_usage_error_before_start(
    ref: str, size: str, large: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def read_data(*args: object, **kwargs: object) -> None:
        raise AssertionError("the data was read before --open was checked")

    # In-process, so that reading the data at all fails the run (exit 3, not 2).
    for module, name in (
        (index.snapshot, "read_snapshot"),
        (index.snapshot, "load_cached"),
        (index.files, "data_size"),
    ):
        monkeypatch.setattr(module, name, read_data)
    data = ["--data", str(large)] if size == "large" else []
    done = alliance_in_process(f"--open={ref}", *data, tmp=tmp_path)
    assert_no_traceback(done.stderr)
    assert done.returncode == 2, done.stderr
    err = done.stderr.decode()
    assert "is not a record" in err and err.count("\n") == 1, err
    assert "\x1b" not in err and "\x07" not in err  # the value is shown escaped (repr)
    assert not (tmp_path / "cache").exists() or not any((tmp_path / "cache").rglob("*.toml*"))


def test_small_data_unknown_ref_still_exit_1(tmp_path: Path) -> None:
    done = run_alliance("--open", "member:nope", tmp=tmp_path)
    assert (done.returncode, done.stderr.decode()) == (1, "alliance: no record 'member:nope'\n")


def ambiguous_dataset(directory: Path) -> Path:
    """The minimal dataset with an event whose id is also a member's: `nasa`."""
    write_files(directory, MINIMAL_FILES)
    replace(directory, "events.toml", 'id = "may"\n', 'id = "nasa"\n')
    return directory


async def _run_until_exit(app: AllianceApp) -> None:
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(400):
            if app.load_error is not None or app._exit_renderables or not app.is_running:
                break
            await pilot.pause(0.05)
        await asyncio.sleep(0)


@pytest.mark.parametrize(
    ("ref", "error", "code"),
    [("member:nope", cli.NoRecord, 1), ("nope", cli.NoRecord, 1), ("nasa", cli.UsageError, 2)],
)
def test_background_load_unresolved_ref_ends_the_app(
    ref: str, error: type[Exception], code: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The in-app half: after the background load, the REF is resolved; the app exits with
    the error for the CLI to print (see the e2e test below) instead of a toast."""
    monkeypatch.setenv("ALLIANCE_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("ALLIANCE_CONFIG", str(tmp_path / "config"))
    data = ambiguous_dataset(tmp_path / "data")
    app = AllianceApp(None, data_dir=data, open_ref=ref, build_index=False)
    run_async(_run_until_exit(app))
    assert isinstance(app.load_error, error), app.load_error
    assert app.return_code == code
    message = str(app.load_error)
    assert message == (
        f"no record {ref!r}" if code == 1 else f"--open {ref!r} is ambiguous: use one of member:nasa, event:nasa"
    )


def test_background_load_ref_that_resolves_opens_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALLIANCE_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("ALLIANCE_CONFIG", str(tmp_path / "config"))
    data = ambiguous_dataset(tmp_path / "data")
    app = AllianceApp(None, data_dir=data, open_ref="member:epfl", build_index=False)

    async def session() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            for _ in range(200):
                if app.dataset is not None and app.pane("members").record is not None:
                    break
                await pilot.pause(0.05)
            assert app.pane("members").record.id == "epfl"
            assert app.load_error is None and app.is_running

    run_async(session())


@pytest.mark.e2e
@pytest.mark.slow
@pytest.mark.skipif(not have_tmux(), reason="tmux is not installed (.ci/run installs it)")
def test_large_data_unknown_ref_in_a_terminal(large: Path, tmp_path: Path) -> None:
    """The whole way: reported after the terminal is restored, exit 1 as on small data."""
    terminal = Terminal(tmp_path)
    try:
        terminal.start(f"{alliance_command()} --data {large} --open member:nope", env=clean_env(tmp_path))
        screen = terminal.wait_for("__EXIT__1", timeout=60)
        assert "alliance: no record 'member:nope'" in screen
        assert "Traceback" not in screen
        assert terminal.tmux("display", "-p", "#{alternate_on}").strip() == "0"
    finally:
        terminal.close()
