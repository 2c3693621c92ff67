"""Escalating dissent: started when dissent is recorded, answered stage by stage by whoever
holds each, closed when resolved or when the last stage has answered."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from convene import policy
from convene.access.enums import AuditVerb
from convene.access.models import User
from convene.conferences.models import Dissent
from convene.core.services import Actor, ServiceError, audit, versioned_update
from convene.notifications.gateway import gateway
from convene.timescales import Profile

from . import rules
from .models import Escalation, EscalationStage, EscalationStep, StageHolder

ANSWERED = "This stage has been answered already."


def stages() -> list[rules.Stage]:
    """The authority's stages, or the defaults until it has set its own."""
    saved = [
        rules.Stage(s.order, s.name, StageHolder(s.holder), s.days, s.working_days)
        for s in EscalationStage.objects.order_by("order")
    ]
    return saved or list(rules.DEFAULT_STAGES)


def _step(
    escalation: Escalation, stage: rules.Stage, start: date, profile: Profile
) -> EscalationStep:
    step = EscalationStep.objects.create(
        escalation=escalation,
        order=stage.order,
        name=stage.name,
        holder=stage.holder,
        due=rules.due(stage, start, profile.calendar),
    )
    _tell_holders(step)
    return step


def holders(step: EscalationStep) -> list[User]:
    """Who may answer this step now (the policy decides; this lists them for e-mails)."""
    conference = step.escalation.dissent.decision.conference
    candidates = User.objects.filter(is_active=True).exclude(email="")
    return [u for u in candidates if policy.holds_escalation_step(u, step.holder, conference)]


def _tell_holders(step: EscalationStep) -> None:
    dissent = step.escalation.dissent
    conference = dissent.decision.conference
    assert conference.date is not None
    for person in holders(step):
        gateway().send_email(
            to=person.email,
            subject="Dissent from a conference decision for you to answer",
            body=(
                f"Dear {person.get_full_name()},\n\n"
                f"{dissent.name} ({dissent.get_group_display().lower()}) disagrees with the "
                f"decision for a child at the {conference.get_type_display().lower()} on "
                f"{conference.date:%-d %B %Y}. It has reached this stage: {step.name}. Please "
                f"answer by {step.due:%-d %B %Y}.\n\n"
                f"Sign in to Convene and open Dissent to answer (escalation "
                f"{step.escalation_id}).\n"
            ),
            reference=f"escalation-step-{step.pk}-{person.pk}",
        )


def escalation_start(*, dissent: Dissent, today: date, profile: Profile, by: Actor) -> Escalation:
    """Inside the caller's transaction, when the dissent is recorded."""
    stage = rules.first_stage(stages(), agency=dissent.agency_id is not None)
    escalation = Escalation.objects.create(dissent=dissent, started_on=today)
    if stage is not None:
        step = _step(escalation, stage, today, profile)
        audit(
            by=by,
            verb=AuditVerb.CREATED,
            obj=escalation,
            about=dissent.decision.child,
            reason=f"Dissent escalated: {step.name}, due by {step.due:%-d %B %Y}",
        )
    return escalation


def step_answer(
    *,
    step: EscalationStep,
    resolved: bool,
    answer: str,
    version: int,
    today: date,
    profile: Profile,
    by: Actor,
) -> EscalationStep:
    """The holder's answer. Resolved closes the escalation; otherwise the next stage begins
    (or, after the last, it closes unresolved: the answer in writing is final)."""
    if step.answered_on is not None:
        raise ServiceError(ANSWERED)
    if not answer.strip():
        raise ServiceError("Enter the answer", field="answer")
    escalation = step.escalation
    with transaction.atomic():
        versioned_update(
            step,
            version=version,
            answered_on=today,
            answered_by=by.user,
            resolved=resolved,
            answer=answer.strip(),
        )
        following = None if resolved else rules.next_stage(stages(), step.order)
        if following is None:
            Escalation.objects.filter(pk=escalation.pk).update(closed_on=today, resolved=resolved)
        else:
            following_step = _step(escalation, following, today, profile)
        words = (
            "resolved"
            if resolved
            else (
                f"not resolved; passed to {following_step.name}"
                if following is not None
                else "not resolved; the last stage has answered"
            )
        )
        audit(
            by=by,
            verb=AuditVerb.CHANGED,
            obj=escalation,
            about=escalation.dissent.decision.child,
            reason=f"{step.name}: {words}",
        )
    return step


def stage_save(
    *, order: int, name: str, holder: StageHolder, days: int, working_days: bool, by: Actor
) -> EscalationStage:
    """Set one of the authority's stages (the first save copies the defaults, so the others are
    kept). Steps already under way keep the stage as it was when they began."""
    if days < 1 or days > 365:
        raise ServiceError("Enter a number of days from 1 to 365", field="days")
    with transaction.atomic():
        if not EscalationStage.objects.exists():
            EscalationStage.objects.bulk_create(
                EscalationStage(
                    order=s.order,
                    name=s.name,
                    holder=s.holder,
                    days=s.days,
                    working_days=s.working_days,
                )
                for s in rules.DEFAULT_STAGES
            )
        stage, _ = EscalationStage.objects.update_or_create(
            order=order,
            defaults={
                "name": name.strip(),
                "holder": holder,
                "days": days,
                "working_days": working_days,
            },
        )
        audit(by=by, verb=AuditVerb.CHANGED, obj=stage, reason=f"Escalation stage set: {stage}")
    return stage


def stage_remove(*, order: int, by: Actor) -> None:
    with transaction.atomic():
        if not EscalationStage.objects.exists():
            stage_save(
                order=rules.DEFAULT_STAGES[0].order,
                name=rules.DEFAULT_STAGES[0].name,
                holder=rules.DEFAULT_STAGES[0].holder,
                days=rules.DEFAULT_STAGES[0].days,
                working_days=rules.DEFAULT_STAGES[0].working_days,
                by=by,
            )
        if EscalationStage.objects.count() <= 1:
            raise ServiceError("Keep at least one stage")
        stage = EscalationStage.objects.filter(order=order).first()
        if stage is None:
            raise ServiceError("There is no such stage")
        audit(by=by, verb=AuditVerb.DELETED, obj=stage, reason=f"Escalation stage removed: {stage}")
        stage.delete()
