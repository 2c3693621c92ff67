"""The national child protection indicators counted by the database (issue 16, decisions 0029
and 0032).

`indicators.py` holds the definitions as pure functions on plain facts, and
`indicators_for_years` there loads every fact of a year and counts in Python: it stays as the
reference that the tests of the definitions exercise. This module counts the same numbers
with aggregate queries, for the performance page, its lists of children and the `kpis`
command, so that their cost does not grow with the history kept:

- the plan indicators of every year asked for are one aggregate query (`COUNT(*) FILTER
  (WHERE ...)`), the initial conferences another, so each table is read once; the month
  arithmetic of the national definitions is exact in SQL: "3 months after the start by the
  reference date" is a cut-off start date worked out once in Python, and "24 months or
  more" compares year*10000 + month*100 + day, the only clamping being 29 February;
- "reviewed on time", "second or later plan" and "within 15 working days" compare with values
  stored on each plan and each section 47 enquiry (decision 0032, `indicator_facts.py`): the
  last day the plan counts as reviewed on time, whether the child had a plan before, and the
  last day for the initial conference on the authority's calendar, worked out by the
  definitions' own functions when their inputs change.

`test_indicator_queries.py` proves these equal the Python reference on a varied data set,
after each service that changes a stored value.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count as CountOf
from django.db.models import F, Func, IntegerField, Q, QuerySet, Value
from django.db.models.expressions import Case, When

from convene.conferences.enums import INITIAL_TYPES, ConferenceStatus
from convene.conferences.models import ConferenceChild
from convene.plans.models import Plan
from convene.timescales.rules import add_months

from .indicators import (
    FIRST_REVIEW_MONTHS,
    Indicator,
    Side,
    child_population,
    percent,
    rate_per_10000,
)
from .years import ReportingYear

# Results: the numbers only --------------------------------------------------------------


@dataclass(frozen=True)
class Tally:
    """An indicator's numerator over its denominator, as numbers of things counted."""

    numerator: int
    denominator: int

    @property
    def percent(self) -> Decimal | None:
        return percent(self.numerator, self.denominator)

    def as_json(self) -> dict[str, int | float | None]:
        p = self.percent
        return {
            "numerator": self.numerator,
            "denominator": self.denominator,
            "percent": None if p is None else float(p),
        }


@dataclass(frozen=True)
class Total:
    """Children counted at the reference date, and the rate when the population is known."""

    count: int
    population: int | None = None

    @property
    def per_10000(self) -> Decimal | None:
        return rate_per_10000(self.count, self.population)

    def as_json(self) -> dict[str, int | float]:
        rate = self.per_10000
        return (
            {"count": self.count}
            if rate is None
            else {"count": self.count, "per_10000": float(rate)}
        )


@dataclass(frozen=True)
class Period:
    """A reporting year counted as at `on`: 31 March, or today for the year still running."""

    year: ReportingYear
    on: date

    @classmethod
    def of(cls, year: ReportingYear, *, today: date) -> Period:
        return cls(year, year.reference_date(today))

    @property
    def complete(self) -> bool:
        """Whether the year is over, so these are its final figures."""
        return self.on >= self.year.end


@dataclass(frozen=True)
class Figures(Period):
    """The five indicators for one reporting year, counted as at `on`."""

    icpc_within_15_working_days: Tally
    reviews_within_timescale: Tally
    second_or_subsequent_plans: Tally
    plans_ended_2_years_or_more: Tally
    children_on_plans: Total

    def get(self, indicator: Indicator) -> Tally | Total:
        result: Tally | Total = getattr(self, indicator.value)
        return result

    def as_json(self) -> dict[str, dict[str, int | float | None]]:
        return {indicator.value: dict(self.get(indicator).as_json()) for indicator in Indicator}


# The rows behind each number, as querysets ----------------------------------------------


def _own_plans(start: date, on: date) -> QuerySet[Plan]:
    """This authority's plans open at some point from `start` to `on` (as `plan_facts`)."""
    return Plan.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=start),
        other_authority=False,
        start_date__lte=on,
    )


def review_cutoff(on: date) -> date:
    """The last start date for which a first review was due by `on`: the largest day s with
    s + 3 months <= on. s + 3 months never decreases as s grows, so the test on each plan,
    `start + 3 months <= on`, is exactly `start <= review_cutoff(on)`."""
    day = add_months(on, -FIRST_REVIEW_MONTHS)
    while add_months(day + timedelta(days=1), FIRST_REVIEW_MONTHS) <= on:
        day += timedelta(days=1)
    while add_months(day, FIRST_REVIEW_MONTHS) > on:
        day -= timedelta(days=1)
    return day


def _open_on(on: date) -> Q:
    """Open at `on`: started by then and not ended by then (`indicators.open_on`)."""
    return Q(start_date__lte=on) & (Q(end_date__isnull=True) | Q(end_date__gt=on))


def _day_number(field: str) -> Any:
    return (
        _DatePart("year", F(field)) * 10000
        + _DatePart("month", F(field)) * 100
        + _DatePart("day", F(field))
    )


def _lasted_two_years() -> Q:
    """end >= start + 24 months (clamped, `indicators.lasted_two_years_or_more`). Adding 24
    months keeps the month and day, except 29 February, which becomes 28 February two years
    on (never a leap year); so on year*10000 + month*100 + day numbers it is
    end >= start + 20000, less 1 for a start on 29 February."""
    return Q(
        ended_number__gte=F("started_number")
        + 20000
        - Case(
            When(Q(start_date__month=2, start_date__day=29), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    )


def _with_day_numbers(plans: QuerySet[Plan]) -> QuerySet[Plan]:
    return plans.annotate(
        started_number=_day_number("start_date"), ended_number=_day_number("end_date")
    )


def _had_a_plan_before() -> Q:
    """NumberOfPreviousCPP > 0 (`plans.rules.previous_plan_count`): an earlier plan of the
    child, here or recorded from another authority, or plans elsewhere recorded as a number;
    stored on each plan (decision 0032)."""
    return Q(later_plan=True)


class _DatePart(Func):
    """The year, month or day of a date as a whole number. Django's Extract is `EXTRACT`, a
    numeric on PostgreSQL; `date_part` cast to an integer is about twice as fast, which
    matters over every review of a year."""

    output_field = IntegerField()
    # Doubled twice: once for the template, once for the parameters.
    SQLITE = {"year": "%%%%Y", "month": "%%%%m", "day": "%%%%d"}

    def __init__(self, part: str, expression: Any) -> None:
        self.part = part
        super().__init__(expression)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = f"CAST(strftime('{self.SQLITE[self.part]}', %(expressions)s) AS INTEGER)"
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        template = f"date_part('{self.part}', %(expressions)s)::integer"
        return self.as_sql(compiler, connection, template=template, **extra)


def _plan_conditions(year: ReportingYear, on: date) -> dict[tuple[Indicator, Side], Q]:
    """Each side of each plan indicator as a condition on `_own_plans`."""
    start = year.start
    started = Q(start_date__gte=start, start_date__lte=on)
    ended = Q(end_date__isnull=False, end_date__gte=start, end_date__lte=on)
    reviewed = _open_on(on) & Q(start_date__lte=review_cutoff(on))
    return {
        (Indicator.REVIEWS_WITHIN_TIMESCALE, Side.DENOMINATOR): reviewed,
        # The stored last day on time (decision 0032): `indicators.reviews_on_time_until`.
        (Indicator.REVIEWS_WITHIN_TIMESCALE, Side.NUMERATOR): reviewed
        & Q(reviews_on_time_until__gte=on),
        (Indicator.SECOND_OR_SUBSEQUENT_PLANS, Side.DENOMINATOR): started,
        (Indicator.SECOND_OR_SUBSEQUENT_PLANS, Side.NUMERATOR): started & _had_a_plan_before(),
        (Indicator.PLANS_ENDED_2_YEARS_OR_MORE, Side.DENOMINATOR): ended,
        (Indicator.PLANS_ENDED_2_YEARS_OR_MORE, Side.NUMERATOR): ended & _lasted_two_years(),
        (Indicator.CHILDREN_ON_PLANS, Side.NUMERATOR): _open_on(on),
    }


def _initial_conferences(start: date, on: date) -> QuerySet[ConferenceChild]:
    """Each child at a held initial or pre-birth conference from `start` to `on` that followed
    a section 47 enquiry (`indicators.initial_conference_facts`)."""
    return ConferenceChild.objects.filter(
        conference__status=ConferenceStatus.HELD,
        conference__type__in=INITIAL_TYPES,
        conference__date__range=(start, on),
        conference__date__isnull=False,
        enquiry__isnull=False,
    ).order_by()


def _icpc_on_time() -> Q:
    """Held by the stored last day for the conference (decision 0032), worked out with the
    authority's calendar by `indicators.icpc_due`."""
    return Q(conference__date__lte=F("icpc_indicator_due"))


def figures_for_years(years: list[ReportingYear], *, today: date) -> list[Figures]:
    """The indicators of each year, counted as at its reference date, with the same numbers
    as `indicators.indicators_for_years`. Three queries however many years: the population,
    one aggregate over the plans of all the years, one over their initial conferences (each
    number a `COUNT(*) FILTER (WHERE ...)`), so each table is read once."""
    periods = [Period.of(year, today=today) for year in years]
    if not periods:
        return []
    first, last = min(p.year.start for p in periods), max(p.on for p in periods)
    plan_counts: dict[str, Any] = {}
    conference_counts: dict[str, Any] = {}
    for i, period in enumerate(periods):
        for (indicator, side), q in _plan_conditions(period.year, period.on).items():
            plan_counts[f"y{i}__{indicator.value}__{side.value}"] = CountOf("pk", filter=q)
        held = Q(conference__date__range=(period.year.start, period.on))
        conference_counts[f"y{i}__met"] = CountOf("pk", filter=held & _icpc_on_time())
        conference_counts[f"y{i}__counted"] = CountOf("pk", filter=held)
    population = child_population()
    plans = _with_day_numbers(_own_plans(first, last)).aggregate(**plan_counts)
    conferences = _initial_conferences(first, last).aggregate(**conference_counts)

    def tally(i: int, indicator: Indicator) -> Tally:
        return Tally(
            plans[f"y{i}__{indicator.value}__{Side.NUMERATOR.value}"],
            plans[f"y{i}__{indicator.value}__{Side.DENOMINATOR.value}"],
        )

    return [
        Figures(
            year=period.year,
            on=period.on,
            icpc_within_15_working_days=Tally(
                conferences[f"y{i}__met"], conferences[f"y{i}__counted"]
            ),
            reviews_within_timescale=tally(i, Indicator.REVIEWS_WITHIN_TIMESCALE),
            second_or_subsequent_plans=tally(i, Indicator.SECOND_OR_SUBSEQUENT_PLANS),
            plans_ended_2_years_or_more=tally(i, Indicator.PLANS_ENDED_2_YEARS_OR_MORE),
            children_on_plans=Total(
                plans[f"y{i}__{Indicator.CHILDREN_ON_PLANS.value}__{Side.NUMERATOR.value}"],
                population,
            ),
        )
        for i, period in enumerate(periods)
    ]


@dataclass(frozen=True)
class Behind:
    """The children behind one number: how many things it counts, how many children that is,
    and the children's ids as a subquery."""

    counted: int
    children: int
    child_ids: QuerySet[Plan, int] | QuerySet[ConferenceChild, int]


def children_behind(year: ReportingYear, indicator: Indicator, side: Side, *, on: date) -> Behind:
    """The children behind one side of one indicator as at `on` (the year's reference date):
    one aggregate query, and the children as a subquery for the list to page through."""
    if indicator is Indicator.ICPC_WITHIN_15_WORKING_DAYS:
        conferences = _initial_conferences(year.start, on)
        if side is Side.NUMERATOR:
            conferences = conferences.filter(_icpc_on_time())
        numbers = conferences.aggregate(
            counted=CountOf("pk"), children=CountOf("child_id", distinct=True)
        )
        return Behind(
            numbers["counted"], numbers["children"], conferences.values_list("child_id", flat=True)
        )
    plans = _with_day_numbers(_own_plans(year.start, on)).filter(
        _plan_conditions(year, on)[(indicator, side)]
    )
    numbers = plans.aggregate(counted=CountOf("pk"), children=CountOf("child_id", distinct=True))
    return Behind(numbers["counted"], numbers["children"], plans.values_list("child_id", flat=True))
