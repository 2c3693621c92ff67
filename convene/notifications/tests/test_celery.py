"""The outbox sent by a Celery worker through a real Redis broker; skipped without Redis,
unless CONVENE_REDIS_TESTS=required (as in CI), when it fails instead."""

from __future__ import annotations

import os
import socket
import time

import pytest
from django.db import transaction
from django.test import override_settings

from convene.notifications.enums import OutboundStatus
from convene.notifications.gateway import gateway
from convene.notifications.models import OutboundMessage, SentMessage

# A database of its own on the local Redis, so the test never takes another process's tasks.
BROKER = "redis://127.0.0.1:6379/15"


def _redis_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.django_db(transaction=True)
def test_a_celery_worker_sends_the_message_the_outbox_queued():
    if not _redis_answers():
        if os.environ.get("CONVENE_REDIS_TESTS") == "required":
            pytest.fail("The Celery test is required here, but Redis is not on 127.0.0.1:6379")
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    from celery.contrib.testing.worker import start_worker

    from convene.celery import app

    app.conf.broker_url = BROKER
    app.conf.task_always_eager = False
    import convene.notifications.tasks  # noqa: F401  (registers the task with the app)

    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge("celery")
    with (
        override_settings(NOTIFICATIONS_DISPATCH="celery", CELERY_BROKER_URL=BROKER),
        transaction.atomic(),
    ):
        gateway().send_email(
            to="rowan@health.example", subject="Invitation", body="Hello", reference="inv-celery"
        )
    # Queued in the database and on the broker, not sent by the "request".
    assert OutboundMessage.objects.get().status == OutboundStatus.QUEUED
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        deadline = time.monotonic() + 20
        while not SentMessage.objects.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
    assert SentMessage.objects.get().to == "rowan@health.example"
    assert OutboundMessage.objects.get().status == OutboundStatus.SENT
