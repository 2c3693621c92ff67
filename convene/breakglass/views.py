"""Pages for emergency (break-glass) access (docs/decisions/0023-break-glass.md). A person
whose role allows it names a child exactly and says why; the child's record then opens to them
for a few hours, and their managers are told. Reviewers see every recent request. Access is
decided only by convene.policy; a page someone may not use is a 404."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET, require_http_methods

from convene import policy
from convene.core import (
    clock,
    converters,  # noqa: F401  (registers <id:…> for urlpatterns below)
)
from convene.core.forms_flow import posted, signed_in_user, submit
from convene.core.web import actor

from . import rules, selectors, services
from .forms import EmergencyAccessForm
from .models import EmergencyAccess, IdentifierKind

PAGE_SIZE = 50


def _tried_before(request: HttpRequest) -> dict[str, str]:
    """ "Try again": what was typed in one's own request that matched no child."""
    pk = request.GET.get("from", "")
    if not pk.isdigit() or len(pk) > 18:
        return {}
    try:
        earlier = policy.emergency_access_for(request.user, int(pk))
    except Http404:
        return {}
    if earlier.granted:
        return {}
    fields = ("identifier_kind", "identifier", "reason")
    return {field: getattr(earlier, field) for field in fields}


@require_http_methods(["GET", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    policy.require(policy.may_use_emergency_access(user))
    now = clock.now()
    made: list[EmergencyAccess] = []

    def save(data: dict[str, str]) -> None:
        made.append(
            services.emergency_access_request(
                request=services.Request(
                    identifier_kind=IdentifierKind(data["identifier_kind"]),
                    identifier=data["identifier"],
                    reason=data["reason"],
                ),
                now=now,
                today=clock.today(),
                by=actor(request, user),
            )
        )

    form, saved = submit(
        request,
        EmergencyAccessForm(posted(request), initial=_tried_before(request)),
        save,
        success="Your request and its reason are recorded.",
    )
    if saved:
        if not made:  # the same form sent twice: show the request the first one made
            latest = EmergencyAccess.objects.filter(user=user).order_by("-pk").first()
            return (
                redirect("breakglass:request", pk=latest.pk) if latest else redirect(request.path)
            )
        return redirect("breakglass:request", pk=made[0].pk)
    left, free_at = services.requests_left(user, now)
    context = {
        "form": form,
        "requests_left": left,
        "free_at": free_at,
        "hours": int(rules.GRANT_LENGTH.total_seconds() // 3600),
    }
    return render(request, "breakglass/start.html", context)


@require_GET
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in_user(request)
    access = policy.emergency_access_for(user, pk)
    now = clock.now()
    context = {"access": access, "active": rules.is_active(access.expires_at, now)}
    return render(request, "breakglass/request.html", context)


@require_GET
def review(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    policy.require(policy.can_review_emergency_access(user))
    now = clock.now()
    requests = selectors.for_review(user, now=now)
    page = Paginator(requests, PAGE_SIZE).get_page(request.GET.get("page"))
    children = [access.child_id for access in page.object_list if access.child_id]
    context = {
        "page": page,
        # The children whose audit trail (every page opened under the access) they may read.
        "trails": policy.allowed_pks(
            user, "child", policy.ChildAction.READ_AUDIT_TRAIL, children, today=clock.today()
        ),
        "now": now,
        "days": selectors.REVIEW_PERIOD.days,
    }
    return render(request, "breakglass/review.html", context)


app_name = "breakglass"

urlpatterns: list[URLPattern] = [
    path("emergency-access/", review, name="review"),
    path("emergency-access/new/", start, name="start"),
    path("emergency-access/<id:pk>/", request_detail, name="request"),
]
