"""Reads for escalations: the steps waiting for a person, overdue first."""

from __future__ import annotations

from convene import policy
from convene.access.models import User
from convene.conferences.models import Conference, ConferenceChild, Dissent

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


def decided_subjects(conference: Conference) -> list[ConferenceChild]:
    """The children of a conference whose decision is recorded: what can be appealed."""
    return list(
        conference.subjects.filter(is_subject=True)
        .exclude(outcome="")
        .select_related("child")
        .order_by("child__last_name", "child__first_name")
    )


def conference_challenges(
    conference: Conference,
) -> tuple[list[Dissent], list[Appeal], list[Complaint]]:
    """Everything said against a conference, oldest first: three queries."""
    dissents = list(
        Dissent.objects.filter(decision__conference=conference)
        .select_related("decision__child", "agency", "escalation", "core_group_meeting")
        .order_by("pk")
    )
    appeals = list(
        Appeal.objects.filter(decision__conference=conference)
        .select_related("decision__child")
        .order_by("received_on", "pk")
    )
    complaints = list(conference.complaints.select_related("agency").order_by("received_on", "pk"))
    return dissents, appeals, complaints
