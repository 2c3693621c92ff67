"""Changing one's password, and setting one through a link e-mailed through the outbox (issue
14): no account enumeration, the link works once and expires, every other session ends."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from convene.access.enums import AuditVerb
from convene.access.models import AuditEvent, User
from convene.access.passwords import password_link
from convene.notifications.models import OutboundMessage
from convene.testing.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db
NEW = "a-long-new-phrase-for-convene"


def sign_in(client, user, password=TEST_PASSWORD):
    return client.post(reverse("access:sign-in"), {"username": user.email, "password": password})


def signed_in(client):
    return client.get("/").status_code == 200


def ask_for_link(client, email):
    return client.post(reverse("access:password-reset"), {"email": email}, follow=True)


def link_in_outbox(user):
    body = OutboundMessage.objects.get(to=user.email).body
    found = re.search(r"http://testserver(/password-reset/\S+/)", body)
    assert found is not None
    return found.group(1)


def set_password(client, link, password=NEW):
    opened = client.get(link)  # the token moves into the session; the address changes
    assert opened.status_code == 302
    page = opened["Location"]
    return client.post(page, {"new_password1": password, "new_password2": password})


# Changing one's own password -----------------------------------------------------------


def test_a_wrong_current_password_is_refused(chair):
    client = Client()
    sign_in(client, chair)
    response = client.post(
        reverse("access:password-change"),
        {"old_password": "not-it", "new_password1": NEW, "new_password2": NEW},
    )
    assert "Your current password is not right" in response.content.decode()
    assert User.objects.get(pk=chair.pk).check_password(TEST_PASSWORD)


def test_a_weak_new_password_is_refused_by_the_validators(chair):
    client = Client()
    sign_in(client, chair)
    response = client.post(
        reverse("access:password-change"),
        {"old_password": TEST_PASSWORD, "new_password1": "12345", "new_password2": "12345"},
    )
    assert "This password is too short" in response.content.decode()
    assert User.objects.get(pk=chair.pk).check_password(TEST_PASSWORD)


def test_changing_it_keeps_this_session_ends_the_others_and_is_audited(chair):
    here, elsewhere = Client(), Client()
    sign_in(here, chair)
    sign_in(elsewhere, chair)
    response = here.post(
        reverse("access:password-change"),
        {"old_password": TEST_PASSWORD, "new_password1": NEW, "new_password2": NEW},
    )
    assert response.status_code == 302
    assert signed_in(here)
    assert not signed_in(elsewhere)
    assert User.objects.get(pk=chair.pk).check_password(NEW)
    assert AuditEvent.objects.filter(actor=chair, verb=AuditVerb.PASSWORD_CHANGED).exists()


def page_without_nonces(response):
    """The page, without what differs on every response (the CSP nonce, the CSRF token)."""
    page = response.content.decode()
    page = re.sub(r'nonce="[^"]*"', "", page)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)


# A link by e-mail ----------------------------------------------------------------------


def test_the_answer_is_the_same_whether_or_not_the_address_has_an_account(chair):
    known = ask_for_link(Client(), chair.email)
    unknown = ask_for_link(Client(), "nobody@testshire.example")
    assert known.redirect_chain == unknown.redirect_chain
    assert page_without_nonces(known) == page_without_nonces(unknown)
    assert OutboundMessage.objects.filter(to=chair.email).count() == 1
    assert not OutboundMessage.objects.filter(to="nobody@testshire.example").exists()


def test_a_closed_account_is_sent_nothing_and_the_answer_is_the_same(chair):
    chair.is_active = False
    chair.save()
    response = ask_for_link(Client(), chair.email)
    assert "Check your email" in response.content.decode()
    assert not OutboundMessage.objects.exists()


def test_the_link_sets_the_password_ends_every_session_and_is_audited(chair):
    elsewhere = Client()
    sign_in(elsewhere, chair)
    assert signed_in(elsewhere)
    ask_for_link(Client(), chair.email)
    response = set_password(Client(), link_in_outbox(chair))
    assert response.status_code == 302
    assert response["Location"] == reverse("access:sign-in")
    assert not signed_in(elsewhere)
    assert sign_in(Client(), chair, NEW).status_code == 302
    assert AuditEvent.objects.filter(object_id=chair.pk, verb=AuditVerb.PASSWORD_RESET).exists()
    assert AuditEvent.objects.filter(object_id=chair.pk, verb=AuditVerb.PASSWORD_LINK_SENT).exists()


def test_a_used_link_is_refused(chair):
    ask_for_link(Client(), chair.email)
    link = link_in_outbox(chair)
    set_password(Client(), link)
    again = Client().get(link, follow=True)
    assert "This link does not work" in again.content.decode()
    response = Client().post(link, {"new_password1": "x" * 20, "new_password2": "x" * 20})
    assert "This link does not work" in response.content.decode()
    assert User.objects.get(pk=chair.pk).check_password(NEW)


def test_an_expired_link_is_refused(chair, settings):
    link = password_link(chair, "http://testserver")
    later = timezone.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT + 60)
    with time_machine.travel(later):
        response = Client().get(link, follow=True)
    assert "This link does not work" in response.content.decode()


def test_a_link_for_an_account_closed_since_is_refused(chair):
    link = password_link(chair, "http://testserver")
    User.objects.filter(pk=chair.pk).update(is_active=False)
    response = Client().get(link, follow=True)
    assert "This link does not work" in response.content.decode()


def test_a_link_with_a_forged_token_is_refused(chair):
    link = password_link(chair, "http://testserver")
    forged = re.sub(r"/[\w]+-[\w]+/$", "/abc-def/", link)
    assert forged != link
    assert "This link does not work" in Client().get(forged, follow=True).content.decode()


def test_asking_again_and_again_sends_one_e_mail_in_five_minutes(chair):
    at = timezone.now()
    with time_machine.travel(at, tick=False):
        for _ in range(3):
            ask_for_link(Client(), chair.email)
    assert OutboundMessage.objects.filter(to=chair.email).count() == 1
    with time_machine.travel(at + timedelta(minutes=6), tick=False):
        ask_for_link(Client(), chair.email)
    assert OutboundMessage.objects.filter(to=chair.email).count() == 2


def test_with_local_passwords_off_there_are_no_password_pages(client, settings, social_worker):
    settings.CONVENE_LOCAL_PASSWORDS = False
    for name in ("access:password-reset", "access:password-reset-sent"):
        assert client.get(reverse(name)).status_code == 404
    client.force_login(social_worker)
    assert client.get(reverse("access:password-change")).status_code == 404
