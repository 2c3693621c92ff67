"""Reporting years: 1 April to 31 March, written "2025-26", as the DfE counts them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_YEAR = re.compile(r"(\d{4})-(\d{2})")


@dataclass(frozen=True, order=True)
class ReportingYear:
    """1 April of `first` to 31 March of the year after, written "2025-26"."""

    first: int

    @classmethod
    def parse(cls, text: str) -> ReportingYear:
        """ "2025-26" as a reporting year; ValueError for anything else (including "2025-27")."""
        match = _YEAR.fullmatch(text.strip())
        if not match or (int(match[1]) + 1) % 100 != int(match[2]):
            raise ValueError(f"{text!r} is not a reporting year: write the year as 2025-26")
        return cls(int(match[1]))

    @classmethod
    def containing(cls, day: date) -> ReportingYear:
        return cls(day.year if day.month >= 4 else day.year - 1)

    @property
    def start(self) -> date:
        return date(self.first, 4, 1)

    @property
    def end(self) -> date:
        """31 March: the reference date of the year's statistics."""
        return date(self.first + 1, 3, 31)

    @property
    def previous(self) -> ReportingYear:
        return ReportingYear(self.first - 1)

    @property
    def label(self) -> str:
        return f"{self.first}-{(self.first + 1) % 100:02d}"

    def __str__(self) -> str:
        return self.label

    def holds(self, day: date | None) -> bool:
        return day is not None and self.start <= day <= self.end

    def within(self, day: date | None) -> date | None:
        """`day` if it falls in the year, else None: what the census may say of that date."""
        return day if self.holds(day) else None

    def reference_date(self, today: date) -> date:
        """31 March for a year that is over; `today` for the year still running, so the live
        figures count what has happened so far rather than reviews that are not yet late."""
        return min(self.end, today)
