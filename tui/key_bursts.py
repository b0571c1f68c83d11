"""Keys that arrive together: Esc and the next key read as one `alt+` key.

A terminal sends Esc as the byte ESC, and Alt+X as ESC followed by X. Textual's parser
tells them apart by time: ESC with nothing after it within ESCAPE_DELAY is Esc. Over a
laggy SSH link, or when the explorer waits for the CPU, Esc and the next key arrive in one
read and come out as one `alt+X`, which the explorer binds to nothing: both keys were lost
(Esc then `3` did neither). Such a key is taken apart again into the two the user typed.
"""

from __future__ import annotations

import string

from textual import events
from textual._ansi_sequences import ANSI_SEQUENCES_KEYS
from textual.keys import _character_to_key

# After ESC, "[" and "O" begin the terminal's own sequences (arrows, function keys, mouse,
# reports): those must be read on. Any other key after ESC ends the pair.
_INTRODUCERS = "[O"

# Textual's readline pair: ESC b / ESC f are Alt+Left / Alt+Right (macOS Terminal's
# Option+arrows), a word move in a text box. Outside one they are Esc then b / f.
_WORD_MOVES = {"alt+b": "ctrl+left", "alt+f": "ctrl+right"}


class _KeyName:
    """What the parser's table holds for a sequence: something with the key's name as .value
    (a plain class: a dataclass costs about 1% of the instructions to the first frame)."""

    __slots__ = ("value",)

    def __init__(self, value: str) -> None:
        self.value = value


def _alt_name(char: str) -> str:
    """The name Textual gives ESC+char when it reads the two apart in time."""
    if char == "\r":
        return "alt+enter"
    if char.isupper():
        return f"alt+shift+{char.lower()}"
    return f"alt+{char if char.isalnum() else _character_to_key(char)}"


# The key name of each pair below back to the character typed after Esc.
_ALT_CHARACTERS: dict[str, str] = {}


def read_escape_pairs_at_once() -> None:
    """Make the parser report ESC followed by a key as one `alt+` key as soon as it reads
    them (split_alt then takes it apart), rather than reading on.

    Textual's table has no entry for most such pairs, so on ESC+`2` it read on, hoping for a
    longer sequence; when the next Esc of a burst came first, it gave up and reported the
    first Esc as a `^` (ESC 2 j Enter ESC 1: both Escs lost). ESC+digit it read as the
    character macOS's Option key makes ("\\x1b3" is "£"), which nothing binds. Once per
    process; the table is Textual's, shared.
    """
    for char in string.digits + string.ascii_letters + string.punctuation + " \r":
        if char in _INTRODUCERS:
            continue
        sequence = "\x1b" + char
        known = ANSI_SEQUENCES_KEYS.get(sequence)
        if known is not None and not isinstance(known, str) and sequence not in ("\x1bb", "\x1bf"):
            continue  # a key of Textual's own (none today besides the readline pair)
        name = _alt_name(char)
        ANSI_SEQUENCES_KEYS[sequence] = (_KeyName(name),)  # type: ignore[assignment]
        _ALT_CHARACTERS[name] = char


def word_move(event: events.Key) -> str | None:
    """The word move (ctrl+left/right) that an Alt+b / Alt+f means in a text box."""
    return _WORD_MOVES.get(event.key)


def split_alt(event: events.Key) -> tuple[events.Key, events.Key] | None:
    """Esc and the key after it, for an `alt+` key that carries one printable character or
    Enter (None for any other key: Alt+Backspace and friends stay what they are)."""
    if not event.key.startswith("alt+"):
        return None
    char = event.character or _ALT_CHARACTERS.get(event.key)
    if char is None or len(char) != 1:
        return None
    if char == "\r":
        key = events.Key("enter", char)
    elif char.isprintable():
        key = events.Key(char if char.isalnum() else _character_to_key(char), char)
    else:
        return None
    escape = events.Key("escape", "\x1b")
    # In the order typed: Esc first (App._on_key compares these times with a pane switch's).
    escape.time, key.time = event.time - 1e-6, event.time
    return escape, key
