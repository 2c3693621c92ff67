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
from convene.conferences.letters import render as draw
from convene.conferences.letters.branding import authority_branding, word_template
from convene.conferences.letters.document import Document
from convene.conferences.letters.services import document_downloaded
from convene.conferences.letters.views import choice, file_response
from convene.conferences.models import Conference, ConferenceChild
from convene.conferences.rules import CONFERENCE, ConferenceAction
from convene.core import converters  # noqa: F401 (registers <id:…> for urlpatterns below)
from convene.core.clock import today
from convene.core.forms_flow import posted, signed_in_user, submit, typed_again
from convene.core.services import ServiceError
from convene.core.web import actor

from . import letters, rules, selectors, services
from .forms import (
    AnswerForm,
    AppealAnswerForm,
    AppealForm,
    ComplaintDecisionForm,
    ComplaintForm,
    StageForm,
)
from .models import Appeal, Complaint, Escalation, EscalationStage, StageHolder


@require_GET
def waiting(request: HttpRequest) -> HttpResponse:
    user = signed_in_user(request)
    policy.require(policy.may_hold_dissent_stages(user))
    steps = selectors.steps_waiting_for(user)
    on = today()
    rows = [(step, rules.is_overdue(step.due, step.answered_on, on)) for step in steps]
    appeals = [
        (appeal, rules.is_overdue(appeal.due, appeal.answered_on, on))
        for appeal in selectors.appeals_waiting_for(user)
    ]
    complaints = selectors.complaints_waiting_for(user)
    context = {"rows": rows, "appeals": appeals, "complaints": complaints}
    return render(request, "challenge/waiting.html", context)


@require_http_methods(["GET", "POST"])
def escalation(request: HttpRequest, pk: int) -> HttpResponse:
    user, on = signed_in_user(request), today()
    found = (
        Escalation.objects.select_related(
            "dissent__decision__conference__chair__team",
            "dissent__decision__child",
            "dissent__core_group_meeting",
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
    # to the conference); otherwise those who see the conference's appeals and complaints (its
    # administrators, chair, lead social worker and their manager, the head of service) see it.
    may_answer = current is not None and policy.holds_escalation_step(
        user, current.holder, conference
    )
    if not may_answer:
        policy.challenge_conference_for(user, conference.pk, today=on)
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


# Appeals and complaints (Register R:20; London CP4 §12) ---------------------------------------


@require_GET
def conference_challenges(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything said against a conference: dissent and its escalation, appeals against each
    child's decision, and complaints about how it was run."""
    user, on = signed_in_user(request), today()
    conference = policy.challenge_conference_for(user, pk, today=on)
    offered = CONFERENCE.offered(conference.status, policy.permitted(user, conference, today=on))
    subjects = selectors.decided_subjects(conference)
    dissents, appeals, complaints = selectors.conference_challenges(conference)
    in_time_by = (
        rules.appeal_in_time_by(authority_procedures(), conference.date)
        if conference.date
        else None
    )
    context = {
        "conference": conference,
        "dissents": dissents,
        "appeals": [(a, rules.is_overdue(a.due, a.answered_on, on)) for a in appeals],
        "complaints": complaints,
        "open_complaint": any(c.decided_on is None for c in complaints),
        "subjects": subjects,
        "in_time_by": in_time_by,
        "may_record_appeal": bool(subjects) and ConferenceAction.RECORD_APPEAL in offered,
        "may_record_complaint": ConferenceAction.RECORD_COMPLAINT in offered,
    }
    return render(request, "challenge/conference.html", context)


@require_http_methods(["GET", "POST"])
def appeal_new(request: HttpRequest, pk: int) -> HttpResponse:
    user, on = signed_in_user(request), today()
    conference = policy.conference_for(user, pk, today=on, action=ConferenceAction.RECORD_APPEAL)
    subjects = {s.pk: s for s in selectors.decided_subjects(conference)}
    if not CONFERENCE.allows(ConferenceAction.RECORD_APPEAL, conference.status) or not subjects:
        raise Http404("No decision to appeal against")
    form = AppealForm(
        posted(request),
        children=[(s.pk, s.child.display_name) for s in subjects.values()],
        initial={"child": next(iter(subjects)) if len(subjects) == 1 else None},
    )
    form, saved = submit(
        request,
        form,
        lambda data: services.appeal_record(
            subject=subjects[data["child"]] if data["child"] in subjects else _no_such_child(),
            appellant=data["appellant"],
            name=data["name"],
            address=data["address"],
            email=data["email"],
            helped_by=data["helped_by"],
            helper_name=data["helper_name"],
            grounds=data["grounds"],
            received_on=data["received_on"],
            today=on,
            profile=authority_procedures(),
            by=actor(request, user),
        ),
        success=lambda appeal: (
            "The appeal is recorded. It came after the last day to appeal, so it is marked late"
            if appeal.late
            else "The appeal is recorded"
        ),
    )
    if saved:
        return redirect("challenge:conference", pk=conference.pk)
    return render(request, "challenge/appeal_new.html", {"form": form, "conference": conference})


def _letter_sent(answered: Appeal | Complaint) -> str:
    return f"The letter is sent to {answered.name} by {'email' if answered.email else 'post'}"


def _no_such_child() -> ConferenceChild:
    raise ServiceError("Select the child whose decision it is about", field="child")


@require_http_methods(["GET", "POST"])
def appeal(request: HttpRequest, pk: int) -> HttpResponse:
    user, on = signed_in_user(request), today()
    found = policy.appeal_for(user, pk, today=on)
    conference = found.decision.conference
    may_answer = found.answered_on is None and policy.may_answer_appeal(user, conference)
    form = None
    if may_answer:
        form, saved = submit(
            request,
            AppealAnswerForm(posted(request), initial={"version": found.version}),
            lambda data: services.appeal_answer(
                appeal=found,
                outcome=data["outcome"],
                answer=data["answer"],
                version=data["version"],
                today=on,
                by=actor(request, user),
            ),
            success=lambda answered: f"Your answer is recorded. {_letter_sent(answered)}",
            reload=lambda: AppealAnswerForm(typed_again(request, found)),
        )
        if saved:
            return redirect("challenge:appeal", pk=found.pk)
    elif request.method == "POST":
        raise Http404("Nothing to answer here")
    context = {
        "appeal": found,
        "conference": conference,
        "overdue": rules.is_overdue(found.due, found.answered_on, on),
        "form": form,
    }
    return render(request, "challenge/appeal.html", context)


def _letter(
    request: HttpRequest, document: Document, name: str, *, about: Conference
) -> HttpResponse:
    fmt = choice(request, "format", list(draw.EXTENSIONS), "html")
    user = signed_in_user(request)
    document_downloaded(conference=about, what=f"{document.title} ({fmt})", by=actor(request, user))
    return file_response(draw.render(document, fmt, word_template=word_template()), fmt, name)


@require_GET
def appeal_letter(request: HttpRequest, pk: int) -> HttpResponse:
    found = policy.appeal_for(signed_in_user(request), pk, today=today())
    if found.answered_on is None:
        raise Http404("The appeal has not been answered yet")
    document = letters.appeal_answer_letter(found, branding=authority_branding())
    return _letter(request, document, f"appeal-answer-{found.pk}", about=found.decision.conference)


@require_GET
def appeal_form(request: HttpRequest, pk: int, child_pk: int) -> HttpResponse:
    """The standard letter to appeal with, for one child's decision (Register R:20)."""
    on = today()
    conference = policy.challenge_conference_for(signed_in_user(request), pk, today=on)
    subject = next(
        (s for s in selectors.decided_subjects(conference) if s.child_id == child_pk), None
    )
    if subject is None or conference.date is None:
        raise Http404("No decision to appeal against")
    in_time_by = rules.appeal_in_time_by(authority_procedures(), conference.date)
    document = letters.appeal_form(subject, in_time_by=in_time_by, branding=authority_branding())
    return _letter(request, document, f"appeal-letter-{conference.pk}-{child_pk}", about=conference)


@require_http_methods(["GET", "POST"])
def complaint_new(request: HttpRequest, pk: int) -> HttpResponse:
    user, on = signed_in_user(request), today()
    conference = policy.conference_for(user, pk, today=on, action=ConferenceAction.RECORD_COMPLAINT)
    if not CONFERENCE.allows(ConferenceAction.RECORD_COMPLAINT, conference.status):
        raise Http404("No complaint can be recorded about this conference")
    form, saved = submit(
        request,
        ComplaintForm(posted(request)),
        lambda data: services.complaint_record(
            conference=conference,
            complainant=data["complainant"],
            name=data["name"],
            address=data["address"],
            email=data["email"],
            about=data["about"],
            agency=data["agency"],
            received_on=data["received_on"],
            today=on,
            by=actor(request, user),
        ),
        success=lambda complaint: (
            "The complaint is recorded and passed to the agency's own complaints process"
            if complaint.agency_id
            else "The complaint is recorded and passed to the chair's manager"
        ),
    )
    if saved:
        return redirect("challenge:conference", pk=conference.pk)
    return render(request, "challenge/complaint_new.html", {"form": form, "conference": conference})


@require_http_methods(["GET", "POST"])
def complaint(request: HttpRequest, pk: int) -> HttpResponse:
    user, on = signed_in_user(request), today()
    found = policy.complaint_for(user, pk, today=on)
    conference = found.conference
    may_decide = found.decided_on is None and policy.may_decide_complaint(user, conference)
    form = None
    if may_decide:
        form, saved = submit(
            request,
            ComplaintDecisionForm(posted(request), initial={"version": found.version}),
            lambda data: services.complaint_decide(
                complaint=found,
                outcome=data["outcome"],
                explanation=data["explanation"],
                date_chosen=data["date_chosen"],
                version=data["version"],
                today=on,
                profile=authority_procedures(),
                by=actor(request, user),
            ),
            success=lambda decided: f"The outcome is recorded. {_letter_sent(decided)}",
            reload=lambda: ComplaintDecisionForm(typed_again(request, found)),
        )
        if saved:
            return redirect("challenge:complaint", pk=found.pk)
    elif request.method == "POST":
        raise Http404("Nothing to decide here")
    context = {"complaint": found, "conference": conference, "form": form}
    return render(request, "challenge/complaint.html", context)


@require_GET
def complaint_letter(request: HttpRequest, pk: int) -> HttpResponse:
    found = policy.complaint_for(signed_in_user(request), pk, today=today())
    if found.decided_on is None:
        raise Http404("The complaint has not been decided yet")
    document = letters.complaint_answer_letter(found, branding=authority_branding())
    return _letter(request, document, f"complaint-answer-{found.pk}", about=found.conference)


app_name = "challenge"

urlpatterns: list[URLPattern] = [
    path("dissent/", waiting, name="waiting"),
    path("dissent/escalations/<id:pk>/", escalation, name="escalation"),
    path("authority/escalation-stages/", stages, name="stages"),
    path(
        "conferences/<id:pk>/appeals-and-complaints/",
        conference_challenges,
        name="conference",
    ),
    path("conferences/<id:pk>/appeals/new/", appeal_new, name="appeal-new"),
    path("conferences/<id:pk>/appeals/letter/<id:child_pk>/", appeal_form, name="appeal-form"),
    path("conferences/<id:pk>/complaints/new/", complaint_new, name="complaint-new"),
    path("appeals/<id:pk>/", appeal, name="appeal"),
    path("appeals/<id:pk>/letter/", appeal_letter, name="appeal-letter"),
    path("complaints/<id:pk>/", complaint, name="complaint"),
    path("complaints/<id:pk>/letter/", complaint_letter, name="complaint-letter"),
    path("authority/escalation-stages/<id:order>/remove/", stage_remove, name="stage-remove"),
]
