"""Problems found in a dataset, and the error that carries them all."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from .frozen import frozen


@frozen(order=True)
class Problem:
    """One thing wrong with the data, located as precisely as known.

    Sorting orders problems by file, then line, then column.
    """

    file: str
    line: int = 0
    column: int = 0
    message: str = ""

    def __str__(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        # File names come from the file system and may hold anything: escape, never echo.
        return inert(f"{where}: {self.message}" if where else self.message)


# Compiled when a problem is first shown (~0.4 ms that every command would pay at import).
@functools.cache
def _unsafe() -> re.Pattern[str]:
    return re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def inert(text: str) -> str:
    """Text safe for a terminal: control and bidi-override characters shown as escapes."""
    return _unsafe().sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


class DataError(Exception):
    """The dataset could not be loaded; `problems` lists every reason, sorted."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for the closest choice, or ''."""
    import difflib  # only when a value is wrong: every command imports this module

    match = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {match[0]!r}?)" if match else ""
