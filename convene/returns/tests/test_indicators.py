"""The national indicators (shared/standards/kpis.md): the definitions on plain values, table
style, then the selectors on small hand-made histories."""

import random
from datetime import date, timedelta
from decimal import Decimal

import pytest

from convene.authority.models import AuthoritySettings, ClosureDay
from convene.conferences.enums import ConferenceStatus, ConferenceType
from convene.returns.indicators import (
    Count,
    Fraction,
    Indicator,
    InitialConferenceFact,
    PlanFact,
    ReportingYear,
    Side,
    children_on_plans,
    icpc_within_15_working_days,
    indicators_for_years,
    lasted_two_years_or_more,
    percent,
    plans_ended_2_years_or_more,
    rate_per_10000,
    reviews_on_time,
    reviews_on_time_until,
    reviews_within_timescale,
    second_or_subsequent_plans,
)
from convene.testing.factories import (
    ChildFactory,
    ConferenceChildFactory,
    EnquiryFactory,
    PlanFactory,
    PlanReviewFactory,
)
from convene.timescales import calendar_for

ENGLAND = calendar_for("england-and-wales")
YEAR = ReportingYear(2026)  # 1 April 2026 to 31 March 2027
LAST_YEAR = ReportingYear(2025)
REFERENCE = date(2026, 3, 31)  # the end of 2025-26


# Reporting years --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "first"),
    [("2025-26", 2025), ("2099-00", 2099), (" 2024-25 ", 2024)],
)
def test_a_reporting_year_is_written_like_2025_26(text, first):
    assert ReportingYear.parse(text) == ReportingYear(first)


@pytest.mark.parametrize("text", ["2025-27", "2025", "25-26", "2025/26", "2025-2026", ""])
def test_any_other_way_of_writing_a_year_is_refused(text):
    with pytest.raises(ValueError, match="write the year as 2025-26"):
        ReportingYear.parse(text)


@pytest.mark.parametrize(
    ("day", "year"),
    [
        (date(2026, 3, 31), "2025-26"),
        (date(2026, 4, 1), "2026-27"),
        (date(2027, 1, 15), "2026-27"),
    ],
)
def test_a_day_belongs_to_the_year_from_1_april_to_31_march(day, year):
    found = ReportingYear.containing(day)
    assert found.label == year
    assert found.start <= day <= found.end


def test_a_year_still_running_is_counted_as_at_today():
    assert LAST_YEAR.reference_date(date(2026, 11, 24)) == date(2026, 3, 31)
    assert YEAR.reference_date(date(2026, 11, 24)) == date(2026, 11, 24)


# Arithmetic -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        (1, 3, Decimal("33.3")),
        (2, 3, Decimal("66.7")),
        (1, 16, Decimal("6.3")),  # 6.25: half up, not to the even 6.2
        (1, 80, Decimal("1.3")),  # 1.25
        (0, 5, Decimal("0.0")),
        (5, 5, Decimal("100.0")),
        (0, 0, None),  # nothing to count is not 0%
    ],
)
def test_a_percentage_has_one_decimal_place_rounded_half_up(numerator, denominator, expected):
    assert percent(numerator, denominator) == expected


@pytest.mark.parametrize(
    ("count", "population", "expected"),
    [
        (3, 2_000, Decimal("15.0")),
        (1, 160_000, Decimal("0.1")),  # 0.0625 rounds up
        (420, 48_000, Decimal("87.5")),
        (5, None, None),  # the authority has not set its child population
    ],
)
def test_the_rate_is_per_10000_children(count, population, expected):
    assert rate_per_10000(count, population) == expected


# Initial conferences within 15 working days -----------------------------------------------


@pytest.mark.parametrize(
    ("strategy", "held", "met"),
    [
        # working-days.md: Mon 2 Nov 2026 + 15 working days is Mon 23 Nov 2026.
        (date(2026, 11, 2), date(2026, 11, 23), True),
        (date(2026, 11, 2), date(2026, 11, 24), False),
        # Across Christmas: 25 and 28 December 2026 and 1 January 2027 are bank holidays.
        (date(2026, 12, 14), date(2027, 1, 7), True),
        (date(2026, 12, 14), date(2027, 1, 8), False),
        # A Saturday strategy discussion counts from the Monday.
        (date(2026, 10, 31), date(2026, 11, 20), True),
        (date(2026, 10, 31), date(2026, 11, 23), False),
        # A conference on the day of the strategy discussion is within the time.
        (date(2026, 11, 2), date(2026, 11, 2), True),
    ],
)
def test_an_initial_conference_is_on_time_up_to_the_15th_working_day(strategy, held, met):
    fact = InitialConferenceFact(child_id=1, strategy_discussion=strategy, held=held)
    result = icpc_within_15_working_days([fact], start=YEAR.start, on=YEAR.end, calendar=ENGLAND)
    assert (result.numerator, result.denominator) == (int(met), 1)


def test_the_authoritys_closure_days_are_not_working_days():
    fact = InitialConferenceFact(1, date(2026, 11, 2), date(2026, 11, 23))
    closed = calendar_for("england-and-wales", closures=[date(2026, 11, 20)])
    result = icpc_within_15_working_days([fact], start=YEAR.start, on=YEAR.end, calendar=closed)
    assert result.numerator == 1  # due on the 24th instead; met with a day to spare
    late = InitialConferenceFact(1, date(2026, 11, 2), date(2026, 11, 25))
    assert (
        icpc_within_15_working_days(
            [late], start=YEAR.start, on=YEAR.end, calendar=closed
        ).numerator
        == 0
    )


def test_only_conferences_held_in_the_year_count():
    facts = [
        InitialConferenceFact(1, date(2026, 3, 10), date(2026, 3, 31)),  # last year
        InitialConferenceFact(2, date(2026, 3, 20), date(2026, 4, 1)),  # this year
        InitialConferenceFact(3, date(2027, 3, 1), date(2027, 3, 31)),  # this year, late
    ]
    result = icpc_within_15_working_days(facts, start=YEAR.start, on=YEAR.end, calendar=ENGLAND)
    assert result.numerator_children == (2,)
    assert result.denominator_children == (2, 3)


# Reviews within timescale ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "reviews", "on_time"),
    [
        # First review exactly 3 months after the start, and one day late.
        (date(2025, 10, 1), [date(2026, 1, 1)], True),
        (date(2025, 10, 1), [date(2026, 1, 2)], False),
        # 3 months clamp to the month end: 30 November + 3 months is 28 February.
        (date(2025, 11, 30), [date(2026, 2, 28)], True),
        (date(2025, 11, 30), [date(2026, 3, 1)], False),
        # Each later review within 6 months of the previous one.
        (
            date(2024, 6, 10),
            [date(2024, 9, 10), date(2025, 3, 10), date(2025, 9, 10), date(2026, 3, 10)],
            True,
        ),
        (
            date(2024, 6, 10),
            [date(2024, 9, 10), date(2025, 3, 11), date(2025, 9, 10), date(2026, 3, 10)],
            False,
        ),
        # An early review moves the next one earlier: 6 months from the review actually held.
        (date(2025, 3, 1), [date(2025, 4, 1), date(2025, 10, 1), date(2026, 3, 31)], True),
        (date(2025, 3, 1), [date(2025, 4, 1), date(2025, 10, 2)], False),
        # The next review is overdue at the reference date: 15 September + 6 months.
        (date(2025, 6, 15), [date(2025, 9, 15)], False),
        # The next review is due on the reference date itself: not yet late.
        (date(2025, 12, 31), [], True),
        (date(2025, 9, 30), [date(2025, 12, 30)], True),
        # No review at all, first one due before the reference date.
        (date(2025, 12, 30), [], False),
        # A review after the reference date does not count for this year.
        (date(2025, 10, 1), [date(2026, 1, 1), date(2026, 4, 2)], True),
    ],
)
def test_every_review_must_be_on_time(start, reviews, on_time):
    assert reviews_on_time(start, reviews, REFERENCE) is on_time
    # What each plan stores says the same (decision 0032).
    assert (reviews_on_time_until(start, reviews) >= REFERENCE) is on_time


@pytest.mark.parametrize("seed", range(40))
def test_the_stored_last_day_on_time_agrees_with_the_definition_on_every_day(seed):
    rng = random.Random(seed)
    start = date(2024, 1, 1) + timedelta(days=rng.randrange(800))
    if rng.random() < 0.3:
        start = rng.choice([date(2024, 2, 29), date(2024, 8, 31), date(2024, 11, 30)])
    held, day = set(), start
    for _ in range(rng.randint(0, 6)):
        # Early, on the day, a day late, long late; now and then one before the start.
        day += timedelta(days=rng.choice([rng.randrange(1, 240), 91, 92, 181, 182, 183, 184]))
        held.add(day if rng.random() > 0.05 else start - timedelta(days=rng.randrange(1, 40)))
    until = reviews_on_time_until(start, held)
    on = start
    while on <= start + timedelta(days=1500):
        assert reviews_on_time(start, held, on) is (on <= until), (start, sorted(held), on)
        on += timedelta(days=1)


def test_reviews_count_plans_open_at_the_reference_date_that_started_3_months_before():
    plans = [
        PlanFact(child_id=1, start=date(2025, 10, 1), reviews=(date(2026, 1, 1),)),  # on time
        PlanFact(child_id=2, start=date(2025, 10, 1), reviews=(date(2026, 1, 2),)),  # late
        PlanFact(child_id=3, start=date(2025, 6, 15), reviews=(date(2025, 9, 15),)),  # overdue
        PlanFact(child_id=4, start=date(2025, 12, 31)),  # first review due on 31 March
        PlanFact(child_id=5, start=date(2026, 1, 1)),  # less than 3 months: not counted
        PlanFact(child_id=6, start=date(2025, 5, 1), end=date(2026, 3, 31)),  # ended
        PlanFact(child_id=7, start=date(2025, 5, 1), end=date(2026, 4, 1)),  # open on 31 March
    ]
    result = reviews_within_timescale(plans, on=REFERENCE)
    assert result.denominator_children == (1, 2, 3, 4, 7)
    assert result.numerator_children == (1, 4)


# Second or subsequent plans ----------------------------------------------------------------


def test_a_plan_started_in_the_year_after_any_earlier_plan_is_a_second_plan():
    plans = [
        PlanFact(child_id=1, start=date(2025, 7, 1), previous_plans=1),  # a plan years ago
        PlanFact(child_id=2, start=date(2025, 7, 1)),  # first plan
        PlanFact(child_id=3, start=date(2026, 3, 31), previous_plans=2),
        PlanFact(child_id=4, start=date(2025, 3, 31), previous_plans=1),  # last year
    ]
    result = second_or_subsequent_plans(plans, start=LAST_YEAR.start, on=REFERENCE)
    assert result.denominator_children == (1, 2, 3)
    assert result.numerator_children == (1, 3)


# Plans ended after 2 years or more ---------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "long"),
    [
        (date(2023, 6, 15), date(2025, 6, 15), True),  # exactly 24 months
        (date(2023, 6, 15), date(2025, 6, 14), False),  # a day short
        (date(2024, 2, 29), date(2026, 2, 28), True),  # 29 February + 24 months, clamped
        (date(2024, 2, 29), date(2026, 2, 27), False),
    ],
)
def test_a_plan_lasted_2_years_when_it_ended_on_or_after_start_plus_24_months(start, end, long):
    assert lasted_two_years_or_more(start, end) is long


def test_plans_ended_in_the_year_count_whatever_the_reason():
    plans = [
        PlanFact(child_id=1, start=date(2023, 6, 15), end=date(2025, 6, 15)),
        PlanFact(child_id=2, start=date(2023, 6, 15), end=date(2025, 6, 14)),
        PlanFact(child_id=3, start=date(2022, 1, 1), end=date(2025, 3, 31)),  # last year
        PlanFact(child_id=4, start=date(2022, 1, 1)),  # still open
    ]
    result = plans_ended_2_years_or_more(plans, start=LAST_YEAR.start, on=REFERENCE)
    assert (result.numerator_children, result.denominator_children) == ((1,), (1, 2))


# Children on plans -------------------------------------------------------------------------


def test_children_on_plans_are_counted_at_the_reference_date():
    plans = [
        PlanFact(child_id=1, start=date(2025, 1, 1)),
        PlanFact(child_id=2, start=date(2026, 3, 31)),  # started on the day
        PlanFact(child_id=3, start=date(2025, 1, 1), end=date(2026, 3, 31)),  # ended that day
        PlanFact(child_id=4, start=date(2026, 4, 1)),  # not yet started
    ]
    result = children_on_plans(plans, on=REFERENCE, population=2_000)
    assert result.counted_children == (1, 2)
    assert result.per_10000 == Decimal("10.0")
    assert result.as_json() == {"count": 2, "per_10000": 10.0}
    assert children_on_plans(plans, on=REFERENCE, population=None).as_json() == {"count": 2}


def test_a_fraction_with_nothing_to_count_has_no_percentage():
    assert Fraction((), ()).as_json() == {"numerator": 0, "denominator": 0, "percent": None}
    assert Fraction((1,), (1, 2, 3)).as_json() == {
        "numerator": 1,
        "denominator": 3,
        "percent": 33.3,
    }


# The selectors, on hand-made histories -----------------------------------------------------


def _initial_conference(child, *, strategy, held, type=ConferenceType.INITIAL, **kwargs):
    enquiry = EnquiryFactory.create(
        child=child, episode__child=child, strategy_discussion_date=strategy
    )
    return ConferenceChildFactory.create(
        child=child,
        enquiry=enquiry,
        conference__type=type,
        conference__date=held,
        **{f"conference__{key}": value for key, value in kwargs.items()},
    )


@pytest.mark.django_db
def test_initial_conferences_count_each_child_held_after_an_enquiry():
    on_time, late, transfer, pre_birth, cancelled, no_enquiry = ChildFactory.create_batch(6)
    _initial_conference(on_time, strategy=date(2026, 11, 2), held=date(2026, 11, 23))
    _initial_conference(late, strategy=date(2026, 11, 2), held=date(2026, 11, 24))
    _initial_conference(
        transfer,
        strategy=date(2026, 11, 2),
        held=date(2026, 11, 5),
        type=ConferenceType.TRANSFER_IN,
    )
    _initial_conference(
        pre_birth, strategy=date(2026, 12, 14), held=date(2027, 1, 7), type=ConferenceType.PRE_BIRTH
    )
    _initial_conference(
        cancelled,
        strategy=date(2026, 11, 2),
        held=date(2026, 11, 10),
        status=ConferenceStatus.CANCELLED,
    )
    ConferenceChildFactory.create(child=no_enquiry, conference__date=date(2026, 11, 10))

    (result,) = indicators_for_years([YEAR], today=date(2027, 6, 1))

    icpc = result.icpc_within_15_working_days
    assert sorted(icpc.numerator_children) == sorted([on_time.pk, pre_birth.pk])
    assert sorted(icpc.denominator_children) == sorted([on_time.pk, late.pk, pre_birth.pk])
    assert icpc.percent == Decimal("66.7")


@pytest.mark.django_db
def test_the_authoritys_calendar_decides_the_working_days():
    child = ChildFactory.create()
    _initial_conference(child, strategy=date(2026, 11, 2), held=date(2026, 11, 24))
    ClosureDay.objects.create(day=date(2026, 11, 20), description="Office move")
    (result,) = indicators_for_years([YEAR], today=date(2027, 6, 1))
    assert result.icpc_within_15_working_days.numerator == 1


@pytest.mark.django_db
def test_plans_from_the_database_give_every_plan_indicator():
    reviewed, overdue, returning, long, short, recent = ChildFactory.create_batch(6)
    # Reviewed on time: first review exactly 3 months after the start.
    plan = PlanFactory.create(child=reviewed, start_date=date(2025, 10, 1))
    PlanReviewFactory.create(plan=plan, date=date(2026, 1, 1))
    # The next review was due on 15 March 2026 and not held.
    plan = PlanFactory.create(child=overdue, start_date=date(2025, 6, 15))
    PlanReviewFactory.create(plan=plan, date=date(2025, 9, 15))
    # A second plan, the first years ago; the earlier plan elsewhere is history only.
    PlanFactory.create(child=returning, start_date=date(2015, 1, 5), end_date=date(2016, 2, 1))
    PlanFactory.create(
        child=returning,
        start_date=date(2019, 1, 5),
        end_date=date(2019, 8, 1),
        other_authority=True,
    )
    PlanFactory.create(child=returning, start_date=date(2026, 2, 1))
    # Ended in the year after exactly 24 months (by a move to another authority), and a day
    # short of it.
    PlanFactory.create(
        child=long,
        start_date=date(2023, 6, 15),
        end_date=date(2025, 6, 15),
        end_reason="transferred",
    )
    PlanFactory.create(child=short, start_date=date(2023, 6, 15), end_date=date(2025, 6, 14))
    # Started less than 3 months before 31 March: not yet counted for reviews.
    PlanFactory.create(child=recent, start_date=date(2026, 1, 2))
    AuthoritySettings.objects.create(child_population=40_000)

    (result,) = indicators_for_years([LAST_YEAR], today=date(2026, 11, 24))

    assert result.on == REFERENCE and result.complete
    reviews = result.reviews_within_timescale
    assert reviews.numerator_children == (reviewed.pk,)
    assert sorted(reviews.denominator_children) == sorted([reviewed.pk, overdue.pk])
    second = result.second_or_subsequent_plans
    assert second.numerator_children == (returning.pk,)
    assert sorted(second.denominator_children) == sorted(
        [reviewed.pk, overdue.pk, returning.pk, recent.pk]
    )
    ended = result.plans_ended_2_years_or_more
    assert ended.numerator_children == (long.pk,)
    assert sorted(ended.denominator_children) == sorted([long.pk, short.pk])
    on_plans = result.children_on_plans
    assert isinstance(on_plans, Count)
    assert sorted(on_plans.counted_children) == sorted(
        [reviewed.pk, overdue.pk, returning.pk, recent.pk]
    )
    assert on_plans.per_10000 == Decimal("1.0")


@pytest.mark.django_db
def test_a_plan_held_by_another_authority_is_not_this_authoritys_plan():
    child = ChildFactory.create()
    PlanFactory.create(child=child, start_date=date(2025, 7, 1), other_authority=True)
    (result,) = indicators_for_years([LAST_YEAR], today=date(2026, 11, 24))
    for indicator in Indicator:
        value = result.get(indicator)
        sides = [Side.NUMERATOR] if isinstance(value, Count) else list(Side)
        assert all(child.pk not in value.children(side) for side in sides), indicator


@pytest.mark.django_db
def test_the_facts_load_in_a_constant_number_of_queries(django_assert_num_queries):
    def build(n):
        for i in range(n):
            child = ChildFactory.create()
            _initial_conference(child, strategy=date(2025, 6, 2), held=date(2025, 6, 20 + i % 5))
            plan = PlanFactory.create(child=child, start_date=date(2025, 6, 20))
            PlanReviewFactory.create(plan=plan, date=date(2025, 9, 15))

    build(2)
    # Authority settings and closure days for the calendar, the child population, then
    # conferences, plans and reviews for each year.
    with django_assert_num_queries(3 + 3 * 2):
        indicators_for_years([LAST_YEAR, LAST_YEAR.previous], today=date(2026, 11, 24))
    build(10)
    with django_assert_num_queries(3 + 3 * 2):
        (result, _) = indicators_for_years(
            [LAST_YEAR, LAST_YEAR.previous], today=date(2026, 11, 24)
        )
    assert result.icpc_within_15_working_days.denominator == 12
