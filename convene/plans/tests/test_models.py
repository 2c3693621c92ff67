"""What the database refuses, on SQLite and PostgreSQL alike."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from convene.plans.rules import PlanFacts, previous_plan_count
from convene.testing.factories import ChildFactory, PlanFactory, PlanReviewFactory

pytestmark = pytest.mark.django_db


def refused(make) -> bool:
    try:
        with transaction.atomic():
            make()
    except IntegrityError:
        return True
    return False


def test_a_child_cannot_have_two_open_plans():
    child = ChildFactory.create()
    PlanFactory.create(child=child, start_date=date(2025, 6, 20))
    assert refused(lambda: PlanFactory.create(child=child, start_date=date(2025, 9, 1)))


def test_a_child_may_have_an_ended_plan_and_an_open_one():
    child = ChildFactory.create()
    PlanFactory.create(child=child, start_date=date(2023, 1, 5), end_date=date(2024, 1, 5))
    PlanFactory.create(child=child, start_date=date(2025, 6, 20))
    assert child.plans.count() == 2


@pytest.mark.parametrize("end", [date(2025, 6, 20), date(2025, 6, 19)], ids=["same day", "before"])
def test_a_plan_must_end_after_it_starts(end):
    assert refused(lambda: PlanFactory.create(start_date=date(2025, 6, 20), end_date=end))


@pytest.mark.parametrize("day", [date(2025, 6, 20), date(2025, 6, 1)], ids=["same day", "before"])
def test_a_review_must_be_after_its_plan_starts(day):
    plan = PlanFactory.create(start_date=date(2025, 6, 20))
    assert refused(lambda: PlanReviewFactory.create(plan=plan, date=day))


def test_a_review_cannot_be_moved_onto_its_plans_start():
    review = PlanReviewFactory.create(plan__start_date=date(2025, 6, 20), date=date(2025, 9, 15))
    review.date = date(2025, 6, 20)
    assert refused(review.save)


def test_a_plan_start_cannot_be_moved_past_one_of_its_reviews():
    review = PlanReviewFactory.create(plan__start_date=date(2025, 6, 20), date=date(2025, 9, 15))
    plan = review.plan
    plan.start_date = date(2025, 9, 15)
    assert refused(plan.save)
    plan.refresh_from_db()
    plan.start_date = date(2025, 6, 1)
    assert not refused(plan.save)


def test_a_child_cannot_die_before_being_born():
    assert refused(
        lambda: ChildFactory.create(date_of_birth=date(2020, 1, 1), date_of_death=date(2019, 1, 1))
    )


FIRST = PlanFacts(date(2020, 1, 6), date(2021, 1, 6))
SECOND = PlanFacts(date(2022, 3, 1), date(2022, 9, 1), other_authority=True)


@pytest.mark.parametrize(
    ("plan", "history", "expected"),
    [
        (PlanFacts(date(2025, 6, 20), None), [], 0),
        (PlanFacts(date(2025, 6, 20), None), [FIRST], 1),
        # A plan recorded from another authority counts like one of this authority's.
        (PlanFacts(date(2025, 6, 20), None), [FIRST, SECOND], 2),
        # Plans held elsewhere that are only recorded as a number count too.
        (PlanFacts(date(2025, 6, 20), None, previous_plans_elsewhere=2), [FIRST], 3),
        # A later plan is not a previous one; the plan itself is not counted.
        (FIRST, [FIRST, SECOND], 0),
    ],
)
def test_previous_plans_count_every_earlier_plan_however_long_ago(plan, history, expected):
    assert previous_plan_count(plan, history) == expected
