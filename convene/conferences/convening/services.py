"""Starting and scheduling conferences (London CP4 §1, §3.6, §8.1).

The reads these use (the household's children, the deadline, who may chair) are in
`convene.conferences.selectors`.

Each change checks the conference's status against the one conference transition table
(`convene.conferences.rules.CONFERENCE`), saves with `versioned_update` (refusing a stale edit)
and writes its audit rows (one on each subject child's trail) in the same transaction, through
the service kernel (`convene.core.services`). Nothing here reads the clock: callers pass
`today`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from datetime import date, time

from django.db import transaction

from convene import policy
from convene.access.enums import AuditVerb
from convene.access.models import User
from convene.authority.selectors import authority_procedures
from convene.conferences.convening import rules
from convene.conferences.enums import (
    INITIAL_TYPES,
    ChildOutcome,
    ConferenceStatus,
    ConferenceType,
    MeetingMode,
    Route,
)
from convene.conferences.invitations.professionals import invitations_add_lead_social_workers
from convene.conferences.models import Conference, ConferenceChild
from convene.conferences.rules import CONFERENCE, ConferenceAction
from convene.conferences.selectors import (
    bookings_on,
    case_roles,
    conference_deadline,
    enquiry_facts,
    household_children,
    open_initial_conferences,
)
from convene.core.bookings import Booking, booking_clashes, clash_message
from convene.core.services import Actor, ServiceError, StaleEdit, audit, versioned_update
from convene.notifications.gateway import gateway
from convene.people.models import Child, Household
from convene.plans.models import Plan
from convene.referrals.models import Episode, Section47Enquiry
from convene.returns.indicator_facts import conference_children_refresh, enquiries_refresh
from convene.timescales import Profile

ROUTE_TYPE: dict[Route, ConferenceType] = {
    Route.SECTION_47: ConferenceType.INITIAL,
    Route.PRE_BIRTH: ConferenceType.PRE_BIRTH,
    Route.TRANSFER_IN: ConferenceType.TRANSFER_IN,
    Route.EMERGENCY_PROTECTION_ORDER: ConferenceType.INITIAL,
    Route.CHILD_ASSESSMENT_ORDER: ConferenceType.INITIAL,
    Route.LOOKED_AFTER_RETURNING_HOME: ConferenceType.INITIAL,
    Route.REVIEW: ConferenceType.REVIEW,
    Route.RECONVENED: ConferenceType.RECONVENED,
}


@dataclasses.dataclass(frozen=True)
class Consideration:
    """One child of the household and whether the conference is about them (London CP4 §1.5:
    every child of the household is considered; a child who is not a subject needs a reason)."""

    child: Child
    is_subject: bool
    reason: str = ""


# Start ---------------------------------------------------------------------------------


def enquiry_record(
    *,
    household: Household | None,
    children: Sequence[Child],
    strategy_discussion_date: date,
    by: Actor,
    today: date,
    end_date: date | None = None,
    outcome_notes: str = "",
) -> list[Section47Enquiry]:
    """Record a strategy discussion that started section 47 enquiries for these children of
    the household, one enquiry each, and the enquiry's outcome when known."""
    if not children:
        raise ServiceError(
            "Select the children the strategy discussion was about", field="children"
        )
    if household is not None and any(c.household_id != household.pk for c in children):
        raise ServiceError("Every child must live in the household", field="children")
    if strategy_discussion_date > today:
        raise ServiceError(
            "Date of the strategy discussion must be today or in the past",
            field="strategy_discussion_date",
        )
    if end_date is not None and end_date < strategy_discussion_date:
        raise ServiceError(
            "Date the enquiry ended must be on or after the strategy discussion", field="end_date"
        )
    made = []
    with transaction.atomic():
        # DfE census rule 8890: one section 47 enquiry at a time for each child.
        known = enquiry_facts(children)
        for child in children:
            refusal = rules.enquiry_refusal(
                name=child.display_name,
                started=strategy_discussion_date,
                ended=end_date,
                existing=known.get(child.pk, []),
                today=today,
            )
            if refusal:
                raise ServiceError(refusal, field="children")
        for child in children:
            worker = child.social_worker
            enquiry = Section47Enquiry.objects.create(
                child=child,
                episode=Episode.objects.filter(child=child, closure_date__isnull=True)
                .order_by("-referral_date")
                .first(),
                strategy_discussion_date=strategy_discussion_date,
                end_date=end_date,
                outcome_notes=outcome_notes,
                worker=worker.get_full_name() if worker else "",
                team=worker.team.name if worker and worker.team else "",
            )
            audit(
                by=by,
                verb=AuditVerb.CREATED,
                obj=enquiry,
                about=child,
                reason=f"Strategy discussion on {strategy_discussion_date:%-d %B %Y}",
            )
            made.append(enquiry)
        # The initial conference's due date for the national indicator (decision 0032).
        enquiries_refresh(Section47Enquiry.objects.filter(pk__in=[e.pk for e in made]))
    return made


def _check_considerations(
    household_kids: Sequence[Child], considered: Sequence[Consideration]
) -> None:
    given = {c.child.pk for c in considered}
    if given != {c.pk for c in household_kids}:
        raise ServiceError(
            "Say for every child of the household whether the conference is about them",
            field="children",
        )
    if not any(c.is_subject for c in considered):
        raise ServiceError("Select at least one child the conference is about", field="children")
    for c in considered:
        if not c.is_subject and not c.reason.strip():
            raise ServiceError(
                f"Enter why {c.child.display_name} is not a subject of the conference",
                field=f"reason_{c.child.pk}",
            )


def _check_no_open_initial_conference(considered: Sequence[Consideration]) -> None:
    """One initial conference at a time for each child it is about: a second one, while the
    first is still to be held (or its decision was deferred), is refused."""
    subjects = [c.child for c in considered if c.is_subject]
    still_open = open_initial_conferences(subjects)
    for child in subjects:
        refusal = rules.initial_conference_refusal(child.display_name, still_open.get(child.pk, []))
        if refusal:
            raise ServiceError(refusal, field=f"subject_{child.pk}")


def _create_conference(
    *,
    route: Route,
    household: Household | None,
    counts_from: date,
    considered: Sequence[Consideration],
    enquiries: dict[int, Section47Enquiry],
    decided_on: date,
    by: Actor,
    type_: ConferenceType | None = None,
    not_chaired_by: User | None = None,
) -> Conference:
    conference = Conference.objects.create(
        type=type_ or ROUTE_TYPE[route],
        not_chaired_by=not_chaired_by,
        route=route,
        status=ConferenceStatus.TO_ARRANGE,
        household=household,
        counts_from=counts_from,
        decided_by=by.user,
        decided_on=decided_on,
    )
    for c in considered:
        ConferenceChild.objects.create(
            conference=conference,
            child=c.child,
            enquiry=enquiries.get(c.child.pk),
            is_subject=c.is_subject,
            not_subject_reason="" if c.is_subject else c.reason.strip(),
        )
    # Each child's copy of its enquiry's due date for the national indicator (decision 0032).
    conference_children_refresh(ConferenceChild.objects.filter(conference=conference))
    subjects = ", ".join(c.child.display_name for c in considered if c.is_subject)
    audit(
        by=by,
        verb=AuditVerb.CREATED,
        obj=conference,
        about=conference,
        reason=f"Decided to convene ({route.label.lower()}) for {subjects}",
    )
    # Children's social care is at every conference: the lead social worker is invited.
    invitations_add_lead_social_workers(conference=conference, by=by)
    return conference


def conference_decide(
    *,
    enquiries: Sequence[Section47Enquiry],
    convene: bool,
    decided_on: date,
    considered: Sequence[Consideration] = (),
    reason: str = "",
    by: Actor,
    today: date,
) -> Conference | None:
    """The children's social care manager's decision on section 47 enquiries (London CP4 §1.6):
    convene an initial conference about every child of the household (§1.5), or not (no
    further action: the enquiries end with no conference needed)."""
    if not enquiries:
        raise ServiceError("Select the enquiries you are deciding on", field="enquiries")
    if decided_on > today:
        raise ServiceError("Date of the decision must be today or in the past", field="decided_on")
    first = min(e.strategy_discussion_date for e in enquiries)
    if decided_on < first:
        raise ServiceError(
            "Date of the decision must be on or after the strategy discussion", field="decided_on"
        )
    with transaction.atomic():
        fresh = list(
            Section47Enquiry.objects.select_for_update()
            .filter(pk__in=[e.pk for e in enquiries], conference_not_required=False)
            .exclude(conferences__isnull=False)
        )
        if len(fresh) != len(enquiries):
            raise StaleEdit
        if not convene:
            if not reason.strip():
                raise ServiceError("Enter why no conference is needed", field="reason")
            for enquiry in fresh:
                enquiry.conference_not_required = True
                enquiry.end_date = enquiry.end_date or decided_on
                note = f"No conference needed (decided {decided_on:%-d %B %Y}): {reason.strip()}"
                enquiry.outcome_notes = "\n".join(filter(None, [enquiry.outcome_notes, note]))
                enquiry.save(update_fields=["conference_not_required", "end_date", "outcome_notes"])
                audit(by=by, verb=AuditVerb.CHANGED, obj=enquiry, about=enquiry.child, reason=note)
            return None
        kids = household_children(fresh[0].child)
        _check_considerations(kids, considered)
        _check_no_open_initial_conference(considered)
        by_child = {e.child_id: e for e in fresh}
        return _create_conference(
            route=Route.SECTION_47,
            household=fresh[0].child.household,
            # London CP4 §1.7: 15 working days from the strategy discussion.
            counts_from=min(e.strategy_discussion_date for e in fresh),
            considered=considered,
            enquiries=by_child,
            decided_on=decided_on,
            by=by,
        )


def route_refusal(route: Route, children: Sequence[Child]) -> str:
    """Why a conference on this route cannot be about these children ("" when it can): a
    pre-birth conference needs an unborn baby, a review a child with an open plan, a
    reconvened conference a child whose decision was deferred. The start
    page offers a route only for a household it can be about, by the same rule."""
    if route == Route.PRE_BIRTH and not any(kid.is_unborn for kid in children):
        return "A pre-birth conference must be about an unborn baby (London CP4 §1.11)"
    if (
        route == Route.REVIEW
        and not Plan.objects.filter(child__in=children, end_date__isnull=True).exists()
    ):
        return "A review conference must be about a child with a child protection plan"
    if (
        route == Route.RECONVENED
        and not ConferenceChild.objects.filter(
            child__in=children, is_subject=True, outcome=ChildOutcome.DEFERRED
        ).exists()
    ):
        return "A reconvened conference must be about a child whose decision was deferred"
    return ""


def conference_start(
    *,
    route: Route,
    child: Child,
    counts_from: date,
    considered: Sequence[Consideration],
    by: Actor,
    today: date,
) -> Conference:
    """Start a conference to arrange on a route other than a section 47 enquiry: pre-birth,
    transfer in, after an emergency protection or child assessment order, a looked-after child
    going home, a review, or reconvened after a deferred decision."""
    if route == Route.SECTION_47:
        raise ServiceError("Record the strategy discussion and decide whether to convene")
    if route == Route.AFTER_COMPLAINT:
        raise ServiceError("A conference is reconvened after a complaint by its outcome")
    subjects = [c.child for c in considered if c.is_subject]
    refusal = route_refusal(route, subjects)
    if refusal:
        raise ServiceError(refusal, field="children")
    with transaction.atomic():
        _check_considerations(household_children(child), considered)
        if ROUTE_TYPE[route] in INITIAL_TYPES:
            _check_no_open_initial_conference(considered)
        return _create_conference(
            route=route,
            household=child.household,
            counts_from=counts_from,
            considered=considered,
            enquiries={},
            decided_on=today,
            by=by,
        )


def conference_reconvene_after_complaint(
    *, complained_of: Conference, hold_by: date, by: Actor, today: date
) -> Conference:
    """London CP4 §12.4: the outcome of a complaint may be that the conference is reconvened
    under a different chair. The new conference is about the same children, is to arrange, is
    due by `hold_by`, and refuses the chair of the one complained of. A child on a plan now is
    decided at it as at a review (continue or end the plan). Inside the caller's transaction."""
    if hold_by < today:
        raise ServiceError("The date to hold it by must be today or in the future", field="hold_by")
    considered = [
        Consideration(child=s.child, is_subject=s.is_subject, reason=s.not_subject_reason)
        for s in complained_of.subjects.select_related("child")
    ]
    subjects = [c.child for c in considered if c.is_subject]
    on_plan = Plan.objects.filter(child__in=subjects, end_date__isnull=True).exists()
    return _create_conference(
        route=Route.AFTER_COMPLAINT,
        household=complained_of.household,
        counts_from=hold_by,
        considered=considered,
        enquiries={},
        decided_on=today,
        by=by,
        type_=ConferenceType.REVIEW if on_plan else ConferenceType.RECONVENED,
        not_chaired_by=complained_of.chair,
    )


# Schedule ------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _When:
    date: date
    starts_at: time
    ends_at: time
    mode: MeetingMode
    venue: str
    virtual_link: str


def _notify_delay(conference: Conference, deadline: rules.Deadline, *, by: Actor) -> None:
    """London CP4 §1.10: a delay is reported to the children's social care manager with its
    reasons. The team manager of each subject child's social worker is e-mailed through the
    notifications gateway (sent once the change is saved), and the audit trail records it."""
    subjects = conference.subjects.filter(is_subject=True).select_related(
        "child", "child__social_worker__team__manager"
    )
    told: set[int] = set()
    for considered in subjects:
        worker = considered.child.social_worker
        manager = worker.team.manager if worker and worker.team else None
        who = manager.get_full_name() if manager else "nobody: no team manager is recorded"
        audit(
            by=by,
            verb=AuditVerb.CHANGED,
            obj=conference,
            about=considered.child,
            reason=f"Delay reported to {who}: conference on {conference.date:%-d %B %Y}, "
            f"after its deadline of {deadline.due:%-d %B %Y}. Reason: {conference.delay_reason}",
        )
        if manager is None or manager.pk in told or not manager.email:
            continue
        told.add(manager.pk)
        # No child's name in the e-mail: the reference finds the conference in Convene.
        gateway().send_email(
            to=manager.email,
            subject="A child protection conference will be held after its deadline",
            body=(
                f"The {conference.get_type_display().lower()} (reference {conference.pk}) is "
                f"arranged for {conference.date:%-d %B %Y}, after its deadline of "
                f"{deadline.due:%-d %B %Y} ({deadline.explanation}).\n\n"
                f"Reason for the delay: {conference.delay_reason}\n\n"
                "Please make sure the risks to the child are monitored and action is taken to "
                "keep them safe meanwhile (London CP4 §1.10)."
            ),
            reference=f"conference-{conference.pk}-delay-{conference.version}",
        )


def conference_schedule(
    *,
    conference: Conference,
    date: date,
    starts_at: time,
    ends_at: time,
    mode: MeetingMode,
    venue: str = "",
    virtual_link: str = "",
    chair: User,
    delay_reason: str = "",
    version: int,
    by: Actor,
    today: date,
    profile: Profile | None = None,
) -> Conference:
    """Set (or change) the date, time, place and chair of a conference. A date after the
    statutory deadline needs `delay_reason` (London CP4 §1.10); the chair must have no
    responsibility for the case (§8.1)."""
    status = CONFERENCE.check(ConferenceAction.SCHEDULE, conference.status)
    when = _When(date, starts_at, ends_at, mode, venue, virtual_link)
    if when.date < today:
        raise ServiceError("Date of the conference must be today or in the future", field="date")
    problem = rules.time_problem(when.starts_at, when.ends_at)
    if problem:
        raise ServiceError(problem, field="ends_at")
    place = rules.meeting_place_problems(when.mode, when.venue, when.virtual_link)
    if place:
        field, message = next(iter(place.items()))
        raise ServiceError(message, field=field)
    if not policy.can_chair(chair):
        raise ServiceError("Select someone who chairs conferences", field="chair")
    refusal = rules.chair_refusal(chair.pk, case_roles(conference))
    if refusal:
        raise ServiceError(refusal, field="chair")
    if conference.not_chaired_by_id == chair.pk:
        raise ServiceError(
            "Select a different chair: this conference is reconvened after a complaint about "
            "the one they chaired (London CP4 §12.4)",
            field="chair",
        )
    deadline = conference_deadline(conference, profile or authority_procedures())
    late = rules.is_late(when.date, deadline)
    if late and not delay_reason.strip():
        assert deadline is not None
        raise ServiceError(
            f"Enter the reason for the delay: {when.date:%-d %B %Y} is after the deadline of "
            f"{deadline.due:%-d %B %Y} (London CP4 §1.10)",
            field="delay_reason",
        )
    before = (conference.date, conference.starts_at, conference.chair)
    was_scheduled = conference.status == ConferenceStatus.SCHEDULED
    wanted = Booking(
        key=f"conference:{conference.pk}",
        what="this conference",
        day=when.date,
        starts_at=when.starts_at,
        ends_at=when.ends_at,
        chair_id=chair.pk,
        venue=when.venue if when.mode != MeetingMode.VIRTUAL else "",
        virtual_link=when.virtual_link if when.mode != MeetingMode.IN_PERSON else "",
    )
    with transaction.atomic():
        # No double booking of the chair, the venue or the meeting link. The chair's row is
        # locked first (on PostgreSQL), so two people booking the same chair at once are
        # checked one after the other.
        list(User.objects.select_for_update().filter(pk=chair.pk).values_list("pk", flat=True))
        clashes = booking_clashes(wanted, bookings_on(when.date))
        if clashes:
            what, other = clashes[0]
            raise ServiceError(clash_message(what, other, wanted), field=what)
        versioned_update(
            conference,
            version=version,
            date=when.date,
            starts_at=when.starts_at,
            ends_at=when.ends_at,
            mode=when.mode,
            venue=when.venue.strip() if when.mode != MeetingMode.VIRTUAL else "",
            virtual_link=when.virtual_link.strip() if when.mode != MeetingMode.IN_PERSON else "",
            chair=chair,
            delay_reason=delay_reason.strip() if late else "",
            status=status,
        )
        summary = (
            f"{when.date:%-d %B %Y} {when.starts_at:%H:%M} to {when.ends_at:%H:%M}, "
            f"{conference.get_mode_display().lower()}, chaired by {chair.get_full_name()}"
        )
        if was_scheduled:
            old_date, old_start, old_chair = before
            old = f"{old_date:%-d %B %Y} {old_start:%H:%M}" if old_date and old_start else "-"
            chaired = old_chair.get_full_name() if old_chair else "no chair"
            reason = f"Rescheduled from {old}, chaired by {chaired}, to {summary}"
        else:
            reason = f"Scheduled for {summary}"
        audit(by=by, verb=AuditVerb.CHANGED, obj=conference, about=conference, reason=reason)
        # A social worker allocated since the conference was started is invited too.
        invitations_add_lead_social_workers(conference=conference, by=by)
        if late:
            assert deadline is not None
            _notify_delay(conference, deadline, by=by)
    return conference


def conference_cancel(
    *, conference: Conference, reason: str, version: int, by: Actor
) -> Conference:
    """Cancel a conference not yet held, with the reason."""
    status = CONFERENCE.check(ConferenceAction.CANCEL, conference.status)
    if not reason.strip():
        raise ServiceError("Enter why the conference is cancelled", field="reason")
    with transaction.atomic():
        versioned_update(conference, version=version, status=status)
        audit(
            by=by,
            verb=AuditVerb.CHANGED,
            obj=conference,
            about=conference,
            reason=f"Cancelled: {reason.strip()}",
        )
    return conference
