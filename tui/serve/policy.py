"""What a remote client may ask of a served explorer: pure functions, tested without a network.

A client chooses nothing on the server but its terminal (type, size, colours, language) and,
in an exec request, one read-only command with its words. Everything else (the data folder,
the cache, the code that runs) is the server's.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping

from ..messages import _

# Read-only subcommands an exec request may run (`ssh host search nasa --json`).
EXEC_COMMANDS = ("search", "show", "list", "validate")
# The client's environment variables a session receives; nothing else of it.
CLIENT_ENV = ("TERM", "COLORTERM", "NO_COLOR", "LANG")
DEFAULT_TERM = "xterm-256color"
DEFAULT_SIZE = (80, 24)
# A terminal larger than this is drawn at this size: Textual keeps a cell per character, and a
# 10000x10000 request would be 100 million of them.
MAX_COLUMNS, MAX_ROWS = 500, 200
# An exec request longer than this is refused before it is parsed.
MAX_COMMAND = 4096

_TERM = re.compile(r"[A-Za-z0-9][A-Za-z0-9._+-]{0,63}")
_LANG = re.compile(r"[A-Za-z0-9_.@-]{1,64}")
_COLORTERM = re.compile(r"[A-Za-z0-9_-]{1,32}")


class Refused(Exception):
    """A request the server does not run: its one-line message goes to the client (exit 2)."""


def exec_argv(command: str) -> list[str]:
    """The `alliance` arguments an exec request runs, or Refused.

    Allowed: one of EXEC_COMMANDS (optionally after the word `alliance`) and its words, split
    as a POSIX shell would split them, but never run by a shell. Refused: anything else, a
    global option before the subcommand, and `--data` (or a prefix of it argparse would
    accept): the data folder is the server's.
    """
    if len(command) > MAX_COMMAND:
        raise Refused(
            _("command too long ({length} characters; at most {limit})").format(length=len(command), limit=MAX_COMMAND)
        )
    if "\0" in command:
        raise Refused(_("command holds a NUL byte"))
    try:
        words = shlex.split(command)
    except ValueError as exc:
        raise Refused(_("cannot read the command: {error}").format(error=exc)) from None
    if words and words[0] == "alliance":
        words = words[1:]
    allowed = ", ".join(EXEC_COMMANDS)
    if not words:
        raise Refused(_("no command: this server runs only {commands} (or a session: ssh -t)").format(commands=allowed))
    if _names_data(words[0]):
        raise Refused(_("--data is fixed by the server"))
    if words[0].startswith("-"):
        raise Refused(_("options go after the command: this server runs only {commands}").format(commands=allowed))
    if words[0] not in EXEC_COMMANDS:
        raise Refused(
            _("{command} is not served: this server runs only {commands}").format(
                command=repr(words[0]), commands=allowed
            )
        )
    for word in words[1:]:
        if word == "--":
            break
        if _names_data(word):
            raise Refused(_("--data is fixed by the server"))
    return words


def _names_data(word: str) -> bool:
    """`--data`, `--data=…`, or a prefix argparse would expand to it (`--d`, `--dat=…`)."""
    name = word.split("=", 1)[0]
    return len(name) >= 3 and "--data".startswith(name)


def session_env(client: Mapping[str, str], term_type: str | None) -> dict[str, str]:
    """The four variables a session takes from the client, checked: TERM (from the pty
    request, else the env request), COLORTERM, NO_COLOR, LANG. A value that is not a plain
    name is dropped (TERM falls back to xterm-256color); nothing else of the client's
    environment is read."""
    env: dict[str, str] = {}
    term = term_type or client.get("TERM", "")
    env["TERM"] = term if _TERM.fullmatch(term) else DEFAULT_TERM
    colorterm = client.get("COLORTERM", "")
    if _COLORTERM.fullmatch(colorterm):
        env["COLORTERM"] = colorterm
    if client.get("NO_COLOR"):  # any non-empty value means "no colour" (no-color.org)
        env["NO_COLOR"] = "1"
    lang = client.get("LANG", "")
    if _LANG.fullmatch(lang):
        env["LANG"] = lang
    return env


def clamp_size(columns: int, rows: int) -> tuple[int, int]:
    """The terminal size a session is given: 0 (unknown) becomes 80x24 per side; at most
    MAX_COLUMNS x MAX_ROWS."""
    columns = columns if columns > 0 else DEFAULT_SIZE[0]
    rows = rows if rows > 0 else DEFAULT_SIZE[1]
    return min(columns, MAX_COLUMNS), min(rows, MAX_ROWS)


def shown(command: str, limit: int = 60) -> str:
    """A client's command as a log line shows it: printable, one line, at most `limit`."""
    text = "".join(ch if ch.isprintable() else "?" for ch in command)
    return text if len(text) <= limit else text[: limit - 1] + "…"
