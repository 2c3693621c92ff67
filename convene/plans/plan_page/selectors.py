"""Reads for the plan page and the family's copy: a constant number of queries however many
objectives, actions, members and meetings the plan has."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q

from convene.authority.selectors import authority_procedures
from convene.people.models import Child
from convene.plans.core_groups.rules import MEETING, MeetingAction
from convene.plans.enums import MeetingStatus
from convene.plans.models import (
    Action,
    CoreGroupMeeting,
    CoreGroupMember,
    Objective,
    Plan,
    ReviewBroughtForward,
)
from convene.returns.deadlines import Deadline, DeadlineKind, deadlines_as_of

from .rules import STATUS_TAG, PlanState, action_overdue, plain_category, plan_state, sudi_applies


@dataclass(frozen=True)
class ActionRow:
    action: Action
    overdue: bool
    # The objective's number on the page (1, 2, …), or None when it serves none in particular.
    objective_number: int | None

    @property
    def tag(self) -> str:
        return STATUS_TAG[self.action.status]


@dataclass(frozen=True)
class MeetingRow:
    meeting: CoreGroupMeeting
    came: int
    invited: int
    # Its day has come, and its record is still to be written.
    to_record: bool = False

    @property
    def tag(self) -> str:
        return STATUS_TAG[self.meeting.status]


@dataclass
class ObjectiveGroup:
    """An objective with the actions that serve it (the family's copy reads this way)."""

    number: int | None
    objective: Objective | None
    actions: list[ActionRow] = field(default_factory=list)


@dataclass(frozen=True)
class PlanPage:
    plan: Plan
    state: PlanState
    objectives: list[Objective]
    actions: list[ActionRow]
    members: list[CoreGroupMember]  # in the core group now
    former_members: list[CoreGroupMember]
    meetings: list[MeetingRow]  # newest first
    brought_forward: list[ReviewBroughtForward]
    deadlines: list[Deadline]
    sudi: bool  # the safer-sleeping discussion belongs in this plan
    today: date

    @property
    def is_open(self) -> bool:
        return self.state == PlanState.OPEN

    @property
    def overdue(self) -> list[ActionRow]:
        return [row for row in self.actions if row.overdue]

    @property
    def next_meeting(self) -> CoreGroupMeeting | None:
        """The soonest meeting still to come, today or later."""
        to_come = [
            r.meeting
            for r in self.meetings
            if r.meeting.status == MeetingStatus.SCHEDULED and r.meeting.date >= self.today
        ]
        return to_come[-1] if to_come else None

    @property
    def last_meeting(self) -> CoreGroupMeeting | None:
        held = [r.meeting for r in self.meetings if r.meeting.status == MeetingStatus.HELD]
        return held[0] if held else None

    @property
    def plain_category(self) -> str:
        return plain_category(self.plan.latest_category)

    @property
    def review_deadlines(self) -> list[Deadline]:
        """The next review conference (and any early review) due for the child."""
        kinds = {DeadlineKind.FIRST_REVIEW, DeadlineKind.NEXT_REVIEW, DeadlineKind.EARLY_REVIEW}
        return [d for d in self.deadlines if d.kind in kinds]

    def by_objective(self) -> list[ObjectiveGroup]:
        groups = {o.pk: ObjectiveGroup(n, o) for n, o in enumerate(self.objectives, 1)}
        others = ObjectiveGroup(None, None)
        for row in self.actions:
            groups.get(row.action.objective_id or 0, others).actions.append(row)
        return [*groups.values(), *([others] if others.actions else [])]


def plan_page(plan: Plan, *, today: date) -> PlanPage:
    """Everything the plan page shows. Five queries for the plan's own records, and the
    deadline code's own (a constant number) while the plan is open."""
    state = plan_state(end_date=plan.end_date, other_authority=plan.other_authority)
    objectives = list(plan.objectives.all())
    numbers = {o.pk: n for n, o in enumerate(objectives, 1)}
    actions = [
        ActionRow(
            action=action,
            overdue=state == PlanState.OPEN
            and action_overdue(due=action.due, status=action.status, today=today),
            objective_number=numbers.get(action.objective_id or 0),
        )
        for action in plan.actions.select_related("owner", "owner__agency")
    ]
    members: list[CoreGroupMember] = []
    former: list[CoreGroupMember] = []
    for member in plan.core_group.select_related("agency").order_by("left_on", "kind", "name"):
        (members if member.left_on is None or member.left_on > today else former).append(member)
    meetings = [
        MeetingRow(
            meeting=m,
            came=m.came,
            invited=m.invited,
            to_record=MEETING.allows(MeetingAction.RECORD, m.status) and m.date <= today,
        )
        for m in plan.core_group_meetings.annotate(
            came=Count("attendance", filter=Q(attendance__attended=True)),
            invited=Count("attendance"),
        ).order_by("-date")
    ]
    deadlines: list[Deadline] = []
    if state == PlanState.OPEN:
        deadlines = deadlines_as_of(
            as_of=today,
            procedures=authority_procedures(),
            children=Child.objects.filter(pk=plan.child_id),
        )
    child = plan.child
    return PlanPage(
        plan=plan,
        state=state,
        objectives=objectives,
        actions=actions,
        members=members,
        former_members=former,
        meetings=meetings,
        brought_forward=list(plan.brought_forward.all()),
        deadlines=deadlines,
        sudi=bool(plan.sudi_discussion)
        or sudi_applies(date_of_birth=child.date_of_birth, today=today),
        today=today,
    )


def current_members(plan: Plan, on: date) -> list[CoreGroupMember]:
    """The core group on a day: those who had not left by then. One query."""
    return list(
        plan.core_group.filter(Q(left_on__isnull=True) | Q(left_on__gt=on))
        .select_related("agency")
        .order_by("kind", "name")
    )
