"""The pure rules for the day of a conference: quorum (London CP4 §3.10), attendance entries,
and the early review after an inquorate conference (§3.12)."""

from dataclasses import dataclass
from datetime import date, time

import pytest

from convene.conferences.enums import Attendance, ConferenceStatus
from convene.conferences.meeting.rules import (
    attendance_problem,
    early_review_due,
    meeting_open,
    quorum_for_child,
)
from convene.conferences.rules import CONFERENCE, ConferenceAction


@pytest.mark.parametrize(
    ("present", "csc", "contact", "quorate", "counted", "short"),
    [
        # Children's social care and two agencies with contact: quorate.
        ({"health", "school"}, True, {"health", "school"}, True, ("health", "school"), 0),
        # More than enough is still quorate, and only those with contact count.
        (
            {"health", "school", "police"},
            True,
            {"health", "school", "police", "gp"},
            True,
            ("health", "police", "school"),
            0,
        ),
        # No one from children's social care.
        ({"health", "school"}, False, {"health", "school"}, False, ("health", "school"), 0),
        # An agency present without contact with this child does not count for them.
        ({"health", "police"}, True, {"health", "school"}, False, ("health",), 1),
        # Agencies with contact that did not come do not count either.
        (set(), True, {"health", "school"}, False, (), 2),
        # A child no agency has worked with cannot be quorate (§3.10: may be breached).
        ({"health", "school"}, True, set(), False, (), 2),
    ],
)
def test_quorum_is_csc_and_two_agencies_with_contact_with_the_child(
    present, csc, contact, quorate, counted, short
):
    quorum = quorum_for_child(present, csc, contact)
    assert quorum.quorate is quorate
    assert quorum.counted == counted
    assert quorum.agencies_short == short


def test_an_inquorate_child_is_told_what_was_missing():
    quorum = quorum_for_child({"police"}, False, {"health"})
    assert quorum.missing == [
        "No one from children's social care was present",
        "2 more agencies that have had direct contact with the child were needed",
    ]
    assert quorum_for_child({"health"}, True, {"health"}).missing == [
        "One more agency that has had direct contact with the child was needed"
    ]
    assert quorum_for_child({"a", "b"}, True, {"a", "b"}).missing == []


@pytest.mark.parametrize(
    ("attendance", "arrived", "left", "problem"),
    [
        (Attendance.PRESENT, None, None, None),
        (Attendance.VIRTUAL, None, None, None),
        (Attendance.APOLOGIES, None, None, None),
        (Attendance.ABSENT, time(10), None, None),
        (Attendance.PART, time(10), time(11), None),
        (Attendance.PART, None, time(11), ("arrived_at", "Enter the time they arrived")),
        (Attendance.PART, time(10), None, ("left_at", "Enter the time they left")),
        (
            Attendance.PART,
            time(11),
            time(10),
            ("left_at", "The time they left must be after the time they arrived"),
        ),
        (
            Attendance.PART,
            time(10),
            time(10),
            ("left_at", "The time they left must be after the time they arrived"),
        ),
        ("asleep", None, None, ("attendance", "Select how they attended")),
    ],
)
def test_part_attendance_needs_an_arrival_and_a_later_leaving_time(
    attendance, arrived, left, problem
):
    assert attendance_problem(attendance, arrived, left) == problem


@dataclass
class _Conference:
    status: str
    quorate: bool | None


@pytest.mark.parametrize(
    ("status", "quorate", "due"),
    [
        (ConferenceStatus.HELD, False, True),
        (ConferenceStatus.HELD, True, False),
        (ConferenceStatus.HELD, None, False),
        (ConferenceStatus.SCHEDULED, False, False),
    ],
)
def test_an_early_review_is_due_only_after_an_inquorate_conference_is_held(status, quorate, due):
    assert early_review_due(_Conference(status, quorate)) is due


@pytest.mark.parametrize(
    ("conference_date", "today", "is_open"),
    [
        (date(2026, 3, 10), date(2026, 3, 9), False),
        (date(2026, 3, 10), date(2026, 3, 10), True),
        (date(2026, 3, 10), date(2026, 3, 11), True),
        (None, date(2026, 3, 10), False),
    ],
)
def test_the_register_and_marking_held_wait_for_the_day_of_the_conference(
    conference_date, today, is_open
):
    assert meeting_open(conference_date, today) is is_open


@pytest.mark.parametrize("action", [ConferenceAction.TAKE_ATTENDANCE, ConferenceAction.MARK_HELD])
@pytest.mark.parametrize("status", list(ConferenceStatus))
def test_the_days_actions_need_a_scheduled_conference(action, status):
    assert CONFERENCE.allows(action, status) is (status == ConferenceStatus.SCHEDULED)


def test_marking_held_leaves_the_conference_held():
    assert CONFERENCE.check(ConferenceAction.MARK_HELD, ConferenceStatus.SCHEDULED) == (
        ConferenceStatus.HELD
    )
    assert CONFERENCE.check(ConferenceAction.TAKE_ATTENDANCE, ConferenceStatus.SCHEDULED) == (
        ConferenceStatus.SCHEDULED
    )
