"""Reads of open plans for people's home pages: each plan's next review and core group, its
overdue actions, whether it has lasted 2 years (London CP4 §1.22) and whether it is drifting.
A constant number of queries however many plans there are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet

from convene.access.models import User
from convene.conferences.models import Conference
from convene.people.models import Child
from convene.plans.enums import ActionStatus
from convene.plans.models import Action, Plan, Visit
from convene.returns.deadlines import Deadline, DeadlineKind, stored_deadlines
from convene.timescales import Profile

REVIEWS = frozenset({DeadlineKind.FIRST_REVIEW, DeadlineKind.NEXT_REVIEW, DeadlineKind.POST_BIRTH})
CORE_GROUPS = frozenset({DeadlineKind.CORE_GROUP_FIRST, DeadlineKind.CORE_GROUP_NEXT})
OPEN_ACTION = Q(actions__status__in=[ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS])


@dataclass(frozen=True)
class PlanRow:
    plan: Plan
    review: Deadline | None
    core_group: Deadline | None
    overdue_actions: int
    long: bool  # open 2 years or more (§1.22)

    @property
    def child(self) -> Child:
        return self.plan.child

    @property
    def drifting(self) -> bool:
        """Overdue actions, or a core group not held on time (Derbyshire D:19)."""
        return self.overdue_actions > 0 or bool(self.core_group and self.core_group.overdue)


def open_plans(plans: QuerySet[Plan], *, as_of: date, procedures: Profile) -> list[PlanRow]:
    """The open plans among `plans`, most urgent first (long plans of under-fives first among
    equals). Three queries."""
    plans = (
        plans.filter(end_date__isnull=True, other_authority=False, start_date__lte=as_of)
        .select_related("child", "lead_social_worker")
        .annotate(overdue_actions=Count("actions", filter=OPEN_ACTION & Q(actions__due__lt=as_of)))
    )
    loaded = list(plans)
    due = stored_deadlines(Child.objects.filter(plans__in=plans.values("pk")), as_of=as_of)
    long_after = procedures.timescale("long_plan_review")
    by_child: dict[tuple[int | None, str], Deadline] = {}
    for deadline in due:
        group = (
            "review" if deadline.kind in REVIEWS else "core" if deadline.kind in CORE_GROUPS else ""
        )
        key = (deadline.child_pk, group)
        if group and (key not in by_child or deadline.due < by_child[key].due):
            by_child[key] = deadline
    rows = [
        PlanRow(
            plan=plan,
            review=by_child.get((plan.child_id, "review")),
            core_group=by_child.get((plan.child_id, "core")),
            overdue_actions=plan.overdue_actions,
            long=long_after.due(plan.start_date) <= as_of,
        )
        for plan in loaded
    ]
    soonest = date.max
    return sorted(
        rows,
        key=lambda r: (
            not r.drifting,
            min(d.due for d in (r.review, r.core_group) if d)
            if (r.review or r.core_group)
            else soonest,
            r.child.la_child_id,
        ),
    )


def plans_led_by(user: User) -> QuerySet[Plan]:
    """Plans this person leads, or whose child is allocated to them."""
    led = Plan.objects.filter(lead_social_worker=user)
    allocated = Plan.objects.filter(child__social_worker=user)
    return _either(led, allocated)


def _either(first: QuerySet[Plan], second: QuerySet[Plan]) -> QuerySet[Plan]:
    """The plans in either set, each once: a union of keys, each set read through its own
    indexes. An OR across two joins made PostgreSQL read every plan (and, for the chair's, join
    every plan to every review: 300 ms at 100,000 children)."""
    keys = first.order_by().values("pk").union(second.order_by().values("pk"))
    return Plan.objects.filter(pk__in=keys)


def plans_of_team(manager: User) -> QuerySet[Plan]:
    return Plan.objects.filter(child__social_worker__team__manager=manager)


def plans_chaired_by(chair: User) -> QuerySet[Plan]:
    """Plans whose conferences this person chairs: the one that started it, or a review."""
    # Once each, however many of its reviews they chaired (and counts stay true).
    started = Plan.objects.filter(started_by__chair=chair)
    reviewed = Plan.objects.filter(reviews__attendance__conference__chair=chair)
    return _either(started, reviewed)


@dataclass
class PlanProgress:
    """For the social care report to a review conference (London CP4 §7.2, §7.5): progress
    against each action of the child's plan, and the statutory visits since the last
    conference, with whether the child was seen, and seen alone."""

    plan: Plan
    actions: list[Action]
    visits: list[Visit]
    since: date


def progress_for_review(conference: Conference) -> list[PlanProgress]:
    """Each subject child's plan open on the day of the review conference. Three queries."""
    if conference.date is None:
        return []
    day = conference.date
    plans = list(
        Plan.objects.filter(
            child__conferences__conference=conference,
            child__conferences__is_subject=True,
            other_authority=False,
            start_date__lt=day,
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .select_related("child")
        .prefetch_related("reviews")
        .order_by("child__date_of_birth", "pk")
    )
    found = {
        plan.pk: PlanProgress(  # since the last review before this one, or the plan's start
            plan=plan,
            actions=[],
            visits=[],
            since=max(
                [r.date for r in plan.reviews.all() if r.date < day], default=plan.start_date
            ),
        )
        for plan in plans
    }
    for action in Action.objects.filter(plan__in=plans).select_related("owner").order_by("due"):
        found[action.plan_id].actions.append(action)
    for visit in Visit.objects.filter(plan__in=plans, date__lte=day).order_by("date"):
        progress = found[visit.plan_id]  # type: ignore[index]
        if visit.date >= progress.since:
            progress.visits.append(visit)
    return list(found.values())


def actions_owned_by(user: User) -> list[Action]:
    """The open actions of open plans that this person owns as a core group member, soonest
    due first (an overdue one is chased on its owner's list). One query."""
    return list(
        Action.objects.filter(
            owner__professional__user=user,
            owner__left_on__isnull=True,
            status__in=[ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS],
            plan__end_date__isnull=True,
        )
        .select_related("plan", "plan__child")
        .order_by("due", "pk")
    )
