"""Core group meetings' rules on plain values: what each status allows, who needs which plan
action, the dates, and the early review's due date."""

from __future__ import annotations

from datetime import date

import pytest

from convene.core.services import ServiceError
from convene.plans.core_groups.rules import (
    MEETING,
    MeetingAction,
    date_problem,
    early_review_due,
    early_review_problems,
    meeting_offered,
    record_problem,
    views_problem,
)
from convene.plans.enums import MeetingStatus
from convene.timescales import Nation, calendar_for

M = MeetingAction
S = MeetingStatus


@pytest.mark.parametrize(
    ("status", "available"),
    [
        (S.SCHEDULED, {M.RESCHEDULE, M.CANCEL, M.RECORD}),
        (S.HELD, {M.ADD_ACTIONS}),
        (S.CANCELLED, set()),
    ],
)
def test_what_each_status_allows(status, available):
    assert MEETING.available(status) == available


def test_recording_a_meeting_makes_it_held_and_only_once():
    assert MEETING.check(M.RECORD, S.SCHEDULED) == S.HELD
    with pytest.raises(ServiceError, match="already saved"):
        MEETING.check(M.RECORD, S.HELD)
    assert MEETING.check(M.CANCEL, S.SCHEDULED) == S.CANCELLED


@pytest.mark.parametrize(
    ("plan_offered", "expected"),
    [
        ({"view"}, set()),
        ({"view", "schedule_core_group"}, {M.RESCHEDULE, M.CANCEL}),
        ({"view", "record_core_group"}, {M.RECORD}),
    ],
)
def test_the_meeting_offers_what_the_plan_offers(plan_offered, expected):
    assert meeting_offered(S.SCHEDULED, frozenset(plan_offered)) == expected


@pytest.mark.parametrize(
    ("day", "problem"),
    [(date(2026, 1, 11), "on or after the day the plan started"), (date(2026, 1, 12), None)],
)
def test_a_meeting_is_during_the_plan(day, problem):
    found = date_problem(day=day, plan_start=date(2026, 1, 12))
    assert (problem or "") in (found or "") and bool(found) == bool(problem)


def test_a_meeting_is_recorded_on_the_day_or_after():
    assert record_problem(day=date(2026, 3, 10), today=date(2026, 3, 10)) is None
    assert "record it on the day or after" in (
        record_problem(day=date(2026, 3, 11), today=date(2026, 3, 10)) or ""
    )


def test_an_early_review_is_due_when_the_group_says_or_20_working_days_after_the_meeting():
    calendar = calendar_for(Nation.ENGLAND_AND_WALES)
    # Monday 16 March 2026: 20 working days later is Wednesday 15 April, as Good Friday
    # (3 April) and Easter Monday (6 April) are bank holidays.
    assert early_review_due(
        meeting_date=date(2026, 3, 16), asked_for=None, calendar=calendar
    ) == date(2026, 4, 15)
    assert early_review_due(
        meeting_date=date(2026, 3, 16), asked_for=date(2026, 3, 30), calendar=calendar
    ) == date(2026, 3, 30)


@pytest.mark.parametrize(
    ("requested", "reason", "asked_for", "fields"),
    [
        (False, "", None, set()),
        (True, "", None, {"early_review_reason"}),
        (True, "A new incident", date(2026, 3, 16), {"early_review_due"}),
        (True, "A new incident", date(2026, 3, 17), set()),
    ],
)
def test_an_early_review_needs_its_reason_and_a_date_after_the_meeting(
    requested, reason, asked_for, fields
):
    problems = early_review_problems(
        requested=requested, reason=reason, asked_for=asked_for, meeting_date=date(2026, 3, 16)
    )
    assert set(problems) == fields


def test_written_views_are_for_those_who_did_not_come():
    assert views_problem(name="Jo", attended=False, written_views="My views") is None
    assert views_problem(name="Jo", attended=True, written_views="") is None
    assert "Jo came to the meeting" in (
        views_problem(name="Jo", attended=True, written_views="My views") or ""
    )
