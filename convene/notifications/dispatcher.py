"""Sends what the outbox holds: claims due messages, sends each through the provider, and
records the outcome (docs/decisions/0016-outbox-and-dispatcher.md).

A claim moves a message from queued (or failed) to sending with a conditional UPDATE on its
id and status, so two dispatchers can never both claim it. On PostgreSQL the candidates are
first locked with `SELECT … FOR UPDATE SKIP LOCKED`, so dispatchers running at once take
different messages instead of queueing behind each other; SQLite has no row locks and relies on
the conditional UPDATE alone.
"""

from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from .enums import OutboundStatus
from .gateway import DeliveryError, Provider, provider
from .models import OutboundMessage
from .rules import is_dead, next_attempt

logger = logging.getLogger(__name__)

BATCH = 50
CLAIMABLE = (OutboundStatus.QUEUED, OutboundStatus.FAILED)


@dataclass
class Outcome:
    sent: int = 0
    retried: int = 0  # failed attempts that leave the message to be tried again
    dead: int = 0

    def __add__(self, other: Outcome) -> Outcome:
        return Outcome(self.sent + other.sent, self.retried + other.retried, self.dead + other.dead)

    @property
    def attempted(self) -> int:
        return self.sent + self.retried + self.dead


def schedule_dispatch() -> None:
    """Called by the outbox when it queues a message, inside the caller's transaction."""
    if settings.NOTIFICATIONS_DISPATCH == "on_commit":
        # robust: a failure here is logged and never breaks the request that queued it.
        transaction.on_commit(dispatch_due, robust=True)
    elif settings.NOTIFICATIONS_DISPATCH == "celery":
        transaction.on_commit(_enqueue, robust=True)


def _enqueue() -> None:
    """Ask a Celery worker to send now (beat also does, every minute, so a lost task only
    delays a message)."""
    from convene.celery import app

    app.send_task("convene.notifications.tasks.dispatch_due")


def _claim(*, now: datetime, ignore_backoff: bool, limit: int) -> list[OutboundMessage]:
    due = Q(status__in=CLAIMABLE)
    if not ignore_backoff:
        due &= Q(next_attempt_at__lte=now)
    with transaction.atomic():
        candidates = OutboundMessage.objects.filter(due).order_by("next_attempt_at", "id")
        if connection.features.has_select_for_update_skip_locked:
            candidates = candidates.select_for_update(skip_locked=True)
        claimed = []
        for message in candidates[:limit]:
            won = OutboundMessage.objects.filter(pk=message.pk, status=message.status).update(
                # next_attempt_at now says when it was claimed, to find one stuck in sending.
                status=OutboundStatus.SENDING,
                next_attempt_at=now,
            )
            if won:
                message.status = OutboundStatus.SENDING
                claimed.append(message)
    return claimed


def _send_one(message: OutboundMessage, via: Provider, rng: random.Random) -> Outcome:
    attempts = message.attempts + 1
    try:
        provider_id = via.deliver(message)
    except (DeliveryError, TimeoutError) as error:
        now = timezone.now()
        permanent = isinstance(error, DeliveryError) and error.permanent
        dead = permanent or is_dead(attempts, settings.NOTIFY_MAX_ATTEMPTS)
        OutboundMessage.objects.filter(pk=message.pk).update(
            status=OutboundStatus.DEAD if dead else OutboundStatus.FAILED,
            attempts=attempts,
            last_error=str(error)[:2000] or type(error).__name__,
            next_attempt_at=now if dead else next_attempt(attempts, now, rng),
        )
        logger.warning("Message %s failed (attempt %s): %s", message.pk, attempts, error)
        return Outcome(dead=1) if dead else Outcome(retried=1)
    OutboundMessage.objects.filter(pk=message.pk).update(
        status=OutboundStatus.SENT,
        attempts=attempts,
        sent_at=timezone.now(),
        provider_id=provider_id[:100],
        last_error="",
    )
    return Outcome(sent=1)


def dispatch_due(
    *, ignore_backoff: bool = False, via: Provider | None = None, rng: random.Random | None = None
) -> Outcome:
    """Send every message that is due now, once each. Returns what happened."""
    via = via or provider()
    rng = rng or random.Random()  # noqa: S311  # nosec B311
    outcome = Outcome()
    while True:
        batch = _claim(now=timezone.now(), ignore_backoff=ignore_backoff, limit=BATCH)
        if not batch:
            return outcome
        for message in batch:
            outcome += _send_one(message, via, rng)
        if ignore_backoff:
            return outcome  # drain() loops, so one failing message cannot spin here


def drain(*, via: Provider | None = None, rng: random.Random | None = None) -> Outcome:
    """Send everything waiting, retrying failures at once (ignoring backoff) until each
    message is sent or dead-lettered."""
    outcome = Outcome()
    while True:
        step = dispatch_due(ignore_backoff=True, via=via, rng=rng)
        if not step.attempted:
            return outcome
        outcome += step
