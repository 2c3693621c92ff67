from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LoginView
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from convene import policy
from convene.core.clock import today
from convene.core.forms_flow import posted, submit
from convene.core.services import audit
from convene.core.web import actor, signed_in_user
from convene.people.models import Child

from . import mfa, sso
from .audit import child_audit_page
from .enums import AuditVerb
from .forms import AuditTrailLookupForm, CodeForm, SignInForm, SsoGroupMappingForm
from .models import SsoGroupMapping, User
from .services import sso_group_mapping_add, sso_group_mapping_remove, user_sign_out_everywhere


@method_decorator(login_not_required, name="dispatch")
class SignInView(LoginView):
    template_name = "access/sign_in.html"
    form_class = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)
        context["sso_enabled"] = sso.sso_enabled()
        context["local_passwords"] = sso.local_passwords_on()
        context["provider"] = settings.SSO_PROVIDER_NAME
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # With local passwords switched off, no password is even checked.
        if not sso.local_passwords_on():
            return redirect("access:sign-in")
        response: HttpResponse = super().post(request, *args, **kwargs)
        return response

    def form_valid(self, form: SignInForm) -> HttpResponse:  # type: ignore[override]
        with transaction.atomic():
            response = super().form_valid(form)
            user = form.get_user()
            self.request.session[mfa.ASKS_FOR_CODE] = mfa.has_authenticator(user)
            audit(by=actor(self.request, user), verb=AuditVerb.SIGNED_IN, obj=user, reason="")
        return response


@require_http_methods(["GET", "POST"])
def mfa_verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the authenticator app, or a recovery code."""
    user = signed_in_user(request)
    if (
        user.is_verified()  # type: ignore[attr-defined]
        or request.session.get(mfa.BY_PROVIDER)
        or not mfa.has_authenticator(user)
    ):
        return redirect(mfa.safe_next(request))
    form = CodeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        if mfa.mfa_verify(request, user=user, code=form.cleaned_data["code"]):
            return redirect(mfa.safe_next(request))
        form.add_error("code", "The code is not right. Enter the 6 digits your app shows now")
    next_url = request.GET.get("next") or request.POST.get("next") or ""
    return render(request, "access/mfa_verify.html", {"form": form, "next": next_url})


@require_http_methods(["GET", "POST"])
def mfa_setup(request: HttpRequest) -> HttpResponse:
    """Setting up an authenticator app: the key to add to it, then a code it shows."""
    user = signed_in_user(request)
    device = mfa.pending_device(user)
    form = CodeForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            codes = mfa.mfa_setup_confirm(
                device=device, code=form.cleaned_data["code"], by=actor(request)
            )
        except ValueError as error:
            form.add_error("code", str(error))
        else:
            otp_login(request, device)
            return render(
                request,
                "access/mfa_recovery_codes.html",
                {"codes": codes, "next": mfa.safe_next(request)},
            )
    context = {
        "form": form,
        "key": mfa.base32_key(device),
        "uri": device.config_url,
        "qr_code": mfa.qr_code_svg(device.config_url),
        "next": request.GET.get("next", ""),
    }
    return render(request, "access/mfa_setup.html", context)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    user = request.user
    if isinstance(user, User):
        audit(by=actor(request, user), verb=AuditVerb.SIGNED_OUT, obj=user, reason="")
    logout(request)
    return redirect("access:signed-out")


@require_POST
def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    user_sign_out_everywhere(by=actor(request))
    logout(request)
    return redirect("access:signed-out")


@login_not_required
def signed_out(request: HttpRequest) -> HttpResponse:
    return render(request, "access/signed_out.html")


def account(request: HttpRequest) -> HttpResponse:
    return render(request, "access/account.html", {"local_passwords": sso.local_passwords_on()})


def child_audit_trail(request: HttpRequest, child_pk: int) -> HttpResponse:
    child = policy.child_audit_trail_for(request.user, child_pk, today=today())
    audit(by=actor(request), verb=AuditVerb.VIEWED_AUDIT_TRAIL, obj=child, about=child, reason="")
    page = child_audit_page(child, request.GET.get("page"))
    return render(request, "access/child_audit_trail.html", {"child": child, "page": page})


@require_http_methods(["GET", "POST"])
def audit_trail_lookup(request: HttpRequest) -> HttpResponse:
    policy.require(policy.can_look_up_any_audit_trail(request.user))
    form = AuditTrailLookupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        la_child_id = form.cleaned_data["la_child_id"].strip()
        child = Child.objects.filter(la_child_id__iexact=la_child_id).first()
        if child is not None:
            return redirect("access:child-audit-trail", child_pk=child.pk)
        form.add_error("la_child_id", f"No child has the local authority child ID {la_child_id}")
    return render(request, "access/audit_trail_lookup.html", {"form": form})


@require_http_methods(["GET", "POST"])
def sso_groups(request: HttpRequest) -> HttpResponse:
    """Single sign-on: how it is set up, and which provider groups give which roles."""
    policy.require(policy.can_manage_single_sign_on(request.user))
    form, saved = submit(
        request,
        SsoGroupMappingForm(posted(request)),
        lambda d: sso_group_mapping_add(
            group=d["group"].strip(),
            role=d["role"],
            agency=d["agency"],
            team=d["team"],
            by=actor(request),
        ),
        success="The group has been added",
    )
    if saved:
        return redirect("access:sso-groups")
    context = {
        "form": form,
        "mappings": SsoGroupMapping.objects.select_related("agency", "team"),
        "sso_enabled": sso.sso_enabled(),
        "local_passwords": sso.local_passwords_on(),
        "provider": settings.SSO_PROVIDER_NAME,
        "groups_claim": settings.SSO_GROUPS_CLAIM,
        "trusted_acr": settings.SSO_TRUSTED_ACR,
        "trusted_amr": settings.SSO_TRUSTED_AMR,
    }
    return render(request, "access/sso_groups.html", context)


@require_POST
def sso_group_remove(request: HttpRequest, pk: int) -> HttpResponse:
    policy.require(policy.can_manage_single_sign_on(request.user))
    mapping = get_object_or_404(SsoGroupMapping, pk=pk)
    sso_group_mapping_remove(mapping=mapping, by=actor(request))
    messages.success(request, f"{mapping} has been removed")
    return redirect("access:sso-groups")
