"""Pages for the list of children subject to a plan and enquiries about it (London CP4 §14.14
to §14.15). An enquirer records who is asking before they can search, searches once per
enquiry, and learns only whether the child has a plan. The designated manager sees the list and
every enquiry. Access is decided only by convene.policy; a page someone may not use is a 404."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from convene import policy
from convene.access.enums import AuditVerb
from convene.authority.selectors import authority_procedures
from convene.conferences.rules import CONFERENCE, ConferenceAction
from convene.core import converters  # noqa: F401 (registers <id:…> for urlpatterns below)
from convene.core.clock import today
from convene.core.forms import GovukForm
from convene.core.forms_flow import posted, signed_in_user, submit
from convene.core.services import audit
from convene.core.web import actor

from . import rules, selectors, services
from .forms import EnquirerForm, MinutesSentForm, ReporterReferralForm, SearchForm
from .models import IdentityCheck, RegisterEnquiry, ReporterReferral

PAGE_SIZE = 50


def _copied_details(request: HttpRequest) -> dict[str, str]:
    """ "Another enquiry for the same person": their details from an enquiry of one's own."""
    pk = request.GET.get("from", "")
    if not pk.isdigit() or len(pk) > 18:
        return {}
    try:
        earlier = policy.register_enquiry_for(request.user, int(pk))
    except Http404:
        return {}
    if earlier.enquirer_id != request.user.pk:
        return {}
    fields = ("name", "organisation", "role", "contact_number", "reason", "identity_check")
    return {field: getattr(earlier, field) for field in (*fields, "identity_details")}


@require_http_methods(["GET", "POST"])
def enquiry_start(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    policy.require(policy.can_make_register_enquiries(user))
    started: list[RegisterEnquiry] = []

    def save(data: dict[str, str]) -> None:
        started.append(
            services.enquiry_start(
                enquirer=services.Enquirer(
                    name=data["name"],
                    organisation=data["organisation"],
                    role=data["role"],
                    contact_number=data["contact_number"],
                    reason=data["reason"],
                    identity_check=IdentityCheck(data["identity_check"]),
                    identity_details=data["identity_details"],
                ),
                at=timezone.now(),
                by=actor(request, user),
            )
        )

    form, saved = submit(
        request,
        EnquirerForm(posted(request), initial=_copied_details(request)),
        save,
        success="Their details are recorded. Now enter the child's details.",
    )
    if saved:
        return redirect("register:enquiry-search", pk=started[0].pk)
    return render(request, "register/enquiry_start.html", {"form": form})


@require_http_methods(["GET", "POST"])
def enquiry_search(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    enquiry = policy.register_enquiry_for(user, pk)
    if enquiry.enquirer_id != user.pk:
        raise Http404("No such enquiry")  # the manager reads enquiries; only their maker searches
    if enquiry.searched:
        return redirect("register:enquiry", pk=enquiry.pk)
    now = timezone.now()
    form, saved = submit(
        request,
        SearchForm(posted(request)),
        lambda data: services.enquiry_search(
            enquiry=enquiry,
            first_name=data["first_name"],
            last_name=data["last_name"],
            date_of_birth=data["date_of_birth"],
            now=now,
            by=actor(request, user),
        ),
        success="The enquiry and its answer are recorded.",
    )
    if saved:
        return redirect("register:enquiry", pk=enquiry.pk)
    left, free_at = services.searches_left(user, now)
    context = {"form": form, "enquiry": enquiry, "searches_left": left, "free_at": free_at}
    return render(request, "register/enquiry_search.html", context)


@require_GET
def enquiry(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    found = policy.register_enquiry_for(user, pk)
    if not found.searched:
        if found.enquirer_id == user.pk:
            return redirect("register:enquiry-search", pk=found.pk)
    elif found.child is not None:
        audit(
            by=actor(request, user),
            verb=AuditVerb.VIEWED_CHILD,
            obj=found,
            about=found.child,
            reason="Read the answer to an enquiry about whether the child has a plan",
        )
    context = {
        "enquiry": found,
        "plan": found.plan,
        "lead": found.plan.lead_social_worker or found.child.social_worker
        if found.plan and found.child
        else None,
        "own": found.enquirer_id == user.pk,
        "duty_phone": settings.AUTHORITY_DUTY_PHONE,
        "repeat_days": rules.REPEAT_WINDOW.days,
    }
    return render(request, "register/enquiry.html", context)


@require_GET
def enquiries(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    everyone = policy.can_keep_register(user)
    policy.require(everyone or policy.can_make_register_enquiries(user))
    page = Paginator(selectors.enquiries_seen_by(user, everyone=everyone), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "everyone": everyone,
        "can_enquire": policy.can_make_register_enquiries(user),
    }
    return render(request, "register/enquiries.html", context)


@require_GET
def register(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    policy.require(policy.can_keep_register(user))
    on = today()
    plans = selectors.subject_to_a_plan(today=on)
    page = Paginator(plans, PAGE_SIZE).get_page(request.GET.get("page"))
    audit(
        by=actor(request, user),
        verb=AuditVerb.VIEWED_REGISTER,
        reason=f"Viewed page {page.number} of the list of children subject to a plan",
    )
    return render(request, "register/list.html", {"page": page, "today": on})


@require_http_methods(["GET", "POST"])
def reporter(request: HttpRequest, pk: int) -> HttpResponse:
    """Register guidance: referrals to the children's reporter from one held conference, and
    when the minutes were sent (register-based areas only)."""
    user, on = signed_in_user(request), today()
    conference = policy.conference_for(
        user, pk, today=on, action=ConferenceAction.REFER_TO_REPORTER
    )
    profile = authority_procedures()
    refer = ConferenceAction.REFER_TO_REPORTER
    if profile.name != services.REGISTER_PROFILE or not CONFERENCE.allows(refer, conference.status):
        raise Http404("No referrals to the children's reporter here")
    subjects = list(
        conference.subjects.filter(is_subject=True)
        .exclude(outcome="")
        .select_related("child", "reporter_referral")
        .order_by("child__last_name", "child__first_name")
    )
    referrals = [s.reporter_referral for s in subjects if hasattr(s, "reporter_referral")]
    unreferred = {s.pk: s for s in subjects if not hasattr(s, "reporter_referral")}
    which = request.POST.get("form", "") if request.method == "POST" else ""
    form = ReporterReferralForm(
        request.POST if which == "refer" else None,
        children=[(s.pk, s.child.display_name) for s in unreferred.values()],
    )
    if which == "refer":
        form, saved = submit(
            request,
            form,
            lambda data: services.reporter_referral_record(
                subject=unreferred[data["child"]],
                reasons=data["reasons"],
                referred_on=data["referred_on"],
                report_sent=data["report_sent"],
                profile_name=profile.name,
                today=on,
                by=actor(request, user),
            ),
            success="The referral to the children's reporter is recorded",
        )
        if saved:
            return redirect("register:reporter", pk=conference.pk)
    minutes = []
    for referral in referrals:
        bound = which == f"minutes-{referral.pk}"
        sent = MinutesSentForm(
            request.POST if bound else None,
            prefix=f"minutes-{referral.pk}",
            initial={"version": referral.version},
        )
        if bound:

            def mark_sent(data: dict[str, Any], chosen: ReporterReferral = referral) -> object:
                return services.reporter_minutes_sent(
                    referral=chosen,
                    sent_on=data["sent_on"],
                    version=data["version"],
                    today=on,
                    by=actor(request, user),
                )

            sent, saved = submit(
                request, sent, mark_sent, success="The date the minutes were sent is recorded"
            )
            if saved:
                return redirect("register:reporter", pk=conference.pk)
        minutes.append((referral, sent))
    forms: list[GovukForm] = [form, *(sent for _, sent in minutes)]
    context = {
        "conference": conference,
        "minutes": minutes,
        "form": form if unreferred else None,
        "failed": next((f for f in forms if f.is_bound and f.errors), None),
    }
    return render(request, "register/reporter.html", context)


app_name = "register"

urlpatterns: list[URLPattern] = [
    path("register/", register, name="list"),
    path("register/enquiries/", enquiries, name="enquiries"),
    path("register/enquiries/new/", enquiry_start, name="enquiry-start"),
    path("register/enquiries/<id:pk>/", enquiry, name="enquiry"),
    path("register/enquiries/<id:pk>/search/", enquiry_search, name="enquiry-search"),
    path("conferences/<id:pk>/reporter/", reporter, name="reporter"),
]
