"""Rules for keeping a child protection plan up to date between conferences, on plain values
(London CP4 §9.7 to §9.9, §14.3; Medway M:58; Derbyshire D:14 to D:17)."""

from __future__ import annotations

import enum
from datetime import date

from convene.core.services import Transition, Transitions
from convene.plans.enums import ActionStatus, Category, MeetingStatus
from convene.plans.rules import PlanAction
from convene.timescales.rules import is_overdue


class PlanState(enum.StrEnum):
    """Where a plan is in its life, for the transition table: only an open plan of this
    authority's is kept up to date here."""

    OPEN = "open"
    ENDED = "ended"
    # Recorded so it counts as a previous plan: another authority keeps it (London CP4 §1.17).
    ELSEWHERE = "elsewhere"


def plan_state(*, end_date: date | None, other_authority: bool) -> PlanState:
    if other_authority:
        return PlanState.ELSEWHERE
    return PlanState.OPEN if end_date is None else PlanState.ENDED


OPEN = frozenset({PlanState.OPEN})
NOT_OPEN = "Only an open plan of this authority's can be changed"

# The plan's changes between conferences, each allowed only while it is open (convene.policy
# decides who may make them). Actions not in this table (reviews, ending) are not limited here.
PLAN: Transitions[PlanAction, PlanState] = Transitions(
    {
        PlanAction.EDIT: Transition(OPEN, NOT_OPEN),
        PlanAction.UPDATE_ACTIONS: Transition(OPEN, NOT_OPEN),
        PlanAction.SCHEDULE_CORE_GROUP: Transition(OPEN, NOT_OPEN),
        PlanAction.RECORD_CORE_GROUP: Transition(OPEN, NOT_OPEN),
    }
)


# Actions -------------------------------------------------------------------------------------

# An action that is done, or no longer needed, is closed: it is never overdue.
CLOSED = frozenset({ActionStatus.DONE, ActionStatus.STOPPED})


def action_overdue(*, due: date, status: str, today: date) -> bool:
    """An action is overdue from the day after it was due, until it is done or no longer
    needed (the one "overdue": timescales.is_overdue)."""
    return status not in CLOSED and is_overdue(due, today)


def progress_problem(*, before: str, after: str, progress: str) -> str | None:
    """Closing an action needs its evidence: what was done, or why it is no longer needed
    (London CP4 §14.3: the core group follows actions up)."""
    if after == before or progress.strip():
        return None
    if after == ActionStatus.DONE:
        return "Say what was done: the evidence that the action is complete"
    if after == ActionStatus.STOPPED:
        return "Say why the action is no longer needed"
    return None


def done_on(
    *, before_status: str, before_done_on: date | None, after: str, on: date
) -> date | None:
    """The day an action was done: kept while it stays done, set the day it becomes done,
    cleared if it is reopened."""
    if after != ActionStatus.DONE:
        return None
    return before_done_on if before_status == ActionStatus.DONE else on


# The safer-sleeping discussion ----------------------------------------------------------------


def sudi_applies(*, date_of_birth: date | None, today: date) -> bool:
    """London CP4 §9.9: the plan for an unborn child or a baby records the discussion of
    sudden unexpected death in infancy (SUDI). A baby is a child under one year old."""
    if date_of_birth is None:
        return True
    try:
        first_birthday = date_of_birth.replace(year=date_of_birth.year + 1)
    except ValueError:  # born on 29 February
        first_birthday = date(date_of_birth.year + 1, 3, 1)
    return today < first_birthday


# Plain words for the family --------------------------------------------------------------------

# What each category of abuse means, for the family's copy of the plan, shortened from the
# definitions in Working Together to Safeguard Children.
PLAIN_CATEGORY: dict[str, str] = {
    Category.NEGLECT: "neglect (when a child's basic needs, such as food, warmth, safety, "
    "health care or supervision, are not met)",
    Category.PHYSICAL: "physical abuse (when a child is hurt on purpose)",
    Category.EMOTIONAL: "emotional abuse (when a child is made to feel frightened, worthless "
    "or unloved, including by seeing or hearing violence at home)",
    Category.SEXUAL: "sexual abuse (when a child is harmed sexually)",
    Category.MULTIPLE: "more than one kind of harm",
}


def plain_category(category: str) -> str:
    return PLAIN_CATEGORY.get(category, "harm")


# The colour of each status's tag (GOV.UK tag modifiers).
STATUS_TAG: dict[str, str] = {
    ActionStatus.NOT_STARTED: "govuk-tag--grey",
    ActionStatus.IN_PROGRESS: "govuk-tag--blue",
    ActionStatus.DONE: "govuk-tag--green",
    ActionStatus.STOPPED: "govuk-tag--grey",
    MeetingStatus.SCHEDULED: "govuk-tag--blue",
    MeetingStatus.HELD: "govuk-tag--green",
    MeetingStatus.CANCELLED: "govuk-tag--grey",
}
