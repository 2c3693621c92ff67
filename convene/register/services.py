"""Enquiries about the list of children subject to a plan: record who is asking (before
anything else), search once, answer only whether the child has a plan, and alert the lead
social worker and their manager when someone else asked about the same child recently."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from convene.access.enums import AuditVerb
from convene.access.models import User
from convene.conferences.models import Assessment, Conference, ConferenceChild
from convene.conferences.rules import CONFERENCE, ConferenceAction
from convene.core.services import Actor, ServiceError, audit, versioned_update
from convene.notifications.gateway import gateway
from convene.people.models import Child
from convene.plans.models import Plan

from . import rules
from .models import EnquiryOutcome, IdentityCheck, RegisterEnquiry, ReporterReferral

ANSWERED = "This enquiry has been answered. Start a new enquiry to search again."


@dataclass(frozen=True)
class Enquirer:
    name: str
    organisation: str
    role: str
    contact_number: str
    reason: str
    identity_check: IdentityCheck
    identity_details: str = ""


def enquiry_start(*, enquirer: Enquirer, at: datetime, by: Actor) -> RegisterEnquiry:
    """Record who is asking and why, and how their identity was checked (§14.15: before any
    information is given)."""
    if enquirer.identity_check == IdentityCheck.OTHER and not enquirer.identity_details.strip():
        raise ServiceError(
            "Say how you checked who they are",
            problems={"identity_details": "Say how you checked who they are"},
        )
    with transaction.atomic():
        enquiry = RegisterEnquiry.objects.create(
            enquirer=by.user,
            name=enquirer.name.strip(),
            organisation=enquirer.organisation.strip(),
            role=enquirer.role.strip(),
            contact_number=enquirer.contact_number.strip(),
            reason=enquirer.reason.strip(),
            identity_check=enquirer.identity_check,
            identity_details=enquirer.identity_details.strip(),
            recorded_at=at,
        )
        audit(
            by=by,
            verb=AuditVerb.CREATED,
            obj=enquiry,
            reason=f"Enquiry about the list of children subject to a plan, for {enquiry.name} "
            f"({enquiry.role}, {enquiry.organisation})",
        )
    return enquiry


def searches_left(enquirer: User, now: datetime) -> tuple[int, datetime]:
    """How many searches this person may still make this hour, and when the next frees up."""
    recent = list(
        RegisterEnquiry.objects.filter(
            enquirer=enquirer, searched_at__gte=now - rules.SEARCH_WINDOW
        ).values_list("searched_at", flat=True)
    )
    times = [t for t in recent if t is not None]
    return rules.searches_left(times, now), rules.next_search_at(times, now)


def _open_plan(child: Child, today: date) -> Plan | None:
    return (
        Plan.objects.filter(child=child, end_date__isnull=True, start_date__lte=today)
        .select_related("lead_social_worker", "lead_social_worker__team__manager")
        .order_by("-start_date", "-pk")
        .first()
    )


def enquiry_search(
    *,
    enquiry: RegisterEnquiry,
    first_name: str,
    last_name: str,
    date_of_birth: date,
    now: datetime,
    by: Actor,
) -> RegisterEnquiry:
    """Search once for the child named, and record the answer. A child is matched only by
    exact names and date of birth; anything else is not answered (no other child's details
    are ever shown)."""
    if enquiry.searched:
        raise ServiceError(ANSWERED)
    problems = {
        field: problem
        for field, problem in (
            ("first_name", rules.name_problem(first_name, "first name")),
            ("last_name", rules.name_problem(last_name, "last name")),
        )
        if problem
    }
    today = timezone.localdate(now)
    if date_of_birth > today:
        problems["date_of_birth"] = "Date of birth must be today or in the past"
    if problems:
        raise ServiceError("Check the child's details", problems=problems)
    left, free_at = searches_left(by.user, now)
    if not left:
        raise ServiceError(
            f"You have made {rules.SEARCHES_PER_HOUR} searches in the last hour, the most "
            f"allowed. You can search again from {timezone.localtime(free_at):%H:%M}. If a "
            "child is at risk now, call the children's social care duty team."
        )
    candidates = [
        rules.Candidate(pk, first, last)
        for pk, first, last in Child.objects.filter(date_of_birth=date_of_birth).values_list(
            "pk", "first_name", "last_name"
        )
    ]
    found = rules.match(first_name, last_name, candidates)
    child = Child.objects.get(pk=found.child_pk) if found.child_pk else None
    plan = _open_plan(child, today) if child else None
    outcome = found.outcome or (EnquiryOutcome.ON_PLAN if plan else EnquiryOutcome.NOT_FOUND)
    with transaction.atomic():
        # Once: a second press of the button (or a second tab) finds it already answered.
        claimed = RegisterEnquiry.objects.filter(pk=enquiry.pk, searched_at__isnull=True).update(
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            date_of_birth=date_of_birth,
            searched_at=now,
            outcome=outcome,
            child=child,
            plan=plan,
        )
        if not claimed:
            raise ServiceError(ANSWERED)
        enquiry.refresh_from_db()
        if child is not None:
            audit(
                by=by,
                verb=AuditVerb.ENQUIRY_ANSWERED,
                obj=enquiry,
                about=child,
                reason=f"{enquiry.name} ({enquiry.role}, {enquiry.organisation}) asked whether "
                f'the child has a plan: told "{enquiry.get_outcome_display().lower()}"',
            )
        if child is not None and plan is not None:
            _alert_if_repeated(enquiry, child, plan, now=now, by=by)
    return enquiry


def alert_recipients(child: Child, plan: Plan) -> list[User]:
    """The lead social worker (the plan's, else the child's allocated one) and their manager."""
    lead = plan.lead_social_worker or child.social_worker
    people: list[User] = []
    if lead is not None:
        people.append(lead)
        manager = lead.team.manager if lead.team else None
        if manager is not None and manager != lead:
            people.append(manager)
    return [person for person in people if person.is_active]


ALERT_SUBJECT = "A repeat enquiry about a child subject to a child protection plan"


def _alert_if_repeated(
    enquiry: RegisterEnquiry, child: Child, plan: Plan, *, now: datetime, by: Actor
) -> None:
    earlier = (
        RegisterEnquiry.objects.filter(child=child, outcome=EnquiryOutcome.ON_PLAN)
        .exclude(pk=enquiry.pk)
        .values_list("searched_at", flat=True)
    )
    if not rules.is_repeat([t for t in earlier if t is not None], now):
        return
    people = alert_recipients(child, plan)
    days = rules.REPEAT_WINDOW.days
    for person in people:
        if person.email:
            gateway().send_email(
                to=person.email,
                subject=ALERT_SUBJECT,
                body=(
                    f"Dear {person.get_full_name()},\n\n"
                    f"Someone has asked whether a child whose plan you lead or manage is subject "
                    f"to a child protection plan, and somebody else asked about the same child "
                    f"in the last {days} days. More than one agency may be worried.\n\n"
                    f"Sign in to Convene and open the child's record to see who asked, when "
                    f"and why (enquiry {enquiry.pk}).\n"
                ),
                reference=f"register-repeat-enquiry-{enquiry.pk}-{person.pk}",
            )
    names = ", ".join(person.get_full_name() for person in people)
    RegisterEnquiry.objects.filter(pk=enquiry.pk).update(alerted=names[:500])
    enquiry.alerted = names[:500]
    audit(
        by=by,
        verb=AuditVerb.CHANGED,
        obj=enquiry,
        about=child,
        reason=f"A repeat enquiry within {days} days: "
        + (f"told {names}" if names else "no lead social worker to tell"),
    )


# Register-based areas -----------------------------------------------------------------------
# Register guidance (R:27): when a child is placed on or removed from the register, the
# register keeper and the out-of-hours service are told at once, with the category and the risk
# addressed.

REGISTER_PROFILE = "register"


def _risk_addressed(plan: Plan, conference: Conference | None) -> str:
    """The danger statement agreed at the conference: the child's own, else the household's."""
    if conference is None:
        return ""
    statements: dict[int | None, str] = dict(
        Assessment.objects.filter(conference=conference)
        .filter(Q(child=plan.child) | Q(child__isnull=True))
        .exclude(danger_statement="")
        .values_list("child_id", "danger_statement")
    )
    return statements.get(plan.child_id) or statements.get(None) or ""


def register_changed(
    plan: Plan, *, placed: bool, on: date, conference: Conference | None, profile_name: str
) -> int:
    """Tell the register keeper and the out-of-hours service that the child was placed on (or
    removed from) the register, in a register-based area. Returns how many were told."""
    if profile_name != REGISTER_PROFILE:
        return 0
    child = plan.child
    what = "placed on" if placed else "removed from"
    risk = _risk_addressed(plan, conference)
    lead = plan.lead_social_worker or child.social_worker
    born = f", born {child.date_of_birth:%-d %B %Y}" if child.date_of_birth else ""
    lines = [
        f"A child was {what} the child protection register on {on:%-d %B %Y}.",
        "",
        f"Child: {child.display_name}{born}",
        f"Local authority child ID: {child.la_child_id}",
        f"Category: {plan.get_latest_category_display()}",
    ]
    if placed and risk:
        lines.append(f"Risk addressed: {risk}")
    if lead is not None:
        lines.append(f"Lead social worker: {lead.get_full_name()} ({lead.email})")
    body = "\n".join(lines)
    told = 0
    for address in (settings.REGISTER_KEEPER_EMAIL, settings.OUT_OF_HOURS_EMAIL):
        if address:
            told += gateway().send_email(
                to=address,
                subject=f"Child protection register: a child {what} the register",
                body=body,
                reference=f"register-{'placed' if placed else 'removed'}-plan-{plan.pk}",
            )
    return told


# Referral to the children's reporter (register-based areas) ----------------------------------


def reporter_referral_record(
    *,
    subject: ConferenceChild,
    reasons: str,
    referred_on: date | None,
    report_sent: bool,
    profile_name: str,
    today: date,
    by: Actor,
) -> ReporterReferral:
    """Register guidance: a referral to the children's reporter, recorded against the decision
    for the child (the minutes follow once signed: `reporter_minutes_sent`)."""
    conference = subject.conference
    if profile_name != REGISTER_PROFILE:
        raise ServiceError("Referrals to the children's reporter are made in register-based areas")
    CONFERENCE.check(ConferenceAction.REFER_TO_REPORTER, conference.status)
    if not subject.outcome:
        raise ServiceError("Record the decision first: the reporter is sent it")
    if ReporterReferral.objects.filter(decision=subject).exists():
        raise ServiceError(f"A referral for {subject.child.display_name} is recorded already")
    assert conference.date is not None
    problems = _day_problems("referred_on", referred_on, since=conference.date, today=today)
    if not reasons.strip():
        problems["reasons"] = "Enter the reasons for the referral"
    if problems:
        raise ServiceError("The referral is not complete", problems=problems)
    assert referred_on is not None
    with transaction.atomic():
        referral = ReporterReferral.objects.create(
            decision=subject,
            reasons=reasons.strip(),
            referred_on=referred_on,
            report_sent=report_sent,
            recorded_by=by.user,
            recorded_on=today,
        )
        audit(
            by=by,
            verb=AuditVerb.CREATED,
            obj=referral,
            about=subject.child,
            reason=f"Referred to the children's reporter on {referred_on:%-d %B %Y}"
            + ("; the social work report sent" if report_sent else ""),
        )
    return referral


def reporter_minutes_sent(
    *, referral: ReporterReferral, sent_on: date | None, version: int, today: date, by: Actor
) -> ReporterReferral:
    if referral.minutes_sent_on is not None:
        raise ServiceError(f"The minutes were sent on {referral.minutes_sent_on:%-d %B %Y}")
    problems = _day_problems("sent_on", sent_on, since=referral.referred_on, today=today)
    if problems:
        raise ServiceError("Enter when the minutes were sent", problems=problems)
    assert sent_on is not None
    with transaction.atomic():
        versioned_update(referral, version=version, minutes_sent_on=sent_on)
        audit(
            by=by,
            verb=AuditVerb.CHANGED,
            obj=referral,
            about=referral.decision.child,
            reason=f"Conference minutes sent to the children's reporter on {sent_on:%-d %B %Y}",
        )
    return referral


def _day_problems(field: str, day: date | None, *, since: date, today: date) -> dict[str, str]:
    if day is None:
        return {field: "Enter the date"}
    if day > today:
        return {field: "The date must be today or in the past"}
    if day < since:
        return {field: f"The date must be on or after {since:%-d %B %Y}"}
    return {}
