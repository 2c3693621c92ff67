"""Reads for a core group meeting's page: a constant number of queries however many members
and actions there are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from convene.plans.enums import MeetingStatus
from convene.plans.models import (
    Action,
    ActionUpdate,
    CoreGroupAttendance,
    CoreGroupMeeting,
    CoreGroupMember,
)
from convene.plans.plan_page.rules import CLOSED, STATUS_TAG, action_overdue
from convene.plans.plan_page.selectors import current_members


@dataclass(frozen=True)
class MeetingRecord:
    meeting: CoreGroupMeeting
    # Everyone invited (the core group on the day); once held, with whether each came.
    invited: list[CoreGroupMember]
    attendance: list[CoreGroupAttendance]
    # Progress, new actions and changed actions recorded at this meeting.
    updates: list[ActionUpdate]
    # The plan's open actions, to change at a recorded meeting; with whether each is overdue.
    open_actions: list[tuple[Action, bool]]

    @property
    def to_come(self) -> bool:
        return self.meeting.status == MeetingStatus.SCHEDULED

    @property
    def held(self) -> bool:
        return self.meeting.status == MeetingStatus.HELD

    @property
    def tag(self) -> str:
        return STATUS_TAG[self.meeting.status]

    @property
    def came(self) -> list[CoreGroupAttendance]:
        return [a for a in self.attendance if a.attended]

    @property
    def absent(self) -> list[CoreGroupAttendance]:
        return [a for a in self.attendance if not a.attended]


def meeting_record(meeting: CoreGroupMeeting, *, today: date) -> MeetingRecord:
    """Four queries."""
    held = meeting.status == MeetingStatus.HELD
    attendance = list(meeting.attendance.select_related("member", "member__agency")) if held else []
    invited = (
        [a.member for a in attendance] if held else current_members(meeting.plan, meeting.date)
    )
    updates = list(
        meeting.action_updates.select_related("action", "action__owner", "recorded_by").order_by(
            "action__due", "action_id", "id"
        )
    )
    open_actions = [
        (action, action_overdue(due=action.due, status=action.status, today=today))
        for action in meeting.plan.actions.exclude(status__in=CLOSED).select_related("owner")
    ]
    return MeetingRecord(
        meeting=meeting,
        invited=invited,
        attendance=attendance,
        updates=updates,
        open_actions=open_actions,
    )
