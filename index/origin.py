"""Where a record was written: file (as shown to users) and line."""

from __future__ import annotations

from .frozen import frozen


@frozen(slots=True)
class Origin:
    """Where a record was written: file (as shown to users) and line."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


NOWHERE = Origin("", 0)
