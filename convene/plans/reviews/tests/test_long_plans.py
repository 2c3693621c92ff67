"""Plans open 2 years or more, under-fives first (London CP4 §1.22). Everyone here is
invented."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from convene.access.enums import Role
from convene.testing.factories import ChildFactory, PlanFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = "2026-04-15 10:00 +0100"
URL = reverse("plans:long")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def plans(social_worker):
    def plan(name: str, born: date, start: date, **extra):
        child = ChildFactory.create(
            first_name=name, date_of_birth=born, social_worker=social_worker
        )
        return PlanFactory.create(child=child, start_date=start, **extra)

    return {
        # 7 years old, on a plan for 3 years: long.
        "older": plan("Orla", date(2019, 1, 1), date(2023, 4, 1)),
        # 3 years old, on a plan 2 years to the day: long, and listed first.
        "toddler": plan("Tomos", date(2023, 1, 1), date(2024, 4, 15)),
        # A day short of 2 years: not yet.
        "short": plan("Sami", date(2019, 1, 1), date(2024, 4, 16)),
        # Ended, and another authority's: never listed.
        "ended": plan("Efa", date(2019, 1, 1), date(2022, 1, 1), end_date=date(2024, 1, 1)),
        "elsewhere": plan("Ellis", date(2019, 1, 1), date(2022, 1, 1), other_authority=True),
    }


def test_long_plans_are_listed_under_fives_first(plans, chair, as_user):
    page = as_user(chair).get(URL).content.decode()
    assert page.index("Tomos") < page.index("Orla")
    assert "2 years" in page and "3 years" in page and "Under 5" in page
    for name in ("Sami", "Efa", "Ellis"):
        assert name not in page


def test_a_senior_manager_sees_them_and_their_home_page_links_here(plans, senior_manager, as_user):
    client = as_user(senior_manager)
    assert "Tomos" in client.get(URL).content.decode()
    assert f'href="{URL}"' in client.get(reverse("core:home")).content.decode()


def test_a_team_manager_sees_only_their_teams_children(plans, team_manager, as_user):
    assert "Tomos" in as_user(team_manager).get(URL).content.decode()
    other_team = TeamFactory.create(name="Assessment Team B")
    other_manager = UserFactory.create(team=other_team, roles=[Role.TEAM_MANAGER])
    other_team.manager = other_manager
    other_team.save()
    page = as_user(other_manager).get(URL).content.decode()
    assert "Tomos" not in page and "Orla" not in page
    assert "No child you may see" in page


@pytest.mark.parametrize(
    "persona", ["social_worker", "administrator", "police_officer", "outsider"]
)
def test_the_list_is_for_chairs_and_managers(plans, as_user, request, persona):
    assert as_user(request.getfixturevalue(persona)).get(URL).status_code == 404


def test_the_list_makes_as_many_queries_for_many_plans_as_for_one(
    plans, social_worker, chair, as_user
):
    client = as_user(chair)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for n in range(5):
        child = ChildFactory.create(date_of_birth=date(2022, 1, 1), social_worker=social_worker)
        PlanFactory.create(child=child, start_date=date(2023, 1, 1 + n))
    with CaptureQueriesContext(connection) as many:
        page = client.get(URL).content.decode()
    assert page.count("Under 5") == 6
    assert len(few) == len(many)


def test_a_long_list_is_paged_under_fives_first_across_pages(social_worker, chair, as_user):
    """Issue 16: the database picks and orders the long plans, a page of 50 at a time."""
    for n in range(55):
        child = ChildFactory.create(
            first_name=f"Older{n:02}", date_of_birth=date(2015, 1, 1), social_worker=social_worker
        )
        PlanFactory.create(child=child, start_date=date(2023, 1, 1))
    # Five on 15 April 2026 (not under 5), and 4 the day before their birthday.
    five = ChildFactory.create(first_name="Fifth", date_of_birth=date(2021, 4, 15))
    four = ChildFactory.create(first_name="Fourth", date_of_birth=date(2021, 4, 16))
    for child in (five, four):
        PlanFactory.create(child=child, start_date=date(2024, 1, 1))
    first = as_user(chair).get(URL).content.decode()
    assert "57 plans, page 1 of 2" in first
    assert first.index("Fourth") < first.index("Older00") and "Fifth" not in first
    second = as_user(chair).get(URL + "?page=2").content.decode()
    assert "Fifth" in second and "Older54" not in first
