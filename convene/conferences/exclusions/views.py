"""Pages for asking to exclude someone from a conference, and the chair's decision (London CP4
§5): the request, the decision, the letter and the excluded person's views.

Access is decided only by convene.policy; a page someone may not use is a 404."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_http_methods

from convene import policy
from convene.access.models import User
from convene.authority.selectors import authority_procedures
from convene.conferences.enums import ExclusionDecision
from convene.conferences.exclusions import forms, rules, selectors
from convene.conferences.exclusions import services as exclusion_services
from convene.conferences.exclusions.rules import EXCLUSION, ExclusionAction
from convene.conferences.models import ExclusionRequest
from convene.conferences.rules import ConferenceAction
from convene.core import converters  # noqa: F401 (registers <id:…> for urlpatterns below)
from convene.core.clock import today
from convene.core.forms_flow import posted, signed_in_user, submit, typed_again
from convene.core.web import actor


@require_http_methods(["GET", "POST"])
def exclusion_new(request: HttpRequest, pk: int) -> HttpResponse:
    user, on = signed_in_user(request), today()
    conference = policy.conference_for(
        user, pk, today=on, action=ConferenceAction.REQUEST_EXCLUSION
    )
    invitations = (
        conference.invitations.filter(role__in=rules.EXCLUDABLE_ROLES)
        .select_related("adult", "child")
        .order_by("role", "pk")
    )
    profile = authority_procedures()
    due = (
        rules.exclusion_request_due(profile, conference_date=conference.date)
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
            by=actor(request),
        ),
        success="Your request has been sent to the chair",
    )
    if saved:
        return redirect("conferences:detail", pk=conference.pk)
    context = {
        "conference": conference,
        "form": form,
        "due": due,
        "due_rule": profile.timescale("exclusion_request").explain(),
        "late": due is not None and rules.exclusion_request_is_late(due=due, requested_on=on),
        "has_family": invitations.exists(),
    }
    return render(request, "conferences/exclusions/new.html", context)


def _exclusion_context(exclusion: ExclusionRequest, user: User, on: date) -> dict[str, Any]:
    conference = exclusion.conference
    due = (
        rules.exclusion_request_due(authority_procedures(), conference_date=conference.date)
        if conference.date
        else None
    )
    return {
        "exclusion": exclusion,
        "conference": conference,
        "due": due,
        "late": due is not None
        and rules.exclusion_request_is_late(due=due, requested_on=exclusion.requested_on),
        "offered": EXCLUSION.offered(
            exclusion.decision, policy.permitted(user, exclusion, today=on)
        ),
    }


@require_http_methods(["GET"])
def exclusion_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user, on = signed_in_user(request), today()
    exclusion = policy.exclusion_for(user, pk, today=on)
    return render(
        request, "conferences/exclusions/detail.html", _exclusion_context(exclusion, user, on)
    )


@require_http_methods(["GET", "POST"])
def exclusion_decide(request: HttpRequest, pk: int) -> HttpResponse:
    user, on = signed_in_user(request), today()
    exclusion = policy.exclusion_for(user, pk, today=on, action=ExclusionAction.DECIDE)
    # §5.8: final; once decided there is nothing to decide here.
    policy.require(EXCLUSION.allows(ExclusionAction.DECIDE, exclusion.decision))
    form, saved = submit(
        request,
        forms.ExclusionDecisionForm(posted(request), initial={"version": exclusion.version}),
        lambda data: exclusion_services.exclusion_decide(
            exclusion=exclusion,
            version=data["version"],
            decision=ExclusionDecision(data["decision"]),
            parts=data["parts"],
            reasons=data["reasons"],
            today=on,
            by=actor(request),
        ),
        success="Your decision has been recorded",
    )
    if saved:
        return redirect("conferences:exclusion-detail", pk=exclusion.pk)
    context = _exclusion_context(exclusion, user, on) | {"form": form}
    return render(request, "conferences/exclusions/decide.html", context)


@require_http_methods(["GET"])
def exclusion_letter(request: HttpRequest, pk: int) -> HttpResponse:
    user, on = signed_in_user(request), today()
    exclusion = policy.exclusion_for(user, pk, today=on, action=ExclusionAction.WRITE_LETTER)
    policy.require(EXCLUSION.allows(ExclusionAction.WRITE_LETTER, exclusion.decision))
    social_worker = selectors.letter_social_worker(exclusion.conference)
    context = _exclusion_context(exclusion, user, on) | {"social_worker": social_worker}
    return render(request, "conferences/exclusions/letter.html", context)


@require_http_methods(["GET", "POST"])
def exclusion_views(request: HttpRequest, pk: int) -> HttpResponse:
    user, on = signed_in_user(request), today()
    exclusion = policy.exclusion_for(user, pk, today=on, action=ExclusionAction.RECORD_VIEWS)
    policy.require(EXCLUSION.allows(ExclusionAction.RECORD_VIEWS, exclusion.decision))

    def reload() -> forms.ExclusionViewsForm:
        # What they typed, against the views as now saved.
        return forms.ExclusionViewsForm(typed_again(request, exclusion))

    initial = {"views": exclusion.views, "version": exclusion.version}
    form, saved = submit(
        request,
        forms.ExclusionViewsForm(posted(request), initial=initial),
        lambda data: exclusion_services.exclusion_record_views(
            exclusion=exclusion, version=data["version"], views=data["views"], by=actor(request)
        ),
        success="Their views have been recorded",
        reload=reload,
    )
    if saved:
        return redirect("conferences:exclusion-detail", pk=exclusion.pk)
    context = _exclusion_context(exclusion, user, on) | {"form": form}
    return render(request, "conferences/exclusions/views.html", context)


urlpatterns: list[URLPattern] = [
    path("conferences/<id:pk>/exclusions/new/", exclusion_new, name="exclusion-new"),
    path("exclusions/<id:pk>/", exclusion_detail, name="exclusion-detail"),
    path("exclusions/<id:pk>/decide/", exclusion_decide, name="exclusion-decide"),
    path("exclusions/<id:pk>/letter/", exclusion_letter, name="exclusion-letter"),
    path("exclusions/<id:pk>/views/", exclusion_views, name="exclusion-views"),
]
