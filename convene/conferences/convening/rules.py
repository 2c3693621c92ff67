"""Convening rules on plain values: deadlines by route, who may chair, and what to warn about.
(Which statuses scheduling and cancelling start from is in the one conference transition table,
`convene.conferences.rules.CONFERENCE`.)

Nothing here reads the clock or the database: callers pass `today`, the authority's profile and
the people involved, so every rule can be tested table-style.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time
from typing import TypeVar

from convene.conferences.enums import ChildOutcome, ConferenceStatus, MeetingMode, Route
from convene.conferences.rules import BEING_ARRANGED
from convene.plans.rules import FIRST_REVIEW, NEXT_REVIEW
from convene.timescales import Calendar, Profile

# London CP4 §3.6: conferences should not be held when parents are busy looking after their
# children, such as after the end of the school day. A start in this window clashes with the
# school run; a meeting still going after LATEST_FAMILY_END runs into the end of the school day.
SCHOOL_RUN_WINDOW = (time(14, 45), time(15, 30))
LATEST_FAMILY_END = time(15, 0)

# The timescale in the authority's profile that sets each route's deadline. A review's depends
# on whether it is the first (London CP4 §1.20), so it is chosen in `deadline_for`. A child
# assessment order has no timescale: the conference follows the assessments at once (§1.9).
ROUTE_TIMESCALE: dict[Route, str] = {
    Route.SECTION_47: "icpc",  # London CP4 §1.7
    Route.PRE_BIRTH: "prebirth_conference",  # §1.16
    Route.TRANSFER_IN: "transfer_in_conference",  # §1.18
    Route.EMERGENCY_PROTECTION_ORDER: "emergency_protection_order_conference",  # §1.8
    Route.LOOKED_AFTER_RETURNING_HOME: "icpc_after_looked_after_review",  # §2.2
    Route.RECONVENED: "reconvene_deferred",  # Register guidance
}

# What a conference's `counts_from` date is, by route, as a page asks for it.
COUNTS_FROM_LABEL: dict[Route, str] = {
    Route.SECTION_47: "Date of the strategy discussion",
    Route.PRE_BIRTH: "The baby's due date",
    Route.TRANSFER_IN: "Date you were told the child had moved here on a plan",
    Route.EMERGENCY_PROTECTION_ORDER: "Date the emergency protection order ends",
    Route.CHILD_ASSESSMENT_ORDER: "Date the examinations and assessments end",
    Route.LOOKED_AFTER_RETURNING_HOME: "Date the looked-after review decided to ask for a "
    "conference",
    Route.REVIEW: "Date of the last conference (the plan's start or its last review)",
    Route.RECONVENED: "Date of the conference that put off its decision",
    Route.AFTER_COMPLAINT: "Date to hold it by, set when the complaint was decided",
}


@dataclasses.dataclass(frozen=True)
class Deadline:
    due: date
    explanation: str


def deadline_for(
    route: Route, counts_from: date, profile: Profile, *, first_review: bool = True
) -> Deadline:
    """The last day the conference may be held and still be on time, and why."""
    if route == Route.CHILD_ASSESSMENT_ORDER:
        # London CP4 §1.9: held immediately on conclusion of the examinations and assessments.
        return Deadline(
            due=counts_from,
            explanation="as soon as the examinations and assessments under the child "
            "assessment order end (London CP4 §1.9)",
        )
    if route == Route.AFTER_COMPLAINT:
        # London CP4 §12.4 sets no timescale: whoever decided the complaint set the date.
        return Deadline(
            due=counts_from,
            explanation="by the date set when the complaint about the conference was decided "
            "(London CP4 §12.4)",
        )
    if route == Route.REVIEW:
        # London CP4 §1.20: the first review within 3 months, later ones within 6 months.
        key = FIRST_REVIEW if first_review else NEXT_REVIEW
    else:
        key = ROUTE_TIMESCALE[route]
    timescale = profile.timescale(key)
    return Deadline(due=timescale.due(counts_from), explanation=timescale.explain())


def is_late(day: date, deadline: Deadline | None) -> bool:
    """London CP4 §1.10: a conference after its deadline is a delay, reported with reasons."""
    return deadline is not None and day > deadline.due


# One enquiry, one initial conference at a time ------------------------------------------


@dataclasses.dataclass(frozen=True)
class EnquiryFacts:
    """One of a child's section 47 enquiries, as plain values."""

    started: date  # the strategy discussion
    ended: date | None
    conference_not_required: bool
    # The day its initial (or pre-birth) conference was held, if it has been.
    conference_held_on: date | None
    # Whether an initial conference for it is to arrange, scheduled or held (not cancelled).
    conference_planned: bool


def no_conference_needed(
    *, ended: date | None, conference_not_required: bool, conference_planned: bool, on: date
) -> bool:
    """The census's ICPCnotRequired (N00111) as at `on`: the enquiry ended without needing an
    initial conference. Recorded as such, or ended by `on` with no conference planned for it."""
    ended_by = ended is not None and ended <= on
    if conference_not_required:
        return ended is None or ended_by
    return ended_by and not conference_planned


def enquiry_open_on(facts: EnquiryFacts, day: date, *, today: date) -> bool:
    """DfE census rule 8890: an enquiry is ongoing from its strategy discussion until its initial
    conference is held (that day included), or, with no conference held, until it ended with
    no conference needed (as known `today`, as the census knows it at its reference date)."""
    if facts.started > day:
        return False
    if facts.conference_held_on is not None:
        return day <= facts.conference_held_on
    return not no_conference_needed(
        ended=facts.ended,
        conference_not_required=facts.conference_not_required,
        conference_planned=facts.conference_planned,
        on=today,
    )


def enquiry_refusal(
    *,
    name: str,
    started: date,
    ended: date | None,
    existing: Iterable[EnquiryFacts],
    today: date,
) -> str | None:
    """Why a new section 47 enquiry for this child, from the strategy discussion on `started`,
    may not be recorded, or None. DfE census rule 8890: an enquiry may not start while another
    of the child's is ongoing; nor may one start before an enquiry already recorded unless it
    ended first (otherwise that one would start while this one is ongoing)."""
    new = EnquiryFacts(started, ended, False, None, conference_planned=False)
    for other in sorted(existing, key=lambda e: e.started):
        if enquiry_open_on(other, started, today=today):
            return (
                f"{name} already has a section 47 enquiry open since {other.started:%-d %B %Y}: "
                "record the conference for that enquiry, or end it first"
            )
        if other.started > started and enquiry_open_on(new, other.started, today=today):
            return (
                f"{name} already has a section 47 enquiry from {other.started:%-d %B %Y}, after "
                "this strategy discussion: enter the date this enquiry ended"
            )
    return None


def initial_conference_open(status: str, outcome: str) -> bool:
    """Whether a child's initial (or pre-birth) conference is still open: not cancelled, and not
    yet held, or held with the decision deferred. A conference held without a recorded outcome
    is closed: decisions imported from other systems (and those not yet recorded in Convene)
    leave the outcome blank."""
    if status in BEING_ARRANGED:
        return True
    return status == ConferenceStatus.HELD and outcome == ChildOutcome.DEFERRED


@dataclasses.dataclass(frozen=True)
class OpenConference:
    """A child's initial conference still open, as a page names it."""

    kind: str  # "initial child protection conference", "pre-birth conference"
    since: date | None  # when it was decided on (or the day it counts from)


def initial_conference_refusal(name: str, open_conferences: Iterable[OpenConference]) -> str | None:
    """Why a new initial conference may not be started about this child, or None: one initial
    conference at a time (DfE census rule 8890 applies it to the enquiries behind them)."""
    for conference in open_conferences:
        since = f", decided on {conference.since:%-d %B %Y}" if conference.since else ""
        return f"{name} already has an open {conference.kind}{since}: hold or cancel it first"
    return None


# Chairs --------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class CaseRole:
    """Someone with operational or line-management responsibility for the case, and why."""

    user_id: int
    why: str


def chair_refusal(chair_id: int, case_roles: Iterable[CaseRole]) -> str | None:
    """Why this person may not chair, or None. London CP4 §8.1: the chair must not have or have
    had operational or line-management responsibility for the case."""
    for role in case_roles:
        if role.user_id == chair_id:
            return f"This person cannot chair the conference: they are {role.why} (London CP4 §8.1)"
    return None


T = TypeVar("T")


def chairs_in_order(candidates: Sequence[T], ids: Sequence[int], earlier: Sequence[int]) -> list[T]:
    """Candidates with whoever chaired the children's earlier conferences first, most recent
    first (London CP4 §8.1: the same chair wherever possible), then the rest as given."""
    rank = {chair_id: i for i, chair_id in enumerate(dict.fromkeys(earlier))}
    order = sorted(range(len(candidates)), key=lambda i: (rank.get(ids[i], len(rank)), i))
    return [candidates[i] for i in order]


# Warnings ------------------------------------------------------------------------------


def working_day_warning(day: date, calendar: Calendar) -> str | None:
    """A warning when `day` is a weekend, bank holiday or closure day: not refused, since a
    conference may have to be held then, but worth a second look."""
    why = calendar.why_not_working(day)
    if why is None:
        return None
    if why == f"{day:%A}":
        return f"Check the date: {day:%A %-d %B %Y} is a weekend"
    return f"Check the date: {day:%A %-d %B %Y} is {why}"


def school_run_warning(starts_at: time, ends_at: time) -> str | None:
    """London CP4 §3.6: a warning when the meeting clashes with the end of the school day."""
    window_start, window_end = SCHOOL_RUN_WINDOW
    if window_start <= starts_at <= window_end:
        return (
            f"Check the time: parents may be collecting children from school between "
            f"{window_start:%H:%M} and {window_end:%H:%M} (London CP4 §3.6)"
        )
    if ends_at > LATEST_FAMILY_END:
        return (
            f"Check the time: the conference ends after {LATEST_FAMILY_END:%H:%M}, when parents "
            "may be looking after children home from school (London CP4 §3.6)"
        )
    return None


def past_start_warning(day: date, starts_at: time, now: datetime | None) -> str | None:
    """A warning when the conference is today and its start time has already passed (`now` is
    local time): not refused, since a conference held earlier today may be recorded late."""
    if now is None or day != now.date() or starts_at >= now.time().replace(tzinfo=None):
        return None
    return f"Check the time: {starts_at:%H:%M} today has already passed (it is now {now:%H:%M})"


def schedule_warnings(
    day: date, starts_at: time, ends_at: time, calendar: Calendar, now: datetime | None = None
) -> list[str]:
    found = [
        past_start_warning(day, starts_at, now),
        working_day_warning(day, calendar),
        school_run_warning(starts_at, ends_at),
    ]
    return [warning for warning in found if warning]


# Checks on what was entered ------------------------------------------------------------


def meeting_place_problems(mode: str, venue: str, virtual_link: str) -> dict[str, str]:
    """What is missing for the way the meeting is held, by field."""
    problems: dict[str, str] = {}
    if mode in (MeetingMode.IN_PERSON, MeetingMode.HYBRID) and not venue.strip():
        problems["venue"] = "Enter where the conference will be held"
    if mode in (MeetingMode.VIRTUAL, MeetingMode.HYBRID) and not virtual_link.strip():
        problems["virtual_link"] = "Enter the link to join the conference online"
    return problems


def time_problem(starts_at: time, ends_at: time) -> str | None:
    if ends_at <= starts_at:
        return "End time must be after the start time"
    return None
