"""The one way Convene sends e-mails and letters.

Call `gateway().send_email(...)` or `gateway().send_letter(...)` from a service function. The
message is written to the outbox (`OutboundMessage`) in the caller's transaction: it exists
only if the change that caused it is saved, and nothing is sent while the caller waits. The
dispatcher (`convene.notifications.dispatcher`) sends it afterwards through a provider, tries
again when that fails, and gives up after NOTIFY_MAX_ATTEMPTS
(docs/decisions/0016-outbox-and-dispatcher.md).

Which provider sends is decided by settings: with `NOTIFY_API_KEY` set, GOV.UK Notify;
otherwise the development provider, which keeps each message as a `SentMessage` row instead.
"""

from __future__ import annotations

import hashlib
import io
import uuid
from collections.abc import Sequence
from typing import Protocol

from django.conf import settings
from django.db import IntegrityError, transaction
from notifications_python_client import prepare_upload
from notifications_python_client.errors import APIError
from notifications_python_client.notifications import NotificationsAPIClient
from requests import ConnectTimeout, RequestException

from .enums import Channel
from .models import OutboundAttachment, OutboundMessage, SentMessage

# (filename, content, MIME type), e.g. ("conference.ics", b"BEGIN:VCALENDAR…", "text/calendar")
Attachment = tuple[str, bytes, str]

# GOV.UK Notify takes up to 7 address lines; the last must be a postcode or a country.
NOTIFY_ADDRESS_LINES = 7
# HTTP statuses from Notify worth trying again: too many requests, and its own faults.
RETRYABLE_STATUSES = {429, 500, 502, 503, 504}


class DeliveryError(Exception):
    """A provider could not send a message. `permanent` when trying again cannot help (Notify
    refused the message itself, e.g. an address it cannot use); `uncertain` when the provider
    may have received it all the same (no answer in time, a dropped connection, its own fault),
    so the dispatcher looks for it there before sending it again."""

    def __init__(self, message: str, *, permanent: bool = False, uncertain: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent
        self.uncertain = uncertain


class Gateway(Protocol):
    """Each returns True when it queued the message, False when the same message (or, with
    `once`, any message under the same reference) was already queued."""

    def send_email(
        self,
        *,
        to: str,
        subject: str,
        body: str,
        attachments: Sequence[Attachment] = (),
        reference: str = "",
        once: bool = False,
    ) -> bool: ...

    def send_letter(
        self, *, address: str, subject: str, body: str, reference: str = ""
    ) -> bool: ...


class Provider(Protocol):
    """Sends one message from the outbox; returns the provider's id for it (or "")."""

    def deliver(self, message: OutboundMessage) -> str: ...

    def find(self, message: OutboundMessage) -> str | None:
        """The provider's id for this message if it already has it (by its idempotency key),
        else None. Raises DeliveryError when the provider cannot be asked."""
        ...


def idempotency_key(
    *,
    channel: str,
    to: str,
    subject: str,
    body: str,
    attachments: Sequence[Attachment],
    reference: str,
    once: bool = False,
) -> str:
    """The caller's reference and a hash of everything sent: asking twice for the same message
    keeps one, while a changed message under the same reference (an invitation after the date
    moved) is a new one. With `once`, the reference alone: one message ever under it, whatever
    it says (a person's reminder for a day). Without a reference every message is new."""
    if not reference:
        return f"message-{uuid.uuid4()}"
    if once:
        return f"{reference[:200]}:once"
    digest = hashlib.sha256()
    for part in (channel, to, subject, body):
        digest.update(part.encode())
        digest.update(b"\0")
    for name, content, mime_type in attachments:
        digest.update(f"{name}\0{mime_type}\0".encode())
        digest.update(hashlib.sha256(content).digest())
    return f"{reference[:200]}:{digest.hexdigest()[:32]}"


class Outbox:
    """What `gateway()` returns: writes messages to the outbox in the caller's transaction."""

    def send_email(
        self,
        *,
        to: str,
        subject: str,
        body: str,
        attachments: Sequence[Attachment] = (),
        reference: str = "",
        once: bool = False,
    ) -> bool:
        return self._queue(Channel.EMAIL, to, subject, body, attachments, reference, once)

    def send_letter(self, *, address: str, subject: str, body: str, reference: str = "") -> bool:
        return self._queue(Channel.LETTER, address, subject, body, (), reference)

    def _queue(
        self,
        channel: Channel,
        to: str,
        subject: str,
        body: str,
        attachments: Sequence[Attachment],
        reference: str,
        once: bool = False,
    ) -> bool:
        key = idempotency_key(
            channel=channel,
            to=to,
            subject=subject,
            body=body,
            attachments=attachments,
            reference=reference,
            once=once,
        )
        try:
            # A savepoint, so a duplicate refused by the unique key leaves the caller's
            # transaction usable.
            with transaction.atomic():
                message = OutboundMessage.objects.create(
                    channel=channel,
                    to=to,
                    subject=subject,
                    body=body,
                    reference=reference,
                    idempotency_key=key,
                )
                OutboundAttachment.objects.bulk_create(
                    OutboundAttachment(message=message, name=name, mime_type=mime, content=data)
                    for name, data, mime in attachments
                )
        except IntegrityError:
            return False  # already in the outbox: the same message is not sent twice
        from .dispatcher import schedule_dispatch

        schedule_dispatch()
        return True


class FakeGateway:
    """Development and tests: keeps each message in the database instead of sending it."""

    def deliver(self, message: OutboundMessage) -> str:
        stored = SentMessage.objects.create(
            channel=message.channel,
            to=message.to,
            subject=message.subject,
            body=message.body,
            attachment_names=[a.name for a in message.attachments.all()],
            reference=message.reference,
            idempotency_key=message.idempotency_key,
        )
        return f"fake-{stored.pk}"

    def find(self, message: OutboundMessage) -> str | None:
        stored = SentMessage.objects.filter(idempotency_key=message.idempotency_key).first()
        return None if stored is None else f"fake-{stored.pk}"


class NotifyGateway:
    """GOV.UK Notify. The e-mail template has the placeholders ((subject)) and ((body)), and
    ((attachment_1)) … for files (sent as links with `prepare_upload`); the letter template,
    when there is one, ((address_line_1)) … ((address_line_7)), ((subject)) and ((body)).
    Without a letter template, letters are kept as `SentMessage` rows for printing."""

    def __init__(
        self,
        *,
        api_key: str,
        email_template_id: str,
        letter_template_id: str,
        base_url: str,
        timeout: float,
    ) -> None:
        self._client = NotificationsAPIClient(api_key, base_url=base_url, timeout=timeout)
        self._email_template_id = email_template_id
        self._letter_template_id = letter_template_id

    def deliver(self, message: OutboundMessage) -> str:
        if message.channel == Channel.LETTER and not self._letter_template_id:
            return FakeGateway().deliver(message)
        try:
            if message.channel == Channel.LETTER:
                response = self._send_letter(message)
            else:
                response = self._send_email(message)
        except APIError as error:
            raise _api_error(error) from error
        except ConnectTimeout as error:  # never connected: Notify cannot have it
            raise DeliveryError(f"Could not reach GOV.UK Notify: {error}") from error
        except RequestException as error:  # no answer in time, or the connection dropped
            raise DeliveryError(f"GOV.UK Notify did not answer: {error}", uncertain=True) from error
        return str(response.get("id", "")) if isinstance(response, dict) else ""

    def find(self, message: OutboundMessage) -> str | None:
        if message.channel == Channel.LETTER and not self._letter_template_id:
            return FakeGateway().find(message)
        try:
            found = self._client.get_all_notifications(reference=message.idempotency_key)
        except APIError as error:
            raise _api_error(error) from error
        except RequestException as error:
            raise DeliveryError(f"Could not ask GOV.UK Notify: {error}") from error
        notifications = found.get("notifications", []) if isinstance(found, dict) else []
        return str(notifications[0].get("id", "")) if notifications else None

    def _send_email(self, message: OutboundMessage) -> object:
        personalisation: dict[str, object] = {"subject": message.subject, "body": message.body}
        for number, attachment in enumerate(message.attachments.all(), start=1):
            personalisation[f"attachment_{number}"] = prepare_upload(
                io.BytesIO(bytes(attachment.content)), filename=attachment.name
            )
        return self._client.send_email_notification(
            email_address=message.to,
            template_id=self._email_template_id,
            personalisation=personalisation,
            reference=message.idempotency_key,
        )

    def _send_letter(self, message: OutboundMessage) -> object:
        lines = [line.strip() for line in message.to.splitlines() if line.strip()]
        if len(lines) > NOTIFY_ADDRESS_LINES:
            # Keep the postcode last: join the surplus middle lines.
            lines = [
                *lines[: NOTIFY_ADDRESS_LINES - 2],
                ", ".join(lines[NOTIFY_ADDRESS_LINES - 2 : -1]),
                lines[-1],
            ]
        personalisation: dict[str, object] = {"subject": message.subject, "body": message.body}
        for number, line in enumerate(lines, start=1):
            personalisation[f"address_line_{number}"] = line
        return self._client.send_letter_notification(
            template_id=self._letter_template_id,
            personalisation=personalisation,
            reference=message.idempotency_key,
        )


def _api_error(error: APIError) -> DeliveryError:
    """Notify answered with an error: a refusal of the message itself is permanent; its own
    faults (5xx) may have come after it kept the message."""
    status = error.status_code
    return DeliveryError(
        f"GOV.UK Notify: {error}",
        permanent=status not in RETRYABLE_STATUSES,
        uncertain=isinstance(status, int) and status >= 500,
    )


def gateway() -> Gateway:
    """Where code sends messages: the outbox, in the caller's transaction."""
    return Outbox()


def provider() -> Provider:
    """What the dispatcher sends through: GOV.UK Notify when NOTIFY_API_KEY is set."""
    if settings.NOTIFY_API_KEY:
        return NotifyGateway(
            api_key=settings.NOTIFY_API_KEY,
            email_template_id=settings.NOTIFY_EMAIL_TEMPLATE_ID,
            letter_template_id=settings.NOTIFY_LETTER_TEMPLATE_ID,
            base_url=settings.NOTIFY_BASE_URL,
            timeout=settings.NOTIFY_TIMEOUT_SECONDS,
        )
    return FakeGateway()


def is_fake() -> bool:
    """True when messages are kept in the database rather than sent (development)."""
    return not settings.NOTIFY_API_KEY
