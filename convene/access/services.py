"""State changes for people's accounts. Each runs in one transaction with its audit row."""

from __future__ import annotations

from django.contrib.auth import logout
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest

from .audit import audit_record
from .enums import AuditVerb
from .models import User


def user_sign_out_everywhere(*, user: User, request: HttpRequest) -> None:
    """End every session this user has, on every device, including this one."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
        audit_record(actor=user, verb=AuditVerb.SIGNED_OUT_EVERYWHERE, obj=user, request=request)
    logout(request)
