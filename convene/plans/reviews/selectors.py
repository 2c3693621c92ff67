"""Reads for a plan's reviews: when the next one is due, what brought it forward, the review
conference already arranged, and the plans open 2 years or more."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db.models import Case, Q, QuerySet, When

from convene import policy
from convene.conferences.enums import ConferenceStatus, ConferenceType
from convene.conferences.models import Conference
from convene.plans.models import Plan, ReviewBroughtForward
from convene.plans.reviews import rules
from convene.timescales import Profile

if TYPE_CHECKING:
    from convene.access.models import User


def last_review(plan: Plan) -> date | None:
    return plan.reviews.order_by("-date").values_list("date", flat=True).first()


def brought_forward(plan: Plan, last: date | None) -> list[ReviewBroughtForward]:
    """The reviews brought forward since the last review conference, oldest first."""
    found = plan.brought_forward.select_related("recorded_by").order_by("recorded_on", "pk")
    if last is not None:
        found = found.filter(recorded_on__gte=last)
    return list(found)


@dataclass(frozen=True)
class ReviewState:
    """What the plan's review section shows."""

    due: rules.ReviewDue
    last_review: date | None
    brought_forward: list[ReviewBroughtForward]
    # A review conference about the child still to arrange or hold.
    arranged: Conference | None


def review_state(plan: Plan, profile: Profile) -> ReviewState:
    """Three queries: the last review, what brought it forward since, and any review conference
    already arranged."""
    last = last_review(plan)
    rows = brought_forward(plan, last)
    due = rules.review_due(
        profile,
        start=plan.start_date,
        last_review=last,
        brought_forward=[rules.BroughtForward(r.recorded_on, r.due) for r in rows],
    )
    return ReviewState(
        due=due, last_review=last, brought_forward=rows, arranged=arranged_review(plan)
    )


def arranged_review(plan: Plan) -> Conference | None:
    """A review conference about the plan's child that is still to arrange or hold."""
    return (
        Conference.objects.filter(
            type=ConferenceType.REVIEW,
            status__in=[ConferenceStatus.TO_ARRANGE, ConferenceStatus.SCHEDULED],
            subjects__child_id=plan.child_id,
            subjects__is_subject=True,
        )
        .order_by("date", "pk")
        .first()
    )


# Plans open 2 years or more (London CP4 §1.22) ---------------------------------------------


@dataclass(frozen=True)
class LongPlan:
    plan: Plan
    under_five: bool
    age: int | None
    length: str


LONG_PLANS_PAGE_SIZE = 50


def long_plans(user: User, *, today: date, profile: Profile) -> QuerySet[Plan]:
    """The open plans of 2 years or more of the children this person may see, under-fives
    first, then the longest first: a query set, for a page of it at a time. The rules are
    asked only for the boundaries (the last start date that makes a plan long today, the last
    date of birth of a child 5 or over today), so the database does the rest."""
    five_or_over = _last_birth_date_of_five(today)
    under_five = Q(child__date_of_birth__isnull=True) | Q(child__date_of_birth__gt=five_or_over)
    return (
        Plan.objects.filter(end_date__isnull=True, other_authority=False)
        .filter(start_date__lte=_last_long_start(today, profile))
        .filter(child__in=policy.visible_children(user, today=today).values("pk"))
        .select_related("child", "lead_social_worker")
        .annotate(under_five=Case(When(under_five, then=True), default=False))
        .order_by("-under_five", "start_date", "pk")
    )


def long_plan_rows(plans: Iterable[Plan], *, today: date) -> list[LongPlan]:
    return [
        LongPlan(
            plan=plan,
            under_five=plan.under_five,  # type: ignore[attr-defined]
            age=plan.child.age_on(today),
            length=rules.length_in_words(plan.start_date, today),
        )
        for plan in plans
    ]


def _last_long_start(today: date, profile: Profile) -> date:
    """The latest start date of a plan that is long today (`plan_is_long` holds for every
    earlier start)."""
    start = today
    while not rules.plan_is_long(start, today, profile):
        start -= timedelta(days=1)
    return start


def _last_birth_date_of_five(today: date) -> date:
    """The latest date of birth of a child 5 or over today (`is_under_five` is false for
    every earlier one)."""
    born = today
    while rules.is_under_five(born, today):
        born -= timedelta(days=1)
    return born
