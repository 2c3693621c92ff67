from datetime import date

import pytest

from convene.access.enums import Role
from convene.access.models import RoleGrant, User
from convene.authority.models import ClosureDay
from convene.authority.selectors import authority_procedures
from convene.conferences.enums import ConferenceStatus, ConferenceType
from convene.conferences.models import Conference
from convene.people.demo import load_demo
from convene.people.models import Child, Household
from convene.plans.models import Plan, Visit
from convene.referrals.models import Section47Enquiry
from convene.returns.indicator_facts import Refreshed, indicator_facts_refresh
from convene.returns.indicator_queries import figures_for_years
from convene.returns.indicators import indicators_for_years
from convene.returns.years import ReportingYear

pytestmark = pytest.mark.django_db
HELD = ConferenceStatus.HELD


def test_the_demo_has_a_user_for_every_role_and_an_unborn_baby():
    summary = load_demo(today=date(2026, 11, 24))
    assert summary.loaded
    assert set(RoleGrant.objects.values_list("role", flat=True)) == set(Role)
    assert Child.objects.filter(date_of_birth__isnull=True).exists()
    assert Household.objects.count() >= 4
    assert all(user.email.endswith(".example") for user in User.objects.all())


def test_loading_the_demo_twice_changes_nothing():
    load_demo(today=date(2026, 11, 24))
    counts = (User.objects.count(), Child.objects.count())
    assert not load_demo(today=date(2026, 11, 25)).loaded
    assert (User.objects.count(), Child.objects.count()) == counts


def test_the_demo_authority_closes_between_christmas_and_new_year():
    load_demo(today=date(2026, 11, 24))
    days = list(ClosureDay.objects.values_list("day", flat=True))
    assert days == [date(2026, 12, 29), date(2026, 12, 30), date(2026, 12, 31)]
    # The closure moves a deadline: 15 working days after 14 December 2026 is 7 January
    # 2027 on England's calendar, and 3 working days later with the offices closed.
    icpc = authority_procedures().timescale("icpc")
    assert icpc.due(date(2026, 12, 14)) == date(2027, 1, 12)


def test_the_demo_holds_child_protection_history_dated_from_today():
    today = date(2026, 11, 24)
    load_demo(today=today)
    procedures = authority_procedures()
    icpc = procedures.timescale("icpc")

    # An initial conference about two children of one household, each with their own decision.
    initial = [
        c
        for c in Conference.objects.filter(type=ConferenceType.INITIAL, status=HELD)
        if c.subjects.count() > 1
    ]
    assert any(len({s.outcome for s in c.subjects.all()}) > 1 for c in initial)

    # Section 47 enquiries: one needed no conference, one awaits it in time, one is overdue.
    assert Section47Enquiry.objects.filter(conference_not_required=True).count() == 1
    waiting = [
        icpc.due(e.strategy_discussion_date)
        for e in Section47Enquiry.objects.filter(end_date__isnull=True)
        if not e.conferences.filter(conference__status=HELD).exists()
    ]
    assert sorted(due >= today for due in waiting) == [False, True]

    plans = Plan.objects.all()
    assert plans.filter(end_date__isnull=True).count() == 4
    assert plans.filter(end_date__isnull=False, other_authority=False).count() == 2
    # A child on her second plan, and a transfer-in whose first plan was elsewhere.
    mia = Child.objects.get(first_name="Mia")
    assert mia.plans.filter(other_authority=False).count() == 2
    transfer = Plan.objects.get(started_by__type=ConferenceType.TRANSFER_IN)
    assert transfer.child.plans.filter(other_authority=True).count() == 1
    unborn = Plan.objects.get(child__date_of_birth__isnull=True)
    assert unborn.started_by is not None
    assert unborn.started_by.type == ConferenceType.PRE_BIRTH

    # Reviews due 3 months after the initial conference, then 6 months after that.
    reviewed = Plan.objects.get(child__first_name="Joshua")
    first, second = (r.date for r in reviewed.reviews.all())
    assert first <= procedures.timescale("first_review").due(reviewed.start_date)
    assert second <= procedures.timescale("next_review").due(first)
    assert (first - reviewed.start_date).days > 80 and (second - first).days > 170
    assert reviewed.end_date == second

    visits = Visit.objects.all()
    assert visits.filter(seen=True, seen_alone=True).exists()
    assert visits.filter(seen=True, seen_alone=False).exists()
    assert visits.filter(seen=False).exists()

    # What has happened is in the past, on working days; what is booked is ahead; one
    # conference is still to arrange (no date or chair yet).
    calendar = procedures.calendar
    to_arrange = Conference.objects.filter(status=ConferenceStatus.TO_ARRANGE)
    assert [(c.date, c.chair) for c in to_arrange] == [(None, None)]
    for conference in Conference.objects.exclude(status=ConferenceStatus.TO_ARRANGE):
        assert conference.date is not None and conference.chair is not None
        assert calendar.is_working_day(conference.date)
        assert (conference.date <= today) == (conference.status == HELD)
    # Scheduled conferences have their invitations out and reports asked for.
    for conference in Conference.objects.filter(status=ConferenceStatus.SCHEDULED):
        assert conference.invitations.exists() and conference.reports.exists()
    born = Child.objects.filter(date_of_birth__isnull=False)
    assert all(c.ethnicity and c.disabilities.exists() for c in born)


def test_every_demo_conference_being_arranged_invites_its_lead_social_workers():
    load_demo(today=date(2026, 11, 24))
    open_conferences = Conference.objects.filter(
        status__in=[ConferenceStatus.TO_ARRANGE, ConferenceStatus.SCHEDULED]
    )
    assert open_conferences.exists()
    for conference in open_conferences:
        workers = {
            s.child.social_worker_id for s in conference.subjects.all() if s.child.social_worker_id
        }
        invited = set(
            conference.invitations.filter(professional__user__in=workers).values_list(
                "professional__user_id", flat=True
            )
        )
        assert workers and invited == workers, conference


def test_the_demo_counts_the_same_indicators_both_ways():
    # Written directly, as an import would: its stored indicator facts are worked out at the
    # end, so the performance page agrees with the Python reference (decision 0032).
    today = date(2026, 11, 24)
    load_demo(today=today)
    assert indicator_facts_refresh(write=False) == Refreshed()
    years = [ReportingYear.containing(today)]
    years.append(years[0].previous)
    reference = [r.as_json() for r in indicators_for_years(years, today=today)]
    assert [f.as_json() for f in figures_for_years(years, today=today)] == reference
    assert Plan.objects.filter(reviews_on_time_until__isnull=False).exists()
