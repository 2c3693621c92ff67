from __future__ import annotations

from unittest import mock

import pytest
from django.db import transaction
from django.test import override_settings

from convene.notifications.enums import Channel
from convene.notifications.gateway import FakeGateway, NotifyGateway, Outbox, gateway, provider
from convene.notifications.models import SentMessage

pytestmark = pytest.mark.django_db

NOTIFY = {
    "NOTIFY_API_KEY": "test-key",
    "NOTIFY_EMAIL_TEMPLATE_ID": "00000000-0000-0000-0000-000000000001",
    "NOTIFY_LETTER_TEMPLATE_ID": "",
}


def test_messages_go_to_the_outbox_and_the_fake_sends_without_a_notify_key():
    assert isinstance(gateway(), Outbox)
    assert isinstance(provider(), FakeGateway)


def test_the_fake_keeps_an_email_once_the_change_is_saved(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        gateway().send_email(
            to="sam@family.example",
            subject="Invitation",
            body="Hello",
            attachments=[("conference.ics", b"BEGIN:VCALENDAR", "text/calendar")],
            reference="conference-1-invitation-2",
        )
    message = SentMessage.objects.get()
    assert message.channel == Channel.EMAIL
    assert message.to == "sam@family.example"
    assert message.subject == "Invitation"
    assert message.attachment_names == ["conference.ics"]
    assert message.reference == "conference-1-invitation-2"


def test_nothing_is_sent_when_the_change_rolls_back(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        gateway().send_email(to="sam@family.example", subject="S", body="B")
        gateway().send_letter(address="1 Road\nTS1 1AA", subject="S", body="B")
        raise RuntimeError("the change failed")
    assert not SentMessage.objects.exists()


def test_the_fake_keeps_a_letter(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        gateway().send_letter(address="1 Road\nTS1 1AA", subject="S", body="B", reference="r")
    assert SentMessage.objects.get().channel == Channel.LETTER


@override_settings(**NOTIFY)
def test_notify_is_used_when_a_key_is_set():
    with mock.patch("convene.notifications.gateway.NotificationsAPIClient") as client:
        chosen = provider()
    assert isinstance(chosen, NotifyGateway)
    client.assert_called_once_with(
        "test-key", base_url="https://api.notifications.service.gov.uk", timeout=10
    )


@override_settings(**NOTIFY)
def test_notify_sends_the_email_with_the_file_after_commit(django_capture_on_commit_callbacks):
    with mock.patch("convene.notifications.gateway.NotificationsAPIClient") as client:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            gateway().send_email(
                to="pat@health.example",
                subject="Invitation",
                body="Hello",
                attachments=[("conference.ics", b"BEGIN:VCALENDAR", "text/calendar")],
                reference="ref-1",
            )
        api = client.return_value
        api.send_email_notification.assert_not_called()
        for callback in callbacks:
            callback()
    kwargs = api.send_email_notification.call_args.kwargs
    assert kwargs["email_address"] == "pat@health.example"
    assert kwargs["template_id"] == NOTIFY["NOTIFY_EMAIL_TEMPLATE_ID"]
    assert kwargs["reference"].startswith("ref-1:")
    assert kwargs["personalisation"]["subject"] == "Invitation"
    assert kwargs["personalisation"]["attachment_1"]["filename"] == "conference.ics"
    assert not SentMessage.objects.exists()


@override_settings(**{**NOTIFY, "NOTIFY_LETTER_TEMPLATE_ID": "letter-template"})
def test_notify_posts_a_letter_with_address_lines(django_capture_on_commit_callbacks):
    with (
        mock.patch("convene.notifications.gateway.NotificationsAPIClient") as client,
        django_capture_on_commit_callbacks(execute=True),
    ):
        gateway().send_letter(address="Sam Example\n1 Road\nTS1 1AA", subject="S", body="B")
    personalisation = client.return_value.send_letter_notification.call_args.kwargs[
        "personalisation"
    ]
    assert personalisation["address_line_1"] == "Sam Example"
    assert personalisation["address_line_3"] == "TS1 1AA"


@override_settings(**NOTIFY)
def test_notify_without_a_letter_template_keeps_letters_for_printing(
    django_capture_on_commit_callbacks,
):
    with (
        mock.patch("convene.notifications.gateway.NotificationsAPIClient"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        gateway().send_letter(address="1 Road\nTS1 1AA", subject="S", body="B")
    assert SentMessage.objects.get().channel == Channel.LETTER


def test_settings_refuse_a_notify_key_without_an_email_template():
    import subprocess
    import sys

    from django.conf import settings

    code = "import django; django.setup()"
    env = {
        "DJANGO_SETTINGS_MODULE": "convene.settings.test",
        "NOTIFY_API_KEY": "test-key",
        "PATH": "",
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "NOTIFY_EMAIL_TEMPLATE_ID must be set" in result.stderr
