"""Reads for escalations: the steps waiting for a person, overdue first."""

from __future__ import annotations

from convene import policy
from convene.access.models import User

from .models import Appeal, Complaint, EscalationStep


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


def appeals_waiting_for(user: User) -> list[Appeal]:
    """Unanswered appeals this person answers (the head of service), soonest due first."""
    appeals = (
        Appeal.objects.filter(answered_on__isnull=True)
        .select_related("decision__conference__chair__team__manager", "decision__child")
        .order_by("due", "pk")
    )
    return [a for a in appeals if policy.may_answer_appeal(user, a.decision.conference)]


def complaints_waiting_for(user: User) -> list[Complaint]:
    """Complaints this person decides (the chair's manager, or the head of service), oldest
    first: the decision stands meanwhile, but the family waits."""
    complaints = (
        Complaint.objects.filter(decided_on__isnull=True)
        .select_related("conference__chair__team__manager")
        .order_by("received_on", "pk")
    )
    return [c for c in complaints if policy.may_decide_complaint(user, c.conference)]
