"""Pages for escalating dissent: the steps waiting for someone, one escalation with its answer
form for whoever holds the current stage, and the authority's stages for the system
administrator. Access is decided only by convene.policy; a page someone may not use is a 404."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from convene import policy
from convene.authority.selectors import authority_procedures
from convene.conferences.rules import ConferenceAction
from convene.core import converters  # noqa: F401 (registers <id:…> for urlpatterns below)
from convene.core.clock import today
from convene.core.forms_flow import posted, signed_in_user, submit, typed_again
from convene.core.services import ServiceError
from convene.core.web import actor

from . import rules, selectors, services
from .forms import AnswerForm, StageForm
from .models import Escalation, EscalationStage, StageHolder


@require_GET
def waiting(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    policy.require(policy.may_hold_dissent_stages(user))
    steps = selectors.steps_waiting_for(user)
    on = today()
    rows = [(step, rules.is_overdue(step.due, step.answered_on, on)) for step in steps]
    return render(request, "challenge/waiting.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
def escalation(request: HttpRequest, pk: int) -> HttpResponse:
    user, on = signed_in_user(request), today()
    found = (
        Escalation.objects.select_related(
            "dissent__decision__conference__chair__team", "dissent__decision__child"
        )
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404("No such escalation")
    conference = found.dissent.decision.conference
    steps = list(found.steps.select_related("answered_by"))
    current = next((s for s in steps if s.answered_on is None), None)
    # Whoever holds the current stage answers it (the chair's manager may have no other link
    # to the conference); otherwise those who may see the conference see its dissent.
    may_answer = current is not None and policy.holds_escalation_step(
        user, current.holder, conference
    )
    if not may_answer:
        policy.conference_for(user, conference.pk, today=on, action=ConferenceAction.VIEW)
    form = None
    if may_answer and current is not None:
        form, saved = submit(
            request,
            AnswerForm(posted(request), initial={"version": current.version}),
            lambda data: services.step_answer(
                step=current,
                resolved=data["resolved"],
                answer=data["answer"],
                version=data["version"],
                today=on,
                profile=authority_procedures(),
                by=actor(request, user),
            ),
            success="Your answer is recorded",
            reload=lambda: AnswerForm(typed_again(request, current)),
        )
        if saved:
            return redirect("challenge:escalation", pk=found.pk)
    elif request.method == "POST":
        raise Http404("Nothing to answer here")
    context = {
        "escalation": found,
        "dissent": found.dissent,
        "conference": conference,
        "steps": [(s, rules.is_overdue(s.due, s.answered_on, on)) for s in steps],
        "form": form,
        "current": current,
    }
    return render(request, "challenge/escalation.html", context)


@require_http_methods(["GET", "POST"])
def stages(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    policy.require(policy.can_manage_authority_settings(user))
    current = services.stages()
    forms = []
    for stage in current:
        prefix = f"stage-{stage.order}"
        bound = request.method == "POST" and request.POST.get("stage") == str(stage.order)
        form = StageForm(
            request.POST if bound else None,
            prefix=prefix,
            initial={
                "name": stage.name,
                "holder": stage.holder,
                "days": stage.days,
                "working_days": "yes" if stage.working_days else "no",
            },
        )
        forms.append((stage, form))
    adding = request.method == "POST" and request.POST.get("stage") == "new"
    new = StageForm(request.POST if adding else None, prefix="stage-new")

    def saver(order: int) -> Callable[[dict[str, Any]], EscalationStage]:
        return lambda data: services.stage_save(
            order=order,
            name=data["name"],
            holder=StageHolder(data["holder"]),
            days=data["days"],
            working_days=data["working_days"],
            by=actor(request, user),
        )

    after_last = max(s.order for s in current) + 1
    for order, form in [*((s.order, f) for s, f in forms), (after_last, new)]:
        if form.is_bound:
            _, saved = submit(request, form, saver(order), success="The stage is saved")
            if saved:
                return redirect("challenge:stages")
    return render(request, "challenge/stages.html", {"forms": forms, "new": new})


@require_POST
def stage_remove(request: HttpRequest, order: int) -> HttpResponse:
    user = signed_in_user(request)
    policy.require(policy.can_manage_authority_settings(user))
    if order not in {stage.order for stage in services.stages()}:
        raise Http404("No such stage")
    try:
        services.stage_remove(order=order, by=actor(request, user))
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "The stage is removed")
    return redirect("challenge:stages")


app_name = "challenge"

urlpatterns: list[URLPattern] = [
    path("dissent/", waiting, name="waiting"),
    path("dissent/escalations/<id:pk>/", escalation, name="escalation"),
    path("authority/escalation-stages/", stages, name="stages"),
    path("authority/escalation-stages/<id:order>/remove/", stage_remove, name="stage-remove"),
]
