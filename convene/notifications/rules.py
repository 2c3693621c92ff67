"""Pure rules for sending: when to try a failed message again. No clock is read here."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from convene.core.services import Transition, Transitions

from .enums import OutboundStatus

# The first retry comes after about a minute; each later one waits twice as long, up to six
# hours, so a Notify outage of an afternoon is ridden out within the default six attempts.
FIRST_DELAY = timedelta(minutes=1)
LONGEST_DELAY = timedelta(hours=6)


def next_attempt(attempts: int, now: datetime, rng: random.Random) -> datetime:
    """When to try again after `attempts` failed tries (1 or more): exponential backoff with
    "equal jitter" — half the delay fixed, half random — so that many messages that failed
    together (an outage) do not all retry in the same second."""
    doublings = min(max(attempts, 1) - 1, 20)  # 2**20 minutes is far past the cap
    delay = min(FIRST_DELAY * (2**doublings), LONGEST_DELAY)
    return now + delay / 2 + delay / 2 * rng.random()


def is_dead(attempts: int, max_attempts: int) -> bool:
    """A message that has failed `max_attempts` times is not tried again by itself."""
    return attempts >= max_attempts


# How long a claimed message may stay "being sent" before another dispatcher takes it back: far
# longer than one send takes (NOTIFY_TIMEOUT_SECONDS, 10 by default), so only a sender that
# stopped (a worker killed mid-send, a machine lost) leaves one behind that long.
CLAIM_LEASE = timedelta(minutes=15)


# What an administrator may do with a message, by its status (the kernel's one table shape).
# Only a dead-lettered message is sent again by hand: a failed one is retried by itself, and
# a stuck "sending" one may have reached Notify, so it is checked there first.
MESSAGE_ACTIONS: Transitions[str, OutboundStatus] = Transitions(
    {
        "send_again": Transition(
            allowed_from=frozenset({OutboundStatus.DEAD}),
            refusal="This message is not waiting to be sent again: it may already be queued.",
            becomes=OutboundStatus.QUEUED,
        ),
    }
)

# How old the oldest waiting message may be before the service reports itself not ready:
# the dispatcher runs every minute, and the first retry is within two.
OLDEST_QUEUED_ALLOWED = timedelta(minutes=15)


def queue_is_healthy(oldest_queued_at: datetime | None, now: datetime) -> bool:
    return oldest_queued_at is None or now - oldest_queued_at <= OLDEST_QUEUED_ALLOWED
