import pytest
from django.test import Client, RequestFactory
from django.urls import reverse

from convene.core.errors import server_error
from convene.testing.factories import ChildFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "heading"),
    [
        ("administrator", "Conferences to arrange"),
        ("chair", "Conferences you are chairing"),
        ("social_worker", "Children allocated to you"),
        ("team_manager", "Children allocated to your team"),
        ("senior_manager", "Your work as a senior manager"),
        ("police_officer", "Children you work with"),
        ("data_officer", "Returns and indicators"),
        ("system_administrator", "Looking after the service"),
        ("outsider", "You have no roles in this service yet"),
    ],
)
def test_each_role_has_a_home_page_with_its_work(as_user, persona, heading, request):
    user = request.getfixturevalue(persona)
    response = as_user(user).get(reverse("core:home"))
    body = response.content.decode()
    assert response.status_code == 200
    assert heading in body
    assert "Manage child protection conferences" in body
    assert "Skip to main content" in body


def test_a_social_workers_home_lists_their_children(as_user, social_worker, child):
    ChildFactory.create(first_name="Notmine")
    body = as_user(social_worker).get("/").content.decode()
    assert child.first_name in body
    assert "Notmine" not in body


def test_a_team_managers_home_lists_their_teams_children(as_user, team_manager, child):
    assert child.first_name in as_user(team_manager).get("/").content.decode()


def test_a_professionals_home_lists_the_children_they_work_with(
    as_user, police_officer, child_known_to_police
):
    body = as_user(police_officer).get("/").content.decode()
    assert child_known_to_police.first_name in body


def test_the_header_shows_who_is_signed_in_and_a_sign_out_button(as_user, chair):
    body = as_user(chair).get("/").content.decode()
    assert "Signed in as" in body and chair.get_full_name() in body
    assert 'action="/sign-out/"' in body


def test_an_unknown_page_is_a_govuk_404(as_user, chair):
    response = as_user(chair).get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_the_server_error_page_needs_no_database():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in response.content.decode()


def test_a_form_posted_without_its_security_token_gets_a_plain_expired_page(chair):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("access:sign-in"), {"username": chair.email})
    assert response.status_code == 403
    assert "This page has expired" in response.content.decode()


def test_public_pages_need_no_sign_in():
    assert Client().get(reverse("core:accessibility")).status_code == 200
    assert Client().get(reverse("access:sign-in")).status_code == 200
