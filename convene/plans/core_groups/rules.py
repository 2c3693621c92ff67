"""Rules for core group meetings, on plain values (Cornwall C:123; London CP4 §1.23, §14.3)."""

from __future__ import annotations

import enum
from datetime import date

from convene.core.services import Transition, Transitions
from convene.plans.enums import MeetingStatus
from convene.plans.rules import PlanAction
from convene.timescales import Calendar


class MeetingAction(enum.StrEnum):
    """What may be done to one core group meeting (convene.policy decides who, through the
    plan action each needs: `NEEDS`)."""

    RESCHEDULE = "reschedule"
    CANCEL = "cancel"
    RECORD = "record"
    # Actions agreed or changed at the meeting, once its record is saved.
    ADD_ACTIONS = "add_actions"


Status = MeetingStatus
SCHEDULED = frozenset({Status.SCHEDULED})
HELD = frozenset({Status.HELD})

MEETING: Transitions[MeetingAction, MeetingStatus] = Transitions(
    {
        MeetingAction.RESCHEDULE: Transition(
            SCHEDULED, "Only a meeting that is still to happen can be moved"
        ),
        MeetingAction.CANCEL: Transition(
            SCHEDULED, "Only a meeting that is still to happen can be cancelled", Status.CANCELLED
        ),
        # The record is written once; a cancelled meeting has none.
        MeetingAction.RECORD: Transition(
            SCHEDULED,
            "This meeting's record is already saved, or the meeting was cancelled",
            Status.HELD,
        ),
        MeetingAction.ADD_ACTIONS: Transition(HELD, "Save the meeting's record first"),
    }
)

# The plan action (convene.policy) each meeting action needs.
NEEDS: dict[MeetingAction, PlanAction] = {
    MeetingAction.RESCHEDULE: PlanAction.SCHEDULE_CORE_GROUP,
    MeetingAction.CANCEL: PlanAction.SCHEDULE_CORE_GROUP,
    MeetingAction.RECORD: PlanAction.RECORD_CORE_GROUP,
    MeetingAction.ADD_ACTIONS: PlanAction.RECORD_CORE_GROUP,
}


def meeting_offered(status: str, plan_offered: frozenset[str]) -> frozenset[MeetingAction]:
    """The meeting actions someone may take now: those whose plan action they are offered (the
    policy and the plan's state) and the meeting's status allows."""
    return frozenset(
        action for action in MEETING.available(status) if NEEDS[action] in plan_offered
    )


def date_problem(*, day: date, plan_start: date) -> str | None:
    """A core group meets during the plan: from the day it started (Cornwall C:123)."""
    if day < plan_start:
        return f"The meeting must be on or after the day the plan started ({plan_start:%-d %B %Y})"
    return None


def record_problem(*, day: date, today: date) -> str | None:
    """A meeting is recorded once it has happened."""
    if day > today:
        return f"The meeting is on {day:%-d %B %Y}: record it on the day or after"
    return None


# London CP4 §1.23 lets a review be brought forward but does not say how soon it is then held.
# When the core group gives no date, Convene takes 20 working days after the meeting (issue 10:
# kept simple on purpose; the owner of the review deadlines may make it a profile timescale).
EARLY_REVIEW_WORKING_DAYS = 20


def early_review_due(*, meeting_date: date, asked_for: date | None, calendar: Calendar) -> date:
    """The day the early review the core group asked for is due: the date the group gave, or
    20 working days after the meeting."""
    if asked_for is not None:
        return asked_for
    return calendar.add_working_days(meeting_date, EARLY_REVIEW_WORKING_DAYS)


def early_review_problems(
    *, requested: bool, reason: str, asked_for: date | None, meeting_date: date
) -> dict[str, str]:
    if not requested:
        return {}
    problems = {}
    if not reason.strip():
        problems["early_review_reason"] = "Say why the core group asks for an early review"
    if asked_for is not None and asked_for <= meeting_date:
        problems["early_review_due"] = (
            f"The date the review is wanted by must be after the meeting ({meeting_date:%-d %B %Y})"
        )
    return problems


def views_problem(*, name: str, attended: bool, written_views: str) -> str | None:
    """Written views are those of a member who could not come (London CP4 §14.3)."""
    if attended and written_views.strip():
        return (
            f"{name} came to the meeting: leave their written views blank, or say they did not come"
        )
    return None
