"""A system administrator closes and unlocks accounts (issue 14)."""

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from convene.access.accounts import account_deactivate, account_unlock
from convene.access.enums import AuditVerb
from convene.access.models import AuditEvent
from convene.core.services import Actor, ServiceError
from convene.testing.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client, user, password=TEST_PASSWORD):
    return client.post(reverse("access:sign-in"), {"username": user.email, "password": password})


def test_closing_an_account_ends_its_open_session_at_the_next_request(chair, system_administrator):
    client = Client()
    sign_in(client, chair)
    assert client.get("/").status_code == 200
    account_deactivate(user=chair, by=Actor(system_administrator, reason="Left the authority"))
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("access:sign-in"))
    assert sign_in(Client(), chair).status_code == 200  # refused: the form again
    row = AuditEvent.objects.get(verb=AuditVerb.ACCOUNT_DEACTIVATED)
    assert (row.actor, row.object_id) == (system_administrator, str(chair.pk))


def test_an_administrator_cannot_close_their_own_account(system_administrator):
    with pytest.raises(ServiceError):
        account_deactivate(user=system_administrator, by=Actor(system_administrator))


@override_settings(AXES_FAILURE_LIMIT=3)
def test_unlocking_lets_a_locked_out_person_sign_in_again(chair, system_administrator):
    for _ in range(3):
        sign_in(Client(), chair, "wrong")
    assert sign_in(Client(), chair).status_code == 429
    account_unlock(user=chair, by=Actor(system_administrator))
    assert sign_in(Client(), chair).status_code == 302
    assert AuditEvent.objects.filter(verb=AuditVerb.ACCOUNT_UNLOCKED).exists()
