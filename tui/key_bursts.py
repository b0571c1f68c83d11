"""Keys that arrive together: Esc and the next key read as one `alt+` key.

A terminal sends Esc as the byte ESC, and Alt+X as ESC followed by X. Textual's parser
tells them apart by time: ESC with nothing after it within ESCAPE_DELAY is Esc. Over a
laggy SSH link, or when the explorer waits for the CPU, Esc and the next key arrive in one
read and come out as one `alt+X`, which the explorer binds to nothing: both keys were lost
(Esc then `3` did neither). Such a key is taken apart again into the two the user typed.
"""

from __future__ import annotations

from textual import events
from textual._ansi_sequences import ANSI_SEQUENCES_KEYS
from textual.keys import _character_to_key

# Textual reads ESC then a digit (and § - =) as the character macOS's Option key makes of it
# ("\x1b3" is "£", "\x1b2" is "™"): Esc then `3` read together came out as one `£`, which
# nothing binds, so both keys were lost. The pane keys are digits.
_OPTION_CHARACTERS = "1234567890§-="


def read_escape_digit_as_alt() -> None:
    """Make the parser report ESC+digit as `alt+digit` (which split_alt takes apart), not as
    an Option-key character. Once per process; the table is Textual's, shared."""
    for char in _OPTION_CHARACTERS:
        sequence = "\x1b" + char
        value = ANSI_SEQUENCES_KEYS.get(sequence)
        if isinstance(value, str) and not value.isascii():
            del ANSI_SEQUENCES_KEYS[sequence]


def split_alt(event: events.Key) -> tuple[events.Key, events.Key] | None:
    """Esc and the key after it, for an `alt+` key that carries one printable character
    (None for any other key: Alt+Backspace and friends stay what they are)."""
    if not event.key.startswith("alt+") or event.character is None or len(event.character) != 1:
        return None
    char = event.character
    if not char.isprintable():
        return None
    escape = events.Key("escape", "\x1b")
    key = events.Key(char if char.isalnum() else _character_to_key(char), char)
    # In the order typed: Esc first (App._on_key compares these times with a pane switch's).
    escape.time, key.time = event.time - 1e-6, event.time
    return escape, key
