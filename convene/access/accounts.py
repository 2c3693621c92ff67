"""Looking after people's accounts, for a system administrator (issue 14). Each change is one
transaction with its audit row. The pages that call these are still to come (the closing note
of issue 14 says what is left)."""

from __future__ import annotations

from axes.utils import reset as axes_reset
from django.db import transaction

from convene.core.services import Actor, ServiceError, audit

from .enums import AuditVerb
from .models import User
from .services import end_every_session


def account_deactivate(*, user: User, by: Actor) -> None:
    """Close a leaver's account: they cannot sign in, and every session they have open ends at
    its next request (Django signs out an inactive user; the session generation is raised too,
    so nothing cached survives). The account and its audit trail are kept."""
    if user.pk == by.user.pk:
        raise ServiceError("You cannot close your own account")
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_active=False)
        end_every_session(user)
        audit(by=by, verb=AuditVerb.ACCOUNT_DEACTIVATED, obj=user, reason=by.reason)


def account_unlock(*, user: User, by: Actor) -> None:
    """Lift a lockout after repeated wrong passwords, from every address."""
    with transaction.atomic():
        axes_reset(username=user.email)
        audit(by=by, verb=AuditVerb.ACCOUNT_UNLOCKED, obj=user, reason=by.reason)
