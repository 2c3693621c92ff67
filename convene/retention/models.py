"""How long the authority keeps each kind of record, the legal holds that stop anything being
removed, and which children's records have been anonymised (docs/decisions/0024)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class RetentionSchedule(models.Model):
    """The one row of retention periods, kept by the system administrator. The defaults are
    common local authority practice; each authority confirms its own."""

    singleton = models.BooleanField(default=True, editable=False)
    # Child protection case records: until the child's 25th birthday, or their 26th if they
    # were 17 or older when the case closed (the Information and Records Management Society's
    # retention guidelines for local authorities; see docs/decisions/0024).
    case_record_until_age = models.PositiveSmallIntegerField(default=25)
    case_record_older_at_closure = models.PositiveSmallIntegerField(default=17)
    # Enquiries about the list of children subject to a plan (London CP4 §14.15), from the day
    # the enquiry was recorded.
    register_enquiry_months = models.PositiveIntegerField(default=72)
    # What e-mails and letters said (the outbox), from the day the message was queued; the row
    # (to whom, when, delivered or not) is kept, its words are removed.
    message_body_months = models.PositiveIntegerField(default=12)
    # Families' and children's uploaded contributions (§4.16 to §4.17), from the upload.
    contribution_months = models.PositiveIntegerField(default=72)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["singleton"], name="one_retention_schedule_row"),
            models.CheckConstraint(
                condition=Q(singleton=True), name="retention_schedule_singleton"
            ),
        ]

    def __str__(self) -> str:
        return "Retention schedule"


class LegalHold(models.Model):
    """While a hold is open, nothing about the child is removed or anonymised (a court case, an
    inquiry, a subject access request, a complaint)."""

    child = models.ForeignKey("people.Child", on_delete=models.PROTECT, related_name="legal_holds")
    reason = models.TextField(max_length=2000)
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    placed_at = models.DateTimeField()
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    lifted_at = models.DateTimeField(null=True, blank=True)
    lift_reason = models.TextField(max_length=2000, blank=True)

    class Meta:
        ordering = ["-placed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["child"], condition=Q(lifted_at__isnull=True), name="one_open_hold"
            )
        ]

    def __str__(self) -> str:
        return f"Legal hold on {self.child}"

    @property
    def is_open(self) -> bool:
        return self.lifted_at is None


class AnonymisedRecord(models.Model):
    """A child whose case record was anonymised by the retention run, and when."""

    child = models.OneToOneField(
        "people.Child", on_delete=models.PROTECT, related_name="anonymised"
    )
    anonymised_on = models.DateField()

    def __str__(self) -> str:
        return f"Child {self.child_id} anonymised on {self.anonymised_on:%-d %B %Y}"
