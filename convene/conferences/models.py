"""Conferences: one meeting, often about several children of a household, each with their own
decision."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from convene.people.models import Child
from convene.referrals.models import Section47Enquiry

from .enums import ChildOutcome, ConferenceStatus, ConferenceType


class Conference(models.Model):
    type = models.CharField(max_length=20, choices=ConferenceType.choices)
    date = models.DateField()
    status = models.CharField(
        max_length=20, choices=ConferenceStatus.choices, default=ConferenceStatus.SCHEDULED
    )
    quorate = models.BooleanField(null=True, blank=True)
    ssd_meeting_id = models.CharField(max_length=48, unique=True, null=True, blank=True)
    # Raised on every change, so an edit made from a stale page is refused.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.get_type_display()} on {self.date:%-d %B %Y}"


class ConferenceChild(models.Model):
    """A child the conference is about, and the chair's decision for that child."""

    conference = models.ForeignKey(Conference, on_delete=models.CASCADE, related_name="subjects")
    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="conferences")
    enquiry = models.ForeignKey(
        Section47Enquiry,
        on_delete=models.PROTECT,
        related_name="conferences",
        null=True,
        blank=True,
        help_text="The section 47 enquiry an initial conference follows.",
    )
    outcome = models.CharField(max_length=20, choices=ChildOutcome.choices, blank=True)
    # The SSD row this came from: "icpc:<icpc_icpc_id>" or "review:<cppr_cp_review_id>".
    ssd_id = models.CharField(max_length=48, null=True, blank=True)  # noqa: DJ001 (unique when set)

    class Meta:
        ordering = ["conference__date", "child__last_name"]
        verbose_name = "child at a conference"
        verbose_name_plural = "children at conferences"
        constraints = [
            models.UniqueConstraint(
                fields=["conference", "child"], name="child_once_per_conference"
            ),
            models.UniqueConstraint(
                fields=["ssd_id"], condition=Q(ssd_id__isnull=False), name="conference_child_ssd_id"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.child} at the {self.conference}"
