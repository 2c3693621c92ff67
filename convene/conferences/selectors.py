"""Reads for the day of a conference and for the conference work lists, each with a constant
number of queries however many conferences, invitations or children there are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, Q, QuerySet

from convene.access.models import User
from convene.authority.selectors import authority_procedures
from convene.people.enums import AgencyType
from convene.people.models import Agency, Child, Involvement
from convene.plans.models import Plan
from convene.timescales import Profile

from .enums import (
    INITIAL_TYPES,
    ConferenceStatus,
    ExclusionDecision,
    ReportStatus,
    Response,
    Route,
)
from .models import Conference, ConferenceChild, ExclusionRequest, Invitation
from .rules import deadline_for
from .rules_meeting import (
    ATTENDED,
    ConferenceFacts,
    Quorum,
    quorum_for_child,
    urgency_date,
    urgency_key,
    what_is_missing,
)
from .rules_reports import report_deadline_keys


def statutory_deadline(conference: Conference, profile: Profile) -> date | None:
    """The last day the conference may be held on time, counted by its route (rules.py);
    None when the date it counts from is not recorded. For a review, the children's open
    plans must be prefetched as `open_plans` (one query for the whole list)."""
    if not conference.route or conference.counts_from is None:
        return None
    route = Route(conference.route)
    # London CP4 §1.20: it is the first review when it counts from the plan's start.
    first_review = any(
        plan.start_date == conference.counts_from
        for subject in conference.subjects.all()
        for plan in getattr(subject.child, "open_plans", [])
    )
    return deadline_for(route, conference.counts_from, profile, first_review=first_review).due


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
    missing: list[str]


def _upcoming(conferences: QuerySet[Conference], *, today: date) -> list[UpcomingConference]:
    profile = authority_procedures()
    conferences = (
        conferences.filter(status__in=[ConferenceStatus.TO_ARRANGE, ConferenceStatus.SCHEDULED])
        .select_related("chair", "household")
        .prefetch_related(
            Prefetch("subjects", queryset=ConferenceChild.objects.select_related("child")),
            Prefetch(
                "subjects__child__plans",
                queryset=Plan.objects.filter(end_date__isnull=True),
                to_attr="open_plans",
            ),
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
    invitations = list(conference.invitations.all())
    reports_due = None
    if conference.date is not None:
        chair_key, _ = report_deadline_keys(conference.type)
        reports_due = profile.timescale(chair_key).due(conference.date)
    agencies = [invitee_agency(invitation) for invitation in invitations]
    facts = ConferenceFacts(
        status=conference.status,
        is_initial=conference.type in INITIAL_TYPES,
        has_chair=conference.chair_id is not None,
        date=conference.date,
        deadline=(
            statutory_deadline(conference, profile)
            if conference.status == ConferenceStatus.TO_ARRANGE
            else None
        ),
        reports_due=reports_due,
        reports_not_submitted=sum(
            1 for report in conference.reports.all() if report.status == ReportStatus.REQUESTED
        ),
        unanswered_invitations=sum(1 for i in invitations if i.response == Response.AWAITING),
        exclusions_pending=len(conference.pending_exclusions),  # type: ignore[attr-defined]
        interpreters_not_booked=sum(
            1 for i in invitations if i.interpreter_language and not i.interpreter_booked
        ),
        police_invited=any(a is not None and a.type == AgencyType.POLICE for a in agencies),
    )
    due = urgency_date(facts)
    return UpcomingConference(
        conference=conference,
        children=[s.child for s in conference.subjects.all() if s.is_subject],
        due=due,
        due_label="Hold by"
        if conference.status == ConferenceStatus.TO_ARRANGE
        else "Conference on",
        overdue=due is not None and due < today,
        missing=what_is_missing(facts, today=today),
    )


def upcoming_for_administrator(*, today: date) -> list[UpcomingConference]:
    """Every conference to arrange or hold, most urgent first, with what each still needs.
    Eight queries, however many conferences."""
    return _upcoming(Conference.objects.all(), today=today)


def upcoming_for_chair(user: User, *, today: date) -> list[UpcomingConference]:
    """The conferences this person chairs that are still to be held, most urgent first."""
    return _upcoming(Conference.objects.filter(chair=user), today=today)
