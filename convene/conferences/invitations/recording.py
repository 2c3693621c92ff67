"""Requests to record a conference (London CP4 §3.9): who asked, and the chair's decision on
each request, agreed with the limits the family accepted or refused with the reasons.

Like the invitations services these check the conference's status against the conference
transition table (`convene.conferences.rules.CONFERENCE`), save through `versioned_update`, and
write their audit rows on each subject child's trail in the same transaction; refusals are
`ServiceError` (convene.core.services).
"""

from __future__ import annotations

from django.db import transaction

from convene.access.enums import AuditVerb
from convene.conferences.enums import RecordingDecision
from convene.conferences.models import Conference, RecordingRequest
from convene.conferences.rules import CONFERENCE, ConferenceAction
from convene.core.services import Actor, ServiceError, audit, versioned_update


def recording_request_add(
    *, conference: Conference, requested_by: str, by: Actor
) -> RecordingRequest:
    """London CP4 §3.9: record who asked to record the meeting, for the chair to decide."""
    if not requested_by.strip():
        raise ServiceError("Enter who asked to record the meeting", field="requested_by")
    CONFERENCE.check(ConferenceAction.ADD_RECORDING_REQUEST, conference.status)
    with transaction.atomic():
        recording = RecordingRequest.objects.create(
            conference=conference, requested_by=requested_by.strip()
        )
        audit(
            by=by,
            verb=AuditVerb.CREATED,
            obj=recording,
            about=conference,
            reason="Request to record the meeting",
        )
    return recording


def recording_request_decide(
    *,
    recording_request: RecordingRequest,
    version: int,
    decision: RecordingDecision,
    by: Actor,
    limits: str = "",
    reasons: str = "",
) -> RecordingRequest:
    """London CP4 §3.9: the chair decides each request on its merits. Agreeing records the
    limits the family agreed to; refusing records the reasons (after legal advice)."""
    if decision == RecordingDecision.PENDING:
        raise ServiceError("Choose whether to agree or refuse", field="decision")
    if decision == RecordingDecision.AGREED and not limits.strip():
        raise ServiceError("Enter the limits the family agreed to", field="limits")
    if decision == RecordingDecision.REFUSED and not reasons.strip():
        raise ServiceError("Enter the reasons for refusing", field="reasons")
    conference = recording_request.conference
    CONFERENCE.check(ConferenceAction.DECIDE_RECORDING_REQUEST, conference.status)
    # Pending → agreed or refused, once. Every decision raises the version, so a second
    # decision from a page opened before the first is refused as stale.
    if recording_request.decision != RecordingDecision.PENDING:
        raise ServiceError("This request has already been decided")
    with transaction.atomic():
        versioned_update(
            recording_request,
            version=version,
            decision=decision,
            limits=limits.strip(),
            reasons=reasons.strip(),
        )
        audit(
            by=by,
            verb=AuditVerb.CHANGED,
            obj=recording_request,
            about=conference,
            reason=f"Recording request {recording_request.get_decision_display().lower()}",
        )
    return recording_request
