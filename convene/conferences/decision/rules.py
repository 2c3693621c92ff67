"""Rules for the meeting's record and the chair's decision for each child, as pure functions
on plain values (London CP4 §9.5 to §9.9, §10.1 to §10.4, §11.1; Cornwall C:102 to C:131;
Register R:17 to R:21). Nothing here reads the clock or the database."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from statistics import mean

from convene.conferences.enums import (
    AfterPlan,
    ChildOutcome,
    ConferenceType,
    InviteeRole,
    ParticipantGroup,
)
from convene.people.enums import AgencyType
from convene.plans.enums import Category, PlanEndReason

Out = ChildOutcome

# What a conference may decide for a child, by its type (§9.6, §10.1 to §10.4). A deferral
# is exceptional (Register R:21); the reconvened conference must decide.
FIRST_DECISIONS = (Out.CP_PLAN, Out.CIN_PLAN, Out.NO_FURTHER_ACTION, Out.DEFERRED)
REVIEW_DECISIONS = (Out.CONTINUE_PLAN, Out.END_PLAN)
OUTCOMES: dict[str, tuple[ChildOutcome, ...]] = {
    ConferenceType.INITIAL: FIRST_DECISIONS,
    ConferenceType.PRE_BIRTH: FIRST_DECISIONS,
    ConferenceType.TRANSFER_IN: FIRST_DECISIONS,
    ConferenceType.RECONVENED: (Out.CP_PLAN, Out.CIN_PLAN, Out.NO_FURTHER_ACTION),
    ConferenceType.REVIEW: REVIEW_DECISIONS,
}

# The outcomes that put (or keep) the child on a child protection plan, with a category.
WITH_CATEGORY = frozenset({Out.CP_PLAN, Out.CONTINUE_PLAN})

ALREADY_DECIDED = "A decision has already been recorded for {child} at this conference"
NO_PLAN_TO_REVIEW = "{child} has no child protection plan open to review"
ALREADY_ON_PLAN = "{child} is already on a child protection plan: decide it at a review conference"


def outcomes_for(conference_type: str) -> tuple[ChildOutcome, ...]:
    return OUTCOMES.get(conference_type, FIRST_DECISIONS)


@dataclass(frozen=True)
class DecisionEntry:
    """What the chair entered for one child."""

    outcome: str
    category: str = ""
    reasons: str = ""
    recommendations: str = ""
    deferral_reasons: str = ""
    interim_plan: str = ""
    plan_end_reason: str = ""
    after_plan: str = ""


def decision_problems(
    entry: DecisionEntry,
    *,
    conference_type: str,
    child: str,
    has_open_plan: bool,
    open_plan_is_ours: bool = True,
) -> dict[str, str]:
    """Everything wrong with a decision, by field; empty when it may be recorded."""
    problems: dict[str, str] = {}
    allowed = outcomes_for(conference_type)
    if entry.outcome not in allowed:
        names = ", ".join(str(ChildOutcome(o).label).lower() for o in allowed)
        problems["outcome"] = f"Select the decision for {child}: {names}"
        return problems
    outcome = ChildOutcome(entry.outcome)
    if outcome in REVIEW_DECISIONS and not has_open_plan:
        problems["outcome"] = NO_PLAN_TO_REVIEW.format(child=child)
    if outcome == Out.CP_PLAN and has_open_plan and open_plan_is_ours:
        problems["outcome"] = ALREADY_ON_PLAN.format(child=child)
    if outcome in WITH_CATEGORY:
        if entry.category not in Category.values:
            problems["category"] = "Select the category of abuse"
    elif entry.category:
        problems["category"] = "A category is given only for a child protection plan"
    if not entry.reasons.strip():
        problems["reasons"] = "Enter the reasons for the decision, in plain words"
    if outcome == Out.DEFERRED:
        if not entry.deferral_reasons.strip():
            problems["deferral_reasons"] = "Enter why the decision is put off"
        if not entry.interim_plan.strip():
            problems["interim_plan"] = (
                "Enter the interim plan that keeps the child safe until the conference meets again"
            )
    if outcome == Out.NO_FURTHER_ACTION and not entry.recommendations.strip():
        problems["recommendations"] = "Enter the recommendations, such as the help to offer"
    if outcome == Out.END_PLAN:
        if entry.plan_end_reason not in PlanEndReason.values or not entry.plan_end_reason:
            problems["plan_end_reason"] = "Select why the plan ends"
        if entry.after_plan not in AfterPlan.values:
            problems["after_plan"] = "Select what follows the plan"
    return problems


# Who took part, in groups -------------------------------------------------------------

_AGENCY_GROUPS = {
    AgencyType.CHILDRENS_SOCIAL_CARE: ParticipantGroup.CHILDRENS_SOCIAL_CARE,
    AgencyType.POLICE: ParticipantGroup.POLICE,
    AgencyType.HEALTH: ParticipantGroup.HEALTH,
    AgencyType.EDUCATION: ParticipantGroup.EDUCATION,
    AgencyType.PROBATION: ParticipantGroup.PROBATION,
    AgencyType.HOUSING: ParticipantGroup.HOUSING,
}


def participant_group(role: str, agency_type: str | None) -> ParticipantGroup:
    """The group an invitee's score, view or dissent counts in."""
    if role == InviteeRole.PARENT_CARER:
        return ParticipantGroup.PARENT_CARER
    if role == InviteeRole.CHILD:
        return ParticipantGroup.CHILD
    if role in (InviteeRole.SUPPORTER, InviteeRole.ADVOCATE, InviteeRole.INTERPRETER):
        return ParticipantGroup.FAMILY_FRIEND
    if agency_type is None:
        return ParticipantGroup.OTHER_AGENCY
    return _AGENCY_GROUPS.get(AgencyType(agency_type), ParticipantGroup.OTHER_AGENCY)


# Safety scores over time (Cornwall C:113, C:131) --------------------------------------

SCORE_MIN, SCORE_MAX = 0, 10


@dataclass(frozen=True)
class ScoreEntry:
    conference_date: date
    group: str
    score: int


@dataclass(frozen=True)
class GroupScores:
    """One group's scores at one conference, and their mean, for the chart and its table."""

    conference_date: date
    group: ParticipantGroup
    scores: tuple[int, ...]

    @property
    def mean(self) -> float:
        return round(mean(self.scores), 1)


@dataclass(frozen=True)
class ScoreSeries:
    group: ParticipantGroup
    points: tuple[GroupScores, ...]


def scores_over_time(entries: Iterable[ScoreEntry]) -> tuple[list[date], list[ScoreSeries]]:
    """Each group's scores at each conference, for a line per group across the conference
    dates (soonest first). Groups in the order ParticipantGroup lists them."""
    found: dict[tuple[str, date], list[int]] = defaultdict(list)
    for entry in entries:
        found[(entry.group, entry.conference_date)].append(entry.score)
    dates = sorted({day for _, day in found})
    series = []
    for group in ParticipantGroup:
        points = tuple(
            GroupScores(conference_date=day, group=group, scores=tuple(found[(group, day)]))
            for day in dates
            if (group, day) in found
        )
        if points:
            series.append(ScoreSeries(group=group, points=points))
    return dates, series


# The chart: lines on a 0 to 10 scale, one per group, in a box of CHART_W by CHART_H -----

CHART_W, CHART_H, CHART_PAD = 600, 300, 40


@dataclass(frozen=True)
class ChartLine:
    group: ParticipantGroup
    points: tuple[tuple[float, float, float], ...]  # x, y and the mean score
    dash: str  # so lines differ by more than colour (WCAG 1.4.1)

    @property
    def path(self) -> str:
        return " ".join(f"{x:.0f},{y:.0f}" for x, y, _ in self.points)


DASHES = ("", "8 4", "2 4", "12 4 2 4", "4 4", "16 4")


def chart_lines(dates: list[date], series: list[ScoreSeries]) -> list[ChartLine]:
    """Where each group's mean score falls: conference dates spread evenly across, 0 at the
    bottom and 10 at the top."""
    inner_w, inner_h = CHART_W - 2 * CHART_PAD, CHART_H - 2 * CHART_PAD
    step = inner_w / (len(dates) - 1) if len(dates) > 1 else 0
    x_of = {
        day: CHART_PAD + (i * step if len(dates) > 1 else inner_w / 2)
        for i, day in enumerate(dates)
    }
    lines = []
    for n, one in enumerate(series):
        points = tuple(
            (
                x_of[p.conference_date],
                CHART_PAD + inner_h * (1 - p.mean / SCORE_MAX),
                p.mean,
            )
            for p in one.points
        )
        lines.append(ChartLine(group=one.group, points=points, dash=DASHES[n % len(DASHES)]))
    return lines


def chart_axis(dates: list[date]) -> tuple[list[tuple[float, int]], list[tuple[float, date]]]:
    """The y ticks (0, 2 … 10) and x ticks (each conference date) of the chart."""
    inner_w, inner_h = CHART_W - 2 * CHART_PAD, CHART_H - 2 * CHART_PAD
    y_ticks = [(CHART_PAD + inner_h * (1 - n / SCORE_MAX), n) for n in range(0, 11, 2)]
    step = inner_w / (len(dates) - 1) if len(dates) > 1 else 0
    x_ticks = [
        (CHART_PAD + (i * step if len(dates) > 1 else inner_w / 2), day)
        for i, day in enumerate(dates)
    ]
    return y_ticks, x_ticks
