from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from convene.notifications.rules import is_dead, next_attempt

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


class Fixed(random.Random):
    def __init__(self, value: float) -> None:
        super().__init__()
        self.value = value

    def random(self) -> float:
        return self.value


@pytest.mark.parametrize(
    ("attempts", "shortest", "longest"),
    [
        (1, timedelta(seconds=30), timedelta(minutes=1)),
        (2, timedelta(minutes=1), timedelta(minutes=2)),
        (3, timedelta(minutes=2), timedelta(minutes=4)),
        (6, timedelta(minutes=16), timedelta(minutes=32)),
        # The wait stops growing at six hours, however many failures.
        (20, timedelta(hours=3), timedelta(hours=6)),
        (500, timedelta(hours=3), timedelta(hours=6)),
    ],
)
def test_each_retry_waits_about_twice_as_long_as_the_last(attempts, shortest, longest):
    assert next_attempt(attempts, NOW, Fixed(0.0)) == NOW + shortest
    assert next_attempt(attempts, NOW, Fixed(1.0)) == NOW + longest


def test_messages_that_failed_together_do_not_retry_together():
    rng = random.Random(11)
    times = {next_attempt(3, NOW, rng) for _ in range(20)}
    assert len(times) == 20


@pytest.mark.parametrize(("attempts", "dead"), [(1, False), (5, False), (6, True), (7, True)])
def test_a_message_is_dead_after_the_most_attempts(attempts, dead):
    assert is_dead(attempts, 6) is dead
