"""A local measure beside the national indicators: core group meetings on time (Cornwall C:123;
London CP4 §14.3), for the plans whose core groups Convene keeps.

Each plan has a run of core group meetings due: the first within the profile's
`core_group_first` of the plan's start (10 working days), each later one within its
`core_group_next` of the one before (6 weeks), while the plan is open. A meeting due in the
year counts once: on time if the next meeting was held by its due date; late if it was held
after it, or not held at all by the reference date. Unlike the national indicators, the
amounts are the authority's own procedure profile.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from convene.plans.enums import MeetingStatus
from convene.plans.models import CoreGroupMeeting, Plan
from convene.timescales import Profile

from .years import ReportingYear


@dataclass(frozen=True)
class PlanCoreGroups:
    start: date
    end: date | None
    held: tuple[date, ...]  # the held meetings, soonest first


@dataclass(frozen=True)
class CoreGroupTimeliness:
    year: ReportingYear
    on: date
    due: int
    on_time: int

    @property
    def late(self) -> int:
        return self.due - self.on_time

    @property
    def percent(self) -> int | None:
        return round(100 * self.on_time / self.due) if self.due else None


def meetings_due(
    plan: PlanCoreGroups, *, start: date, on: date, profile: Profile
) -> list[tuple[date, bool]]:
    """(due date, on time) for each meeting of the plan due from `start` to `on`."""
    first, later = profile.timescale("core_group_first"), profile.timescale("core_group_next")
    found = []
    due = first.due(plan.start)
    held = list(plan.held)
    while due <= on and (plan.end is None or due < plan.end):
        # The next meeting after the last one counted, whenever it was.
        nxt = held.pop(0) if held else None
        if due >= start:
            found.append((due, nxt is not None and nxt <= due))
        if nxt is None:
            break
        due = later.due(nxt)
    return found


def core_group_timeliness(
    plans: Iterable[PlanCoreGroups], *, year: ReportingYear, on: date, profile: Profile
) -> CoreGroupTimeliness:
    counted = [
        on_time
        for plan in plans
        for _, on_time in meetings_due(plan, start=year.start, on=on, profile=profile)
    ]
    return CoreGroupTimeliness(year=year, on=on, due=len(counted), on_time=sum(counted))


def core_group_facts(*, start: date, on: date) -> list[PlanCoreGroups]:
    """The plans open from `start` to `on` whose core groups Convene keeps (started by one of
    its conferences, or with a meeting recorded), with their held meetings. Two queries."""
    in_period = Q(start_date__lte=on) & (Q(end_date__isnull=True) | Q(end_date__gte=start))
    # A subquery the database works out once, not a join that needs DISTINCT (issue 16).
    met = CoreGroupMeeting.objects.filter(status=MeetingStatus.HELD).values("plan_id")
    kept = Q(started_by__isnull=False, ssd_plan_id__isnull=True) | Q(pk__in=met)
    kept_plans = Plan.objects.filter(in_period, kept, other_authority=False)
    plans = list(kept_plans.values_list("pk", "start_date", "end_date"))
    held: dict[int, list[date]] = defaultdict(list)
    for plan_id, day in (
        CoreGroupMeeting.objects.filter(
            plan__in=kept_plans.values("pk"), status=MeetingStatus.HELD, date__lte=on
        )
        .order_by("date")
        .values_list("plan_id", "date")
    ):
        held[plan_id].append(day)
    return [PlanCoreGroups(begun, ended, tuple(held[pk])) for pk, begun, ended in plans]
