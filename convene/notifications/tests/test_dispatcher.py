from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone

from convene.notifications.dispatcher import dispatch_due, drain, reclaim_stuck
from convene.notifications.enums import OutboundStatus
from convene.notifications.gateway import DeliveryError, gateway
from convene.notifications.models import OutboundMessage, SentMessage
from convene.testing.fake_notify import API_KEY, FakeNotify

pytestmark = pytest.mark.django_db


class Flaky:
    """Fails every other call, every third failure a timeout after it kept the message (its
    answer lost on the way back); counts what it really sent."""

    def __init__(self) -> None:
        self.calls = 0
        self.sent: Counter[str] = Counter()
        self.ids: dict[str, str] = {}

    def deliver(self, message: OutboundMessage) -> str:
        self.calls += 1
        if self.calls % 2:
            if self.calls % 3 == 0:
                self._keep(message)
                raise TimeoutError("GOV.UK Notify did not answer in 10 seconds")
            raise DeliveryError("503 - Service unavailable")
        return self._keep(message)

    def _keep(self, message: OutboundMessage) -> str:
        self.sent[message.idempotency_key] += 1
        return self.ids.setdefault(message.idempotency_key, f"notify-{self.calls}")

    def find(self, message: OutboundMessage) -> str | None:
        return self.ids.get(message.idempotency_key)


class Broken:
    def __init__(self, *, permanent: bool = False) -> None:
        self.calls = 0
        self.permanent = permanent

    def deliver(self, message: OutboundMessage) -> str:
        self.calls += 1
        raise DeliveryError(
            "400 - email_address Not a valid email address", permanent=self.permanent
        )

    def find(self, message: OutboundMessage) -> str | None:
        return None


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
    assert outcome.sent == 7 and outcome.dead == 0 and outcome.retried > 0
    assert set(flaky.sent.values()) == {1}
    assert len(flaky.sent) == 7
    assert not OutboundMessage.objects.filter(uncertain=True).exists()
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


def _two_at_once(dispatcher: Callable[[], object]) -> None:
    """Run two dispatchers in threads of their own, started together, and wait for both."""
    start = threading.Barrier(2)

    def run() -> None:
        try:
            start.wait()
            dispatcher()
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


class Slow:
    def __init__(self) -> None:
        self.sent: Counter[int] = Counter()
        self.lock = threading.Lock()

    def deliver(self, message: OutboundMessage) -> str:
        time.sleep(0.01)
        with self.lock:
            self.sent[message.pk] += 1
        return ""

    def find(self, message: OutboundMessage) -> str | None:
        return None


@pytest.mark.django_db(transaction=True)
@override_settings(NOTIFICATIONS_DISPATCH="off")
def test_two_dispatchers_at_once_never_send_a_message_twice():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks (CI runs the suite on PostgreSQL)")
    _queue(60)
    slow = Slow()
    _two_at_once(lambda: dispatch_due(via=slow))
    assert len(slow.sent) == 60
    assert set(slow.sent.values()) == {1}
    assert OutboundMessage.objects.filter(status=OutboundStatus.SENT).count() == 60


@override_settings(NOTIFICATIONS_DISPATCH="off")
def test_after_a_timeout_the_provider_is_asked_before_sending_again():
    _queue(1)
    flaky = Flaky()
    flaky.calls = 2  # the next call is the third: kept, then no answer in time
    dispatch_due(via=flaky)
    message = OutboundMessage.objects.get()
    assert message.status == OutboundStatus.FAILED and message.uncertain
    drain(via=flaky)
    message.refresh_from_db()
    assert message.status == OutboundStatus.SENT and not message.uncertain
    assert flaky.sent[message.idempotency_key] == 1
    assert flaky.calls == 3  # asked, found, and not sent again
    assert message.provider_id == flaky.ids[message.idempotency_key]


@override_settings(NOTIFICATIONS_DISPATCH="off")
def test_a_refusal_is_certain_so_the_next_try_sends_without_asking():
    _queue(1)
    dispatch_due(via=Broken())
    assert not OutboundMessage.objects.get().uncertain


@override_settings(NOTIFICATIONS_DISPATCH="off")
def test_once_the_provider_says_it_has_not_got_it_a_refusal_is_certain_again():
    _queue(1)
    OutboundMessage.objects.update(uncertain=True)
    dispatch_due(via=Broken())  # asked (not there), then sent and refused with a 400
    assert not OutboundMessage.objects.get().uncertain


def _left_sending(minutes_ago: int, *, attempts: int = 0) -> OutboundMessage:
    _queue(1)
    claimed_at = timezone.now() - timedelta(minutes=minutes_ago)
    OutboundMessage.objects.update(
        status=OutboundStatus.SENDING, next_attempt_at=claimed_at, attempts=attempts
    )
    return OutboundMessage.objects.get()


@override_settings(NOTIFICATIONS_DISPATCH="off")
def test_a_message_left_sending_past_the_lease_is_taken_back_and_sent_once():
    message = _left_sending(16)
    flaky = Flaky()
    flaky.ids[message.idempotency_key] = "notify-earlier"  # it did arrive before the crash
    flaky.sent[message.idempotency_key] = 1
    assert dispatch_due(via=flaky).sent == 1
    message.refresh_from_db()
    assert message.status == OutboundStatus.SENT and message.provider_id == "notify-earlier"
    assert flaky.sent[message.idempotency_key] == 1 and message.attempts == 1


@override_settings(NOTIFICATIONS_DISPATCH="off")
def test_a_message_left_sending_that_never_arrived_is_sent():
    message = _left_sending(16)
    flaky = Flaky()
    flaky.calls = 1  # the next call succeeds
    dispatch_due(via=flaky)
    message.refresh_from_db()
    assert message.status == OutboundStatus.SENT
    assert flaky.sent[message.idempotency_key] == 1


@override_settings(NOTIFICATIONS_DISPATCH="off")
def test_a_message_being_sent_within_its_lease_is_left_alone():
    _left_sending(5)
    assert reclaim_stuck(now=timezone.now()) == 0
    assert OutboundMessage.objects.get().status == OutboundStatus.SENDING


@override_settings(NOTIFICATIONS_DISPATCH="off", NOTIFY_MAX_ATTEMPTS=3)
def test_a_message_that_stops_its_sender_every_time_ends_dead_lettered():
    _left_sending(16, attempts=2)
    assert reclaim_stuck(now=timezone.now()) == 1
    message = OutboundMessage.objects.get()
    assert message.status == OutboundStatus.DEAD and message.attempts == 3
    assert "stopped" in message.last_error


# Through the real Notify client, against a server that fails every other call and hangs on
# every fifth for longer than the client waits.


def _notify(server: FakeNotify) -> dict[str, object]:
    return {
        "NOTIFY_API_KEY": API_KEY,
        "NOTIFY_EMAIL_TEMPLATE_ID": "00000000-0000-0000-0000-000000000001",
        "NOTIFY_LETTER_TEMPLATE_ID": "00000000-0000-0000-0000-000000000002",
        "NOTIFY_BASE_URL": server.base_url,
        "NOTIFY_TIMEOUT_SECONDS": 0.3,
        "NOTIFY_MAX_ATTEMPTS": 20,
        "NOTIFICATIONS_DISPATCH": "off",
    }


def test_through_notify_that_fails_and_hangs_every_message_arrives_exactly_once():
    with FakeNotify(fail_every=2, hang_every=5, hang_seconds=0.6) as server:
        with override_settings(**_notify(server)):
            _queue(12)
            with transaction.atomic():
                gateway().send_letter(
                    address="1 Road\nTS1 1AA", subject="S", body="B", reference="letter-1"
                )
            outcome = drain()
        assert server.failures and server.hangs  # it did misbehave
    keys = set(OutboundMessage.objects.values_list("idempotency_key", flat=True))
    assert outcome.sent == 13 and outcome.dead == 0
    assert set(server.delivered) == keys
    assert set(server.delivered.values()) == {1}
    assert set(OutboundMessage.objects.values_list("status", flat=True)) == {OutboundStatus.SENT}


@pytest.mark.django_db(transaction=True)
def test_two_dispatchers_through_a_failing_and_hanging_notify_never_send_twice():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks (CI runs the suite on PostgreSQL)")
    with FakeNotify(fail_every=2, hang_every=7, hang_seconds=0.6) as server:
        with override_settings(**_notify(server)):
            _queue(40)
            _two_at_once(drain)
        assert server.hangs
    assert len(server.delivered) == 40
    assert set(server.delivered.values()) == {1}
    assert OutboundMessage.objects.filter(status=OutboundStatus.SENT).count() == 40
