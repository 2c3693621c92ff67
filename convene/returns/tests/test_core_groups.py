"""Core group meetings on time, the local measure on the performance page (Cornwall C:123)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from convene.authority.selectors import authority_procedures
from convene.plans.enums import MeetingStatus
from convene.plans.models import CoreGroupMeeting
from convene.returns.core_groups import (
    PlanCoreGroups,
    core_group_facts,
    core_group_timeliness,
    meetings_due,
)
from convene.returns.years import ReportingYear
from convene.testing.factories import ConferenceFactory, PlanFactory
from convene.testing.pages import main_content

YEAR = ReportingYear.parse("2025-26")


@pytest.mark.django_db
def test_each_meeting_due_is_on_time_late_or_missed():
    profile = authority_procedures()
    # Started Monday 9 March 2026: first due 23 March (10 working days), held 20 March, on
    # time; next due 1 May (6 weeks), not held by 31 March: not yet due in the year.
    on_time = PlanCoreGroups(date(2026, 3, 9), None, (date(2026, 3, 20),))
    assert meetings_due(on_time, start=YEAR.start, on=YEAR.end, profile=profile) == [
        (date(2026, 3, 23), True)
    ]
    # Started 2 February: first due 16 February, held late on 20 February; next due 3 April.
    late = PlanCoreGroups(date(2026, 2, 2), None, (date(2026, 2, 20),))
    assert meetings_due(late, start=YEAR.start, on=YEAR.end, profile=profile) == [
        (date(2026, 2, 16), False)
    ]
    # Never held: late once its due date has passed.
    missed = PlanCoreGroups(date(2026, 2, 2), None, ())
    result = core_group_timeliness([on_time, late, missed], year=YEAR, on=YEAR.end, profile=profile)
    assert (result.due, result.on_time, result.late, result.percent) == (3, 1, 2, 33)


@pytest.mark.django_db
def test_the_facts_are_the_plans_whose_core_groups_convene_keeps():
    started_here = PlanFactory.create(
        start_date=date(2026, 3, 9), started_by=ConferenceFactory.create(date=date(2026, 3, 9))
    )
    CoreGroupMeeting.objects.create(plan=started_here, date=date(2026, 3, 20))
    CoreGroupMeeting.objects.create(
        plan=started_here, date=date(2026, 3, 27), status=MeetingStatus.SCHEDULED
    )
    PlanFactory.create(start_date=date(2026, 1, 5), ssd_plan_id="P1")  # imported, none kept
    [facts] = core_group_facts(start=YEAR.start, on=YEAR.end)
    assert facts == PlanCoreGroups(date(2026, 3, 9), None, (date(2026, 3, 20),))


@pytest.mark.django_db
def test_the_performance_page_shows_core_groups_after_the_national_indicators(
    team_manager, as_user
):
    page = main_content(as_user(team_manager).get(reverse("returns:performance")))
    assert "Core group meetings held on time" in page
    # After every national indicator's section, not inside one.
    assert page.index("Core group meetings held on time") > page.rindex("</figure>")
