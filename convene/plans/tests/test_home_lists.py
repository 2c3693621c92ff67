"""Plans on people's home pages (issue 10): the lead social worker's, the team manager's and
the chair's, with the next review and core group, overdue actions, 2-year flags and drift
first; a constant number of queries however many plans."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from convene.access.enums import Role
from convene.authority.selectors import authority_procedures
from convene.conferences.enums import ConferenceType, ReportKind, ReportStatus
from convene.core.services import Actor
from convene.plans.enums import ActionStatus, CoreGroupKind
from convene.plans.models import Action, CoreGroupMeeting, CoreGroupMember, Plan, Visit
from convene.plans.plan_page.services import action_add, member_add
from convene.plans.selectors import open_plans, plans_chaired_by, plans_led_by, plans_of_team
from convene.testing.factories import (
    AgencyFactory,
    ChildFactory,
    ConferenceChildFactory,
    ConferenceFactory,
    PlanFactory,
    ProfessionalFactory,
    ReportFactory,
    UserFactory,
)
from convene.testing.pages import count_queries, main_content

pytestmark = pytest.mark.django_db
TODAY = date(2026, 5, 5)


def _plan(worker, chair, start: date, *, overdue: int = 0, met: bool = True) -> Plan:
    started = ConferenceFactory.create(date=start, chair=chair)
    plan = PlanFactory.create(
        child=ChildFactory.create(social_worker=worker),
        start_date=start,
        started_by=started,
        lead_social_worker=worker,
    )
    if met:
        CoreGroupMeeting.objects.create(plan=plan, date=date(2026, 4, 20))
    member = CoreGroupMember.objects.create(
        plan=plan, kind=CoreGroupKind.PARENT_CARER, name="A Parent", role="Mother"
    )
    for n in range(overdue):
        Action.objects.create(plan=plan, text=f"Action {n}", owner=member, due=date(2026, 5, 1))
    Action.objects.create(
        plan=plan, text="Done", owner=member, due=date(2026, 4, 1), status=ActionStatus.DONE
    )
    return plan


def test_each_plan_shows_its_next_review_core_group_and_what_needs_attention(social_worker, chair):
    steady = _plan(social_worker, chair, date(2026, 3, 9))
    drifting = _plan(social_worker, chair, date(2026, 3, 16), overdue=2)
    long = _plan(social_worker, chair, date(2024, 3, 4))
    rows = open_plans(plans_led_by(social_worker), as_of=TODAY, procedures=authority_procedures())
    assert [row.plan for row in rows] == [drifting, long, steady]
    first = rows[0]
    assert first.overdue_actions == 2 and first.drifting and not first.long
    assert first.review is not None and first.review.due == date(2026, 6, 16)
    assert first.core_group is not None and first.core_group.due == date(2026, 6, 1)
    assert rows[1].long and not rows[2].long and not rows[2].drifting


def test_team_managers_and_chairs_see_their_plans(
    social_worker, team_manager, chair, administrator
):
    plan = _plan(social_worker, chair, date(2026, 3, 9))
    assert list(plans_of_team(team_manager)) == [plan]
    assert list(plans_chaired_by(chair)) == [plan]
    assert not plans_chaired_by(administrator).exists()


def test_the_lead_social_workers_home_page_lists_their_plans_in_constant_queries(
    social_worker, chair, as_user
):
    client = as_user(social_worker)
    url = reverse("core:home")
    with time_machine.travel("2026-05-05 12:00 +0000", tick=False):
        _plan(social_worker, chair, date(2026, 3, 9), overdue=1)
        few = count_queries(client, url)
        for n in range(6):
            _plan(social_worker, chair, date(2026, 3, 9 + n), overdue=n % 3, met=n % 2 == 0)
        many = count_queries(client, url)
        page = main_content(client.get(url))
    assert few == many
    assert "Child protection plans you lead" in page and "1 action overdue" in page


def test_the_social_care_report_to_a_review_shows_progress_against_the_plan(
    social_worker, chair, as_user
):
    """London CP4 §7.2, §7.5: each action and the visits since the last conference."""
    plan = _plan(social_worker, chair, date(2026, 3, 9), overdue=1)
    Visit.objects.create(
        child=plan.child, plan=plan, date=date(2026, 3, 20), seen=True, seen_alone=False
    )
    review = ConferenceFactory.create(
        type=ConferenceType.REVIEW, date=date(2026, 6, 1), chair=chair
    )
    ConferenceChildFactory.create(conference=review, child=plan.child)
    report = ReportFactory.create(
        conference=review,
        kind=ReportKind.CHILDRENS_SOCIAL_CARE,
        agency=social_worker.agency,
        status=ReportStatus.SUBMITTED,
    )
    page = main_content(as_user(chair).get(reverse("conferences:report-detail", args=[report.pk])))
    assert "Progress against" in page and "Action 0" in page and "20 Mar 2026" in page


def test_an_overdue_action_is_chased_on_its_owners_list(social_worker, chair, as_user):
    """A professional added to the core group by name is linked to Convene's record of them,
    so the actions they own are on their home page, overdue ones tagged."""

    school = AgencyFactory.create(name="Testshire Schools", type="education")
    teacher = UserFactory.create(agency=school, roles=[Role.AGENCY_PROFESSIONAL])
    ProfessionalFactory.create(name="Owen Teacher", agency=school, user=teacher)
    plan = _plan(social_worker, chair, date(2026, 3, 9))
    member = member_add(
        plan=plan,
        kind=CoreGroupKind.PROFESSIONAL,
        name="owen teacher",
        role="Teacher",
        agency=school,
        by=Actor(social_worker),
    )
    assert member.professional is not None and member.professional.user == teacher
    action_add(
        plan=plan,
        text="Check Ruby has eaten",
        owner=member,
        due=date(2026, 4, 1),
        objective=None,
        by=Actor(social_worker),
        today=date(2026, 3, 10),
    )
    with time_machine.travel("2026-05-05 12:00 +0000", tick=False):
        page = main_content(as_user(teacher).get(reverse("core:home")))
    assert "Actions you own in child protection plans" in page
    assert "Check Ruby has eaten" in page and "Overdue" in page
