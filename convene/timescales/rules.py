"""Counting a deadline from an event: the units and the arithmetic, on plain values.

Calendar units stay calendar units (`shared/standards/working-days.md`): "N days" adds days,
"N weeks" adds 7N days, "N months" adds calendar months and clamps to the month's last day.
Only "N working days" uses the calendar.
"""

from __future__ import annotations

import calendar as month_lengths
import enum
from datetime import date, timedelta

from .calendars import Calendar


class Unit(enum.StrEnum):
    WORKING_DAYS = "working_days"
    DAYS = "days"
    WEEKS = "weeks"
    MONTHS = "months"

    def amount_in_words(self, amount: int) -> str:
        singular = {
            Unit.WORKING_DAYS: "working day",
            Unit.DAYS: "day",
            Unit.WEEKS: "week",
            Unit.MONTHS: "month",
        }[self]
        return f"{amount} {singular}" if amount == 1 else f"{amount} {singular}s"


class Direction(enum.StrEnum):
    BEFORE = "before"
    AFTER = "after"


def add_months(day: date, months: int) -> date:
    """`day` moved by whole calendar months, clamped to the last day of the month reached:
    30 November 2026 + 3 months is 28 February 2027; 30 November 2027 + 3 months is
    29 February 2028."""
    month_index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(month_index, 12)
    last = month_lengths.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def count(
    event_date: date, amount: int, unit: Unit, direction: Direction, *, calendar: Calendar
) -> date:
    """The due date `amount` `unit`s `direction` `event_date`."""
    signed = amount if direction is Direction.AFTER else -amount
    if unit is Unit.WORKING_DAYS:
        return calendar.add_working_days(event_date, signed)
    if unit is Unit.DAYS:
        return event_date + timedelta(days=signed)
    if unit is Unit.WEEKS:
        return event_date + timedelta(weeks=signed)
    return add_months(event_date, signed)


def is_overdue(due: date, as_of: date) -> bool:
    """A deadline is met when the thing happens on or before the due date, so it is overdue
    only from the day after."""
    return due < as_of
