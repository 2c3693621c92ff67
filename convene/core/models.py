"""What the kernel itself keeps: the forms already submitted (issue 14, finding 7)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class SubmittedForm(models.Model):
    """One form, by the one-time token it was shown with, once saved. A second submission
    of the same token (a double click, a resent request) saves nothing."""

    token = models.UUIDField(unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return f"{self.token} ({self.at:%Y-%m-%d %H:%M})"
