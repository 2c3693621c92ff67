"""Emergency ("break-glass") access: a person with no relationship to a child asks to read the
child's record, names the child by an exact identifier and says why. Every request is kept,
with its audit row in the same transaction. A request that matches exactly one child is a
grant for GRANT_LENGTH; the person's line manager and the child's team manager are told at
once. A request that matches nothing is answered the same whatever the reason (no child with
that identifier, or a mistyped one), and no other child's details are ever shown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction
from django.http import Http404
from django.utils import timezone

from convene import policy
from convene.access.enums import AuditVerb
from convene.access.models import User
from convene.core.services import Actor, ServiceError, audit
from convene.notifications.gateway import gateway
from convene.people.models import Child

from . import rules
from .models import EmergencyAccess, IdentifierKind

NOT_ALLOWED = "Your role does not allow emergency access to children's records."
ALREADY_OPEN = (
    "You can already open this child's record: you do not need emergency access. Find the "
    "child in the list of children."
)
ALERT_SUBJECT = "Emergency access to a child's record was used in Convene"


@dataclass(frozen=True)
class Request:
    identifier_kind: IdentifierKind
    identifier: str
    reason: str


def requests_left(user: User, now: datetime) -> tuple[int, datetime]:
    """How many requests this person may still make this hour, and when the next frees up."""
    times = list(
        EmergencyAccess.objects.filter(
            user=user, requested_at__gt=now - rules.REQUEST_WINDOW
        ).values_list("requested_at", flat=True)
    )
    return rules.requests_left(times, now), rules.next_request_at(times, now)


def _match(kind: IdentifierKind, value: str | None) -> Child | None:
    """The one child whose identifier is exactly this; None for none, or for more than one
    (two records sharing an NHS number cannot be told apart safely)."""
    if value is None:
        return None
    field = "la_child_id" if kind == IdentifierKind.LA_CHILD_ID else "nhs_number"
    found = list(
        Child.objects.select_related("social_worker__team__manager").filter(**{field: value})[:2]
    )
    return found[0] if len(found) == 1 else None


def _check(request: Request, user: User, now: datetime) -> str | None:
    """Refuse what cannot be a request; the identifier as the records hold it, or None."""
    if not policy.may_use_emergency_access(user):
        raise ServiceError(NOT_ALLOWED)
    problems: dict[str, str] = {}
    if reason := rules.reason_problem(request.reason):
        problems["reason"] = reason
    value = rules.normalise_identifier(request.identifier_kind, request.identifier)
    if request.identifier_kind == IdentifierKind.NHS_NUMBER and value is None:
        # An NHS number carries its own check: a mistyped one is told at once, as any form
        # tells a malformed number, without looking anything up.
        problems["identifier"] = rules.IDENTIFIER_PROBLEMS[IdentifierKind.NHS_NUMBER]
    elif not request.identifier.strip():
        problems["identifier"] = "Enter the child's identifier"
    if problems:
        raise ServiceError("Check what you entered", problems=problems)
    left, free_at = requests_left(user, now)
    if not left:
        raise ServiceError(
            f"You have asked for emergency access {rules.REQUESTS_PER_HOUR} times in the last "
            f"hour, the most allowed. You can ask again from "
            f"{timezone.localtime(free_at):%H:%M}. If a child is at risk now, call the "
            "children's social care duty team."
        )
    return value


def emergency_access_request(
    *, request: Request, now: datetime, today: date, by: Actor
) -> EmergencyAccess:
    """Record the request and, when the identifier is exactly one child's, grant access to
    read that child's record until GRANT_LENGTH from now, alerting the managers at once."""
    value = _check(request, by.user, now)
    child = _match(request.identifier_kind, value)
    if child is not None and _already_open(by.user, child, today):
        raise ServiceError(ALREADY_OPEN)
    reason = " ".join(request.reason.split())
    with transaction.atomic():
        access = EmergencyAccess.objects.create(
            user=by.user,
            identifier_kind=request.identifier_kind,
            identifier=request.identifier.strip()[:40],
            reason=reason,
            requested_at=now,
            child=child,
            expires_at=rules.expiry(now) if child is not None else None,
        )
        if child is None:
            audit(
                by=by,
                verb=AuditVerb.EMERGENCY_ACCESS_REFUSED,
                obj=access,
                reason=f"No child matched the {access.get_identifier_kind_display()} "
                f'"{access.identifier}". Reason given: {reason}',
            )
            return access
        told = _alert(access, child)
        until = timezone.localtime(access.expires_at)
        audit(
            by=by,
            verb=AuditVerb.EMERGENCY_ACCESS_GRANTED,
            obj=access,
            about=child,
            reason=f"Emergency access to read the record until {until:%H:%M on %-d %B %Y}. "
            f"Reason given: {reason}. Told at once: {told or 'no manager in Convene'}",
        )
    return access


def _already_open(user: User, child: Child, today: date) -> bool:
    try:
        policy.child_for(user, child.pk, today=today)
    except Http404:
        return False
    return True


def alert_recipients(user: User, child: Child) -> list[User]:
    """The person's line manager (their team's manager) and the child's team manager (the
    manager of the allocated social worker's team): each once, if active, never the person."""
    managers = [
        user.team.manager if user.team else None,
        child.social_worker.team.manager
        if child.social_worker is not None and child.social_worker.team is not None
        else None,
    ]
    told: list[User] = []
    for manager in managers:
        if manager is not None and manager.is_active and manager != user and manager not in told:
            told.append(manager)
    return told


def _alert(access: EmergencyAccess, child: Child) -> str:
    """E-mail the managers at once (through the outbox, in this transaction). The subject and
    body name no child: an e-mail can be read over a shoulder or forwarded."""
    people = alert_recipients(access.user, child)
    user = access.user
    until = timezone.localtime(access.expires_at)
    at = timezone.localtime(access.requested_at)
    job = f", {user.job_title}" if user.job_title else ""
    for person in people:
        if not person.email:
            continue
        gateway().send_email(
            to=person.email,
            subject=ALERT_SUBJECT,
            body=(
                f"Dear {person.get_full_name()},\n\n"
                f"{user.get_full_name()}{job} ({user.agency}) used emergency access at "
                f"{at:%H:%M on %-d %B %Y} to read the record of a child they do not work with. "
                f"The access ends at {until:%H:%M}.\n\n"
                "You are told because you manage them or the child's social worker. Sign in to "
                "Convene and open 'Review emergency access to children's records' to see the "
                f"reason they gave (request {access.pk}). If it was not justified, talk to them "
                "and tell your information governance lead.\n"
            ),
            reference=f"emergency-access-{access.pk}-{person.pk}",
        )
    names = ", ".join(person.get_full_name() for person in people)
    EmergencyAccess.objects.filter(pk=access.pk).update(alerted=names[:500])
    access.alerted = names[:500]
    return names
