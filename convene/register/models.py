"""Enquiries about the list of children subject to a child protection plan (London CP4 §14.14
to §14.15). The list itself is not a table: it is the open plans, so it is always up to date.
Each enquiry keeps who asked, why and how their identity was checked (recorded before any
answer is given), what they searched for and what they were told."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from convene.people.models import Child
from convene.plans.models import Plan


class IdentityCheck(models.TextChoices):
    CALLED_BACK = "called_back", "I called them back on their organisation's main number"
    SECURE_EMAIL = "secure_email", "They wrote from their organisation's secure e-mail address"
    ID_BADGE = "id_badge", "I saw their identity badge or warrant card"
    KNOWN = "known", "I know them and recognised them"
    OTHER = "other", "Another way"


class EnquiryOutcome(models.TextChoices):
    ON_PLAN = "on_plan", "Subject to a child protection plan"
    NOT_FOUND = "not_found", "No child with these details has a plan"
    NOT_MATCHED = "not_matched", "Could not be matched to one child"


class RegisterEnquiry(models.Model):
    enquirer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="register_enquiries"
    )
    # Who is asking, recorded before anything is searched or said (§14.15).
    name = models.CharField("full name", max_length=200)
    organisation = models.CharField(max_length=200)
    role = models.CharField("job title or role", max_length=200)
    contact_number = models.CharField(max_length=40)
    reason = models.TextField("why they are asking", max_length=2000)
    identity_check = models.CharField(max_length=20, choices=IdentityCheck.choices)
    identity_details = models.CharField(max_length=300, blank=True)
    recorded_at = models.DateTimeField()
    # The one search this enquiry allows, and its answer.
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    searched_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=EnquiryOutcome.choices, blank=True)
    child = models.ForeignKey(
        Child, on_delete=models.PROTECT, null=True, blank=True, related_name="register_enquiries"
    )
    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Who was told of a repeat enquiry about the same child (names, for the log).
    alerted = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        indexes = [
            models.Index(fields=["enquirer", "searched_at"], name="enquiries_by_enquirer"),
            models.Index(fields=["child", "searched_at"], name="enquiries_about_child"),
        ]

    def __str__(self) -> str:
        return f"Enquiry by {self.name} ({self.organisation}) on {self.recorded_at:%d %B %Y}"

    @property
    def searched(self) -> bool:
        return self.searched_at is not None


class ReporterReferral(models.Model):
    """Register guidance: where compulsory measures of care may be needed, the child is referred
    to the children's reporter, who is sent the conference minutes with the decisions and the
    reasons for the referral, and the social work report (CP1)."""

    decision = models.OneToOneField(
        "conferences.ConferenceChild", on_delete=models.PROTECT, related_name="reporter_referral"
    )
    reasons = models.TextField(max_length=5000)
    referred_on = models.DateField()
    report_sent = models.BooleanField(default=False)
    minutes_sent_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_on = models.DateField()
    version = models.PositiveIntegerField(default=1)

    def __str__(self) -> str:
        return f"Referral to the children's reporter on {self.referred_on:%-d %B %Y}"
