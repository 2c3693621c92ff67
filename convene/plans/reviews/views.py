"""Pages for a plan's reviews (London CP4 §1.20 to §1.23): when the next review is due and
booking it, bringing it forward, recording the birth after a pre-birth conference, and the plans
open 2 years or more.

Access is decided only by convene.policy; a page someone may not use is a 404."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_http_methods

from convene import policy
from convene.access.models import User
from convene.authority.selectors import authority_procedures
from convene.conferences.enums import Route
from convene.conferences.rules import ConferenceAction
from convene.core import converters  # noqa: F401 (registers <id:…> for urlpatterns below)
from convene.core.clock import today
from convene.core.forms_flow import posted, signed_in_user, submit, typed_again
from convene.core.web import actor
from convene.plans.models import Plan
from convene.plans.reviews import rules, selectors, services
from convene.plans.reviews.forms import BirthForm, BringForwardForm
from convene.plans.rules import PlanAction
from convene.policy import ChildAction


def is_ours_and_open(plan: Plan) -> bool:
    return plan.end_date is None and not plan.other_authority


def awaits_birth(plan: Plan) -> bool:
    child = plan.child
    return is_ours_and_open(plan) and rules.awaits_birth(
        child.date_of_birth, child.expected_date_of_birth
    )


def review_context(plan: Plan, user: User, *, today: date) -> dict[str, Any]:
    """The plan's review section: when the next review is due and why, what brought it
    forward, the review conference already arranged, and what this person may do now. For the
    plan's own page too (`plans:plan`)."""
    state = selectors.review_state(plan, authority_procedures())
    permitted = policy.permitted(user, plan, today=today)
    open_here = is_ours_and_open(plan)
    arranged = state.arranged
    can_book = (
        open_here
        and arranged is None
        and ChildAction.START_FOLLOW_ON_CONFERENCE
        in policy.permitted(user, plan.child, today=today)
    )
    return {
        "plan": plan,
        "child": plan.child,
        "state": state,
        "open_here": open_here,
        "overdue": state.due.due < today,
        "arranged_open": arranged is not None
        and ConferenceAction.VIEW in policy.permitted(user, arranged, today=today),
        "book_url": reverse("conferences:start-route", args=[plan.child_id, Route.REVIEW])
        if can_book
        else None,
        "can_bring_forward": open_here and PlanAction.BRING_REVIEW_FORWARD in permitted,
        "can_record_birth": awaits_birth(plan) and PlanAction.RECORD_BIRTH in permitted,
    }


def plan_links(user: User, plan: Plan, *, today: date) -> list[tuple[str, str]]:
    """The review pages this person may open from the plan's page (`plans:plan`)."""
    permitted = policy.permitted(user, plan, today=today)
    links = [("Reviews", reverse("plans:review", args=[plan.pk]))]
    if is_ours_and_open(plan) and PlanAction.BRING_REVIEW_FORWARD in permitted:
        links.append(
            ("Bring the review forward", reverse("plans:review-bring-forward", args=[plan.pk]))
        )
    if awaits_birth(plan) and PlanAction.RECORD_BIRTH in permitted:
        links.append(("Record the birth", reverse("plans:birth", args=[plan.pk])))
    return links


@require_http_methods(["GET"])
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """When the next review conference is due, and booking it."""
    user, on = signed_in_user(request), today()
    plan = policy.plan_for(user, pk, today=on)
    return render(request, "plans/reviews/review.html", review_context(plan, user, today=on))


@require_http_methods(["GET", "POST"])
def bring_forward(request: HttpRequest, pk: int) -> HttpResponse:
    user, on = signed_in_user(request), today()
    plan = policy.plan_for(user, pk, today=on, action=PlanAction.BRING_REVIEW_FORWARD)
    context = review_context(plan, user, today=on)
    form, saved = submit(
        request,
        BringForwardForm(posted(request), initial={"version": plan.version}),
        lambda data: services.review_bring_forward(
            plan=plan,
            version=data["version"],
            reason=data["reason"],
            details=data["details"],
            due=data["due"],
            today=on,
            profile=authority_procedures(),
            by=actor(request, user),
        ),
        success=lambda row: f"The review is brought forward: it is now due by {row.due:%-d %B %Y}",
        reload=lambda: BringForwardForm(typed_again(request, plan)),
    )
    if saved:
        return redirect("plans:review", pk=plan.pk)
    context["form"] = form
    return render(request, "plans/reviews/bring_forward.html", context)


@require_http_methods(["GET", "POST"])
def birth(request: HttpRequest, pk: int) -> HttpResponse:
    """London CP4 §1.21: the birth after a pre-birth conference."""
    user, on = signed_in_user(request), today()
    plan = policy.plan_for(user, pk, today=on, action=PlanAction.RECORD_BIRTH)
    profile = authority_procedures()
    form, saved = submit(
        request,
        BirthForm(posted(request), initial={"version": plan.version}),
        lambda data: services.plan_record_birth(
            plan=plan,
            version=data["version"],
            date_of_birth=data["date_of_birth"],
            mother_unwell=data["mother_unwell"] == "yes",
            first_name=data["first_name"],
            sex=data["sex"],
            today=on,
            by=actor(request, user),
        ),
        success=lambda child: f"The birth of {child.display_name} is recorded",
        reload=lambda: BirthForm(typed_again(request, plan)),
    )
    if saved:
        return redirect("plans:review", pk=plan.pk)
    context = {
        "plan": plan,
        "child": plan.child,
        "form": form,
        "awaits_birth": awaits_birth(plan),
        "open_here": is_ours_and_open(plan),
        "within_10": profile.timescale("post_birth_review").explain(),
        "within_20": profile.timescale("post_birth_review_mother_unwell").explain(),
    }
    return render(request, "plans/reviews/birth.html", context)


def can_see_long_plans(user: User) -> bool:
    """Chairs, and managers and data officers who see the indicators (London CP4 §1.22: plans
    open 2 years or more are looked at again; a national indicator counts them)."""
    return policy.can_chair(user) or policy.can_view_performance(user)


@require_http_methods(["GET"])
def long_plans(request: HttpRequest) -> HttpResponse:
    """Open plans of 2 years or more, under-fives first: only children this person may see."""
    user, on = signed_in_user(request), today()
    policy.require(can_see_long_plans(user))
    profile = authority_procedures()
    plans = selectors.long_plans(user, today=on, profile=profile)
    page = Paginator(plans, selectors.LONG_PLANS_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "rows": selectors.long_plan_rows(page.object_list, today=on),
        "page": page,
        "today": on,
        "rule": profile.timescale(rules.LONG_PLAN).explain(),
    }
    return render(request, "plans/reviews/long.html", context)


urlpatterns: list[URLPattern] = [
    path("plans/long/", long_plans, name="long"),
    path("plans/<id:pk>/review/", review, name="review"),
    path("plans/<id:pk>/review/bring-forward/", bring_forward, name="review-bring-forward"),
    path("plans/<id:pk>/birth/", birth, name="birth"),
]
