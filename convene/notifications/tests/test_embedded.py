"""The dispatcher beside the web server (NOTIFICATIONS_DISPATCH "embedded", the default
without a broker): a message is sent by the background thread, not by the request, as soon as
the change that queued it commits."""

from __future__ import annotations

import time

import pytest
from django.db import transaction

from convene.notifications import embedded
from convene.notifications.enums import OutboundStatus
from convene.notifications.gateway import gateway
from convene.notifications.models import OutboundMessage, SentMessage


def _wait_for(condition, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.django_db(transaction=True)
def test_the_thread_sends_a_message_once_its_change_commits_not_during_it(settings):
    settings.NOTIFICATIONS_DISPATCH = "embedded"
    settings.NOTIFICATIONS_POLL_SECONDS = 600  # so only the wake-up can explain a quick send
    running = embedded.start()
    try:
        assert running is not None and embedded.start() is running  # one per process
        time.sleep(0.2)  # its first round (nothing to send) is over
        with transaction.atomic():
            gateway().send_email(to="sam@family.example", subject="S", body="B", reference="r")
            time.sleep(0.3)
            assert not SentMessage.objects.exists()  # not while the change is being made
        assert _wait_for(SentMessage.objects.exists)
        assert OutboundMessage.objects.get().status == OutboundStatus.SENT
    finally:
        embedded.stop()


def test_no_thread_is_started_unless_the_embedded_mode_is_chosen(settings):
    settings.NOTIFICATIONS_DISPATCH = "celery"
    assert embedded.start() is None
