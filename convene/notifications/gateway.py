"""The one way Convene sends e-mails and letters.

Call `gateway().send_email(...)` or `gateway().send_letter(...)` from a service function. The
message is queued with `transaction.on_commit`: it goes only when the change that caused it is
saved, and never for a change that rolled back. Outside a transaction it goes at once.

Which gateway is used is decided by settings, read from the environment: with `NOTIFY_API_KEY`
set, GOV.UK Notify; otherwise the development gateway, which keeps each message as a
`SentMessage` row instead of sending it.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from typing import Protocol

from django.conf import settings
from django.db import transaction
from notifications_python_client import prepare_upload
from notifications_python_client.notifications import NotificationsAPIClient

from .enums import Channel
from .models import SentMessage

logger = logging.getLogger(__name__)

# (filename, content, MIME type), e.g. ("conference.ics", b"BEGIN:VCALENDAR…", "text/calendar")
Attachment = tuple[str, bytes, str]

# GOV.UK Notify takes up to 7 address lines; the last must be a postcode or a country.
NOTIFY_ADDRESS_LINES = 7


class Gateway(Protocol):
    def send_email(
        self,
        *,
        to: str,
        subject: str,
        body: str,
        attachments: Sequence[Attachment] = (),
        reference: str = "",
    ) -> None: ...

    def send_letter(
        self, *, address: str, subject: str, body: str, reference: str = ""
    ) -> None: ...


class FakeGateway:
    """Development and tests: keeps each message in the database instead of sending it."""

    def send_email(
        self,
        *,
        to: str,
        subject: str,
        body: str,
        attachments: Sequence[Attachment] = (),
        reference: str = "",
    ) -> None:
        names = [filename for filename, _content, _mimetype in attachments]

        def store() -> None:
            SentMessage.objects.create(
                channel=Channel.EMAIL,
                to=to,
                subject=subject,
                body=body,
                attachment_names=names,
                reference=reference,
            )

        transaction.on_commit(store)

    def send_letter(self, *, address: str, subject: str, body: str, reference: str = "") -> None:
        def store() -> None:
            SentMessage.objects.create(
                channel=Channel.LETTER, to=address, subject=subject, body=body, reference=reference
            )

        transaction.on_commit(store)


class NotifyGateway:
    """GOV.UK Notify. The e-mail template has the placeholders ((subject)) and ((body)), and
    ((attachment_1)) … for files (sent as links with `prepare_upload`); the letter template,
    when there is one, ((address_line_1)) … ((address_line_7)), ((subject)) and ((body)).
    Without a letter template, letters are kept as `SentMessage` rows for printing."""

    def __init__(self, *, api_key: str, email_template_id: str, letter_template_id: str) -> None:
        self._client = NotificationsAPIClient(api_key)
        self._email_template_id = email_template_id
        self._letter_template_id = letter_template_id

    def send_email(
        self,
        *,
        to: str,
        subject: str,
        body: str,
        attachments: Sequence[Attachment] = (),
        reference: str = "",
    ) -> None:
        personalisation: dict[str, object] = {"subject": subject, "body": body}
        for number, (filename, content, _mimetype) in enumerate(attachments, start=1):
            personalisation[f"attachment_{number}"] = prepare_upload(
                io.BytesIO(content), filename=filename
            )

        def send() -> None:
            self._client.send_email_notification(
                email_address=to,
                template_id=self._email_template_id,
                personalisation=personalisation,
                reference=reference or None,
            )

        transaction.on_commit(send)

    def send_letter(self, *, address: str, subject: str, body: str, reference: str = "") -> None:
        if not self._letter_template_id:
            FakeGateway().send_letter(
                address=address, subject=subject, body=body, reference=reference
            )
            return
        lines = [line.strip() for line in address.splitlines() if line.strip()]
        if len(lines) > NOTIFY_ADDRESS_LINES:
            # Keep the postcode last: join the surplus middle lines.
            lines = [
                *lines[: NOTIFY_ADDRESS_LINES - 2],
                ", ".join(lines[NOTIFY_ADDRESS_LINES - 2 : -1]),
                lines[-1],
            ]
        personalisation: dict[str, object] = {"subject": subject, "body": body}
        for number, line in enumerate(lines, start=1):
            personalisation[f"address_line_{number}"] = line

        def send() -> None:
            self._client.send_letter_notification(
                template_id=self._letter_template_id,
                personalisation=personalisation,
                reference=reference or None,
            )

        transaction.on_commit(send)


def gateway() -> Gateway:
    """The gateway the settings choose: GOV.UK Notify when NOTIFY_API_KEY is set."""
    if settings.NOTIFY_API_KEY:
        return NotifyGateway(
            api_key=settings.NOTIFY_API_KEY,
            email_template_id=settings.NOTIFY_EMAIL_TEMPLATE_ID,
            letter_template_id=settings.NOTIFY_LETTER_TEMPLATE_ID,
        )
    return FakeGateway()


def is_fake() -> bool:
    """True when messages are kept in the database rather than sent (development)."""
    return not settings.NOTIFY_API_KEY
