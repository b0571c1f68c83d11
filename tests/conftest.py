"""Shared fixtures (a small valid dataset in a temporary directory) and the two test lanes.

The datasets and the helpers that write and break them are in tests/builders.py."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.builders import MINIMAL_FILES, write_files


@pytest.fixture(autouse=True)
def no_user_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reads or writes the user's index cache or config, nor inherits $ALLIANCE_DATA:
    under `pytest -n auto` the workers would share them. Suites set their own on top."""
    home = tmp_path_factory.mktemp("user-dirs")
    monkeypatch.setenv("ALLIANCE_CACHE", str(home / "cache"))
    monkeypatch.setenv("ALLIANCE_CONFIG", str(home / "config"))
    monkeypatch.delenv("ALLIANCE_DATA", raising=False)
    # The suite speaks English whatever the machine's locale; tests of French ask for it.
    monkeypatch.setenv("ALLIANCE_LANG", "en")


@pytest.fixture(autouse=True)
def english_after() -> Iterator[None]:
    """The process's language back to English after each test. A command run in-process
    with --lang fr leaves it French (as it should: one run, one language), and the next
    test on that worker, an explorer made without a command line, spoke French: twelve
    English tests failed in one CI run, in an order pytest-randomly happened to pick."""
    yield
    from index.i18n import set_language

    set_language("en")


@pytest.fixture
def french() -> Iterator[None]:
    """The interface in French for one test (the process's language, as --lang fr sets it)."""
    from index.i18n import set_language

    set_language("fr")
    try:
        yield
    finally:
        set_language("en")


@pytest.fixture
def minimal_dataset(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A valid dataset in tmp_path, which is also the working directory (messages say `members.toml:12`)."""
    monkeypatch.chdir(tmp_path)
    return write_files(tmp_path, MINIMAL_FILES)


# -- the two lanes: `pytest` runs everything; `pytest -m "not slow"` is the fast lane ----

SLOW_SECONDS = 3.0  # a test that takes longer belongs in the slow lane


@pytest.hookimpl(optionalhook=True, tryfirst=True)  # a pytest-xdist hook
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """`-n auto` runs one worker more than there are CPUs.

    A test here waits for much of its time (Pilot waits for the app to go idle, a child
    process runs), so one worker per CPU leaves the CPUs idle: on 2 cores the fast lane takes
    about 52 s with 3 workers and 60 s with 2. $PYTEST_XDIST_AUTO_NUM_WORKERS still decides.
    """
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None  # xdist's own hook reads it
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return cpus + 1


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Terminal tests (e2e) are slow too: the fast lane leaves out both."""
    for item in items:
        if item.get_closest_marker("e2e") and not item.get_closest_marker("slow"):
            item.add_marker(pytest.mark.slow)


_unmarked_slow: list[tuple[str, float]] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Remember tests over SLOW_SECONDS that are not marked slow.

    The call only: a setup may include the one-time cost of a session fixture, which is
    paid by whichever test comes first (another one under xdist)."""
    if report.when != "call" or "slow" in report.keywords:
        return
    if report.duration > SLOW_SECONDS:
        _unmarked_slow.append((report.nodeid, report.duration))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    """Name every unmarked test over SLOW_SECONDS, so the fast lane stays fast.

    Not under `pytest -n` (pytest-xdist): workers share the CPUs, which slows every test
    (by half on 2 cores), so the times say little about the test."""
    if getattr(config.option, "numprocesses", None):
        return
    if _unmarked_slow:
        terminalreporter.section(f"tests over {SLOW_SECONDS:.0f} s without @pytest.mark.slow")
        for nodeid, seconds in sorted(_unmarked_slow, key=lambda item: -item[1]):
            terminalreporter.write_line(f"{seconds:6.1f} s  {nodeid}")
