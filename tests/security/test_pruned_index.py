"""Finding 16 (part): an index in use is never deleted from under its reader.

Before, `alliance index clear`, or a build of a newer version of the same data (which prunes
older indexes), deleted the folder of an index a running explorer had open; its segments
stayed readable through open files, but the vocabulary, read on the first typo, was gone:
typo tolerance and "did you mean" silently stopped. Now a reader holds a shared flock on
the index folder while the index is open, and clear and pruning leave a locked folder alone
(clear says so); the folder goes once nobody uses it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from index import bundled_data_dir
from index.search import Searcher
from index.store import open_index

from .helpers import REPO

# A reader's lock in this process against clear and builds in child processes: the slow lane.
pytestmark = pytest.mark.slow


def cli(*args: str, cache: Path) -> subprocess.CompletedProcess[str]:
    from tests.hostile.helpers import child_env

    env = child_env(cache.parent, ALLIANCE_CACHE=str(cache), PYTHONPATH=str(REPO))
    return subprocess.run(
        [sys.executable, "-m", "tui", *args], env=env, cwd=REPO, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return Path(shutil.copytree(bundled_data_dir(), tmp_path / "data"))


def test_clear_keeps_an_index_in_use(tmp_path: Path, data: Path) -> None:
    cache = tmp_path / "cache"
    opened = open_index(data, cache=cache)
    folder = Path(opened.info.path)
    searcher = Searcher(opened.ix)  # the explorer's searcher; no typo searched yet

    cleared = cli("index", "clear", cache=cache)
    assert cleared.returncode == 0, cleared.stderr
    assert f"{folder}: in use, kept" in cleared.stderr
    assert str(folder) not in cleared.stdout and cleared.stdout.splitlines()[-1].startswith("removed 0 index folders")
    assert folder.is_dir()

    result = searcher.search("nasaa")
    assert result.suggestion == "nasa", "typo tolerance lost: the vocabulary went with the folder"
    assert "member:nasa" in [h.ref for h in result.hits]

    searcher.close()
    opened.ix.close()  # no longer in use: the next clear removes it
    again = cli("index", "clear", cache=cache)
    assert f"removed {folder}" in again.stdout.splitlines()
    assert not folder.exists()


def test_pruning_by_a_newer_build_keeps_an_index_in_use(tmp_path: Path, data: Path) -> None:
    cache = tmp_path / "cache"
    opened = open_index(data, cache=cache)
    old = Path(opened.info.path)
    searcher = Searcher(opened.ix)

    # Another process builds the edited data of the same data directory: it prunes older ones.
    (data / "timeline.toml").write_text(
        (data / "timeline.toml").read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8"
    )
    built = cli("index", "build", "--data", str(data), cache=cache)
    assert built.returncode == 0 and built.stderr == "", built.stderr
    assert built.stdout.startswith("built index")
    assert old.is_dir(), "an index in use was pruned"

    assert searcher.search("nasaa").suggestion == "nasa"
    searcher.close()
    opened.ix.close()

    # Unused now: the next build of a newer version prunes it (and the one in between).
    (data / "timeline.toml").write_text(
        (data / "timeline.toml").read_text(encoding="utf-8") + "\n# edited again\n", encoding="utf-8"
    )
    rebuilt = cli("index", "build", "--data", str(data), cache=cache)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert not old.exists()
    assert len([p for p in cache.iterdir() if p.is_dir() and not p.name.startswith(".")]) == 1
