"""The explorer in a real terminal emulator (tmux), under several TERM settings and NO_COLOR."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .harness import Terminal, alliance_command, clean_env, have_tmux, run_scenarios

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not have_tmux(), reason="tmux is not installed (.ci/run installs it)"),
]

VARIANTS = {
    "xterm-256color": ("xterm-256color", {}),
    "screen-256color": ("screen-256color", {}),
    "linux-16-colours": ("linux", {}),
    "no-color": ("xterm-256color", {"NO_COLOR": "1"}),
}


@pytest.fixture(params=list(VARIANTS))
def term(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Terminal]:
    name, extra = VARIANTS[request.param]
    terminal = Terminal(tmp_path, width=100, height=30, term=name)
    terminal.start(alliance_command(), env={**clean_env(tmp_path), **extra})
    yield terminal
    terminal.close()


def test_overview_members_search_quote_help_quit(term: Terminal) -> None:
    run_scenarios(term)


def test_small_terminal_and_resize(tmp_path: Path) -> None:
    terminal = Terminal(tmp_path, width=40, height=12)
    try:
        terminal.start(alliance_command(), env=clean_env(tmp_path))
        terminal.wait_for("AI Alliance")
        for size in ((80, 24), (40, 12), (120, 40), (30, 8)):
            terminal.tmux("resize-window", "-x", str(size[0]), "-y", str(size[1]))
            terminal.send("2", "j", "Enter", "Escape")
        terminal.tmux("resize-window", "-x", "80", "-y", "24")
        terminal.send("1")
        terminal.wait_for("Overview · AI Alliance")
        terminal.send("q")
        terminal.wait_for("__EXIT__0")
    finally:
        terminal.close()


def large_dataset(directory: Path) -> Path:
    """Data over the explorer's background-load threshold (about 1.6 MB of TOML)."""
    from tests.benchmarks.generate import generate
    from tui.cli import LOAD_IN_BACKGROUND

    generate(directory, records=3000)
    assert sum(p.stat().st_size for p in directory.glob("*.toml")) > LOAD_IN_BACKGROUND
    return directory


def test_large_data_loads_behind_the_panes(tmp_path: Path) -> None:
    data = large_dataset(tmp_path / "data")
    terminal = Terminal(tmp_path)
    try:
        terminal.start(f"{alliance_command()} --data {data}", env=clean_env(tmp_path))
        # The panes come first; the counts once the data is read; then the index is built.
        terminal.wait_all("1 Overview", "5 Search")
        terminal.wait_for("1225 members", timeout=30)
        terminal.send("2")
        terminal.wait_for("Members · 1225 of 1225")
        terminal.send("5")
        terminal.wait_for("Search ready", timeout=60)
        terminal.send("Escape")  # out of the search box, where q is a letter
        terminal.send("q")
        terminal.wait_for("__EXIT__0")
    finally:
        terminal.close()


def test_bad_large_data_found_in_the_background_exits_2(tmp_path: Path) -> None:
    data = large_dataset(tmp_path / "data")
    members = data / "members-000.toml"
    text = members.read_text(encoding="utf-8")
    members.write_text(text + '\n[[member]]\nid = "broken one"\n', encoding="utf-8")
    line = text.count("\n") + 3
    terminal = Terminal(tmp_path)
    try:
        terminal.start(f"{alliance_command()} --data {data}", env=clean_env(tmp_path))
        # Reported after the terminal is restored, like bad small data before the UI starts.
        screen = terminal.wait_for("__EXIT__2", timeout=30)
        unwrapped = screen.replace("\n", "")  # the message wraps where the path's length puts it
        assert f"members-000.toml:{line}" in unwrapped
        assert "broken one" in unwrapped
        assert "Traceback" not in screen
    finally:
        terminal.close()
