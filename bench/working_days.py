"""How many working-day due dates per second the timescales engine computes.

Run by hand (not a test): `.venv/bin/python bench/working_days.py [--n 1000000]`, or
`make bench`. It times `Calendar.add_working_days` (an index of working days, two list
look-ups per call) against a plain loop that steps one day at a time, on the same random
dates and amounts, checks that both give the same answers, and prints the ratio. Results go
in docs/performance.md with the machine and the date.
"""

from __future__ import annotations

import argparse
import platform
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from convene.timescales import calendar_for
from convene.timescales.calendars import bank_holidays


def naive_add(day: date, n: int, holidays: set[date]) -> date:
    """What a person with a paper calendar does: step a day at a time, counting working days."""
    step = timedelta(days=1 if n > 0 else -1)
    counted = 0
    while counted < abs(n):
        day += step
        if day.weekday() < 5 and day not in holidays:
            counted += 1
    return day


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=1_000_000, help="additions to time")
    parser.add_argument("--naive", type=int, default=100_000, help="naive additions to time")
    args = parser.parse_args()

    started = time.perf_counter()
    calendar = calendar_for("england-and-wales")
    built = time.perf_counter() - started
    holidays = set(bank_holidays(calendar.nation))

    rng = random.Random(2026)
    first, span = date(2015, 1, 1).toordinal(), 365 * 15
    # Amounts as Convene uses them: 1 to 20 working days, before and after.
    cases = [
        (date.fromordinal(first + rng.randrange(span)), rng.choice([-5, -3, -2, 1, 5, 10, 15, 20]))
        for _ in range(args.n)
    ]

    add = calendar.add_working_days
    started = time.perf_counter()
    for day, n in cases:
        add(day, n)
    indexed = time.perf_counter() - started

    sample = cases[: args.naive]
    started = time.perf_counter()
    for day, n in sample:
        naive_add(day, n, holidays)
    naive = time.perf_counter() - started

    wrong = sum(add(day, n) != naive_add(day, n, holidays) for day, n in sample)
    indexed_rate = len(cases) / indexed
    naive_rate = len(sample) / naive
    print(f"machine: {platform.machine()}, {platform.python_implementation()} "
          f"{platform.python_version()}, {platform.platform()}")  # fmt: skip
    print(f"calendar built (1970-2100, with bank holidays): {built * 1000:.0f} ms")
    print(f"indexed: {len(cases):,} additions in {indexed:.3f} s = {indexed_rate:,.0f} per second")
    print(f"naive:   {len(sample):,} additions in {naive:.3f} s = {naive_rate:,.0f} per second")
    print(f"indexed / naive: {indexed_rate / naive_rate:.1f} times as fast")
    print(f"answers that differ: {wrong}")
    if wrong:
        sys.exit(1)


if __name__ == "__main__":
    main()
