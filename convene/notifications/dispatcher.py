"""Sends what the outbox holds: claims due messages, sends each through the provider, and
records the outcome (docs/decisions/0016-outbox-and-dispatcher.md).

A claim moves a message from queued (or failed) to sending with a conditional UPDATE on its
id and status, so two dispatchers can never both claim it. On PostgreSQL the candidates are
first locked with `SELECT … FOR UPDATE SKIP LOCKED`, so dispatchers running at once take
different messages instead of queueing behind each other; SQLite has no row locks and relies on
the conditional UPDATE alone.

A message whose last attempt may have reached the provider (it timed out, or the process
sending it stopped) is `uncertain`: before sending it again the dispatcher asks the provider
whether it has it, by its idempotency key, and marks it sent if so. A message left in "sending"
longer than the claim's lease is taken back and treated the same way.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from .enums import OutboundStatus
from .gateway import DeliveryError, Provider, provider
from .models import OutboundMessage
from .rules import CLAIM_LEASE, is_dead, next_attempt

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


# True while this thread (or task) runs dispatch_due: a message queued by a preparer is sent
# by the round that is running, not by a second round started inside it.
_dispatching: ContextVar[bool] = ContextVar("dispatching", default=False)


@contextmanager
def _round() -> Iterator[None]:
    token = _dispatching.set(True)
    try:
        yield
    finally:
        _dispatching.reset(token)


def prepare() -> int:
    """Run each of settings.NOTIFICATIONS_PREPARERS: work that must be done before messages are
    sent but not while a person waits (the letters' PDF and Word files are drawn here and
    their e-mails queued: docs/decisions/0025-letters-drawn-in-background.md). Each returns how
    many things it prepared; a fault in one is logged and never stops the sending."""
    done = 0
    for dotted in settings.NOTIFICATIONS_PREPARERS:
        try:
            done += int(import_string(dotted)())
        except Exception:
            logger.exception("Preparing messages with %s failed; it will be tried again", dotted)
    return done


def schedule_dispatch() -> None:
    """Called by the outbox when it queues a message, inside the caller's transaction, and by
    any service that leaves work for a preparer (`prepare`)."""
    if _dispatching.get():
        return  # the round running now sends it
    # robust: a failure here is logged and never breaks the request that queued it.
    if settings.NOTIFICATIONS_DISPATCH == "embedded":
        from . import embedded

        transaction.on_commit(embedded.wake, robust=True)
    elif settings.NOTIFICATIONS_DISPATCH == "celery":
        transaction.on_commit(_enqueue, robust=True)
    elif settings.NOTIFICATIONS_DISPATCH == "on_commit":
        transaction.on_commit(dispatch_due, robust=True)


def _enqueue() -> None:
    """Ask a Celery worker to send now (beat also does, every minute, so a lost task only
    delays a message)."""
    from convene.celery import app

    app.send_task("convene.notifications.tasks.dispatch_due")


def reclaim_stuck(*, now: datetime) -> int:
    """Take back messages claimed longer ago than the lease: the process sending them stopped.
    Each counts as an attempt (a message that stops its sender every time ends dead-lettered,
    not in a loop) and is uncertain, so the provider is asked before it is sent again."""
    stuck = OutboundMessage.objects.filter(
        status=OutboundStatus.SENDING, next_attempt_at__lt=now - CLAIM_LEASE
    )
    last_try = settings.NOTIFY_MAX_ATTEMPTS - 1
    error = "The process sending this message stopped before it finished."
    common = {"attempts": F("attempts") + 1, "uncertain": True, "next_attempt_at": now}
    dead = stuck.filter(attempts__gte=last_try).update(
        status=OutboundStatus.DEAD, last_error=error, **common
    )
    failed = stuck.update(status=OutboundStatus.FAILED, last_error=error, **common)
    if dead or failed:
        logger.warning("Took back %s messages left being sent", dead + failed)
    return dead + failed


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
    still_unknown = message.uncertain  # until the provider says it has not got it
    try:
        already = via.find(message) if message.uncertain else None
        still_unknown = False
        provider_id = already if already is not None else via.deliver(message)
    except (DeliveryError, TimeoutError) as error:
        now = timezone.now()
        permanent = isinstance(error, DeliveryError) and error.permanent
        # A bare TimeoutError (no answer in time) may have reached the provider too.
        uncertain = still_unknown or not isinstance(error, DeliveryError) or error.uncertain
        dead = permanent or is_dead(attempts, settings.NOTIFY_MAX_ATTEMPTS)
        OutboundMessage.objects.filter(pk=message.pk).update(
            status=OutboundStatus.DEAD if dead else OutboundStatus.FAILED,
            attempts=attempts,
            uncertain=uncertain,
            last_error=str(error)[:2000] or type(error).__name__,
            next_attempt_at=now if dead else next_attempt(attempts, now, rng),
        )
        logger.warning("Message %s failed (attempt %s): %s", message.pk, attempts, error)
        return Outcome(dead=1) if dead else Outcome(retried=1)
    OutboundMessage.objects.filter(pk=message.pk).update(
        status=OutboundStatus.SENT,
        # Found at the provider: the earlier attempt did reach it, and this one sent nothing.
        attempts=message.attempts if already is not None else attempts,
        uncertain=False,
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
    with _round():
        prepare()
        reclaim_stuck(now=timezone.now())
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
