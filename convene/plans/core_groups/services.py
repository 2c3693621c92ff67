"""Core group meetings: scheduled with the members invited, moved or cancelled, then recorded
— who came, the written views of those who could not, the decisions, progress against each
action, and any request to bring the review conference forward (Cornwall C:123; London CP4
§1.23, §14.3; Medway M:7 to M:12).

Each service refuses a plan that is not open and a meeting whose status does not allow it
(`rules.MEETING`), refuses a stale edit (`versioned_update`), and writes its audit rows on the
child's trail in the same transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time

from django.db import IntegrityError, transaction

from convene.access.enums import AuditVerb
from convene.conferences.models import Dissent
from convene.core.services import Actor, ServiceError, audit, versioned_update
from convene.people.models import Agency
from convene.plans.enums import ActionStatus, BroughtForwardReason, MeetingStatus
from convene.plans.models import (
    Action,
    CoreGroupAttendance,
    CoreGroupMeeting,
    CoreGroupMember,
    Plan,
    ReviewBroughtForward,
)
from convene.plans.plan_page.rules import progress_problem
from convene.plans.plan_page.services import plan_check, record_progress
from convene.plans.rules import PlanAction
from convene.timescales import Calendar

from .rules import (
    MEETING,
    MeetingAction,
    date_problem,
    early_review_due,
    early_review_problems,
    record_problem,
    views_problem,
)


def _when(meeting_day: date, starts_at: time) -> str:
    return f"{meeting_day:%-d %B %Y} at {starts_at:%H:%M}"


def _place_problems(
    plan: Plan, *, day: date | None, starts_at: time | None, venue: str
) -> dict[str, str]:
    problems = {}
    if day is None:
        problems["date"] = "Enter the date of the meeting"
    elif problem := date_problem(day=day, plan_start=plan.start_date):
        problems["date"] = problem
    if starts_at is None:
        problems["starts_at"] = "Enter the start time"
    if not venue.strip():
        problems["venue"] = "Enter where the meeting is, or how to join it online"
    return problems


def _taken(plan: Plan, day: date, *, besides: CoreGroupMeeting | None = None) -> None:
    """One meeting a day for a plan. Scheduling on the day of a cancelled meeting arranges it
    again; moving another meeting onto that day is refused, so no record is lost."""
    others = CoreGroupMeeting.objects.filter(plan=plan, date=day)
    if besides is None:
        others = others.exclude(status=MeetingStatus.CANCELLED)
    else:
        others = others.exclude(pk=besides.pk)
    other = others.first()
    if other is None:
        return
    if other.status == MeetingStatus.CANCELLED:
        raise ServiceError(
            f"The meeting on {day:%-d %B %Y} was cancelled. To meet that day after all, "
            "arrange a meeting on that day from the plan page, then cancel this one",
            field="date",
        )
    raise ServiceError(f"There is already a core group meeting on {day:%-d %B %Y}", field="date")


def core_group_schedule(
    *, plan: Plan, day: date | None, starts_at: time | None, venue: str, by: Actor
) -> CoreGroupMeeting:
    """A meeting to come, with everyone in the core group invited. A meeting cancelled on that
    day is arranged again."""
    plan_check(plan, PlanAction.SCHEDULE_CORE_GROUP)
    problems = _place_problems(plan, day=day, starts_at=starts_at, venue=venue)
    if problems:
        raise ServiceError("The meeting is not complete", problems=problems)
    assert day is not None and starts_at is not None
    _taken(plan, day)
    place = {"starts_at": starts_at, "venue": venue.strip()}
    with transaction.atomic():
        cancelled = CoreGroupMeeting.objects.filter(
            plan=plan, date=day, status=MeetingStatus.CANCELLED
        ).first()
        if cancelled is not None:
            meeting = versioned_update(
                cancelled, version=cancelled.version, status=MeetingStatus.SCHEDULED, **place
            )
            verb, arranged = AuditVerb.CHANGED, "arranged again"
        else:
            verb, arranged = AuditVerb.CREATED, "arranged"
            try:
                with transaction.atomic():
                    meeting = CoreGroupMeeting.objects.create(
                        plan=plan, date=day, status=MeetingStatus.SCHEDULED, **place
                    )
            except IntegrityError as error:
                raise ServiceError(
                    f"There is already a core group meeting on {day:%-d %B %Y}", field="date"
                ) from error
        audit(
            by=by,
            verb=verb,
            obj=meeting,
            about=plan.child,
            reason=f"Core group meeting {arranged} for {_when(day, starts_at)}: {meeting.venue}",
        )
    return meeting


def core_group_reschedule(
    *,
    meeting: CoreGroupMeeting,
    day: date | None,
    starts_at: time | None,
    venue: str,
    version: int,
    by: Actor,
) -> CoreGroupMeeting:
    """A meeting to come moved to another day, time or place."""
    plan = meeting.plan
    plan_check(plan, PlanAction.SCHEDULE_CORE_GROUP)
    MEETING.check(MeetingAction.RESCHEDULE, meeting.status)
    problems = _place_problems(plan, day=day, starts_at=starts_at, venue=venue)
    if problems:
        raise ServiceError("The meeting is not complete", problems=problems)
    assert day is not None and starts_at is not None
    _taken(plan, day, besides=meeting)
    with transaction.atomic():
        versioned_update(
            meeting, version=version, date=day, starts_at=starts_at, venue=venue.strip()
        )
        audit(
            by=by,
            verb=AuditVerb.CHANGED,
            obj=meeting,
            about=plan.child,
            reason=f"Core group meeting moved to {_when(day, starts_at)}: {meeting.venue}",
        )
    return meeting


def core_group_cancel(*, meeting: CoreGroupMeeting, version: int, by: Actor) -> CoreGroupMeeting:
    plan = meeting.plan
    plan_check(plan, PlanAction.SCHEDULE_CORE_GROUP)
    becomes = MEETING.check(MeetingAction.CANCEL, meeting.status)
    with transaction.atomic():
        versioned_update(meeting, version=version, status=becomes)
        audit(
            by=by,
            verb=AuditVerb.CHANGED,
            obj=meeting,
            about=plan.child,
            reason=f"Core group meeting on {meeting.date:%-d %B %Y} cancelled",
        )
    return meeting


# The record ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceGiven:
    member: CoreGroupMember
    attended: bool | None  # None: not answered
    written_views: str = ""


@dataclass(frozen=True)
class ProgressGiven:
    """Where an action is up to, from the version of it the page showed."""

    action: Action
    version: int
    status: ActionStatus
    progress: str = ""

    @property
    def changed(self) -> bool:
        return self.status != self.action.status or bool(self.progress.strip())


@dataclass(frozen=True)
class EarlyReview:
    requested: bool = False
    reason: str = ""
    due: date | None = None  # the date the core group gave, if any


def _record_problems(
    meeting: CoreGroupMeeting,
    *,
    invited: Sequence[CoreGroupMember],
    attendance: Sequence[AttendanceGiven],
    decisions: str,
    progress: Sequence[ProgressGiven],
    early_review: EarlyReview,
) -> dict[str, str]:
    problems: dict[str, str] = {}
    given = {a.member.pk: a for a in attendance}
    for member in invited:
        answer = given.get(member.pk)
        if answer is None or answer.attended is None:
            problems[f"attended_{member.pk}"] = f"Select whether {member.name} came"
        elif problem := views_problem(
            name=member.name, attended=answer.attended, written_views=answer.written_views
        ):
            problems[f"views_{member.pk}"] = problem
    if any(a.member.pk not in {m.pk for m in invited} for a in attendance):
        raise ServiceError("Record attendance only for members of this core group")
    if not decisions.strip():
        problems["decisions"] = "Enter what the core group decided"
    for entry in progress:
        if entry.action.plan_id != meeting.plan_id:
            raise ServiceError("Record progress only on this plan's actions")
        problem = progress_problem(
            before=entry.action.status, after=entry.status, progress=entry.progress
        )
        if problem:
            problems[f"progress_{entry.action.pk}"] = (
                f"For “{_short(entry.action.text)}”, {problem[0].lower()}{problem[1:]}"
            )
    problems |= early_review_problems(
        requested=early_review.requested,
        reason=early_review.reason,
        asked_for=early_review.due,
        meeting_date=meeting.date,
    )
    return problems


def _short(text: str, most: int = 60) -> str:
    """An action's words, short enough to name it in a message."""
    words = " ".join(text.split())
    return words if len(words) <= most else words[: most - 1].rstrip() + "…"


def core_group_record(
    *,
    meeting: CoreGroupMeeting,
    invited: Sequence[CoreGroupMember],
    attendance: Sequence[AttendanceGiven],
    decisions: str,
    progress: Sequence[ProgressGiven],
    early_review: EarlyReview,
    version: int,
    by: Actor,
    today: date,
    calendar: Calendar,
) -> CoreGroupMeeting:
    """The record of a meeting that has happened, once (London CP4 §14.3): whether each member
    invited came, with the written views of those who did not; the decisions; an update for
    each action whose progress was discussed; and, when the core group asks for it, the review
    conference brought forward (§1.23). The meeting then counts as held."""
    plan = meeting.plan
    plan_check(plan, PlanAction.RECORD_CORE_GROUP)
    becomes = MEETING.check(MeetingAction.RECORD, meeting.status)
    if problem := record_problem(day=meeting.date, today=today):
        raise ServiceError(problem)
    problems = _record_problems(
        meeting,
        invited=invited,
        attendance=attendance,
        decisions=decisions,
        progress=progress,
        early_review=early_review,
    )
    if problems:
        raise ServiceError("The record is not complete", problems=problems)
    with transaction.atomic():
        versioned_update(
            meeting,
            version=version,
            status=becomes,
            decisions=decisions.strip(),
            early_review_requested=early_review.requested,
        )
        CoreGroupAttendance.objects.bulk_create(
            CoreGroupAttendance(
                meeting=meeting,
                member=a.member,
                attended=bool(a.attended),
                written_views="" if a.attended else a.written_views.strip(),
            )
            for a in attendance
        )
        for entry in progress:
            if entry.changed:
                record_progress(
                    action=entry.action,
                    status=entry.status,
                    progress=entry.progress,
                    version=entry.version,
                    by=by,
                    on=meeting.date,
                    meeting=meeting,
                )
        came = sum(1 for a in attendance if a.attended)
        audit(
            by=by,
            verb=AuditVerb.CHANGED,
            obj=meeting,
            about=plan.child,
            reason=f"Core group meeting recorded: {came} of {len(attendance)} members came",
        )
        if early_review.requested:
            _bring_review_forward(meeting, early_review, by=by, today=today, calendar=calendar)
    return meeting


def _bring_review_forward(
    meeting: CoreGroupMeeting,
    early_review: EarlyReview,
    *,
    by: Actor,
    today: date,
    calendar: Calendar,
) -> ReviewBroughtForward:
    due = early_review_due(meeting_date=meeting.date, asked_for=early_review.due, calendar=calendar)
    brought = ReviewBroughtForward.objects.create(
        plan=meeting.plan,
        reason=BroughtForwardReason.CORE_GROUP_REQUEST,
        details=early_review.reason.strip(),
        due=due,
        recorded_on=today,
        recorded_by=by.user,
    )
    audit(
        by=by,
        verb=AuditVerb.CREATED,
        obj=brought,
        about=meeting.plan.child,
        reason=f"The core group asked for the review conference by {due:%-d %B %Y}",
    )
    return brought


# Dissent at a core group meeting (London CP4 §11.2) -------------------------------------------


def core_group_dissent_add(
    *,
    meeting: CoreGroupMeeting,
    group: str,
    agency: Agency | None,
    name: str,
    reasons: str,
    by: Actor,
    today: date,
) -> Dissent:
    """An agency (or the family) disagrees with what the core group decided. It escalates
    through the same stages as dissent at a conference, from the conference that made or last
    reviewed the plan (its chair holds the first stage)."""
    from convene.conferences.decision.services import dissent_add
    from convene.conferences.enums import ChildOutcome, ConferenceStatus, ParticipantGroup
    from convene.conferences.models import ConferenceChild

    if meeting.status != MeetingStatus.HELD:
        raise ServiceError("Dissent is recorded about a core group meeting once it is recorded")
    if group not in ParticipantGroup.values:
        raise ServiceError("Select who disagrees", field="group")
    plan = meeting.plan
    decision = (
        ConferenceChild.objects.filter(
            child=plan.child,
            conference__status=ConferenceStatus.HELD,
            conference__date__gte=plan.start_date,
            outcome__in=[ChildOutcome.CP_PLAN, ChildOutcome.CONTINUE_PLAN],
        )
        .select_related("conference__chair__team__manager", "child")
        .order_by("-conference__date", "-pk")
        .first()
    )
    if decision is None:
        raise ServiceError(
            "This plan was not made or reviewed at a conference recorded here, so there is no "
            "chair to escalate the dissent to. Follow the escalation protocol outside Convene"
        )
    return dissent_add(
        subject=decision,
        group=ParticipantGroup(group),
        agency=agency,
        name=name,
        reasons=reasons,
        by=by,
        today=today,
        core_group_meeting=meeting,
    )
