"""Changes made on the day of a conference: the attendance register and marking it held.

Each change checks the conference's status against the one conference transition table
(`convene.conferences.rules.CONFERENCE`) and the day against `rules.meeting_open`, refuses a
stale edit (`versioned_update` on the conference's `version`), and writes its audit rows (one
on each subject child's trail) in the same transaction, through `convene.core.services`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time

from django.db import transaction
from django.db.models import F

from convene.access.enums import AuditVerb
from convene.conferences.enums import Attendance, ConferenceStatus
from convene.conferences.meeting.rules import (
    ATTENDED,
    NOT_YET,
    attendance_problem,
    meeting_open,
)
from convene.conferences.models import Conference, Invitation
from convene.conferences.rules import CONFERENCE, ConferenceAction
from convene.conferences.selectors import conference_quorum
from convene.core.services import Actor, ServiceError, audit, versioned_update


@dataclass(frozen=True)
class AttendanceEntry:
    invitation_id: int
    attendance: Attendance
    arrived_at: time | None = None
    left_at: time | None = None


def _status_after(
    action: ConferenceAction, conference: Conference, *, today: date
) -> ConferenceStatus:
    """The status after `action`, or ServiceError: the conference's status must allow it, and
    both actions happen on or after the conference date."""
    status = CONFERENCE.check(action, conference.status)
    if not meeting_open(conference.date, today):
        raise ServiceError(NOT_YET)
    return status


def attendance_record(
    *,
    conference: Conference,
    entries: Sequence[AttendanceEntry],
    version: int,
    by: Actor,
    today: date,
) -> Conference:
    """Record who attended the conference and how, from its date on (London CP4 §3.10)."""
    _status_after(ConferenceAction.TAKE_ATTENDANCE, conference, today=today)
    for entry in entries:
        problem = attendance_problem(entry.attendance, entry.arrived_at, entry.left_at)
        if problem is not None:
            raise ServiceError(problem[1])
    with transaction.atomic():
        invitations = {
            i.pk: i
            for i in Invitation.objects.select_for_update().filter(
                conference=conference, pk__in=[e.invitation_id for e in entries]
            )
        }
        if len(invitations) != len({e.invitation_id for e in entries}):
            raise ServiceError("Someone on the register was not invited to this conference")
        versioned_update(conference, version=version)
        for entry in entries:
            invitation = invitations[entry.invitation_id]
            invitation.attendance = entry.attendance
            part = entry.attendance == Attendance.PART
            invitation.arrived_at = entry.arrived_at if part else None
            invitation.left_at = entry.left_at if part else None
            invitation.version = F("version") + 1
        Invitation.objects.bulk_update(
            invitations.values(), ["attendance", "arrived_at", "left_at", "version"]
        )
        took_part = sum(1 for e in entries if e.attendance in ATTENDED)
        audit(
            by=by,
            verb=AuditVerb.CHANGED,
            obj=conference,
            about=conference,
            reason=f"Attendance recorded: {took_part} of {len(entries)} invited took part",
        )
    return conference


def conference_mark_held(
    *,
    conference: Conference,
    inquorate_reason: str,
    version: int,
    by: Actor,
    today: date,
) -> Conference:
    """The chair marks the conference held. London CP4 §3.10 to §3.11: when it was not
    quorate for any subject child, it goes ahead only with the chair's recorded reason; §3.12:
    an early review is then due (`rules.early_review_due`)."""
    status = _status_after(ConferenceAction.MARK_HELD, conference, today=today)
    with transaction.atomic():
        if not conference.invitations.exclude(attendance="").exists():
            raise ServiceError("Take the attendance register before marking the conference held")
        quorate = all(row.quorum.quorate for row in conference_quorum(conference))
        reason = inquorate_reason.strip()
        if not quorate and not reason:
            raise ServiceError(
                "Enter why the conference went ahead without a quorum", field="inquorate_reason"
            )
        versioned_update(
            conference,
            version=version,
            status=status,
            quorate=quorate,
            inquorate_reason="" if quorate else reason,
        )
        words = "quorate" if quorate else f"not quorate; went ahead because: {reason}"
        audit(
            by=by,
            verb=AuditVerb.CHANGED,
            obj=conference,
            about=conference,
            reason=f"Conference held ({words})",
        )
    return conference
