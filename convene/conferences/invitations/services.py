"""Inviting people to a conference, their needs and answers, observers' consent, and sending
the invitations (London CP4 §3.1 to §3.4, §3.8, §4).

Each function checks the conference's status against the conference transition table
(`convene.conferences.rules.CONFERENCE`), saves through `versioned_update` and writes its audit
rows on each subject child's trail in the same transaction (convene.core.services). Messages go
through `convene.notifications`, which sends them only once the transaction commits. Access is
decided before these are called (convene.policy).

What an invitation says (its text and calendar entry) is in
`convene.conferences.invitations.messages`; requests to record the meeting (§3.9) are in
`convene.conferences.invitations.recording`; inviting professionals (the lead social worker by
default, and anyone from any agency) in `convene.conferences.invitations.professionals`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import transaction

from convene.access.enums import AuditVerb
from convene.access.models import User
from convene.conferences.enums import Delivery, InviteeRole, Response
from convene.conferences.invitations import rules, selectors
from convene.conferences.invitations.messages import (
    invitation_ics,
    invitation_message,
    message_reference,
)
from convene.conferences.models import Conference, Invitation
from convene.conferences.rules import CONFERENCE, ConferenceAction
from convene.core.services import Actor, ServiceError, audit, versioned_update
from convene.notifications.gateway import gateway
from convene.people.models import Adult, Child, Professional
from convene.people.services import professional_for_user

# Adding invitees -------------------------------------------------------------------------


def invitation_add(
    *,
    conference: Conference,
    role: InviteeRole,
    by: Actor,
    adult: Adult | None = None,
    child: Child | None = None,
    professional: Professional | None = None,
    name: str = "",
    email: str = "",
    address: str = "",
    delivery: Delivery = Delivery.EMAIL,
    reason: str = "",
) -> Invitation:
    """Invite one person: a known adult, child or professional, or someone named (supporter,
    advocate, interpreter, observer). `reason` says why on the audit trail, when there is more
    to say than the role."""
    people = [p for p in (adult, child, professional) if p is not None]
    if len(people) + bool(name.strip()) != 1:
        raise ServiceError("Invite one person at a time: a known person or a name")
    CONFERENCE.check(ConferenceAction.INVITE, conference.status)
    with transaction.atomic():
        existing = conference.invitations.all()
        if (
            (adult and existing.filter(adult=adult).exists())
            or (child and existing.filter(child=child).exists())
            or (professional and existing.filter(professional=professional).exists())
        ):
            raise ServiceError(f"{people[0]} has already been invited")
        invitation = Invitation.objects.create(
            conference=conference,
            role=role,
            adult=adult,
            child=child,
            professional=professional,
            agency=professional.agency if professional else None,
            name=name.strip(),
            email=email.strip(),
            address=address.strip(),
            delivery=delivery,
        )
        audit(
            by=by,
            verb=AuditVerb.CREATED,
            obj=invitation,
            about=conference,
            reason=reason or f"Invited as {invitation.get_role_display().lower()}",
        )
    return invitation


@dataclass(frozen=True)
class Suggestion:
    """Someone linked to the conference's children who could be invited."""

    key: str
    role: InviteeRole
    label: str
    adult: Adult | None = None
    child: Child | None = None
    professional: Professional | None = None
    # The lead social worker, who may have no professional record yet.
    worker: User | None = None
    guidance: rules.ChildGuidance | None = None
    email: str = ""
    address: str = ""

    @property
    def delivery(self) -> Delivery:
        return Delivery.EMAIL if self.email else Delivery.LETTER


def _household_address(adult_or_child: Adult | Child) -> str:
    household = adult_or_child.household
    if household is None:
        return ""
    return "\n".join(part for part in (household.address, household.postcode) if part)


def invitation_suggestions(*, conference: Conference, today: date) -> list[Suggestion]:
    """Parents and carers, the children and the professionals working with them now (London CP4
    §3.1 to §3.2), leaving out anyone already invited."""
    from convene.people.enums import RelationshipKind
    from convene.people.models import Involvement, Relationship

    on = conference.date or today
    invited = conference.invitations.all()
    invited_adults = set(invited.exclude(adult=None).values_list("adult_id", flat=True))
    invited_children = set(invited.exclude(child=None).values_list("child_id", flat=True))
    invited_pros = set(invited.exclude(professional=None).values_list("professional_id", flat=True))
    invited_users = set(
        invited.exclude(professional__user=None).values_list("professional__user_id", flat=True)
    )
    subjects = [s.child for s in conference.subjects.select_related("child", "child__household")]
    suggestions: list[Suggestion] = []
    carers = {RelationshipKind.PARENT, RelationshipKind.STEP_PARENT, RelationshipKind.CARER}
    seen: set[str] = set()
    relationships = (
        Relationship.objects.filter(child__in=subjects)
        .select_related("adult", "adult__household", "child")
        .order_by("adult__last_name", "adult__first_name")
    )
    for rel in relationships:
        key = f"adult-{rel.adult_id}"
        if rel.adult_id in invited_adults or key in seen:
            continue
        seen.add(key)
        role = (
            InviteeRole.PARENT_CARER
            if rel.parental_responsibility or rel.kind in carers
            else InviteeRole.SUPPORTER
        )
        label = f"{rel.adult} — {rel.get_kind_display().lower()} of {rel.child.display_name}"
        suggestions.append(
            Suggestion(
                key=key,
                role=role,
                label=label,
                adult=rel.adult,
                email=rel.adult.email,
                address=_household_address(rel.adult),
            )
        )
    for child in subjects:
        if child.pk in invited_children or child.is_unborn:
            continue
        guidance = rules.child_attendance_guidance(child.date_of_birth, on)
        suggestions.append(
            Suggestion(
                key=f"child-{child.pk}",
                role=InviteeRole.CHILD,
                label=f"{child.display_name}, aged {child.age_on(on)} on the day",
                child=child,
                guidance=guidance,
                address=_household_address(child),
            )
        )
    # The lead social workers, invited by default, are offered again if they are not.
    for worker, children in selectors.lead_social_workers(conference):
        if worker.pk in invited_users:
            continue
        seen.add(f"worker-{worker.pk}")
        suggestions.append(
            Suggestion(
                key=f"worker-{worker.pk}",
                role=InviteeRole.PROFESSIONAL,
                label=f"{worker.get_full_name() or worker.email}, lead social worker for "
                f"{selectors.names(children)} — {worker.agency.name}",
                worker=worker,
                email=worker.email,
            )
        )
    involvements = (
        Involvement.objects.filter(child__in=subjects, started__lte=today)
        .exclude(ended__lt=today)
        .select_related("professional", "professional__agency")
        .order_by("professional__agency__name", "professional__name")
    )
    for involvement in involvements:
        pro = involvement.professional
        key = f"professional-{pro.pk}"
        if pro.pk in invited_pros or key in seen or f"worker-{pro.user_id}" in seen:
            continue
        seen.add(key)
        suggestions.append(
            Suggestion(
                key=key,
                role=InviteeRole.PROFESSIONAL,
                label=f"{pro.name}, {involvement.role} — {pro.agency.name}",
                professional=pro,
                email=pro.email,
            )
        )
    return suggestions


def invitations_add_suggested(
    *,
    conference: Conference,
    keys: Iterable[str],
    today: date,
    by: Actor,
) -> list[Invitation]:
    """Invite the chosen suggestions, all or none."""
    chosen = set(keys)
    added: list[Invitation] = []
    with transaction.atomic():
        for suggestion in invitation_suggestions(conference=conference, today=today):
            if suggestion.key not in chosen:
                continue
            professional = suggestion.professional
            if suggestion.worker is not None:
                professional = professional_for_user(suggestion.worker, by=by)
            added.append(
                invitation_add(
                    conference=conference,
                    role=suggestion.role,
                    adult=suggestion.adult,
                    child=suggestion.child,
                    professional=professional,
                    email=suggestion.email,
                    address=suggestion.address,
                    delivery=suggestion.delivery,
                    by=by,
                )
            )
    return added


# Needs, answers and consent ----------------------------------------------------------------


def invitation_update_needs(
    *,
    invitation: Invitation,
    version: int,
    by: Actor,
    interpreter_language: str = "",
    interpreter_booked: bool = False,
    sensory_needs: str = "",
    dyslexia: bool = False,
    virtual_access: bool = False,
    other_needs: str = "",
    delivery: Delivery | None = None,
    email: str | None = None,
    address: str | None = None,
) -> Invitation:
    """Record what someone needs to take part (Derbyshire; London CP4 §14.9) and, optionally,
    how they are invited."""
    values: dict[str, Any] = {
        "interpreter_language": interpreter_language.strip(),
        "interpreter_booked": interpreter_booked and bool(interpreter_language.strip()),
        "sensory_needs": sensory_needs.strip(),
        "dyslexia": dyslexia,
        "virtual_access": virtual_access,
        "other_needs": other_needs.strip(),
    }
    if delivery is not None:
        values["delivery"] = delivery
    if email is not None:
        values["email"] = email.strip()
    if address is not None:
        values["address"] = address.strip()
    conference = invitation.conference
    CONFERENCE.check(ConferenceAction.UPDATE_INVITATION, conference.status)
    with transaction.atomic():
        versioned_update(invitation, version=version, **values)
        audit(
            by=by,
            verb=AuditVerb.CHANGED,
            obj=invitation,
            about=conference,
            reason="Needs and how they are invited recorded",
        )
    return invitation


def invitation_record_response(
    *,
    invitation: Invitation,
    version: int,
    response: Response,
    by: Actor,
) -> Invitation:
    """Record someone's answer: attending, attending part, apologies with a report (London CP4
    §3.4), or declined."""
    conference = invitation.conference
    CONFERENCE.check(ConferenceAction.RECORD_RESPONSE, conference.status)
    with transaction.atomic():
        versioned_update(invitation, version=version, response=response)
        audit(
            by=by,
            verb=AuditVerb.CHANGED,
            obj=invitation,
            about=conference,
            reason=f"Answer: {invitation.get_response_display()}",
        )
    return invitation


def invitation_record_consent(
    *,
    invitation: Invitation,
    version: int,
    by: Actor,
    chair_consents: bool | None = None,
    family_consents: bool | None = None,
    record_chair: bool = False,
) -> Invitation:
    """London CP4 §3.3: record the chair's and the family's consent to a professional observer.
    The chair's answer is changed only with `record_chair` (only the chair gives it: the page
    asks convene.policy whether this person may)."""
    if not rules.needs_observer_consent(invitation.role):
        raise ServiceError("Only a professional observer needs consent to attend")
    conference = invitation.conference
    CONFERENCE.check(ConferenceAction.RECORD_CONSENT, conference.status)
    values: dict[str, bool | None] = {"family_consents": family_consents}
    if record_chair:
        CONFERENCE.check(ConferenceAction.RECORD_CHAIR_CONSENT, conference.status)
        values["chair_consents"] = chair_consents
    with transaction.atomic():
        versioned_update(invitation, version=version, **values)
        audit(
            by=by,
            verb=AuditVerb.CHANGED,
            obj=invitation,
            about=conference,
            reason=f"Observer consent: chair {_consent_word(invitation.chair_consents)}, "
            f"family {_consent_word(invitation.family_consents)}",
        )
    return invitation


def _consent_word(value: bool | None) -> str:
    return {True: "yes", False: "no", None: "not asked"}[value]


# Sending -----------------------------------------------------------------------------------


@dataclass
class SendResult:
    sent: list[Invitation] = field(default_factory=list)
    refused: list[tuple[Invitation, str]] = field(default_factory=list)


def invitations_send(
    *,
    conference: Conference,
    conference_version: int,
    today: date,
    stamp: datetime,
    by: Actor,
    again: bool = False,
) -> SendResult:
    """Send the invitations not yet sent (with `again`: every one, after a change of date,
    time or place). E-mails carry a calendar entry; letters are kept for printing. Invitations
    that cannot go yet (an observer without both consents, no address) are left and listed.

    Sending raises the conference's version: the conference must still be as the page showed
    it (`conference_version`), and a second send from the same page is refused as stale."""
    CONFERENCE.check(ConferenceAction.SEND_INVITATIONS, conference.status)
    result = SendResult()
    with transaction.atomic():
        versioned_update(conference, version=conference_version)
        invitations = conference.invitations.select_related(
            "adult", "child", "professional", "conference", "conference__chair"
        )
        if not again:
            invitations = invitations.filter(sent_on=None)
        for invitation in invitations:
            check = _send_check(invitation)
            if not check.ok:
                result.refused.append((invitation, check.reason))
                continue
            _deliver(invitation, stamp=stamp)  # queued: it goes only if this commits
            versioned_update(invitation, version=invitation.version, sent_on=today)
            result.sent.append(invitation)
            audit(
                by=by,
                verb=AuditVerb.CHANGED,
                obj=invitation,
                about=conference,
                reason=f"Invitation {'sent again' if again else 'sent'} by "
                f"{invitation.get_delivery_display().lower()}",
            )
    return result


def _send_check(invitation: Invitation) -> rules.SendCheck:
    return rules.can_send(
        role=invitation.role,
        delivery=invitation.delivery,
        email=invitation.email,
        address=invitation.address,
        chair_consents=invitation.chair_consents,
        family_consents=invitation.family_consents,
    )


def _deliver(invitation: Invitation, *, stamp: datetime) -> None:
    subject, body = invitation_message(invitation)
    reference = message_reference(invitation)
    if invitation.delivery == Delivery.EMAIL:
        ics = invitation_ics(invitation, stamp=stamp)
        gateway().send_email(
            to=invitation.email,
            subject=subject,
            body=body,
            attachments=[("conference.ics", ics, "text/calendar")],
            reference=reference,
        )
    else:
        gateway().send_letter(
            address=invitation.address, subject=subject, body=body, reference=reference
        )


def sendable(invitations: Sequence[Invitation]) -> list[tuple[Invitation, rules.SendCheck]]:
    """Each invitation with whether it could be sent now (for the send page)."""
    return [(i, _send_check(i)) for i in invitations]
