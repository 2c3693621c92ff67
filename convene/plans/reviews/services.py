"""Changes to a plan's reviews between conferences: bringing the review forward (London CP4
§1.23, §3.12, §12.4) and recording the birth after a pre-birth conference (§1.21).

Each refuses a plan that is not open here, refuses a stale edit (`versioned_update` on the
plan), and is audited on the child's trail in the same transaction. Booking the review
conference itself is the convening stage's (`conference_start` on the review route)."""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction

from convene.access.enums import AuditVerb
from convene.core.services import Actor, ServiceError, audit, row_updated, versioned_update
from convene.people.enums import Sex
from convene.people.models import Child
from convene.plans.enums import BroughtForwardReason
from convene.plans.models import Plan, ReviewBroughtForward
from convene.plans.reviews import rules, selectors
from convene.timescales import Profile

NOT_OURS = "This plan was held by another authority: it is reviewed there, not here"


def plan_check_open(plan: Plan) -> None:
    """Refuse a change to a plan that has ended, or that another authority held."""
    if plan.other_authority:
        raise ServiceError(NOT_OURS)
    if plan.end_date is not None:
        raise ServiceError(f"This plan ended on {plan.end_date:%-d %B %Y}")


def review_bring_forward(
    *,
    plan: Plan,
    version: int,
    reason: str,
    details: str,
    due: date | None,
    today: date,
    profile: Profile,
    by: Actor,
) -> ReviewBroughtForward:
    """Bring the next review conference forward, with why and the day it is now due by. It
    holds until a review conference is held; the earliest such date since the last review is
    when the review is due (`rules.review_due`)."""
    plan_check_open(plan)
    state = selectors.review_state(plan, profile)
    problems: dict[str, str] = {}
    if reason not in BroughtForwardReason.values:
        problems["reason"] = "Select why the review is brought forward"
    if not details.strip():
        problems["details"] = "Enter what has happened, in plain words"
    problems |= rules.bring_forward_problems(
        due, today=today, now_due=state.due, last_held=state.last_review or plan.start_date
    )
    if problems:
        raise ServiceError("The review cannot be brought forward", problems=problems)
    assert due is not None
    with transaction.atomic():
        versioned_update(plan, version=version)
        row = ReviewBroughtForward.objects.create(
            plan=plan,
            reason=reason,
            details=details.strip(),
            due=due,
            recorded_on=today,
            recorded_by=by.user,
        )
        audit(
            by=by,
            verb=AuditVerb.CREATED,
            obj=row,
            about=plan.child,
            reason=f"Review conference brought forward to {due:%-d %B %Y} "
            f"({BroughtForwardReason(reason).label})",
        )
    return row


def plan_record_birth(
    *,
    plan: Plan,
    version: int,
    date_of_birth: date | None,
    mother_unwell: bool,
    first_name: str,
    sex: str,
    today: date,
    by: Actor,
) -> Child:
    """The baby's birth after a pre-birth conference: their date of birth (and, if known, their
    first name and sex) on the child's record, and whether the mother is well enough to go to a
    meeting in the first 10 days. The review or core group after the birth then falls due:
    within 10 days, or 20 if she is not (London CP4 §1.21; worked out where deadlines are)."""
    plan_check_open(plan)
    child = plan.child
    if not rules.awaits_birth(child.date_of_birth, child.expected_date_of_birth):
        raise ServiceError(f"{child.display_name}'s birth is already recorded")
    problems = rules.birth_problems(date_of_birth, today=today)
    if sex and sex not in Sex.values:
        problems["sex"] = "Select the baby's sex, or leave it as not known"
    if problems:
        raise ServiceError("The birth cannot be recorded", problems=problems)
    assert date_of_birth is not None
    values: dict[str, object] = {"date_of_birth": date_of_birth}
    if first_name.strip():
        values["first_name"] = first_name.strip()
    if sex:
        values["sex"] = sex
    with transaction.atomic():
        versioned_update(plan, version=version, mother_unwell_after_birth=mother_unwell)
        try:
            with transaction.atomic():
                changed = Child.objects.filter(pk=child.pk, date_of_birth__isnull=True).update(
                    **values
                )
        except IntegrityError as error:
            # The child's record already holds a date of death before this date of birth.
            raise ServiceError(
                "The date of birth must be on or before the child's recorded date of death",
                field="date_of_birth",
            ) from error
        if not changed:
            raise ServiceError(f"{child.display_name}'s birth is already recorded")
        child.refresh_from_db()
        row_updated.send(Child, instance=child, fields=sorted(values))
        unwell = (
            "; the mother is not well enough to attend a meeting in the first 10 days"
            if mother_unwell
            else ""
        )
        audit(
            by=by,
            verb=AuditVerb.CHANGED,
            obj=child,
            about=child,
            reason=f"Birth recorded: born on {date_of_birth:%-d %B %Y}{unwell}",
        )
    return child
