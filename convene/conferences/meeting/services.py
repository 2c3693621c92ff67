"""Changes made on the day of a conference: the attendance register and marking it held.

Each change checks the conference's status against an explicit transition table, refuses a
stale edit (the conference's `version`), and writes its audit rows in the same transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time

from django.db import transaction
from django.db.models import F
from django.http import HttpRequest

from convene.access.enums import AuditVerb
from convene.access.models import User
from convene.conferences.audit import audit_for_each_child
from convene.conferences.enums import Attendance, ConferenceStatus
from convene.conferences.meeting.rules import ATTENDED, attendance_problem
from convene.conferences.models import Conference, Invitation
from convene.conferences.selectors import conference_quorum


class StaleEdit(Exception):
    """Someone else changed the conference after this page was opened."""


class NotAllowedNow(Exception):
    """The conference is not in a state (or on a day) that allows this change."""


class InvalidAttendance(ValueError):
    """An attendance entry that cannot be right."""


class ReasonRequired(ValueError):
    """London CP4 §3.11: an inquorate conference goes ahead only with the chair's reason."""


# Which statuses each action may start from, and the status it leaves the conference in.
TRANSITIONS: dict[str, dict[ConferenceStatus, ConferenceStatus]] = {
    "attendance_record": {ConferenceStatus.SCHEDULED: ConferenceStatus.SCHEDULED},
    "conference_mark_held": {ConferenceStatus.SCHEDULED: ConferenceStatus.HELD},
}


def next_status(action: str, conference: Conference, *, today: date) -> ConferenceStatus:
    """The status after `action`, or NotAllowedNow. Both actions happen on or after the
    conference date: nobody attends a meeting that has not happened yet."""
    allowed = TRANSITIONS[action]
    current = ConferenceStatus(conference.status)
    if current not in allowed:
        raise NotAllowedNow(f"A conference that is {current.label.lower()} cannot be changed so")
    if conference.date is None or conference.date > today:
        raise NotAllowedNow("This can only be done on or after the day of the conference")
    return allowed[current]


def is_allowed_now(action: str, conference: Conference, *, today: date) -> bool:
    try:
        next_status(action, conference, today=today)
    except NotAllowedNow:
        return False
    return True


@dataclass(frozen=True)
class AttendanceEntry:
    invitation_id: int
    attendance: Attendance
    arrived_at: time | None = None
    left_at: time | None = None


def _bump_version(conference: Conference, version: int, **changes: object) -> None:
    changed = Conference.objects.filter(pk=conference.pk, version=version).update(
        version=F("version") + 1, **changes
    )
    if not changed:
        raise StaleEdit
    conference.refresh_from_db()


def attendance_record(
    *,
    conference: Conference,
    entries: Sequence[AttendanceEntry],
    version: int,
    by: User,
    today: date,
    request: HttpRequest | None = None,
) -> Conference:
    """Record who attended the conference and how, from its date on (London CP4 §3.10)."""
    next_status("attendance_record", conference, today=today)
    for entry in entries:
        problem = attendance_problem(entry.attendance, entry.arrived_at, entry.left_at)
        if problem is not None:
            raise InvalidAttendance(problem[1])
    with transaction.atomic():
        invitations = {
            i.pk: i
            for i in Invitation.objects.select_for_update().filter(
                conference=conference, pk__in=[e.invitation_id for e in entries]
            )
        }
        if len(invitations) != len({e.invitation_id for e in entries}):
            raise InvalidAttendance("Someone on the register was not invited to this conference")
        _bump_version(conference, version)
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
        audit_for_each_child(
            conference=conference,
            obj=conference,
            verb=AuditVerb.CHANGED,
            by=by,
            request=request,
            reason=f"Attendance recorded: {took_part} of {len(entries)} invited took part",
        )
    return conference


def conference_mark_held(
    *,
    conference: Conference,
    inquorate_reason: str,
    by: User,
    today: date,
    version: int | None = None,
    request: HttpRequest | None = None,
) -> Conference:
    """The chair marks the conference held. London CP4 §3.10 to §3.11: when it was not
    quorate for any subject child, it goes ahead only with the chair's recorded reason; §3.12:
    an early review is then due (`rules_meeting.early_review_due`)."""
    status = next_status("conference_mark_held", conference, today=today)
    with transaction.atomic():
        if not conference.invitations.exclude(attendance="").exists():
            raise NotAllowedNow("Take the attendance register before marking the conference held")
        quorate = all(row.quorum.quorate for row in conference_quorum(conference))
        reason = inquorate_reason.strip()
        if not quorate and not reason:
            raise ReasonRequired("Enter why the conference went ahead without a quorum")
        _bump_version(
            conference,
            conference.version if version is None else version,
            status=status,
            quorate=quorate,
            inquorate_reason="" if quorate else reason,
        )
        words = "quorate" if quorate else f"not quorate; went ahead because: {reason}"
        audit_for_each_child(
            conference=conference,
            obj=conference,
            verb=AuditVerb.CHANGED,
            by=by,
            request=request,
            reason=f"Conference held ({words})",
        )
    return conference
