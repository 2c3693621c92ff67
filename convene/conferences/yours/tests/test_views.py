""" "Your conferences": the conferences someone is invited to and the reports they owe."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from convene.access.enums import Role
from convene.access.models import User
from convene.conferences.enums import ConferenceStatus, ReportKind, ReportStatus, Response
from convene.conferences.models import Conference, Report
from convene.people.enums import AgencyType
from convene.people.models import Agency, Child, Professional
from convene.testing.factories import (
    AgencyFactory,
    ChildFactory,
    ConferenceChildFactory,
    ConferenceFactory,
    InvitationFactory,
    InvolvementFactory,
    ProfessionalFactory,
    ReportFactory,
    UserFactory,
)
from convene.testing.pages import count_queries

pytestmark = pytest.mark.django_db

AsUser = Callable[[User], Client]
TODAY = date(2026, 12, 1)  # a Tuesday
NOW = "2026-12-01 10:00 +0000"
URL = "/my-conferences/"


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def csc(social_worker: User) -> Agency:
    return social_worker.agency


def _conference(child: Child, on: date | None, **fields: object) -> Conference:
    fields.setdefault("status", ConferenceStatus.SCHEDULED if on else ConferenceStatus.TO_ARRANGE)
    conference = ConferenceFactory.create(
        date=on,
        starts_at=time(10, 0) if on else None,
        ends_at=time(12, 0) if on else None,
        **fields,
    )
    ConferenceChildFactory.create(conference=conference, child=child)
    return conference


def _invite(conference: Conference, user: User, **fields: object) -> None:
    professional = Professional.objects.filter(user=user).first() or ProfessionalFactory.create(
        agency=user.agency, user=user, name=user.get_full_name()
    )
    InvitationFactory.create(conference=conference, professional=professional, **fields)


def _csc_report(conference: Conference, csc: Agency, **fields: object) -> Report:
    return ReportFactory.create(
        conference=conference, agency=csc, kind=ReportKind.CHILDRENS_SOCIAL_CARE, **fields
    )


def _main(client: Client, url: str) -> str:
    """The page's <main> element, as a person reads it."""
    body = client.get(url).content.decode()
    return body[body.index("<main") : body.index("</main>")]


def test_the_url_is_the_one_the_navigation_links_to():
    assert reverse("conferences:yours") == URL


def test_a_social_worker_sees_the_conferences_they_are_invited_to_with_their_answer(
    as_user: AsUser, social_worker: User, child: Child
) -> None:
    soon = _conference(child, date(2026, 12, 14))
    _invite(soon, social_worker, response=Response.ATTENDING, sent_on=TODAY)
    later = _conference(child, None)
    _invite(later, social_worker)
    held = _conference(child, date(2026, 11, 20), status=ConferenceStatus.HELD)
    _invite(held, social_worker)
    cancelled = _conference(child, date(2026, 12, 20), status=ConferenceStatus.CANCELLED)
    _invite(cancelled, social_worker)
    page = _main(as_user(social_worker), URL)
    links = [page.find(reverse("conferences:detail", args=[c.pk])) for c in (soon, later)]
    assert -1 not in links and links == sorted(links)
    for gone in (held, cancelled):
        assert reverse("conferences:detail", args=[gone.pk]) not in page
    assert "Mon 14 Dec 2026" in page and "10:00 to 12:00" in page
    assert "Mina Example" in page
    assert "Attending" in page
    assert "Not arranged yet" in page and "Invitation not sent yet" in page


def test_reports_owed_are_listed_late_first_and_tagged(
    as_user: AsUser, social_worker: User, child: Child, csc: Agency
) -> None:
    # London CP4 §7.8: 2 working days before an initial conference.
    on_time = _csc_report(_conference(child, date(2026, 12, 14)), csc)  # due Thu 10 Dec
    late = _csc_report(_conference(child, date(2026, 12, 2)), csc)  # due Mon 30 Nov
    undated = _csc_report(_conference(child, None), csc)
    _csc_report(_conference(child, date(2026, 12, 16)), csc, status=ReportStatus.SUBMITTED)
    page = _main(as_user(social_worker), URL)
    order = [
        page.find(reverse("conferences:report-detail", args=[r.pk]))
        for r in (late, on_time, undated)
    ]
    assert -1 not in order and order == sorted(order)
    assert page.count("Late</strong>") == 1
    assert "Mon 30 Nov 2026" in page and "Thu 10 Dec 2026" in page
    assert "When the conference has a date" in page
    assert page.count('href="/reports/') == 3


def test_an_invited_officer_owes_the_police_report_and_an_officer_not_invited_does_not(
    as_user: AsUser, police_officer: User, police: Agency, child_known_to_police: Child
) -> None:
    conference = _conference(child_known_to_police, date(2026, 12, 14))
    report = ReportFactory.create(conference=conference, agency=police, kind=ReportKind.POLICE)
    report_link = reverse("conferences:report-detail", args=[report.pk])
    # Working with the child is not enough: the police report is the invited officer's.
    page = _main(as_user(police_officer), URL)
    assert report_link not in page and "You owe no reports." in page
    assert "You are not invited to any conference still to come." in page
    invited = UserFactory.create(agency=police, roles=[Role.AGENCY_PROFESSIONAL])
    _invite(conference, invited)
    page = _main(as_user(invited), URL)
    assert report_link in page
    assert reverse("conferences:detail", args=[conference.pk]) in page


def test_an_officer_invited_at_their_own_address_sees_the_conference(
    as_user: AsUser, police_officer: User, police: Agency, child: Child
) -> None:
    conference = _conference(child, date(2026, 12, 14))
    imported = ProfessionalFactory.create(agency=police, email=police_officer.email)
    InvitationFactory.create(conference=conference, professional=imported, email=imported.email)
    page = _main(as_user(police_officer), URL)
    assert reverse("conferences:detail", args=[conference.pk]) in page


def test_someone_with_nothing_to_do_sees_an_empty_page(as_user: AsUser, outsider: User) -> None:
    page = _main(as_user(outsider), URL)
    assert "You are not invited to any conference still to come." in page
    assert "You owe no reports." in page


@pytest.mark.parametrize(
    ("persona", "shown"),
    [
        ("social_worker", True),
        ("police_officer", True),
        ("team_manager", True),
        ("data_officer", False),
        ("system_administrator", False),
        ("outsider", False),
    ],
)
def test_the_navigation_offers_it_to_those_who_do_case_work(
    as_user: AsUser, persona: str, shown: bool, request: pytest.FixtureRequest
) -> None:
    body = as_user(request.getfixturevalue(persona)).get(reverse("core:home")).content.decode()
    assert (f'href="{URL}"' in body) is shown


def _grow(child: Child, people: dict[str, User], csc: Agency, police: Agency, n: int) -> None:
    """Three more conferences with brothers and sisters, invitations and reports."""
    for day in (14, 15, 16):
        conference = _conference(child, date(2026, 12, day + n))
        for _ in range(2):
            sibling = ChildFactory.create(household=child.household)
            ConferenceChildFactory.create(conference=conference, child=sibling)
        for user in people.values():
            _invite(conference, user)
        _csc_report(conference, csc)
        ReportFactory.create(conference=conference, agency=police, kind=ReportKind.POLICE)
        ReportFactory.create(conference=conference)


@pytest.mark.parametrize("persona", ["social_worker", "police_officer"])
def test_the_page_makes_as_many_queries_for_many_conferences_as_for_one(
    as_user: AsUser,
    persona: str,
    social_worker: User,
    police_officer: User,
    police: Agency,
    csc: Agency,
    child: Child,
) -> None:
    people = {"social_worker": social_worker, "police_officer": police_officer}
    client = as_user(people[persona])
    _grow(child, people, csc, police, 0)
    few = count_queries(client, URL)
    _grow(child, people, csc, police, 3)
    many = count_queries(client, URL)
    assert few == many
    page = _main(client, URL)
    assert page.count('href="/reports/') == 6
    assert page.count('href="/conferences/') == 6


def test_the_home_page_links_social_workers_and_agency_professionals_to_it(
    as_user: AsUser, social_worker: User, police_officer: User
) -> None:
    for user in (social_worker, police_officer):
        page = _main(as_user(user), reverse("core:home"))
        assert "Conferences you are invited to and reports you owe" in page


def test_a_health_professional_working_with_the_child_owes_their_agencys_report(
    as_user: AsUser, child: Child
) -> None:
    health = AgencyFactory.create(name="Testshire Health", type=AgencyType.HEALTH)
    nurse = UserFactory.create(agency=health, roles=[Role.AGENCY_PROFESSIONAL])
    InvolvementFactory.create(
        professional=ProfessionalFactory.create(agency=health, user=nurse), child=child
    )
    ReportFactory.create(conference=_conference(child, date(2026, 12, 14)), agency=health)
    page = _main(as_user(nurse), URL)
    # They see the conference and may write their agency's report (not a police report).
    assert page.count('href="/reports/') == 1
