"""The indicators counted by the database (`indicator_queries`) equal the Python reference
(`indicators.indicators_for_years`, whose definitions `test_indicators.py` pins down) on a
varied generated history: month ends, 29 February, bank holidays and closure days, transfers,
plans recorded from other authorities, late and missing reviews."""

import json
import random
from datetime import date, timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command

from convene.authority.models import AuthoritySettings, ClosureDay
from convene.conferences.enums import ConferenceStatus, ConferenceType
from convene.returns.indicator_queries import (
    Tally,
    Total,
    children_behind,
    figures_for_years,
    review_cutoff,
)
from convene.returns.indicators import (
    FIRST_REVIEW_MONTHS,
    Count,
    Fraction,
    Indicator,
    ReportingYear,
    Side,
    indicators_for_years,
)
from convene.testing.factories import (
    ChildFactory,
    ConferenceChildFactory,
    EnquiryFactory,
    PlanFactory,
    PlanReviewFactory,
)
from convene.timescales.rules import add_months

# Days where month arithmetic and working days are most likely to go wrong.
AWKWARD = [
    date(2024, 2, 29),
    date(2024, 2, 28),
    date(2024, 3, 1),
    date(2024, 8, 31),
    date(2024, 11, 30),
    date(2024, 12, 31),
    date(2025, 3, 31),
    date(2025, 4, 1),
    date(2025, 11, 30),
    date(2025, 12, 19),
    date(2025, 12, 31),
    date(2026, 3, 31),
    date(2026, 4, 1),
    date(2026, 5, 29),
    date(2026, 11, 30),
    date(2026, 12, 24),
    date(2027, 3, 31),
]
FIRST = date(2023, 1, 1)
LAST = date(2028, 3, 31)


def _day(rng: random.Random) -> date:
    if rng.random() < 0.3:
        return rng.choice(AWKWARD)
    return FIRST + timedelta(days=rng.randrange((LAST - FIRST).days))


def _history(seed: int, children: int) -> None:
    rng = random.Random(seed)
    ClosureDay.objects.create(day=date(2025, 12, 29), description="Winter closure")
    ClosureDay.objects.create(day=date(2026, 11, 20), description="Office move")
    AuthoritySettings.objects.create(child_population=12_345)
    for _ in range(children):
        child = ChildFactory.create()
        begin = _day(rng)
        for _ in range(rng.randint(0, 3)):
            other = rng.random() < 0.2
            length = rng.choice([rng.randrange(1, 1200), 730, 731, 729, 365, 91, 92])
            end = None if rng.random() < 0.3 else begin + timedelta(days=length)
            plan = PlanFactory.create(
                child=child,
                start_date=begin,
                end_date=end,
                other_authority=other,
                previous_plans_elsewhere=rng.choice([0, 0, 0, 1, 2]),
            )
            held = begin
            for _ in range(rng.randint(0, 5)):
                held = held + timedelta(days=rng.choice([rng.randrange(20, 220), 92, 183, 184]))
                if end is not None and held > end:
                    break
                PlanReviewFactory.create(plan=plan, date=held)
            if end is None:
                break
            begin = end + timedelta(days=rng.randrange(1, 600))
        for _ in range(rng.randint(0, 2)):
            strategy = _day(rng)
            enquiry = EnquiryFactory.create(
                child=child, episode__child=child, strategy_discussion_date=strategy
            )
            ConferenceChildFactory.create(
                child=child,
                enquiry=None if rng.random() < 0.1 else enquiry,
                conference__type=rng.choice(
                    [ConferenceType.INITIAL, ConferenceType.PRE_BIRTH, ConferenceType.TRANSFER_IN]
                ),
                conference__date=strategy + timedelta(days=rng.choice([19, 20, 21, 22, 23, 30])),
                conference__status=rng.choice(
                    [ConferenceStatus.HELD] * 4 + [ConferenceStatus.CANCELLED]
                ),
            )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "today", [date(2026, 11, 24), date(2027, 3, 31), date(2028, 2, 29), date(2025, 4, 1)]
)
def test_the_database_counts_what_the_python_reference_counts(today):
    _history(seed=today.toordinal(), children=120)
    years = [ReportingYear.containing(today)]
    years.append(years[0].previous)
    reference = indicators_for_years(years, today=today)
    figures = figures_for_years(years, today=today)
    for expected, got in zip(reference, figures, strict=True):
        assert (got.year, got.on, got.complete) == (expected.year, expected.on, expected.complete)
        assert got.as_json() == expected.as_json()
        for indicator in Indicator:
            value = expected.get(indicator)
            sides = [Side.NUMERATOR] if isinstance(value, Count) else list(Side)
            for side in sides:
                behind = children_behind(got.year, indicator, side, on=got.on)
                children = value.children(side)
                assert behind.counted == len(children), (indicator, side)
                assert behind.children == len(set(children)), (indicator, side)
                assert sorted(set(behind.child_ids)) == sorted(set(children)), (indicator, side)
    # The history is varied enough that every fraction has things met and not met.
    for indicator in Indicator:
        values = [r.get(indicator) for r in reference]
        assert any(isinstance(v, Count) or 0 < v.numerator < v.denominator for v in values), (
            indicator
        )


@pytest.mark.django_db
@pytest.mark.parametrize("today", [date(2026, 11, 24), date(2027, 3, 31)])
def test_manage_py_kpis_prints_what_the_python_reference_counts(today):
    """`manage.py kpis` counts with the aggregate queries: its JSON is the reference's, for
    the year still running and the year before, and its text has the reference's numbers."""
    _history(seed=today.toordinal() + 1, children=80)
    running = ReportingYear.containing(today)
    with time_machine.travel(today.isoformat() + " 12:00 +00:00", tick=False):
        for year in [running, running.previous]:
            (reference,) = indicators_for_years([year], today=today)
            out = StringIO()
            call_command("kpis", "--year", str(year), "--format", "json", stdout=out)
            assert json.loads(out.getvalue()) == reference.as_json()
            out = StringIO()
            call_command("kpis", "--year", str(year), stdout=out)
            for indicator in Indicator:
                value = reference.get(indicator)
                if isinstance(value, Fraction) and value.percent is not None:
                    assert f"{value.percent}% ({value.numerator:,} of {value.denominator:,} " in (
                        out.getvalue()
                    ), indicator
                elif isinstance(value, Count):
                    assert f": {value.count:,} ({value.per_10000} per 10,000" in out.getvalue()


def test_numbers_print_as_the_reference_does():
    assert Tally(1, 3).as_json() == Fraction((1,), (1, 2, 3)).as_json()
    assert Tally(0, 0).as_json() == Fraction((), ()).as_json()
    assert Total(3, 40_000).as_json() == Count((1, 2, 3), 40_000).as_json()
    assert Total(3).as_json() == Count((1, 2, 3)).as_json()


@pytest.mark.parametrize(
    "on",
    [date(2027, 3, 31), date(2027, 2, 28), date(2028, 2, 29), date(2028, 5, 31), date(2026, 6, 1)],
)
def test_the_review_cutoff_is_the_last_start_with_a_first_review_due(on):
    cutoff = review_cutoff(on)
    assert add_months(cutoff, FIRST_REVIEW_MONTHS) <= on
    assert add_months(cutoff + timedelta(days=1), FIRST_REVIEW_MONTHS) > on
    # and every earlier start is due too (the addition never goes backwards)
    day = cutoff - timedelta(days=400)
    while day <= cutoff:
        assert add_months(day, FIRST_REVIEW_MONTHS) <= on
        day += timedelta(days=1)
