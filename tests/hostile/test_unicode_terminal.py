"""Valid but unusual text in a REAL terminal (tmux): zero-width characters, combining marks,
wide CJK, emoji ZWJ sequences and flags, plus printable look-alikes of escape sequences.

The explorer must show them, keep answering keys at 100x30 and 40x12, and write to the terminal
nothing but well-formed escape sequences of its own: no clipboard write (OSC 52), and no data
text inside any escape sequence. `terminal.output()` is every byte the app wrote (pipe-pane).
"""

from __future__ import annotations

import re
import shlex
import time
import unicodedata
from pathlib import Path

import pytest

# tests/ is on sys.path (pytest puts the folder above this package there): the e2e harness.
from e2e.harness import Terminal, alliance_command, clean_env, have_tmux

from .helpers import MARKUP, run_cli, scan_terminal_output, write_dataset

pytestmark = pytest.mark.skipif(not have_tmux(), reason="tmux is not installed (.ci/run installs it)")

CJK = "数据联盟"
# Printable text that looks like the payloads of escape sequences: shown as text, never as codes.
LOOKALIKES = "marker-osc ]52;c;aGVsbG8= marker-csi [2J marker-c1 ^[[31m"
VALUES = {
    "member.acme.name": f"Acme {CJK} 👩\u200d💻 🇨🇭 Labs",
    "member.acme.summary": f"zero\u200bwidth join\u200djoined cafe\u0301 {LOOKALIKES} {CJK} {MARKUP}",
    "member.acme.region": "Zu\u0308rich",
    "quote.q-acme.text": f"引用 {CJK} quote 🇨🇭 e\u0301",
    "event.launch.title": f"Launch 🚀 {CJK}",
}
MARKERS = ("marker-osc", "marker-csi", "marker-c1", "aGVsbG8=", CJK, "zanzibar")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def wait_output_grows(terminal: Terminal, before: int, timeout: float = 10.0) -> None:
    """The app drew something after a key: it is alive and answering."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if terminal.bytes_written() > before:
            return
        time.sleep(0.05)
    raise AssertionError(f"nothing drawn {timeout} s after the key; screen:\n{terminal.screen()}")


def check_output(raw: bytes) -> None:
    sequences, problems = scan_terminal_output(raw)
    assert not problems, problems[:5]
    assert sequences, "no escape sequences at all: was the app drawn?"
    for sequence in sequences:
        for marker in MARKERS:
            assert marker not in sequence, f"data text inside an escape sequence: {sequence!r}"
        assert not sequence.startswith("\x1b]52"), f"clipboard write (OSC 52) without y: {sequence!r}"
    assert b"\x1b]52" not in raw
    for payload in (b"aGVsbG8=", b"[2J marker", b"[31m"):
        for match in re.finditer(re.escape(payload), raw):
            assert b"\x1b" not in raw[max(0, match.start() - 8) : match.start()], raw[match.start() - 20 : match.end()]
    text = raw.decode("utf-8", "replace")
    assert "\ufffd" not in text, "output is not valid UTF-8"


def test_unusual_unicode_validates(tmp_path: Path) -> None:
    write_dataset(tmp_path / "data", VALUES)
    done = run_cli("validate", "--data", "data", tmp=tmp_path)
    assert done.returncode == 0, done.stderr.decode()


@pytest.mark.e2e
@pytest.mark.parametrize(("width", "height"), [(100, 30), (40, 12)], ids=["100x30", "40x12"])
def test_unicode_in_a_real_terminal(tmp_path: Path, width: int, height: int) -> None:
    data = write_dataset(tmp_path / "data", VALUES)
    terminal = Terminal(tmp_path, width=width, height=height)
    try:
        terminal.start(f"{alliance_command()} --data {shlex.quote(str(data))}", env=clean_env(tmp_path))
        terminal.wait_for("Hostile Alliance", timeout=30)

        terminal.send("2")
        screen = terminal.wait_all("Members · 3 of 3", CJK)
        assert "🇨🇭" in screen and "👩" in screen, screen
        assert "\x1b" not in screen

        terminal.wait_quiet()
        before = terminal.bytes_written()
        terminal.send("j")  # the cursor moves: the screen is redrawn
        wait_output_grows(terminal, before)
        if width >= 90:  # wide: the opened member's detail shows beside the list
            terminal.send("Enter")
            terminal.wait_for("member:nasa")
            terminal.send("Escape")  # alone: ESC and k in one read are Alt+k
            terminal.wait_quiet()
            terminal.send("k", "Enter")  # open the first: the detail takes the focus, j scrolls it
            terminal.wait_for("member:acme")
            for _ in range(40):  # down to the summary
                if "marker-c1" in terminal.screen():
                    break
                terminal.send("j")
            screen = nfc(terminal.wait_all("marker-c1", "rich"))
            assert "Zürich" in screen and "café" in screen, screen  # combining marks, as composed text
            assert "]52;c;aGVsbG8=" in screen.replace("\n", "")  # the look-alike, shown as text
            terminal.send("Escape")
        else:  # narrow: Enter opens the detail in place of the list
            terminal.send("k", "Enter")
            screen = nfc(terminal.wait_all("member:acme", CJK))
            terminal.send("Escape")

        terminal.send("/")
        terminal.wait_for("Search ready", timeout=30)
        terminal.type(CJK)
        screen = terminal.wait_all("3 hits in", "member   ", CJK, timeout=15)  # member, quote, event
        assert "Acme" in screen
        for _ in CJK:  # erase the query, character by character
            terminal.send("BSpace")
        terminal.wait_for("Search ready", timeout=15)
        terminal.type("zanzibar")  # the member's alias, ASCII
        terminal.wait_all("1 hit in", "member   ", timeout=15)
        terminal.send("Escape")  # alone: ESC and 4 in one read are Alt+4
        terminal.wait_quiet()
        terminal.send("4")  # leave the box (to the results), then the timeline
        terminal.wait_all("Timeline · 2 events", CJK)
        assert "🚀" in terminal.screen()

        terminal.send("q")
        terminal.wait_for("__EXIT__0")
        assert terminal.display("#{alternate_on}") == "0"
        check_output(terminal.output())
    finally:
        terminal.close()


@pytest.mark.parametrize(
    "raw",
    [
        b"text \x1b]52;c;aGVsbG8=\x07 more",  # a clipboard write
        "text \u009b31m more".encode(),  # a C1 control sequence introducer, as UTF-8
        b"text \x07 more",  # a bell outside any sequence
        b"text \x1b[2J marker-csi",  # the look-alike "[2J marker" right after a real ESC
    ],
    ids=["osc52", "c1-csi", "stray-bell", "csi-before-marker"],
)
def test_the_output_check_catches_injected_sequences(raw: bytes) -> None:
    """The check above is only worth something if it fails on what a hostile dataset would inject."""
    with pytest.raises(AssertionError):
        check_output(b"\x1b[?1049h" + raw)


def test_the_output_check_passes_plain_drawing() -> None:
    check_output(b"\x1b[?1049h\x1b[1;1H\x1b[38;2;1;2;3mHostile \xe6\x95\xb0 marker-csi [2J\x1b[0m\x1b]22;default\x1b\\")
