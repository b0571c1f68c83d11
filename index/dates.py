"""Partial dates: a full date, or only a month or a year, kept as written."""

from __future__ import annotations

import datetime as _dt
import re

from .frozen import frozen

_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2}))?$")


def year_text(year: int) -> str:
    """A year as shown and indexed: always 4 digits ('0999'), as dates are written in the data."""
    return f"{year:04d}"


@frozen(order=True, slots=True)
class PartialDate:
    """A date known to the day, the month or only the year.

    Ordering puts a partial date at the start of its period, so "2024-05" sorts
    before 2024-05-03 and "2024" before any day of 2024.
    """

    year: int
    month: int = 0  # 0: unknown
    day: int = 0  # 0: unknown

    @property
    def start(self) -> _dt.date:
        """The first day of the period this date covers."""
        return _dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def precision(self) -> str:
        """'day', 'month' or 'year'."""
        return "day" if self.day else "month" if self.month else "year"

    def __str__(self) -> str:
        if self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    def human(self) -> str:
        """A readable form: '5 Dec 2023', 'May 2024' or '2023' (years before 1000: '0999')."""
        if self.day:
            return f"{self.day} {self.start.strftime('%b')} {year_text(self.year)}"
        if self.month:
            return f"{self.start.strftime('%b')} {year_text(self.year)}"
        return year_text(self.year)

    @classmethod
    def from_date(cls, value: _dt.date) -> PartialDate:
        return cls(value.year, value.month, value.day)


def parse_partial_date(value: object) -> PartialDate:
    """Turn a TOML date or a "YYYY-MM"/"YYYY" string into a PartialDate.

    Raises ValueError with a message fit for users on anything else.
    """
    if isinstance(value, _dt.datetime):
        raise ValueError(f"{value.isoformat()!r} has a time of day; write a date such as 2023-12-05")
    if isinstance(value, _dt.date):
        return PartialDate.from_date(value)
    if isinstance(value, str):
        match = _PARTIAL.match(value)
        if match:
            year, month = int(match.group(1)), int(match.group(2) or 0)
            if year < 1:
                raise ValueError(f"{value!r} is not a valid year")
            if month > 12 or match.group(2) == "00":
                raise ValueError(f"{value!r} is not a valid month")
            return PartialDate(year, month)
        try:
            _dt.date.fromisoformat(value)
        except ValueError:
            pass
        else:
            raise ValueError(f"{value!r} is a full date written as a string; write it without quotes")
        raise ValueError(f'{value!r} is not a date (use 2023-12-05, "2023-12" or "2023")')
    raise ValueError(f"expected a date, got {type(value).__name__}")
