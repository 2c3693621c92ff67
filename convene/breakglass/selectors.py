"""Reads for emergency (break-glass) access."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import QuerySet

from convene import policy
from convene.access.models import User
from convene.people.models import Child

from .models import EmergencyAccess

# The review page lists the requests of the last 90 days (the audit trail keeps them all).
REVIEW_PERIOD = timedelta(days=90)


def for_review(user: User, *, now: datetime) -> QuerySet[EmergencyAccess]:
    """The recent requests this person reviews, newest first."""
    return (
        EmergencyAccess.objects.filter(policy.emergency_access_review_q(user))
        .filter(requested_at__gt=now - REVIEW_PERIOD)
        .select_related("user", "user__team", "user__agency", "child")
        .order_by("-requested_at", "-pk")
    )


def grant_in_force(user: User, child: Child, *, now: datetime) -> EmergencyAccess | None:
    """The person's unexpired grant for this child that ends last, if any."""
    return (
        EmergencyAccess.objects.filter(user=user, child=child, expires_at__gt=now)
        .order_by("-expires_at")
        .first()
    )
