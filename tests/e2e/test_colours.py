"""What reaches the terminal (issue 14): NO_COLOR sends no colour code at all; TERM=linux
sends only glyphs the Linux console's font has. Checked on every byte the app writes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tui.colours import CP437

from .harness import Terminal, alliance_command, clean_env, have_tmux

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.slow,
    pytest.mark.skipif(not have_tmux(), reason="tmux is not installed (.ci/run installs it)"),
]

SGR = re.compile(rb"\x1b\[([0-9;:]*)m")


def colour_parameters(output: bytes) -> list[str]:
    """The colour parameters of every SGR sequence: 30-39, 40-49, 90-97, 100-107 and the
    extended 38/48 forms (with what follows them)."""
    found = []
    for match in SGR.finditer(output):
        params = match.group(1).decode().replace(":", ";").split(";")
        i = 0
        while i < len(params):
            p = int(params[i]) if params[i].isdigit() else 0
            if p in (38, 48, 58):
                found.append(";".join(params[i:]))
                break
            if 30 <= p <= 49 or 90 <= p <= 97 or 100 <= p <= 107:
                found.append(str(p))
            i += 1
    return found


def browse(term: Terminal) -> None:
    """Every pane, a record, a search with hits and its detail, the help."""
    term.wait_for("Founders", timeout=30)
    for key, shown in (("2", "sorted by"), ("j", ""), ("Enter", "member:"), ("3", "Quotes ·"), ("4", "Timeline ·")):
        term.send(key)
        if shown:
            term.wait_for(shown, timeout=20)
    term.send("5")
    term.wait_for("Search members", timeout=20)
    term.type("open source")
    term.wait_for(" hits in ", timeout=30)
    term.send("Enter", "Enter")
    term.send("?")
    term.wait_quiet()
    term.send("Escape")
    term.wait_quiet()


@pytest.fixture
def run(tmp_path: Path):  # type: ignore[no-untyped-def]
    terminals: list[Terminal] = []

    def start(term_name: str, **env: str) -> Terminal:
        terminal = Terminal(tmp_path, width=100, height=30, term=term_name)
        terminals.append(terminal)
        # TERM exported in the pane's shell: tmux gives the pane its own TERM otherwise
        # (tmux-256color), whatever Terminal(term=...) asks for.
        terminal.start(alliance_command(), env={**clean_env(tmp_path), "TERM": term_name, **env})
        return terminal

    yield start
    for terminal in terminals:
        terminal.close()


def test_colour_parameters_are_found() -> None:
    assert colour_parameters(b"\x1b[1;38;2;1;2;3m\x1b[0m\x1b[7m\x1b[31;49m") == ["38;2;1;2;3", "31", "49"]
    assert colour_parameters(b"\x1b[1m\x1b[2;4;7m\x1b[0m") == []


def test_no_color_sends_no_colour_codes(run) -> None:  # type: ignore[no-untyped-def]
    term = run("xterm-256color", NO_COLOR="1")
    browse(term)
    output = term.output()
    assert SGR.search(output), "no SGR at all: nothing was drawn?"
    found = colour_parameters(output)
    assert not found, f"{len(found)} colour parameters sent under NO_COLOR, e.g. {found[:10]}"
    assert b"\x1b[7m" in output or re.search(rb"\x1b\[[0-9;]*;7[;m]", output), "no reverse video: cursor invisible"
    term.send("q")
    term.wait_for("__EXIT__0")


def test_linux_console_gets_glyphs_of_its_font(run) -> None:  # type: ignore[no-untyped-def]
    term = run("linux")
    browse(term)
    text = SGR.sub(b"", term.output()).decode("utf-8", "replace")
    for glyph in "⏎▊▔╸╺━▏▁▆":
        assert glyph not in text, f"{glyph!r} sent to the Linux console"
    foreign = {c for c in text if not c.isascii() and c not in CP437 and not 0xA0 <= ord(c) <= 0xFF and not c.isalpha()}
    assert not foreign, f"glyphs the Linux console lacks: {sorted(foreign)}"
    screen = term.screen()
    assert "enter Open" in screen or "enter" in screen.lower()
    term.send("q")
    term.wait_for("__EXIT__0")
