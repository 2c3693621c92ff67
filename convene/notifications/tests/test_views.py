from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from convene.access.models import AuditEvent
from convene.notifications.dispatcher import drain
from convene.notifications.enums import DeliveryStatus, OutboundStatus
from convene.notifications.gateway import DeliveryError, gateway
from convene.notifications.models import OutboundMessage, SentMessage

pytestmark = pytest.mark.django_db

TOKEN = "callback-token-for-tests-only"


class Refusing:
    def deliver(self, message: OutboundMessage) -> str:
        raise DeliveryError("400 - Not a valid email address", permanent=True)

    def find(self, message: OutboundMessage) -> str | None:
        return None


def _dead_message() -> OutboundMessage:
    with override_settings(NOTIFICATIONS_DISPATCH="off"), transaction.atomic():
        gateway().send_email(
            to="kit@school.example", subject="Invitation", body="Hello", reference="inv-9"
        )
    drain(via=Refusing())
    return OutboundMessage.objects.get()


def test_a_system_administrator_sees_the_dead_letters_and_the_counts(system_administrator, as_user):
    _dead_message()
    page = as_user(system_administrator).get(reverse("notifications:operations"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "kit@school.example" in text
    assert "Not a valid email address" in text
    assert "Send again" in text


@pytest.mark.parametrize("persona", ["administrator", "chair", "outsider"])
def test_others_find_no_operations_page(persona, request, as_user):
    client = as_user(request.getfixturevalue(persona))
    assert client.get(reverse("notifications:operations")).status_code == 404
    message = _dead_message()
    response = client.post(reverse("notifications:send-again"), {"message": message.pk})
    assert response.status_code == 404
    assert OutboundMessage.objects.get().status == OutboundStatus.DEAD


def test_send_again_requeues_sends_and_is_audited(
    system_administrator, as_user, django_capture_on_commit_callbacks
):
    message = _dead_message()
    with django_capture_on_commit_callbacks(execute=True):
        response = as_user(system_administrator).post(
            reverse("notifications:send-again"), {"message": message.pk}
        )
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.status == OutboundStatus.SENT
    assert SentMessage.objects.get().to == "kit@school.example"
    event = AuditEvent.objects.get(object_id=str(message.pk))
    assert event.actor == system_administrator
    assert "Not a valid email address" in event.reason


def test_a_message_already_sent_is_not_sent_again(system_administrator, as_user):
    with transaction.atomic():
        gateway().send_letter(address="1 Road\nTS1 1AA", subject="S", body="B", reference="r")
    drain()
    message = OutboundMessage.objects.get()
    as_user(system_administrator).post(reverse("notifications:send-again"), {"message": message.pk})
    message.refresh_from_db()
    assert message.status == OutboundStatus.SENT and SentMessage.objects.count() == 1


def _receipt(client: Client, payload: object, token: str = TOKEN):
    return client.post(
        reverse("notifications:callback"),
        data=json.dumps(payload),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


def test_the_callback_is_not_there_without_a_token():
    assert _receipt(Client(), {"status": "delivered"}).status_code == 404


@override_settings(NOTIFY_CALLBACK_TOKEN=TOKEN)
def test_the_callback_refuses_the_wrong_token():
    assert _receipt(Client(), {"status": "delivered"}, token="guess").status_code == 401


@override_settings(NOTIFY_CALLBACK_TOKEN=TOKEN)
def test_a_permanent_failure_is_listed_for_administrators(system_administrator, as_user):
    message = _dead_message()
    OutboundMessage.objects.filter(pk=message.pk).update(
        status=OutboundStatus.SENT, provider_id="740e5834-3a29-46b4-9a6f-16142fde533a"
    )
    client = Client(enforce_csrf_checks=True)
    response = _receipt(
        client,
        {
            "id": "740e5834-3a29-46b4-9a6f-16142fde533a",
            "reference": message.idempotency_key,
            "status": "permanent-failure",
            "completed_at": "2026-11-27T10:00:00.000000Z",
        },
    )
    assert response.status_code == 200 and response.json() == {"recorded": True}
    message.refresh_from_db()
    assert message.delivery_status == DeliveryStatus.PERMANENT_FAILURE
    page = as_user(system_administrator).get(reverse("notifications:operations"))
    assert "could not be delivered" in page.content.decode()
    assert "kit@school.example" in page.content.decode()


@override_settings(NOTIFY_CALLBACK_TOKEN=TOKEN)
def test_the_callback_refuses_junk():
    assert _receipt(Client(), {"status": "lost in the post"}).status_code == 400
    assert _receipt(Client(), ["delivered"]).status_code == 400


def test_health_answers_without_signing_in():
    response = Client().get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_ready_when_the_database_answers_and_the_queue_moves():
    response = Client().get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "outbox": "ok"}


@override_settings(NOTIFICATIONS_DISPATCH="off")
def test_not_ready_when_a_message_has_waited_too_long():
    with transaction.atomic():
        gateway().send_email(to="a@b.example", subject="S", body="B")
    OutboundMessage.objects.update(next_attempt_at=timezone.now() - timedelta(minutes=16))
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"


def test_system_administrators_find_the_page_in_the_navigation(system_administrator, as_user):
    home = as_user(system_administrator).get("/")
    assert reverse("notifications:operations") in home.content.decode()
