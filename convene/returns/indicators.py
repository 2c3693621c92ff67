"""The national child protection indicators, live from Convene's own records.

Definitions: `shared/standards/kpis.md`, the DfE's "Characteristics of children in need". Each
indicator is a fraction over a reporting year (1 April to 31 March, reference date 31 March),
or for `children_on_plans` a count at the reference date.

Two layers, as in `convene/timescales`:

- the definitions: small pure functions on plain values (dates, lists of facts) that take the
  reference date and the calendar as arguments; tested table-style;
- the selectors at the end: they load the facts for a year in a constant number of queries
  and hand them to the definitions.

Every result keeps the children behind its numerator and its denominator, one id per thing
counted (a child with two initial conferences in a year is there twice), so the performance
page can list them.

The amounts (15 working days, 3 and 6 months, 24 months) are the national definitions, not the
authority's procedure profile: the statistics compare every authority on the same rules. Only
the working days are the authority's own (its nation's bank holidays and its closure days).
"""

from __future__ import annotations

import enum
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q

from convene.authority.selectors import authority_procedures, authority_settings
from convene.conferences.enums import INITIAL_TYPES, ConferenceStatus
from convene.conferences.models import ConferenceChild
from convene.plans.models import Plan, PlanReview
from convene.plans.rules import FIRST_REVIEW, PlanFacts, next_review, previous_plan_count
from convene.timescales import Calendar
from convene.timescales.rules import add_months

from .years import ReportingYear

# The national amounts (kpis.md), whatever the authority's own procedures say.
ICPC_WORKING_DAYS = 15
FIRST_REVIEW_MONTHS = 3
LATER_REVIEW_MONTHS = 6
LONG_PLAN_MONTHS = 24
RATE_PER = 10_000

ONE_DECIMAL_PLACE = Decimal("0.1")


class Indicator(enum.StrEnum):
    ICPC_WITHIN_15_WORKING_DAYS = "icpc_within_15_working_days"
    REVIEWS_WITHIN_TIMESCALE = "reviews_within_timescale"
    SECOND_OR_SUBSEQUENT_PLANS = "second_or_subsequent_plans"
    PLANS_ENDED_2_YEARS_OR_MORE = "plans_ended_2_years_or_more"
    CHILDREN_ON_PLANS = "children_on_plans"

    @property
    def slug(self) -> str:
        """The indicator in a web address: hyphens, as GOV.UK addresses use."""
        return self.value.replace("_", "-")

    @classmethod
    def from_slug(cls, slug: str) -> Indicator:
        """The indicator for a web address part; ValueError if there is none."""
        return cls(slug.replace("-", "_"))


class Side(enum.StrEnum):
    """Which part of a fraction; a count has only a numerator (the count itself)."""

    NUMERATOR = "numerator"
    DENOMINATOR = "denominator"


@dataclass(frozen=True)
class Wording:
    """How pages and the command name an indicator and its parts, in plain English."""

    title: str
    definition: str
    numerator: str  # column heading for the numerator (or the count)
    denominator: str
    numerator_children: str  # heading of the list of children behind the numerator
    denominator_children: str
    thing: str  # what one unit of the numbers is: "initial conference", "plan", "child"
    things: str


WORDING = {
    Indicator.ICPC_WITHIN_15_WORKING_DAYS: Wording(
        title="Initial conferences held within 15 working days of the strategy discussion",
        definition="Initial child protection conferences (ICPCs) held in the year after a section "
        "47 enquiry, including pre-birth conferences but not transfer-in conferences. A "
        "conference is on time if it is held on or before the 15th working day after the "
        "strategy discussion. Each child at a conference counts once.",
        numerator="Held within 15 working days",
        denominator="Initial conferences held",
        numerator_children="Children whose initial conference was held within 15 working days",
        denominator_children="Children who had an initial conference",
        thing="initial conference",
        things="initial conferences",
    ),
    Indicator.REVIEWS_WITHIN_TIMESCALE: Wording(
        title="Child protection plans reviewed on time",
        definition="Plans open at the end of the year that had lasted at least 3 months. A plan "
        "is reviewed on time if its first review conference was within 3 months of the plan "
        "starting, each later review was within 6 months of the one before, and the next "
        "review is not overdue.",
        numerator="Every review on time",
        denominator="Plans open for 3 months or more",
        numerator_children="Children whose plan was reviewed on time",
        denominator_children="Children on a plan for 3 months or more",
        thing="plan",
        things="plans",
    ),
    Indicator.SECOND_OR_SUBSEQUENT_PLANS: Wording(
        title="Children starting a child protection plan for the second or later time",
        definition="Plans that started in the year where the child had been on a plan before, "
        "here or in another authority, however long ago.",
        numerator="Second or later plan",
        denominator="Plans started",
        numerator_children="Children who started a second or later plan",
        denominator_children="Children who started a plan",
        thing="plan",
        things="plans",
    ),
    Indicator.PLANS_ENDED_2_YEARS_OR_MORE: Wording(
        title="Child protection plans that ended after lasting 2 years or more",
        definition="Plans that ended in the year, for any reason including a move to another "
        "authority, that had lasted 2 years (24 months) or more.",
        numerator="Lasted 2 years or more",
        denominator="Plans ended",
        numerator_children="Children whose plan ended after 2 years or more",
        denominator_children="Children whose plan ended",
        thing="plan",
        things="plans",
    ),
    Indicator.CHILDREN_ON_PLANS: Wording(
        title="Children on a child protection plan",
        definition="Children on a plan at the end of the year, and how many that is in every "
        "10,000 children living in the area, when the authority has set that number.",
        numerator="Children on a plan",
        denominator="",
        numerator_children="Children on a child protection plan",
        denominator_children="",
        thing="child",
        things="children",
    ),
}


# Arithmetic ----------------------------------------------------------------------------


def percent(numerator: int, denominator: int) -> Decimal | None:
    """The percentage to one decimal place, halves rounded up (kpis.md); None when there is
    nothing to divide by, which is not the same as 0%."""
    if denominator == 0:
        return None
    return (Decimal(numerator * 100) / Decimal(denominator)).quantize(
        ONE_DECIMAL_PLACE, rounding=ROUND_HALF_UP
    )


def rate_per_10000(count: int, population: int | None) -> Decimal | None:
    """Children per 10,000 children in the area, to one decimal place as the DfE publishes it;
    None when the authority has not set its child population."""
    if not population:
        return None
    return (Decimal(count * RATE_PER) / Decimal(population)).quantize(
        ONE_DECIMAL_PLACE, rounding=ROUND_HALF_UP
    )


# Facts: what the definitions need to know, as plain values ------------------------------


@dataclass(frozen=True)
class InitialConferenceFact:
    """One child at a held initial (or pre-birth) conference that followed an enquiry."""

    child_id: int
    strategy_discussion: date
    held: date


@dataclass(frozen=True)
class PlanFact:
    """One of this authority's plans (not a plan recorded from another authority)."""

    child_id: int
    start: date
    end: date | None = None
    reviews: tuple[date, ...] = ()
    # NumberOfPreviousCPP: earlier plans here or elsewhere, however long ago.
    previous_plans: int = 0


# The definitions ------------------------------------------------------------------------


def icpc_due(strategy_discussion: date, calendar: Calendar) -> date:
    """The last day an initial conference is "within 15 working days" of the strategy
    discussion: day 1 is the first working day after it (working-days.md)."""
    return calendar.add_working_days(strategy_discussion, ICPC_WORKING_DAYS)


def icpc_on_time(fact: InitialConferenceFact, calendar: Calendar) -> bool:
    # working-days.md: within N working days is the same as on or before X + N working days.
    return fact.held <= icpc_due(fact.strategy_discussion, calendar)


def open_on(start: date, end: date | None, day: date) -> bool:
    """A plan is open on `day` if it has started and not ended by then. A plan ending on 31
    March is not open at 31 March: the census counts it among the plans ended in the year."""
    return start <= day and (end is None or end > day)


def next_review_due(start: date, reviews: Iterable[date]) -> date:
    """When the next review is due after the reviews held: 3 months after the start for the
    first, 6 months after the previous review for each later one (calendar months, clamped)."""
    # Which review and what it counts from is the one rule (plans.rules.next_review); the
    # months are the national indicator's, whatever the authority's own procedures say.
    which, counts_from = next_review(start, max(reviews, default=None))
    return add_months(
        counts_from, FIRST_REVIEW_MONTHS if which == FIRST_REVIEW else LATER_REVIEW_MONTHS
    )


def reviews_on_time(start: date, reviews: Iterable[date], on: date) -> bool:
    """Every review held by `on` was on time, and the next one, if already due, is not late:
    `on` is not past its due date (a review due on `on` itself still has the day)."""
    held: list[date] = []
    for review in sorted(r for r in reviews if r <= on):
        if review > next_review_due(start, held):
            return False
        held.append(review)
    return on <= next_review_due(start, held)


def reviews_on_time_until(start: date, reviews: Iterable[date]) -> date:
    """The last day on which `reviews_on_time` holds: for every `on`,
    `reviews_on_time(start, reviews, on)` is exactly `on <= reviews_on_time_until(start,
    reviews)` (reviews on different days, as the database keeps them). Stored on each plan
    (decision 0032) so the database counts the indicator with one comparison.

    It is the due date of the first late review, or, when none was late, of the review after
    the last one. Before the first late review k is held, each review i < k was held by its
    due date, so while the next one is i + 1 < k, `on` is before it and so before its due
    date; while it is k, `on` must be by k's due date, which is before k was held; once k is
    held it is late. With no late review the same holds up to the last one, and after it `on`
    must be by the next one's due date, which is after it.
    """
    held: list[date] = []
    for review in sorted(reviews):
        due = next_review_due(start, held)
        if review > due:
            return due
        held.append(review)
    return next_review_due(start, held)


def lasted_two_years_or_more(start: date, end: date) -> bool:
    return end >= add_months(start, LONG_PLAN_MONTHS)


# Results --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fraction:
    """An indicator's numerator over its denominator, each as the children behind it."""

    numerator_children: tuple[int, ...]
    denominator_children: tuple[int, ...]

    @property
    def numerator(self) -> int:
        return len(self.numerator_children)

    @property
    def denominator(self) -> int:
        return len(self.denominator_children)

    @property
    def percent(self) -> Decimal | None:
        return percent(self.numerator, self.denominator)

    def children(self, side: Side) -> tuple[int, ...]:
        return self.numerator_children if side is Side.NUMERATOR else self.denominator_children

    def as_json(self) -> dict[str, int | float | None]:
        p = self.percent
        return {
            "numerator": self.numerator,
            "denominator": self.denominator,
            "percent": None if p is None else float(p),
        }


@dataclass(frozen=True)
class Count:
    """Children counted at the reference date, and the rate when the population is known."""

    counted_children: tuple[int, ...]
    population: int | None = None

    @property
    def count(self) -> int:
        return len(self.counted_children)

    @property
    def per_10000(self) -> Decimal | None:
        return rate_per_10000(self.count, self.population)

    def children(self, side: Side) -> tuple[int, ...]:
        if side is not Side.NUMERATOR:
            raise KeyError("A count has no denominator")
        return self.counted_children

    def as_json(self) -> dict[str, int | float]:
        rate = self.per_10000
        return (
            {"count": self.count}
            if rate is None
            else {"count": self.count, "per_10000": float(rate)}
        )


def _fraction(counted: Iterable[tuple[int, bool]]) -> Fraction:
    """A fraction from (child id, met) pairs, all of them in the denominator."""
    pairs = list(counted)
    return Fraction(
        numerator_children=tuple(child for child, met in pairs if met),
        denominator_children=tuple(child for child, _ in pairs),
    )


def icpc_within_15_working_days(
    conferences: Iterable[InitialConferenceFact], *, start: date, on: date, calendar: Calendar
) -> Fraction:
    """Initial conferences (not transfer-in) held from `start` to `on` with a known strategy
    discussion date; met when held on or before strategy discussion + 15 working days."""
    return _fraction(
        (c.child_id, icpc_on_time(c, calendar)) for c in conferences if start <= c.held <= on
    )


def reviews_within_timescale(plans: Iterable[PlanFact], *, on: date) -> Fraction:
    """Plans open at `on` that started at least 3 months before it (so a first review was
    due); met when every review was on time and the next one is not overdue."""
    return _fraction(
        (p.child_id, reviews_on_time(p.start, p.reviews, on))
        for p in plans
        if open_on(p.start, p.end, on) and add_months(p.start, FIRST_REVIEW_MONTHS) <= on
    )


def second_or_subsequent_plans(plans: Iterable[PlanFact], *, start: date, on: date) -> Fraction:
    """Plans started from `start` to `on`; met when the child had any earlier plan, however
    long ago, here or elsewhere (NumberOfPreviousCPP > 0)."""
    return _fraction((p.child_id, p.previous_plans > 0) for p in plans if start <= p.start <= on)


def plans_ended_2_years_or_more(plans: Iterable[PlanFact], *, start: date, on: date) -> Fraction:
    """Plans ended from `start` to `on`, for any reason (a transfer to another authority ends
    a plan too); met when the plan lasted 24 months or more: end >= start + 24 months."""
    return _fraction(
        (p.child_id, lasted_two_years_or_more(p.start, p.end))
        for p in plans
        if p.end is not None and start <= p.end <= on
    )


def children_on_plans(plans: Iterable[PlanFact], *, on: date, population: int | None) -> Count:
    """Children subject to a plan at `on` (a child has at most one open plan)."""
    return Count(
        counted_children=tuple(p.child_id for p in plans if open_on(p.start, p.end, on)),
        population=population,
    )


@dataclass(frozen=True)
class Indicators:
    """The five indicators for one reporting year, counted as at `on`."""

    year: ReportingYear
    on: date
    icpc_within_15_working_days: Fraction
    reviews_within_timescale: Fraction
    second_or_subsequent_plans: Fraction
    plans_ended_2_years_or_more: Fraction
    children_on_plans: Count

    @property
    def complete(self) -> bool:
        """Whether the year is over, so these are its final figures."""
        return self.on >= self.year.end

    def get(self, indicator: Indicator) -> Fraction | Count:
        result: Fraction | Count = getattr(self, indicator.value)
        return result

    def as_json(self) -> dict[str, dict[str, int | float | None]]:
        return {indicator.value: dict(self.get(indicator).as_json()) for indicator in Indicator}


def count_indicators(
    *,
    year: ReportingYear,
    on: date,
    calendar: Calendar,
    conferences: Sequence[InitialConferenceFact],
    plans: Sequence[PlanFact],
    population: int | None,
) -> Indicators:
    """All five indicators from the year's facts, counted as at `on`."""
    start = year.start
    return Indicators(
        year=year,
        on=on,
        icpc_within_15_working_days=icpc_within_15_working_days(
            conferences, start=start, on=on, calendar=calendar
        ),
        reviews_within_timescale=reviews_within_timescale(plans, on=on),
        second_or_subsequent_plans=second_or_subsequent_plans(plans, start=start, on=on),
        plans_ended_2_years_or_more=plans_ended_2_years_or_more(plans, start=start, on=on),
        children_on_plans=children_on_plans(plans, on=on, population=population),
    )


# Selectors: loading the facts ------------------------------------------------------------


def initial_conference_facts(*, start: date, on: date) -> list[InitialConferenceFact]:
    """Each child at a held initial or pre-birth conference from `start` to `on` that followed
    a section 47 enquiry (so the strategy discussion date is known). One query."""
    rows = ConferenceChild.objects.filter(
        conference__status=ConferenceStatus.HELD,
        conference__type__in=INITIAL_TYPES,
        conference__date__range=(start, on),
        enquiry__isnull=False,
    ).values_list("child_id", "enquiry__strategy_discussion_date", "conference__date")
    # A held conference always has its date (a database constraint); the filter says so to mypy.
    return [
        InitialConferenceFact(child, strategy, held)
        for child, strategy, held in rows
        if held is not None
    ]


def plan_facts(*, start: date, on: date) -> list[PlanFact]:
    """This authority's plans that were open at some point from `start` to `on`, with the
    reviews held by `on` and the number of earlier plans. Two queries.

    The earlier plans are counted from every plan of the child, including those recorded from
    another authority, with the same rule as the census (`plans.rules.previous_plan_count`).
    """
    in_period = Q(start_date__lte=on) & (Q(end_date__isnull=True) | Q(end_date__gte=start))
    children = Plan.objects.filter(in_period, other_authority=False).values("child_id")
    history: dict[int, list[tuple[int, PlanFacts]]] = defaultdict(list)
    for pk, child, begun, ended, elsewhere, other in Plan.objects.filter(
        child_id__in=children
    ).values_list(
        "pk",
        "child_id",
        "start_date",
        "end_date",
        "previous_plans_elsewhere",
        "other_authority",
    ):
        history[child].append((pk, PlanFacts(begun, ended, elsewhere, other)))
    reviews: dict[int, list[date]] = defaultdict(list)
    for plan_id, held in PlanReview.objects.filter(
        plan__in=Plan.objects.filter(in_period, other_authority=False), date__lte=on
    ).values_list("plan_id", "date"):
        reviews[plan_id].append(held)
    facts = []
    for child, plans in history.items():
        everything = [facts_of for _, facts_of in plans]
        for pk, plan in plans:
            if plan.other_authority or not (
                plan.start_date <= on and (plan.end_date is None or plan.end_date >= start)
            ):
                continue
            facts.append(
                PlanFact(
                    child_id=child,
                    start=plan.start_date,
                    end=plan.end_date,
                    reviews=tuple(sorted(reviews[pk])),
                    previous_plans=previous_plan_count(plan, everything),
                )
            )
    return facts


def child_population() -> int | None:
    """The number of children in the authority's area, if it has set it. One query."""
    return authority_settings().child_population


def indicators_for_years(years: Sequence[ReportingYear], *, today: date) -> list[Indicators]:
    """The indicators of each year, counted as at its reference date (31 March, or `today`
    for the year still running). 3 queries, plus 3 a year, however many records there are."""
    calendar = authority_procedures().calendar
    population = child_population()
    results = []
    for year in years:
        on = year.reference_date(today)
        results.append(
            count_indicators(
                year=year,
                on=on,
                calendar=calendar,
                conferences=initial_conference_facts(start=year.start, on=on),
                plans=plan_facts(start=year.start, on=on),
                population=population,
            )
        )
    return results
