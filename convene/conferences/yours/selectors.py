"""Reads for "Your conferences": the conferences someone is invited to and the reports they owe.
A constant number of queries however many conferences, children and reports there are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, Q

from convene import policy
from convene.access.models import User
from convene.conferences.enums import ReportStatus
from convene.conferences.models import ConferenceChild, Invitation, Report
from convene.conferences.reports import rules as report_rules
from convene.conferences.reports.rules import ReportAction
from convene.conferences.rules import BEING_ARRANGED
from convene.people.models import Child
from convene.timescales import Profile


def _subjects() -> Prefetch:
    """Each conference's subject children, eldest first, as `conference.subject_list`."""
    return Prefetch(
        "conference__subjects",
        queryset=ConferenceChild.objects.filter(is_subject=True)
        .select_related("child")
        .order_by("child__date_of_birth", "child__pk"),
        to_attr="subject_list",
    )


def _children(invitation_or_report: Invitation | Report) -> list[Child]:
    places: list[ConferenceChild] = invitation_or_report.conference.subject_list  # type: ignore[attr-defined]
    return [place.child for place in places]


# Still to come: being arranged, or scheduled for today or later.
def _upcoming(today: date, to: str = "conference__") -> Q:
    return Q(**{f"{to}status__in": BEING_ARRANGED}) & (
        Q(**{f"{to}date__isnull": True}) | Q(**{f"{to}date__gte": today})
    )


@dataclass(frozen=True)
class InvitedTo:
    invitation: Invitation
    children: list[Child]


def invited_to(user: User, *, today: date) -> list[InvitedTo]:
    """The conferences still to come to which this person is invited as a professional (the
    policy's invitee), soonest first, those without a date yet last. Two queries."""
    invitations = (
        Invitation.objects.filter(policy.own_invitations_q(user))
        .filter(_upcoming(today))
        .select_related("conference", "conference__household")
        .prefetch_related(_subjects())
        .order_by("conference__date", "conference__starts_at", "conference__pk", "pk")
    )
    rows: list[InvitedTo] = []
    seen: set[int] = set()
    for invitation in invitations:
        if invitation.conference_id in seen:
            continue  # invited twice (as their record and at their address): once is enough
        seen.add(invitation.conference_id)
        rows.append(InvitedTo(invitation, _children(invitation)))
    rows.sort(key=lambda row: row.invitation.conference.date is None)
    return rows


@dataclass(frozen=True)
class Owed:
    report: Report
    children: list[Child]
    # Due to the chair (None until the conference has a date), and whether that has passed.
    due: date | None
    late: bool


def reports_owed(user: User, *, today: date, profile: Profile) -> list[Owed]:
    """The reports this person may write (the policy's SAVE_DRAFT) that are not submitted yet,
    for conferences still to come: late ones first, then by the day they are due to the chair,
    those with no date yet last. Two queries, and one more for the access filter at most."""
    allowed = policy.allowed_q("report", user, ReportAction.SAVE_DRAFT, today=today)
    if allowed == policy.NOBODY:
        return []
    # Through the ids: the access filter's joins (to invitations, children) repeat rows.
    reports = (
        Report.objects.filter(pk__in=Report.objects.filter(allowed).values("pk"))
        .filter(status=ReportStatus.REQUESTED)
        .filter(_upcoming(today))
        .select_related("agency", "conference", "conference__household")
        .prefetch_related(_subjects())
    )
    rows = []
    for report in reports:
        conference = report.conference
        due = None
        if conference.date is not None:
            due = report_rules.report_deadlines(
                profile,
                conference_type=conference.type,
                conference_date=conference.date,
                kind=report.kind,
            ).to_chair
        late = due is not None and report_rules.report_late_to_chair(
            due=due, submitted_on=report.submitted_on, today=today
        )
        rows.append(Owed(report, _children(report), due, late))
    rows.sort(key=lambda row: (not row.late, row.due is None, row.due or date.max, row.report.pk))
    return rows
