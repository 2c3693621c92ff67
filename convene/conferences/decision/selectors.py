"""Reads for the meeting's record and the decisions, each with a constant number of queries
however many children, participants, scores and views there are."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch

from convene.conferences.decision.rules import (
    GroupScores,
    ScoreEntry,
    ScoreSeries,
    participant_group,
    scores_over_time,
)
from convene.conferences.enums import ConferenceStatus, ParticipantGroup
from convene.conferences.meeting.rules import ATTENDED
from convene.conferences.models import (
    Assessment,
    Conference,
    ConferenceChild,
    Dissent,
    Invitation,
    ParticipantView,
    SafetyScore,
)
from convene.conferences.selectors import attendance_register, invitee_agency
from convene.people.models import Child
from convene.plans.models import Plan


@dataclass
class ChildRecord:
    """One subject child's part of the meeting: the four questions, scores, views, the
    decision with its dissent, and the plan it started or reviewed."""

    subject: ConferenceChild
    assessment: Assessment | None = None
    scores: list[SafetyScore] = field(default_factory=list)
    views: list[ParticipantView] = field(default_factory=list)
    plan: Plan | None = None

    @property
    def child(self) -> Child:
        return self.subject.child

    @property
    def dissents(self) -> list[Dissent]:
        return list(self.subject.dissents.all())


@dataclass
class MeetingRecord:
    household: Assessment | None
    children: list[ChildRecord]

    @property
    def decisions_outstanding(self) -> int:
        return sum(1 for c in self.children if not c.subject.outcome)


def meeting_record(conference: Conference) -> MeetingRecord:
    """Everything recorded at the meeting, per subject child. Six queries."""
    subjects = list(
        conference.subjects.filter(is_subject=True)
        .select_related("child", "child__social_worker", "decided_by")
        .prefetch_related(Prefetch("dissents", queryset=Dissent.objects.select_related("agency")))
        .order_by("child__date_of_birth", "child__pk")
    )
    records = {s.child_id: ChildRecord(subject=s) for s in subjects}
    household = None
    for assessment in conference.assessments.all():
        if assessment.child_id is None:
            household = assessment
        elif assessment.child_id in records:
            records[assessment.child_id].assessment = assessment
    for score in conference.safety_scores.order_by("group", "name"):
        if score.child_id in records:
            records[score.child_id].scores.append(score)
    for view in conference.views.select_related("agency").order_by("group", "id"):
        if view.child_id in records:
            records[view.child_id].views.append(view)
    # The plan this conference started, or the one it reviewed.
    plans = Plan.objects.filter(child__in=list(records)).order_by("start_date")
    if conference.date is not None:
        for plan in plans:
            record = records[plan.child_id]
            started_here = plan.started_by_id == conference.pk
            open_then = plan.start_date < conference.date and (
                plan.end_date is None or plan.end_date >= conference.date
            )
            if started_here or (open_then and record.plan is None):
                record.plan = plan
    return MeetingRecord(household=household, children=list(records.values()))


@dataclass(frozen=True)
class ScoreRow:
    """Someone who took part, and the score field for each child."""

    invitation: Invitation
    role: str
    group: str
    fields: list[tuple[Child, str]]


def participants(conference: Conference) -> list[tuple[Invitation, str, ParticipantGroup]]:
    """Who took part (from the attendance register), with their role in words and their
    group; everyone invited when no register was taken. One query."""
    register = attendance_register(conference)
    taken = any(i.attendance for i in register)
    found = []
    for invitation in register:
        if taken and invitation.attendance not in ATTENDED:
            continue
        agency = invitee_agency(invitation)
        role = str(invitation.get_role_display())
        if agency is not None:
            role = f"{role}, {agency.name}"
        group = participant_group(invitation.role, agency.type if agency else None)
        found.append((invitation, role, group))
    return found


# On the child's record -----------------------------------------------------------------


@dataclass(frozen=True)
class ScoresOverTime:
    plan: Plan | None
    dates: list[date]
    series: list[ScoreSeries]

    @property
    def rows(self) -> list[GroupScores]:
        return [point for s in self.series for point in s.points]


def scores_over_time_for(child: Child, plans: list[Plan]) -> ScoresOverTime:
    """Every group's safety scores at the held conferences of the child's latest plan (from
    the conference that started it to the one that ended it), or at all of the child's
    conferences when there has been no plan. One query."""
    plan = plans[-1] if plans else None
    scores = SafetyScore.objects.filter(
        child=child, conference__status=ConferenceStatus.HELD
    ).values_list("conference__date", "group", "score")
    if plan is not None:
        scores = scores.filter(conference__date__gte=plan.start_date)
        if plan.end_date is not None:
            scores = scores.filter(conference__date__lte=plan.end_date)
    dates, series = scores_over_time(
        ScoreEntry(conference_date=day, group=group, score=score)
        for day, group, score in scores
        if day is not None
    )
    return ScoresOverTime(plan=plan, dates=dates, series=series)
