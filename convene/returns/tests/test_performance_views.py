"""The performance page, the lists of children behind its numbers, and `manage.py kpis`."""

import json
from datetime import date
from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse

from convene.access.enums import Role
from convene.authority.models import AuthoritySettings
from convene.testing.factories import (
    ChildFactory,
    ConferenceChildFactory,
    EnquiryFactory,
    PlanFactory,
    PlanReviewFactory,
    TeamFactory,
    UserFactory,
)
from convene.testing.pages import count_queries, main_content

pytestmark = [pytest.mark.django_db]

PAGE = "/performance/"
# 2025-26 is over; 2026-27 is the year still running.
LAST_YEAR_ICPC_MET = "/performance/2025-26/icpc-within-15-working-days/numerator/"
LAST_YEAR_ICPC_ALL = "/performance/2025-26/icpc-within-15-working-days/denominator/"


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel("2026-11-24 12:00 +0000", tick=False):
        yield


def _initial_conference(child, *, strategy, held):
    enquiry = EnquiryFactory.create(
        child=child, episode__child=child, strategy_discussion_date=strategy
    )
    ConferenceChildFactory.create(child=child, enquiry=enquiry, conference__date=held)


@pytest.fixture
def history(social_worker):
    """Two children in the team manager's team and one elsewhere, each with an initial
    conference in 2025-26; the team's first child is now on a plan."""
    elsewhere = UserFactory.create(team=TeamFactory.create(), roles=[Role.SOCIAL_WORKER])
    ours_on_time = ChildFactory.create(first_name="Ada", social_worker=social_worker)
    ours_late = ChildFactory.create(first_name="Bea", social_worker=social_worker)
    theirs_on_time = ChildFactory.create(first_name="Cal", social_worker=elsewhere)
    # 2 June 2025 + 15 working days is 23 June 2025.
    _initial_conference(ours_on_time, strategy=date(2025, 6, 2), held=date(2025, 6, 23))
    _initial_conference(ours_late, strategy=date(2025, 6, 2), held=date(2025, 6, 24))
    _initial_conference(theirs_on_time, strategy=date(2025, 6, 2), held=date(2025, 6, 20))
    PlanFactory.create(child=ours_on_time, start_date=date(2025, 6, 23))
    return ours_on_time, ours_late, theirs_on_time


# Who may see it ----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["team_manager", "senior_manager", "data_officer"])
def test_managers_and_data_officers_see_the_indicators(as_user, persona, request, history):
    response = as_user(request.getfixturevalue(persona)).get(PAGE)
    assert response.status_code == 200
    text = main_content(response)
    assert "Initial child protection conferences (ICPCs)" in text
    for year in ("2026-27 so far", "2025-26"):
        assert year in text
    # 2 of the 3 initial conferences were on time: 66.7%, in the chart and the table.
    assert text.count("66.7%") == 2
    assert f'href="{LAST_YEAR_ICPC_MET}"' in text
    assert f'href="{LAST_YEAR_ICPC_ALL}"' in text
    assert "<caption" in text and 'scope="row"' in text and 'aria-hidden="true"' in text


@pytest.mark.parametrize(
    "persona",
    [
        "chair",
        "social_worker",
        "police_officer",
        "outsider",
        "administrator",
        "system_administrator",
    ],
)
@pytest.mark.parametrize("url", [PAGE, LAST_YEAR_ICPC_MET], ids=["page", "children"])
def test_everyone_else_is_told_the_page_does_not_exist(as_user, persona, url, request):
    assert as_user(request.getfixturevalue(persona)).get(url).status_code == 404


def test_someone_signed_out_is_asked_to_sign_in(client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert "next=/performance/" in response["Location"]


# The numbers and the children behind them ---------------------------------------------------


def test_a_number_lists_the_children_behind_it(as_user, senior_manager, history):
    ours_on_time, ours_late, theirs_on_time = history
    client = as_user(senior_manager)
    met = main_content(client.get(LAST_YEAR_ICPC_MET))
    assert "Children whose initial conference was held within 15 working days" in met
    assert reverse("people:child-detail", args=[ours_on_time.pk]) in met
    assert reverse("people:child-detail", args=[theirs_on_time.pk]) in met
    assert ours_late.display_name not in met
    assert "not shown" not in met
    everyone = main_content(client.get(LAST_YEAR_ICPC_ALL))
    assert all(child.display_name in everyone for child in history)


def test_a_long_list_comes_a_page_at_a_time(as_user, senior_manager, social_worker):
    # 55 children on time: a first page of 50, a second of 5, with no "not shown".
    children = [ChildFactory.create(social_worker=social_worker) for _ in range(55)]
    for child in children:
        _initial_conference(child, strategy=date(2025, 6, 2), held=date(2025, 6, 20))
    client = as_user(senior_manager)
    first = main_content(client.get(LAST_YEAR_ICPC_MET))
    second = main_content(client.get(LAST_YEAR_ICPC_MET + "?page=2"))
    shown = [c for c in children if reverse("people:child-detail", args=[c.pk]) in first]
    rest = [c for c in children if reverse("people:child-detail", args=[c.pk]) in second]
    assert (len(shown), len(rest)) == (50, 5)
    assert "?page=2" in first and "not shown" not in first + second


def test_a_team_manager_sees_only_their_teams_children(as_user, team_manager, history):
    ours_on_time, _, theirs_on_time = history
    text = main_content(as_user(team_manager).get(LAST_YEAR_ICPC_MET))
    assert ours_on_time.display_name in text
    assert theirs_on_time.display_name not in text
    assert "1 child is not shown because you cannot open their record" in text


def test_the_count_of_children_on_plans_links_to_them(as_user, data_officer, history):
    url = "/performance/2026-27/children-on-plans/numerator/"
    assert f'href="{url}"' in main_content(as_user(data_officer).get(PAGE))
    text = main_content(as_user(data_officer).get(url))
    assert history[0].display_name in text
    assert history[1].display_name not in text


def test_the_rate_per_10000_children_shows_once_the_population_is_set(as_user, data_officer):
    PlanFactory.create(start_date=date(2026, 5, 1))
    client = as_user(data_officer)
    assert "has not been set" in main_content(client.get(PAGE))
    AuthoritySettings.objects.create(child_population=2_000)
    text = main_content(client.get(PAGE))
    assert "In every 10,000 children" in text
    assert "5.0" in text


@pytest.mark.parametrize(
    "url",
    [
        "/performance/2025-27/icpc-within-15-working-days/numerator/",
        "/performance/2027-28/icpc-within-15-working-days/numerator/",  # not started
        "/performance/2025-26/nonsense/numerator/",
        "/performance/2025-26/icpc-within-15-working-days/half/",
        "/performance/2025-26/children-on-plans/denominator/",
    ],
)
def test_an_address_for_no_list_is_not_found(as_user, data_officer, url):
    assert as_user(data_officer).get(url).status_code == 404


def test_the_page_and_the_lists_take_a_constant_number_of_queries(as_user, team_manager, history):
    client = as_user(team_manager)
    page = count_queries(client, PAGE)
    children = count_queries(client, LAST_YEAR_ICPC_ALL)
    for day in range(2, 22):
        child = ChildFactory.create(social_worker=history[0].social_worker)
        _initial_conference(child, strategy=date(2025, 6, 2), held=date(2025, 6, day))
        plan = PlanFactory.create(child=child, start_date=date(2025, 6, day))
        PlanReviewFactory.create(plan=plan, date=date(2025, 9, day))
    assert count_queries(client, PAGE) == page
    assert count_queries(client, LAST_YEAR_ICPC_ALL) == children


# manage.py kpis ----------------------------------------------------------------------------


def test_the_command_prints_one_json_object(history):
    out = StringIO()
    call_command("kpis", "--year", "2025-26", "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert data == {
        "icpc_within_15_working_days": {"numerator": 2, "denominator": 3, "percent": 66.7},
        "reviews_within_timescale": {"numerator": 0, "denominator": 1, "percent": 0.0},
        "second_or_subsequent_plans": {"numerator": 0, "denominator": 1, "percent": 0.0},
        "plans_ended_2_years_or_more": {"numerator": 0, "denominator": 0, "percent": None},
        "children_on_plans": {"count": 1},
    }
    AuthoritySettings.objects.create(child_population=4_000)
    out = StringIO()
    call_command("kpis", "--year", "2025-26", "--format", "json", stdout=out)
    assert json.loads(out.getvalue())["children_on_plans"] == {"count": 1, "per_10000": 2.5}


def test_the_command_writes_the_indicators_for_people(history):
    out = StringIO()
    call_command("kpis", "--year", "2025-26", stdout=out)
    text = out.getvalue()
    assert "for 2025-26 (1 April 2025 to 31 March 2026), at 31 March 2026" in text
    assert "66.7% (2 of 3 initial conferences)" in text
    assert "none to count (no plans)" in text


@pytest.mark.parametrize("year", ["2025", "2025-27", "25-26", "twenty"])
def test_the_command_explains_how_to_write_the_year(year):
    with pytest.raises(CommandError, match="Write the year as 2025-26"):
        call_command("kpis", "--year", year)


def test_the_command_refuses_a_year_not_yet_started():
    with pytest.raises(CommandError, match="has not started yet"):
        call_command("kpis", "--year", "2027-28")
