"""Drive a program in a real terminal emulator: tmux runs it, send-keys types, capture-pane reads.

Each session uses its own tmux server (a private socket), so tests never touch
the user's tmux and can run side by side. `pipe-pane` records every byte the
program writes to the terminal, which is what would cross an SSH link.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def have_tmux() -> bool:
    return shutil.which("tmux") is not None


class Timeout(AssertionError):
    """The screen never showed what we waited for (the message carries the last screen)."""


class Terminal:
    """One tmux server with one window of a fixed size running one shell command."""

    def __init__(self, tmp: Path, *, width: int = 100, height: int = 30, term: str = "xterm-256color") -> None:
        self.socket = f"alliance-e2e-{uuid.uuid4().hex[:10]}"
        self.width, self.height, self.term = width, height, term
        self.log = tmp / f"{self.socket}.out"
        self.log.touch()
        self.started = False

    def tmux(self, *args: str, check: bool = True) -> str:
        done = subprocess.run(
            ["tmux", "-L", self.socket, *args], capture_output=True, text=True, timeout=30, check=False
        )
        if check and done.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args)} failed: {done.stderr.strip()}")
        return done.stdout

    def start(self, command: str, env: dict[str, str] | None = None) -> None:
        """Run `command` through sh in a new window; the shell stays after it exits."""
        exports = "".join(f"export {k}={shlex.quote(v)}; " for k, v in (env or {}).items())
        # `exec sh` keeps a prompt after the program ends, so the tests can see it come back.
        # TERM is exported in the shell too: tmux gives its panes its own default-terminal
        # (tmux-256color) whatever `new-session -e TERM=` says.
        term = f"export TERM={shlex.quote(self.term)}; "
        script = f"unset ALLIANCE_DATA COLUMNS LINES; {term}{exports}{command}; echo __EXIT__$?; PS1='$ ' exec sh"
        self.tmux(
            "-f",
            "/dev/null",
            "new-session",
            "-d",
            "-x",
            str(self.width),
            "-y",
            str(self.height),
            "-e",
            f"TERM={self.term}",
            "sh",
            "-c",
            script,
        )
        self.tmux("set-option", "-g", "status", "off")
        self.tmux("pipe-pane", "-o", f"cat >> {shlex.quote(str(self.log))}")
        self.started = True

    def screen(self) -> str:
        return self.tmux("capture-pane", "-p")

    def send(self, *keys: str, delay: float = 0.05) -> None:
        """Send tmux key names ('j', 'Enter', 'Escape', 'C-q'), one at a time like a person."""
        for key in keys:
            self.tmux("send-keys", key)
            # A key right after Esc within ESCDELAY (0.1 s) would read as Alt+key, as in any terminal.
            time.sleep(max(delay, 0.25) if key == "Escape" else delay)

    def type(self, text: str, delay: float = 0.06) -> None:
        for char in text:
            self.tmux("send-keys", "-l", char)
            time.sleep(delay)

    def wait_for(self, text: str, timeout: float = 15.0, *, gone: bool = False) -> str:
        """Poll the screen until `text` shows (or, with gone=True, disappears)."""
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if (text in screen) != gone:
                return screen
            time.sleep(0.05)
        what = "still there" if gone else "never appeared"
        raise Timeout(f"{text!r} {what} after {timeout} s; screen:\n{screen}")

    def wait_all(self, *texts: str, timeout: float = 15.0) -> str:
        """Poll until every text is on the screen at the same time."""
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if all(t in screen for t in texts):
                return screen
            time.sleep(0.05)
        missing = [t for t in texts if t not in screen]
        raise Timeout(f"{missing!r} never appeared after {timeout} s; screen:\n{screen}")

    def wait_quiet(self, quiet: float = 0.4, timeout: float = 10.0) -> None:
        """Wait until the program has written nothing for `quiet` seconds."""
        deadline = time.monotonic() + timeout
        size = -1
        stable_since = time.monotonic()
        while time.monotonic() < deadline:
            now = self.bytes_written()
            if now != size:
                size, stable_since = now, time.monotonic()
            elif time.monotonic() - stable_since >= quiet:
                return
            time.sleep(0.05)

    def display(self, fmt: str) -> str:
        return self.tmux("display-message", "-p", fmt).strip()

    def bytes_written(self) -> int:
        return self.log.stat().st_size

    def output(self) -> bytes:
        return self.log.read_bytes()

    def pane_pid(self) -> int:
        return int(self.display("#{pane_pid}"))

    def close(self) -> None:
        if self.started:
            self.tmux("kill-server", check=False)
            self.started = False


def alliance_command() -> str:
    """The installed console script of the venv running the tests."""
    import sys

    script = Path(sys.executable).with_name("alliance")
    return shlex.quote(str(script)) if script.exists() else f"{shlex.quote(sys.executable)} -m tui"


def clean_env(tmp: Path) -> dict[str, str]:
    """Caches and config in tmp; no ALLIANCE_DATA from the outside."""
    cache = tmp / "cache"
    config = tmp / "config"
    cache.mkdir(exist_ok=True)
    config.mkdir(exist_ok=True)
    return {"ALLIANCE_CACHE": str(cache), "ALLIANCE_CONFIG": str(config), "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}


OVERVIEW_TEXT = "Founders"


@contextmanager
def explorer_on_overview(tmp: Path, *, width: int = 100, height: int = 30) -> Iterator[Terminal]:
    """The explorer on the bundled data in a fresh tmux, its Overview drawn; closed after."""
    terminal = Terminal(tmp, width=width, height=height)
    try:
        terminal.start(alliance_command(), env=clean_env(tmp))
        terminal.wait_for(OVERVIEW_TEXT)
        yield terminal
    finally:
        terminal.close()


def readable(screen: str) -> None:
    """The screen is text people can read: no escape debris, the header is there."""
    assert "\x1b" not in screen
    assert "AI Alliance" in screen
    assert not re.search(r"\[\d+(;\d+)*m", screen), "raw SGR codes on screen"


def run_scenarios(term: Terminal) -> None:
    """Overview, a member, a typo search, a quote to its member and back, help, quit."""
    from index import bundled_data_dir, load_dataset

    members = sorted(load_dataset(bundled_data_dir()).members, key=lambda m: m.name.casefold())
    listed = f"Members · {len(members)} of {len(members)}"
    screen = term.wait_for(OVERVIEW_TEXT)
    readable(screen)
    assert f"{len(members)} members listed" in screen, screen

    # Members: open one (the third by name).
    term.send("2")
    term.wait_for(listed)
    term.send("j", "j", "Enter")
    term.wait_all(f"member:{members[2].id}", members[2].name[:30])

    # Live search for a typo, open the hit.
    term.send("/")
    term.wait_for("Search ready", timeout=30)
    term.type("nasaa")
    term.wait_all("did you mean: nasa", "National Aeronautics and Space")
    term.send("Enter", delay=0.3)  # to the results
    term.send("Enter")  # open the first hit
    term.wait_all(listed, "member:nasa")

    # A quote, to its member, and back.
    term.send("3")
    term.wait_for("Quotes · ")
    term.send("Enter")  # the first quote: Krishna (IBM); the cursor starts on its first link, the member
    term.wait_all("quote:launch-ibm-krishna", "→ IBM")
    term.send("Enter")
    term.wait_all(listed, "member:ibm")
    term.send("[")
    term.wait_all("Quotes · 89", "quote:launch-ibm-krishna")

    # Help lists the keys; Esc closes it.
    term.send("?")
    term.wait_all("Keys", "Back", "Quotes pane")  # the focused list's keys first, then its pane's
    term.send("G")  # the app's keys come last
    term.wait_all("Previous hit", "Next hit")
    term.send("Escape")
    term.wait_for("Quotes pane", gone=True)  # the help closed (n/N stay in the footer: there are hits)

    # q quits: the shell prompt is back and the terminal is sane. Esc first closes the
    # detail; q only once it has: ESC and q read together are Alt+q (the terminal's meta
    # prefix), which a loaded machine's slow reads made of them.
    term.send("Escape")
    term.wait_for("p Preview")  # the list has the focus again
    term.send("q")
    term.wait_for("__EXIT__0")
    assert term.display("#{alternate_on}") == "0", "alternate screen not left"
    assert term.display("#{cursor_flag}") == "1", "cursor left hidden"


def burst(term: Terminal, *keys: str) -> None:
    """Send several tmux key names in ONE send-keys call, so the program reads them together
    (a paste, a fast typist, a laggy SSH link); Terminal.send waits between keys."""
    term.tmux("send-keys", *keys)
