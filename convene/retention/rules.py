"""Retention rules on plain values: when a record's period ends. Time is an argument."""

from __future__ import annotations

from datetime import date

from convene.timescales.rules import add_months


def birthday(born: date, age: int) -> date:
    """The day a person born on `born` turns `age` (29 February: 1 March in other years)."""
    try:
        return born.replace(year=born.year + age)
    except ValueError:
        return date(born.year + age, 3, 1)


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def case_record_kept_until(
    *, born: date, closed_on: date | None, until_age: int, older_at_closure: int
) -> date:
    """The day a child protection case record's period ends: the child's `until_age` birthday
    (25th by default), one year later if the child was `older_at_closure` (17) or older when
    the case closed — so a young person always has some years as an adult to ask for it."""
    older = closed_on is not None and age_on(born, closed_on) >= older_at_closure
    return birthday(born, until_age + (1 if older else 0))


def cutoff(today: date, months: int) -> date:
    """Records from before this day are past a period of `months` months."""
    return add_months(today, -months)


def is_past(kept_until: date, today: date) -> bool:
    return today >= kept_until
