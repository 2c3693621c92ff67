"""What every page does for security, whatever the page (issue 14, findings 2, 3, 5, 6, 10)."""

import re
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.test import Client, RequestFactory, override_settings
from django.urls import Resolver404, resolve, reverse

from convene.core.web import client_ip
from convene.testing.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client: Client, email: str, password: str = TEST_PASSWORD, ip: str = "10.1.1.1"):
    return client.post(
        reverse("access:sign-in"), {"username": email, "password": password}, REMOTE_ADDR=ip
    )


# Finding 5: nothing with personal data is kept by a browser or a proxy ----------------------


def test_every_signed_in_page_says_no_store(as_user, chair, child):
    for url in ("/", f"/children/{child.pk}/", "/children/", "/account/"):
        response = as_user(chair).get(url)
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url


# Finding 6: a Content-Security-Policy without unsafe-inline, and a Permissions-Policy --------


def test_pages_carry_a_content_security_policy_without_unsafe_inline(as_user, chair):
    response = as_user(chair).get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    nonce = re.search(r"'nonce-([^']+)'", policy)
    assert nonce
    body = response.content.decode()
    scripts = re.findall(r"<script([^>]*)>", body)
    assert scripts
    for attributes in scripts:
        assert f'nonce="{nonce.group(1)}"' in attributes or "src=" in attributes, attributes


def test_pages_switch_off_browser_features_the_service_never_uses(client):
    response = client.get(reverse("access:sign-in"))
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


TEMPLATES = Path(settings.BASE_DIR) / "convene"


@pytest.mark.parametrize("template", sorted(TEMPLATES.rglob("*.html")), ids=str)
def test_no_template_has_inline_styles_handlers_or_scripts_without_a_nonce(template):
    text = template.read_text()
    assert not re.search(r"\sstyle=", text), "an inline style attribute"
    assert "<style" not in text, "a <style> element"
    assert not re.search(r"\son[a-z]+=", text), "an inline event handler"
    for attributes in re.findall(r"<script([^>]*)>", text):
        assert "nonce=" in attributes or "src=" in attributes, "an inline script without a nonce"


# Finding 10: a working day at most, and a warning before the idle time-out --------------


def test_a_sign_in_ends_after_a_working_day_however_busy(chair):
    with time_machine.travel("2026-11-24 08:00 +0000", tick=False) as clock:
        client = Client()
        sign_in(client, chair.email)
        for _ in range(25):  # a request every 29 minutes keeps the idle limit at bay
            clock.shift(timedelta(minutes=29))
            response = client.get("/")
            if response.status_code != 200:
                break
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("access:sign-in"))
        assert "_auth_user_id" not in client.session


def test_the_sign_in_lasts_the_whole_working_day(chair):
    with time_machine.travel("2026-11-24 08:00 +0000", tick=False) as clock:
        client = Client()
        sign_in(client, chair.email)
        for _ in range(19):  # 9 hours 11 minutes
            clock.shift(timedelta(minutes=29))
            assert client.get("/").status_code == 200


def test_signed_in_pages_carry_the_timeout_warning(as_user, chair):
    body = as_user(chair).get("/").content.decode()
    assert 'id="timeout-warning"' in body
    assert f'data-idle-seconds="{settings.SESSION_COOKIE_AGE}"' in body
    assert "convene/timeout-warning.js" in body


def test_staying_signed_in_renews_the_session_without_leaving_the_page(chair):
    with time_machine.travel("2026-11-24 09:00 +0000", tick=False) as clock:
        client = Client()
        sign_in(client, chair.email)
        clock.shift(timedelta(minutes=28))
        assert client.post(reverse("core:keep-alive")).status_code == 204
        clock.shift(timedelta(minutes=28))
        assert client.get("/").status_code == 200


# Finding 2: locked by account and address together; the address from trusted proxies ------


@override_settings(AXES_FAILURE_LIMIT=3)
def test_one_persons_mistypes_do_not_lock_out_others_behind_the_same_address(chair, social_worker):
    office = "192.0.2.10"
    for _ in range(3):
        sign_in(Client(), chair.email, "not the password", ip=office)
    assert sign_in(Client(), chair.email, ip=office).status_code == 429
    colleague = Client()
    assert sign_in(colleague, social_worker.email, ip=office).status_code == 302


@override_settings(AXES_FAILURE_LIMIT=3)
def test_a_lock_holds_the_account_from_that_address(chair):
    for _ in range(3):
        sign_in(Client(), chair.email, "not the password", ip="192.0.2.10")
    assert sign_in(Client(), chair.email, ip="192.0.2.10").status_code == 429


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.5", "10.0.0.9"),  # no proxy trusted: what the server saw
        (1, "203.0.113.5", "203.0.113.5"),
        (1, "198.51.100.1, 203.0.113.5", "203.0.113.5"),  # a client's own header is ignored
        (2, "198.51.100.1, 203.0.113.5", "198.51.100.1"),
        (2, "203.0.113.5", "10.0.0.9"),  # fewer hops than proxies: not to be trusted
        (1, "", "10.0.0.9"),
        (1, "not-an-address", "10.0.0.9"),
    ],
)
def test_the_client_address_is_read_through_the_trusted_proxies(proxies, forwarded, expected):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_FOR=forwarded)
    with override_settings(TRUSTED_PROXY_COUNT=proxies):
        assert client_ip(request) == expected


# Finding 3: uploads outside the checkout, never served directly ----------------------------


def test_uploads_are_stored_under_var_outside_the_code():
    root = Path(settings.MEDIA_ROOT)
    assert root.is_absolute()
    assert root.is_relative_to(Path(settings.BASE_DIR) / "var")
    assert Path(FileSystemStorage().location) == root


def test_no_address_serves_uploaded_files():
    with pytest.raises(Resolver404):
        resolve("/media/contributions/anything.pdf")
