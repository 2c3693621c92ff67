"""Ofsted Annex A, lists 5 and 7: the child protection lists inspectors ask for, as a workbook.

Columns, their order and the coded values ("a) Male", "b) No") follow the Annex A
specification as Social Finance's liiatools and the data-to-insight SSD queries map it
(../shared/standards/annex-a.md). Dates are real Excel dates shown DD/MM/YYYY.

Written as it is read (issue 16, decision 0027): each list's rows are read CHUNK at a time,
and what they need besides as tuples once a batch (five queries a batch for List 5, four for
List 7: nine in all for most authorities); each row goes straight into the workbook's zip
file (`convene.returns.xlsx`), so memory stays flat however many rows there are. The last
visit and the latest review of each plan, and which plan of a child is listed, are worked
out by the database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, NamedTuple

from django.db.models import (
    Case,
    DateField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from convene.conferences.enums import INITIAL_TYPES, ChildOutcome, ConferenceStatus
from convene.conferences.models import ConferenceChild
from convene.people.enums import DisabilityCode, Ethnicity, Sex
from convene.people.models import Child, Disability
from convene.plans.enums import Category
from convene.plans.models import Plan, PlanReview, Visit, plan_facts
from convene.plans.rules import PlanFacts, previous_plan_count
from convene.referrals.models import Section47Enquiry
from convene.timescales.rules import add_months

from .batches import among, batches
from .xlsx import StreamedWorkbook

Cell = str | int | date | None

COMMON_COLUMNS = [
    "Child Unique ID",
    "Gender",
    "Ethnicity",
    "Date of Birth",
    "Age of Child (Years)",
    "Does the Child have a Disability",
]
LIST_5_COLUMNS = [
    *COMMON_COLUMNS,
    "Strategy discussion initiating Section 47 Enquiry Start Date",
    "Was an Initial Child Protection Conference deemed unnecessary?",
    "Date of Initial Child Protection Conference",
    "Did the Initial Child Protection Conference Result in a Child Protection Plan",
    "Number of Section 47 Enquiries in the last 12 months",
    "Number of ICPCs in the last 12 months",
    "Allocated Team",
    "Allocated Worker",
]
LIST_7_COLUMNS = [
    *COMMON_COLUMNS,
    "Child Protection Plan Start Date",
    "Initial Category of Abuse",
    "Latest Category of Abuse",
    "Date of the Last Statutory Visit",
    "Was the Child Seen Alone?",
    "Date of latest review conference",
    "Child Protection Plan End Date",
    "Subject to Emergency Protection Order or Protected Under Police Powers in Last Six "
    "Months (Y/N)",
    "Number of Previous Child Protection Plans",
    "Allocated Team",
    "Allocated Worker",
]
LIST_5_SHEET = "List 5"
LIST_7_SHEET = "List 7"

# Annex A's coded values. Its letters are not the DfE code order, so each is spelt out.
GENDER = {
    Sex.MALE: "a) Male",
    Sex.FEMALE: "b) Female",
    Sex.UNKNOWN: "c) Not stated/recorded",
}
_ETHNICITY_ORDER = [
    Ethnicity.WBRI,
    Ethnicity.WIRI,
    Ethnicity.WIRT,
    Ethnicity.WOTH,
    Ethnicity.WROM,
    Ethnicity.MWBC,
    Ethnicity.MWBA,
    Ethnicity.MWAS,
    Ethnicity.MOTH,
    Ethnicity.AIND,
    Ethnicity.APKN,
    Ethnicity.ABAN,
    Ethnicity.AOTH,
    Ethnicity.BCRB,
    Ethnicity.BAFR,
    Ethnicity.BOTH,
    Ethnicity.CHNE,
    Ethnicity.OOTH,
    Ethnicity.REFU,
    Ethnicity.NOBT,
]
ETHNICITY = {code: f"{chr(ord('a') + i)}) {code.value}" for i, code in enumerate(_ETHNICITY_ORDER)}
ETHNICITY_UNKNOWN = "u) UNKNOWN"
# As shared/standards/annex-a.md writes them. (data-to-insight's SSD queries letter sexual
# abuse c) and emotional abuse d); the standard is the project's reference until it changes.)
CATEGORY = {
    Category.NEGLECT: "a) Neglect",
    Category.PHYSICAL: "b) Physical abuse",
    Category.EMOTIONAL: "c) Emotional abuse",
    Category.SEXUAL: "d) Sexual abuse",
    Category.MULTIPLE: "e) Multiple/not recommended",
}
YES = "a) Yes"
NO = "b) No"
UNKNOWN = "c) Unknown"
# Annex A asks for the age of an unborn child as -1.
UNBORN_AGE = -1
# Rows read at a time, with what they need: memory holds one batch, whatever the authority's size.
CHUNK = 1000


# Values --------------------------------------------------------------------------------

# The codes, as sets (`Sex.values` makes a new list each time it is asked).
_SEXES = frozenset(Sex.values)
_ETHNICITIES = frozenset(Ethnicity.values)
_CATEGORIES = frozenset(Category.values)


def yes_no(value: bool | None) -> str | None:
    if value is None:
        return None
    return YES if value else NO


def gender_value(sex: str) -> str:
    return GENDER[Sex(sex)] if sex in _SEXES else GENDER[Sex.UNKNOWN]


def ethnicity_value(code: str) -> str:
    return ETHNICITY[Ethnicity(code)] if code in _ETHNICITIES else ETHNICITY_UNKNOWN


def category_value(code: str) -> str | None:
    return CATEGORY[Category(code)] if code in _CATEGORIES else None


def age_in_years(child: Child, as_of: date) -> int:
    age = child.age_on(as_of)
    return UNBORN_AGE if age is None else age


def has_disability(codes: Iterable[str]) -> bool:
    """Whether any of the child's disability codes is a disability ("NONE" is not)."""
    return any(code != DisabilityCode.NONE for code in codes)


def _common(child: Child, as_of: date, disabilities: dict[int, list[str]]) -> list[Cell]:
    return [
        child.la_child_id,
        gender_value(child.sex),
        ethnicity_value(child.ethnicity),
        child.date_of_birth,
        age_in_years(child, as_of),
        yes_no(has_disability(disabilities.get(child.pk, []))),
    ]


def _disabilities(child_ids: Iterable[int]) -> dict[int, list[str]]:
    """Each child's disability codes. One query."""
    found: dict[int, list[str]] = defaultdict(list)
    for child_id, code in (
        Disability.objects.filter(among("child_id", child_ids))
        .order_by()
        .values_list("child_id", "code")
    ):
        found[child_id].append(code)
    return found


# The team and worker a section 47 enquiry recorded.
Recorded = tuple[str, str]


def _allocation(child: Child, recorded: Recorded | None) -> list[Cell]:
    """The child's social worker and their team; what the enquiry recorded where Convene has
    no allocation."""
    worker = child.social_worker
    team_name = worker.team.name if worker is not None and worker.team is not None else ""
    worker_name = worker.get_full_name() if worker is not None else ""
    if recorded is not None:
        team_name = team_name or recorded[0]
        worker_name = worker_name or recorded[1]
    return [team_name or None, worker_name or None]


# List 5 --------------------------------------------------------------------------------


def enquiries_before_latest(enquiries: Sequence[tuple[int, date]]) -> int:
    """Annex A: "section 47 enquiries the child has been the subject of within the 12 months
    prior to their latest section 47 enquiry". `enquiries` are one child's (id, strategy
    discussion date) up to the as-of date; the latest one is not counted."""
    latest_id, latest = max(enquiries, key=lambda e: (e[1], e[0]))
    since = add_months(latest, -12)
    return sum(1 for pk, day in enquiries if pk != latest_id and since <= day <= latest)


def icpcs_before(latest_enquiry: date, icpc_dates: Iterable[date]) -> int:
    """Annex A: "initial child protection conferences the child has been the subject of in the
    12 months before their latest section 47 enquiry"."""
    since = add_months(latest_enquiry, -12)
    return sum(1 for day in icpc_dates if since <= day < latest_enquiry)


@dataclass(frozen=True)
class _Counts:
    enquiries: dict[int, int]
    icpcs: dict[int, int]


def _list_5_counts(child_ids: Iterable[int], as_of: date) -> _Counts:
    """Both counts for each child. Two queries. A child on the list has an enquiry in the six
    months before the as-of date, so 18 months of history is enough."""
    since = add_months(as_of, -18)
    by_child: dict[int, list[tuple[int, date]]] = defaultdict(list)
    child_ids = list(child_ids)
    for child_id, pk, day in (
        Section47Enquiry.objects.filter(
            among("child_id", child_ids), strategy_discussion_date__range=(since, as_of)
        )
        .order_by()
        .values_list("child_id", "pk", "strategy_discussion_date")
    ):
        by_child[child_id].append((pk, day))
    icpc_dates: dict[int, list[date]] = defaultdict(list)
    for child_id, held_on in (
        ConferenceChild.objects.filter(
            among("child_id", child_ids),
            conference__type__in=INITIAL_TYPES,
            conference__status=ConferenceStatus.HELD,
            conference__date__range=(since, as_of),
        )
        .order_by()
        .values_list("child_id", "conference__date")
    ):
        if held_on is not None:  # always, for a held conference: this says so to mypy
            icpc_dates[child_id].append(held_on)
    latest = {child_id: max(day for _, day in found) for child_id, found in by_child.items()}
    return _Counts(
        enquiries={child_id: enquiries_before_latest(f) for child_id, f in by_child.items()},
        icpcs={c: icpcs_before(latest[c], icpc_dates[c]) for c in by_child},
    )


def _list_5_enquiries(as_of: date) -> QuerySet[Section47Enquiry]:
    return (
        Section47Enquiry.objects.filter(
            strategy_discussion_date__range=(add_months(as_of, -6), as_of)
        )
        .select_related("child", "child__social_worker", "child__social_worker__team")
        .order_by("strategy_discussion_date", "child__la_child_id", "pk")
    )


class _Held(NamedTuple):
    """A child at a held conference after a section 47 enquiry."""

    enquiry_id: int
    conference__date: date
    conference__type: str
    outcome: str


def _held(enquiry_ids: Iterable[int], as_of: date) -> dict[int, list[_Held]]:
    """Each enquiry's held conferences up to the as-of date, by date. One query."""
    found: dict[int, list[_Held]] = defaultdict(list)
    for row in (
        ConferenceChild.objects.filter(
            among("enquiry_id", enquiry_ids),
            conference__status=ConferenceStatus.HELD,
            conference__date__lte=as_of,
        )
        .order_by("conference__date", "child__last_name")
        .values_list(*_Held._fields)
    ):
        held = _Held._make(row)
        found[held.enquiry_id].append(held)
    return found


def _plan_decided(held: Sequence[_Held]) -> bool | None:
    """Did the conference(s) after the enquiry decide on a plan? None while undecided."""
    decided = [c.outcome for c in held if c.outcome and c.outcome != ChildOutcome.DEFERRED]
    if not decided:
        return None
    return ChildOutcome.CP_PLAN in decided


def _list_5_row(
    enquiry: Section47Enquiry,
    as_of: date,
    counts: _Counts,
    held: list[_Held],
    disabilities: dict[int, list[str]],
) -> list[Cell]:
    icpc = next((c for c in held if c.conference__type in INITIAL_TYPES), None)
    # Unnecessary: the enquiry said so; not: a conference was held or the enquiry ended
    # without saying so; blank while the enquiry is still open and undecided.
    if enquiry.conference_not_required:
        unnecessary: bool | None = True
    elif icpc is not None or (enquiry.end_date is not None and enquiry.end_date <= as_of):
        unnecessary = False
    else:
        unnecessary = None
    child = enquiry.child
    return [
        *_common(child, as_of, disabilities),
        enquiry.strategy_discussion_date,
        yes_no(unnecessary),
        icpc.conference__date if icpc is not None else None,
        yes_no(_plan_decided(held)),
        counts.enquiries[child.pk],
        counts.icpcs[child.pk],
        *_allocation(child, (enquiry.team, enquiry.worker)),
    ]


def list_5_rows(as_of: date) -> Iterator[list[Cell]]:
    """Section 47 enquiries whose strategy discussion was in the six months up to the as-of
    date, one row per enquiry, read CHUNK at a time. Five queries a batch."""
    enquiries = _list_5_enquiries(as_of).iterator(chunk_size=CHUNK)
    for batch in batches(enquiries, CHUNK):
        child_ids = {e.child_id for e in batch}
        counts = _list_5_counts(child_ids, as_of)
        held = _held([e.pk for e in batch], as_of)
        disabilities = _disabilities(child_ids)
        for enquiry in batch:
            yield _list_5_row(enquiry, as_of, counts, held.get(enquiry.pk, []), disabilities)


# List 7 --------------------------------------------------------------------------------


def _list_7_plans(as_of: date) -> QuerySet[Plan]:
    """The latest plan of each child on a plan at the as-of date or whose plan ended in the
    six months before it, in order of start and then the child's ID. Plans another authority
    held are theirs to list. The latest is the one with no later plan of the child (by start,
    then by id) on the list; each plan comes with its last statutory visit and its latest
    review up to the as-of date, worked out by the database."""
    listed = Q(start_date__lte=as_of, other_authority=False) & (
        Q(end_date__isnull=True) | Q(end_date__gte=add_months(as_of, -6))
    )
    later = Plan.objects.filter(listed, child_id=OuterRef("child_id")).filter(
        Q(start_date__gt=OuterRef("start_date"))
        | Q(start_date=OuterRef("start_date"), pk__gt=OuterRef("pk"))
    )
    # The last statutory visit while the plan was open, up to the as-of date: a visit of
    # the plan, or a visit of the child recorded with no plan between its start and end.
    visits = (
        Visit.objects.filter(child_id=OuterRef("child_id"), date__lte=as_of)
        .filter(
            Q(plan_id=OuterRef("pk"))
            | Q(
                plan_id__isnull=True,
                date__gte=OuterRef("start_date"),
                date__lte=OuterRef("visits_until"),
            )
        )
        .order_by("-date", "-pk")
    )
    reviews = PlanReview.objects.filter(plan_id=OuterRef("pk"), date__lte=as_of).order_by("-date")
    return (
        Plan.objects.filter(listed)
        .filter(~Exists(later))
        .annotate(
            visits_until=Case(
                When(end_date__lt=as_of, then=F("end_date")),
                default=Value(as_of),
                output_field=DateField(),
            ),
            last_visit_on=Subquery(visits.values("date")[:1]),
            last_visit_seen_alone=Subquery(visits.values("seen_alone")[:1]),
            last_review_on=Subquery(reviews.values("date")[:1]),
        )
        .select_related("child", "child__social_worker", "child__social_worker__team")
        .order_by("start_date", "child__la_child_id")
    )


@dataclass(frozen=True)
class _Children:
    """What List 7 needs of a batch's children, by the child's id. Three queries."""

    disabilities: dict[int, list[str]]
    plans: dict[int, list[PlanFacts]]  # every plan, here or elsewhere
    recorded: dict[int, Recorded]  # the latest enquiry's team and worker, by the as-of date

    @classmethod
    def of(cls, child_ids: list[int], as_of: date) -> _Children:
        plans: dict[int, list[PlanFacts]] = defaultdict(list)
        for child_id, started, ended, elsewhere, other in (
            Plan.objects.filter(among("child_id", child_ids))
            .order_by()
            .values_list(
                "child_id",
                "start_date",
                "end_date",
                "previous_plans_elsewhere",
                "other_authority",
            )
        ):
            plans[child_id].append(PlanFacts(started, ended, elsewhere, other))
        # The latest enquiry (of the latest day's, the first recorded, as `max` found it
        # among enquiries in date order).
        recorded: dict[int, Recorded] = {}
        for child_id, team, worker in (
            Section47Enquiry.objects.filter(
                among("child_id", child_ids), strategy_discussion_date__lte=as_of
            )
            .order_by("-strategy_discussion_date", "pk")
            .values_list("child_id", "team", "worker")
        ):
            recorded.setdefault(child_id, (team, worker))
        return cls(_disabilities(child_ids), plans, recorded)


def _list_7_row(plan: Plan, as_of: date, children: _Children) -> list[Cell]:
    child = plan.child
    visited: date | None = plan.last_visit_on  # type: ignore[attr-defined]
    seen_alone = None
    if visited is not None:
        alone: bool | None = plan.last_visit_seen_alone  # type: ignore[attr-defined]
        seen_alone = UNKNOWN if alone is None else yes_no(alone)
    ended = plan.end_date if plan.end_date is not None and plan.end_date <= as_of else None
    return [
        *_common(child, as_of, children.disabilities),
        plan.start_date,
        category_value(plan.initial_category),
        category_value(plan.latest_category),
        visited,
        seen_alone,
        plan.last_review_on,  # type: ignore[attr-defined]
        ended,
        # Convene does not record emergency protection orders or police protection yet:
        # left blank rather than guessed.
        None,
        previous_plan_count(plan_facts(plan), children.plans[child.pk]),
        *_allocation(child, children.recorded.get(child.pk)),
    ]


def list_7_rows(as_of: date) -> Iterator[list[Cell]]:
    """One row per child on a plan at the as-of date or whose plan ended in the six months
    before it, read CHUNK at a time. Four queries a batch."""
    for batch in batches(_list_7_plans(as_of).iterator(chunk_size=CHUNK), CHUNK):
        children = _Children.of([plan.child_id for plan in batch], as_of)
        for plan in batch:
            yield _list_7_row(plan, as_of, children)


# The workbook --------------------------------------------------------------------------


def _widths(columns: Sequence[str]) -> list[int]:
    # Wide enough for a date or a team name; long headers wrap rather than widen.
    return [min(max(len(header), 14), 32) for header in columns]


def export_annex_a(as_of: date, output: Path | IO[bytes]) -> tuple[int, int]:
    """Write lists 5 and 7 as at `as_of` to `output`, a row at a time; how many rows each
    has. Dates are real Excel dates shown DD/MM/YYYY; the heading row is bold, wrapped,
    frozen and filtered (`convene.returns.xlsx`)."""
    with StreamedWorkbook(output) as book:
        list_5 = book.add_sheet(
            LIST_5_SHEET, LIST_5_COLUMNS, _widths(LIST_5_COLUMNS), list_5_rows(as_of)
        )
        list_7 = book.add_sheet(
            LIST_7_SHEET, LIST_7_COLUMNS, _widths(LIST_7_COLUMNS), list_7_rows(as_of)
        )
    return list_5, list_7
