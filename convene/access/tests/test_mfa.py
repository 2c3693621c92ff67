"""Multi-factor sign-in with an authenticator app (TOTP) and recovery codes (issue 14)."""

import re

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from convene.access.enums import AuditVerb
from convene.access.mfa import base32_key, mfa_reset, qr_code_svg
from convene.access.models import AuditEvent
from convene.core.services import Actor
from convene.people.demo import demo_totp_code, demo_totp_key_hex
from convene.testing.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client, user):
    return client.post(
        reverse("access:sign-in"), {"username": user.email, "password": TEST_PASSWORD}
    )


def code_for(device, *, later=0):
    generator = TOTP(device.bin_key)
    generator.time += later
    return f"{generator.token():06d}"


@pytest.fixture
def with_app(chair):
    return TOTPDevice.objects.create(user=chair, name="app", confirmed=True)


def test_after_the_password_a_person_with_an_app_is_asked_for_a_code(chair, with_app):
    client = Client()
    assert sign_in(client, chair).status_code == 302
    home = client.get("/")
    assert home.status_code == 302
    assert home["Location"].startswith(reverse("access:mfa-verify"))
    # Nothing else opens either.
    assert client.get(reverse("people:child-list")).status_code == 302


def test_the_right_code_lets_them_in_and_is_audited(chair, with_app):
    client = Client()
    sign_in(client, chair)
    response = client.post(reverse("access:mfa-verify"), {"code": code_for(with_app), "next": "/"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(actor=chair, verb=AuditVerb.MFA_VERIFIED).exists()


def test_a_wrong_code_is_refused_and_audited(chair, with_app):
    client = Client()
    sign_in(client, chair)
    response = client.post(reverse("access:mfa-verify"), {"code": "000000"})
    assert "The code is not right" in response.content.decode()
    assert client.get("/").status_code == 302
    assert AuditEvent.objects.filter(actor=chair, verb=AuditVerb.MFA_FAILED).exists()


def test_a_next_address_elsewhere_is_not_followed(chair, with_app):
    client = Client()
    sign_in(client, chair)
    data = {"code": code_for(with_app), "next": "https://evil.example/"}
    response = client.post(reverse("access:mfa-verify"), data)
    assert response["Location"] == reverse("core:home")


@override_settings(CONVENE_REQUIRE_MFA=True)
def test_when_required_a_person_without_an_app_must_set_one_up(chair):
    client = Client()
    sign_in(client, chair)
    response = client.get("/")
    assert response["Location"].startswith(reverse("access:mfa-setup"))
    page = client.get(reverse("access:mfa-setup"))
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=chair, confirmed=False)
    done = client.post(reverse("access:mfa-setup"), {"code": code_for(device), "next": "/"})
    codes = done.context["codes"]
    assert len(codes) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(actor=chair, verb=AuditVerb.MFA_SET_UP).exists()


@override_settings(CONVENE_REQUIRE_MFA=True)
def test_a_recovery_code_works_once(chair, with_app):
    from convene.access.mfa import _new_recovery_codes

    codes = _new_recovery_codes(chair)
    first = Client()
    sign_in(first, chair)
    assert first.post(reverse("access:mfa-verify"), {"code": codes[0]}).status_code == 302
    assert first.get("/").status_code == 200
    again = Client()
    sign_in(again, chair)
    again.post(reverse("access:mfa-verify"), {"code": codes[0]})
    assert again.get("/").status_code == 302
    assert StaticToken.objects.filter(device__user=chair).count() == 9


def test_a_reset_removes_the_app_and_ends_their_sessions(chair, with_app, system_administrator):
    client = Client()
    sign_in(client, chair)
    client.post(reverse("access:mfa-verify"), {"code": code_for(with_app)})
    assert client.get("/").status_code == 200
    mfa_reset(user=chair, by=Actor(system_administrator))
    assert not TOTPDevice.objects.filter(user=chair).exists()
    assert client.get("/").status_code == 302  # signed out at their next request
    assert AuditEvent.objects.filter(actor=system_administrator, verb=AuditVerb.MFA_RESET).exists()


def test_the_demo_key_gives_the_code_an_app_would():
    device = TOTPDevice(key=demo_totp_key_hex())
    assert demo_totp_code() == code_for(device)


@override_settings(CONVENE_REQUIRE_MFA=True)
def test_the_set_up_page_shows_a_qr_code_beside_the_key_to_type(chair):
    client = Client()
    sign_in(client, chair)
    page = client.get(reverse("access:mfa-setup")).content.decode()
    device = TOTPDevice.objects.get(user=chair, confirmed=False)
    svg = re.search(r"<svg .*?</svg>", page, re.S)
    assert svg is not None
    assert svg.group(0) == str(qr_code_svg(device.config_url))
    # A text alternative, and nothing the Content-Security-Policy would block.
    assert 'role="img"' in svg.group(0) and "<title>QR code" in svg.group(0)
    assert "style" not in svg.group(0)
    assert base32_key(device) in page


def test_the_qr_code_holds_the_set_up_address():
    import segno

    uri = "otpauth://totp/Convene:a%40b.example?secret=ABCDEFGH&issuer=Convene"
    expected = segno.make(uri, error="m").svg_inline(scale=5, border=4)
    # Same modules as segno draws for the address (colours and labels aside).
    path = re.compile(r' d="(M4[^"]*)"')
    drawn = path.findall(str(qr_code_svg(uri)))
    assert drawn and drawn == path.findall(expected)
