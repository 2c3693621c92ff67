"""Open statutory deadlines across the authority: the initial conference a section 47 enquiry
is waiting for, the review conference each open plan is waiting for, the first core group of
a new plan, and what a held conference left due (a reconvened conference after a deferred
decision, an early review after an inquorate one).

The rules (`enquiry_deadline`, `plan_deadline`, `open_deadlines`) work on plain values and take
the date and the authority's procedures as arguments. The selectors (`deadlines_as_of`,
`work_list`) load the facts with a constant number of queries, optionally only for the
children someone may see.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery

from convene import policy
from convene.conferences.enums import ChildOutcome, ConferenceStatus
from convene.conferences.models import ConferenceChild
from convene.people.models import Child, Team
from convene.plans.enums import MeetingStatus
from convene.plans.models import (
    ChildInNeedPlan,
    ChildInNeedPlanReview,
    CoreGroupMeeting,
    Plan,
    PlanReview,
    ReviewBroughtForward,
)
from convene.plans.reviews.rules import BroughtForward as ReviewBroughtForwardFacts
from convene.plans.reviews.rules import review_due, still_applies
from convene.plans.rules import next_review
from convene.referrals.models import Section47Enquiry
from convene.timescales import Profile, is_overdue

from . import deadline_store
from .enums import DeadlineKind
from .models import OpenDeadline

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from convene.access.models import User


# The profile's timescale for a kind whose key differs from the kind.
TIMESCALE_OF = {
    DeadlineKind.POST_BIRTH: "post_birth_review",
    DeadlineKind.CIN_REVIEW: "cin_plan_review",
}
# London CP4 §1.21: 20 days, not 10, when the mother is not well enough.
POST_BIRTH_MOTHER_UNWELL = "post_birth_review_mother_unwell"


# Rules ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class EnquiryFacts:
    """What the rules need to know of one section 47 enquiry."""

    child: str  # the local authority child ID
    strategy_discussion_date: date
    # A held conference linked to this enquiry (London CP4 §1.7: the ICPC follows it).
    conference_held: bool = False
    conference_not_required: bool = False
    child_pk: int | None = None


@dataclass(frozen=True)
class BroughtForward:
    """A review brought forward (London CP4 §1.23): when it was recorded, the day the review
    is now due by, and why."""

    recorded_on: date
    due: date
    reason: str


@dataclass(frozen=True)
class OpenPlanFacts:
    """What the rules need to know of one open child protection plan."""

    child: str
    start_date: date
    last_review: date | None = None
    other_authority: bool = False
    child_pk: int | None = None
    brought_forward: tuple[BroughtForward, ...] = ()
    # Core groups (Cornwall C:123): whether Convene keeps this plan's core groups (a plan its
    # own conference started, or one with a core group recorded), and the last one held.
    keeps_core_groups: bool = False
    last_core_group: date | None = None
    # After a pre-birth conference (§1.21): the birth, whether the mother is unwell, and
    # whether a review or core group has been held since.
    born: date | None = None
    mother_unwell: bool = False
    met_since_birth: bool = False


@dataclass(frozen=True)
class CinPlanFacts:
    """An open child in need plan (London CP4 §10.10)."""

    child: str
    start_date: date
    last_review: date | None = None
    child_pk: int | None = None


@dataclass(frozen=True)
class FollowUpFacts:
    """A held conference that left something due for one child: a deferred decision to
    reconvene (Register R:21), an early review after an inquorate conference (London CP4
    §3.12), or the first core group of the plan it started (Cornwall C:123). Done once the
    next held conference about the child (or a core group meeting) has happened."""

    child: str
    kind: DeadlineKind
    conference_date: date
    child_pk: int | None = None


@dataclass(frozen=True)
class Deadline:
    child: str
    kind: DeadlineKind
    due: date
    overdue: bool
    explanation: str  # the rule and where it comes from
    counts_from: date  # the day of the event the rule counts from
    event: str = ""  # that event, as "the strategy discussion"
    child_pk: int | None = None

    def as_json(self) -> dict[str, str | bool]:
        return {
            "child": self.child,
            "kind": self.kind.value,
            "due": self.due.isoformat(),
            "overdue": self.overdue,
            # The rule that set it, with its source.
            "rule": self.explanation,
        }


def _deadline(
    kind: DeadlineKind,
    counts_from: date,
    *,
    child: str,
    child_pk: int | None,
    procedures: Profile,
    as_of: date,
    timescale_key: str | None = None,
) -> Deadline:
    timescale = procedures.timescale(timescale_key or TIMESCALE_OF.get(kind, kind.value))
    due = timescale.due(counts_from)
    return Deadline(
        child=child,
        kind=kind,
        due=due,
        overdue=is_overdue(due, as_of),
        explanation=timescale.explain(),
        counts_from=counts_from,
        event=timescale.counts_from.phrase,
        child_pk=child_pk,
    )


def enquiry_deadline(enquiry: EnquiryFacts, *, procedures: Profile, as_of: date) -> Deadline | None:
    """The initial conference an enquiry still waits for; None once a conference was held or
    the enquiry decided none is needed."""
    if enquiry.conference_held or enquiry.conference_not_required:
        return None
    return _deadline(
        DeadlineKind.ICPC,
        enquiry.strategy_discussion_date,
        child=enquiry.child,
        child_pk=enquiry.child_pk,
        procedures=procedures,
        as_of=as_of,
    )


def plan_deadline(plan: OpenPlanFacts, *, procedures: Profile, as_of: date) -> Deadline | None:
    """The next review conference of an open plan: the first review counts from the start of
    the plan (the initial conference that made it), later ones from the last review. A plan
    held by another authority is reviewed there, not here."""
    if plan.other_authority:
        return None
    key, counts_from = next_review(plan.start_date, plan.last_review)
    deadline = _deadline(
        DeadlineKind(key),
        counts_from,
        child=plan.child,
        child_pk=plan.child_pk,
        procedures=procedures,
        as_of=as_of,
    )
    # §1.23: brought forward since the last review, the earliest date wins (the one rule,
    # convene.plans.reviews.rules.review_due).
    recorded = [b for b in plan.brought_forward if b.recorded_on <= as_of]
    due = review_due(
        procedures,
        start=plan.start_date,
        last_review=plan.last_review,
        brought_forward=[ReviewBroughtForwardFacts(b.recorded_on, b.due) for b in recorded],
    )
    if not due.brought_forward:
        return deadline
    why = min(
        (
            b
            for b in recorded
            if b.due == due.due and still_applies(b.recorded_on, plan.last_review)
        ),
        key=lambda b: b.recorded_on,
    )
    return replace(
        deadline,
        due=due.due,
        overdue=is_overdue(due.due, as_of),
        explanation=(
            f"brought forward on {why.recorded_on:%-d %B %Y} ({why.reason}) from "
            f"{due.normal_due:%-d %B %Y}, {deadline.explanation}"
        ),
    )


def core_group_deadline(
    plan: OpenPlanFacts, *, procedures: Profile, as_of: date
) -> Deadline | None:
    """Cornwall C:123: the first core group within 10 working days of the initial conference,
    then about every 6 weeks while the plan lasts; for the plans whose core groups Convene
    keeps (an imported plan's history of core groups is not known)."""
    if plan.other_authority or not plan.keeps_core_groups:
        return None
    if plan.last_core_group is None:
        kind, counts_from = DeadlineKind.CORE_GROUP_FIRST, plan.start_date
    else:
        kind, counts_from = DeadlineKind.CORE_GROUP_NEXT, plan.last_core_group
    return _deadline(
        kind,
        counts_from,
        child=plan.child,
        child_pk=plan.child_pk,
        procedures=procedures,
        as_of=as_of,
    )


def post_birth_deadline(
    plan: OpenPlanFacts, *, procedures: Profile, as_of: date
) -> Deadline | None:
    """London CP4 §1.21: a plan made before the child was born has a review conference or a
    core group within 10 days of the birth (20 when the mother is not well enough), until one
    of them is held."""
    if plan.other_authority or plan.born is None or plan.born > as_of:
        return None
    if plan.start_date > plan.born or plan.met_since_birth:
        return None
    return _deadline(
        DeadlineKind.POST_BIRTH,
        plan.born,
        child=plan.child,
        child_pk=plan.child_pk,
        procedures=procedures,
        as_of=as_of,
        timescale_key=POST_BIRTH_MOTHER_UNWELL if plan.mother_unwell else None,
    )


def cin_review_deadline(cin: CinPlanFacts, *, procedures: Profile, as_of: date) -> Deadline:
    """London CP4 §10.10: a child in need plan is reviewed at most every 12 weeks (the same
    timescale as convene.plans.ending.rules.cin_review_due)."""
    return _deadline(
        DeadlineKind.CIN_REVIEW,
        cin.last_review or cin.start_date,
        child=cin.child,
        child_pk=cin.child_pk,
        procedures=procedures,
        as_of=as_of,
    )


def follow_up_deadline(follow_up: FollowUpFacts, *, procedures: Profile, as_of: date) -> Deadline:
    return _deadline(
        follow_up.kind,
        follow_up.conference_date,
        child=follow_up.child,
        child_pk=follow_up.child_pk,
        procedures=procedures,
        as_of=as_of,
    )


@dataclass(frozen=True)
class DocumentFacts:
    """A conference whose decisions were recorded in Convene, for one of its subject children:
    whether its decision letter and its record have gone to their readers (London CP4 §14.4,
    §14.13). History imported or loaded without a decision made here owes no letter."""

    child: str
    conference_date: date
    letter_sent: bool
    record_sent: bool
    child_pk: int | None = None


def document_deadlines(facts: DocumentFacts, *, procedures: Profile, as_of: date) -> list[Deadline]:
    """The letter (1 working day) and the record (20 working days, Cornwall 15) each stay on
    the work list until first sent."""
    found = []
    for kind, sent in (
        (DeadlineKind.DECISION_LETTER, facts.letter_sent),
        (DeadlineKind.RECORD, facts.record_sent),
    ):
        if not sent:
            found.append(
                _deadline(
                    kind,
                    facts.conference_date,
                    child=facts.child,
                    child_pk=facts.child_pk,
                    procedures=procedures,
                    as_of=as_of,
                )
            )
    return found


def sort_key(deadline: Deadline) -> tuple[date, str, str]:
    return (deadline.due, deadline.child, deadline.kind.value)


def open_deadlines(
    enquiries: Iterable[EnquiryFacts],
    plans: Iterable[OpenPlanFacts],
    *,
    procedures: Profile,
    as_of: date,
    follow_ups: Iterable[FollowUpFacts] = (),
    cin_plans: Iterable[CinPlanFacts] = (),
    documents: Iterable[DocumentFacts] = (),
) -> list[Deadline]:
    """Every open deadline, soonest first."""
    plans = list(plans)
    found = [enquiry_deadline(e, procedures=procedures, as_of=as_of) for e in enquiries]
    for rule in (plan_deadline, core_group_deadline, post_birth_deadline):
        found += [rule(p, procedures=procedures, as_of=as_of) for p in plans]
    found += [follow_up_deadline(f, procedures=procedures, as_of=as_of) for f in follow_ups]
    found += [cin_review_deadline(c, procedures=procedures, as_of=as_of) for c in cin_plans]
    for document in documents:
        found += document_deadlines(document, procedures=procedures, as_of=as_of)
    return sorted((d for d in found if d is not None), key=sort_key)


# Selectors -----------------------------------------------------------------------------

_CHILD_RELATED = ("child", "child__social_worker", "child__social_worker__team")


def _enquiries_waiting(as_of: date) -> QuerySet[Section47Enquiry]:
    # The rule's test pushed into the database, so years of concluded enquiries are not
    # loaded: a conference counts once it was held, on or before the date asked about.
    held = ConferenceChild.objects.filter(
        enquiry=OuterRef("pk"),
        conference__status=ConferenceStatus.HELD,
        conference__date__lte=as_of,
    )
    return (
        Section47Enquiry.objects.filter(
            strategy_discussion_date__lte=as_of, conference_not_required=False
        )
        .annotate(conference_held=Exists(held))
        .filter(conference_held=False)
        .select_related(*_CHILD_RELATED)
    )


def _plans_open(as_of: date) -> QuerySet[Plan]:
    last_review = (
        PlanReview.objects.filter(plan=OuterRef("pk"), date__lte=as_of)
        .order_by("-date")
        .values("date")[:1]
    )
    held = CoreGroupMeeting.objects.filter(
        plan=OuterRef("pk"), status=MeetingStatus.HELD, date__lte=as_of
    )
    last_core_group = held.order_by("-date").values("date")[:1]
    since_birth = Q(date__gte=OuterRef("child__date_of_birth"))
    conference_since_birth = ConferenceChild.objects.filter(
        child=OuterRef("child"),
        is_subject=True,
        conference__status=ConferenceStatus.HELD,
        conference__date__gte=OuterRef("child__date_of_birth"),
        conference__date__lte=as_of,
    )
    return (
        Plan.objects.filter(start_date__lte=as_of, other_authority=False)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=as_of))
        .annotate(
            last_review=Subquery(last_review, output_field=models.DateField()),
            last_core_group=Subquery(last_core_group, output_field=models.DateField()),
            met_since_birth=Exists(held.filter(since_birth)) | Exists(conference_since_birth),
        )
        .select_related(*_CHILD_RELATED)
    )


def _brought_forward(plans: QuerySet[Plan], as_of: date) -> dict[int, list[BroughtForward]]:
    """The reviews brought forward for these plans, by plan. One query."""
    found: dict[int, list[BroughtForward]] = {}
    rows = ReviewBroughtForward.objects.filter(plan__in=plans.values("pk"), recorded_on__lte=as_of)
    for row in rows:
        found.setdefault(row.plan_id, []).append(
            BroughtForward(
                recorded_on=row.recorded_on,
                due=row.due,
                reason=str(row.get_reason_display()).lower(),
            )
        )
    return found


def _cin_plans_open(as_of: date) -> QuerySet[ChildInNeedPlan]:
    last_review = (
        ChildInNeedPlanReview.objects.filter(cin_plan=OuterRef("pk"), date__lte=as_of)
        .order_by("-date")
        .values("date")[:1]
    )
    return (
        ChildInNeedPlan.objects.filter(start_date__lte=as_of)
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=as_of))
        .annotate(last_review=Subquery(last_review, output_field=models.DateField()))
        .select_related(*_CHILD_RELATED)
    )


def _later_conference(as_of: date) -> Exists:
    """A held conference about the same child after this one, by the date asked about."""
    return Exists(
        ConferenceChild.objects.filter(
            child=OuterRef("child"),
            is_subject=True,
            conference__status=ConferenceStatus.HELD,
            conference__date__gt=OuterRef("conference__date"),
            conference__date__lte=as_of,
        )
    )


def _follow_ups(as_of: date) -> QuerySet[ConferenceChild]:
    """Subject children of held conferences that deferred their decision or were not
    quorate, with nothing held since: one query, what has been followed up left in the
    database."""
    return (
        ConferenceChild.objects.filter(
            is_subject=True,
            conference__status=ConferenceStatus.HELD,
            conference__date__lte=as_of,
        )
        .filter(Q(outcome=ChildOutcome.DEFERRED) | Q(conference__quorate=False))
        .filter(~_later_conference(as_of))
        .select_related("conference", *_CHILD_RELATED)
    )


def _documents_due(as_of: date) -> QuerySet[ConferenceChild]:
    """Subject children of held conferences decided in Convene whose letter or record has not
    gone out by the date asked about: one query."""
    from convene.conferences.models import ConferenceRecord, DecisionLetter

    letter_sent = DecisionLetter.objects.filter(
        conference=OuterRef("conference"), first_sent_on__lte=as_of
    )
    record_sent = ConferenceRecord.objects.filter(
        conference=OuterRef("conference"), first_sent_on__lte=as_of
    )
    return (
        ConferenceChild.objects.filter(
            is_subject=True,
            decided_on__isnull=False,
            conference__status=ConferenceStatus.HELD,
            conference__date__lte=as_of,
        )
        .annotate(letter_sent=Exists(letter_sent), record_sent=Exists(record_sent))
        .filter(Q(letter_sent=False) | Q(record_sent=False))
        .select_related("conference", *_CHILD_RELATED)
    )


@dataclass(frozen=True)
class WorkItem:
    """A deadline with the child it is about, for pages."""

    deadline: Deadline
    child: Child

    @property
    def team(self) -> Team | None:
        worker = self.child.social_worker
        return worker.team if worker is not None else None


def _work_items(
    *, as_of: date, procedures: Profile, children: QuerySet[Child] | None
) -> list[WorkItem]:
    """Six queries, however many enquiries, plans and conferences there are."""
    enquiries = _enquiries_waiting(as_of)
    documents = _documents_due(as_of)
    plans_open = _plans_open(as_of)
    follow_ups = _follow_ups(as_of)
    cin_plans = _cin_plans_open(as_of)
    if children is not None:
        enquiries = enquiries.filter(child__in=children.values("pk"))
        plans_open = plans_open.filter(child__in=children.values("pk"))
        follow_ups = follow_ups.filter(child__in=children.values("pk"))
        cin_plans = cin_plans.filter(child__in=children.values("pk"))
        documents = documents.filter(child__in=children.values("pk"))
    loaded: dict[int, Child] = {}
    enquiry_facts = []
    for enquiry in enquiries:
        loaded[enquiry.child_id] = enquiry.child
        enquiry_facts.append(
            EnquiryFacts(
                child=enquiry.child.la_child_id,
                strategy_discussion_date=enquiry.strategy_discussion_date,
                conference_held=enquiry.conference_held,  # type: ignore[attr-defined]
                conference_not_required=enquiry.conference_not_required,
                child_pk=enquiry.child_id,
            )
        )
    plans = list(plans_open)
    brought_forward = _brought_forward(plans_open, as_of)
    plan_facts = []
    for plan in plans:
        loaded[plan.child_id] = plan.child
        last_core_group: date | None = plan.last_core_group  # type: ignore[attr-defined]
        plan_facts.append(
            OpenPlanFacts(
                child=plan.child.la_child_id,
                start_date=plan.start_date,
                last_review=plan.last_review,  # type: ignore[attr-defined]
                other_authority=plan.other_authority,
                child_pk=plan.child_id,
                brought_forward=tuple(brought_forward.get(plan.pk, ())),
                # Convene keeps the core groups of the plans its conferences started, and of
                # any plan with a core group recorded in it.
                keeps_core_groups=(plan.started_by_id is not None and plan.ssd_plan_id is None)
                or last_core_group is not None,
                last_core_group=last_core_group,
                born=plan.child.date_of_birth,
                mother_unwell=plan.mother_unwell_after_birth,
                met_since_birth=plan.met_since_birth,  # type: ignore[attr-defined]
            )
        )
    follow_up_facts = []
    for subject in follow_ups:
        loaded[subject.child_id] = subject.child
        assert subject.conference.date is not None
        # A deferred decision waits for the reconvened conference; an inquorate one (that
        # did not defer) for its early review.
        kind = (
            DeadlineKind.RECONVENE
            if subject.outcome == ChildOutcome.DEFERRED
            else DeadlineKind.EARLY_REVIEW
        )
        follow_up_facts.append(
            FollowUpFacts(
                child=subject.child.la_child_id,
                kind=kind,
                conference_date=subject.conference.date,
                child_pk=subject.child_id,
            )
        )
    cin_facts = []
    for cin in cin_plans:
        loaded[cin.child_id] = cin.child
        cin_facts.append(
            CinPlanFacts(
                child=cin.child.la_child_id,
                start_date=cin.start_date,
                last_review=cin.last_review,  # type: ignore[attr-defined]
                child_pk=cin.child_id,
            )
        )
    document_facts = []
    for subject in documents:
        loaded[subject.child_id] = subject.child
        assert subject.conference.date is not None
        document_facts.append(
            DocumentFacts(
                child=subject.child.la_child_id,
                conference_date=subject.conference.date,
                letter_sent=subject.letter_sent,  # type: ignore[attr-defined]
                record_sent=subject.record_sent,  # type: ignore[attr-defined]
                child_pk=subject.child_id,
            )
        )
    found = open_deadlines(
        enquiry_facts,
        plan_facts,
        procedures=procedures,
        as_of=as_of,
        follow_ups=follow_up_facts,
        cin_plans=cin_facts,
        documents=document_facts,
    )
    return [WorkItem(deadline=d, child=loaded[d.child_pk]) for d in found if d.child_pk]


def deadlines_as_of(
    *, as_of: date, procedures: Profile, children: QuerySet[Child] | None = None
) -> list[Deadline]:
    """The open deadlines across the authority (or for `children`), soonest first."""
    items = _work_items(as_of=as_of, procedures=procedures, children=children)
    return [item.deadline for item in items]


# Reading the stored rows (returns.deadline_store) ------------------------------------------


def from_row(row: OpenDeadline, *, as_of: date) -> Deadline:
    """A stored open deadline as the rules gave it, overdue or not on `as_of`."""
    return Deadline(
        child=row.child.la_child_id,
        kind=DeadlineKind(row.kind),
        due=row.due,
        overdue=is_overdue(row.due, as_of),
        explanation=row.explanation,
        counts_from=row.counts_from,
        event=row.event,
        child_pk=row.child_id,
    )


def work_items(rows: Iterable[OpenDeadline], *, as_of: date) -> list[WorkItem]:
    return [WorkItem(deadline=from_row(row, as_of=as_of), child=row.child) for row in rows]


def stored_deadlines(children: QuerySet[Child], *, as_of: date) -> list[Deadline]:
    """The stored open deadlines of `children`, soonest first: one query."""
    return [from_row(row, as_of=as_of) for row in deadline_store.open_rows(children)]


# The work list -----------------------------------------------------------------------------

NO_TEAM = "none"


def work_list(user: User | AnonymousUser, *, as_of: date) -> QuerySet[OpenDeadline]:
    """The open deadlines of the children this person may see, soonest first (a query set:
    the page reads one page of it)."""
    return deadline_store.open_rows(policy.visible_children(user, today=as_of))


def team_choices(rows: QuerySet[OpenDeadline]) -> list[tuple[str, str]]:
    """The teams of the children on the list, by name; children with no team last. Two
    queries: the distinct teams of the rows (None for no team), then their names."""
    found = set(rows.order_by().values_list("child__social_worker__team", flat=True).distinct())
    teams = Team.objects.filter(pk__in=[pk for pk in found if pk is not None]).order_by("name")
    choices = [(str(team.pk), team.name) for team in teams]
    if None in found:
        choices.append((NO_TEAM, "No team allocated"))
    return choices


def filter_work_list(
    rows: QuerySet[OpenDeadline],
    *,
    as_of: date,
    team: str = "",
    kind: str = "",
    overdue_only: bool = False,
) -> QuerySet[OpenDeadline]:
    if team == NO_TEAM:
        rows = rows.filter(child__social_worker__team__isnull=True)
    elif team:
        rows = rows.filter(child__social_worker__team_id=int(team))
    if kind:
        rows = rows.filter(kind=kind)
    if overdue_only:
        rows = rows.filter(deadline_store.overdue_q(as_of))
    return rows
