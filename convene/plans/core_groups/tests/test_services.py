"""Core group meetings (Cornwall C:123; London CP4 §1.23, §14.3): arranged, moved, cancelled
and recorded, with who came, written views, decisions, progress against each action and an
early review; the first core group deadline met once a meeting is recorded as held."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time

import pytest

from convene.access.models import AuditEvent
from convene.authority.selectors import authority_procedures
from convene.core.services import Actor, ServiceError, StaleEdit
from convene.people.models import Child
from convene.plans.core_groups import services
from convene.plans.core_groups.services import AttendanceGiven, EarlyReview, ProgressGiven
from convene.plans.enums import ActionStatus, BroughtForwardReason, MeetingStatus
from convene.plans.models import CoreGroupMeeting, CoreGroupMember, Plan, ReviewBroughtForward
from convene.returns import deadline_store
from convene.returns.deadlines import DeadlineKind, deadlines_as_of
from convene.testing.factories import (
    ActionFactory,
    ConferenceFactory,
    CoreGroupMemberFactory,
    PlanFactory,
)

pytestmark = pytest.mark.django_db

STARTED = date(2026, 3, 2)  # a Monday: the initial conference
MET = date(2026, 3, 16)
TODAY = date(2026, 3, 17)
NONE_ASKED = EarlyReview()


@pytest.fixture
def plan(child) -> Plan:
    return PlanFactory.create(
        child=child, start_date=STARTED, started_by=ConferenceFactory.create(date=STARTED)
    )


@pytest.fixture
def by(social_worker) -> Actor:
    return Actor(social_worker)


@pytest.fixture
def members(plan) -> list[CoreGroupMember]:
    return [
        CoreGroupMemberFactory.create(plan=plan, name="Jo Example", role="Mother"),
        CoreGroupMemberFactory.create(
            plan=plan, kind="professional", name="Dr Ada Okafor", role="Health visitor"
        ),
    ]


def _schedule(plan: Plan, by: Actor, day: date = MET) -> CoreGroupMeeting:
    return services.core_group_schedule(
        plan=plan, day=day, starts_at=time(10, 0), venue="Family Centre, Room 2", by=by
    )


def _record(
    meeting: CoreGroupMeeting,
    members: list[CoreGroupMember],
    by: Actor,
    *,
    progress: Sequence[ProgressGiven] = (),
    early_review: EarlyReview = NONE_ASKED,
    today: date = TODAY,
    version: int | None = None,
) -> CoreGroupMeeting:
    return services.core_group_record(
        meeting=meeting,
        invited=members,
        attendance=[
            AttendanceGiven(members[0], attended=True),
            AttendanceGiven(members[1], attended=False, written_views="Weight gain is steady."),
        ],
        decisions="Keep going with the routine; nursery place from April.",
        progress=progress,
        early_review=early_review,
        version=meeting.version if version is None else version,
        by=by,
        today=today,
        calendar=authority_procedures().calendar,
    )


def _first_core_group_due(plan: Plan, as_of: date) -> bool:
    found = deadlines_as_of(
        as_of=as_of,
        procedures=authority_procedures(),
        children=Child.objects.filter(pk=plan.child_id),
    )
    return any(d.kind == DeadlineKind.CORE_GROUP_FIRST for d in found)


def test_a_meeting_is_arranged_then_recorded_as_held(plan, members, by):
    meeting = _schedule(plan, by)
    assert (meeting.status, meeting.starts_at, meeting.venue) == (
        MeetingStatus.SCHEDULED,
        time(10, 0),
        "Family Centre, Room 2",
    )
    recorded = _record(meeting, members, by)
    assert recorded.status == MeetingStatus.HELD and recorded.version == 2
    came = {a.member.name: (a.attended, a.written_views) for a in recorded.attendance.all()}
    assert came == {
        "Jo Example": (True, ""),
        "Dr Ada Okafor": (False, "Weight gain is steady."),
    }
    assert recorded.decisions.startswith("Keep going")
    reasons = set(AuditEvent.objects.filter(child=plan.child).values_list("reason", flat=True))
    assert "Core group meeting recorded: 1 of 2 members came" in reasons
    assert any(
        r.startswith("Core group meeting arranged for 16 March 2026 at 10:00") for r in reasons
    )


def test_the_first_core_group_is_no_longer_due_once_a_meeting_is_held(plan, members, by):
    assert _first_core_group_due(plan, TODAY)
    meeting = _schedule(plan, by)
    _record(meeting, members, by)
    assert not _first_core_group_due(plan, TODAY)


def test_a_meeting_is_recorded_once_and_only_once_it_has_happened(plan, members, by):
    meeting = _schedule(plan, by, day=date(2026, 3, 18))
    with pytest.raises(ServiceError, match="record it on the day or after"):
        _record(meeting, members, by)
    _record(meeting, members, by, today=date(2026, 3, 18))
    with pytest.raises(ServiceError, match="already saved"):
        _record(meeting, members, by, today=date(2026, 3, 18))


def test_the_record_needs_everyones_attendance_and_the_decisions(plan, members, by):
    meeting = _schedule(plan, by)
    with pytest.raises(ServiceError) as refused:
        services.core_group_record(
            meeting=meeting,
            invited=members,
            attendance=[AttendanceGiven(members[0], attended=True, written_views="Mine")],
            decisions=" ",
            progress=[],
            early_review=EarlyReview(requested=True),
            version=meeting.version,
            by=by,
            today=TODAY,
            calendar=authority_procedures().calendar,
        )
    assert refused.value.problems == {
        f"views_{members[0].pk}": "Jo Example came to the meeting: leave their written views "
        "blank, or say they did not come",
        f"attended_{members[1].pk}": "Select whether Dr Ada Okafor came",
        "decisions": "Enter what the core group decided",
        "early_review_reason": "Say why the core group asks for an early review",
    }
    assert CoreGroupMeeting.objects.get(pk=meeting.pk).status == MeetingStatus.SCHEDULED


def test_progress_at_the_meeting_updates_each_action_discussed(plan, members, by):
    discussed = ActionFactory.create(plan=plan, owner=members[0], due=date(2026, 4, 1))
    finished = ActionFactory.create(plan=plan, owner=members[1], due=date(2026, 3, 13))
    untouched = ActionFactory.create(plan=plan, owner=members[1], due=date(2026, 5, 1))
    meeting = _schedule(plan, by)
    progress = [
        ProgressGiven(discussed, 1, ActionStatus.IN_PROGRESS, "Two sessions of four"),
        ProgressGiven(finished, 1, ActionStatus.DONE, ""),
        ProgressGiven(untouched, 1, ActionStatus.NOT_STARTED, ""),
    ]
    with pytest.raises(ServiceError) as refused:
        _record(meeting, members, by, progress=progress)
    assert refused.value.problems == {
        f"progress_{finished.pk}": "For “Walk Mina to school each morning”, say what was done: "
        "the evidence that the action is complete"
    }
    progress[1] = ProgressGiven(finished, 1, ActionStatus.DONE, "Seen at the clinic")
    _record(meeting, members, by, progress=progress)
    for action in (discussed, finished, untouched):
        action.refresh_from_db()
    assert (discussed.status, discussed.progress, discussed.version) == (
        ActionStatus.IN_PROGRESS,
        "Two sessions of four",
        2,
    )
    assert (finished.status, finished.done_on) == (ActionStatus.DONE, MET)
    assert untouched.version == 1 and not untouched.updates.exists()
    assert set(meeting.action_updates.values_list("action", "date")) == {
        (discussed.pk, MET),
        (finished.pk, MET),
    }


def test_a_stale_action_refuses_the_whole_record(plan, members, by):
    action = ActionFactory.create(plan=plan, owner=members[0], due=date(2026, 4, 1))
    meeting = _schedule(plan, by)
    action.refresh_from_db()
    type(action).objects.filter(pk=action.pk).update(version=2)
    with pytest.raises(StaleEdit):
        _record(
            meeting,
            members,
            by,
            progress=[ProgressGiven(action, 1, ActionStatus.IN_PROGRESS, "Started")],
        )
    assert CoreGroupMeeting.objects.get(pk=meeting.pk).status == MeetingStatus.SCHEDULED
    assert not meeting.attendance.exists()


def test_the_core_group_asks_for_an_early_review(plan, members, by):
    meeting = _schedule(plan, by)
    _record(meeting, members, by, early_review=EarlyReview(True, "Mina was hurt at home."))
    brought = ReviewBroughtForward.objects.get(plan=plan)
    # 20 working days after Monday 16 March 2026, over Easter.
    assert (brought.reason, brought.due, brought.details, brought.recorded_on) == (
        BroughtForwardReason.CORE_GROUP_REQUEST,
        date(2026, 4, 15),
        "Mina was hurt at home.",
        TODAY,
    )
    assert CoreGroupMeeting.objects.get(pk=meeting.pk).early_review_requested
    second = _schedule(plan, by, day=date(2026, 3, 17))
    _record(
        second,
        members,
        by,
        early_review=EarlyReview(True, "Another incident.", date(2026, 3, 31)),
    )
    assert ReviewBroughtForward.objects.filter(plan=plan).latest("id").due == date(2026, 3, 31)


def test_one_meeting_a_day_and_none_before_the_plan(plan, by):
    _schedule(plan, by)
    with pytest.raises(ServiceError, match="already a core group meeting on 16 March 2026"):
        _schedule(plan, by)
    with pytest.raises(ServiceError) as refused:
        services.core_group_schedule(
            plan=plan, day=date(2026, 2, 27), starts_at=None, venue="", by=by
        )
    assert set(refused.value.problems) == {"date", "starts_at", "venue"}


def test_a_meeting_is_moved_or_cancelled_and_a_cancelled_day_can_be_used_again(plan, by):
    meeting = _schedule(plan, by)
    services.core_group_reschedule(
        meeting=meeting,
        day=date(2026, 3, 18),
        starts_at=time(14, 30),
        venue="Online",
        version=1,
        by=by,
    )
    assert (meeting.date, meeting.starts_at, meeting.version) == (
        date(2026, 3, 18),
        time(14, 30),
        2,
    )
    with pytest.raises(StaleEdit):
        services.core_group_cancel(meeting=meeting, version=1, by=by)
    services.core_group_cancel(meeting=meeting, version=2, by=by)
    assert meeting.status == MeetingStatus.CANCELLED
    with pytest.raises(ServiceError, match="still to happen"):
        services.core_group_reschedule(
            meeting=meeting, day=MET, starts_at=time(10, 0), venue="x", version=3, by=by
        )
    again = _schedule(plan, by, day=date(2026, 3, 18))
    assert again.pk == meeting.pk and again.status == MeetingStatus.SCHEDULED
    other = _schedule(plan, by, day=date(2026, 3, 20))
    services.core_group_cancel(meeting=other, version=1, by=by)
    moving = _schedule(plan, by, day=date(2026, 3, 23))
    with pytest.raises(ServiceError, match="was cancelled"):
        services.core_group_reschedule(
            meeting=moving,
            day=date(2026, 3, 20),
            starts_at=time(10, 0),
            venue="x",
            version=1,
            by=by,
        )


def test_an_ended_plan_has_no_more_meetings(plan, members, by):
    meeting = _schedule(plan, by)
    Plan.objects.filter(pk=plan.pk).update(end_date=date(2026, 3, 16))
    deadline_store.refresh_for(plan)
    plan.refresh_from_db()
    meeting.refresh_from_db()
    with pytest.raises(ServiceError, match="Only an open plan"):
        _schedule(plan, by, day=date(2026, 3, 13))
    with pytest.raises(ServiceError, match="Only an open plan"):
        _record(meeting, members, by)


def test_a_room_already_booked_then_is_refused_showing_the_other_booking(plan, by):
    """Issue 15: a conference in the room from 9:30 to 11:30, or another core group meeting
    there at 10:30 (taken to last an hour and a half), is a double booking."""
    from convene.conferences.enums import ConferenceStatus

    booked = ConferenceFactory.create(
        status=ConferenceStatus.SCHEDULED,
        date=MET,
        starts_at=time(9, 30),
        ends_at=time(11, 30),
        venue="family centre, room 2",
    )
    with pytest.raises(ServiceError, match=f"already booked for conference number {booked.pk}"):
        _schedule(plan, by)
    booked.venue = "Civic Centre"
    booked.save()
    meeting = _schedule(plan, by)
    other_plan = PlanFactory.create(start_date=plan.start_date)
    with pytest.raises(ServiceError, match="already booked for a core group meeting") as e:
        services.core_group_schedule(
            plan=other_plan, day=MET, starts_at=time(10, 30), venue=meeting.venue, by=by
        )
    assert e.value.field == "venue"
    # Moving the meeting within its own slot is no clash with itself.
    services.core_group_reschedule(
        meeting=meeting,
        day=MET,
        starts_at=time(10, 15),
        venue=meeting.venue,
        version=meeting.version,
        by=by,
    )
