"""Emergency ("break-glass") access to a child's record (docs/decisions/0023-break-glass.md).

Every request is kept, whether or not it matched a child: who asked, the identifier they typed,
the reason they gave and when. A request that matched exactly one child is a grant: it lets its
holder read that child's record (and nothing else) until `expires_at`. Rows are never changed
after they are made, except to note who was told."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from convene.people.models import Child


class IdentifierKind(models.TextChoices):
    LA_CHILD_ID = "la_child_id", "Local authority child ID"
    NHS_NUMBER = "nhs_number", "NHS number"


class EmergencyAccess(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="emergency_accesses"
    )
    identifier_kind = models.CharField(max_length=20, choices=IdentifierKind.choices)
    identifier = models.CharField("identifier typed", max_length=40)
    reason = models.TextField(max_length=2000)
    requested_at = models.DateTimeField()
    # The one child the identifier matched, and until when the record may be read; both empty
    # when nothing matched.
    child = models.ForeignKey(
        Child,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="emergency_accesses",
    )
    expires_at = models.DateTimeField(null=True, blank=True)
    # Who was told at once (names, for the review page).
    alerted = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name_plural = "emergency accesses"
        indexes = [
            models.Index(fields=["user", "requested_at"], name="emergency_access_by_user"),
            models.Index(fields=["child", "expires_at"], name="emergency_access_by_child"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(child__isnull=True, expires_at__isnull=True)
                | Q(child__isnull=False, expires_at__isnull=False),
                name="emergency_access_grant_has_child_and_expiry",
            )
        ]

    def __str__(self) -> str:
        return f"Emergency access request {self.pk} by {self.user}"

    @property
    def granted(self) -> bool:
        return self.child_id is not None
