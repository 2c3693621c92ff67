"""Changes to the professionals around children: their records and their work with a child.

Each function runs inside its caller's transaction (or its own) and writes its audit row in
it (convene.core.services.audit). Nothing here reads the clock: callers pass `today`.
"""

from __future__ import annotations

from django.db import transaction

from convene.access.enums import AuditVerb
from convene.access.models import User
from convene.core.services import Actor, audit

from .models import Professional


def professional_for_user(user: User, *, by: Actor) -> Professional:
    """The professional record of someone who signs in, made the first time it is needed: a
    social worker, say, has none until they are first invited to a conference. Linked to their
    account, so what they are invited to is theirs to see."""
    existing = Professional.objects.filter(user=user).select_related("agency").first()
    if existing is not None:
        return existing
    with transaction.atomic():
        professional = Professional.objects.create(
            name=user.get_full_name() or user.email,
            job_title=user.job_title or _role_title(user),
            agency=user.agency,
            email=user.email,
            user=user,
        )
        audit(
            by=by,
            verb=AuditVerb.CREATED,
            obj=professional,
            reason=f"Professional record made for {professional.name}'s account",
        )
    return professional


def _role_title(user: User) -> str:
    return min((role.label for role in user.roles), default="Professional")
