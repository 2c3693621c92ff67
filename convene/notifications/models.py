"""What the development gateway "sent": kept so developers see messages in the demo and tests
can assert on them. GOV.UK Notify keeps its own record of real messages."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from .enums import Channel


class SentMessage(models.Model):
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.EMAIL)
    # An e-mail address, or a postal address for a letter.
    to = models.TextField()
    subject = models.CharField(max_length=300)
    body = models.TextField()
    attachment_names = models.JSONField(default=list, blank=True)
    # The caller's reference, e.g. "conference-12-invitation-34", to find a message again.
    reference = models.CharField(max_length=200, blank=True, db_index=True)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} to {self.to.splitlines()[0] if self.to else '?'}"
