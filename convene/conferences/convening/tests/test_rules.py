"""Convening rules on plain values: deadlines by route, chairs, warnings; and the statuses
scheduling and cancelling start from, in the one conference transition table."""

from __future__ import annotations

from datetime import date, time

import pytest

from convene.conferences.convening import rules
from convene.conferences.enums import ConferenceStatus, MeetingMode, Route
from convene.conferences.rules import CONFERENCE, ConferenceAction
from convene.timescales import calendar_for, get_profile

LONDON = get_profile("london")
CLOSED = date(2026, 12, 29)
CALENDAR = calendar_for("england-and-wales", closures=[CLOSED])


@pytest.mark.parametrize(
    ("route", "counts_from", "first_review", "due", "cites"),
    [
        # §1.7: 15 working days from Monday 2 November 2026.
        (Route.SECTION_47, date(2026, 11, 2), True, date(2026, 11, 23), "§1.7"),
        # §1.16: at least 10 weeks before the due date.
        (Route.PRE_BIRTH, date(2027, 3, 15), True, date(2027, 1, 4), "§1.16"),
        (Route.TRANSFER_IN, date(2026, 11, 2), True, date(2026, 11, 23), "§1.18"),
        # §1.8: before the emergency protection order ends.
        (Route.EMERGENCY_PROTECTION_ORDER, date(2026, 11, 10), True, date(2026, 11, 9), "§1.8"),
        # §1.9: immediately the assessments end.
        (Route.CHILD_ASSESSMENT_ORDER, date(2026, 11, 10), True, date(2026, 11, 10), "§1.9"),
        (Route.LOOKED_AFTER_RETURNING_HOME, date(2026, 11, 2), True, date(2026, 11, 17), "§2.2"),
        # §1.20: first review within 3 months, the next within 6.
        (Route.REVIEW, date(2026, 11, 30), True, date(2027, 2, 28), "§1.20"),
        (Route.REVIEW, date(2026, 11, 30), False, date(2027, 5, 30), "§1.20"),
        (Route.RECONVENED, date(2026, 11, 2), True, date(2026, 11, 16), "Register"),
    ],
)
def test_each_route_has_its_deadline_with_the_paragraph_it_comes_from(
    route: Route, counts_from: date, first_review: bool, due: date, cites: str
) -> None:
    deadline = rules.deadline_for(route, counts_from, LONDON, first_review=first_review)
    assert deadline.due == due
    assert cites in deadline.explanation


def test_a_date_after_the_deadline_is_late_and_the_deadline_itself_is_not() -> None:
    deadline = rules.Deadline(due=date(2026, 11, 23), explanation="")
    assert not rules.is_late(date(2026, 11, 23), deadline)
    assert rules.is_late(date(2026, 11, 24), deadline)
    assert not rules.is_late(date(2030, 1, 1), None)


@pytest.mark.parametrize(
    ("action", "status", "allowed"),
    [
        ("schedule", ConferenceStatus.TO_ARRANGE, True),
        ("schedule", ConferenceStatus.SCHEDULED, True),
        ("schedule", ConferenceStatus.HELD, False),
        ("schedule", ConferenceStatus.CANCELLED, False),
        ("cancel", ConferenceStatus.TO_ARRANGE, True),
        ("cancel", ConferenceStatus.SCHEDULED, True),
        ("cancel", ConferenceStatus.HELD, False),
        ("cancel", ConferenceStatus.CANCELLED, False),
    ],
)
def test_actions_are_allowed_only_from_their_statuses(
    action: str, status: ConferenceStatus, allowed: bool
) -> None:
    assert CONFERENCE.allows(ConferenceAction(action), status) is allowed


def test_scheduling_leaves_a_conference_scheduled_and_cancelling_cancelled() -> None:
    for status in (ConferenceStatus.TO_ARRANGE, ConferenceStatus.SCHEDULED):
        assert CONFERENCE.check(ConferenceAction.SCHEDULE, status) == ConferenceStatus.SCHEDULED
        assert CONFERENCE.check(ConferenceAction.CANCEL, status) == ConferenceStatus.CANCELLED


CASE = [
    rules.CaseRole(10, "the allocated social worker for Mina Example"),
    rules.CaseRole(11, "the team manager of Mina Example's social worker"),
]


def test_it_refuses_the_allocated_social_worker_as_chair() -> None:
    refusal = rules.chair_refusal(10, CASE)
    assert refusal is not None
    assert "allocated social worker" in refusal and "§8.1" in refusal


def test_it_refuses_a_chair_who_manages_the_case() -> None:
    refusal = rules.chair_refusal(11, CASE)
    assert refusal is not None
    assert "team manager" in refusal


def test_it_accepts_a_chair_with_no_part_in_the_case() -> None:
    assert rules.chair_refusal(12, CASE) is None


def test_the_earlier_chair_is_offered_first() -> None:
    names = ["Ann", "Bob", "Cat"]
    assert rules.chairs_in_order(names, [1, 2, 3], earlier=[3]) == ["Cat", "Ann", "Bob"]
    assert rules.chairs_in_order(names, [1, 2, 3], earlier=[2, 3, 2]) == ["Bob", "Cat", "Ann"]
    assert rules.chairs_in_order(names, [1, 2, 3], earlier=[]) == names


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 11, 23), None),
        (date(2026, 11, 28), "Check the date: Saturday 28 November 2026 is a weekend"),
        (date(2026, 12, 25), "Check the date: Friday 25 December 2026 is Christmas Day"),
        (date(2026, 12, 29), "Check the date: Tuesday 29 December 2026 is a closure day"),
    ],
)
def test_it_warns_about_weekends_bank_holidays_and_closure_days(
    day: date, expected: str | None
) -> None:
    warning = rules.working_day_warning(day, CALENDAR)
    if expected is None:
        assert warning is None
    else:
        assert warning is not None and warning.startswith(expected)


@pytest.mark.parametrize(
    ("starts", "ends", "warned"),
    [
        (time(10, 0), time(12, 0), False),
        (time(13, 0), time(15, 0), False),
        (time(13, 0), time(15, 1), True),
        (time(14, 45), time(16, 0), True),
        (time(15, 30), time(17, 0), True),
        (time(14, 44), time(14, 59), False),
    ],
)
def test_it_warns_about_the_school_run(starts: time, ends: time, warned: bool) -> None:
    warning = rules.school_run_warning(starts, ends)
    assert (warning is not None) is warned
    if warning:
        assert "§3.6" in warning


@pytest.mark.parametrize(
    ("mode", "venue", "link", "fields"),
    [
        (MeetingMode.IN_PERSON, "Room 1", "", set()),
        (MeetingMode.IN_PERSON, "", "", {"venue"}),
        (MeetingMode.VIRTUAL, "", "", {"virtual_link"}),
        (MeetingMode.HYBRID, "", "", {"venue", "virtual_link"}),
        (MeetingMode.HYBRID, "Room 1", "https://meet.example/1", set()),
    ],
)
def test_each_way_of_meeting_needs_its_place(
    mode: MeetingMode, venue: str, link: str, fields: set[str]
) -> None:
    assert set(rules.meeting_place_problems(mode, venue, link)) == fields


def test_the_end_time_must_follow_the_start() -> None:
    assert rules.time_problem(time(10), time(10)) is not None
    assert rules.time_problem(time(10), time(11)) is None


# One section 47 enquiry, and one initial conference, at a time (DfE census rule 8890) ------

NOV = 11


def _enquiry(
    started: int,
    *,
    ended: int | None = None,
    not_required: bool = False,
    held: int | None = None,
    planned: bool = False,
) -> rules.EnquiryFacts:
    """An enquiry of 2026, by the days of November."""
    return rules.EnquiryFacts(
        started=date(2026, NOV, started),
        ended=date(2026, NOV, ended) if ended else None,
        conference_not_required=not_required,
        conference_held_on=date(2026, NOV, held) if held else None,
        conference_planned=planned or held is not None,
    )


@pytest.mark.parametrize(
    ("existing", "starts", "ends", "refused"),
    [
        # Open since 3 November with no decision yet: nothing new may start on or after it.
        (_enquiry(3), 20, None, "open since 3 November 2026"),
        (_enquiry(3), 3, None, "open since 3 November 2026"),
        # Its initial conference is arranged but not held: still open.
        (_enquiry(3, ended=10, planned=True), 20, None, "open since 3 November 2026"),
        # Held on 17 November: open until that day, included (the census counts it so).
        (_enquiry(3, held=17), 17, None, "open since 3 November 2026"),
        (_enquiry(3, held=17), 18, None, None),
        # Ended with no conference needed, by a decision or an end date with none planned.
        (_enquiry(3, ended=10, not_required=True), 20, None, None),
        (_enquiry(3, not_required=True), 20, None, None),
        (_enquiry(3, ended=10), 20, None, None),
        # A strategy discussion before an enquiry already recorded must have ended.
        (_enquiry(10, held=17), 3, None, "from 10 November 2026, after this strategy"),
        (_enquiry(10, held=17), 3, 8, None),
    ],
)
def test_a_section_47_enquiry_may_not_start_while_another_is_open(
    existing: rules.EnquiryFacts, starts: int, ends: int | None, refused: str | None
) -> None:
    refusal = rules.enquiry_refusal(
        name="Kai Brook",
        started=date(2026, NOV, starts),
        ended=date(2026, NOV, ends) if ends else None,
        existing=[existing],
        today=date(2026, NOV, 24),
    )
    if refused is None:
        assert refusal is None
    else:
        assert refusal is not None and refused in refusal and refusal.startswith("Kai Brook")


def test_the_refusal_says_what_to_do() -> None:
    assert rules.enquiry_refusal(
        name="Kai Brook",
        started=date(2026, NOV, 20),
        ended=None,
        existing=[_enquiry(3)],
        today=date(2026, NOV, 24),
    ) == (
        "Kai Brook already has a section 47 enquiry open since 3 November 2026: record the "
        "conference for that enquiry, or end it first"
    )


@pytest.mark.parametrize(
    ("ended", "not_required", "planned", "on", "needed_none"),
    [
        (None, False, False, date(2026, 11, 24), False),
        (None, True, False, date(2026, 11, 24), True),
        (date(2026, 11, 10), True, False, date(2026, 11, 24), True),
        # Recorded as needing none, but ending after the day asked about: not yet.
        (date(2026, 11, 30), True, False, date(2026, 11, 24), False),
        (date(2026, 11, 10), False, False, date(2026, 11, 24), True),
        (date(2026, 11, 10), False, True, date(2026, 11, 24), False),
    ],
)
def test_no_conference_needed_as_the_census_counts_it(
    ended: date | None, not_required: bool, planned: bool, on: date, needed_none: bool
) -> None:
    found = rules.no_conference_needed(
        ended=ended, conference_not_required=not_required, conference_planned=planned, on=on
    )
    assert found is needed_none


@pytest.mark.parametrize(
    ("status", "outcome", "still_open"),
    [
        (ConferenceStatus.TO_ARRANGE, "", True),
        (ConferenceStatus.SCHEDULED, "", True),
        (ConferenceStatus.HELD, "deferred", True),
        (ConferenceStatus.HELD, "cp_plan", False),
        (ConferenceStatus.HELD, "nfa", False),
        (ConferenceStatus.HELD, "", False),
        (ConferenceStatus.CANCELLED, "", False),
    ],
)
def test_an_initial_conference_is_open_until_held_with_a_decision(
    status: str, outcome: str, still_open: bool
) -> None:
    assert rules.initial_conference_open(status, outcome) is still_open


def test_a_second_initial_conference_is_refused_with_the_first_named() -> None:
    first = rules.OpenConference("initial child protection conference", date(2026, NOV, 3))
    assert rules.initial_conference_refusal("Kai Brook", []) is None
    assert rules.initial_conference_refusal("Kai Brook", [first]) == (
        "Kai Brook already has an open initial child protection conference, decided on "
        "3 November 2026: hold or cancel it first"
    )
