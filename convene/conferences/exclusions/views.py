"""Pages for asking to exclude someone from a conference, and the chair's decision (London CP4
§5): the request, the decision, the letter and the excluded person's views.

Access is decided only by convene.access.policy; a page someone may not use is a 404."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_http_methods

from convene.access import policy
from convene.access.models import User
from convene.authority.selectors import authority_procedures
from convene.conferences.enums import ExclusionDecision
from convene.conferences.exclusions import services as exclusion_services
from convene.conferences.models import ExclusionRequest
from convene.conferences.reports import forms
from convene.conferences.reports import rules as rules_reports
from convene.conferences.reports.views import _problems_on_form
from convene.core import converters  # noqa: F401 (registers <id:…> for urlpatterns below)
from convene.core.clock import today
from convene.core.forms_flow import Stale, latest, posted, signed_in_user, submit

STALE_VIEWS = "Someone recorded their views since you opened this page. Check them and try again."


@require_http_methods(["GET", "POST"])
def exclusion_new(request: HttpRequest, pk: int) -> HttpResponse:
    user, on = signed_in_user(request), today()
    conference = policy.conference_for(user, pk, today=on)
    policy.require(policy.can_request_exclusions(user))
    invitations = (
        conference.invitations.filter(role__in=exclusion_services.EXCLUDABLE_ROLES)
        .select_related("adult", "child")
        .order_by("role", "pk")
    )
    profile = authority_procedures()
    due = (
        rules_reports.exclusion_request_due(profile, conference_date=conference.date)
        if conference.date
        else None
    )
    form, saved = submit(
        request,
        forms.ExclusionRequestForm(posted(request), invitations=invitations),
        lambda data: exclusion_services.exclusion_request(
            conference=conference,
            invitation=data["invitation"],
            grounds=data["grounds"],
            evidence=data["evidence"],
            today=on,
            by=user,
            request=request,
        ),
        success="Your request has been sent to the chair",
        refused=exclusion_services.ExclusionError,
        show=_problems_on_form,
    )
    if saved:
        return redirect("conferences:detail", pk=conference.pk)
    context = {
        "conference": conference,
        "form": form,
        "due": due,
        "due_rule": profile.timescale("exclusion_request").explain(),
        "late": due is not None
        and rules_reports.exclusion_request_is_late(due=due, requested_on=on),
        "has_family": invitations.exists(),
    }
    return render(request, "conferences/exclusions/new.html", context)


def _exclusion_context(exclusion: ExclusionRequest, user: User) -> dict[str, Any]:
    conference = exclusion.conference
    due = (
        rules_reports.exclusion_request_due(authority_procedures(), conference_date=conference.date)
        if conference.date
        else None
    )
    return {
        "exclusion": exclusion,
        "conference": conference,
        "due": due,
        "late": due is not None
        and rules_reports.exclusion_request_is_late(due=due, requested_on=exclusion.requested_on),
        "is_pending": exclusion.decision == ExclusionDecision.PENDING,
        "is_excluded": exclusion.decision in exclusion_services.EXCLUDED,
        "can_decide": policy.can_decide_exclusion(user, exclusion),
        "can_write": policy.can_write_exclusion_letters(user, conference),
    }


@require_http_methods(["GET"])
def exclusion_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    exclusion = policy.exclusion_for(user, pk, today=today())
    return render(
        request, "conferences/exclusions/detail.html", _exclusion_context(exclusion, user)
    )


@require_http_methods(["GET", "POST"])
def exclusion_decide(request: HttpRequest, pk: int) -> HttpResponse:
    user, on = signed_in_user(request), today()
    exclusion = policy.exclusion_for(user, pk, today=on)
    policy.require(policy.can_decide_exclusion(user, exclusion))
    # §5.8: final; once decided there is nothing to decide here.
    policy.require(exclusion.decision == ExclusionDecision.PENDING)
    form, saved = submit(
        request,
        forms.ExclusionDecisionForm(posted(request)),
        lambda data: exclusion_services.exclusion_decide(
            exclusion=exclusion,
            decision=ExclusionDecision(data["decision"]),
            parts=data["parts"],
            reasons=data["reasons"],
            today=on,
            by=user,
            request=request,
        ),
        success="Your decision has been recorded",
        refused=exclusion_services.ExclusionError,
        show=_problems_on_form,
    )
    if saved:
        return redirect("conferences:exclusion-detail", pk=exclusion.pk)
    context = _exclusion_context(exclusion, user) | {"form": form}
    return render(request, "conferences/exclusions/decide.html", context)


@require_http_methods(["GET"])
def exclusion_letter(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    exclusion = policy.exclusion_for(user, pk, today=today())
    policy.require(policy.can_write_exclusion_letters(user, exclusion.conference))
    policy.require(exclusion.decision in exclusion_services.EXCLUDED)
    social_worker = next(
        (
            s.child.social_worker
            for s in exclusion.conference.subjects.select_related("child__social_worker")
            if s.child.social_worker is not None
        ),
        None,
    )
    context = _exclusion_context(exclusion, user) | {"social_worker": social_worker}
    return render(request, "conferences/exclusions/letter.html", context)


@require_http_methods(["GET", "POST"])
def exclusion_views(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    exclusion = policy.exclusion_for(user, pk, today=today())
    policy.require(policy.can_write_exclusion_letters(user, exclusion.conference))
    policy.require(exclusion.decision in exclusion_services.EXCLUDED)

    def reload() -> forms.ExclusionViewsForm:
        # Their views as now saved are what the next save must start from.
        return forms.ExclusionViewsForm(
            {**request.POST.dict(), "previous_views": latest(exclusion).views}
        )

    initial = {"views": exclusion.views, "previous_views": exclusion.views}
    form, saved = submit(
        request,
        forms.ExclusionViewsForm(posted(request), initial=initial),
        lambda data: exclusion_services.exclusion_record_views(
            exclusion=exclusion,
            views=data["views"],
            previous_views=data["previous_views"] or "",
            by=user,
            request=request,
        ),
        success="Their views have been recorded",
        refused=exclusion_services.ExclusionError,
        show=_problems_on_form,
        stale=Stale(exclusion_services.StaleEdit, STALE_VIEWS, reload),
    )
    if saved:
        return redirect("conferences:exclusion-detail", pk=exclusion.pk)
    context = _exclusion_context(exclusion, user) | {"form": form}
    return render(request, "conferences/exclusions/views.html", context)


urlpatterns: list[URLPattern] = [
    path("conferences/<id:pk>/exclusions/new/", exclusion_new, name="exclusion-new"),
    path("exclusions/<id:pk>/", exclusion_detail, name="exclusion-detail"),
    path("exclusions/<id:pk>/decide/", exclusion_decide, name="exclusion-decide"),
    path("exclusions/<id:pk>/letter/", exclusion_letter, name="exclusion-letter"),
    path("exclusions/<id:pk>/views/", exclusion_views, name="exclusion-views"),
]
