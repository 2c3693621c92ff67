"""Pure rules for escalating dissent: when each step is due, which stage comes next, and where
a dissent starts. No clock is read here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from convene.timescales import Profile
from convene.timescales.calendars import Calendar

from .models import StageHolder


@dataclass(frozen=True)
class Stage:
    order: int
    name: str
    holder: StageHolder
    days: int
    working_days: bool


# The authority's stages until it sets its own (London CP4 §11.1; Register R:19: the head of
# service answers in writing within 28 days).
DEFAULT_STAGES = (
    Stage(1, "The conference chair talks it through with the agency", StageHolder.CHAIR, 5, True),
    Stage(2, "The chair's manager reviews the decision", StageHolder.CHAIRS_MANAGER, 5, True),
    Stage(3, "The head of service answers in writing", StageHolder.HEAD_OF_SERVICE, 28, False),
)


def due(stage: Stage, start: date, calendar: Calendar) -> date:
    if stage.working_days:
        return calendar.add_working_days(start, stage.days)
    return start + timedelta(days=stage.days)


def first_stage(stages: Sequence[Stage], *, agency: bool) -> Stage | None:
    """An agency's dissent starts at the first stage; a family's goes to the head of service
    (the first stage held by them, else the last)."""
    if not stages:
        return None
    if agency:
        return stages[0]
    heads = [s for s in stages if s.holder == StageHolder.HEAD_OF_SERVICE]
    return heads[0] if heads else stages[-1]


def next_stage(stages: Sequence[Stage], after: int) -> Stage | None:
    later = [s for s in stages if s.order > after]
    return later[0] if later else None


def is_overdue(step_due: date, answered_on: date | None, today: date) -> bool:
    return answered_on is None and step_due < today


# Appeals (Register R:20: in writing within 5 working days, answered within 28 days) -------


@dataclass(frozen=True)
class AppealDates:
    in_time_by: date  # the last day to appeal in time
    late: bool
    due: date  # the written answer


def appeal_in_time_by(profile: Profile, conference_date: date) -> date:
    """The last day to appeal in time: 5 working days after the conference (`appeal_lodged`)."""
    return profile.timescale("appeal_lodged").due(conference_date)


def appeal_dates(profile: Profile, *, conference_date: date, received_on: date) -> AppealDates:
    in_time_by = appeal_in_time_by(profile, conference_date)
    return AppealDates(
        in_time_by=in_time_by,
        late=received_on > in_time_by,
        due=profile.timescale("appeal_response").due(received_on),
    )


def received_problems(received_on: date | None, *, since: date, today: date) -> dict[str, str]:
    """When an appeal or complaint came in: on or after the conference, and not in the future."""
    if received_on is None:
        return {"received_on": "Enter the date it was received"}
    if received_on > today:
        return {"received_on": "The date it was received must be today or in the past"}
    if received_on < since:
        return {"received_on": f"The date it was received must be on or after {since:%-d %B %Y}"}
    return {}
