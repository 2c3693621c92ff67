"""Inviting professionals (London CP4 §3.1 to §3.2, §3.10): each child's lead social worker,
invited by default, and anyone from any agency, who is then linked to the children.

Each function checks the conference's status against the conference transition table, runs in
one transaction and writes its audit rows in it, through `invitation_add`
(`convene.conferences.invitations.services`) and `convene.people.services`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db import transaction

from convene.access.models import User
from convene.conferences.enums import InviteeRole
from convene.conferences.invitations import selectors
from convene.conferences.invitations.services import invitation_add
from convene.conferences.models import Conference, Invitation
from convene.conferences.rules import CONFERENCE, ConferenceAction
from convene.core.services import Actor, ServiceError
from convene.people.models import Agency, Professional
from convene.people.services import involvements_start, professional_add, professional_for_user

# The lead social worker, invited by default ------------------------------------------------


def invitations_add_lead_social_workers(*, conference: Conference, by: Actor) -> list[Invitation]:
    """Invite the allocated (lead) social worker of each child the conference is about, unless
    they already are: children's social care takes part in every conference, and without it
    no conference is quorate (London CP4 §3.10). Called when a conference is started and each
    time it is scheduled, so a worker allocated since is invited too; asking again changes
    nothing. A conference no longer being arranged is left as it is."""
    if not CONFERENCE.allows(ConferenceAction.INVITE, conference.status):
        return []
    workers = selectors.lead_social_workers(conference)
    invited = set(
        conference.invitations.filter(
            professional__user__in=[worker for worker, _ in workers]
        ).values_list("professional__user_id", flat=True)
    )
    added: list[Invitation] = []
    with transaction.atomic():
        for worker, children in workers:
            if worker.pk in invited:
                continue
            professional = professional_for_user(worker, by=by)
            added.append(
                invitation_add(
                    conference=conference,
                    role=InviteeRole.PROFESSIONAL,
                    professional=professional,
                    email=professional.email,
                    by=by,
                    reason=f"Invited as the lead social worker for {selectors.names(children)}",
                )
            )
    return added


# Any professional of any agency ------------------------------------------------------------


@dataclass(frozen=True)
class NewProfessional:
    """Someone from an agency who is not in Convene yet."""

    name: str
    job_title: str
    email: str = ""


# Whom the invite-a-professional page names.
Invitee = Professional | User | NewProfessional


def invitation_add_professional(
    *,
    conference: Conference,
    agency: Agency,
    who: Invitee,
    role: str,
    today: date,
    by: Actor,
) -> Invitation:
    """Invite a professional of any agency, whether or not they have worked with the children
    yet: a professional record, someone who signs in (given a record linked to their account),
    or someone new to Convene. Inviting them links them to each child the conference is about,
    in the `role` given and from `today`, unless they already work with that child."""
    CONFERENCE.check(ConferenceAction.INVITE, conference.status)
    if isinstance(who, Professional | User) and who.agency_id != agency.pk:
        raise ServiceError(f"Select someone from {agency.name}", field="who")  # noqa: S608  # nosec B608
    with transaction.atomic():
        if isinstance(who, NewProfessional):
            professional = professional_add(
                agency=agency, name=who.name, job_title=who.job_title, email=who.email, by=by
            )
        elif isinstance(who, User):
            professional = professional_for_user(who, by=by)
        else:
            professional = who
        involvements_start(
            professional=professional,
            children=conference.subject_children(),
            role=role,
            today=today,
            by=by,
            why=f"invited to the {conference}",
        )
        return invitation_add(
            conference=conference,
            role=InviteeRole.PROFESSIONAL,
            professional=professional,
            email=professional.email,
            by=by,
            reason=f"Invited as a professional from {agency.name}",
        )
