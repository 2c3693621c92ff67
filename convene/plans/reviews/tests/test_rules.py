"""The review rules on plain values (London CP4 §1.20 to §1.23)."""

from __future__ import annotations

from datetime import date

import pytest

from convene.plans.reviews import rules
from convene.plans.reviews.rules import BroughtForward
from convene.timescales import get_profile

LONDON = get_profile("london")
START = date(2026, 3, 2)


def _due(last: date | None = None, *forward: BroughtForward) -> rules.ReviewDue:
    return rules.review_due(LONDON, start=START, last_review=last, brought_forward=forward)


def test_the_first_review_is_due_3_months_after_the_plan_starts():
    due = _due()
    assert (due.due, due.first, due.brought_forward) == (date(2026, 6, 2), True, False)
    assert "§1.20" in due.explanation


def test_later_reviews_are_due_6_months_after_the_last():
    due = _due(date(2026, 6, 1))
    assert (due.due, due.first) == (date(2026, 12, 1), False)


def test_a_review_brought_forward_is_due_by_the_earliest_new_date():
    due = _due(
        None,
        BroughtForward(recorded_on=date(2026, 4, 1), due=date(2026, 5, 1)),
        BroughtForward(recorded_on=date(2026, 4, 10), due=date(2026, 4, 20)),
    )
    assert (due.due, due.normal_due, due.brought_forward) == (
        date(2026, 4, 20),
        date(2026, 6, 2),
        True,
    )


@pytest.mark.parametrize(
    ("recorded_on", "applies"),
    [(date(2026, 5, 31), False), (date(2026, 6, 1), True), (date(2026, 6, 5), True)],
    ids=["before the last review", "on its day", "after it"],
)
def test_a_review_brought_forward_holds_until_a_review_is_held(recorded_on, applies):
    due = _due(date(2026, 6, 1), BroughtForward(recorded_on=recorded_on, due=date(2026, 7, 1)))
    assert due.brought_forward is applies


def test_a_date_no_earlier_than_the_normal_one_brings_nothing_forward():
    due = _due(None, BroughtForward(recorded_on=date(2026, 4, 1), due=date(2026, 6, 2)))
    assert not due.brought_forward


TODAY = date(2026, 4, 15)


@pytest.mark.parametrize(
    ("new_due", "problem"),
    [
        (None, "Enter the date"),
        (date(2026, 4, 14), "today or in the future"),
        (date(2026, 6, 2), "must be before 2 June 2026"),
        (date(2026, 7, 1), "must be before 2 June 2026"),
        (date(2026, 4, 15), ""),
        (date(2026, 6, 1), ""),
    ],
    ids=["missing", "yesterday", "the normal date", "after it", "today", "the day before"],
)
def test_bringing_forward_needs_a_date_from_today_to_before_the_due_date(new_due, problem):
    found = rules.bring_forward_problems(new_due, today=TODAY, now_due=_due(), last_held=START)
    assert (problem in found.get("due", "")) if problem else found == {}


def test_a_review_already_brought_forward_can_only_come_sooner():
    now = _due(None, BroughtForward(recorded_on=date(2026, 4, 1), due=date(2026, 5, 1)))
    found = rules.bring_forward_problems(
        date(2026, 5, 10), today=TODAY, now_due=now, last_held=START
    )
    assert "before 1 May 2026" in found["due"] and "already brought forward" in found["due"]


def test_a_review_is_never_brought_forward_onto_the_day_of_the_last():
    found = rules.bring_forward_problems(TODAY, today=TODAY, now_due=_due(TODAY), last_held=TODAY)
    assert "after 15 April 2026" in found["due"]


# The birth (§1.21) ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("born", "expected", "awaits"),
    [
        (None, date(2026, 9, 1), True),
        (date(2026, 9, 1), date(2026, 9, 1), False),
        (date(2020, 1, 1), None, False),
    ],
    ids=["unborn", "born", "never expected"],
)
def test_a_birth_is_awaited_for_an_unborn_child_with_an_expected_date(born, expected, awaits):
    assert rules.awaits_birth(born, expected) is awaits


@pytest.mark.parametrize(
    ("born", "field_problem"),
    [(None, "Enter"), (date(2026, 4, 16), "today or in the past"), (TODAY, "")],
    ids=["missing", "tomorrow", "today"],
)
def test_a_date_of_birth_is_not_in_the_future(born, field_problem):
    found = rules.birth_problems(born, today=TODAY)
    assert field_problem in found.get("date_of_birth", "") if field_problem else found == {}


# Plans open 2 years or more (§1.22) ---------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "long"),
    [(date(2028, 3, 1), False), (date(2028, 3, 2), True), (date(2029, 1, 1), True)],
    ids=["the day before 2 years", "2 years to the day", "later"],
)
def test_a_plan_is_long_from_2_years_after_it_started(today, long):
    assert rules.plan_is_long(START, today, LONDON) is long


@pytest.mark.parametrize(
    ("born", "under_five"),
    [
        (date(2021, 4, 16), True),
        (date(2021, 4, 15), False),
        (None, True),
    ],
    ids=["5 tomorrow", "5 today", "unborn"],
)
def test_under_five_is_the_age_on_the_day(born, under_five):
    assert rules.is_under_five(born, TODAY) is under_five


@pytest.mark.parametrize(
    ("start", "words"),
    [
        (date(2024, 4, 15), "2 years"),
        (date(2024, 3, 14), "2 years and 1 month"),
        (date(2023, 1, 20), "3 years and 2 months"),
        (date(2026, 4, 1), "0 months"),
    ],
)
def test_how_long_a_plan_has_been_open_in_words(start, words):
    assert rules.length_in_words(start, TODAY) == words


def test_an_overdue_review_is_booked_not_brought_forward():
    found = rules.bring_forward_problems(
        TODAY, today=TODAY, now_due=_due(date(2025, 10, 1)), last_held=date(2025, 10, 1)
    )
    assert "already overdue: it was due by 1 April 2026" in found["due"]
