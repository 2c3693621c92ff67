"""Excluding a family member from a conference (London CP4 §5.1 to §5.11).

An exclusion belongs to one conference: it never carries over to the next (§5.11). Each change
checks `rules.EXCLUSION` (and the conference's `CONFERENCE` table), saves through
`versioned_update` and is audited on each subject child's trail in the same transaction.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from convene.access.enums import AuditVerb
from convene.conferences.enums import ExclusionDecision
from convene.conferences.exclusions.rules import (
    DECISIONS,
    EXCLUDABLE_ROLES,
    EXCLUSION,
    ExclusionAction,
)
from convene.conferences.models import Conference, ExclusionRequest, Invitation
from convene.conferences.rules import CONFERENCE, ConferenceAction
from convene.core.services import Actor, ServiceError, audit, versioned_update


def exclusion_request(
    *,
    conference: Conference,
    invitation: Invitation,
    grounds: str,
    evidence: str,
    today: date,
    by: Actor,
) -> ExclusionRequest:
    """An agency's representation to the chair (§5.2 to §5.3): which grounds it believes are
    met and the evidence. Recorded even when later than 3 working days before (§5.2: "if
    possible"); the pages flag it as late."""
    CONFERENCE.check(ConferenceAction.REQUEST_EXCLUSION, conference.status)
    if invitation.conference_id != conference.pk or invitation.role not in EXCLUDABLE_ROLES:
        raise ServiceError("Select a family member invited to this conference", field="invitation")
    problems = {}
    if not grounds.strip():
        problems["grounds"] = "Enter the grounds you believe are met"
    if not evidence.strip():
        problems["evidence"] = "Enter the information or evidence the request is based on"
    if problems:
        raise ServiceError("The request is not complete", problems=problems)
    with transaction.atomic():
        exclusion = ExclusionRequest.objects.create(
            conference=conference,
            invitation=invitation,
            requested_by=by.user,
            requested_on=today,
            grounds=grounds.strip(),
            evidence=evidence.strip(),
        )
        audit(
            by=by,
            verb=AuditVerb.CREATED,
            obj=exclusion,
            about=conference,
            reason="Asked the chair to exclude a family member",
        )
    return exclusion


def exclusion_decide(
    *,
    exclusion: ExclusionRequest,
    version: int,
    decision: ExclusionDecision,
    parts: str,
    reasons: str,
    today: date,
    by: Actor,
) -> ExclusionRequest:
    """The chair's decision, with reasons, for the whole meeting or named parts (§5.5: for the
    minimum duration necessary). Final (§5.8): it cannot be changed once made."""
    EXCLUSION.check(ExclusionAction.DECIDE, exclusion.decision)
    problems = {}
    if decision not in DECISIONS:
        problems["decision"] = "Select your decision"
    if decision == ExclusionDecision.PART and not parts.strip():
        problems["parts"] = "Enter which parts of the conference they are excluded from"
    if not reasons.strip():
        problems["reasons"] = "Enter the reasons for your decision"
    if problems:
        raise ServiceError("The decision is not complete", problems=problems)
    with transaction.atomic():
        versioned_update(
            exclusion,
            version=version,
            decision=decision,
            parts=parts.strip() if decision == ExclusionDecision.PART else "",
            reasons=reasons.strip(),
            decided_on=today,
        )
        audit(
            by=by,
            verb=AuditVerb.CHANGED,
            obj=exclusion,
            about=exclusion.conference,
            reason=f"Chair's decision: {exclusion.get_decision_display()}",
        )
    return exclusion


def exclusion_record_views(
    *, exclusion: ExclusionRequest, version: int, views: str, by: Actor
) -> ExclusionRequest:
    """§5.10: the excluded person's views, recorded and presented to the conference. If
    someone changed them since the form was opened, the edit is refused rather than
    overwriting their words."""
    EXCLUSION.check(ExclusionAction.RECORD_VIEWS, exclusion.decision)
    if not views.strip():
        raise ServiceError("Enter their views", field="views")
    with transaction.atomic():
        versioned_update(exclusion, version=version, views=views.strip())
        audit(
            by=by,
            verb=AuditVerb.CHANGED,
            obj=exclusion,
            about=exclusion.conference,
            reason="Excluded person's views recorded",
        )
    return exclusion
