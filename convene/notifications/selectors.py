"""Reads of the outbox for the operations page and the readiness check."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Count, Min, QuerySet
from django.db.models.functions import TruncDate

from .enums import DeliveryStatus, OutboundStatus
from .models import OutboundMessage
from .rules import CLAIM_LEASE

DAYS_SHOWN = 14


@dataclass
class Day:
    day: date
    counts: dict[str, int] = field(default_factory=dict)

    def count(self, status: str) -> int:
        return self.counts.get(status, 0)


def counts_by_day(*, today: date, days: int = DAYS_SHOWN) -> list[Day]:
    """How many messages were queued on each of the last `days` days, by where each is now
    (one query), newest day first."""
    since = today - timedelta(days=days - 1)
    rows = (
        OutboundMessage.objects.annotate(day=TruncDate("created_at"))
        .filter(day__gte=since)
        .values("day", "status")
        .annotate(n=Count("id"))
    )
    by_day = {
        since + timedelta(days=offset): Day(since + timedelta(days=offset))
        for offset in range(days)
    }
    for row in rows:
        if row["day"] in by_day:
            by_day[row["day"]].counts[row["status"]] = row["n"]
    return sorted(by_day.values(), key=lambda d: d.day, reverse=True)


def dead_letters() -> QuerySet[OutboundMessage]:
    return OutboundMessage.objects.filter(status=OutboundStatus.DEAD).order_by("-next_attempt_at")


def stuck_sending(*, now: datetime) -> QuerySet[OutboundMessage]:
    """Claimed longer ago than the lease and never finished: the process sending it stopped
    and no dispatcher has run since to take it back."""
    return OutboundMessage.objects.filter(
        status=OutboundStatus.SENDING, next_attempt_at__lt=now - CLAIM_LEASE
    )


def permanent_failures() -> QuerySet[OutboundMessage]:
    """Sent, but Notify could not deliver them (no such address, no such inbox): someone must
    contact the person another way."""
    return OutboundMessage.objects.filter(
        delivery_status=DeliveryStatus.PERMANENT_FAILURE
    ).order_by("-delivery_updated_at")


def oldest_queued_at() -> datetime | None:
    due = OutboundMessage.objects.filter(status__in=(OutboundStatus.QUEUED, OutboundStatus.FAILED))
    return due.aggregate(oldest=Min("next_attempt_at"))["oldest"]
