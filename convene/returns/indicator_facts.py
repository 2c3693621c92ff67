"""What the national indicators keep stored, so the database counts them with plain comparisons
(issue 16 item 2, decision 0032):

- each plan's `reviews_on_time_until`: the last reference date at which the plan counts as
  reviewed on time (`indicators.reviews_on_time_until`, from its start and its reviews), and
  `later_plan`: whether the child had a plan before it (`plans.rules.previous_plan_count`);
- each section 47 enquiry's `icpc_indicator_due`: the last day for the initial conference to
  be within 15 working days of the strategy discussion (`indicators.icpc_due`, on the
  authority's calendar: its nation's bank holidays and its closure days), copied to each
  child's place at a conference that follows the enquiry.

They are worked out here, by the definitions' own functions, and written only where they
changed. The services that change an input call these in their own transaction: a plan
started or reviewed (`conferences.decision.services`), a strategy discussion recorded or a
conference arranged (`conferences.convening.services`), a closure day added or removed or
the nation changed (`authority.services`); the SSD import rebuilds at its end.
`manage.py indicator_facts` rebuilds everything (after a release that changes the bank
holidays) or, with `--check`, counts the rows out of step. `test_indicator_queries.py`
proves the counts from these equal the Python reference after each of those changes.

The functions take the querysets to read, so the data migration that first fills the
columns can pass its historical models.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import Q, QuerySet

from convene.authority.selectors import authority_procedures
from convene.conferences.models import ConferenceChild
from convene.plans.models import Plan, PlanReview
from convene.plans.rules import PlanFacts, previous_plan_count
from convene.referrals.models import Section47Enquiry
from convene.timescales import Calendar, OutOfRange

from .indicators import icpc_due, reviews_on_time_until

# What `plans.rules.PlanFacts` holds, in its order.
FACTS = ("start_date", "end_date", "previous_plans_elsewhere", "other_authority")
# Rows read at a time, and ids in one UPDATE: memory stays flat however long the history.
CHUNK = 5000


@dataclass(frozen=True)
class Refreshed:
    """How many rows' stored values were out of step (and, unless checking, were put right)."""

    plans: int = 0
    enquiries: int = 0
    conference_children: int = 0


def _chunks(rows: Iterable[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _write(queryset: QuerySet[Any], field: str, changes: dict[Any, list[int]]) -> None:
    """Store the changed values: on PostgreSQL one UPDATE from arrays for each CHUNK rows (a
    whole rebuild at 100,000 children is a few dozen statements); elsewhere one UPDATE per
    distinct value (a few thousand days at most, each by primary key)."""
    model = queryset.model
    if connection.vendor != "postgresql":
        for value, ids in changes.items():
            for part in _chunks(ids):
                model._default_manager.filter(pk__in=part).update(**{field: value})
        return
    quote = connection.ops.quote_name
    column = model._meta.get_field(field)
    table, key, name = (
        quote(model._meta.db_table),
        quote(model._meta.pk.column),
        quote(column.column),
    )
    # Names from the model, never from input.
    sql = (
        f"UPDATE {table} SET {name} = new.value "  # noqa: S608  # nosec B608 (names from the model)
        f"FROM unnest(%s::bigint[], %s::{column.db_type(connection)}[]) AS new(id, value) "
        f"WHERE {table}.{key} = new.id"
    )
    pairs = ((pk_value, value) for value, ids in changes.items() for pk_value in ids)
    with connection.cursor() as cursor:
        for part in _chunks(pairs):
            cursor.execute(sql, [[i for i, _ in part], [v for _, v in part]])


def plans_refresh(
    plans: QuerySet[Any] | None = None,
    *,
    reviews: QuerySet[Any] | None = None,
    write: bool = True,
) -> int:
    """Work out, for these plans (all when None), `reviews_on_time_until` from the start and
    every review held, and `later_plan` from every plan of the child; store them where they
    changed. The number of plans out of step."""
    plans = Plan.objects.all() if plans is None else plans
    reviews = PlanReview.objects.all() if reviews is None else reviews
    everyone = plans.model._default_manager
    until: dict[date | None, list[int]] = defaultdict(list)
    later: dict[bool, list[int]] = defaultdict(list)
    rows = (
        plans.order_by("pk")
        .values_list("pk", "child_id", "start_date", "reviews_on_time_until", "later_plan")
        .iterator(chunk_size=CHUNK)
    )
    for chunk in _chunks(rows):
        held: dict[int, list[date]] = defaultdict(list)
        for plan_id, day in reviews.filter(plan_id__in=[row[0] for row in chunk]).values_list(
            "plan_id", "date"
        ):
            held[plan_id].append(day)
        history: dict[int, list[PlanFacts]] = defaultdict(list)
        own: dict[int, PlanFacts] = {}
        for pk, child, begun, ended, elsewhere, other in everyone.filter(
            child_id__in={row[1] for row in chunk}
        ).values_list(
            "pk",
            "child_id",
            "start_date",
            "end_date",
            "previous_plans_elsewhere",
            "other_authority",
        ):
            own[pk] = PlanFacts(begun, ended, elsewhere, other)
            history[child].append(own[pk])
        for pk, child, start, stored_until, stored_later in chunk:
            wanted_until = reviews_on_time_until(start, held[pk])
            wanted_later = previous_plan_count(own[pk], history[child]) > 0
            if (wanted_until, wanted_later) != (stored_until, stored_later):
                until[wanted_until].append(pk)
                later[wanted_later].append(pk)
    if write:
        _write(plans, "reviews_on_time_until", until)
        _write(plans, "later_plan", later)
    return sum(len(ids) for ids in later.values())


def plan_refresh(plan: Plan | int) -> None:
    """After a plan starts or a review is recorded: the stored facts of the child's plans."""
    pk = plan if isinstance(plan, int) else plan.pk
    plans_refresh(Plan.objects.filter(child__plans=pk))


def enquiries_refresh(
    enquiries: QuerySet[Any] | None = None,
    *,
    calendar: Calendar | None = None,
    write: bool = True,
) -> int:
    """Work out `icpc_indicator_due` for these enquiries (all when None) on the authority's
    calendar, each strategy discussion date once, and store it where it changed. None for a
    date outside the calendar (no conference can be counted on time). The number out of
    step."""
    enquiries = Section47Enquiry.objects.all() if enquiries is None else enquiries
    calendar = authority_procedures().calendar if calendar is None else calendar
    known: dict[date, date | None] = {}
    changes: dict[date | None, list[int]] = defaultdict(list)
    for pk, strategy, stored in (
        enquiries.order_by()
        .values_list("pk", "strategy_discussion_date", "icpc_indicator_due")
        .iterator(chunk_size=CHUNK)
    ):
        if strategy not in known:
            try:
                known[strategy] = icpc_due(strategy, calendar)
            except OutOfRange:
                known[strategy] = None
        if known[strategy] != stored:
            changes[known[strategy]].append(pk)
    if write:
        _write(enquiries, "icpc_indicator_due", changes)
        # Each conference child keeps a copy of its enquiry's.
        moved = [pk for ids in changes.values() for pk in ids]
        for part in _chunks(moved):
            conference_children_refresh(ConferenceChild.objects.filter(enquiry_id__in=part))
    return sum(len(ids) for ids in changes.values())


def conference_children_refresh(
    children: QuerySet[Any] | None = None, *, write: bool = True
) -> int:
    """Copy each conference child's enquiry's `icpc_indicator_due` (None without an enquiry)
    where it differs: after a conference is arranged, an import, or an enquiry's change. The
    number out of step."""
    children = ConferenceChild.objects.all() if children is None else children
    changes: dict[date | None, list[int]] = defaultdict(list)
    for pk, stored, wanted in (
        children.order_by()
        .values_list("pk", "icpc_indicator_due", "enquiry__icpc_indicator_due")
        .iterator(chunk_size=CHUNK)
    ):
        if stored != wanted:
            changes[wanted].append(pk)
    if write:
        _write(children, "icpc_indicator_due", changes)
    return sum(len(ids) for ids in changes.values())


def enquiries_refresh_around(day: date) -> int:
    """After `day` became a closure day or stopped being one: the enquiries whose due date it
    can move, those with the strategy discussion before it and the due date on or after it
    (15 working days after the discussion do not reach a day after the due date)."""
    return enquiries_refresh(
        Section47Enquiry.objects.filter(
            Q(icpc_indicator_due__isnull=True) | Q(icpc_indicator_due__gte=day),
            strategy_discussion_date__lt=day,
        )
    )


def indicator_facts_refresh(*, write: bool = True) -> Refreshed:
    """Every plan and every enquiry: after an import, or a release that changes the bank
    holidays. With `write=False`, only counts what is out of step."""
    return Refreshed(
        plans=plans_refresh(write=write),
        enquiries=enquiries_refresh(write=write),
        conference_children=conference_children_refresh(write=write),
    )
