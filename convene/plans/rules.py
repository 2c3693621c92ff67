"""Rules about a child's plan history, on plain values."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class PlanFacts:
    """What the rules need to know of one plan."""

    start_date: date
    end_date: date | None
    previous_plans_elsewhere: int = 0
    other_authority: bool = False


def previous_plan_count(plan: PlanFacts, history: Iterable[PlanFacts]) -> int:
    """NumberOfPreviousCPP (census item N00106): the child's plans that started before this
    one, in this authority or recorded from another, plus the plans elsewhere recorded on this
    plan as a number. A transfer-in adds nothing by itself (cin-census.md)."""
    earlier = sum(1 for other in history if other.start_date < plan.start_date)
    return earlier + plan.previous_plans_elsewhere


# The procedure profile's timescales for a plan's reviews.
FIRST_REVIEW = "first_review"
NEXT_REVIEW = "next_review"


def next_review(start: date, last_review: date | None) -> tuple[str, date]:
    """London CP4 §1.20: the first review conference is counted from the start of the plan,
    each later one from the last review. The profile's timescale for it, and the date it counts
    from."""
    if last_review is None:
        return FIRST_REVIEW, start
    return NEXT_REVIEW, last_review


class PlanAction(enum.StrEnum):
    """What may be done to a child protection plan (convene.policy decides who)."""

    VIEW = "view"
    # The plan's detail between conferences: objectives, actions, the core group (§9.8).
    EDIT = "edit"
    UPDATE_ACTIONS = "update_actions"
    # Core group meetings: scheduled, then recorded (§14.3).
    SCHEDULE_CORE_GROUP = "schedule_core_group"
    RECORD_CORE_GROUP = "record_core_group"
    # Reviews (§1.20 to §1.23).
    BRING_REVIEW_FORWARD = "bring_review_forward"
    RECORD_BIRTH = "record_birth"
    # Ending without a conference (§10.5 to §10.6).
    END_WITHOUT_CONFERENCE = "end_without_conference"
