"""Dissent and its escalation (London CP4 §11; Register R:19). An agency's dissent climbs the
authority's stages (by default the chair, the chair's manager, then the head of service), each
with its own due date; a family's dissent goes to the head of service, who answers in writing
within 28 days. The stages are the authority's to set; each step copies its stage, so changing
the stages never rewrites an escalation under way."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from convene.conferences.models import Dissent


class StageHolder(models.TextChoices):
    CHAIR = "chair", "The conference chair"
    CHAIRS_MANAGER = "chairs_manager", "The chair's manager"
    HEAD_OF_SERVICE = "head_of_service", "The head of service (senior manager, safeguarding)"


class EscalationStage(models.Model):
    order = models.PositiveSmallIntegerField(unique=True)
    name = models.CharField(max_length=200)
    holder = models.CharField(max_length=20, choices=StageHolder.choices)
    days = models.PositiveSmallIntegerField()
    working_days = models.BooleanField(default=True)

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        unit = "working days" if self.working_days else "days"
        return f"{self.order}. {self.name}: within {self.days} {unit}"


class Escalation(models.Model):
    dissent = models.OneToOneField(Dissent, on_delete=models.CASCADE, related_name="escalation")
    started_on = models.DateField()
    closed_on = models.DateField(null=True, blank=True)
    resolved = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["-started_on", "-id"]

    def __str__(self) -> str:
        return f"Escalation of the dissent of {self.dissent.name}"


class EscalationStep(models.Model):
    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    holder = models.CharField(max_length=20, choices=StageHolder.choices)
    due = models.DateField()
    answered_on = models.DateField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved = models.BooleanField(null=True, blank=True)
    answer = models.TextField(blank=True, max_length=5000)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["escalation", "order"]
        indexes = [models.Index(fields=["answered_on", "due"], name="escalation_steps_open")]

    def __str__(self) -> str:
        return f"{self.name}, due {self.due:%-d %B %Y}"


# Appeals (Register R:20) ----------------------------------------------------------------------


class Appellant(models.TextChoices):
    PARENT = "parent", "A parent or carer"
    CHILD = "child", "The child"


class AppealHelp(models.TextChoices):
    NONE = "none", "No one"
    SOCIAL_WORKER = "social_worker", "Their social worker"
    ADVOCATE = "advocate", "An advocate"
    OTHER = "other", "Someone else"


class AppealOutcome(models.TextChoices):
    UPHELD = "upheld", "Upheld: the decision will be looked at again"
    NOT_UPHELD = "not_upheld", "Not upheld: the decision stands"


class Appeal(models.Model):
    """A parent's or a child's appeal against the decision for a child, in writing within 5
    working days of the conference (a later one is kept and flagged), answered in writing by
    the head of service within 28 days (Register R:20; profile timescales `appeal_lodged`
    and `appeal_response`)."""

    decision = models.ForeignKey(
        "conferences.ConferenceChild", on_delete=models.PROTECT, related_name="appeals"
    )
    appellant = models.CharField(max_length=10, choices=Appellant.choices)
    name = models.CharField(max_length=200)
    address = models.TextField(blank=True, max_length=1000)
    email = models.EmailField(blank=True)
    helped_by = models.CharField(max_length=20, choices=AppealHelp.choices)
    helper_name = models.CharField(max_length=200, blank=True)
    grounds = models.TextField(max_length=5000)
    received_on = models.DateField()
    # The last day to appeal in time, and whether this came later (kept, and flagged).
    in_time_by = models.DateField()
    late = models.BooleanField(default=False)
    due = models.DateField(help_text="The day the written answer is due by.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_on = models.DateField()
    outcome = models.CharField(max_length=20, choices=AppealOutcome.choices, blank=True)
    answer = models.TextField(blank=True, max_length=5000)
    answered_on = models.DateField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["answered_on", "due"], name="appeals_open")]

    def __str__(self) -> str:
        return f"Appeal of {self.name} received on {self.received_on:%-d %B %Y}"


# Complaints about a conference (London CP4 §12) ---------------------------------------------


class ComplaintOutcome(models.TextChoices):
    RECONVENE = "reconvene", "Reconvene the conference under a different chair"
    BRING_REVIEW_FORWARD = "review_forward", "Bring the review conference forward"
    CONFIRM = "confirm", "Confirm the decision, with an explanation"
    REFERRED_TO_AGENCY = "agency", "Passed to the agency's own complaints process"


class Complaint(models.Model):
    """A complaint by a parent or a child about how a conference worked: made to the chair,
    passed at once to the chair's manager and the complaints manager; the decision stands
    meanwhile (§12.2 to §12.3). One about a single agency goes to that agency's own process
    (§12.5)."""

    conference = models.ForeignKey(
        "conferences.Conference", on_delete=models.PROTECT, related_name="complaints"
    )
    complainant = models.CharField(max_length=10, choices=Appellant.choices)
    name = models.CharField(max_length=200)
    address = models.TextField(blank=True, max_length=1000)
    email = models.EmailField(blank=True)
    about = models.TextField(max_length=5000)
    agency = models.ForeignKey(
        "people.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    received_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_on = models.DateField()
    outcome = models.CharField(max_length=20, choices=ComplaintOutcome.choices, blank=True)
    explanation = models.TextField(blank=True, max_length=5000)
    decided_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # What the outcome made: the reconvened conference, or the day the review is now due by.
    reconvened = models.ForeignKey(
        "conferences.Conference",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reconvened_after",
    )
    review_due = models.DateField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["decided_on", "received_on"], name="complaints_open")]

    def __str__(self) -> str:
        return f"Complaint of {self.name} received on {self.received_on:%-d %B %Y}"
