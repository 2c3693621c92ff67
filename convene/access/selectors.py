"""Reads for the account management pages: a few queries per page, however many accounts."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Q, QuerySet
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import AuditEvent, User


def account_search(text: str) -> QuerySet[User]:
    """Every account (open ones first), or those whose name, e-mail address, job, team or
    agency contains the text; with what the list shows, fetched in one go."""
    accounts = User.objects.select_related("agency", "team").prefetch_related("role_grants")
    for word in text.split()[:5]:
        accounts = accounts.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
            | Q(job_title__icontains=word)
            | Q(team__name__icontains=word)
            | Q(agency__name__icontains=word)
        )
    return accounts.order_by("-is_active", "last_name", "first_name", "pk")


def is_locked_out(user: User) -> bool:
    """Whether too many wrong passwords have been given for this account from some address."""
    from axes.models import AccessAttempt

    return AccessAttempt.objects.filter(
        username=user.email, failures_since_start__gte=settings.AXES_FAILURE_LIMIT
    ).exists()


def has_authenticator(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def account_history(user: User, *, limit: int = 20) -> QuerySet[AuditEvent]:
    """What was last done to the account (by administrators, and its own password changes)."""
    return AuditEvent.objects.filter(
        object_type=User._meta.label, object_id=str(user.pk)
    ).select_related("actor")[:limit]
