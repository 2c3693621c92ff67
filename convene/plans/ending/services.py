"""Ending a plan without a conference (London CP4 §10.5 to §10.6, §2.6), telling everyone
(§10.9), and the child in need plan that may follow (§10.10).

Each change refuses what the rules refuse (`rules.py`), refuses a stale edit of the plan
(`versioned_update`), and is audited on the child's trail in the same transaction; messages go
through the notifications gateway, queued to go only once the change is saved."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import IntegrityError, transaction

from convene.access.enums import AuditVerb
from convene.core.services import Actor, ServiceError, audit, row_updated, versioned_update
from convene.notifications.gateway import gateway
from convene.plans.ending import rules, selectors
from convene.plans.ending.messages import ending_message
from convene.plans.ending.selectors import Recipient
from convene.plans.enums import PlanEndReason
from convene.plans.models import ChildInNeedPlan, ChildInNeedPlanReview, Plan, PlanEnding
from convene.register.services import register_changed
from convene.timescales import Profile


@dataclass
class Ended:
    """The ending, and who was told how: the page names those nobody could reach."""

    ending: PlanEnding
    cin_plan: ChildInNeedPlan | None = None
    told: list[Recipient] = field(default_factory=list)
    not_told: list[Recipient] = field(default_factory=list)


def plan_end_without_conference(
    *,
    plan: Plan,
    version: int,
    facts: rules.EndingFacts,
    today: date,
    profile: Profile,
    by: Actor,
) -> Ended:
    """A senior manager ends the plan without a conference, in an allowed case, after
    recording that the agencies invited to the initial conference and the core group were
    consulted. The plan ends on `facts.ended_on` with its reason; everyone invited to the
    initial conference and the core group is told; a child in need plan follows if asked."""
    if plan.other_authority:
        raise ServiceError("This plan was held by another authority: it cannot be ended here")
    if plan.end_date is not None:
        raise ServiceError(f"This plan has already ended, on {plan.end_date:%-d %B %Y}")
    child = plan.child
    problems = rules.ending_problems(
        facts, start_date=plan.start_date, date_of_birth=child.date_of_birth, today=today
    )
    if facts.cin_plan_follows and "cin_plan_follows" not in problems:
        existing = selectors.open_cin_plan(child.pk)
        if existing is not None:
            problems["cin_plan_follows"] = (
                f"{child.display_name} already has a child in need plan, open since "
                f"{existing.start_date:%-d %B %Y}"
            )
    if problems:
        raise ServiceError("The plan cannot end yet", problems=problems)
    assert facts.ended_on is not None and facts.consulted_on is not None
    reason = PlanEndReason(facts.reason)
    with transaction.atomic():
        _end(plan, version=version, ended_on=facts.ended_on, reason=reason)
        ending = PlanEnding.objects.create(
            plan=plan,
            reason=reason,
            details=facts.details.strip(),
            consultation=facts.consultation.strip(),
            consulted_on=facts.consulted_on,
            ended_on=facts.ended_on,
            ended_by=by.user,
        )
        audit(
            by=by,
            verb=AuditVerb.CHANGED,
            obj=plan,
            about=child,
            reason=f"Child protection plan ended without a conference ({reason.label}), after "
            f"consulting the agencies and the core group on {facts.consulted_on:%-d %B %Y}",
        )
        register_changed(
            plan, placed=False, on=facts.ended_on, conference=None, profile_name=profile.name
        )
        ended = Ended(ending=ending)
        if facts.cin_plan_follows:
            ended.cin_plan = _cin_plan_follows(plan, facts.ended_on, by=by)
        _tell_everyone(plan, ended, profile=profile, by=by)
    return ended


def _end(plan: Plan, *, version: int, ended_on: date, reason: PlanEndReason) -> None:
    try:
        with transaction.atomic():
            versioned_update(plan, version=version, end_date=ended_on, end_reason=reason)
    except IntegrityError as error:
        # The database refuses a plan ending on or before its start (DfE rule 8840).
        raise ServiceError(
            f"The date the plan ends must be after {plan.start_date:%-d %B %Y}, when it started",
            field="ended_on",
        ) from error


def _cin_plan_follows(plan: Plan, start: date, *, by: Actor) -> ChildInNeedPlan:
    try:
        with transaction.atomic():
            cin_plan = ChildInNeedPlan.objects.create(
                child=plan.child, start_date=start, follows=plan
            )
    except IntegrityError as error:
        # Another child in need plan was opened for the child while this page was open.
        raise ServiceError(
            f"{plan.child.display_name} already has an open child in need plan",
            field="cin_plan_follows",
        ) from error
    audit(
        by=by,
        verb=AuditVerb.CREATED,
        obj=cin_plan,
        about=plan.child,
        reason="Child in need plan started, following the child protection plan",
    )
    return cin_plan


def _tell_everyone(plan: Plan, ended: Ended, *, profile: Profile, by: Actor) -> None:
    """London CP4 §10.9: everyone invited to the initial conference and the core group is told,
    by e-mail or letter (queued: they go only if the ending is saved)."""
    ending = ended.ending
    worker = plan.lead_social_worker or plan.child.social_worker
    cin_review = profile.timescale(rules.CIN_PLAN_REVIEW)
    reference = f"plan-{plan.pk}-ended"
    for recipient in selectors.recipients(plan, on=ending.ended_on, reason=ending.reason):
        how = recipient.channel
        if how is None:
            ended.not_told.append(recipient)
            continue
        subject, body = ending_message(
            name=recipient.name,
            reason=ending.reason,
            start_date=plan.start_date,
            ended_on=ending.ended_on,
            cin_plan_follows=ended.cin_plan is not None,
            cin_review_every=cin_review.unit.amount_in_words(cin_review.amount),
            social_worker=worker.get_full_name() if worker else "",
            reference=reference,
        )
        if how == "email":
            gateway().send_email(
                to=recipient.email, subject=subject, body=body, reference=reference
            )
        else:
            gateway().send_letter(
                address=recipient.address, subject=subject, body=body, reference=reference
            )
        ended.told.append(recipient)
    told = ", ".join(f"{r.name} ({r.channel})" for r in ended.told) or "nobody"
    missing = "; not told, with no e-mail or postal address: " + ", ".join(
        r.name for r in ended.not_told
    )
    audit(
        by=by,
        verb=AuditVerb.CHANGED,
        obj=plan,
        about=plan.child,
        reason=f"Told that the plan ended: {told}{missing if ended.not_told else ''}",
    )


# Child in need plans (§10.10) ------------------------------------------------------------------


def cin_plan_record_review(
    *, cin_plan: ChildInNeedPlan, day: date | None, today: date, by: Actor
) -> ChildInNeedPlanReview:
    """A review of the child in need plan, held on `day` (due at least every 12 weeks)."""
    problems = rules.cin_review_problems(
        day,
        start=cin_plan.start_date,
        end=cin_plan.end_date,
        today=today,
        held=selectors.review_dates(cin_plan),
    )
    if problems:
        raise ServiceError("The review cannot be recorded", problems=problems)
    assert day is not None
    with transaction.atomic():
        review = ChildInNeedPlanReview.objects.create(cin_plan=cin_plan, date=day)
        audit(
            by=by,
            verb=AuditVerb.CREATED,
            obj=review,
            about=cin_plan.child,
            reason=f"Child in need plan review recorded, held on {day:%-d %B %Y}",
        )
    return review


def cin_plan_end(
    *, cin_plan: ChildInNeedPlan, end_date: date | None, today: date, by: Actor
) -> ChildInNeedPlan:
    """The child in need plan ends: support is no longer needed, or continues another way."""
    if cin_plan.end_date is not None:
        raise ServiceError(
            f"This child in need plan has already ended, on {cin_plan.end_date:%-d %B %Y}"
        )
    reviews = selectors.review_dates(cin_plan)
    problems = rules.cin_end_problems(
        end_date,
        start=cin_plan.start_date,
        today=today,
        last_review=reviews[-1] if reviews else None,
    )
    if problems:
        raise ServiceError("The plan cannot end yet", problems=problems)
    assert end_date is not None
    with transaction.atomic():
        # Only if still open: two people ending it at once end it once.
        changed = ChildInNeedPlan.objects.filter(pk=cin_plan.pk, end_date__isnull=True).update(
            end_date=end_date
        )
        if not changed:
            raise ServiceError("This child in need plan has already ended")
        cin_plan.refresh_from_db()
        row_updated.send(ChildInNeedPlan, instance=cin_plan, fields=["end_date"])
        audit(
            by=by,
            verb=AuditVerb.CHANGED,
            obj=cin_plan,
            about=cin_plan.child,
            reason=f"Child in need plan ended on {end_date:%-d %B %Y}",
        )
    return cin_plan
