from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.test import Client, override_settings
from django.urls import reverse

from convene.access.enums import AuditVerb, Role
from convene.access.models import AuditEvent
from convene.testing.factories import TEST_PASSWORD, UserFactory
from convene.testing.pages import count_queries

pytestmark = pytest.mark.django_db


def sign_in(client: Client, email: str, password: str):
    return client.post(reverse("access:sign-in"), {"username": email, "password": password})


def test_a_chair_signs_in_and_sees_their_home_page(chair):
    client = Client()
    response = sign_in(client, chair.email, TEST_PASSWORD)
    assert response.status_code == 302
    home = client.get(response["Location"])
    assert "Conferences you are chairing" in home.content.decode()
    assert "govuk-template" in home.content.decode()
    assert AuditEvent.objects.filter(actor=chair, verb=AuditVerb.SIGNED_IN).count() == 1


@pytest.mark.parametrize(
    "path", ["/", "/children/", "/children/1/", "/account/", "/audit/", "/audit/children/1/"]
)
def test_a_signed_out_visitor_is_sent_to_sign_in_from_any_page(path):
    response = Client().get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("access:sign-in"))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Enter your email address"),
        ({"username": "not-an-email", "password": "x"}, "Enter an email address in the correct"),
        ({"username": "nobody@testshire.example", "password": "wrong"}, "Enter a correct email"),
        ({"username": "a@b.example" * 100, "password": "x"}, "There is a problem"),
        ({"username": "\x00@\x00.example", "password": "\x00"}, "There is a problem"),
    ],
)
def test_a_malformed_sign_in_shows_an_error_summary_not_a_server_error(data, message):
    response = Client().post(reverse("access:sign-in"), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body
    assert message in body
    assert "<title>Error: " in body


@override_settings(AXES_FAILURE_LIMIT=3)
def test_an_account_is_locked_after_repeated_failed_sign_ins(chair):
    client = Client()
    for _ in range(3):
        sign_in(client, chair.email, "not the password")
    response = sign_in(client, chair.email, TEST_PASSWORD)
    assert response.status_code == 429
    assert "Your account is locked" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_session_ends_after_30_minutes_without_a_request(chair):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    with time_machine.travel("2026-11-24 09:00 +0000", tick=False) as clock:
        client = Client()
        sign_in(client, chair.email, TEST_PASSWORD)
        clock.shift(timedelta(minutes=29))
        assert client.get("/").status_code == 200  # activity renews the session
        clock.shift(timedelta(minutes=29))
        assert client.get("/").status_code == 200
        clock.shift(timedelta(minutes=31))
        assert client.get("/").status_code == 302


def test_sign_out_everywhere_ends_every_session_of_that_user(chair):
    laptop, phone = Client(), Client()
    sign_in(laptop, chair.email, TEST_PASSWORD)
    sign_in(phone, chair.email, TEST_PASSWORD)
    response = laptop.post(reverse("access:sign-out-everywhere"))
    assert response["Location"] == reverse("access:signed-out")
    assert phone.get("/").status_code == 302
    assert laptop.get("/").status_code == 302
    assert AuditEvent.objects.filter(verb=AuditVerb.SIGNED_OUT_EVERYWHERE, actor=chair).exists()
    # Signing in again works.
    sign_in(phone, chair.email, TEST_PASSWORD)
    assert phone.get("/").status_code == 200


def test_sign_out_needs_a_post_so_other_sites_cannot_sign_people_out(as_user, chair):
    client = as_user(chair)
    assert client.get(reverse("access:sign-out")).status_code == 405
    client.post(reverse("access:sign-out"))
    assert client.get("/").status_code == 302


def test_passwords_are_hashed_with_argon2_in_production():
    assert settings.PRODUCTION_PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    from convene.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    with override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS):
        encoded = make_password("correct horse battery staple")
        assert encoded.startswith("argon2$")
        assert check_password("correct horse battery staple", encoded)


def test_a_team_manager_reads_a_childs_audit_trail(as_user, team_manager, chair, child):
    as_user(chair).get(reverse("people:child-detail", args=[child.pk]))
    response = as_user(team_manager).get(reverse("access:child-audit-trail", args=[child.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Viewed the child&#x27;s record" in body
    assert chair.get_full_name() in body
    assert AuditEvent.objects.filter(
        actor=team_manager, verb=AuditVerb.VIEWED_AUDIT_TRAIL, child=child
    ).exists()


@pytest.mark.parametrize("persona", ["social_worker", "chair", "police_officer", "outsider"])
def test_the_audit_trail_page_is_not_found_for_people_who_may_not_read_it(
    as_user, persona, request, child
):
    user = request.getfixturevalue(persona)
    response = as_user(user).get(reverse("access:child-audit-trail", args=[child.pk]))
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_a_system_administrator_looks_up_a_trail_by_local_authority_child_id(
    as_user, system_administrator, child
):
    client = as_user(system_administrator)
    response = client.post(reverse("access:audit-lookup"), {"la_child_id": child.la_child_id})
    assert response["Location"] == reverse("access:child-audit-trail", args=[child.pk])
    missing = client.post(reverse("access:audit-lookup"), {"la_child_id": "NOPE-1"})
    assert "No child has the local authority child ID NOPE-1" in missing.content.decode()
    empty = client.post(reverse("access:audit-lookup"), {})
    assert "Enter the child&#x27;s local authority child ID" in empty.content.decode()


def test_the_audit_lookup_is_not_found_for_anyone_else(as_user, chair):
    assert as_user(chair).get(reverse("access:audit-lookup")).status_code == 404


def test_the_audit_trail_page_keeps_a_constant_number_of_queries(
    as_user, system_administrator, chair, child
):
    client, url = (
        as_user(system_administrator),
        reverse("access:child-audit-trail", args=[child.pk]),
    )
    as_user(chair).get(reverse("people:child-detail", args=[child.pk]))
    few = count_queries(client, url)
    for other in UserFactory.create_batch(5, roles=[Role.CONFERENCE_CHAIR]):
        for _ in range(6):
            as_user(other).get(reverse("people:child-detail", args=[child.pk]))
    assert AuditEvent.objects.filter(child=child).count() > 30
    assert count_queries(client, url) == few
