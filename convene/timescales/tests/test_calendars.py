"""Working days, counted as `shared/standards/working-days.md` says, in all three nations."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from convene.timescales import Nation, OutOfRange, calendar_for
from convene.timescales.calendars import Calendar, bank_holidays

ENGLAND = calendar_for("england-and-wales")
SCOTLAND = calendar_for("scotland")
NORTHERN_IRELAND = calendar_for("northern-ireland")
ALL = [ENGLAND, SCOTLAND, NORTHERN_IRELAND]


@pytest.mark.parametrize("calendar", ALL, ids=lambda c: c.nation.value)
@pytest.mark.parametrize(
    "day",
    [
        date(2026, 12, 25),
        date(2026, 12, 28),  # Boxing Day falls on a Saturday: the substitute is Monday
        date(2027, 12, 27),  # Christmas Day and Boxing Day on a weekend: both move
        date(2027, 12, 28),
        date(2027, 1, 1),
        date(2023, 5, 8),  # the coronation: a one-off bank holiday
        date(2022, 9, 19),  # the state funeral
        date(2027, 3, 26),  # Good Friday
        date(2030, 12, 25),  # beyond GOV.UK's published data: projected
    ],
)
def test_bank_holidays_every_nation_keeps_are_not_working_days(calendar, day):
    assert not calendar.is_working_day(day)


@pytest.mark.parametrize(
    ("day", "england", "scotland", "northern_ireland"),
    [
        (date(2027, 3, 29), False, True, False),  # Easter Monday: not in Scotland
        (date(2026, 11, 30), True, False, True),  # St Andrew's Day
        (date(2027, 1, 4), True, False, True),  # 2 January, moved from Saturday
        (date(2027, 3, 17), True, True, False),  # St Patrick's Day
        (date(2027, 7, 12), True, True, False),  # Battle of the Boyne
        (date(2026, 8, 3), True, False, True),  # Scotland's summer bank holiday
        (date(2026, 8, 31), False, True, False),  # the rest of the UK's
        (date(2035, 11, 30), True, False, True),  # St Andrew's Day, projected
    ],
)
def test_each_nation_keeps_its_own_bank_holidays(day, england, scotland, northern_ireland):
    assert ENGLAND.is_working_day(day) is england
    assert SCOTLAND.is_working_day(day) is scotland
    assert NORTHERN_IRELAND.is_working_day(day) is northern_ireland


@pytest.mark.parametrize("day", [date(2026, 11, 28), date(2026, 11, 29)])
def test_weekends_are_not_working_days(day):
    assert not ENGLAND.is_working_day(day)
    assert ENGLAND.why_not_working(day) == f"{day:%A}"


def test_it_says_why_a_day_is_not_a_working_day():
    assert ENGLAND.why_not_working(date(2026, 11, 24)) is None
    assert ENGLAND.why_not_working(date(2026, 12, 28)) == "Boxing Day (bank holiday)"
    assert ENGLAND.why_not_working(date(2026, 8, 31)) == "Summer bank holiday"
    closed = calendar_for("england-and-wales", closures=[date(2026, 12, 29)])
    assert closed.why_not_working(date(2026, 12, 29)) == "a closure day"


@pytest.mark.parametrize(
    ("calendar", "start", "n", "expected"),
    [
        # The examples in working-days.md.
        (ENGLAND, date(2026, 11, 2), 15, date(2026, 11, 23)),
        (ENGLAND, date(2026, 12, 14), 15, date(2027, 1, 7)),
        (ENGLAND, date(2026, 11, 25), -2, date(2026, 11, 23)),
        # Weekend anchors: a Saturday strategy discussion counts from Monday.
        (ENGLAND, date(2026, 11, 7), 1, date(2026, 11, 9)),
        (ENGLAND, date(2026, 11, 7), 15, date(2026, 11, 27)),
        (ENGLAND, date(2026, 11, 8), -1, date(2026, 11, 6)),
        (ENGLAND, date(2026, 11, 29), -2, date(2026, 11, 26)),
        # Easter 2027: Good Friday 26 March, Easter Monday 29 March.
        (ENGLAND, date(2027, 3, 25), 1, date(2027, 3, 30)),
        (SCOTLAND, date(2027, 3, 25), 1, date(2027, 3, 29)),
        (ENGLAND, date(2027, 3, 30), -1, date(2027, 3, 25)),
        # The coronation, Monday 8 May 2023, and the early May bank holiday on 1 May.
        (ENGLAND, date(2023, 4, 28), 5, date(2023, 5, 9)),
        # Christmas 2027: 27 and 28 December are both substitute days.
        (ENGLAND, date(2027, 12, 24), 1, date(2027, 12, 29)),
        (NORTHERN_IRELAND, date(2027, 12, 24), 1, date(2027, 12, 29)),
        # Scotland adds St Andrew's Day and 2 January.
        (SCOTLAND, date(2026, 11, 27), 1, date(2026, 12, 1)),
        (SCOTLAND, date(2026, 12, 14), 15, date(2027, 1, 8)),
        (NORTHERN_IRELAND, date(2027, 3, 16), 1, date(2027, 3, 18)),
        (ENGLAND, date(2026, 11, 24), 0, date(2026, 11, 24)),
    ],
)
def test_adding_working_days(calendar, start, n, expected):
    assert calendar.add_working_days(start, n) == expected


def test_working_days_between_counts_days_after_the_first_up_to_the_last():
    assert ENGLAND.working_days_between(date(2026, 11, 2), date(2026, 11, 23)) == 15
    assert ENGLAND.working_days_between(date(2026, 11, 2), date(2026, 11, 24)) == 16
    assert ENGLAND.working_days_between(date(2026, 12, 14), date(2027, 1, 7)) == 15
    assert ENGLAND.working_days_between(date(2026, 11, 7), date(2026, 11, 8)) == 0
    assert ENGLAND.working_days_between(date(2026, 11, 23), date(2026, 11, 2)) == -15


def test_closure_days_are_not_working_days():
    closed = calendar_for("england-and-wales", closures=[date(2026, 11, 20)])
    assert not closed.is_working_day(date(2026, 11, 20))
    assert closed.add_working_days(date(2026, 11, 2), 15) == date(2026, 11, 24)
    assert ENGLAND.add_working_days(date(2026, 11, 2), 15) == date(2026, 11, 23)


def test_calendars_are_built_once_and_shared():
    assert calendar_for("scotland") is SCOTLAND
    assert calendar_for(Nation.SCOTLAND, closures=()) is SCOTLAND


def test_an_unknown_nation_is_refused_with_the_names_there_are():
    with pytest.raises(ValueError, match='"england-and-wales", "scotland", "northern-ireland"'):
        calendar_for("wales")


def test_dates_outside_the_calendar_are_refused_clearly():
    with pytest.raises(OutOfRange, match="outside the calendar"):
        ENGLAND.add_working_days(date(2100, 12, 30), 5)
    with pytest.raises(OutOfRange, match="before the calendar begins"):
        ENGLAND.add_working_days(date(1969, 12, 31), 5)
    with pytest.raises(OutOfRange):
        ENGLAND.add_working_days(date(1970, 1, 2), -5)
    with pytest.raises(OutOfRange):
        ENGLAND.is_working_day(date(2101, 1, 1))


# Where the `holidays` package knows a day the cached GOV.UK copy does not. GOV.UK's data is
# the official source, so Convene keeps to it; an authority adds such a day as a closure day.
KNOWN_DIFFERENCES = {
    # Announced in 2025 for the FIFA World Cup; not in govuk-bank-holidays 0.19's cache.
    Nation.SCOTLAND: {date(2026, 6, 15)},
}


@pytest.mark.parametrize("nation", list(Nation))
def test_the_projection_agrees_with_govuk_where_both_have_data(nation):
    """Years after GOV.UK's data come from the `holidays` package; check it against the
    published years, so a projection that disagrees is caught here, not in a deadline."""
    import holidays

    subdivision = {"england-and-wales": "ENG", "scotland": "SCT", "northern-ireland": "NIR"}
    years = range(2018, 2029)
    official = {d for d in bank_holidays(nation) if d.year in years and d.weekday() < 5}
    projected = holidays.country_holidays("GB", subdiv=subdivision[nation], years=years)
    weekdays = {d for d in projected if d.weekday() < 5}
    assert weekdays ^ official == KNOWN_DIFFERENCES.get(nation, set())


# Property tests: the index agrees with a plain count, day by day. -----------------------

days = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))
amounts = st.integers(min_value=1, max_value=400)
calendars = st.sampled_from(ALL)


def naive_add(calendar: Calendar, day: date, n: int) -> date:
    step = timedelta(days=1 if n > 0 else -1)
    counted = 0
    while counted < abs(n):
        day += step
        if day.weekday() < 5 and day not in bank_holidays(calendar.nation):
            counted += 1
    return day


@given(calendar=calendars, day=days, n=st.integers(min_value=-60, max_value=60))
def test_adding_working_days_agrees_with_counting_one_day_at_a_time(calendar, day, n):
    assert calendar.add_working_days(day, n) == naive_add(calendar, day, n)


@given(calendar=calendars, day=days, n=amounts)
def test_adding_then_subtracting_from_a_working_day_returns_it(calendar, day, n):
    start = calendar.next_working_day(day)
    assert calendar.add_working_days(calendar.add_working_days(start, n), -n) == start


@given(calendar=calendars, day=days, n=st.integers(min_value=-400, max_value=400))
def test_every_result_of_a_working_day_addition_is_a_working_day(calendar, day, n):
    if n:
        assert calendar.is_working_day(calendar.add_working_days(day, n))


@given(calendar=calendars, day=days, n=amounts)
def test_a_deadline_is_exactly_n_working_days_away(calendar, day, n):
    assert calendar.working_days_between(day, calendar.add_working_days(day, n)) == n
