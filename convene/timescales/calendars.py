"""Working-day calendars: which days count, and "N working days after X" without walking.

A working day is Monday to Friday, not a bank holiday of the nation, and not one of the
authority's closure days (`shared/standards/working-days.md`). Bank holidays come from the
GOV.UK data that `govuk-bank-holidays` ships (a cached copy, so this works offline); years
outside that data come from the `holidays` package, which agrees with it where both have data.

Each calendar builds, once, an index of every day in its range: how many working days fall on
or before it, and the ordinal of the k-th working day. Adding N working days is then two list
look-ups, not a loop over the days in between.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Iterable, Mapping
from datetime import date

import holidays as holidays_package
from govuk_bank_holidays.bank_holidays import BankHolidays

FIRST_DAY = date(1970, 1, 1)
LAST_DAY = date(2100, 12, 31)


class Nation(enum.StrEnum):
    """The nations whose bank holidays GOV.UK publishes, by GOV.UK's own names."""

    ENGLAND_AND_WALES = "england-and-wales"
    SCOTLAND = "scotland"
    NORTHERN_IRELAND = "northern-ireland"

    @property
    def label(self) -> str:
        return _NATION_LABELS[self]


_NATION_LABELS = {
    Nation.ENGLAND_AND_WALES: "England and Wales",
    Nation.SCOTLAND: "Scotland",
    Nation.NORTHERN_IRELAND: "Northern Ireland",
}
# The `holidays` package's name for each nation, for years GOV.UK has not published.
_HOLIDAYS_SUBDIVISION = {
    Nation.ENGLAND_AND_WALES: "ENG",
    Nation.SCOTLAND: "SCT",
    Nation.NORTHERN_IRELAND: "NIR",
}


class OutOfRange(ValueError):
    """A date, or a deadline counted from it, falls outside the years the calendar knows."""


def nation_from(value: str | Nation) -> Nation:
    """The nation called `value`, or an error listing the names there are."""
    try:
        return Nation(value)
    except ValueError:
        names = ", ".join(f'"{n.value}"' for n in Nation)
        raise ValueError(f"No nation called {value!r}. The nations are {names}.") from None


@functools.cache
def bank_holidays(nation: Nation) -> Mapping[date, str]:
    """Every bank holiday of the nation from 1970 to 2100, with its name."""
    official = BankHolidays(use_cached_holidays=True).get_holidays(division=nation.value)
    named: dict[date, str] = {day["date"]: day["title"] for day in official}
    published = {day.year for day in named}
    # Only whole years GOV.UK has not published come from the projection, so a one-off day
    # (the 2023 coronation) or a moved day is never overridden by a rule-based guess.
    other_years = [y for y in range(FIRST_DAY.year, LAST_DAY.year + 1) if y not in published]
    projected = holidays_package.country_holidays(
        "GB", subdiv=_HOLIDAYS_SUBDIVISION[nation], years=other_years
    )
    for day, name in projected.items():
        named.setdefault(day, name)
    return named


class Calendar:
    """The working days of one nation, less an authority's closure days."""

    def __init__(
        self,
        nation: Nation,
        *,
        holidays: Mapping[date, str],
        closures: Iterable[date] = (),
    ) -> None:
        self.nation = nation
        self.closures = frozenset(closures)
        self._holidays = holidays
        self._start = FIRST_DAY.toordinal()
        days = LAST_DAY.toordinal() - self._start + 1
        closed = {d.toordinal() for d in self.closures} | {d.toordinal() for d in holidays}
        # _upto[i]: working days on or before day i; _before[i]: strictly before day i;
        # _ordinals[k]: the ordinal of working day k (counting from 0).
        self._upto: list[int] = [0] * days
        self._before: list[int] = [0] * days
        self._ordinals: list[int] = []
        count = 0
        for i in range(days):
            ordinal = self._start + i
            self._before[i] = count
            # date.fromordinal(1) is a Monday, so (ordinal - 1) % 7 is 5 or 6 at weekends.
            if (ordinal - 1) % 7 < 5 and ordinal not in closed:
                self._ordinals.append(ordinal)
                count += 1
            self._upto[i] = count

    def __repr__(self) -> str:
        return f"<Calendar {self.nation.value}, {len(self.closures)} closure days>"

    def _index(self, day: date) -> int:
        i = day.toordinal() - self._start
        if not 0 <= i < len(self._upto):
            raise OutOfRange(f"{day} is outside the calendar ({FIRST_DAY} to {LAST_DAY})")
        return i

    def is_working_day(self, day: date) -> bool:
        i = self._index(day)
        return self._upto[i] != self._before[i]

    def why_not_working(self, day: date) -> str | None:
        """Why `day` is not a working day ("Saturday", "Christmas Day", "closure day"), or
        None when it is one."""
        if self.is_working_day(day):
            return None
        if day.weekday() >= 5:
            return f"{day:%A}"
        if day in self._holidays:
            name = self._holidays[day]
            return name if "bank holiday" in name.lower() else f"{name} (bank holiday)"
        return "a closure day"

    def days_off(self, start: date, end: date) -> list[tuple[date, str]]:
        """Weekdays from `start` to `end` inclusive that are not working days, with why."""
        days = range(self._index(start), self._index(end) + 1)
        found = []
        for i in days:
            day = date.fromordinal(self._start + i)
            if day.weekday() < 5 and self._upto[i] == self._before[i]:
                found.append((day, self.why_not_working(day) or ""))
        return found

    def add_working_days(self, day: date, n: int) -> date:
        """N working days after `day` (before it when N is negative).

        Day 1 after X is the first working day after X; day 1 before X is the last working day
        before X. X itself need not be a working day. Adding 0 gives X back.
        """
        i = day.toordinal() - self._start
        if i < 0:
            raise OutOfRange(f"{day} is before the calendar begins ({FIRST_DAY})")
        try:
            if n > 0:
                k = self._upto[i] + n - 1
            elif n < 0:
                k = self._before[i] + n
                if k < 0:
                    raise IndexError
            else:
                return day
            return date.fromordinal(self._ordinals[k])
        except IndexError:
            raise OutOfRange(
                f"{n} working days from {day} is outside the calendar ({FIRST_DAY} to {LAST_DAY})"
            ) from None

    def working_days_between(self, start: date, end: date) -> int:
        """How many working days d have start < d <= end; negative when end is before start.

        An event is "within N working days of X" when this count from X to it is at most N.
        """
        return self._upto[self._index(end)] - self._upto[self._index(start)]

    def next_working_day(self, day: date) -> date:
        """`day` itself if it is a working day, else the first working day after it."""
        return day if self.is_working_day(day) else self.add_working_days(day, 1)


@functools.lru_cache(maxsize=32)
def _calendar(nation: Nation, closures: frozenset[date]) -> Calendar:
    return Calendar(nation, holidays=bank_holidays(nation), closures=closures)


def calendar_for(nation: str | Nation, *, closures: Iterable[date] = ()) -> Calendar:
    """The working-day calendar of a nation ("england-and-wales", "scotland",
    "northern-ireland"), less any closure days. Calendars are built once and shared."""
    return _calendar(nation_from(nation), frozenset(closures))
