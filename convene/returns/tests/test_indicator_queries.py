"""The indicators counted by the database (`indicator_queries`) equal the Python reference
(`indicators.indicators_for_years`, whose definitions `test_indicators.py` pins down) on a
varied generated history: month ends, 29 February, bank holidays and closure days, transfers,
plans recorded from other authorities, late and missing reviews. The database counts with the
values stored on plans and enquiries (decision 0032): these tests also prove them in step
after each service that changes them, the SSD import and the rebuild command."""

import importlib
import json
import random
from datetime import date, timedelta
from io import StringIO

import pytest
import time_machine
from django.apps import apps as django_apps
from django.core.management import call_command
from django.core.management.base import CommandError

from convene.access.enums import Role
from convene.authority.models import AuthoritySettings, ClosureDay
from convene.authority.services import (
    authority_settings_get,
    authority_settings_update,
    closure_day_add,
    closure_day_remove,
)
from convene.conferences.convening.services import (
    Consideration,
    conference_decide,
    enquiry_record,
)
from convene.conferences.decision.rules import DecisionEntry
from convene.conferences.decision.services import decision_record
from convene.conferences.enums import ConferenceStatus, ConferenceType
from convene.conferences.models import Conference, ConferenceChild
from convene.conferences.selectors import household_children
from convene.core.services import Actor
from convene.people.models import Child
from convene.plans.models import Plan
from convene.referrals.models import Section47Enquiry
from convene.returns.indicator_facts import Refreshed, indicator_facts_refresh
from convene.returns.indicator_queries import (
    Tally,
    Total,
    children_behind,
    figures_for_years,
    review_cutoff,
)
from convene.returns.indicators import (
    FIRST_REVIEW_MONTHS,
    Count,
    Fraction,
    Indicator,
    Indicators,
    ReportingYear,
    Side,
    indicators_for_years,
)
from convene.returns.ssd import import_extract
from convene.testing.factories import (
    ChildFactory,
    ConferenceChildFactory,
    ConferenceFactory,
    EnquiryFactory,
    PlanFactory,
    PlanReviewFactory,
    UserFactory,
)
from convene.timescales import Nation
from convene.timescales.rules import add_months

from .ssd_extract import base_tables, write_extract

# Days where month arithmetic and working days are most likely to go wrong.
AWKWARD = [
    date(2024, 2, 29),
    date(2024, 2, 28),
    date(2024, 3, 1),
    date(2024, 8, 31),
    date(2024, 11, 30),
    date(2024, 12, 31),
    date(2025, 3, 31),
    date(2025, 4, 1),
    date(2025, 11, 30),
    date(2025, 12, 19),
    date(2025, 12, 31),
    date(2026, 3, 31),
    date(2026, 4, 1),
    date(2026, 5, 29),
    date(2026, 11, 30),
    date(2026, 12, 24),
    date(2027, 3, 31),
]
FIRST = date(2023, 1, 1)
LAST = date(2028, 3, 31)


def _day(rng: random.Random) -> date:
    if rng.random() < 0.3:
        return rng.choice(AWKWARD)
    return FIRST + timedelta(days=rng.randrange((LAST - FIRST).days))


def _history(seed: int, children: int) -> None:
    rng = random.Random(seed)
    ClosureDay.objects.create(day=date(2025, 12, 29), description="Winter closure")
    ClosureDay.objects.create(day=date(2026, 11, 20), description="Office move")
    AuthoritySettings.objects.create(child_population=12_345)
    for _ in range(children):
        child = ChildFactory.create()
        begin = _day(rng)
        for _ in range(rng.randint(0, 3)):
            other = rng.random() < 0.2
            length = rng.choice([rng.randrange(1, 1200), 730, 731, 729, 365, 91, 92])
            end = None if rng.random() < 0.3 else begin + timedelta(days=length)
            plan = PlanFactory.create(
                child=child,
                start_date=begin,
                end_date=end,
                other_authority=other,
                previous_plans_elsewhere=rng.choice([0, 0, 0, 1, 2]),
            )
            held = begin
            for _ in range(rng.randint(0, 5)):
                held = held + timedelta(days=rng.choice([rng.randrange(20, 220), 92, 183, 184]))
                if end is not None and held > end:
                    break
                PlanReviewFactory.create(plan=plan, date=held)
            if end is None:
                break
            begin = end + timedelta(days=rng.randrange(1, 600))
        for _ in range(rng.randint(0, 2)):
            strategy = _day(rng)
            enquiry = EnquiryFactory.create(
                child=child, episode__child=child, strategy_discussion_date=strategy
            )
            ConferenceChildFactory.create(
                child=child,
                enquiry=None if rng.random() < 0.1 else enquiry,
                conference__type=rng.choice(
                    [ConferenceType.INITIAL, ConferenceType.PRE_BIRTH, ConferenceType.TRANSFER_IN]
                ),
                conference__date=strategy + timedelta(days=rng.choice([19, 20, 21, 22, 23, 30])),
                conference__status=rng.choice(
                    [ConferenceStatus.HELD] * 4 + [ConferenceStatus.CANCELLED]
                ),
            )


def _same(today: date) -> list[Indicators]:
    """The database counts what the reference counts, this year and last, with the same
    children behind each number; every stored value is what the definitions work out."""
    assert indicator_facts_refresh(write=False) == Refreshed(
        plans=0, enquiries=0, conference_children=0
    )
    years = [ReportingYear.containing(today)]
    years.append(years[0].previous)
    reference = indicators_for_years(years, today=today)
    figures = figures_for_years(years, today=today)
    for expected, got in zip(reference, figures, strict=True):
        assert (got.year, got.on, got.complete) == (expected.year, expected.on, expected.complete)
        assert got.as_json() == expected.as_json()
        for indicator in Indicator:
            value = expected.get(indicator)
            sides = [Side.NUMERATOR] if isinstance(value, Count) else list(Side)
            for side in sides:
                behind = children_behind(got.year, indicator, side, on=got.on)
                children = value.children(side)
                assert behind.counted == len(children), (indicator, side)
                assert behind.children == len(set(children)), (indicator, side)
                assert sorted(set(behind.child_ids)) == sorted(set(children)), (indicator, side)
    return reference


@pytest.mark.django_db
@pytest.mark.parametrize(
    "today", [date(2026, 11, 24), date(2027, 3, 31), date(2028, 2, 29), date(2025, 4, 1)]
)
def test_the_database_counts_what_the_python_reference_counts(today):
    _history(seed=today.toordinal(), children=120)
    reference = _same(today)
    # The history is varied enough that every fraction has things met and not met.
    for indicator in Indicator:
        values = [r.get(indicator) for r in reference]
        assert any(isinstance(v, Count) or 0 < v.numerator < v.denominator for v in values), (
            indicator
        )


@pytest.mark.django_db
@pytest.mark.parametrize("today", [date(2026, 11, 24), date(2027, 3, 31)])
def test_manage_py_kpis_prints_what_the_python_reference_counts(today):
    """`manage.py kpis` counts with the aggregate queries: its JSON is the reference's, for
    the year still running and the year before, and its text has the reference's numbers."""
    _history(seed=today.toordinal() + 1, children=80)
    running = ReportingYear.containing(today)
    with time_machine.travel(today.isoformat() + " 12:00 +00:00", tick=False):
        for year in [running, running.previous]:
            (reference,) = indicators_for_years([year], today=today)
            out = StringIO()
            call_command("kpis", "--year", str(year), "--format", "json", stdout=out)
            assert json.loads(out.getvalue()) == reference.as_json()
            out = StringIO()
            call_command("kpis", "--year", str(year), stdout=out)
            for indicator in Indicator:
                value = reference.get(indicator)
                if isinstance(value, Fraction) and value.percent is not None:
                    assert f"{value.percent}% ({value.numerator:,} of {value.denominator:,} " in (
                        out.getvalue()
                    ), indicator
                elif isinstance(value, Count):
                    assert f": {value.count:,} ({value.per_10000} per 10,000" in out.getvalue()


def test_numbers_print_as_the_reference_does():
    assert Tally(1, 3).as_json() == Fraction((1,), (1, 2, 3)).as_json()
    assert Tally(0, 0).as_json() == Fraction((), ()).as_json()
    assert Total(3, 40_000).as_json() == Count((1, 2, 3), 40_000).as_json()
    assert Total(3).as_json() == Count((1, 2, 3)).as_json()


@pytest.mark.parametrize(
    "on",
    [date(2027, 3, 31), date(2027, 2, 28), date(2028, 2, 29), date(2028, 5, 31), date(2026, 6, 1)],
)
def test_the_review_cutoff_is_the_last_start_with_a_first_review_due(on):
    cutoff = review_cutoff(on)
    assert add_months(cutoff, FIRST_REVIEW_MONTHS) <= on
    assert add_months(cutoff + timedelta(days=1), FIRST_REVIEW_MONTHS) > on
    # and every earlier start is due too (the addition never goes backwards)
    day = cutoff - timedelta(days=400)
    while day <= cutoff:
        assert add_months(day, FIRST_REVIEW_MONTHS) <= on
        day += timedelta(days=1)


TODAY = date(2026, 11, 24)
ICPC = Indicator.ICPC_WITHIN_15_WORKING_DAYS


def _decide(subject: ConferenceChild, by: Actor, **entry: str) -> None:
    subject.refresh_from_db()
    decision_record(
        subject=subject,
        entry=DecisionEntry(reasons="Left alone at night.", **entry),
        version=subject.version,
        by=by,
        today=TODAY,
    )


def _held(child: Child, enquiry: Section47Enquiry, on: date) -> None:
    ConferenceChildFactory.create(
        child=child,
        enquiry=enquiry,
        conference__type=ConferenceType.INITIAL,
        conference__status=ConferenceStatus.HELD,
        conference__date=on,
    )


def _on_time_last_year() -> set[int]:
    last = ReportingYear(2025)
    return set(children_behind(last, ICPC, Side.NUMERATOR, on=last.end).child_ids)


def _numbers(fraction: Fraction) -> tuple[int, int]:
    return fraction.numerator, fraction.denominator


@pytest.mark.django_db
def test_after_each_service_that_changes_a_stored_value_the_counts_still_agree():
    _history(seed=16, children=40)
    chair = UserFactory.create(roles=[Role.CONFERENCE_CHAIR])
    by = Actor(chair)
    _same(TODAY)

    # A strategy discussion recorded on Monday 5 October; the conference a working day late.
    child = ChildFactory.create()
    (enquiry,) = enquiry_record(
        household=None, children=[child], strategy_discussion_date=date(2026, 10, 5), by=by,
        today=TODAY,
    )  # fmt: skip
    enquiry.refresh_from_db()
    assert enquiry.icpc_indicator_due == date(2026, 10, 26)
    # The manager convenes the initial conference; it is held on 27 October.
    conference = conference_decide(
        enquiries=[enquiry], convene=True, decided_on=date(2026, 10, 6),
        considered=[Consideration(c, True) for c in household_children(child)], by=by,
        today=TODAY,
    )  # fmt: skip
    assert conference is not None
    _same(TODAY)
    Conference.objects.filter(pk=conference.pk).update(
        status=ConferenceStatus.HELD, date=date(2026, 10, 27)
    )
    before = _numbers(_same(TODAY)[0].icpc_within_15_working_days)

    # A closure day within its 15 working days moves the due date: now it was on time.
    closure = closure_day_add(day=date(2026, 10, 14), description="Office move", by=by)
    after = _numbers(_same(TODAY)[0].icpc_within_15_working_days)
    assert after == (before[0] + 1, before[1])
    closure_day_remove(closure=closure, by=by)
    assert _numbers(_same(TODAY)[0].icpc_within_15_working_days) == before

    # Scotland's St Andrew's Day (Monday 1 December 2025) moves last year's due dates.
    child = ChildFactory.create()
    (enquiry,) = enquiry_record(
        household=None, children=[child], strategy_discussion_date=date(2025, 11, 24), by=by,
        today=TODAY,
    )  # fmt: skip
    _held(child, enquiry, date(2025, 12, 16))
    _same(TODAY)
    assert child.pk not in _on_time_last_year()
    settings = authority_settings_get()
    authority_settings_update(
        profile=settings.profile, nation=Nation.SCOTLAND, version=settings.version, by=by
    )
    _same(TODAY)
    enquiry.refresh_from_db()
    assert enquiry.icpc_indicator_due == date(2025, 12, 16)
    assert child.pk in _on_time_last_year()

    # A second plan started at an initial conference: its first review due on 1 September.
    child = ChildFactory.create()
    PlanFactory.create(child=child, start_date=date(2023, 5, 2), end_date=date(2024, 6, 3))
    started = _numbers(_same(TODAY)[0].second_or_subsequent_plans)
    initial = ConferenceFactory.create(date=date(2026, 6, 1), chair=chair, quorate=True)
    _decide(ConferenceChildFactory.create(conference=initial, child=child), by,
            outcome="cp_plan", category="NEG")  # fmt: skip
    figures = _same(TODAY)[0]
    assert _numbers(figures.second_or_subsequent_plans) == (started[0] + 1, started[1] + 1)
    before = _numbers(figures.reviews_within_timescale)
    # Its review held on 20 August, in time: the plan now counts as reviewed on time.
    review = ConferenceFactory.create(
        type=ConferenceType.REVIEW, date=date(2026, 8, 20), chair=chair, quorate=True
    )
    _decide(ConferenceChildFactory.create(conference=review, child=child), by,
            outcome="continue_plan", category="NEG")  # fmt: skip
    after = _numbers(_same(TODAY)[0].reviews_within_timescale)
    assert after == (before[0] + 1, before[1])


@pytest.mark.django_db
def test_the_ssd_import_leaves_the_stored_values_in_step(tmp_path):
    _history(seed=7, children=20)
    tables = base_tables()
    assert import_extract(write_extract(tmp_path / "first", tables)).ok
    assert Plan.objects.filter(ssd_plan_id__isnull=False, reviews_on_time_until__isnull=False)
    _same(date(2026, 3, 31))
    # A newer extract moves a plan's start and its review: the stored values follow.
    tables["ssd_cp_plans"][0].update(cppl_cp_plan_start_date="2025-05-01", cppl_icpc_id="")
    tables["ssd_cp_reviews"][0].update(
        cppr_cp_review_date="2025-08-20", cppr_cp_review_meeting_id="M5"
    )
    tables["ssd_cp_visits"][0]["cppv_cp_visit_date"] = "2025-08-04"
    assert import_extract(write_extract(tmp_path / "second", tables)).ok
    _same(date(2026, 3, 31))
    _same(date(2025, 11, 30))


@pytest.mark.django_db
def test_the_command_finds_and_puts_right_what_is_out_of_step(capsys):
    _history(seed=3, children=10)
    Plan.objects.update(reviews_on_time_until=None)
    Section47Enquiry.objects.update(icpc_indicator_due=date(2020, 1, 1))
    # A child's copy is checked against the enquiry's stored date.
    ConferenceChild.objects.update(icpc_indicator_due=None)
    plans, enquiries = Plan.objects.count(), Section47Enquiry.objects.count()
    children = ConferenceChild.objects.filter(enquiry__isnull=False).count()
    counted = f"{plans} plans, {enquiries} section 47 enquiries and {children} children"
    with pytest.raises(CommandError, match=f"Out of step: {counted} at conferences"):
        call_command("indicator_facts", "--check")
    call_command("indicator_facts")
    # Putting the enquiries right puts their children's copies right with them.
    assert f"Put right: {plans} plans, {enquiries} section 47 enquiries and 0" in (
        capsys.readouterr().out
    )
    call_command("indicator_facts", "--check")
    assert "Out of step: 0 plans, 0 section 47 enquiries and 0 children" in (
        capsys.readouterr().out
    )
    _same(TODAY)


@pytest.mark.django_db
def test_the_migration_fills_the_stored_values_of_records_already_held():
    _history(seed=5, children=10)
    Plan.objects.update(reviews_on_time_until=None)
    Section47Enquiry.objects.update(icpc_indicator_due=None)
    ConferenceChild.objects.update(icpc_indicator_due=None)
    migration = importlib.import_module("convene.referrals.migrations.0003_indicator_facts_fill")
    migration.fill(django_apps, None)
    _same(TODAY)
