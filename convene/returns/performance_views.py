"""The performance page: the national child protection indicators for this reporting year and
the one before, and the children behind each number.

Who may see it: `policy.can_view_performance` (team managers, senior managers, data officers).
The numbers are the authority's; the lists of children show only those the person may open.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from convene import policy
from convene.access.models import User
from convene.authority.selectors import authority_procedures
from convene.core.clock import today
from convene.core.replica import reads_from_replica

from .core_groups import core_group_facts, core_group_timeliness
from .indicator_queries import Figures, Period, Tally, Total, children_behind, figures_for_years
from .indicators import WORDING, Indicator, ReportingYear, Side, Wording

CHILDREN_PAGE_SIZE = 50


def _children_url(year: ReportingYear, indicator: Indicator, side: Side) -> str:
    return reverse("returns:performance-children", args=[year.label, indicator.slug, side.value])


def _year_label(result: Period) -> str:
    if result.complete:
        return result.year.label
    return f"{result.year.label} so far"


@dataclass(frozen=True)
class Row:
    """One reporting year's figures for one indicator, as the table and chart show them."""

    year: str
    numerator: str
    numerator_url: str
    denominator: str
    denominator_url: str
    value: str  # the percentage, or the rate per 10,000 for the count; "" for none
    bar: str  # the bar's length, 0 to 100, for the chart's SVG
    bar_text: str
    current: bool


@dataclass(frozen=True)
class Section:
    indicator: Indicator
    wording: Wording
    rows: list[Row]

    @property
    def is_count(self) -> bool:
        return self.indicator is Indicator.CHILDREN_ON_PLANS

    @property
    def has_no_figure(self) -> bool:
        """Whether a year had nothing to count, so its percentage is missing."""
        return not self.is_count and any(not row.value for row in self.rows)


def _fraction_row(result: Figures, indicator: Indicator, fraction: Tally) -> Row:
    value = fraction.percent
    return Row(
        year=_year_label(result),
        numerator=f"{fraction.numerator:,}",
        numerator_url=_children_url(result.year, indicator, Side.NUMERATOR),
        denominator=f"{fraction.denominator:,}",
        denominator_url=_children_url(result.year, indicator, Side.DENOMINATOR),
        value="" if value is None else f"{value}%",
        bar=str(value or 0),
        bar_text=f"{value}%" if value is not None else f"No {WORDING[indicator].things}",
        current=not result.complete,
    )


def _count_row(result: Figures, count: Total, largest: int) -> Row:
    indicator = Indicator.CHILDREN_ON_PLANS
    # A count has no natural 100%: the bars compare the years, the longest is the largest.
    bar = Decimal(count.count * 100) / largest if largest else Decimal(0)
    rate = count.per_10000
    return Row(
        year=_year_label(result),
        numerator=f"{count.count:,}",
        numerator_url=_children_url(result.year, indicator, Side.NUMERATOR),
        denominator="",
        denominator_url="",
        value="" if rate is None else str(rate),
        bar=str(bar.quantize(Decimal("0.1"))),
        bar_text=f"{count.count:,} {'child' if count.count == 1 else 'children'}",
        current=not result.complete,
    )


def _sections(results: list[Figures]) -> list[Section]:
    sections = []
    for indicator in Indicator:
        values = [(result, result.get(indicator)) for result in results]
        largest = max((v.count for _, v in values if isinstance(v, Total)), default=0)
        rows = [
            _fraction_row(result, indicator, value)
            if isinstance(value, Tally)
            else _count_row(result, value, largest)
            for result, value in values
        ]
        sections.append(Section(indicator=indicator, wording=WORDING[indicator], rows=rows))
    return sections


@reads_from_replica
def performance(request: HttpRequest) -> HttpResponse:
    policy.require(policy.can_view_performance(request.user))
    on = today()
    current = ReportingYear.containing(on)
    results = figures_for_years([current, current.previous], today=on)
    population = results[0].children_on_plans.population
    profile = authority_procedures()
    context = {
        "on": on,
        "current": current,
        "sections": _sections(results),
        "population": population,
        # A local measure beside the national ones: core groups on time (issue 10).
        "core_groups": [
            core_group_timeliness(
                core_group_facts(start=result.year.start, on=result.on),
                year=result.year,
                on=result.on,
                profile=profile,
            )
            for result in results
        ],
        "core_group_first": profile.timescale("core_group_first"),
        "core_group_next": profile.timescale("core_group_next"),
    }
    return render(request, "returns/performance.html", context)


def _parse(
    year: str, indicator: str, side: str, *, on_or_after: ReportingYear
) -> tuple[ReportingYear, Indicator, Side]:
    """The parts of a list's address, or 404 for a year not yet started or anything unknown."""
    try:
        parsed = ReportingYear.parse(year), Indicator.from_slug(indicator), Side(side)
    except ValueError:
        raise Http404("No such indicator") from None
    if parsed[0] > on_or_after:
        raise Http404("That reporting year has not started")
    if parsed[1] is Indicator.CHILDREN_ON_PLANS and parsed[2] is Side.DENOMINATOR:
        raise Http404("A count has no denominator")
    return parsed


@reads_from_replica
def performance_children(
    request: HttpRequest, year: str, indicator: str, side: str
) -> HttpResponse:
    """The children behind one number, as far as the person may see them."""
    policy.require(policy.can_view_performance(request.user))
    assert isinstance(request.user, User)
    on = today()
    reporting_year, which, part = _parse(
        year, indicator, side, on_or_after=ReportingYear.containing(on)
    )
    # Only the numbers' year and reference date: the children come from their own queries.
    result = Period.of(reporting_year, today=on)
    behind = children_behind(reporting_year, which, part, on=result.on)
    visible = (
        policy.visible_children(request.user, today=on)
        .filter(pk__in=behind.child_ids)
        .select_related("household", "social_worker")
    )
    paginator = Paginator(visible, CHILDREN_PAGE_SIZE)
    if policy.sees_every_child(request.user, today=on):
        # The aggregate counted them already: no second COUNT over the same subquery.
        paginator.count = behind.children
    page = paginator.get_page(request.GET.get("page"))
    shown = page.paginator.count
    wording = WORDING[which]
    context = {
        "result": result,
        "year_label": _year_label(result),
        "wording": wording,
        "heading": wording.numerator_children
        if part is Side.NUMERATOR
        else wording.denominator_children,
        "counted": behind.counted,
        "children": behind.children,
        "shown": shown,
        "hidden": behind.children - shown,
        "page": page,
    }
    return render(request, "returns/performance_children.html", context)
