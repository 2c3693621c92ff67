"""Pages for managing accounts (a system administrator) and for passwords (everyone with a
local account). Who may is decided by convene.policy alone: for anyone else the account pages
are a 404. docs/decisions/0022-account-management.md."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import INTERNAL_RESET_SESSION_TOKEN, PasswordResetConfirmView
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_GET, require_http_methods

from convene import policy
from convene.core.forms_flow import posted, signed_in_user, submit, typed_again
from convene.core.services import Actor
from convene.core.web import actor, client_ip

from . import accounts, mfa, passwords, selectors, sso
from .forms import (
    AccountChangeForm,
    AccountCreateForm,
    PasswordChangeForm,
    PasswordResetForm,
    ReasonForm,
    SetPasswordForm,
)
from .models import User

ACCOUNTS_PAGE_SIZE = 50


def _site(request: HttpRequest) -> str:
    """The service's address as this request reached it (the host is one of ALLOWED_HOSTS)."""
    return request.build_absolute_uri("/")


@require_GET
def account_list(request: HttpRequest) -> HttpResponse:
    policy.require(policy.can_manage_accounts(request.user))
    # A NUL character cannot be searched for (PostgreSQL refuses it in a query): drop it.
    text = request.GET.get("q", "").replace("\x00", "").strip()[:100]
    page = Paginator(selectors.account_search(text), ACCOUNTS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "access/accounts/list.html", {"page": page, "q": text})


@require_http_methods(["GET", "POST"])
def account_create(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    policy.require(policy.can_manage_accounts(user))
    form, saved = submit(
        request,
        AccountCreateForm(posted(request)),
        lambda data: accounts.account_create(
            email=data["email"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            job_title=data["job_title"],
            agency=data["agency"],
            team=data["team"],
            roles=data["roles"],
            site=_site(request),
            by=actor(request, user),
        ),
        success=lambda created: (
            f"Account opened for {created.get_full_name()}. "
            "They have been e-mailed a link to set their password"
        ),
    )
    if saved:
        return redirect("access:accounts")
    return render(request, "access/accounts/create.html", {"form": form})


@require_GET
def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = policy.account_for(request.user, pk)
    context = {
        "account": account,
        "roles": sorted(account.roles, key=lambda role: role.label),
        "locked_out": selectors.is_locked_out(account),
        "has_authenticator": selectors.has_authenticator(account),
        "history": selectors.account_history(account),
        "is_self": account.pk == request.user.pk,
        "actions": [a for a in ACTIONS.values() if a.offered(account, request.user)],
    }
    return render(request, "access/accounts/detail.html", context)


@require_http_methods(["GET", "POST"])
def account_change(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    account = policy.account_for(user, pk)
    initial = {
        "job_title": account.job_title,
        "agency": account.agency_id,
        "team": account.team_id,
        "roles": sorted(account.roles),
        "version": account.version,
    }
    form, saved = submit(
        request,
        AccountChangeForm(posted(request), initial=initial),
        lambda data: accounts.account_change(
            user=account,
            version=data["version"],
            job_title=data["job_title"],
            agency=data["agency"],
            team=data["team"],
            roles=data["roles"],
            by=actor(request, user),
        ),
        success="The account is changed",
        reload=lambda: AccountChangeForm(typed_again(request, account)),
    )
    if saved:
        return redirect("access:account-detail", pk=account.pk)
    return render(request, "access/accounts/change.html", {"form": form, "account": account})


# The actions on an account: each a page that asks why, then a button ------------------------


@dataclass(frozen=True)
class AccountAction:
    name: str
    title: str  # the link and the page's heading
    button: str
    explain: str
    done: str
    run: Callable[[User, Actor, HttpRequest], None]
    offered: Callable[[User, Any], bool]
    warning: bool = False

    @property
    def url_name(self) -> str:
        return f"access:account-{self.name}"


ACTIONS: dict[str, AccountAction] = {
    action.name: action
    for action in (
        AccountAction(
            "deactivate",
            "Close this account",
            "Close the account",
            "They will not be able to sign in, and every session they have open ends at its "
            "next request. Their account and what they did stay on the audit trail; you can "
            "open it again later.",
            "The account is closed and every session it had is ended",
            lambda account, by, request: accounts.account_deactivate(user=account, by=by),
            lambda account, me: account.is_active and account.pk != me.pk,
            warning=True,
        ),
        AccountAction(
            "reactivate",
            "Open this account again",
            "Open the account again",
            "They will be able to sign in again with the roles the account had. Check the "
            "roles, team and agency afterwards.",
            "The account is open again",
            lambda account, by, request: accounts.account_reactivate(user=account, by=by),
            lambda account, me: not account.is_active,
        ),
        AccountAction(
            "unlock",
            "Unlock after too many wrong passwords",
            "Unlock the account",
            "After too many wrong passwords an account is locked for an hour. Unlock it once "
            "you have checked with the person that it was them.",
            "The account is unlocked",
            lambda account, by, request: accounts.account_unlock(user=account, by=by),
            lambda account, me: account.is_active,
        ),
        AccountAction(
            "reset-authenticator",
            "Reset their authenticator app",
            "Reset the authenticator app",
            "For a lost or new phone. Their authenticator app and recovery codes stop working "
            "and every session they have open ends. They set up a new app when they next sign "
            "in. Check who is asking before you do this.",
            "Their authenticator app is reset and every session they had is ended",
            lambda account, by, request: mfa.mfa_reset(user=account, by=by),
            lambda account, me: account.is_active and account.pk != me.pk,
            warning=True,
        ),
        AccountAction(
            "send-password-link",
            "Send a link to set a password",
            "Send the link",
            "For a new account whose first e-mail was lost, or a forgotten password. They are "
            "e-mailed a link to set a new password; you never see it.",
            "A link to set a password has been e-mailed to them",
            lambda account, by, request: accounts.account_send_password_link(
                user=account, site=_site(request), by=by
            ),
            lambda account, me: account.is_active and account.pk != me.pk,
        ),
    )
}


@require_http_methods(["GET", "POST"])
def account_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = signed_in_user(request)
    account = policy.account_for(user, pk)
    what = ACTIONS[action]
    form, saved = submit(
        request,
        ReasonForm(posted(request)),
        lambda data: what.run(
            account, Actor(user=user, ip=client_ip(request), reason=data["reason"]), request
        ),
        success=what.done,
    )
    if saved:
        return redirect("access:account-detail", pk=account.pk)
    context = {"form": form, "account": account, "action": what}
    return render(request, "access/accounts/action.html", context)


# Passwords ---------------------------------------------------------------------------------


def _local_passwords_only() -> None:
    """With local passwords switched off (single sign-on only), there are no password pages."""
    if not sso.local_passwords_on():
        raise Http404("Passwords are managed by the council's identity provider")


@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    _local_passwords_only()
    user = signed_in_user(request)
    form = PasswordChangeForm(user, posted(request))
    if request.method == "POST" and form.is_valid():
        passwords.password_change(
            user=user, password=form.cleaned_data["new_password1"], by=actor(request, user)
        )
        # This session stays signed in; every other one ends (their hash covers the password).
        update_session_auth_hash(request, user)
        messages.success(request, "Your password is changed. You are signed out everywhere else")
        return redirect("access:account")
    return render(request, "access/password_change.html", {"form": form})


@login_not_required
@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    _local_passwords_only()
    form = PasswordResetForm(posted(request))
    if request.method == "POST" and form.is_valid():
        passwords.password_reset_request(
            email=form.cleaned_data["email"],
            site=_site(request),
            ip=client_ip(request),
            now=timezone.now(),
        )
        # The same answer whether or not the address has an account.
        return redirect("access:password-reset-sent")
    return render(request, "access/password_reset.html", {"form": form})


@login_not_required
@require_GET
def password_reset_sent(request: HttpRequest) -> HttpResponse:
    _local_passwords_only()
    context = {"hours": passwords.link_hours()}
    return render(request, "access/password_reset_sent.html", context)


@method_decorator(login_not_required, name="dispatch")
@method_decorator(require_http_methods(["GET", "POST"]), name="dispatch")
class PasswordResetConfirm(PasswordResetConfirmView):
    """The page the e-mailed link opens. Django's view checks the token and moves it out of
    the address into the session (so it cannot leak in a Referer header); saving is Convene's
    service, which ends every other session and audits."""

    template_name = "access/password_reset_confirm.html"
    form_class = SetPasswordForm
    reset_url_token = "set-password"  # noqa: S105 (a path segment, not a secret)

    def dispatch(self, *args: Any, **kwargs: Any) -> HttpResponseBase:
        _local_passwords_only()
        return super().dispatch(*args, **kwargs)

    def get_user(self, uidb64: str) -> Any:
        user = super().get_user(uidb64)
        # A closed account's link sets nothing.
        return user if user is not None and user.is_active else None

    def form_valid(self, form: Any) -> HttpResponse:
        user = form.user
        passwords.password_reset_complete(
            user=user,
            password=form.cleaned_data["new_password1"],
            by=Actor(user=user, ip=client_ip(self.request)),
        )
        del self.request.session[INTERNAL_RESET_SESSION_TOKEN]
        messages.success(self.request, "Your password is set. Sign in with it now")
        return redirect(reverse("access:sign-in"))
