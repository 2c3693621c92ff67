"""Multi-factor sign-in (docs/decisions/0019-mfa-and-accounts.md): a time-based code from an
authenticator app (TOTP, RFC 6238, django-otp), or one of ten single-use recovery codes.

After the password, a person with an authenticator is asked for a code before any other page;
when CONVENE_REQUIRE_MFA is on, a person without one must set one up first. A system
administrator can reset it (a lost phone); every step is audited."""

from __future__ import annotations

import base64
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import SafeString, mark_safe
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from convene.core.services import Actor, ServiceError, audit

from .enums import AuditVerb
from .models import User

RECOVERY_CODES = 10
# Set in the session at sign-in when the person has an authenticator: a code is asked for.
ASKS_FOR_CODE = "convene_asks_for_code"
# Set in the session at single sign-on when the council's identity provider checked a second
# factor and the authority trusts it for that (convene/access/sso.py).
BY_PROVIDER = "convene_second_factor_by_provider"
APP_DEVICE = "Authenticator app"
RECOVERY_DEVICE = "Recovery codes"
# Pages that a person signed in with their password alone may still open.
BEFORE_SECOND_FACTOR = frozenset(
    {
        "access:mfa-verify",
        "access:mfa-setup",
        "access:sign-out",
        "access:signed-out",
        "core:keep-alive",
        "core:accessibility",
    }
)


def has_authenticator(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def base32_key(device: TOTPDevice) -> str:
    """The key as authenticator apps take it when typed in."""
    return base64.b32encode(device.bin_key).decode()


QR_CODE_TEXT = "QR code holding the set-up address for your authenticator app"


def qr_code_svg(uri: str) -> SafeString:
    """The `otpauth://` set-up address as a QR code, an inline SVG drawn with attributes only
    (no style, which the Content-Security-Policy forbids), on a white quiet zone so that
    phones read it in any colour scheme, with a text alternative for screen readers."""
    import segno

    svg = segno.make(uri, error="m").svg_inline(
        scale=5, border=4, dark="#0b0c0c", light="#ffffff", title=QR_CODE_TEXT, svgclass=None
    )
    # segno escapes what it writes; the address is ours (django-otp's config_url).
    labelled = svg.replace("<svg ", f'<svg role="img" aria-label="{QR_CODE_TEXT}" ', 1)
    return mark_safe(labelled)  # noqa: S308  # nosec B308, B703


def pending_device(user: User) -> TOTPDevice:
    """The authenticator being set up (a new key each time the page is opened afresh)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=APP_DEVICE, confirmed=False)


def mfa_setup_confirm(*, device: TOTPDevice, code: str, by: Actor) -> list[str]:
    """Confirm the authenticator with a code it shows; returns the new recovery codes (shown
    once). ValueError when the code is wrong."""
    if not device.verify_token(code.strip().replace(" ", "")):
        raise ValueError("The code is not right. Check the time on your phone, then try again")
    with transaction.atomic():
        TOTPDevice.objects.filter(user=by.user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _new_recovery_codes(by.user)
        audit(by=by, verb=AuditVerb.MFA_SET_UP, obj=by.user, reason="")
    return codes


def _new_recovery_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def mfa_verify(request: HttpRequest, *, user: User, code: str) -> bool:
    """Check a code from the authenticator, or a recovery code (used up); mark the session as
    having passed the second factor. Audited either way."""
    code = code.strip().replace(" ", "").lower()
    by = Actor(user=user, ip=_ip(request))
    for device in (
        *TOTPDevice.objects.filter(user=user, confirmed=True),
        *StaticDevice.objects.filter(user=user),
    ):
        if device.verify_token(code):
            with transaction.atomic():
                otp_login(request, device)
                used = "a recovery code" if isinstance(device, StaticDevice) else "their app"
                audit(by=by, verb=AuditVerb.MFA_VERIFIED, obj=user, reason=f"With {used}")
            return True
    audit(by=by, verb=AuditVerb.MFA_FAILED, obj=user, reason="")
    return False


def mfa_reset(*, user: User, by: Actor) -> None:
    """A system administrator removes someone's authenticator and recovery codes (a lost or new
    phone) and ends their sessions: they set up a new one at their next sign-in. Never one's
    own: another administrator checks who is asking."""
    from .services import end_every_session

    if user.pk == by.user.pk:
        raise ServiceError(
            "You cannot reset your own authenticator app. Ask another system administrator"
        )
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        end_every_session(user)
        audit(by=by, verb=AuditVerb.MFA_RESET, obj=user, reason="Every session ended")


def _ip(request: HttpRequest) -> str | None:
    from convene.core.web import client_ip

    return client_ip(request)


class SecondFactorMiddleware:
    """Before any other page: the code, for a person who has an authenticator; setting one up,
    for a person who has none while CONVENE_REQUIRE_MFA is on."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            isinstance(user, User)
            and not user.is_verified()  # type: ignore[attr-defined]
            and not request.session.get(BY_PROVIDER)
            and (request.session.get(ASKS_FOR_CODE) or settings.CONVENE_REQUIRE_MFA)
        ):
            from django.urls import Resolver404, resolve

            try:
                name = resolve(request.path_info).view_name
            except Resolver404:
                name = ""
            if name not in BEFORE_SECOND_FACTOR:
                target = (
                    "access:mfa-verify"
                    if has_authenticator(user)
                    else "access:mfa-setup"
                    if settings.CONVENE_REQUIRE_MFA
                    else None
                )
                if target is not None:
                    response = redirect(target)
                    if request.method == "GET":
                        response["Location"] += f"?next={request.get_full_path()}"
                    return response
        return self.get_response(request)


def safe_next(request: HttpRequest) -> str:
    """Where to go after the code: the page asked for, if it is one of ours, else home."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    allowed = wanted.startswith("/") and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return wanted if allowed else resolve_url(settings.LOGIN_REDIRECT_URL)
