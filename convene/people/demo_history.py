"""The demo families' child protection history: episodes, section 47 enquiries, conferences,
plans, reviews and visits, dated back from the day the demo is loaded on the authority's
calendar. Used by `convene.people.demo.load_demo` once the families exist.

Every name here is invented.
"""

from __future__ import annotations

from datetime import date, timedelta

from convene.access.models import User
from convene.conferences.enums import ChildOutcome, ConferenceStatus, ConferenceType
from convene.conferences.models import Conference, ConferenceChild
from convene.plans.enums import Category, PlanEndReason
from convene.plans.models import CoreGroupMeeting, Plan, PlanReview, Visit
from convene.referrals.enums import ClosureReason, PrimaryNeed, ReferralSource
from convene.referrals.models import Episode, Section47Enquiry
from convene.timescales import Calendar
from convene.timescales.rules import add_months

from .models import Child


class History:
    """The families' child protection history, dated back from `today` on the authority's
    calendar so every conference falls on a working day. Loaded at 14 April 2026 (as CI
    does), all of it belongs to the 2025-26 census year."""

    def __init__(self, today: date, calendar: Calendar) -> None:
        self.today = today
        self.calendar = calendar

    def weeks_ago(self, weeks: int) -> date:
        """The working day on or before `weeks` weeks ago."""
        return self.on_or_before(self.today - timedelta(weeks=weeks))

    def on_or_before(self, day: date) -> date:
        calendar = self.calendar
        return day if calendar.is_working_day(day) else calendar.add_working_days(day, -1)

    def after(self, day: date, working_days: int) -> date:
        return self.calendar.add_working_days(day, working_days)

    def months_after(self, day: date, months: int) -> date:
        """A review due `months` months after `day`, held on the last working day by then."""
        return self.on_or_before(add_months(day, months))

    def create(self, kids: dict[str, Child], users: dict[str, User]) -> None:
        self.adeyemi(kids["joshua"], kids["esther"], users["hannah.pryce"])
        self.harlow(kids["mia"], kids["leo"], kids["unborn"], users["sam.okafor"])
        self.kowalska(kids["zofia"], users["sam.okafor"])
        self.brennan(kids["callum"], users["hannah.pryce"])
        self.fairweather(kids["ruby"], kids["alfie"], users["sam.okafor"])
        self.core_groups()

    def core_groups(self) -> None:
        """After each plan's first core group (made with the plan), one about every 5 weeks
        while it was open, the last no later than last week; Leo's core group last met 7 weeks
        ago, so the work list shows one overdue."""
        for plan in Plan.objects.filter(started_by__isnull=False).select_related("child"):
            first = plan.core_group_meetings.get().date
            until = min(plan.end_date or self.today, self.today - timedelta(weeks=1))
            if plan.child.first_name == "Leo":
                until = self.today - timedelta(weeks=7)
            day = first + timedelta(weeks=5)
            while day <= until:
                CoreGroupMeeting.objects.create(plan=plan, date=self.on_or_before(day))
                day += timedelta(weeks=5)

    def adeyemi(self, joshua: Child, esther: Child, worker: User) -> None:
        """One initial conference about two children, each with their own decision; Joshua's
        plan is reviewed at 3 months, then 6 months later, when it ends. Esther's new enquiry
        is past its 15 working days with no conference held."""
        referred = self.weeks_ago(50)
        strategy = self.after(referred, 2)
        icpc = self.after(strategy, 12)
        enquiries = {}
        for kid in (joshua, esther):
            episode = _episode(kid, referred, ReferralSource.SCHOOLS, worker)
            enquiries[kid] = _enquiry(kid, episode, strategy, worker, ended=icpc)
        held = _conference(
            ConferenceType.INITIAL,
            icpc,
            [
                (joshua, enquiries[joshua], ChildOutcome.CP_PLAN),
                (esther, enquiries[esther], ChildOutcome.CIN_PLAN),
            ],
        )
        plan = _plan(joshua, icpc, Category.PHYSICAL, started_by=held)
        first = self.months_after(icpc, 3)
        self.review(plan, first, ChildOutcome.CONTINUE_PLAN)
        second = self.months_after(first, 6)
        self.review(plan, second, ChildOutcome.END_PLAN)
        self.visits(plan, until=second, seen_alone=True)

        overdue = _enquiry(
            esther,
            esther.episodes.get(),
            self.calendar.add_working_days(self.today, -18),
            worker,
            notes="Esther told her teacher about bruising. The conference is late.",
        )
        _conference(
            ConferenceType.INITIAL,
            self.after(self.today, 3),
            [(esther, overdue, "")],
            ConferenceStatus.SCHEDULED,
        )

    def harlow(self, mia: Child, leo: Child, unborn: Child, worker: User) -> None:
        """Mia's first plan ended at its first review; a year on, police report domestic abuse
        and Mia (on her second plan) and Leo are made subject to plans at one conference. The
        baby due in 16 weeks has a pre-birth conference of her own."""
        referred = self.weeks_ago(51)
        strategy = self.after(referred, 1)
        icpc = self.after(strategy, 12)
        review = self.months_after(icpc, 3)
        episode = _episode(
            mia,
            referred,
            ReferralSource.POLICE,
            worker,
            closed=self.weeks_ago(33),
            reason=ClosureReason.RC7,
        )
        enquiry = _enquiry(mia, episode, strategy, worker, ended=icpc)
        held = _conference(ConferenceType.INITIAL, icpc, [(mia, enquiry, ChildOutcome.CP_PLAN)])
        first_plan = _plan(mia, icpc, Category.NEGLECT, started_by=held)
        self.review(first_plan, review, ChildOutcome.END_PLAN)

        referred = self.weeks_ago(14)
        strategy = self.after(referred, 1)
        icpc = self.after(strategy, 12)
        outcomes = []
        for kid in (mia, leo):
            episode = _episode(kid, referred, ReferralSource.POLICE, worker)
            outcomes.append((kid, _enquiry(kid, episode, strategy, worker, ended=icpc)))
        held = _conference(
            ConferenceType.INITIAL, icpc, [(k, e, ChildOutcome.CP_PLAN) for k, e in outcomes]
        )
        plans = [
            _plan(mia, icpc, Category.EMOTIONAL, started_by=held),
            _plan(leo, icpc, Category.NEGLECT, started_by=held),
        ]
        self.visits(plans[0], until=self.today, seen_alone=True, missed=1)
        # Leo is 4: he is seen, but not alone.
        self.visits(plans[1], until=self.today, seen_alone=False)
        _conference(
            ConferenceType.REVIEW,
            self.months_after(icpc, 3),
            [(mia, None, ""), (leo, None, "")],
            ConferenceStatus.SCHEDULED,
        )

        referred = self.weeks_ago(9)
        strategy = self.after(referred, 2)
        pre_birth = self.after(strategy, 12)
        episode = _episode(unborn, referred, ReferralSource.HEALTH_OTHER, worker)
        enquiry = _enquiry(unborn, episode, strategy, worker, ended=pre_birth)
        held = _conference(
            ConferenceType.PRE_BIRTH, pre_birth, [(unborn, enquiry, ChildOutcome.CP_PLAN)]
        )
        _plan(unborn, pre_birth, Category.NEGLECT, started_by=held)

    def kowalska(self, zofia: Child, worker: User) -> None:
        """Enquiries that found no need for a conference; months later, a new referral whose
        conference is booked within its 15 working days."""
        referred = self.weeks_ago(30)
        strategy = self.after(referred, 1)
        episode = _episode(
            zofia,
            referred,
            ReferralSource.SCHOOLS,
            worker,
            closed=self.weeks_ago(24),
            reason=ClosureReason.RC7,
        )
        _enquiry(
            zofia,
            episode,
            strategy,
            worker,
            ended=self.after(strategy, 8),
            not_required=True,
            notes="No further action: the injury was explained and seen by the GP.",
        )
        calendar = self.calendar
        episode = _episode(
            zofia, calendar.add_working_days(self.today, -11), ReferralSource.SCHOOLS, worker
        )
        strategy = calendar.add_working_days(self.today, -10)
        awaiting = _enquiry(zofia, episode, strategy, worker)
        _conference(
            ConferenceType.INITIAL,
            self.after(strategy, 13),
            [(zofia, awaiting, "")],
            ConferenceStatus.SCHEDULED,
        )

    def brennan(self, callum: Child, worker: User) -> None:
        """Callum moved to his grandmother from another authority, where he was on a plan:
        that plan is recorded (so it counts as a previous plan) and his plan here starts at
        the transfer-in conference."""
        referred = self.weeks_ago(33)
        transfer = self.after(referred, 10)
        _episode(callum, referred, ReferralSource.LA_EXTERNAL, worker)
        Plan.objects.create(
            child=callum,
            start_date=self.weeks_ago(90),
            end_date=transfer,
            end_reason=PlanEndReason.TRANSFERRED,
            initial_category=Category.NEGLECT,
            latest_category=Category.NEGLECT,
            other_authority=True,
        )
        held = _conference(
            ConferenceType.TRANSFER_IN, transfer, [(callum, None, ChildOutcome.CP_PLAN)]
        )
        plan = _plan(callum, transfer, Category.NEGLECT, started_by=held)
        review = self.months_after(transfer, 3)
        self.review(plan, review, ChildOutcome.CONTINUE_PLAN)
        self.visits(plan, until=self.today, seen_alone=True)
        _conference(
            ConferenceType.REVIEW,
            self.months_after(review, 6),
            [(callum, None, "")],
            ConferenceStatus.SCHEDULED,
        )

    def fairweather(self, ruby: Child, alfie: Child, worker: User) -> None:
        """Referred by Ruby's school 30 weeks ago and helped since as children in need; no
        strategy discussion yet. The browser tests take them from here to the decision for
        each child, and on through Ruby's plan to its end."""
        for kid in (ruby, alfie):
            _episode(kid, self.weeks_ago(30), ReferralSource.SCHOOLS, worker)

    def review(self, plan: Plan, day: date, outcome: ChildOutcome) -> None:
        held = _conference(ConferenceType.REVIEW, day, [(plan.child, None, outcome)])
        continues = outcome != ChildOutcome.END_PLAN
        PlanReview.objects.create(
            plan=plan,
            date=day,
            attendance=held.subjects.get(),
            plan_continues=continues,
            quorate=True,
        )
        if not continues:
            plan.end_date = day
            plan.end_reason = PlanEndReason.NO_LONGER_AT_RISK
            plan.save(update_fields=["end_date", "end_reason"])

    def visits(self, plan: Plan, *, until: date, seen_alone: bool, missed: int = -1) -> None:
        """Statutory visits every 10 working days while the plan is open; visit number
        `missed` found no one at home."""
        day = self.after(plan.start_date, 5)
        number = 0
        while day < until:
            seen = number != missed
            Visit.objects.create(
                child=plan.child,
                plan=plan,
                date=day,
                seen=seen,
                seen_alone=seen and seen_alone,
                bedroom_seen=seen,
            )
            day = self.after(day, 10)
            number += 1


def _episode(
    child: Child,
    referred: date,
    source: ReferralSource,
    worker: User,
    *,
    closed: date | None = None,
    reason: ClosureReason | str = "",
) -> Episode:
    return Episode.objects.create(
        child=child,
        referral_date=referred,
        referral_source=source,
        primary_need=PrimaryNeed.N1,
        closure_date=closed,
        closure_reason=reason,
        team="Assessment Team A",
        worker=worker.get_full_name(),
    )


def _enquiry(
    child: Child,
    episode: Episode,
    strategy: date,
    worker: User,
    *,
    ended: date | None = None,
    not_required: bool = False,
    notes: str = "",
) -> Section47Enquiry:
    return Section47Enquiry.objects.create(
        child=child,
        episode=episode,
        strategy_discussion_date=strategy,
        end_date=ended,
        conference_not_required=not_required,
        outcome_notes=notes,
        team="Assessment Team A",
        worker=worker.get_full_name(),
    )


def _conference(
    kind: ConferenceType,
    day: date,
    subjects: list[tuple[Child, Section47Enquiry | None, ChildOutcome | str]],
    status: ConferenceStatus = ConferenceStatus.HELD,
) -> Conference:
    held = status == ConferenceStatus.HELD
    conference = Conference.objects.create(
        type=kind, date=day, status=status, quorate=True if held else None
    )
    ConferenceChild.objects.bulk_create(
        ConferenceChild(conference=conference, child=kid, enquiry=enquiry, outcome=outcome)
        for kid, enquiry, outcome in subjects
    )
    return conference


def _plan(child: Child, start: date, category: Category, *, started_by: Conference) -> Plan:
    plan = Plan.objects.create(
        child=child,
        start_date=start,
        initial_category=category,
        latest_category=category,
        started_by=started_by,
        # The in-memory child may predate its allocation: read it as saved.
        lead_social_worker=Child.objects.get(pk=child.pk).social_worker,
    )
    # The first core group met within its 10 working days (Cornwall C:123).
    CoreGroupMeeting.objects.create(plan=plan, date=start + timedelta(days=9))
    return plan
