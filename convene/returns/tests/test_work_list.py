from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from convene.testing.factories import (
    ChildFactory,
    EnquiryFactory,
    PlanFactory,
    PlanReviewFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

URL = "/work-list/"
TODAY = "2026-11-24 09:00 +0000"


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def other_team_child():
    worker = UserFactory.create(team=TeamFactory.create(name="Assessment Team B"))
    return ChildFactory.create(first_name="Oli", last_name="Other", social_worker=worker)


def waiting_for_icpc(child, strategy_discussion=date(2026, 11, 2)):
    return EnquiryFactory.create(episode__child=child, strategy_discussion_date=strategy_discussion)


def text_of(response):
    assert response.status_code == 200
    return response.content.decode()


def test_the_url_is_the_work_list():
    assert reverse("returns:work-list") == URL


@pytest.mark.parametrize("persona", ["administrator", "team_manager", "senior_manager"])
def test_administrators_and_managers_see_the_work_list(as_user, persona, request, child):
    waiting_for_icpc(child)
    text = text_of(as_user(request.getfixturevalue(persona)).get(URL))
    assert '<h1 class="govuk-heading-l">Work list</h1>' in text
    assert "Mina Example" in text


@pytest.mark.parametrize(
    "persona",
    [
        "chair",
        "social_worker",
        "police_officer",
        "outsider",
        "data_officer",
        "system_administrator",
    ],
)
def test_everyone_else_is_told_there_is_no_such_page(as_user, persona, request, child):
    waiting_for_icpc(child)
    response = as_user(request.getfixturevalue(persona)).get(URL)
    assert response.status_code == 404
    assert "Mina Example" not in response.content.decode()


def test_someone_signed_out_is_asked_to_sign_in():
    response = Client().get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("access:sign-in"))


def test_each_row_says_what_is_due_by_when_and_why(as_user, administrator, child):
    waiting_for_icpc(child)
    text = text_of(as_user(administrator).get(URL))
    assert f'href="{reverse("people:child-detail", args=[child.pk])}"' in text
    assert "Initial child protection conference (ICPC)" in text
    assert "23 November 2026" in text
    assert '<strong class="govuk-tag govuk-tag--red">Overdue</strong>' in text
    assert "15 working days after the strategy discussion (London CP4 §1.7)" in text
    assert "The strategy discussion was on 2 November 2026" in text


def test_a_deadline_due_today_is_not_overdue(as_user, administrator, child):
    waiting_for_icpc(child, strategy_discussion=date(2026, 11, 3))  # due 24 November
    text = text_of(as_user(administrator).get(URL))
    assert "24 November 2026" in text
    assert "Due today" in text
    assert "govuk-tag--red" not in text


def test_the_list_is_soonest_first(as_user, administrator, child, other_team_child):
    waiting_for_icpc(child, strategy_discussion=date(2026, 11, 16))  # due 7 December
    plan = PlanFactory.create(child=other_team_child, start_date=date(2026, 3, 2))
    PlanReviewFactory.create(plan=plan, date=date(2026, 5, 28))  # next due 28 November
    text = text_of(as_user(administrator).get(URL))
    assert text.index("Oli Other") < text.index("Mina Example")
    assert "Next review conference" in text
    assert "6 months after the review conference (London CP4 §1.20)" in text
    assert "The review conference was on 28 May 2026" in text


def test_a_team_manager_sees_only_their_teams_children(
    as_user, team_manager, child, other_team_child
):
    waiting_for_icpc(child)
    waiting_for_icpc(other_team_child)
    text = text_of(as_user(team_manager).get(URL))
    assert "Mina Example" in text
    assert "Oli Other" not in text
    assert "Assessment Team B" not in text


def test_the_list_can_be_filtered_by_team(as_user, senior_manager, child, other_team_child):
    waiting_for_icpc(child)
    waiting_for_icpc(other_team_child)
    client = as_user(senior_manager)
    text = text_of(client.get(URL))
    assert "Assessment Team A" in text and "Assessment Team B" in text
    team = other_team_child.social_worker.team
    text = text_of(client.get(URL, {"team": team.pk}))
    assert "Oli Other" in text
    assert "Mina Example" not in text
    assert "Showing 1 of 2 open deadlines" in text


def test_the_list_can_be_filtered_by_what_is_due(as_user, administrator, child, other_team_child):
    waiting_for_icpc(child)
    PlanFactory.create(child=other_team_child, start_date=date(2026, 11, 2))
    client = as_user(administrator)
    text = text_of(client.get(URL, {"kind": "first_review"}))
    assert "Oli Other" in text
    assert "Mina Example" not in text
    text = text_of(client.get(URL, {"kind": "icpc"}))
    assert "Mina Example" in text
    assert "Oli Other" not in text


def test_the_list_can_show_only_what_is_overdue(as_user, administrator, child, other_team_child):
    waiting_for_icpc(child)  # due 23 November: overdue
    waiting_for_icpc(other_team_child, strategy_discussion=date(2026, 11, 20))
    client = as_user(administrator)
    text = text_of(client.get(URL))
    assert "Mina Example" in text and "Oli Other" in text
    assert "2 open deadlines, 1 overdue" in text
    text = text_of(client.get(URL, {"overdue": "on"}))
    assert "Mina Example" in text
    assert "Oli Other" not in text


def test_filters_that_match_nothing_say_so(as_user, administrator, child):
    PlanFactory.create(child=child, start_date=date(2026, 11, 2))
    text = text_of(as_user(administrator).get(URL, {"overdue": "on"}))
    assert "No open deadlines match these filters" in text
    assert f'href="{URL}"' in text  # clear the filters


def test_an_unknown_team_is_an_error_not_an_empty_list(as_user, administrator, child):
    waiting_for_icpc(child)
    text = text_of(as_user(administrator).get(URL, {"team": "99999"}))
    assert "There is a problem" in text
    assert "Select a team from the list" in text
    assert "<title>Error:" in text


def test_an_empty_list_says_there_is_nothing_open(as_user, administrator):
    text = text_of(as_user(administrator).get(URL))
    assert "There are no open deadlines for the children you can see." in text
    assert "Filter the list" not in text


def test_a_long_list_is_paged_and_keeps_its_filters(as_user, administrator):
    for _ in range(51):
        waiting_for_icpc(ChildFactory.create())
    client = as_user(administrator)
    text = text_of(client.get(URL, {"kind": "icpc"}))
    assert "Page 1 of 2" in text
    assert 'href="?kind=icpc&amp;page=2"' in text
    text = text_of(client.get(URL, {"kind": "icpc", "page": 2}))
    assert "Page 2 of 2" in text
    assert text.count("govuk-tag--red") == 1


def _make_cases(n, worker):
    for _ in range(n):
        waiting_for_icpc(ChildFactory.create(social_worker=worker))
        plan = PlanFactory.create(child=ChildFactory.create(social_worker=worker))
        PlanReviewFactory.create(plan=plan, date=date(2026, 6, 1))


@pytest.mark.parametrize("persona", ["administrator", "team_manager"])
def test_the_page_takes_the_same_queries_however_long_the_list(
    as_user, persona, request, social_worker
):
    client = as_user(request.getfixturevalue(persona))
    _make_cases(2, social_worker)
    with CaptureQueriesContext(connection) as few:
        assert text_of(client.get(URL)).count("govuk-table__row") == 1 + 4
    _make_cases(20, social_worker)
    with CaptureQueriesContext(connection) as many:
        assert text_of(client.get(URL)).count("govuk-table__row") == 1 + 44
    assert len(many) == len(few)
