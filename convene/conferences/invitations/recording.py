"""Requests to record a conference (London CP4 §3.9): who asked, and the chair's decision on
each request, agreed with the limits the family accepted or refused with the reasons.

Like the invitations services these check the conference's status against
`rules_invitations.ALLOWED_STATES`, run in one transaction and write their audit rows in it;
refusals are `InvitationError`.
"""

from __future__ import annotations

from django.db import transaction
from django.http import HttpRequest

from convene.access.enums import AuditVerb
from convene.access.models import User
from convene.conferences.audit import audit_for_each_child
from convene.conferences.enums import RecordingDecision
from convene.conferences.invitations import rules
from convene.conferences.invitations.services import InvitationError, _check
from convene.conferences.models import Conference, RecordingRequest


def recording_request_add(
    *,
    conference: Conference,
    requested_by: str,
    by: User,
    request: HttpRequest | None = None,
) -> RecordingRequest:
    """London CP4 §3.9: record who asked to record the meeting, for the chair to decide."""
    if not requested_by.strip():
        raise InvitationError("Enter who asked to record the meeting")
    with transaction.atomic():
        _check(conference, rules.Action.RECORDING_REQUEST)
        recording = RecordingRequest.objects.create(
            conference=conference, requested_by=requested_by.strip()
        )
        audit_for_each_child(
            conference=conference,
            obj=recording,
            verb=AuditVerb.CREATED,
            by=by,
            request=request,
            reason="Request to record the meeting",
        )
    return recording


def recording_request_decide(
    *,
    recording_request: RecordingRequest,
    decision: RecordingDecision,
    by: User,
    limits: str = "",
    reasons: str = "",
    request: HttpRequest | None = None,
) -> RecordingRequest:
    """London CP4 §3.9: the chair decides each request on its merits. Agreeing records the
    limits the family agreed to; refusing records the reasons (after legal advice)."""
    if decision == RecordingDecision.PENDING:
        raise InvitationError("Choose whether to agree or refuse")
    if decision == RecordingDecision.AGREED and not limits.strip():
        raise InvitationError("Enter the limits the family agreed to")
    if decision == RecordingDecision.REFUSED and not reasons.strip():
        raise InvitationError("Enter the reasons for refusing")
    with transaction.atomic():
        _check(recording_request.conference, rules.Action.RECORDING_REQUEST)
        # Pending → agreed or refused, once: a second decision from a stale page is refused.
        changed = RecordingRequest.objects.filter(
            pk=recording_request.pk, decision=RecordingDecision.PENDING
        ).update(decision=decision, limits=limits.strip(), reasons=reasons.strip())
        if not changed:
            raise InvitationError("This request has already been decided")
        recording_request.refresh_from_db()
        audit_for_each_child(
            conference=recording_request.conference,
            obj=recording_request,
            verb=AuditVerb.CHANGED,
            by=by,
            request=request,
            reason=f"Recording request {recording_request.get_decision_display().lower()}",
        )
    return recording_request
