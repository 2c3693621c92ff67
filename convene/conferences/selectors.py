"""Reads for the day of a conference and for the conference work lists, each with a constant
number of queries however many conferences, invitations or children there are; and the reads
for convening one (the household's children, enquiries awaiting a decision, the statutory
deadline, who may chair)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse

from convene import policy
from convene.access.models import User
from convene.authority.selectors import authority_procedures
from convene.conferences.convening import rules
from convene.conferences.enums import (
    INITIAL_TYPES,
    ConferenceStatus,
    ExclusionDecision,
    ReportStatus,
    Route,
)
from convene.conferences.invitations.rules import awaiting_answers
from convene.conferences.meeting.rules import (
    ATTENDED,
    ConferenceFacts,
    Fix,
    Missing,
    Quorum,
    quorum_for_child,
    urgency_date,
    urgency_key,
    what_is_missing,
)
from convene.conferences.models import Conference, ConferenceChild, ExclusionRequest, Invitation
from convene.conferences.reports.rules import report_deadline_keys, report_lateness
from convene.conferences.rules import CONFERENCE, ConferenceAction
from convene.core.bookings import Booking
from convene.people.enums import AgencyType
from convene.people.models import Agency, Child, Involvement
from convene.plans.enums import MeetingStatus
from convene.plans.models import CoreGroupMeeting, Plan
from convene.plans.rules import next_review
from convene.referrals.models import Section47Enquiry
from convene.timescales import Profile, is_overdue

# On the day -------------------------------------------------------------------------------


def invitee_agency(invitation: Invitation) -> Agency | None:
    """The agency an invitee speaks for: the invitation's own, or their professional's."""
    if invitation.agency is not None:
        return invitation.agency
    if invitation.professional is not None:
        return invitation.professional.agency
    return None


def attendance_register(conference: Conference) -> list[Invitation]:
    """Everyone invited, with their agency, in the order of the register. One query."""
    return list(
        conference.invitations.select_related(
            "agency", "professional", "professional__agency", "adult", "child"
        ).order_by("role", "id")
    )


@dataclass(frozen=True)
class ChildQuorum:
    child: Child
    quorum: Quorum
    # The agencies present with direct contact with this child, by name.
    counted_names: list[str]


def conference_quorum(conference: Conference) -> list[ChildQuorum]:
    """London CP4 §3.10, for each subject child: was children's social care present, and at
    least two other agencies that have had direct contact with that child? Three queries."""
    present = [
        agency
        for invitation in attendance_register(conference)
        if invitation.attendance in ATTENDED and (agency := invitee_agency(invitation)) is not None
    ]
    csc_present = any(a.type == AgencyType.CHILDRENS_SOCIAL_CARE for a in present)
    others = {a.pk for a in present if a.type != AgencyType.CHILDRENS_SOCIAL_CARE}
    names = {a.pk: a.name for a in present}
    subjects = list(
        conference.subjects.filter(is_subject=True)
        .select_related("child")
        .order_by("child__date_of_birth", "child__pk")
    )
    # Contact with the child that had begun by the conference date, ended or not ("has had").
    started_by = Q() if conference.date is None else Q(started__lte=conference.date)
    contact: dict[int, set[int]] = {}
    for child_id, agency_id in Involvement.objects.filter(
        started_by, child__in=[s.child_id for s in subjects]
    ).values_list("child_id", "professional__agency_id"):
        contact.setdefault(child_id, set()).add(agency_id)
    result = []
    for subject in subjects:
        quorum = quorum_for_child(others, csc_present, contact.get(subject.child_id, set()))
        counted = sorted(names[pk] for pk in quorum.counted if isinstance(pk, int))
        result.append(ChildQuorum(child=subject.child, quorum=quorum, counted_names=counted))
    return result


def attendance_taken(register: list[Invitation]) -> bool:
    return any(invitation.attendance for invitation in register)


# Work lists -------------------------------------------------------------------------------


@dataclass(frozen=True)
class UpcomingConference:
    """One row of a work list: a conference to arrange or hold, and what it still needs."""

    conference: Conference
    children: list[Child]
    due: date | None
    # "Hold by" (the statutory deadline) or "Conference on" (the date it is set for).
    due_label: str
    overdue: bool
    missing: list[Missing]


def _upcoming(conferences: QuerySet[Conference], *, today: date) -> list[UpcomingConference]:
    profile = authority_procedures()
    being_arranged = (
        conferences.filter(status__in=[ConferenceStatus.TO_ARRANGE, ConferenceStatus.SCHEDULED])
        .values("pk")
        .order_by()
    )
    # Held with decisions still to record; not one imported from the SSD, whose decisions
    # were made before Convene (it owes no decision here, as it owes no letter:
    # returns.deadlines._documents_due).
    undecided = ConferenceChild.objects.filter(is_subject=True, outcome="")
    waiting_for_decisions = (
        conferences.filter(
            status=ConferenceStatus.HELD,
            ssd_meeting_id__isnull=True,
            pk__in=undecided.values("conference_id"),
        )
        .values("pk")
        .order_by()
    )
    # A union of two sets of keys, each from its own partial index: an OR across them read
    # every conference ever held (50 ms at 100,000 children, against 12).
    conferences = (
        Conference.objects.filter(pk__in=being_arranged.union(waiting_for_decisions))
        .select_related("chair", "household")
        .annotate(first_review=first_review_annotation())
        .prefetch_related(
            Prefetch("subjects", queryset=ConferenceChild.objects.select_related("child")),
            Prefetch(
                "invitations",
                queryset=Invitation.objects.select_related("agency", "professional__agency"),
            ),
            "reports",
            Prefetch(
                "exclusions",
                queryset=ExclusionRequest.objects.filter(decision=ExclusionDecision.PENDING),
                to_attr="pending_exclusions",
            ),
        )
    )
    rows = [_row(conference, profile, today) for conference in conferences]
    rows.sort(key=lambda row: (urgency_key(row.due), row.conference.pk))
    return rows


def _row(conference: Conference, profile: Profile, today: date) -> UpcomingConference:
    to_arrange = conference.status == ConferenceStatus.TO_ARRANGE
    deadline = conference_deadline(conference, profile) if to_arrange else None
    invitations = list(conference.invitations.all())
    reports_due = None
    if conference.date is not None:
        chair_key, _ = report_deadline_keys(conference.type)
        reports_due = profile.timescale(chair_key).due(conference.date)
    agencies = [invitee_agency(invitation) for invitation in invitations]
    reports = list(conference.reports.all())
    lateness = [
        report_lateness(
            profile,
            conference_type=conference.type,
            conference_date=conference.date,
            kind=report.kind,
            submitted_on=report.submitted_on,
            shared_on=report.shared_on,
            today=today,
        )
        for report in reports
    ]
    facts = ConferenceFacts(
        status=conference.status,
        is_initial=conference.type in INITIAL_TYPES,
        has_chair=conference.chair_id is not None,
        date=conference.date,
        deadline=deadline.due if deadline else None,
        reports_due=reports_due,
        reports_late=sum(1 for late in lateness if late.late),
        reports_waiting=sum(
            1
            for report, late in zip(reports, lateness, strict=True)
            if report.status == ReportStatus.REQUESTED and not late.late
        ),
        unanswered_invitations=len(awaiting_answers(invitations)),
        invitations_not_sent=sum(1 for i in invitations if i.sent_on is None),
        exclusions_pending=len(conference.pending_exclusions),  # type: ignore[attr-defined]
        interpreters_not_booked=sum(
            1 for i in invitations if i.interpreter_language and not i.interpreter_booked
        ),
        police_invited=any(a is not None and a.type == AgencyType.POLICE for a in agencies),
        decisions_outstanding=sum(
            1 for s in conference.subjects.all() if s.is_subject and not s.outcome
        ),
    )
    due = urgency_date(facts)
    held = conference.status == ConferenceStatus.HELD
    return UpcomingConference(
        conference=conference,
        children=[s.child for s in conference.subjects.all() if s.is_subject],
        due=due,
        due_label="Hold by" if to_arrange else ("Held on" if held else "Conference on"),
        overdue=not held and due is not None and is_overdue(due, today),
        missing=what_is_missing(facts, today=today),
    )


# Which action each fix a list offers needs, and where it is done.
FIX_ACTIONS: dict[Fix, tuple[ConferenceAction, Callable[[int], str]]] = {
    Fix.INVITE_POLICE: (
        ConferenceAction.INVITE,
        lambda pk: (
            reverse("conferences:invitations-add-professional", args=[pk]) + "?agency_type=police"
        ),
    ),
    Fix.RECORD_DECISIONS: (
        ConferenceAction.DECIDE,
        lambda pk: reverse("conferences:decision-record", args=[pk]),
    ),
}


def with_fixes(
    rows: list[UpcomingConference], user: User, *, today: date
) -> list[UpcomingConference]:
    """The rows, with a link to put each missing thing right where this person may (the policy)
    and the conference's state allows it. One query at most for each kind of fix."""
    links: dict[Fix, set[int]] = {}
    for fix, (action, _) in FIX_ACTIONS.items():
        pks = [
            row.conference.pk
            for row in rows
            if any(m.fix == fix for m in row.missing)
            and CONFERENCE.allows(action, row.conference.status)
        ]
        links[fix] = policy.allowed_pks(user, "conference", action, pks, today=today)
    return [
        dataclasses.replace(
            row,
            missing=[
                dataclasses.replace(m, url=FIX_ACTIONS[m.fix][1](row.conference.pk))
                if m.fix is not None and row.conference.pk in links[m.fix]
                else m
                for m in row.missing
            ],
        )
        for row in rows
    ]


def upcoming_for_administrator(*, today: date) -> list[UpcomingConference]:
    """Every conference to arrange or hold, and every held one with decisions still to
    record, most urgent first, with what each still needs. Seven queries, however many
    conferences."""
    return _upcoming(Conference.objects.all(), today=today)


def upcoming_for_chair(user: User, *, today: date) -> list[UpcomingConference]:
    """The conferences this person chairs that are still to be held or decided, most urgent
    first."""
    return _upcoming(Conference.objects.filter(chair=user), today=today)


# Convening: the household, enquiries awaiting a decision, deadlines and chairs ----------


def household_children(child: Child) -> list[Child]:
    """Every child of the child's household (London CP4 §1.5), or the child alone."""
    if child.household_id is None:
        return [child]
    return list(
        Child.objects.filter(household_id=child.household_id)
        .select_related("social_worker", "social_worker__team")
        .order_by("date_of_birth", "expected_date_of_birth", "first_name")
    )


def enquiries_awaiting_decision(children: Iterable[Child]) -> QuerySet[Section47Enquiry]:
    """Section 47 enquiries of these children with no decision yet on a conference."""
    return (
        Section47Enquiry.objects.filter(child__in=list(children), conference_not_required=False)
        .exclude(conferences__isnull=False)
        .select_related("child")
        .order_by("strategy_discussion_date", "child__first_name")
    )


def enquiry_facts(children: Iterable[Child]) -> dict[int, list[rules.EnquiryFacts]]:
    """Each child's section 47 enquiries, by child id, with what census rule 8890 needs: when
    each started and ended and what became of its initial conference. Two queries."""
    places = ConferenceChild.objects.filter(conference__type__in=INITIAL_TYPES).select_related(
        "conference"
    )
    enquiries = Section47Enquiry.objects.filter(child__in=list(children)).prefetch_related(
        Prefetch("conferences", queryset=places)
    )
    found: dict[int, list[rules.EnquiryFacts]] = {}
    for enquiry in enquiries:
        conferences = [cc.conference for cc in enquiry.conferences.all()]
        held = [
            c.date for c in conferences if c.status == ConferenceStatus.HELD and c.date is not None
        ]
        found.setdefault(enquiry.child_id, []).append(
            rules.EnquiryFacts(
                started=enquiry.strategy_discussion_date,
                ended=enquiry.end_date,
                conference_not_required=enquiry.conference_not_required,
                conference_held_on=min(held, default=None),
                conference_planned=any(c.status != ConferenceStatus.CANCELLED for c in conferences),
            )
        )
    return found


def open_initial_conferences(children: Iterable[Child]) -> dict[int, list[rules.OpenConference]]:
    """Each child's initial (and pre-birth) conferences still open (`rules.initial_conference_
    open`), by child id. One query."""
    places = (
        ConferenceChild.objects.filter(
            child__in=list(children), is_subject=True, conference__type__in=INITIAL_TYPES
        )
        .exclude(conference__status=ConferenceStatus.CANCELLED)
        .select_related("conference")
        .order_by("conference__decided_on", "conference__pk")
    )
    found: dict[int, list[rules.OpenConference]] = {}
    for place in places:
        conference = place.conference
        if rules.initial_conference_open(conference.status, place.outcome):
            found.setdefault(place.child_id, []).append(
                rules.OpenConference(
                    kind=conference.get_type_display().lower(),
                    since=conference.decided_on or conference.counts_from,
                )
            )
    return found


def first_review_annotation() -> Exists:
    """London CP4 §1.20: a review is the first when it counts from the start of a plan of one
    of its children. Annotated as `first_review` on a list of conferences (one query for the
    whole list), for `conference_deadline`."""
    return Exists(
        Plan.objects.filter(
            child__conferences__conference=OuterRef("pk"), start_date=OuterRef("counts_from")
        )
    )


def conference_deadline(conference: Conference, profile: Profile) -> rules.Deadline | None:
    """The conference's statutory deadline, worked out each time from its route and the date
    it counts from (never stored, so a change of procedures changes it everywhere): the one
    rule every page, list and work list uses. A list annotates `first_review`
    (`first_review_annotation`); otherwise a review asks for it."""
    if not conference.route or conference.counts_from is None:
        return None
    route = Route(conference.route)
    first_review: bool = True
    if route == Route.REVIEW:
        annotated: bool | None = getattr(conference, "first_review", None)
        first_review = (
            annotated
            if annotated is not None
            else Conference.objects.filter(first_review_annotation(), pk=conference.pk).exists()
        )
    return rules.deadline_for(route, conference.counts_from, profile, first_review=first_review)


def review_counts_from(child: Child) -> date | None:
    """For a review: the open plan's last review, or its start (London CP4 §1.20)."""
    plan = child.plans.filter(end_date__isnull=True).first()
    if plan is None:
        return None
    last = plan.reviews.order_by("-date").values_list("date", flat=True).first()
    return next_review(plan.start_date, last)[1]


def case_roles(conference: Conference) -> list[rules.CaseRole]:
    """Everyone with operational or line-management responsibility for the case (London CP4
    §8.1): each subject child's allocated social worker, that worker's team manager, and the
    manager who decided to convene."""
    found: list[rules.CaseRole] = []
    subjects = conference.subjects.filter(is_subject=True).select_related(
        "child", "child__social_worker", "child__social_worker__team"
    )
    for considered in subjects:
        worker = considered.child.social_worker
        name = considered.child.display_name
        if worker is None:
            continue
        found.append(rules.CaseRole(worker.pk, f"the allocated social worker for {name}"))
        if worker.team is not None and worker.team.manager_id is not None:
            found.append(
                rules.CaseRole(
                    worker.team.manager_id, f"the team manager of {name}'s social worker"
                )
            )
    if conference.decided_by_id is not None:
        found.append(rules.CaseRole(conference.decided_by_id, "the manager who decided to convene"))
    return found


def earlier_chair_ids(conference: Conference) -> list[int]:
    """Who chaired the subject children's earlier conferences, most recent first."""
    children = conference.subjects.filter(is_subject=True).values("child")
    return list(
        Conference.objects.filter(subjects__child__in=children, chair__isnull=False)
        .exclude(pk=conference.pk)
        .exclude(status=ConferenceStatus.CANCELLED)
        .order_by(F("date").desc(nulls_last=True), "-pk")
        .values_list("chair_id", flat=True)
    )


ChairCandidates = tuple[list[User], set[int], dict[int, str]]


def chair_candidates(conference: Conference) -> ChairCandidates:
    """Active users who may chair: the earlier chair first; with the ids of earlier chairs
    and, by id, why anyone else with the chair role may not chair this one."""
    chairs = list(
        User.objects.filter(is_active=True, role_grants__role__in=policy.chair_roles())
        .distinct()
        .order_by("last_name", "first_name")
    )
    roles = case_roles(conference)
    refused: dict[int, str] = {}
    for user in chairs:
        why = rules.chair_refusal(user.pk, roles)
        if why is not None:
            refused[user.pk] = why
        elif user.pk == conference.not_chaired_by_id:
            refused[user.pk] = (
                "This person cannot chair the conference: it is reconvened after a complaint "
                "about the one they chaired (London CP4 §12.4)"
            )
    allowed = [user for user in chairs if user.pk not in refused]
    earlier = earlier_chair_ids(conference)
    ordered = rules.chairs_in_order(allowed, [u.pk for u in allowed], earlier)
    return ordered, set(earlier), refused


# Bookings and the chair's diary ---------------------------------------------------------


def bookings_on(day: date) -> list[Booking]:
    """Every scheduled conference and core group meeting on this day, as bookings of their
    chairs, venues and links (times are never null here: filtered below)."""
    conferences = [
        Booking(
            key=f"conference:{c.pk}",
            what=f"conference number {c.pk}",
            day=day,
            starts_at=c.starts_at,  # type: ignore[arg-type]
            ends_at=c.ends_at,
            chair_id=c.chair_id,
            chair_name=c.chair.get_full_name() if c.chair else "",
            venue=c.venue,
            virtual_link=c.virtual_link,
        )
        for c in Conference.objects.filter(
            date=day,
            status=ConferenceStatus.SCHEDULED,
            starts_at__isnull=False,
            ends_at__isnull=False,
        ).select_related("chair")
    ]
    core_groups = [
        Booking(
            key=f"core_group:{m.pk}",
            what="a core group meeting",
            day=day,
            starts_at=m.starts_at,  # type: ignore[arg-type]
            ends_at=None,
            venue=m.venue,
        )
        for m in CoreGroupMeeting.objects.filter(
            date=day, status=MeetingStatus.SCHEDULED, starts_at__isnull=False
        ).exclude(venue="")
    ]
    return conferences + core_groups


def chair_week(user: User, monday: date) -> QuerySet[Conference]:
    """The conferences this person chairs in the week from `monday`, scheduled or held, in
    time order."""
    return (
        Conference.objects.filter(
            chair=user,
            date__gte=monday,
            date__lt=monday + timedelta(days=7),
            status__in=(ConferenceStatus.SCHEDULED, ConferenceStatus.HELD),
        )
        .prefetch_related(
            Prefetch(
                "subjects",
                queryset=ConferenceChild.objects.filter(is_subject=True).select_related("child"),
            )
        )
        .order_by("date", "starts_at", "pk")
    )
