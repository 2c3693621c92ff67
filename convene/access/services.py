"""State changes for people's accounts. Each runs in one transaction with its audit row."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from convene.core.services import Actor, audit

from .enums import AuditVerb
from .models import User


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
