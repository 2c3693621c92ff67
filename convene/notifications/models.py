"""What the development gateway "sent": kept so developers see messages in the demo and tests
can assert on them. GOV.UK Notify keeps its own record of real messages."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from .enums import Channel, DeliveryStatus, OutboundStatus


class SentMessage(models.Model):
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.EMAIL)
    # An e-mail address, or a postal address for a letter.
    to = models.TextField()
    subject = models.CharField(max_length=300)
    body = models.TextField()
    attachment_names = models.JSONField(default=list, blank=True)
    # The caller's reference, e.g. "conference-12-invitation-34", to find a message again.
    reference = models.CharField(max_length=200, blank=True, db_index=True)
    # The outbox message's key, so the dispatcher can ask "was this one sent already?".
    idempotency_key = models.CharField(max_length=255, blank=True, db_index=True)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} to {self.to.splitlines()[0] if self.to else '?'}"


class OutboundMessage(models.Model):
    """The outbox: a message written in the same transaction as the change that caused it,
    and sent afterwards by the dispatcher (docs/decisions/0016-outbox-and-dispatcher.md)."""

    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.EMAIL)
    # An e-mail address, or a postal address for a letter.
    to = models.TextField()
    subject = models.CharField(max_length=300)
    body = models.TextField()
    reference = models.CharField(max_length=200, blank=True, db_index=True)
    # The caller's reference and a hash of the content (or a random one without a reference):
    # the same message asked for twice is kept once, and Notify is given it as its reference.
    idempotency_key = models.CharField(max_length=255, unique=True)
    status = models.CharField(
        max_length=10, choices=OutboundStatus.choices, default=OutboundStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.TextField(blank=True)
    # The last attempt may have reached the provider (it timed out, the connection dropped, or
    # the process sending it stopped): the dispatcher asks the provider before sending again.
    uncertain = models.BooleanField(default=False)
    sent_at = models.DateTimeField(null=True, blank=True)
    provider_id = models.CharField(max_length=100, blank=True, db_index=True)
    delivery_status = models.CharField(
        max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.UNKNOWN, blank=True
    )
    delivery_updated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.idempotency_key} ({self.status})"


class OutboundAttachment(models.Model):
    message = models.ForeignKey(
        OutboundMessage, on_delete=models.CASCADE, related_name="attachments"
    )
    name = models.CharField(max_length=200)
    mime_type = models.CharField(max_length=100)
    content = models.BinaryField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name
