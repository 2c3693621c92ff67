"""Excluding a family member from a conference (London CP4 §5.1 to §5.11).

An exclusion belongs to one conference: it never carries over to the next (§5.11).
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.http import HttpRequest

from convene.access.enums import AuditVerb
from convene.access.models import User
from convene.conferences.audit import audit_for_each_child
from convene.conferences.enums import ExclusionDecision, InviteeRole
from convene.conferences.models import Conference, ExclusionRequest, Invitation
from convene.conferences.reports import rules as rules_reports
from convene.people.models import Adult, Child


class ExclusionError(Exception):
    """A change the request's state does not allow, or input that is missing."""

    def __init__(self, message: str, problems: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.problems = problems or {}


class StaleEdit(ExclusionError):
    def __init__(self) -> None:
        super().__init__("This changed since you opened it")


# Family members an agency may ask to exclude (§5.1: parents; §5.8: parents and children).
EXCLUDABLE_ROLES = frozenset({InviteeRole.PARENT_CARER, InviteeRole.CHILD, InviteeRole.SUPPORTER})
EXCLUDED = frozenset({ExclusionDecision.WHOLE, ExclusionDecision.PART})

# What each action needs the decision to be. §5.8: the chair's decision is final.
TRANSITIONS: dict[str, frozenset[ExclusionDecision]] = {
    "decide": frozenset({ExclusionDecision.PENDING}),
    "record_views": EXCLUDED,
}
DECISIONS = frozenset({ExclusionDecision.WHOLE, ExclusionDecision.PART, ExclusionDecision.REFUSED})


def _check(exclusion: ExclusionRequest, action: str, message: str) -> None:
    if exclusion.decision not in TRANSITIONS[action]:
        raise ExclusionError(message)


def exclusion_request(
    *,
    conference: Conference,
    invitation: Invitation,
    grounds: str,
    evidence: str,
    today: date,
    by: User,
    request: HttpRequest | None = None,
) -> ExclusionRequest:
    """An agency's representation to the chair (§5.2 to §5.3): which grounds it believes are
    met and the evidence. Recorded even when later than 3 working days before (§5.2: "if
    possible"); the pages flag it as late."""
    if not rules_reports.is_preparing(conference.status):
        raise ExclusionError(rules_reports.NOT_PREPARING)
    if invitation.conference_id != conference.pk or invitation.role not in EXCLUDABLE_ROLES:
        raise ExclusionError(
            "Select a family member invited to this conference",
            {"invitation": "Select a family member invited to this conference"},
        )
    problems = {}
    if not grounds.strip():
        problems["grounds"] = "Enter the grounds you believe are met"
    if not evidence.strip():
        problems["evidence"] = "Enter the information or evidence the request is based on"
    if problems:
        raise ExclusionError("The request is not complete", problems)
    with transaction.atomic():
        exclusion = ExclusionRequest.objects.create(
            conference=conference,
            invitation=invitation,
            requested_by=by,
            requested_on=today,
            grounds=grounds.strip(),
            evidence=evidence.strip(),
        )
        audit_for_each_child(
            conference=exclusion.conference,
            by=by,
            verb=AuditVerb.CREATED,
            obj=exclusion,
            request=request,
            reason="Asked the chair to exclude a family member",
        )
    return exclusion


def exclusion_decide(
    *,
    exclusion: ExclusionRequest,
    decision: ExclusionDecision,
    parts: str,
    reasons: str,
    today: date,
    by: User,
    request: HttpRequest | None = None,
) -> ExclusionRequest:
    """The chair's decision, with reasons, for the whole meeting or named parts (§5.5: for the
    minimum duration necessary). Final (§5.8): it cannot be changed once made."""
    problems = {}
    if decision not in DECISIONS:
        problems["decision"] = "Select your decision"
    if decision == ExclusionDecision.PART and not parts.strip():
        problems["parts"] = "Enter which parts of the conference they are excluded from"
    if not reasons.strip():
        problems["reasons"] = "Enter the reasons for your decision"
    if problems:
        raise ExclusionError("The decision is not complete", problems)
    with transaction.atomic():
        current = ExclusionRequest.objects.select_for_update().get(pk=exclusion.pk)
        _check(current, "decide", "The chair has already decided, and the decision is final")
        current.decision = decision
        current.parts = parts.strip() if decision == ExclusionDecision.PART else ""
        current.reasons = reasons.strip()
        current.decided_on = today
        current.save(update_fields=["decision", "parts", "reasons", "decided_on"])
        audit_for_each_child(
            conference=current.conference,
            by=by,
            verb=AuditVerb.CHANGED,
            obj=current,
            request=request,
            reason=f"Chair's decision: {current.get_decision_display()}",
        )
    return current


def exclusion_record_views(
    *,
    exclusion: ExclusionRequest,
    views: str,
    previous_views: str,
    by: User,
    request: HttpRequest | None = None,
) -> ExclusionRequest:
    """§5.10: the excluded person's views, recorded and presented to the conference.

    `previous_views` is what the form showed: if someone changed them since, the edit is
    refused rather than overwriting their words."""
    if not views.strip():
        raise ExclusionError("Enter their views", {"views": "Enter their views"})
    with transaction.atomic():
        current = ExclusionRequest.objects.select_for_update().get(pk=exclusion.pk)
        _check(current, "record_views", "Views are recorded only for someone excluded")
        if current.views != previous_views:
            raise StaleEdit
        current.views = views.strip()
        current.save(update_fields=["views"])
        audit_for_each_child(
            conference=current.conference,
            by=by,
            verb=AuditVerb.CHANGED,
            obj=current,
            request=request,
            reason="Excluded person's views recorded",
        )
    return current


# Selectors ---------------------------------------------------------------------------


def is_excluded(
    *, conference: Conference, adult: Adult | None = None, child: Child | None = None
) -> bool:
    """Whether this person is excluded (wholly or in part) from this conference. Looks only at
    this conference: an exclusion never carries over to the next (§5.11)."""
    if (adult is None) == (child is None):
        raise ValueError("Give exactly one of adult or child")
    found = ExclusionRequest.objects.filter(conference=conference, decision__in=EXCLUDED)
    if adult is not None:
        return found.filter(invitation__adult=adult).exists()
    return found.filter(invitation__child=child).exists()
