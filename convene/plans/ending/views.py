"""Pages for ending a plan without a conference (London CP4 §10.5 to §10.6, §2.6, §10.9) and for
the child in need plan that may follow (§10.10): seeing it, recording its reviews, ending it.

Access is decided only by convene.policy; a page someone may not use is a 404."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_http_methods

from convene import policy
from convene.access.models import User
from convene.authority.selectors import authority_procedures
from convene.core import converters  # noqa: F401 (registers <id:…> for urlpatterns below)
from convene.core.clock import today
from convene.core.forms_flow import posted, signed_in_user, submit, typed_again
from convene.core.web import actor
from convene.plans.ending import rules, selectors, services
from convene.plans.ending.forms import CinEndForm, CinReviewForm, EndingForm
from convene.plans.models import ChildInNeedPlan, Plan, PlanEnding
from convene.plans.reviews.selectors import arranged_review
from convene.plans.rules import PlanAction


def _ending_of(plan: Plan) -> PlanEnding | None:
    return PlanEnding.objects.filter(plan=plan).select_related("ended_by").first()


def plan_links(user: User, plan: Plan, *, today: date) -> list[tuple[str, str]]:
    """The ending pages this person may open from the plan's page (`plans:plan`): ending
    it without a conference (or how it ended so), and the child in need plans that follow it."""
    links = []
    permitted = policy.permitted(user, plan, today=today)
    if PlanAction.END_WITHOUT_CONFERENCE in permitted and not plan.other_authority:
        if plan.end_date is None:
            links.append(
                ("End the plan without a conference", reverse("plans:end", args=[plan.pk]))
            )
        elif PlanEnding.objects.filter(plan=plan).exists():
            links.append(("How the plan ended", reverse("plans:end", args=[plan.pk])))
    for cin_plan in plan.cin_plans.order_by("start_date"):
        links.append(
            (
                f"Child in need plan from {cin_plan.start_date:%-d %B %Y}",
                reverse("plans:cin-plan", args=[cin_plan.pk]),
            )
        )
    return links


@require_http_methods(["GET", "POST"])
def end(request: HttpRequest, pk: int) -> HttpResponse:
    """A senior manager ends the plan without a conference, in an allowed case, after
    consulting the agencies and the core group; everyone is told."""
    user, on = signed_in_user(request), today()
    plan = policy.plan_for(user, pk, today=on, action=PlanAction.END_WITHOUT_CONFERENCE)
    profile = authority_procedures()
    form, saved = submit(
        request,
        EndingForm(posted(request), initial={"version": plan.version, "ended_on": on}),
        lambda data: services.plan_end_without_conference(
            plan=plan,
            version=data["version"],
            facts=EndingForm.facts(data),
            today=on,
            profile=profile,
            by=actor(request, user),
        ),
        success=_ended_message,
        reload=lambda: EndingForm(typed_again(request, plan)),
    )
    if saved:
        return redirect("plans:end", pk=plan.pk)
    if request.method == "POST":
        plan.refresh_from_db()  # as saved: a refused ending changed nothing
    can_end = plan.end_date is None and not plan.other_authority
    context: dict[str, Any] = {
        "plan": plan,
        "child": plan.child,
        "form": form,
        "can_end": can_end,
        "ending": _ending_of(plan) if plan.end_date else None,
    }
    if can_end:
        told = selectors.recipients(plan, on=on, reason="")
        context.update(
            told=[r for r in told if r.channel],
            not_reachable=[r for r in told if not r.channel],
            arranged=arranged_review(plan),
            open_cin_plan=selectors.open_cin_plan(plan.child_id),
        )
    return render(request, "plans/ending/end.html", context)


def _ended_message(ended: services.Ended) -> str:
    count = len(ended.told)
    words = f"The plan has ended. {count} {'person was' if count == 1 else 'people were'} told"
    if ended.not_told:
        names = ", ".join(r.name for r in ended.not_told)
        words += f". Tell these people yourself: we have no e-mail or postal address for {names}"
    return words


# Child in need plans -------------------------------------------------------------------------


def _cin_context(cin_plan: ChildInNeedPlan, user: User, on: date) -> dict[str, Any]:
    reviews = selectors.review_dates(cin_plan)
    profile = authority_procedures()
    due = (
        rules.cin_review_due(
            profile,
            start=cin_plan.start_date,
            last_review=reviews[-1] if reviews else None,
        )
        if cin_plan.end_date is None
        else None
    )
    return {
        "cin_plan": cin_plan,
        "child": cin_plan.child,
        "reviews": reviews,
        "due": due,
        "overdue": due is not None and due < on,
        "due_rule": profile.timescale(rules.CIN_PLAN_REVIEW).explain(),
        "can_keep": selectors.may_keep(user, cin_plan, today=on),
    }


@require_http_methods(["GET"])
def cin_plan(request: HttpRequest, pk: int) -> HttpResponse:
    user, on = signed_in_user(request), today()
    found = selectors.cin_plan_for(user, pk, today=on)
    return render(request, "plans/ending/cin_plan.html", _cin_context(found, user, on))


@require_http_methods(["GET", "POST"])
def cin_plan_review(request: HttpRequest, pk: int) -> HttpResponse:
    user, on = signed_in_user(request), today()
    found = selectors.cin_plan_for(user, pk, today=on, write=True)
    form, saved = submit(
        request,
        CinReviewForm(posted(request), initial={"date": on}),
        lambda data: services.cin_plan_record_review(
            cin_plan=found, day=data["date"], today=on, by=actor(request, user)
        ),
        success=lambda review: f"The review on {review.date:%-d %B %Y} is recorded",
    )
    if saved:
        return redirect("plans:cin-plan", pk=found.pk)
    context = _cin_context(found, user, on) | {"form": form}
    return render(request, "plans/ending/cin_plan_review.html", context)


@require_http_methods(["GET", "POST"])
def cin_plan_end(request: HttpRequest, pk: int) -> HttpResponse:
    user, on = signed_in_user(request), today()
    found = selectors.cin_plan_for(user, pk, today=on, write=True)
    form, saved = submit(
        request,
        CinEndForm(posted(request), initial={"end_date": on}),
        lambda data: services.cin_plan_end(
            cin_plan=found, end_date=data["end_date"], today=on, by=actor(request, user)
        ),
        success=lambda ended: f"The child in need plan ended on {ended.end_date:%-d %B %Y}",
    )
    if saved:
        return redirect("plans:cin-plan", pk=found.pk)
    context = _cin_context(found, user, on) | {"form": form}
    return render(request, "plans/ending/cin_plan_end.html", context)


urlpatterns: list[URLPattern] = [
    path("plans/<id:pk>/end/", end, name="end"),
    path("cin-plans/<id:pk>/", cin_plan, name="cin-plan"),
    path("cin-plans/<id:pk>/review/", cin_plan_review, name="cin-plan-review"),
    path("cin-plans/<id:pk>/end/", cin_plan_end, name="cin-plan-end"),
]
