"""Finding 6: a full disk (a file-size limit) during the index build never breaks a run.

Before, a limit of 100-500 kB made the commit fail, and cancelling the closed writer raised
`IndexingError: This writer is closed`: exit 3, and the explorer said "still loading" for
ever; with two writer processes, a dead sub-writer could also hang the build. Now any
failure to write the index falls back to the in-memory index with a one-line notice. Each
limit from 10 kB to 1 MB is applied (RLIMIT_FSIZE, SIGXFSZ ignored) to a child process: the
serial build (`alliance search`), the two-process build of a generated dataset of more
than 5,000 records (`alliance index build`), and the explorer.
"""

from __future__ import annotations

import json
import resource
import signal
from collections.abc import Callable
from pathlib import Path

import pytest

from index.store import PARALLEL_BUILD
from tests.benchmarks.generate import generate
from tests.hostile.helpers import child_env

from .helpers import run_alliance, run_explorer_probe

LIMITS = [10_000, 20_000, 50_000, 100_000, 150_000, 200_000, 300_000, 400_000, 500_000, 750_000, 1_000_000]
NOTICE = "using an in-memory index"


def limited(size: int) -> Callable[[], None]:
    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes fail with EFBIG instead of killing
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    return apply


def assert_fell_back_or_fit(stderr: str, cache: Path) -> None:
    """One line: the in-memory notice; or nothing at all when every file fitted the limit."""
    assert "Traceback" not in stderr and "unexpected error" not in stderr, stderr
    lines = stderr.splitlines()
    if lines:
        assert len(lines) == 1 and NOTICE in lines[0] and lines[0].startswith("alliance: "), stderr
    leftovers = [p.name for p in cache.rglob(".build-*")] if cache.exists() else []
    assert leftovers == [], f"a failed build left {leftovers}"


@pytest.fixture(scope="module")
def expected(tmp_path_factory: pytest.TempPathFactory) -> dict:
    done = run_alliance("search", "nasa", "--json", tmp=tmp_path_factory.mktemp("clean"))
    assert done.returncode == 0 and done.stderr == b"", done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Just over the two-process threshold."""
    data = tmp_path_factory.mktemp("big") / "data"
    generate(data, PARALLEL_BUILD + 100)
    return data


@pytest.mark.slow
@pytest.mark.parametrize("size", LIMITS, ids=[f"{n // 1000}k" for n in LIMITS])
def test_search_with_a_file_size_limit(tmp_path: Path, expected: dict, size: int) -> None:
    done = run_alliance("search", "nasa", "--json", tmp=tmp_path, preexec_fn=limited(size))
    stderr = done.stderr.decode()
    assert done.returncode == 0, stderr
    assert json.loads(done.stdout)["hits"] == expected["hits"]
    assert_fell_back_or_fit(stderr, tmp_path / "cache")
    if size <= 500_000:  # the bundled index has files larger than this: the build must fail
        assert NOTICE in stderr


# The serial path is tried at every limit above; the two-process writer (7 s a build) at
# limits spread over the same range.
TWO_PROCESS_LIMITS = [10_000, 100_000, 300_000, 500_000, 1_000_000]


@pytest.mark.slow
@pytest.mark.parametrize("size", TWO_PROCESS_LIMITS, ids=[f"{n // 1000}k" for n in TWO_PROCESS_LIMITS])
def test_two_process_build_with_a_file_size_limit(tmp_path: Path, big: Path, size: int) -> None:
    done = run_alliance("index", "build", "--data", str(big), tmp=tmp_path, preexec_fn=limited(size), timeout=90)
    stderr = done.stderr.decode()
    assert done.returncode == 0, stderr
    assert_fell_back_or_fit(stderr, tmp_path / "cache")
    assert NOTICE in stderr  # at 5,100 records some file always outgrows 1 MB
    assert done.stdout.decode().startswith("built index of ") and "at memory" in done.stdout.decode()


@pytest.mark.slow
@pytest.mark.parametrize("size", [20_000, 200_000, 1_000_000], ids=["20k", "200k", "1M"])
@pytest.mark.parametrize("which", ["bundled", "big"])
def test_explorer_with_a_file_size_limit(tmp_path: Path, big: Path, expected: dict, size: int, which: str) -> None:
    """The explorer ends with a searcher and the notice, never "still loading": in-thread for
    the bundled data, through its build child for the large dataset."""
    data = big if which == "big" else None
    # The probe stops as soon as search is ready (about 30 s here for the large data alone).
    # The wait bounds "still loading for ever": the build child runs at nice 10, so beside
    # other work at nice 0 (the rest of the suite) it may take minutes, not hang.
    report = run_explorer_probe(child_env(tmp_path), data=data, preexec_fn=limited(size), wait=300)
    assert report["ready"], report
    assert NOTICE in report["notice"] or (which == "bundled" and size >= 750_000), report
    if which == "bundled":
        assert report["refs"] == [f"{h['kind']}:{h['id']}" for h in expected["hits"]]


@pytest.mark.parametrize("size", [10_000, 1_000_000], ids=["10k", "1M"])
def test_the_explorers_build_child_reports_the_cache_unwritable(tmp_path: Path, size: int) -> None:
    """`index build --background` (the explorer's child) builds no index in its own memory,
    of no use to the explorer: it says why the cache failed, and the explorer builds in memory."""
    done = run_alliance(
        "index", "build", "--progress", "--background", tmp=tmp_path, preexec_fn=limited(size), timeout=90
    )
    stdout, stderr = done.stdout.decode(), done.stderr.decode()
    assert done.returncode == 3, (stdout, stderr)
    last = stdout.splitlines()[-1]
    assert last.startswith("unwritable could not write the index cache ("), stdout
    assert stderr == f"alliance: {last.removeprefix('unwritable ')}\n"
    assert "in-memory" not in stdout + stderr and "built index" not in stdout
    assert [p.name for p in (tmp_path / "cache").rglob(".build-*")] == []


def test_the_explorer_gets_its_childs_reason(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`_build_in_process` hands back the real child's reason: here a cache root that is a file."""
    from types import SimpleNamespace

    from tui.app import AllianceApp

    root = tmp_path / "not-a-folder"
    root.write_text("")
    for name, value in (child_env(tmp_path) | {"ALLIANCE_CACHE": str(root)}).items():
        monkeypatch.setenv(name, value)
    fake_app = SimpleNamespace(data_dir=None)  # the method reads data_dir only
    why = AllianceApp._build_in_process(fake_app, lambda done, total: None)  # type: ignore[arg-type]
    assert why.startswith(f"cache directory {root} is "), why
