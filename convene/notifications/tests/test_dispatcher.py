from __future__ import annotations

import threading
import time
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings

from convene.notifications.dispatcher import dispatch_due, drain
from convene.notifications.enums import OutboundStatus
from convene.notifications.gateway import DeliveryError, gateway
from convene.notifications.models import OutboundMessage, SentMessage

pytestmark = pytest.mark.django_db


class Flaky:
    """Fails every other call, every third failure a timeout; counts what it really sent."""

    def __init__(self) -> None:
        self.calls = 0
        self.sent: Counter[str] = Counter()

    def deliver(self, message: OutboundMessage) -> str:
        self.calls += 1
        if self.calls % 2:
            if self.calls % 3 == 0:
                raise TimeoutError("GOV.UK Notify did not answer in 10 seconds")
            raise DeliveryError("503 - Service unavailable")
        self.sent[message.idempotency_key] += 1
        return f"notify-{self.calls}"


class Broken:
    def __init__(self, *, permanent: bool = False) -> None:
        self.calls = 0
        self.permanent = permanent

    def deliver(self, message: OutboundMessage) -> str:
        self.calls += 1
        raise DeliveryError(
            "400 - email_address Not a valid email address", permanent=self.permanent
        )


def _queue(count: int) -> None:
    with transaction.atomic():
        for number in range(count):
            gateway().send_email(
                to=f"person{number}@agency.example",
                subject="Invitation",
                body="Hello",
                reference=f"conference-1-invitation-{number}",
            )


@override_settings(NOTIFICATIONS_DISPATCH="off")
def test_nothing_is_sent_by_the_request_that_queues_a_message():
    _queue(1)
    assert OutboundMessage.objects.get().status == OutboundStatus.QUEUED
    assert not SentMessage.objects.exists()


@override_settings(NOTIFICATIONS_DISPATCH="off")
def test_after_a_drain_through_a_flaky_provider_every_message_is_sent_exactly_once():
    _queue(7)
    flaky = Flaky()
    outcome = drain(via=flaky)
    assert outcome.sent == 7 and outcome.dead == 0 and outcome.retried >= 7
    assert set(flaky.sent.values()) == {1}
    assert len(flaky.sent) == 7
    statuses = set(OutboundMessage.objects.values_list("status", flat=True))
    assert statuses == {OutboundStatus.SENT}
    assert all(m.provider_id.startswith("notify-") for m in OutboundMessage.objects.all())


@override_settings(NOTIFICATIONS_DISPATCH="off", NOTIFY_MAX_ATTEMPTS=4)
def test_a_message_that_keeps_failing_is_dead_lettered_after_the_most_attempts():
    _queue(1)
    broken = Broken()
    outcome = drain(via=broken)
    message = OutboundMessage.objects.get()
    assert (outcome.retried, outcome.dead, broken.calls) == (3, 1, 4)
    assert message.status == OutboundStatus.DEAD and message.attempts == 4
    assert "Not a valid email address" in message.last_error


@override_settings(NOTIFICATIONS_DISPATCH="off")
def test_a_message_notify_refuses_outright_is_dead_lettered_at_once():
    _queue(1)
    broken = Broken(permanent=True)
    assert drain(via=broken).dead == 1
    assert broken.calls == 1


@override_settings(NOTIFICATIONS_DISPATCH="off")
def test_a_failed_message_waits_for_its_backoff_before_the_next_try():
    _queue(1)
    broken = Broken()
    dispatch_due(via=broken)
    dispatch_due(via=broken)
    message = OutboundMessage.objects.get()
    assert broken.calls == 1
    assert message.status == OutboundStatus.FAILED and message.next_attempt_at > message.created_at


@override_settings(NOTIFICATIONS_DISPATCH="off")
def test_the_same_message_asked_for_twice_is_kept_once():
    _queue(1)
    _queue(1)
    assert OutboundMessage.objects.count() == 1
    with transaction.atomic():
        gateway().send_email(
            to="person0@agency.example",
            subject="Invitation",
            body="Hello, the date moved",
            reference="conference-1-invitation-0",
        )
    assert OutboundMessage.objects.count() == 2


@override_settings(NOTIFICATIONS_DISPATCH="off")
def test_messages_without_a_reference_are_each_kept():
    for _ in range(2):
        gateway().send_letter(address="1 Road\nTS1 1AA", subject="S", body="B")
    assert OutboundMessage.objects.count() == 2


@override_settings(NOTIFICATIONS_DISPATCH="off")
def test_the_drain_command_says_what_it_did():
    _queue(2)
    out = StringIO()
    call_command("send_notifications", "--drain", stdout=out)
    assert out.getvalue().strip() == "Sent 2, retried 0, dead-lettered 0."
    assert SentMessage.objects.count() == 2


class Slow:
    def __init__(self) -> None:
        self.sent: Counter[int] = Counter()
        self.lock = threading.Lock()

    def deliver(self, message: OutboundMessage) -> str:
        time.sleep(0.01)
        with self.lock:
            self.sent[message.pk] += 1
        return ""


@pytest.mark.django_db(transaction=True)
@override_settings(NOTIFICATIONS_DISPATCH="off")
def test_two_dispatchers_at_once_never_send_a_message_twice():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks (CI runs the suite on PostgreSQL)")
    _queue(60)
    slow = Slow()
    start = threading.Barrier(2)

    def run() -> None:
        try:
            start.wait()
            dispatch_due(via=slow)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(slow.sent) == 60
    assert set(slow.sent.values()) == {1}
    assert OutboundMessage.objects.filter(status=OutboundStatus.SENT).count() == 60
