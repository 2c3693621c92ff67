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
