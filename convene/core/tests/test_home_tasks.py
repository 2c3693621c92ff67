"""The home page's task list (issue 15): everyone's work, most urgent first, each a link, in
the same number of queries however much work there is; its counts agree with the
conference's own page."""

from __future__ import annotations

from datetime import date, time

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from convene.access.models import User
from convene.conferences.enums import ChildOutcome, ConferenceStatus, ReportKind, ReportStatus
from convene.conferences.models import Conference
from convene.people.models import Professional
from convene.testing.factories import (
    ActionFactory,
    ChildFactory,
    ConferenceChildFactory,
    ConferenceFactory,
    CoreGroupMemberFactory,
    EnquiryFactory,
    InvitationFactory,
    PlanFactory,
    ProfessionalFactory,
    ReportFactory,
)

pytestmark = pytest.mark.django_db

NOW = "2026-12-01 09:00 +0000"  # a Tuesday
TODAY = date(2026, 12, 1)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _work(chair: User, social_worker: User, police_officer: User) -> Conference:
    """One child's worth of work for everyone: a conference to chair with an invitation and
    reports owed, a held one whose letter is unsigned, an enquiry awaiting the decision to
    convene, and an action owned by the police officer."""
    child = ChildFactory.create(social_worker=social_worker)
    coming = ConferenceFactory.create(
        date=date(2026, 12, 2),
        starts_at=time(10, 0),
        status=ConferenceStatus.SCHEDULED,
        chair=chair,
    )
    ConferenceChildFactory.create(conference=coming, child=child)
    officer = Professional.objects.filter(user=police_officer).first() or (
        ProfessionalFactory.create(user=police_officer, agency=police_officer.agency)
    )
    InvitationFactory.create(conference=coming, professional=officer, sent_on=TODAY)
    ReportFactory.create(conference=coming, agency=police_officer.agency, kind=ReportKind.POLICE)
    ReportFactory.create(conference=coming, kind=ReportKind.AGENCY)
    ReportFactory.create(conference=coming, kind=ReportKind.AGENCY, status=ReportStatus.SUBMITTED)
    held = ConferenceFactory.create(date=date(2026, 11, 20), chair=chair)
    ConferenceChildFactory.create(
        conference=held, child=child, outcome=ChildOutcome.CIN_PLAN, decided_on=held.date
    )
    EnquiryFactory.create(
        episode__child=ChildFactory.create(social_worker=social_worker),
        strategy_discussion_date=date(2026, 11, 25),
    )
    plan = PlanFactory.create(child=child, start_date=date(2026, 10, 1))
    owner = CoreGroupMemberFactory.create(plan=plan, professional=officer, name="Pip Officer")
    ActionFactory.create(plan=plan, owner=owner, due=date(2026, 12, 10))
    return coming


def _home(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        body = client.get(reverse("core:home")).content.decode()
    return len(queries), body


PERSONAS = [
    ("administrator", "Conferences to arrange"),
    ("chair", "Sign the decision letter"),
    ("team_manager", "Decide whether to convene"),
    ("police_officer", "Police report for the conference on 2 December 2026"),
    ("senior_manager", "You have nothing to do today"),
]


@pytest.mark.parametrize(("persona", "task"), PERSONAS)
def test_the_home_page_lists_the_work_in_the_same_queries_however_much(
    as_user,
    request,
    persona,
    task,
    chair,
    social_worker,
    police_officer,
    django_assert_max_num_queries,
):
    client = as_user(request.getfixturevalue(persona))
    _work(chair, social_worker, police_officer)
    few, body = _home(client)
    assert task in body
    for _ in range(3):
        _work(chair, social_worker, police_officer)
    with django_assert_max_num_queries(few):
        many, _ = _home(client)
    assert many == few


def test_the_social_worker_sees_their_reports_and_the_police_their_action(
    as_user, chair, social_worker, police_officer
):
    _work(chair, social_worker, police_officer)
    body = _home(as_user(police_officer))[1]
    assert "Initial child protection conference on 2 December 2026: say whether" in body
    assert "An action in a child protection plan, due by 10 December 2026" in body


def test_the_home_page_and_the_conference_page_count_late_reports_alike(
    as_user, administrator, chair, social_worker, police_officer
):
    coming = _work(chair, social_worker, police_officer)
    # Reports for Wednesday's initial conference were due with the chair on Monday 30 November:
    # the police report and one agency report are late; the submitted one is on time for the
    # chair but late to the family (not shared by its day): 3 late, on every page.
    home = _home(as_user(administrator))[1]
    page = as_user(administrator).get(reverse("conferences:detail", args=[coming.pk]))
    assert "3 reports late" in home
    assert "3 reports late." in page.content.decode()


def test_the_conference_service_sees_the_first_of_a_long_list_and_a_way_to_the_rest(
    as_user, administrator
):
    """Issue 16: the home page costs the same however much the authority has to do. Beyond
    its first 20, a section says how many more there are and links to where they all are."""
    from convene.core.views import HOME_LIMIT

    for day in range(HOME_LIMIT + 3):
        EnquiryFactory.create(strategy_discussion_date=date(2026, 11, 2 + day % 5))
    for _ in range(HOME_LIMIT + 2):
        ChildFactory.create(social_worker=None)
    body = _home(as_user(administrator))[1]
    assert body.count("Initial child protection conference (ICPC), due by") == HOME_LIMIT
    assert "3 more conferences: see them all" in body
    assert body.count(">Allocate a social worker<") == HOME_LIMIT
    # The children made for the enquiries have no social worker either.
    assert f"{HOME_LIMIT + 3 + 2:,} more children: see them all" in body
    assert f'href="{reverse("returns:work-list")}"' in body
    assert f"{reverse('people:child-list')}?allocated=no" in body
    # The count says what there is, not what is shown.
    assert f"{(HOME_LIMIT + 3) + (2 * HOME_LIMIT + 5)} things to do" in body


def test_the_children_with_no_social_worker_are_listed_and_paged(
    as_user, administrator, social_worker
):
    allocated = ChildFactory.create(social_worker=social_worker, last_name="Allocated")
    waiting = ChildFactory.create(social_worker=None, last_name="Waiting")
    page = as_user(administrator).get(reverse("people:child-list") + "?allocated=no")
    body = page.content.decode()
    assert "Children with no social worker" in body
    assert waiting.last_name in body and allocated.last_name not in body
    everyone = as_user(administrator).get(reverse("people:child-list")).content.decode()
    assert waiting.last_name in everyone and allocated.last_name in everyone
