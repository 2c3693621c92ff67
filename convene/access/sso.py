"""Single sign-on with the council's identity provider over OpenID Connect (issue 14;
docs/decisions/0024-sso-and-retention.md), with mozilla-django-oidc doing the protocol: the
authorisation code flow with PKCE, the state and nonce, and the ID token's signature checked
against the provider's keys.

What Convene adds:
- People are matched by their e-mail address. A closed (deactivated) account is refused.
- The provider's groups claim gives roles, agency and team through `SsoGroupMapping`, which the
  system administrator keeps. A group with no row gives nothing (deny by default): a person in
  no mapped group is refused, and an account is made at the first sign-in only when a group
  maps. At each sign-in the person's roles become exactly those their groups give, so leaving a
  group in the provider takes the role away at the next sign-in.
- The second factor: when the ID token says the provider checked one (an `acr` value in
  SSO_TRUSTED_ACR or an `amr` value in SSO_TRUSTED_AMR), Convene does not ask again; otherwise
  its own authenticator code is asked for as after a password (convene/access/mfa.py).
- Local passwords can be switched off (CONVENE_LOCAL_PASSWORDS): then no password signs in.
- Every sign-in, refusal, account made and role changed is on the audit trail.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from convene.core.services import Actor, audit

from . import mfa
from .enums import AuditVerb, Role
from .models import RoleGrant, SsoGroupMapping, User

# In the session: the provider checked the second factor at this sign-in.
PROVIDER_VERIFIED = mfa.BY_PROVIDER
# In the session: why the last single sign-on was refused, for the page that says so.
REFUSAL = "convene_sso_refusal"
NOT_IN_A_GROUP = (
    "Your council account is not in a group that gives access to this service. "
    "Ask your system administrator to give you access."
)
CLOSED = "This account has been closed. Ask your system administrator for help."
NO_EMAIL = "Your council account has no confirmed e-mail address. Ask your IT service desk."


def sso_enabled() -> bool:
    return bool(settings.SSO_ENABLED)


def local_passwords_on() -> bool:
    """Whether anyone may sign in (or reset a password) with a password of this service."""
    return bool(settings.CONVENE_LOCAL_PASSWORDS)


# Rules on plain values ------------------------------------------------------------------


def groups_in(claims: Mapping[str, Any], claim: str) -> list[str]:
    """The groups the provider says the person is in: a list of names (or one name)."""
    value = claims.get(claim)
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [str(group) for group in value]
    return []


def provider_checked_second_factor(
    claims: Mapping[str, Any], *, trusted_acr: Iterable[str], trusted_amr: Iterable[str]
) -> bool:
    """Whether the ID token says the provider checked a second factor: its `acr` (the
    authentication context class) is one the authority trusts, or one of its `amr` (RFC 8176
    authentication methods, e.g. "mfa", "otp", "hwk") is."""
    acr = claims.get("acr")
    amr = claims.get("amr") or []
    methods = {amr} if isinstance(amr, str) else {str(method) for method in amr}
    return (isinstance(acr, str) and acr in set(trusted_acr)) or bool(methods & set(trusted_amr))


@dataclass(frozen=True)
class Granted:
    """What a person's groups give them: roles, and the agency and team of a new account."""

    roles: frozenset[Role]
    agency_id: int | None
    team_id: int | None


def granted_by(groups: Iterable[str]) -> Granted:
    rows = list(SsoGroupMapping.objects.filter(group__in=list(groups)).order_by("group", "role"))
    if not rows:
        return Granted(frozenset(), None, None)
    with_team = next((row for row in rows if row.team_id is not None), None)
    chosen = with_team or rows[0]
    return Granted(frozenset(Role(row.role) for row in rows), chosen.agency_id, chosen.team_id)


# The sign-on service --------------------------------------------------------------------


class SignOnRefused(Exception):
    """Single sign-on refused: words for the person, and the reason for the audit trail."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(reason)
        self.message = message
        self.reason = reason


def _refuse(message: str, reason: str, *, user: User | None, ip: str | None) -> SignOnRefused:
    with transaction.atomic():
        audit(
            by=Actor(user=user, ip=ip) if user is not None else None,
            verb=AuditVerb.SSO_REFUSED,
            obj=user,
            reason=reason,
        )
    return SignOnRefused(message, reason)


def sso_sign_on(
    *,
    email: str,
    groups: list[str],
    first_name: str,
    last_name: str,
    ip: str | None,
) -> User:
    """The Convene account for a person the provider has signed in: matched by e-mail, made at
    the first sign-in when a group maps, its roles set to those its groups give. SignOnRefused
    (audited) for a closed account or a person in no mapped group."""
    user = User.objects.filter(email__iexact=email).first()
    shown = ", ".join(groups) or "none"
    if user is not None and not user.is_active:
        raise _refuse(CLOSED, f"Single sign-on by {email}: the account is closed", user=user, ip=ip)
    granted = granted_by(groups)
    if not granted.roles:
        raise _refuse(
            NOT_IN_A_GROUP,
            f"Single sign-on by {email}: no group gives a role (groups: {shown})",
            user=user,
            ip=ip,
        )
    with transaction.atomic():
        if user is None:
            assert granted.agency_id is not None  # every mapping names an agency
            user = User(
                email=User.objects.normalize_email(email),
                first_name=first_name[:150],
                last_name=last_name[:150],
                agency_id=granted.agency_id,
                team_id=granted.team_id,
            )
            user.set_unusable_password()
            user.save()
            RoleGrant.objects.bulk_create(RoleGrant(user=user, role=r) for r in granted.roles)
            audit(
                by=Actor(user=user, ip=ip),
                verb=AuditVerb.ACCOUNT_CREATED,
                obj=user,
                reason=f"Made at the first single sign-on, from the groups {shown}: "
                + _roles_text(granted.roles),
            )
            return user
        _set_roles(user, granted, shown=shown, ip=ip)
    return user


def _roles_text(roles: Iterable[Role]) -> str:
    return ", ".join(sorted(role.label for role in roles)) or "no role"


def _set_roles(user: User, granted: Granted, *, shown: str, ip: str | None) -> None:
    held = set(user.role_grants.values_list("role", flat=True))
    wanted = {str(role) for role in granted.roles}
    if held == wanted and (granted.team_id is None or user.team_id == granted.team_id):
        return
    user.role_grants.exclude(role__in=wanted).delete()
    RoleGrant.objects.bulk_create(RoleGrant(user=user, role=r) for r in wanted - held)
    if granted.team_id is not None and user.team_id != granted.team_id:
        user.team_id = granted.team_id
        user.save(update_fields=["team"])
    user.__dict__.pop("roles", None)
    audit(
        by=Actor(user=user, ip=ip),
        verb=AuditVerb.ACCOUNT_CHANGED,
        obj=user,
        reason=f"Roles set at single sign-on from the groups {shown}: "
        + _roles_text(Role(r) for r in wanted)
        + f" (before: {_roles_text(Role(r) for r in held)})",
    )


# Authentication backends ----------------------------------------------------------------


def not_a_password_attempt(request: HttpRequest, credentials: Mapping[str, Any] | None) -> bool:
    """For django-axes (AXES_WHITELIST_CALLABLE): a single sign-on is not a password guess.
    Its refusals (a person in no mapped group) must not count towards the lockout, which
    behind the council's proxy would lock everyone at the same address out of single sign-on;
    the provider does its own lockout of password guesses."""
    return credentials is not None and "nonce" in credentials


class LocalPasswordBackend(ModelBackend):
    """Passwords, unless the authority has switched them off for single sign-on alone."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        if not local_passwords_on():
            return None
        user = super().authenticate(request, username=username, password=password, **kwargs)
        return user if isinstance(user, User) else None


class CouncilSignOnBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend, answering only the single sign-on callback, and only when
    single sign-on is set up; the account is Convene's (`sso_sign_on`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.UserModel = get_user_model()
        if sso_enabled():
            super().__init__(*args, **kwargs)

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        # Only the callback passes a nonce; a password sign-in never reaches the provider.
        if not sso_enabled() or "nonce" not in kwargs:
            return None
        user: User | None = super().authenticate(request, **kwargs)
        return user

    def verify_claims(self, claims: Mapping[str, Any]) -> bool:
        return bool(claims.get("email")) and claims.get("email_verified", True) is not False

    def get_or_create_user(
        self, access_token: str, id_token: str, payload: Mapping[str, Any]
    ) -> User | None:
        from convene.core.web import client_ip

        request = self.request
        ip = client_ip(request)
        info = self.get_userinfo(access_token, id_token, payload)
        claims = {**payload, **info}
        if not self.verify_claims(claims):
            request.session[REFUSAL] = NO_EMAIL
            _refuse(NO_EMAIL, "Single sign-on without a confirmed e-mail address", user=None, ip=ip)
            return None
        try:
            user = sso_sign_on(
                email=str(claims["email"]),
                groups=groups_in(claims, settings.SSO_GROUPS_CLAIM),
                first_name=str(claims.get("given_name", "")),
                last_name=str(claims.get("family_name", "")),
                ip=ip,
            )
        except SignOnRefused as refused:
            request.session[REFUSAL] = refused.message
            return None
        # acr and amr are the ID token's: what the provider itself vouches for.
        user.second_factor_by_provider = provider_checked_second_factor(  # type: ignore[attr-defined]
            payload,
            trusted_acr=settings.SSO_TRUSTED_ACR,
            trusted_amr=settings.SSO_TRUSTED_AMR,
        )
        return user

    def get_user(self, user_id: int) -> AbstractBaseUser | None:
        # Django's own check, which refuses a closed account (mozilla-django-oidc's does not).
        return ModelBackend.get_user(self, user_id)


# Pages ----------------------------------------------------------------------------------


def _only_when_enabled() -> None:
    if not sso_enabled():
        raise Http404("Single sign-on is not set up")


@method_decorator(login_not_required, name="dispatch")
class SsoStartView(OIDCAuthenticationRequestView):
    """Off to the council's identity provider (with state, nonce and PKCE)."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        _only_when_enabled()
        response: HttpResponse = super().dispatch(request, *args, **kwargs)
        return response


@method_decorator(login_not_required, name="dispatch")
class SsoCallbackView(OIDCAuthenticationCallbackView):
    """Back from the provider: signed in (and audited), or told why not."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        _only_when_enabled()
        response: HttpResponse = super().dispatch(request, *args, **kwargs)
        return response

    def login_success(self) -> HttpResponse:
        from convene.core.web import actor

        request, user = self.request, self.user
        by_provider = bool(getattr(user, "second_factor_by_provider", False))
        with transaction.atomic():
            response: HttpResponse = super().login_success()
            request.session[PROVIDER_VERIFIED] = by_provider
            request.session[mfa.ASKS_FOR_CODE] = not by_provider and mfa.has_authenticator(user)
            how = (
                "the provider checked the second factor"
                if by_provider
                else "Convene asks for its own second factor"
            )
            audit(
                by=actor(request, user),
                verb=AuditVerb.SIGNED_IN,
                obj=user,
                reason=f"With single sign-on ({settings.SSO_PROVIDER_NAME}); {how}",
            )
        return response

    def login_failure(self) -> HttpResponse:
        return redirect("access:sso-refused")


@login_not_required
def sso_refused(request: HttpRequest) -> HttpResponse:
    _only_when_enabled()
    message = request.session.pop(REFUSAL, None) or (
        "You could not be signed in with your council account. Try again, or ask your "
        "system administrator for help."
    )
    return render(
        request,
        "access/sso_refused.html",
        {"message": message, "provider": settings.SSO_PROVIDER_NAME},
    )
