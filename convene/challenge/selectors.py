"""Reads for escalations: the steps waiting for a person, overdue first."""

from __future__ import annotations

from convene import policy
from convene.access.models import User

from .models import EscalationStep


def steps_waiting_for(user: User) -> list[EscalationStep]:
    """Open steps this person holds, soonest due first (overdue ones come first by date)."""
    steps = (
        EscalationStep.objects.filter(answered_on__isnull=True)
        .select_related(
            "escalation__dissent__decision__conference__chair__team",
            "escalation__dissent__decision__child",
        )
        .order_by("due", "pk")
    )
    return [
        step
        for step in steps
        if policy.holds_escalation_step(
            user, step.holder, step.escalation.dissent.decision.conference
        )
    ]
