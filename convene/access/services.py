"""State changes for people's accounts. Each runs in one transaction with its audit row."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from convene.core.services import Actor, ServiceError, audit
from convene.people.models import Agency, Team

from .enums import AuditVerb
from .models import SsoGroupMapping, User


def end_every_session(user: User) -> None:
    """Every session this user has, on every device, stops being valid at its next request
    (the session hash mixes in the generation: models.User._get_session_auth_hash)."""
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)


def user_sign_out_everywhere(*, by: Actor) -> None:
    """End every session this user has, on every device, including the one they are using
    (the view then signs them out of it)."""
    with transaction.atomic():
        end_every_session(by.user)
        audit(by=by, verb=AuditVerb.SIGNED_OUT_EVERYWHERE, obj=by.user, reason="")


def sso_group_mapping_add(
    *, group: str, role: str, agency: Agency, team: Team | None, by: Actor
) -> SsoGroupMapping:
    """A provider group now gives its members a role (convene/access/sso.py)."""
    if team is not None and team.agency_id != agency.pk:
        raise ServiceError("Choose a team in the agency you chose, or no team", field="team")
    if SsoGroupMapping.objects.filter(group=group, role=role).exists():
        raise ServiceError("That group already gives that role", field="group")
    with transaction.atomic():
        mapping = SsoGroupMapping.objects.create(group=group, role=role, agency=agency, team=team)
        audit(
            by=by,
            verb=AuditVerb.CREATED,
            obj=mapping,
            reason=f"Single sign-on: members of {group} are {mapping.get_role_display()}"
            f" in {agency}" + (f", {team}" if team else ""),
        )
    return mapping


def sso_group_mapping_remove(*, mapping: SsoGroupMapping, by: Actor) -> None:
    """The group no longer gives the role (from each member's next sign-in)."""
    with transaction.atomic():
        audit(by=by, verb=AuditVerb.DELETED, obj=mapping, reason="Single sign-on group removed")
        mapping.delete()
