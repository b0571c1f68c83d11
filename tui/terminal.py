"""What the explorer and the CLI need from the terminal they run in.

- Encodings: in a terminal whose encoding is not UTF-8 (ISO-8859-1, ASCII), text that
  cannot be encoded is written as ASCII look-alikes (box drawing, blocks, arrows, quotes,
  ellipsis), with the cell width kept, or `?`, never as `\\u2501` escapes or a crash.
  This is a codec error handler on the output streams, so UTF-8 output pays nothing.
- The explorer's terminal: TERM=dumb is refused; when stderr (where Textual draws) is
  not the terminal, the UI is drawn on stdout's terminal for the app's lifetime.
- The explorer's driver: Textual's LinuxDriver, except that a SIGCONT that follows no
  suspension (`kill -CONT`) is ignored: Textual restarted the terminal mode for it and
  left a second input thread behind, and the app hung at exit.

Imported by the CLI before anything is written, so it imports nothing heavy at the top.
"""

from __future__ import annotations

import codecs
import os
import sys
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from functools import partial
from typing import Any

ERROR_HANDLER = "alliance-ascii"
# The same, with each substitute exactly as wide as its character (the explorer's screen,
# where a wider one would push the rest of the line out of place).
CELL_ERROR_HANDLER = "alliance-ascii-cells"

# Look-alikes for characters the explorer and the CLI write. Box drawing, blocks and
# shades are handled by family below; these are the rest.
ASCII_SUBSTITUTES = {
    "…": "...",
    "→": "->",
    "←": "<-",
    "↑": "^",
    "↓": "v",
    "⏎": "<",
    "‘": "'",
    "’": "'",
    "‚": ",",
    "“": '"',
    "”": '"',
    "„": '"',
    "–": "-",
    "—": "-",
    "−": "-",
    "·": "-",
    "•": "*",
    "●": "*",
    "○": "o",
    "◆": "*",
    "◇": "o",
    "✓": "v",
    "✔": "v",
    "✗": "x",
    "★": "*",
    "☆": "*",
    "▶": ">",
    "◀": "<",
    "▲": "^",
    "▼": "v",
    "❱": ">",
    "\u00a0": " ",
    "\u2009": " ",
    "\u200b": "",
}

# Which counts as a vertical, horizontal or corner line in the Box Drawing block.
_VERTICAL = set("│┃║╎╏┆┇┊┋╽╿▏▕▎▍▌▐")
_HORIZONTAL = set("─━═╌╍┄┅┈┉╴╶╸╺╼╾▔▁")

_substituted = 0  # how many characters were replaced, for the notice at exit


def ascii_substitute(char: str, *, exact: bool = False) -> str:
    """An ASCII look-alike for `char`, at least as wide (in terminal cells) as the
    character; with exact=True, exactly as wide ("…" is "..." or, exact, ".")."""
    text = ASCII_SUBSTITUTES.get(char)
    if text is None:
        code = ord(char)
        if char in _VERTICAL:
            text = "|"
        elif char in _HORIZONTAL:
            text = "-"
        elif 0x2500 <= code <= 0x257F:  # other box drawing: corners and crossings
            text = "+"
        elif 0x2580 <= code <= 0x259F:  # blocks and shades (scrollbars, sparklines)
            text = "#"
        elif unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
            text = ""
        else:
            decomposed = unicodedata.normalize("NFKD", char)
            base = "".join(c for c in decomposed if not unicodedata.combining(c))
            text = base if base and base.isascii() and base.isprintable() else "?"
    cells = _cells(char)
    return text[:cells].ljust(cells) if exact else text.ljust(cells)


def _cells(char: str) -> int:
    """Terminal cells of one character (wide CJK and emoji take two)."""
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _substitutes(error: UnicodeError, *, exact: bool) -> tuple[str, int]:
    global _substituted
    if not isinstance(error, UnicodeEncodeError):
        raise error
    chunk = error.object[error.start : error.end]
    _substituted += len(chunk)
    out = []
    for char in chunk:
        sub = ascii_substitute(char, exact=exact)
        try:
            sub.encode(error.encoding)
        except (UnicodeError, LookupError):
            sub = "?" * len(sub)
        out.append(sub)
    return "".join(out), error.end


codecs.register_error(ERROR_HANDLER, lambda error: _substitutes(error, exact=False))
codecs.register_error(CELL_ERROR_HANDLER, lambda error: _substitutes(error, exact=True))


def is_utf8(encoding: str | None) -> bool:
    """Whether text in `encoding` can hold every character (a UTF-8 terminal)."""
    try:
        return codecs.lookup(encoding or "ascii").name in ("utf-8", "utf-8-sig")
    except LookupError:
        return False


def narrow_encoding() -> str | None:
    """The output encoding if it is not UTF-8 (so some characters need substitutes)."""
    for stream in (sys.stdout, sys.__stderr__):
        encoding = getattr(stream, "encoding", None)
        if stream is not None and encoding and not is_utf8(encoding):
            return encoding
    return None


def adapt_streams() -> None:
    """In a non-UTF-8 locale, write what cannot be encoded as ASCII look-alikes (on stdout,
    stderr and the stream Textual draws on), and say so once at exit if anything was."""
    import atexit

    if narrow_encoding() is None:
        return
    for stream in {id(s): s for s in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__)}.values():
        if stream is not None and hasattr(stream, "reconfigure") and not is_utf8(getattr(stream, "encoding", None)):
            with suppress(ValueError, OSError):  # e.g. a closed stream
                stream.reconfigure(errors=ERROR_HANDLER)
    atexit.register(_notice)


def encoding_notice() -> str:
    """The one-line notice about a non-UTF-8 terminal ('' in a UTF-8 one)."""
    encoding = narrow_encoding()
    if encoding is None:
        return ""
    name = codecs.lookup(encoding).name
    from .messages import _  # index.i18n's, without importing `index` when English is sure

    return _("the terminal's encoding ({name}) is not UTF-8: characters it lacks are shown as ASCII").format(name=name)


def _notice() -> None:
    if _substituted and sys.stderr is not None:
        with suppress(OSError, ValueError):
            from .messages import _  # index.i18n's, without importing `index` when English is sure

            print(_("alliance: note: {notice}").format(notice=encoding_notice()), file=sys.stderr, flush=True)


# -- the explorer's terminal ----------------------------------------------------------


def terminal_problem(environ: dict[str, str] | os._Environ[str] | None = None) -> str | None:
    """Why the explorer cannot draw in this terminal, or None.

    TERM=dumb (Emacs shell buffers, some CI logs) cannot move the cursor. An unset TERM is
    let through: a real terminal that lost its TERM (`env -i`) still speaks VT100, which is
    all Textual assumes.
    """
    env = os.environ if environ is None else environ
    if env.get("TERM", "").strip().lower() == "dumb":
        from .messages import _  # index.i18n's, without importing `index` when English is sure

        return _("this terminal (TERM=dumb) cannot show the explorer; for scripts use list, show or search")
    return None


def _same_terminal(fd_a: int, fd_b: int) -> bool:
    try:
        a, b = os.fstat(fd_a), os.fstat(fd_b)
    except OSError:
        return False
    return os.isatty(fd_a) and os.isatty(fd_b) and (a.st_rdev, a.st_ino) == (b.st_rdev, b.st_ino)


@contextmanager
def ui_on_terminal() -> Iterator[None]:
    """While the explorer runs: its output on the terminal, in the terminal's encoding.

    Textual draws on stderr: if fd 2 is not stdout's terminal (`alliance 2>log`), fd 2 is
    made that terminal, and given back afterwards, so that messages after the UI (a data
    report) still reach the log. The caller checked that stdout is a terminal. In a
    non-UTF-8 terminal, characters it lacks are drawn as ASCII of the same width.
    """
    # With `2>&-` Python starts with no sys.__stderr__, and the CLI has made fd 2 /dev/null
    # and sys.stderr a stream on it: lend it to Textual, which draws on sys.__stderr__.
    lent = sys.__stderr__ is None
    err = sys.__stderr__ or sys.stderr
    if err is None:
        yield
        return
    if lent:
        sys.__stderr__ = err
    narrow = not is_utf8(getattr(err, "encoding", None))
    if narrow:  # before the dup: reconfiguring asks a stream opened on a file for its position
        err.reconfigure(errors=CELL_ERROR_HANDLER)  # type: ignore[union-attr]
    out_fd, err_fd = sys.stdout.fileno(), err.fileno()
    saved = None
    if os.isatty(out_fd) and not _same_terminal(out_fd, err_fd):
        err.flush()
        saved = os.dup(err_fd)
        os.dup2(out_fd, err_fd)
    try:
        yield
    finally:
        with suppress(OSError, ValueError):
            err.flush()
        if saved is not None:
            os.dup2(saved, err_fd)
            os.close(saved)
        if narrow:
            with suppress(OSError, ValueError):
                err.reconfigure(errors=ERROR_HANDLER)  # type: ignore[union-attr]
        if lent:
            sys.__stderr__ = None


def driver_class() -> type[Any] | None:
    """The explorer's terminal driver (None: Textual's choice, e.g. on Windows)."""
    if sys.platform == "win32" or os.environ.get("TEXTUAL_DRIVER"):
        return None  # Windows, or a driver chosen by the user
    from textual.drivers import linux_driver
    from textual.drivers.linux_driver import LinuxDriver

    # Keys are read in the terminal's encoding, and a byte that does not decode is U+FFFD:
    # LinuxDriver decodes strict UTF-8, so an accented letter typed in an ISO-8859-1
    # terminal (or an 8-bit Alt key) ended the app with UnicodeDecodeError.
    stdin_encoding = getattr(sys.__stdin__, "encoding", None) or "utf-8"
    encoding = "utf-8" if is_utf8(stdin_encoding) else codecs.lookup(stdin_encoding).name

    def lenient_decoder(_requested: str) -> Callable[[], codecs.IncrementalDecoder]:
        return partial(codecs.getincrementaldecoder(encoding), errors="replace")

    linux_driver.getincrementaldecoder = lenient_decoder  # type: ignore[assignment]

    class AllianceDriver(LinuxDriver):
        """LinuxDriver that resumes only from a suspension of its own (see the module doc)."""

        _suspended = False

        def _sigtstp_application(self, *args: Any) -> None:
            if self._auto_restart:
                self._suspended = True
            super()._sigtstp_application(*args)

        def _sigcont_application(self, *args: Any) -> None:
            if not self._suspended:
                return  # a SIGCONT without a stop: the terminal mode is still ours
            self._suspended = False
            super()._sigcont_application(*args)

    return AllianceDriver
